/*
 * statefile.h: the state files of gvmigrate --save / --restore.
 *
 * Format (statehdr.h): one header line "GUESTVIEW-STATE seq=N check=C\n"
 * (N: the guest's request, acknowledged after the restore; C ties N to the
 * stream), then QEMU's migration stream as QEMU wrote it.
 *
 * gvmigrate runs as root on shared machines, so a state is written safely:
 * the target must not exist or be a regular file of the invoking user (no
 * symlink, FIFO or device, nobody else's file); the stream goes to a new
 * unnamed file (O_TMPFILE, or where the file system has none an O_EXCL name
 * ".NAME.gvmigrate-PID-XXXXXX" beside the target, removed by a later save
 * once PID is gone) that gets its header only after QEMU
 * completed, is synced, and then renamed over the target.  A failed save
 * leaves the previous state as it was, and no partial file that would pass
 * for a state: an unfinished file starts with "GUESTVIEW-PARTIAL".
 */
#ifndef GUESTVIEW_STATEFILE_H
#define GUESTVIEW_STATEFILE_H
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include "statehdr.h"

/* A state being written; .fd < 0 when none. */
struct state_out {
	int fd;
	const char *path;
	char tmp[PATH_MAX];	/* the temporary name, when O_TMPFILE was not available */
	size_t header_len;
};

void state_out_init(struct state_out *s);
/* Check the target and make the temporary file.  Returns 0, or -1 with why in err. */
int state_out_open(struct state_out *s, const char *path, char *err, size_t errsize);
/* Reserve the header of request seq (a placeholder); QEMU writes after it. */
int state_out_begin(struct state_out *s, unsigned int seq, char *err, size_t errsize);
/* QEMU completed: check its stream, write the header, sync, rename into place. */
int state_out_commit(struct state_out *s, unsigned int seq, char *err, size_t errsize);
/*
 * After QEMU failed to write the stream: ENOSPC or EDQUOT when the state's
 * file system has no room left for it (a host fault, not QEMU's refusal),
 * else 0.  Asked of the file system, not read from QEMU's message.
 */
int state_out_no_room(const struct state_out *s);
/* Drop the temporary file (a failed or interrupted save); idempotent. */
void state_out_abort(struct state_out *s);

/*
 * Open a saved state for QEMU: a regular file of the invoking user that
 * nobody else can write, with a well-formed header whose check matches its
 * seq and QEMU's stream after it.  Returns the descriptor, positioned at
 * the stream, or -1 with why in err.
 */
int state_in_open(const char *path, unsigned int *seq, char *err, size_t errsize);

#endif
