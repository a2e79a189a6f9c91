/*
 * fpblock_test.c: gvmigrate's output keeps a fingerprint block whole
 * (host/fpblock.c): stderr lines that come while a console is inside a
 * block wait for its end line, or for that console to end; none is lost.
 */
#include "fpblock.h"
#include "fpformat.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int failures;
static char path[] = "/tmp/fpblock-test.XXXXXX";

static void check(int ok, const char *what)
{
	printf("%s - %s\n", ok ? "ok" : "not ok", what);
	failures += !ok;
}

/* What was printed since the last call (stdout goes to the file), then forget it. */
static char *printed(void)
{
	static char buf[1 << 20];
	FILE *f;
	size_t n;

	fflush(stdout);
	f = fopen(path, "r");
	n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
	buf[n] = '\0';
	if (f)
		fclose(f);
	if (!freopen(path, "w", stdout))
		exit(98);
	return buf;
}

int main(void)
{
	int fd = mkstemp(path), a, b, lines = 0;
	FILE *real = fdopen(dup(1), "w");
	char *out;

	if (fd < 0 || !real || !freopen(path, "w", stdout))
		return 98;
	/* The checks' own lines go to the real stdout. */
#define CHECK(ok, what) do { FILE *o = stdout; stdout = real; check(ok, what); fflush(real); stdout = o; } while (0)

	fpblock_console_line(&a, "before");
	fpblock_stderr_line("destination 1", "outside a block");
	out = printed();
	CHECK(!strcmp(out, "before\ndestination 1: outside a block\n"), "outside a block, a stderr line comes at once");

	fpblock_console_line(&a, FP_BEGIN_MARKER);
	fpblock_console_line(&a, "k1 v1");
	fpblock_stderr_line("destination 1", "qemu-system-aarch64: warning: -mon is deprecated");
	fpblock_console_line(&b, FP_END_MARKER);
	fpblock_console_line(&a, "k2 v2");
	fpblock_console_line(&a, FP_END_MARKER);
	fpblock_console_line(&a, "after");
	out = printed();
	CHECK(!strcmp(out, FP_BEGIN_MARKER "\nk1 v1\n" FP_END_MARKER "\nk2 v2\n" FP_END_MARKER
		  "\ndestination 1: qemu-system-aarch64: warning: -mon is deprecated\nafter\n"),
	      "inside a block, a stderr line waits for the block's own end (not another console's end line)");

	fpblock_console_line(&a, FP_BEGIN_MARKER);
	fpblock_stderr_line("source", "held");
	fpblock_owner_gone(&b);
	fpblock_owner_gone(&a);
	fpblock_stderr_line("source", "later");
	out = printed();
	CHECK(!strcmp(out, FP_BEGIN_MARKER "\nsource: held\nsource: later\n"),
	      "a console that ends inside its block lets the held lines out, and later ones come at once");

	fpblock_console_line(&a, FP_BEGIN_MARKER);
	for (int i = 0; i < 2000; i++)
		fpblock_stderr_line("destination 2", "a line of stderr that is long enough to fill the buffer");
	fpblock_console_line(&a, FP_END_MARKER);
	out = printed();
	for (char *p = out; (p = strstr(p, "destination 2: ")); p++)
		lines++;
	CHECK(lines == 2000, "more stderr than the buffer holds: every line printed, none lost");
	unlink(path);
	return failures;
}
