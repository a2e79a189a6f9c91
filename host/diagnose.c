/*
 * diagnose.c: the CPU registers behind a refused migration.  QEMU's error
 * names no register; the cpreg lists in the two configurations' migration
 * streams do.  Each configuration is started fresh and paused, its state
 * saved to a file, and the two lists compared (host/cpregdiff.c).
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
	char err[256], *argv[256];
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
	    !qmp_pass_fd(&r->ev, &vm, fd, "gvdiag", deadline))
		rc = migrate_run(&r->ev, &vm, NULL, "fd:gvdiag", err, sizeof(err), deadline);
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

void diagnose_cpregs(struct run *r, int src_cfg, int dst_cfg, FILE *out)
{
	char a[PATH_MAX], b[PATH_MAX];
	bool kept;
	const char *dir = diag_dir(r, &kept);

	snprintf(a, sizeof(a), "%s/diag-source.stream", dir);
	snprintf(b, sizeof(b), "%s/diag-destination.stream", dir);
	if (save_fresh(r, src_cfg, a) || save_fresh(r, dst_cfg, b)) {
		fprintf(out, "could not save the two configurations' states to compare their CPU registers\n");
		return;
	}
	fprintf(out, "CPU registers, source configuration against destination configuration:\n");
	cpreg_diff_report(a, b, out, kept ? 0 : CPREG_REPORT_TRANSIENT);
	if (!kept) {
		unlink(a);
		unlink(b);
	}
}
