/*
 * gvfp.c: the command line of gvfp, the guestview fingerprint tool.
 * Each subcommand reads its files whole (bounded, fingerprint.h), and
 * reports a bad input as "FILE:LINE: what" with exit status 2.
 */
#include "decode.h"
#include "diff.h"
#include "fingerprint.h"
#include "idregs.h"
#include "keys.h"
#include "show.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define EXIT_INCOMPATIBLE 1
#define EXIT_USAGE 2

static const char usage_main[] =
	"Usage: gvfp SUBCOMMAND [OPTIONS] FILE...\n"
	"\n"
	"gvfp reads the fingerprints that guestview payloads print: what a guest\n"
	"sees of its virtual CPU (ID registers, firmware, GIC, timer, PMU, probes).\n"
	"\n"
	"Subcommands:\n"
	"  extract [--nth N] LOG [-o OUT]  take the Nth fingerprint out of a console log\n"
	"  show FP [--json]                every key with its value, fields decoded\n"
	"  diff A B [--json]               compare migration source A with destination B\n"
	"  check FP                        evaluate the table's rules between ID fields\n"
	"  table [--json]                  the registers, fields and rules gvfp knows\n"
	"  keys [FP]                       which table describes each key of FP\n"
	"\n"
	"'gvfp SUBCOMMAND --help' tells more.  A file name '-' is standard input.\n"
	"\n"
	"Exit status: 0 success (diff: no difference that affects compatibility;\n"
	"check: every rule holds), 1 diff found an incompatible difference or check\n"
	"a failing rule, 2 usage or input error (the message names file and line).\n";

static const char usage_extract[] =
	"Usage: gvfp extract [--nth N] LOG [-o OUT]\n"
	"\n"
	"Finds the Nth fingerprint (default the first) in a console log, between the\n"
	"whole lines '" FP_BEGIN_MARKER "' and\n"
	"'" FP_END_MARKER "', checks it completely and writes it\n"
	"without the markers (and without '\\r' line ends) to OUT or standard output.\n"
	"Other lines of the log are ignored.\n"
	"\n"
	"Options:\n"
	"  --nth N        the Nth fingerprint of the log, counting from 1\n"
	"  -o, --output OUT  write to OUT instead of standard output\n"
	"\n"
	"Exit status: 0 written, 2 usage error, no such fingerprint or a bad one.\n";

static const char usage_show[] =
	"Usage: gvfp show FP [--json]\n"
	"\n"
	"Shows every key of the fingerprint FP with its value and what it means:\n"
	"sysreg values field by field from the register table (kind in parentheses,\n"
	"signed fields as -1 for 0xf; CCSIDR_EL1 by the fingerprint's own\n"
	"ID_AA64MMFR2_EL1.CCIDX), set bits outside named fields, the register behind\n"
	"each idspace slot, firmware versions and return codes, GIC registers field\n"
	"by field, the timer frequency.\n"
	"\n"
	"Options:\n"
	"  --json         one JSON document instead of text\n"
	"\n"
	"Exit status: 0 shown, 2 usage or input error.\n";

static const char usage_diff[] =
	"Usage: gvfp diff A B [--json]\n"
	"\n"
	"Compares fingerprint A (migration source) with B (destination) and judges\n"
	"each difference:\n"
	"  breaks forward   a guest running on A loses something when moved to B\n"
	"  breaks backward  moving it back from B to A would lose something\n"
	"  breaks both      any change matters (must-match fields, unknown bits,\n"
	"                   GIC, timer, most firmware answers)\n"
	"  info             identification only, no compatibility effect\n"
	"Feature fields lower on B break forward and higher break backward; fields\n"
	"where lower is more the opposite.  A key only on A is 'missing on\n"
	"destination' (breaks forward), only on B 'new on destination' (backward).\n"
	"\n"
	"Options:\n"
	"  --json         one JSON document instead of text\n"
	"\n"
	"Exit status: 0 identical or information-only differences, 1 a difference\n"
	"that breaks migration in either direction, 2 usage or input error.\n";

static const char usage_check[] =
	"Usage: gvfp check FP\n"
	"\n"
	"Evaluates every rule of the register table (relations the architecture\n"
	"requires between ID fields) against the fingerprint's sysreg.<NAME> values,\n"
	"and prints each failing rule with its citation.  Registers the fingerprint\n"
	"lacks, or could not read, count as 0.\n"
	"\n"
	"Exit status: 0 every rule holds, 1 a rule fails, 2 usage or input error.\n";

static const char usage_table[] =
	"Usage: gvfp table [--json]\n"
	"\n"
	"Lists the registers (encoding, scope, presence), their fields (bits, kind:\n"
	"feat, sfeat, feat-impdef, lower, exact, info; layout) and the rules gvfp was\n"
	"built with.\n"
	"\n"
	"Exit status: 0.\n";

