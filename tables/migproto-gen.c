/*
 * migproto-gen.c: writes tables/migproto.bash, the words of the console
 * protocol (tables/migproto.h) for the bash that watches a console
 * (arm/run), so that it recognises a guest's request by the very strings
 * the payload and gvmigrate are compiled with.
 */
#include <stdio.h>
#include <string.h>
#include "migproto.h"

/* word NAME VALUE: one assignment; the words are plain tokens, and a quote
 * in one would need escaping nobody here does: refuse it. */
static int word(const char *name, const char *value)
{
	if (strpbrk(value, "'\\\n")) {
		fprintf(stderr, "migproto-gen: %s \"%s\" has a quote, backslash or newline\n", name, value);
		return 1;
	}
	printf("%s='%s'\n", name, value);
	return 0;
}

int main(void)
{
	int bad = 0;

	printf("# tables/migproto.bash: generated from tables/migproto.h by tables/migproto-gen; do not edit.\n");
	printf("# shellcheck disable=SC2034 # read by what sources it\n");
	bad |= word("MIGPROTO", MIGPROTO);
	bad |= word("MIGPROTO_REQUEST", MIGPROTO_REQUEST);
	bad |= word("MIGPROTO_CLOCK", MIGPROTO_CLOCK);
	bad |= word("MIGPROTO_SKIP", MIGPROTO_SKIP);
	bad |= word("MIGPROTO_ACK", MIGPROTO_ACK);
	return bad || fflush(stdout) != 0;
}
