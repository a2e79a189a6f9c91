/* linebuf.c: see linebuf.h. */
#include "linebuf.h"
#include <errno.h>
#include <string.h>
#include <unistd.h>

long linebuf_fill(struct linebuf *lb, int fd)
{
	ssize_t n;

	if (lb->len == sizeof(lb->buf))
		return -1;	/* full: linebuf_next must drain first */
	do
		n = read(fd, lb->buf + lb->len, sizeof(lb->buf) - lb->len);
	while (n < 0 && errno == EINTR);
	if (n == 0)
		lb->eof = true;
	if (n > 0)
		lb->len += (size_t)n;
	return n < 0 ? -1 : n;
}

bool linebuf_next(struct linebuf *lb, char *out, size_t size)
{
	char *nl = memchr(lb->buf, '\n', lb->len);
	size_t take, copy;

	if (!nl && !(lb->len && (lb->eof || lb->len == sizeof(lb->buf))))
		return false;
	take = nl ? (size_t)(nl - lb->buf) + 1 : lb->len;
	copy = nl ? take - 1 : take;
	if (copy && lb->buf[copy - 1] == '\r')
		copy--;
	if (copy >= size)
		copy = size - 1;
	memcpy(out, lb->buf, copy);
	out[copy] = '\0';
	memmove(lb->buf, lb->buf + take, lb->len - take);
	lb->len -= take;
	return true;
}
