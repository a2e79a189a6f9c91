/*
 * linebuf.h: bytes from a pipe or socket, handed out as whole lines.  A
 * line longer than the buffer is handed out in pieces (flagged), never
 * dropped silently and never grown without bound.
 */
#ifndef GUESTVIEW_LINEBUF_H
#define GUESTVIEW_LINEBUF_H
#include <stdbool.h>
#include <stddef.h>

#define LINEBUF_SIZE 8192

struct linebuf {
	char buf[LINEBUF_SIZE];
	size_t len;
	bool eof;
};

/*
 * Read what fd has (non-blocking).  Returns the bytes read, 0 at end of
 * file (then eof is set), -1 when nothing was ready or on error.
 */
long linebuf_fill(struct linebuf *lb, int fd);
/*
 * The next complete line without its '\n' (and a trailing '\r'), NUL-
 * terminated in out; false when no whole line is buffered.  At eof, or when
 * the buffer is full, the rest counts as a line.
 */
bool linebuf_next(struct linebuf *lb, char *out, size_t size);

#endif
