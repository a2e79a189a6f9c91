/*
 * statehdr.h: the header line of a guestview state file, defined once for
 * its writer (statefile.c) and its two readers: statefile.c, which hands
 * the stream after it to QEMU, and migstream.c, which reads the stream's
 * registers (gvstream regs/diff on a state file).  Inline because gvstream
 * links the stream reader without the harness's file handling.
 *
 * A state file is "GUESTVIEW-STATE seq=N\n" (N the guest's request,
 * 1..UINT_MAX, in decimal without a sign or leading spaces), then QEMU's
 * migration stream as QEMU wrote it ("QEVM" and a 4-byte version first).
 * An unfinished save starts with "GUESTVIEW-PARTIAL" instead.
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
/* Enough bytes of the file's start to hold any valid header. */
#define STATE_HEADER_MAX 64

/* Does buf (len bytes of a file's start) claim to be a state file? */
static inline bool state_header_claimed(const char *buf, size_t len)
{
	return len >= strlen(STATE_PREFIX) && !memcmp(buf, STATE_PREFIX, strlen(STATE_PREFIX));
}

/*
 * Parses the header at the start of buf (len bytes): 0 with the request in
 * *seq and the header's length (newline included) in *hlen, or -1 with why
 * in err.
 */
static inline int state_header_parse(const char *buf, size_t len, unsigned int *seq, size_t *hlen,
				     char *err, size_t errsize)
{
	size_t m = strlen(STATE_MAGIC), i;
	unsigned long long v = 0;

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
	if (i == m || i >= len || buf[i] != '\n') {
		snprintf(err, errsize, "malformed header (expected '%sN' and a newline)", STATE_MAGIC);
		return -1;
	}
	if (v < 1 || v > UINT_MAX) {
		snprintf(err, errsize, "the header's seq=%.*s is out of range (1..%u)", (int)(i - m),
			 buf + m, UINT_MAX);
		return -1;
	}
	*seq = (unsigned int)v;
	*hlen = i + 1;
	return 0;
}

#endif
