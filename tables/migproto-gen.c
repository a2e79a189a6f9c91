/*
 * migproto-gen.c: writes the words of tables/migproto.h for the languages
 * that cannot include it, so that every reader recognises a line by the
 * very strings the payload and gvmigrate are compiled with:
 *
 *   migproto-gen [bash]   tables/migproto.bash, sourced by the bash that
 *                         watches a console (arm/run)
 *   migproto-gen json     tables/migproto.json, for Python (the kernel
 *                         matrix reads gvmigrate's LEG lines with it)
 *
 * One table below serves both, so a word added to migproto.h is added
 * here once.
 */
#include <stdio.h>
#include <string.h>
#include "migproto.h"

#define W(name) { #name, name }
static const struct { const char *name, *value; } words[] = {
	W(MIGPROTO), W(MIGPROTO_REQUEST), W(MIGPROTO_CLOCK), W(MIGPROTO_SKIP), W(MIGPROTO_ACK),
	W(MIGPROTO_SEQ), W(MIGPROTO_HOST_NS), W(MIGPROTO_REASON),
	W(MIGLINK), W(MIGLINK_CHALLENGE), W(MIGLINK_HELLO), W(MIGLINK_READY), W(MIGLINK_REFUSED),
	W(MIGLINK_NONCE), W(MIGLINK_MAC),
	W(MIGLEG_PREFIX), W(MIGLEG), W(MIGLEG_OUT), W(MIGLEG_IN),
	W(MIGLEG_REQUEST_MS), W(MIGLEG_TOTAL_MS), W(MIGLEG_DOWNTIME_MS), W(MIGLEG_SETUP_MS),
	W(MIGLEG_RESULT), W(MIGLEG_DONE), W(MIGLEG_REFUSED), W(MIGLEG_DIED), W(MIGLEG_STALLED),
	W(MIGLEG_UNREACHABLE), W(MIGLEG_CANCELLED), W(MIGLEG_FAILED),
	W(MIGROLE_LISTENING),
};
#define NWORDS (sizeof(words) / sizeof(words[0]))

/* The LEG line's fields, in the order gvmigrate prints them (names without "="). */
static const char *const leg_fields[] = {
	MIGLEG_REQUEST_MS, MIGLEG_TOTAL_MS, MIGLEG_DOWNTIME_MS, MIGLEG_SETUP_MS,
};

static void bash(void)
{
	printf("# tables/migproto.bash: generated from tables/migproto.h by tables/migproto-gen; do not edit.\n");
	printf("# shellcheck disable=SC2034 # read by what sources it\n");
	for (size_t i = 0; i < NWORDS; i++)
		printf("%s='%s'\n", words[i].name, words[i].value);
}

static void json(void)
{
	printf("{\"source\": \"tables/migproto.h\",\n \"words\": {\n");
	for (size_t i = 0; i < NWORDS; i++)
		printf("  \"%s\": \"%s\"%s\n", words[i].name, words[i].value, i + 1 < NWORDS ? "," : "");
	printf(" },\n \"leg_fields\": [");
	for (size_t i = 0; i < sizeof(leg_fields) / sizeof(leg_fields[0]); i++)
		printf("%s\"%.*s\"", i ? ", " : "", (int)strcspn(leg_fields[i], "="), leg_fields[i]);
	printf("]}\n");
}

int main(int argc, char **argv)
{
	/*
	 * The words are plain tokens: one that needed quoting (a quote,
	 * backslash or control character, for bash or JSON) is refused rather
	 * than escaped, and so is a field without its "=".
	 */
	for (size_t i = 0; i < NWORDS; i++)
		for (const char *c = words[i].value; *c; c++)
			if (strchr("'\"\\", *c) || (unsigned char)*c < 0x20) {
				fprintf(stderr, "migproto-gen: %s \"%s\" has a quote, backslash or control "
					"character\n", words[i].name, words[i].value);
				return 1;
			}
	for (size_t i = 0; i < sizeof(leg_fields) / sizeof(leg_fields[0]); i++)
		if (!strchr(leg_fields[i], '=')) {
			fprintf(stderr, "migproto-gen: LEG field \"%s\" has no '='\n", leg_fields[i]);
			return 1;
		}
	if (argc == 1 || (argc == 2 && !strcmp(argv[1], "bash")))
		bash();
	else if (argc == 2 && !strcmp(argv[1], "json"))
		json();
	else {
		fprintf(stderr, "usage: migproto-gen [bash|json]\n");
		return 2;
	}
	return fflush(stdout) != 0;
}
