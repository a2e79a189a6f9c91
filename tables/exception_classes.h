/*
 * exception_classes.h: names of ESR_ELx exception classes, from
 * exception_classes.def; compiled into the guest and the host tools.
 */
#ifndef GUESTVIEW_TABLES_EXCEPTION_CLASSES_H
#define GUESTVIEW_TABLES_EXCEPTION_CLASSES_H

/* "data abort, same EL"; "unallocated exception class" for the rest. */
const char *ec_name(unsigned int ec);

#endif
