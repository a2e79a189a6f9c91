/* The number parsing of lib/string.c (libfdt_env.h includes <stdlib.h>). */
#ifndef GUESTVIEW_STDLIB_H
#define GUESTVIEW_STDLIB_H
unsigned long strtoul(const char *nptr, char **endptr, int base);
#endif
