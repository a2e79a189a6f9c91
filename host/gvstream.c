/*
 * gvstream.c: the command line of gvstream, which names the CPU registers
 * in QEMU migration streams saved to files, and compares a migration
 * source's stream with a destination's (migstream.h reads the streams and
 * cpregdiff.h compares them, so the harness can call the same functions).
 */
#include "cpregdiff.h"
#include "jsonhex.h"
#include "migstream.h"
#include "regnames.h"

#include <json-c/json.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define EXIT_DIFFERS 1
#define EXIT_USAGE 2

static const char usage[] =
	"Usage: gvstream regs STREAM [--all-cpus] [--json]\n"
	"       gvstream diff SRC_STREAM DST_STREAM [--json] [-v|--verbose]\n"
	"\n"
	"STREAM is a QEMU migration stream saved to a file (QMP migrate to\n"
	"\"exec:cat > FILE\"), with the VM description QEMU writes at its end,\n"
	"or a state file of arm/run SAVE_STATE=FILE (gvmigrate --save): its\n"
	"\"GUESTVIEW-STATE seq=N\" line, then such a stream.\n"
	"\n"
	"  regs   the CPU register list (cpreg_vmstate_indexes/_values) of vCPU 0,\n"
	"         or of every vCPU with --all-cpus: name, KVM id, kind, value\n"
	"  diff   what a destination started like DST_STREAM's QEMU makes of a\n"
	"         guest from SRC_STREAM's: the registers it lacks, the ones it has\n"
	"         extra, and the read-only values (ID registers, firmware, CNTFRQ,\n"
	"         ...) that differ; -v also lists live state that differs\n"
	"\n"
	"Kinds: id, firmware, read-only (the guest cannot change them) and state.\n"
	"\n"
	"Exit status: 0 success (diff: same registers and read-only values),\n"
	"1 diff found a difference, 2 usage or input error (the message names the\n"
	"file and the byte offset).\n";

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "gvstream: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'gvstream --help'.\n");
	return EXIT_USAGE;
}

static void regs_text(const struct migstream *ms, const struct mig_cpu *c)
{
	char name[REGNAME_MAX];

	printf("# %s: machine %s, vCPU %" PRIu32 " of %" PRIu32 ", %" PRIu32 " registers\n", ms->path,
	       ms->machine, c->instance_id, ms->ncpus, c->nregs);
	for (uint32_t i = 0; i < c->nregs; i++) {
		enum reg_kind kind = regname(c->regs[i].id, name);

		printf("%-32s 0x%016" PRIx64 "  %-9s 0x%016" PRIx64 "\n", name, c->regs[i].id,
		       reg_kind_label(kind), c->regs[i].value);
	}
}

static json_object *regs_json(const struct mig_cpu *c)
{
	json_object *o = json_object_new_object(), *arr = json_object_new_array();
	char name[REGNAME_MAX];

	json_object_object_add(o, "vcpu", json_object_new_int64(c->instance_id));
	for (uint32_t i = 0; i < c->nregs; i++) {
		json_object *r = json_object_new_object();
		enum reg_kind kind = regname(c->regs[i].id, name);

		json_object_object_add(r, "name", json_object_new_string(name));
		json_object_object_add(r, "id", json_hex64(c->regs[i].id));
		json_object_object_add(r, "kind", json_object_new_string(reg_kind_label(kind)));
		json_object_object_add(r, "value", json_hex64(c->regs[i].value));
		json_object_array_add(arr, r);
	}
	json_object_object_add(o, "registers", arr);
	return o;
}

static int cmd_regs(int argc, char **argv)
{
	const char *path = NULL;
	bool all = false, json = false;
	struct migstream ms;
	struct mig_error err;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--all-cpus"))
			all = true;
		else if (!strcmp(argv[i], "--json"))
			json = true;
		else if (argv[i][0] == '-' && argv[i][1])
			return usage_error("regs: unknown option '%s'", argv[i]);
		else if (path)
			return usage_error("regs: one STREAM only ('%s' is one too many)", argv[i]);
		else
			path = argv[i];
	}
	if (!path)
		return usage_error("regs: no STREAM given");
	if (migstream_load(path, &ms, &err) != 0) {
		fprintf(stderr, "gvstream: %s\n", err.msg);
		return EXIT_USAGE;
	}
	if (json) {
		json_object *root = json_object_new_object(), *cpus = json_object_new_array();

		json_object_object_add(root, "file", json_object_new_string(ms.path));
		json_object_object_add(root, "machine", json_object_new_string(ms.machine));
		for (uint32_t i = 0; i < (all ? ms.ncpus : 1); i++)
			json_object_array_add(cpus, regs_json(&ms.cpus[i]));
		json_object_object_add(root, "vcpus", cpus);
		printf("%s\n", json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
							      JSON_C_TO_STRING_SPACED |
							      JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(root);
	} else {
		for (uint32_t i = 0; i < (all ? ms.ncpus : 1); i++)
			regs_text(&ms, &ms.cpus[i]);
	}
	migstream_free(&ms);
	return fflush(stdout) == 0 ? 0 : EXIT_USAGE;
}

static int cmd_diff(int argc, char **argv)
{
	const char *paths[2] = { NULL, NULL };
	unsigned int flags = 0, n = 0;
	struct migstream ms[2];
	struct mig_error err;
	struct cpreg_diff d;
	int status;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			flags |= CPREG_REPORT_JSON;
		else if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--verbose"))
			flags |= CPREG_REPORT_VERBOSE;
		else if (argv[i][0] == '-' && argv[i][1])
			return usage_error("diff: unknown option '%s'", argv[i]);
		else if (n == 2)
			return usage_error("diff: two streams only ('%s' is one too many)", argv[i]);
		else
			paths[n++] = argv[i];
	}
	if (n != 2)
		return usage_error("diff: SRC_STREAM and DST_STREAM needed");
	/* cpreg_diff_report_flags() without its error format: ours has the prefix. */
	for (n = 0; n < 2; n++) {
		if (migstream_load(paths[n], &ms[n], &err) != 0) {
			fprintf(stderr, "gvstream: %s\n", err.msg);
			if (n)
				migstream_free(&ms[0]);
			return EXIT_USAGE;
		}
	}
	if (cpreg_diff_compute(&d, &ms[0], &ms[1]) != 0) {
		fprintf(stderr, "gvstream: out of memory\n");
		status = EXIT_USAGE;
	} else {
		cpreg_diff_print(&d, stdout, flags);
		status = cpreg_diff_status(&d) ? EXIT_DIFFERS : 0;
		cpreg_diff_free(&d);
	}
	migstream_free(&ms[0]);
	migstream_free(&ms[1]);
	return fflush(stdout) == 0 ? status : EXIT_USAGE;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage_error("no subcommand (regs, diff)");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage, stdout);
		return 0;
	}
	if (!strcmp(argv[1], "regs"))
		return cmd_regs(argc - 2, argv + 2);
	if (!strcmp(argv[1], "diff"))
		return cmd_diff(argc - 2, argv + 2);
	return usage_error("unknown subcommand '%s' (regs, diff)", argv[1]);
}
