/*
 * statehdr.h: the header line of a guestview state file, defined once for
 * its writer (statefile.c) and its two readers: statefile.c, which hands
 * the stream after it to QEMU, and migstream.c, which reads the stream's
 * registers (gvstream regs/diff on a state file).  Inline because gvstream
 * links the stream reader without the harness's file handling.
 *
 * A state file is "GUESTVIEW-STATE seq=N check=C\n" (N the guest's
 * request, 1..UINT_MAX, in decimal without a sign or leading spaces; C 16
 * lower-case hex digits, see statefile.c), then QEMU's migration stream as
 * QEMU wrote it ("QEVM" and a 4-byte version first).  An unfinished save
 * starts with "GUESTVIEW-PARTIAL" instead.
 *
 * Why the check: the guest waits for the ack of exactly its request N,
 * which only the stream (the guest's memory) knows.  A header whose seq
 * is not the stream's (edited, or a stream pasted behind another header)
 * would have the restored guest wait for an ack that never comes, until
 * the run's TIMEOUT.  The check binds N to the stream, so a restore can
 * refuse such a file before QEMU starts.  Readers that only look at the
 * stream (gvstream) accept a header without it, as saved before.
 */
#ifndef GUESTVIEW_STATEHDR_H
#define GUESTVIEW_STATEHDR_H
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define STATE_MAGIC "GUESTVIEW-STATE seq="
#define STATE_PARTIAL "GUESTVIEW-PARTIAL"
#define STATE_QEMU_MAGIC "QEVM"
/* What both headers start with: a file that does is meant as a state file. */
#define STATE_PREFIX "GUESTVIEW-"
/* After the seq: the check of seq and stream, fixed width (the header's length is known before the stream). */
#define STATE_CHECK " check="
#define STATE_CHECK_DIGITS 16
/* Enough bytes of the file's start to hold any valid header. */
#define STATE_HEADER_MAX 64

struct state_header {
	unsigned int seq;	/* the guest's request */
	size_t len;		/* the header's length, newline included */
	bool has_check;		/* a header saved before the check has none */
	unsigned long long check;
};

/* Does buf (len bytes of a file's start) claim to be a state file? */
static inline bool state_header_claimed(const char *buf, size_t len)
{
	return len >= strlen(STATE_PREFIX) && !memcmp(buf, STATE_PREFIX, strlen(STATE_PREFIX));
}

/*
 * Parses the header at the start of buf (len bytes): 0 with it in *h, or
 * -1 with why in err.
 */
static inline int state_header_parse(const char *buf, size_t len, struct state_header *h,
				     char *err, size_t errsize)
{
	size_t m = strlen(STATE_MAGIC), c = strlen(STATE_CHECK), i, j;
	unsigned long long v = 0, check = 0;

	if (len >= strlen(STATE_PARTIAL) && !memcmp(buf, STATE_PARTIAL, strlen(STATE_PARTIAL))) {
		snprintf(err, errsize, "an unfinished save (the run that wrote it did not complete)");
		return -1;
	}
	if (len < m || memcmp(buf, STATE_MAGIC, m)) {
		snprintf(err, errsize, "not a state saved by gvmigrate --save (no '%s' header)",
			 STATE_MAGIC "N");
		return -1;
	}
	for (i = m; i < len && i - m < 19 &&	/* no overflow: out of range is said as such */
	      buf[i] >= '0' && buf[i] <= '9'; i++)
		v = v * 10 + (unsigned long long)(buf[i] - '0');
	j = i;
	h->has_check = i > m && len - i > c && !memcmp(buf + i, STATE_CHECK, c);
	if (h->has_check) {
		for (j = i + c; j < len && j - i - c < STATE_CHECK_DIGITS &&
		     ((buf[j] >= '0' && buf[j] <= '9') || (buf[j] >= 'a' && buf[j] <= 'f')); j++)
			check = check * 16 + (unsigned long long)(buf[j] <= '9' ? buf[j] - '0' : buf[j] - 'a' + 10);
		if (j - i - c != STATE_CHECK_DIGITS)
			j = i;	/* said as malformed below */
	}
	if (i == m || j >= len || buf[j] != '\n' || (h->has_check && j == i)) {
		snprintf(err, errsize, "malformed header (expected '%sN%sC' and a newline)", STATE_MAGIC,
			 STATE_CHECK);
		return -1;
	}
	if (v < 1 || v > UINT_MAX) {
		snprintf(err, errsize, "the header's seq=%.*s is out of range (1..%u)", (int)(i - m),
			 buf + m, UINT_MAX);
		return -1;
	}
	h->seq = (unsigned int)v;
	h->check = check;
	h->len = j + 1;
	return 0;
}

#endif
