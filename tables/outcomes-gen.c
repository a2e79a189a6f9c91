/*
 * outcomes-gen.c: writes tables/outcomes.def for the languages that cannot
 * include it: `outcomes-gen bash` (sourced by arm/run and the runner) and
 * `outcomes-gen json` (read by scripts/matrix/report.py).  A C program
 * rather than cpp -P over a template: the meanings are free text, and
 * quoting them right for bash and JSON is easier in C than in macros.
 */
#include <stdio.h>
#include <string.h>

struct outcome_row {
	const char *token, *result, *meaning;
	int status, fails;
};

static const struct outcome_row rows[] = {
#define OUTCOME(token, status, result, fails, meaning) { #token, #result, meaning, status, fails },
#include "outcomes.def"
#undef OUTCOME
};
#define NROWS (sizeof(rows) / sizeof(rows[0]))

/* A bash word in single quotes. */
static void bash_str(const char *s)
{
	putchar('\'');
	for (; *s; s++)
		if (*s == '\'')
			fputs("'\\''", stdout);
		else
			putchar(*s);
	putchar('\'');
}

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++)
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	putchar('"');
}

static void bash(void)
{
	size_t i;

	puts("# tables/outcomes.bash: generated from tables/outcomes.def by tables/outcomes-gen; do not edit.\n"
	     "# OUTCOME_TOKENS: the tokens in table order; OUTCOME_STATUS[TOKEN], OUTCOME_RESULT[TOKEN],\n"
	     "# OUTCOME_FAILS[TOKEN] (1 or 0), OUTCOME_MEANING[TOKEN]; OUTCOME_BY_STATUS[STATUS] = TOKEN;\n"
	     "# EXIT_<TOKEN>=STATUS.");
	fputs("OUTCOME_TOKENS=(", stdout);
	for (i = 0; i < NROWS; i++)
		printf("%s%s", i ? " " : "", rows[i].token);
	puts(")");
	puts("declare -gA OUTCOME_STATUS=() OUTCOME_RESULT=() OUTCOME_FAILS=() OUTCOME_MEANING=() OUTCOME_BY_STATUS=()");
	for (i = 0; i < NROWS; i++) {
		const struct outcome_row *r = &rows[i];
		printf("OUTCOME_STATUS[%s]=%d OUTCOME_RESULT[%s]=%s OUTCOME_FAILS[%s]=%d OUTCOME_BY_STATUS[%d]=%s EXIT_%s=%d\n",
		       r->token, r->status, r->token, r->result, r->token, r->fails, r->status,
		       r->token, r->token, r->status);
		printf("OUTCOME_MEANING[%s]=", r->token);
		bash_str(r->meaning);
		putchar('\n');
	}
}

static void json(void)
{
	size_t i;

	puts("{\"source\": \"tables/outcomes.def\", \"outcomes\": [");
	for (i = 0; i < NROWS; i++) {
		const struct outcome_row *r = &rows[i];
		printf("  {\"token\": \"%s\", \"status\": %d, \"result\": \"%s\", \"fails\": %s, \"meaning\": ",
		       r->token, r->status, r->result, r->fails ? "true" : "false");
		json_str(r->meaning);
		printf("}%s\n", i + 1 < NROWS ? "," : "");
	}
	puts("]}");
}

int main(int argc, char **argv)
{
	/* A status listed twice would make the tables disagree: refuse it. */
	for (size_t i = 0; i < NROWS; i++)
		for (size_t j = i + 1; j < NROWS; j++)
			if (rows[i].status == rows[j].status || !strcmp(rows[i].token, rows[j].token)) {
				fprintf(stderr, "outcomes.def: %s and %s have the same token or status %d\n",
					rows[i].token, rows[j].token, rows[i].status);
				return 1;
			}
	if (argc == 2 && !strcmp(argv[1], "bash"))
		bash();
	else if (argc == 2 && !strcmp(argv[1], "json"))
		json();
	else {
		fprintf(stderr, "usage: outcomes-gen bash|json\n");
		return 2;
	}
	return fflush(stdout) ? 1 : 0;
}
