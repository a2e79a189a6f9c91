/* util.h: small process and file helpers shared by gvmigrate's files. */
#ifndef GUESTVIEW_HOST_UTIL_H
#define GUESTVIEW_HOST_UTIL_H
#include <stdbool.h>

/* Remove dir and everything below it (only the run's own files are there). */
void remove_tree(const char *dir);
/*
 * name is "<prefix><PID>-..." and no process PID exists: something a
 * killed run left behind.  A PID that lives may have been reused by
 * anything, so only a gone one is proof (a zombie counts as alive: the
 * thing is kept, never wrongly removed).
 */
bool left_by_dead_run(const char *name, const char *prefix);

#endif
