/*
 * gvmigrate: migrate a running guestview payload between two QEMUs and
 * report what happened, in terms a kernel maintainer can act on.
 *
 *   gvmigrate [options] -- SRC_QEMU [ARGS...] [-- DST_QEMU [ARGS...]]
 *
 * The source runs the payload; each "GUESTVIEW-MIGRATE request" on its
 * console migrates the guest to a fresh QEMU of the other configuration
 * (source config, destination config, source config... : ping-pong), which
 * was started ahead with -incoming defer.  Only the destination decides
 * success: it must be running again; then the guest gets its ack (with the
 * host's time) on the destination's console.  When QEMU refuses, both
 * sides' errors are shown, and the CPU registers behind the refusal are
 * listed from the two configurations' migration streams.
 *
 * Options:
 *   --mode unix|tcp      transport (default unix; tcp listens on loopback, with TLS
 *                        and a key made for the run: see migtls.h)
 *   --netns              tcp between two network namespaces made for the run
 *   --save FILE          save the state to FILE at the guest's first request, then stop
 *   --restore FILE       start from a state saved by --save, acknowledge, run to the end
 *   --timeout SECONDS    bound on the whole run (default 90)
 *   --expect-refusal RE  the migration must be refused, with a diagnosis matching
 *                        the extended regex RE (a known incompatibility: XFAIL)
 *
 * GVMIGRATE_DEBUG=1 in the environment prints QEMU's query-migrate answers;
 * GVMIGRATE_FAULT=kill-destination|kill-source|stop-destination|interrupt
 * injects that fault just after a migration started (for the project's own tests).
 *
 * Exit status (as arm/run): 0 PASS, 1 FAIL, 77 SKIP, 78 XFAIL (refused as
 * expected), 124 timeout, 2 QEMU error or migration refused, 3 harness
 * error, 130 interrupted.  Nothing is left behind: every QEMU is stopped,
 * the private directory (mode 0700) is removed.
 */
#include "gvmigrate.h"
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static struct run R;

static void usage(FILE *f)
{
	fprintf(f, "usage: gvmigrate [--mode unix|tcp] [--netns] [--save FILE | --restore FILE]\n"
		   "                 [--timeout SECONDS] [--expect-refusal REGEX]\n"
		   "                 -- SRC_QEMU [ARGS...] [-- DST_QEMU [ARGS...]]\n");
}

static int parse_args(int argc, char **argv)
{
	int i;

	R.timeout_s = 90;
	R.mode = "unix";
	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			exit(0);
		} else if (!strcmp(a, "--netns")) {
			R.netns = true;
			R.mode = "tcp";
		} else if (!val) {
			fprintf(stderr, "gvmigrate: option %s needs a value\n", a);
			return -1;
		} else if (!strcmp(a, "--mode")) {
			R.mode = val;
			if (strcmp(val, "unix") && strcmp(val, "tcp")) {
				fprintf(stderr, "gvmigrate: --mode %s: expected unix or tcp\n", val);
				return -1;
			}
			i++;
		} else if (!strcmp(a, "--save")) {
			R.save = val, i++;
		} else if (!strcmp(a, "--restore")) {
			R.restore = val, i++;
		} else if (!strcmp(a, "--timeout")) {
			char *end;
			R.timeout_s = strtol(val, &end, 10);
			if (*end || R.timeout_s <= 0) {
				fprintf(stderr, "gvmigrate: --timeout %s: expected whole seconds\n", val);
				return -1;
			}
			i++;
		} else if (!strcmp(a, "--expect-refusal")) {
			R.expect_refusal = val, i++;
			if (regcomp(&R.refusal_re, val, REG_EXTENDED | REG_NOSUB)) {
				fprintf(stderr, "gvmigrate: --expect-refusal '%s': not an extended regex\n", val);
				return -1;
			}
		} else {
			fprintf(stderr, "gvmigrate: unknown option '%s'\n", a);
			return -1;
		}
	}
	if (i + 1 >= argc) {
		fprintf(stderr, "gvmigrate: no QEMU command line after --\n");
		return -1;
	}
	if (R.save && R.restore) {
		fprintf(stderr, "gvmigrate: --save and --restore are two separate runs\n");
		return -1;
	}
	R.config[0] = &argv[i + 1];
	for (int j = i + 1; j < argc; j++)
		if (!strcmp(argv[j], "--")) {
			argv[j] = NULL;
			R.config[1] = &argv[j + 1];
			break;
		}
	if (!R.config[1] || !R.config[1][0])
		R.config[1] = R.config[0];
	return 0;
}

static void cleanup(void)
{
	stop_all(&R);
	if (R.state.path)
		state_out_abort(&R.state);	/* an unfinished save: no file */
	netns_down(&R);
	if (R.dir[0])
		remove_tree(R.dir);	/* only our own sockets and streams are in there */
}

int main(int argc, char **argv)
{
	const char *tmp = getenv("TMPDIR");
	int rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (parse_args(argc, argv)) {
		usage(stderr);
		return EXIT_HARNESS;
	}
	if (!tmp || !*tmp)
		tmp = "/tmp";
	if (strlen(tmp) > 64) {
		fprintf(stderr, "gvmigrate: TMPDIR %s is too long for unix socket paths (64 bytes at most)\n", tmp);
		return EXIT_HARNESS;
	}
	if (rundir_make(&R, tmp)) {
		cleanup();
		return EXIT_HARNESS;
	}
	if (evloop_init(&R.ev)) {
		fprintf(stderr, "gvmigrate: cannot set up signal handling: %s\n", strerror(errno));
		cleanup();
		return EXIT_HARNESS;
	}
	R.deadline = now_ms() + (uint64_t)R.timeout_s * 1000;
	/* Without the rights to make namespaces the mode cannot run here: a skip. */
	if (R.netns && (rc = netns_up(&R))) {
		cleanup();
		return rc;
	}
	rc = run_migrations(&R);
	cleanup();
	return rc;
}
