/*
 * diagnose.c: the CPU registers behind a refused migration.  QEMU's error
 * names no register; the cpreg lists in the two configurations' migration
 * streams do.  Each configuration is started fresh and paused, its state
 * saved to a file, and the two lists compared (host/cpregdiff.c).  A
 * refused restore compares the saved state's own stream (gvstream reads
 * state files) with a fresh one of the restoring configuration.
 */
#include "gvmigrate.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cpregdiff.h"

static int save_fresh(struct run *r, int cfg, const char *path)
{
	struct vm vm;
	char err[256], uri[128], *argv[256];
	int n = 0, fd, rc = -1;
	uint64_t deadline = now_ms() + 20000;

	/* The configuration, paused at its first instruction. */
	for (; r->config[cfg][n] && n < 254; n++)
		argv[n] = r->config[cfg][n];
	argv[n++] = "-S";
	argv[n] = NULL;
	if (deadline > r->deadline)
		deadline = r->deadline;
	if (vm_start(&vm, cfg ? "destination config" : "source config", argv, r->dir, false, NULL))
		return -1;
	evloop_add(&r->ev, &vm);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd >= 0 && !qmp_handshake(&r->ev, &vm, deadline) &&
	    !migration_caps(&r->ev, &vm, false, deadline) &&
	    !qmp_stream_file(&r->ev, &vm, fd, "gvdiag", 0, uri, sizeof(uri), deadline))
		rc = migrate_run(&r->ev, &vm, NULL, uri, err, sizeof(err), deadline);
	if (fd >= 0)
		close(fd);
	evloop_del(&r->ev, &vm);
	vm_stop(&vm);
	return rc;
}

/*
 * Where the two streams go: GUESTVIEW_DIAG_DIR (run_tests.sh gives each
 * test logs/<test>.diag), kept so that the report's hint can be followed;
 * else the run's private directory, removed with it.
 */
static const char *diag_dir(struct run *r, bool *kept)
{
	const char *dir = getenv("GUESTVIEW_DIAG_DIR");
	struct stat st;

	*kept = false;
	if (!dir || !*dir)
		return r->dir;
	if (mkdir(dir, 0700) && errno != EEXIST) {
		printf("gvmigrate: GUESTVIEW_DIAG_DIR %s: %s; the streams are not kept\n", dir, strerror(errno));
		return r->dir;
	}
	if (lstat(dir, &st) || !S_ISDIR(st.st_mode) || st.st_uid != geteuid()) {
		printf("gvmigrate: GUESTVIEW_DIAG_DIR %s: not a directory of ours; the streams are not kept\n", dir);
		return r->dir;
	}
	*kept = true;
	return dir;
}

/*
 * The destination's -machine option with its type replaced by machine: what
 * to give the destination.  QEMU takes the last -machine/-M; one without a
 * type first (type=..., or none) is suggested as a plain "-machine TYPE".
 */
static void machine_option(char **argv, const char *machine, char *buf, size_t n)
{
	const char *val = NULL, *rest;

	for (int i = 1; argv[i] && argv[i + 1]; i++)
		if (!strcmp(argv[i], "-machine") || !strcmp(argv[i], "-M"))
			val = argv[i + 1];
	rest = val ? strchr(val, ',') : NULL;
	/* The first element is the type unless it is a key=value. */
	if (val && memchr(val, '=', rest ? (size_t)(rest - val) : strlen(val)))
		rest = NULL;
	snprintf(buf, n, "-machine %s%s", machine, rest ? rest : "");
}

/*
 * Compare the stream the destination got (src) with one of the destination's
 * configuration (dst): the one-line verdict first, the machine types when
 * they differ (QEMU refuses that before any register), then the registers.
 */
static void diagnose(struct run *r, const char *src, const char *dst, int dst_cfg, bool kept,
		     bool restore, const char *title, FILE *out)
{
	struct migstream ms[2];
	struct mig_error e;
	struct cpreg_diff d;
	char opt[256];

	if (migstream_load(src, &ms[0], &e)) {
		fprintf(out, "cannot compare the CPU registers: %s\n", e.msg);
		return;
	}
	if (migstream_load(dst, &ms[1], &e)) {
		fprintf(out, "cannot compare the CPU registers: %s\n", e.msg);
		migstream_free(&ms[0]);
		return;
	}
	if (cpreg_diff_compute(&d, &ms[0], &ms[1])) {
		fprintf(out, "cannot compare the CPU registers: out of memory\n");
	} else {
		cpreg_diff_verdict(&d, out);
		if (strcmp(ms[0].machine, ms[1].machine) && strcmp(ms[0].machine, "unknown") &&
		    strcmp(ms[1].machine, "unknown")) {
			machine_option(r->config[dst_cfg], ms[0].machine, opt, sizeof(opt));
			if (restore)
				fprintf(out, "machine type: the state was saved on %s, the restoring command "
					"makes %s: add %s to the restoring command\n", ms[0].machine,
					ms[1].machine, opt);
			else
				fprintf(out, "machine type: the source runs %s, the destination %s: give the "
					"destination %s (arm/run: DEST_PARAMS='%s')\n", ms[0].machine,
					ms[1].machine, opt, opt);
		}
		fprintf(out, "CPU registers, %s:\n", title);
		cpreg_diff_print(&d, out, kept ? 0 : CPREG_REPORT_TRANSIENT);
		cpreg_diff_uncompared(&d, out);
		cpreg_diff_free(&d);
	}
	migstream_free(&ms[0]);
	migstream_free(&ms[1]);
}

void diagnose_cpregs(struct run *r, int src_cfg, int dst_cfg, FILE *out)
{
	char a[PATH_MAX], b[PATH_MAX];
	bool kept;
	const char *dir = diag_dir(r, &kept);

	snprintf(a, sizeof(a), "%s/diag-source.stream", dir);
	snprintf(b, sizeof(b), "%s/diag-destination.stream", dir);
	if (save_fresh(r, src_cfg, a) || save_fresh(r, dst_cfg, b)) {
		fprintf(out, "could not save the two configurations' states to compare their CPU registers\n");
	} else {
		diagnose(r, a, b, dst_cfg, kept, false, "source configuration against destination configuration",
			 out);
	}
	if (!kept) {
		unlink(a);
		unlink(b);
	}
}

void diagnose_restore(struct run *r, FILE *out)
{
	char b[PATH_MAX];
	bool kept;
	const char *dir = diag_dir(r, &kept);

	snprintf(b, sizeof(b), "%s/diag-destination.stream", dir);
	if (save_fresh(r, 1, b))
		fprintf(out, "could not save the restoring configuration's state to compare its CPU registers\n");
	else
		diagnose(r, r->restore, b, 1, kept, true, "the saved state against the restoring configuration",
			 out);
	if (!kept)
		unlink(b);
}