static const char usage_keys[] =
	"Usage: gvfp keys [FP]\n"
	"\n"
	"With FP: one line per key, 'KEY TABLE ENTRY', TABLE the table that\n"
	"describes the key (idregs.def, firmware.def, devkeys.def; probes.def for\n"
	"probe keys, which gvfp does not look up) or 'none', ENTRY the key as\n"
	"firmware.def or devkeys.def lists it (gic.cpuN.GICR_TYPER), else '-'.\n"
	"Without: every ENTRY of firmware.def and devkeys.def, 'ENTRY TABLE'.\n"
	"\n"
	"Exit status: 0, 1 a key of FP that no table describes, 2 usage or input\n"
	"error.\n";

static int usage_error(const char *cmd, const char *usage, const char *fmt, const char *arg)
{
	fprintf(stderr, "gvfp%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	/* the usage line only: the rest is for --help */
	fprintf(stderr, "%.*s", (int)(strchr(usage, '\n') - usage + 1), usage);
	return EXIT_USAGE;
}

/* The arguments of a subcommand, parsed. */
struct args {
	const char *pos[3];
	int npos;
	bool json, help;
	const char *output;
	unsigned int nth;
};

/*
 * Options may come before or after the file names; "--" ends them.  The
 * flags a subcommand takes are in allowed (letters: j --json, n --nth,
 * o -o/--output).  Returns 0, or the exit status of a usage error.
 */
static int parse_args(const char *cmd, const char *usage, int argc, char **argv,
		      const char *allowed, int maxpos, struct args *a)
{
	bool opts = true;

	memset(a, 0, sizeof(*a));
	a->nth = 1;
	for (int i = 0; i < argc; i++) {
		const char *s = argv[i];
		const char *val = NULL;

		if (opts && !strcmp(s, "--")) {
			opts = false;
		} else if (opts && (!strcmp(s, "--help") || !strcmp(s, "-h"))) {
			a->help = true;
		} else if (opts && !strcmp(s, "--json") && strchr(allowed, 'j')) {
			a->json = true;
		} else if (opts && strchr(allowed, 'n') &&
			   (!strcmp(s, "--nth") || !strncmp(s, "--nth=", 6))) {
			val = s[5] == '=' ? s + 6 : (i + 1 < argc ? argv[++i] : NULL);
			char *end;
			errno = 0;
			unsigned long n = val ? strtoul(val, &end, 10) : 0;
			if (!val || !*val || *end || errno || n < 1 || n > 1000000 || *val == '-' || *val == '+')
				return usage_error(cmd, usage, "--nth: expected a number from 1, got '%s'",
						   val ? val : "nothing");
			a->nth = (unsigned int)n;
		} else if (opts && strchr(allowed, 'o') &&
			   (!strcmp(s, "-o") || !strcmp(s, "--output") || !strncmp(s, "--output=", 9))) {
			val = s[1] == '-' && s[8] == '=' ? s + 9 : (i + 1 < argc ? argv[++i] : NULL);
			if (!val || !*val)
				return usage_error(cmd, usage, "%s: expected a file name", s);
			a->output = val;
		} else if (opts && s[0] == '-' && s[1]) {
			return usage_error(cmd, usage, "unknown option '%s'", s);
		} else if (a->npos == maxpos) {
			return usage_error(cmd, usage, "unexpected argument '%s'", s);
		} else {
			a->pos[a->npos++] = s;
		}
	}
	return 0;
}

/*
 * not_a_file: what PATH is when it is there and is no regular file (after
 * symlinks), else NULL.  Checked by stat(), which does not block: opening a
 * FIFO nobody writes to waits for ever (gvfp show FIFO hung), a device
 * never ends.  Standard input ("-") may be a pipe: that is what "-" is for.
 */
static const char *not_a_file(const char *path)
{
	struct stat st;

	if (!strcmp(path, "-") || stat(path, &st) || S_ISREG(st.st_mode))
		return NULL;
	if (S_ISFIFO(st.st_mode))
		return "a FIFO";
	if (S_ISDIR(st.st_mode))
		return "a directory";
	if (S_ISSOCK(st.st_mode))
		return "a socket";
	return "a device";
}

/* Reads FILE whole, a regular file or "-": 0, or prints the error and -1. */
static int read_input(const char *path, char **buf, size_t *len)
{
	struct fp_error err;
	const char *what = not_a_file(path);

	if (what) {
		fprintf(stderr, "%s: is %s, not a regular file (give a file, or '-' for standard input)\n",
			path, what);
		return -1;
	}
	if (fp_read_file(path, buf, len, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	return 0;
}

/* Reads and parses a fingerprint file: 0, or prints the error and -1. */
static int load(const char *path, struct fingerprint *fp, char **buf)
{
	struct fp_error err;
	size_t len;
	const char *name = strcmp(path, "-") ? path : "<stdin>";

	*buf = NULL;
	memset(fp, 0, sizeof(*fp));
	if (read_input(path, buf, &len))
		return -1;
	if (len == 0) {
		fprintf(stderr, "%s:1: empty file: expected a first line '%s'\n", name, FP_HEADER);
		return -1;
	}
	if (fp_parse(fp, name, *buf, len, 1, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	return 0;
}

/* Flushes standard output: a failed write is an error too. */
static int finish_stdout(int status)
{
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "gvfp: writing standard output: %s\n", strerror(errno));
		return EXIT_USAGE;
	}
	return status;
}

/* The checked values, rewritten: no '\r', exactly the canonical form. */
static void write_canonical(FILE *out, const struct fingerprint *fp)
{
	char v[32];

	fprintf(out, "%s\n", FP_HEADER);
	for (size_t i = 0; i < fp->n; i++) {
		fp_value_str(&fp->e[i].val, v, sizeof(v));
		fprintf(out, "%s %s\n", fp->e[i].key, v);
	}
}

static int cmd_extract(int argc, char **argv)
{
	struct args a;
	struct fp_error err;
	struct fp_block blk;
	struct fingerprint fp;
	char *buf;
	size_t len;
	int rc = parse_args("extract", usage_extract, argc, argv, "no", 1, &a);

	if (rc)
		return rc;
	if (a.help) {
		fputs(usage_extract, stdout);
		return finish_stdout(0);
	}
	if (a.npos != 1)
		return usage_error("extract", usage_extract, "%s", "expected one console log");
	const char *name = strcmp(a.pos[0], "-") ? a.pos[0] : "<stdin>";
	if (read_input(a.pos[0], &buf, &len))
		return EXIT_USAGE;
	if (fp_find_block(name, buf, len, a.nth, &blk, &err) ||
	    fp_parse(&fp, name, buf + blk.start, blk.len, blk.first_line, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		free(buf);
		return EXIT_USAGE;
	}
	if (!a.output) {
		write_canonical(stdout, &fp);
		rc = finish_stdout(0);
		goto done;
	}
	/* A FIFO nobody reads would block the open for ever; a device such as
	 * /dev/null is a choice, a directory fails the open with its reason. */
	const char *what = not_a_file(a.output);
	if (what && !strcmp(what, "a FIFO")) {
		fprintf(stderr, "gvfp extract: %s: is %s, not a regular file (-o writes a file)\n", a.output, what);
		rc = EXIT_USAGE;
		goto done;
	}
	FILE *out = fopen(a.output, "w");
	if (!out) {
		fprintf(stderr, "gvfp extract: %s: cannot create: %s\n", a.output, strerror(errno));
		rc = EXIT_USAGE;
		goto done;
	}
	write_canonical(out, &fp);
	if (ferror(out) | fclose(out)) {	/* both: fclose also flushes */
		fprintf(stderr, "gvfp extract: %s: write failed: %s\n", a.output, strerror(errno));
		rc = EXIT_USAGE;
	}
done:
	fp_free(&fp);
	free(buf);
	return rc;
}

static int cmd_show(int argc, char **argv)
{
	struct args a;
	struct fingerprint fp;
	char *buf;
	int rc = parse_args("show", usage_show, argc, argv, "j", 1, &a);

	if (rc)
		return rc;
	if (a.help) {
		fputs(usage_show, stdout);
		return finish_stdout(0);
	}
	if (a.npos != 1)
		return usage_error("show", usage_show, "%s", "expected one fingerprint file");
	if (load(a.pos[0], &fp, &buf)) {
		fp_free(&fp);
		free(buf);
		return EXIT_USAGE;
	}
	if (a.json)
		show_json(&fp, stdout);
	else
		show_text(&fp, stdout);
	fp_free(&fp);
	free(buf);
	return finish_stdout(0);
}

static int cmd_diff(int argc, char **argv)
{
	struct args a;
	struct fingerprint fa, fb;
	struct diff d;
	char *ba, *bb = NULL;
	int rc = parse_args("diff", usage_diff, argc, argv, "j", 2, &a);

	if (rc)
		return rc;
	if (a.help) {
		fputs(usage_diff, stdout);
		return finish_stdout(0);
	}
	if (a.npos != 2)
		return usage_error("diff", usage_diff, "%s", "expected two fingerprint files, source and destination");
	if (!strcmp(a.pos[0], "-") && !strcmp(a.pos[1], "-"))
		return usage_error("diff", usage_diff, "%s", "only one of A and B can be standard input");
	memset(&fb, 0, sizeof(fb));
	if (load(a.pos[0], &fa, &ba) || load(a.pos[1], &fb, &bb)) {
		rc = EXIT_USAGE;
		goto done;
	}
	diff_compute(&d, &fa, &fb);
	if (a.json)
		diff_print_json(&d, stdout);
	else
		diff_print(&d, stdout);
	rc = finish_stdout(diff_status(&d) ? EXIT_INCOMPATIBLE : 0);
	diff_free(&d);
done:
	fp_free(&fa);
	fp_free(&fb);
	free(ba);
	free(bb);
	return rc;
}

static int cmd_check(int argc, char **argv)
{
	struct args a;
	struct fingerprint fp;
	char *buf;
	uint64_t values[NR_IDREGS + 1];
	int rc = parse_args("check", usage_check, argc, argv, "", 1, &a), failed = 0, absent = 0;

	if (rc)
		return rc;
	if (a.help) {
		fputs(usage_check, stdout);
		return finish_stdout(0);
	}
	if (a.npos != 1)
		return usage_error("check", usage_check, "%s", "expected one fingerprint file");
	if (load(a.pos[0], &fp, &buf)) {
		fp_free(&fp);
		free(buf);
		return EXIT_USAGE;
	}
	/* values[] by register id, from the VM-wide sysreg.<NAME> keys */
	char absent_names[512] = "";
	size_t used = 0;
	memset(values, 0, sizeof(values));
	for (int r = 0; r < NR_IDREGS; r++) {
		char key[FP_MAX_KEY + 16];
		const struct fp_entry *e;

		if (idregs[r].scope != SCOPE_VM)
			continue;
		snprintf(key, sizeof(key), "sysreg.%s", idregs[r].name);
		e = fp_find(&fp, key);
		if (e && e->val.kind == VAL_HEX) {
			values[r] = e->val.v;
			continue;
		}
		/* named in the note: up to 8, then a count */
		if (absent++ < 8 && used < sizeof(absent_names)) {
			char v[32] = "absent";
			if (e)
				fp_value_str(&e->val, v, sizeof(v));
			used += (size_t)snprintf(absent_names + used, sizeof(absent_names) - used, "%s%s (%s)",
						 used ? ", " : "", idregs[r].name, v);
		}
	}
	for (int i = 0; i < NR_IDRULES; i++) {
		if (idrule_holds((enum idrule_id)i, values))
			continue;
		failed++;
		printf("FAIL %s: %s\n", idrules[i].name, idrules[i].citation);
	}
	if (failed)
		printf("%s: %d of %d rules fail\n", fp.file, failed, NR_IDRULES);
	else
		printf("%s: all %d rules hold\n", fp.file, NR_IDRULES);
	if (absent)
		printf("note: %d register%s read as 0, absent or unreadable: %s%s\n", absent,
		       absent == 1 ? "" : "s", absent_names, absent > 8 ? ", ..." : "");
	fp_free(&fp);
	free(buf);
	return finish_stdout(failed ? EXIT_INCOMPATIBLE : 0);
}

static int cmd_table(int argc, char **argv)
{
	struct args a;
	int rc = parse_args("table", usage_table, argc, argv, "j", 0, &a);

	if (rc)
		return rc;
	if (a.help) {
		fputs(usage_table, stdout);
		return finish_stdout(0);
	}
	if (a.json)
		table_json(stdout);
	else
		table_text(stdout);
	return finish_stdout(0);
}

static int cmd_keys(int argc, char **argv)
{
	struct args a;
	struct fingerprint fp;
	char *buf;
	size_t unknown;
	int rc = parse_args("keys", usage_keys, argc, argv, "", 1, &a);

	if (rc)
		return rc;
	if (a.help) {
		fputs(usage_keys, stdout);
		return finish_stdout(0);
	}
	if (a.npos == 0) {
		keys_of_tables(stdout);
		return finish_stdout(0);
	}
	if (load(a.pos[0], &fp, &buf)) {
		fp_free(&fp);
		free(buf);
		return EXIT_USAGE;
	}
	unknown = keys_of_fingerprint(&fp, stdout);
	fp_free(&fp);
	free(buf);
	return finish_stdout(unknown ? EXIT_INCOMPATIBLE : 0);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(int argc, char **argv);
	} cmds[] = {
		{ "extract", cmd_extract }, { "show", cmd_show }, { "diff", cmd_diff },
		{ "check", cmd_check }, { "table", cmd_table }, { "keys", cmd_keys },
	};

	if (argc < 2) {
		fputs(usage_main, stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		fputs(usage_main, stdout);
		return finish_stdout(0);
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].run(argc - 2, argv + 2);
	return usage_error(NULL, usage_main, "unknown subcommand '%s' (extract, show, diff, check, table, keys)", argv[1]);
}
