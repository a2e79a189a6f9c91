/*
 * migtls.h: TLS for TCP migrations.  Whoever reaches a waiting destination
 * first would have their stream loaded (into a QEMU running as root).  On
 * one host no QEMU listens at all (tcppair.h); with --netns a destination
 * listens in a namespace of the run.  Either way, with a key made for the
 * run (pre-shared, in the private 0700 directory) the destination takes
 * only a stream from a QEMU of this run: QEMU's tls-creds-psk, the
 * destination as TLS server, the source as client.
 */
#ifndef GUESTVIEW_MIGTLS_H
#define GUESTVIEW_MIGTLS_H
#include <stdbool.h>
#include <stdint.h>
#include "evloop.h"

#define MIGTLS_USER "gvmigrate"

/*
 * Give vm the credentials of its role (server: it waits for a stream;
 * client: it sends one), made the first time in dir/keys.psk.  A QEMU
 * that was a destination becomes a source: it gets the client role then.
 * Returns 0, or -1 after printing why.
 */
int migtls_role(struct evloop *ev, struct vm *vm, const char *dir, bool server, uint64_t deadline);

/*
 * Write a new key to path (created, never replaced: O_EXCL, mode 0600):
 * "gvmigrate:HEX", QEMU's keys.psk format, 256 random bits.  A run's own
 * key, or gvmigrate --make-psk for the two halves of a --role migration.
 * Returns 0, or -1 with errno.
 */
int migtls_make_key(const char *path);

#endif
