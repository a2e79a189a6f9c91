/* fpblock.c: see fpblock.h. */
#include "fpblock.h"
#include "fpformat.h"
#include <stdio.h>
#include <string.h>

static const void *open_by;	/* whose console is inside a fingerprint block */
static char held[16384];	/* stderr lines waiting for the block's end */
static size_t held_len;

static void release(void)
{
	open_by = NULL;
	fwrite(held, 1, held_len, stdout);
	held_len = 0;
}

void fpblock_console_line(const void *owner, const char *line)
{
	printf("%s\n", line);
	if (!strcmp(line, FP_BEGIN_MARKER))
		open_by = owner;
	else if (open_by == owner && !strcmp(line, FP_END_MARKER))
		release();
}

void fpblock_stderr_line(const char *name, const char *line)
{
	if (open_by) {
		int n = snprintf(held + held_len, sizeof(held) - held_len, "%s: %s\n", name, line);

		if (n >= 0 && (size_t)n < sizeof(held) - held_len) {
			held_len += (size_t)n;
			return;
		}
		/* More than a block's worth of stderr: out of place rather than lost. */
		fwrite(held, 1, held_len, stdout);
		held_len = 0;
	}
	printf("%s: %s\n", name, line);
}

void fpblock_owner_gone(const void *owner)
{
	if (open_by == owner)
		release();
}
