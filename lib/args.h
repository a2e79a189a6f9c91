#ifndef GUESTVIEW_ARGS_H
#define GUESTVIEW_ARGS_H
/* Split bootargs into argv (lib/args.c); called once by lib/setup.c. */
int args_setup(const char *bootargs, char ***argvp);
#endif
