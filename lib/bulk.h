/*
 * bulk.h: the results stream.  The fingerprint and the PASS lines go to a
 * virtio console (the bulk channel) when the VMM gives the guest one, in
 * buffers of a few KiB: one exit to the VMM per buffer, where the PL011
 * costs one per byte.  Without the device, results go to the console as
 * they always did.  The
 * contract with the host (the "BULK: N" console line) is tables/bulkproto.h.
 */
#ifndef GUESTVIEW_BULK_H
#define GUESTVIEW_BULK_H
#include "libcflat.h"

/* setup.c, once, after the console and the allocator. */
void bulk_init(void);
/* Is the channel in use (results_printf goes to it)? */
bool bulk_active(void);
/*
 * Sends what is buffered and prints the announcement line on the console
 * when the channel carried anything new.  Call at the end of a section of
 * results, before a console exchange with the host (migration) and at
 * exit, so that the host splices the results where they belong.
 */
void bulk_flush(void);
/*
 * printf and puts call this before they write to the console: results
 * still in the channel's buffer, or sent but not announced, are flushed
 * and announced first, so that the spliced log has every line in the
 * order the payload printed it (a FAIL after the PASS lines before it,
 * an INFO between two checks where it was printed).  Costs nothing while
 * nothing is pending; one buffer and one count line when something is.
 */
void bulk_before_console(void);
/* After a fault inside fault handling: stop using the device; results go to the console. */
void bulk_abandon(void);

#endif
