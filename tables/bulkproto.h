/*
 * bulkproto.h: the contract of the bulk channel (lib/bulk.c), the one place its
 * words are spelled.  C includes it; make turns each #define below into a
 * bash assignment in tables/bulkproto.bash (sourced by scripts/runner/bulk.bash),
 * so the guest and arm/run cannot spell a word two ways.
 *
 * The guest writes its results (the fingerprint, the PASS lines) to a
 * virtio console instead of the PL011, one exit per buffer instead of one
 * per byte.  After a section, and before any console line while results
 * are pending, it prints on the console the line
 *
 *     BULK: N
 *
 * N being the bytes the channel has carried so far, in all (decimal).  The
 * host copies the channel's bytes up to N into the log at that line, so
 * the log reads as if the console had carried them, and a channel file
 * shorter than N is a lost result, never a shorter fingerprint.
 *
 * Only plain "..." strings without ', $, ` or \ here: the bash generator
 * (tables/gen-bulkproto.awk) copies them as they are and refuses the rest.
 */
#ifndef GUESTVIEW_TABLES_BULKPROTO_H
#define GUESTVIEW_TABLES_BULKPROTO_H

/* The console line that announces the channel's byte count. */
#define BULK_ANNOUNCE "BULK: "

#endif
