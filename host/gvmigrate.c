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
 *   --mode MODE          how the state travels (default unix); --list-modes prints
 *                        the modes, one per line: unix (a unix socket), tcp (TCP on
 *                        loopback, a connection the harness makes and hands to both
 *                        QEMUs, so that no QEMU listens on a port: tcppair.h; with
 *                        TLS and a key made for the run: migtls.h), netns (TCP between two network namespaces made
 *                        for the run; needs root)
 *   --netns              the same as --mode netns
 *   --save FILE          save the state to FILE at the guest's first request, then stop
 *   --restore FILE       start from a state saved by --save, acknowledge, run to the end
 *   --timeout SECONDS    bound on the whole run (default 90; 0: none, as timeout(1))
 *   --expect-refusal RE  the migration must be refused, with a diagnosis matching
 *                        the extended regex RE (a known incompatibility: XFAIL)
 *
 * Between two machines, one half each (roles.c; one QEMU command line):
 *   --role source --to tcp:HOST:PORT --psk FILE
 *                        run the guest; at its request migrate it to the
 *                        destination at HOST:PORT; if that refuses, dies or does not
 *                        answer, the guest goes on on the source (verdict REFUSED,
 *                        with the guest's own)
 *   --role destination --listen tcp:ADDR:PORT --psk FILE
 *                        wait (-incoming) for one source holding the key, run the
 *                        guest to its end, report its verdict; PORT 0: any, the
 *                        "listening on" line says which
 * A round trip (host A -> host B -> host A, the same running guest: an
 * upgrade, then its rollback; a payload that asks twice, count=2):
 *   --back-listen tcp:ADDR:PORT   (with --role source) listen there from the
 *                        start; once migration 1 completed, receive the guest
 *                        back (a fresh QEMU, the same command line, -incoming)
 *                        from the one source holding the key, acknowledge it and
 *                        report its verdict at home.  Leg 1 refused: the
 *                        listener is closed unused (REFUSED, as without it)
 *   --back-to tcp:HOST:PORT       (with --role destination) at the guest's
 *                        request after migration 1, send it there as a source
 *                        does (PASS: the other side reports the verdict); refused
 *                        there, it stays and finishes here (REFUSED)
 *   --psk FILE           the key both halves hold (rolelink.h); connections
 *                        without it are refused and named
 *   --make-psk FILE      write a new key to FILE (mode 0600, never replaced) and exit
 *   --link-timeout SECONDS  bound on connecting and migrating (default 30)
 *
 * GVMIGRATE_DEBUG=1 in the environment prints QEMU's query-migrate answers;
 * GVMIGRATE_FAULT=kill-destination|kill-source|stop-destination|interrupt
 * injects that fault just after a migration started (for the project's own tests);
 * GVMIGRATE_FAULT=foreign-connect (--mode tcp) connects an idle socket to the
 * harness's own before destination 1's connection is made (tcppair.h).
 *
 * Exit status: the outcome's status in tables/outcomes.def (0 PASS, 1 FAIL,
 * 2 QEMU_ERROR, 3 HARNESS_ERROR, 77 SKIP, 78 XFAIL, 79 REFUSED, 124 TIMEOUT,
 * 130 INTERRUPTED).  The last line on stdout of every run (not of -h or
 * --list-modes) says the same for a program to read:
 *
 *   gvmigrate: RESULT TOKEN STATUS MIGRATIONS[ REASON]
 *
 * TOKEN and STATUS as in tables/outcomes.def (STATUS is the exit status),
 * MIGRATIONS the number of migrations started, REASON one line for humans
 * (the diagnosis is in the lines above it).  Every run also prints, after
 * each leg it took part in, one line for a program to read (words in
 * tables/migproto.h; for Python in tables/migproto.json):
 *
 *   gvmigrate: LEG N DIR PEER result=WORD[ request_ms=MS][ total_ms=MS][ downtime_ms=MS][ setup_ms=MS]
 *
 * N the migration (1, 2 on the way back), DIR "out" (sent) or "in"
 * (received), PEER the URI sent to or the address received from (a run
 * with both QEMUs here: the mode); WORD what became of the leg on this
 * half (done, refused, died, stalled, unreachable, cancelled, failed:
 * tables/migproto.h says each; a leg not done has no figures);
 * request_ms the harness's time (out: request to QEMU's completion; in:
 * the source's hello to the ack), the others QEMU's own (out only).  A
 * figure the half does not have is left out, never printed as 0.
 * Nothing is left behind: every QEMU is stopped, the private directory
 * (mode 0700) is removed.
 */
#include "gvmigrate.h"
#include "migtls.h"
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static struct run R;
/* Why the run skipped, when gvmigrate decided it (the RESULT line says it). */
static const char *skip_why;
/* Why gvmigrate could not run (a harness error): said on stderr and in RESULT. */
static char harness_why[256];

static void __attribute__((format(printf, 1, 2))) harness_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(harness_why, sizeof(harness_why), fmt, ap);
	va_end(ap);
	fprintf(stderr, "gvmigrate: %s\n", harness_why);
}

/* The migration modes: --mode NAME gives run.c this transport. */
static const struct {
	const char *name, *transport;
	bool netns;
} modes[] = {
	{ "unix", "unix", false },
	{ "tcp", "tcp", false },
	{ "netns", "tcp", true },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: gvmigrate [--mode unix|tcp|netns] [--netns] [--save FILE | --restore FILE]\n"
		   "                 [--timeout SECONDS] [--expect-refusal REGEX]\n"
		   "                 -- SRC_QEMU [ARGS...] [-- DST_QEMU [ARGS...]]\n"
		   "       gvmigrate --role source --to tcp:HOST:PORT --psk FILE [--timeout SECONDS]\n"
		   "                 [--back-listen tcp:ADDR:PORT] [--link-timeout SECONDS] -- QEMU [ARGS...]\n"
		   "       gvmigrate --role destination --listen tcp:ADDR:PORT --psk FILE\n"
		   "                 [--back-to tcp:HOST:PORT] [--timeout SECONDS] [--link-timeout SECONDS]\n"
		   "                 -- QEMU [ARGS...]\n"
		   "       gvmigrate --make-psk FILE\n"
		   "       gvmigrate --list-modes\n");
}

/* Seconds of an option (0 allowed), or -1 after saying why. */
static long seconds(const char *opt, const char *val)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(val, &end, 10);
	if (*end || end == val || errno || v < 0) {
		harness_error("%s %s: expected whole seconds", opt, val);
		return -1;
	}
	return v;
}

/*
 * --role's options together: each half has its own (the way back too:
 * --back-listen is the source's, --back-to the destination's), and none
 * of the one-host run's.
 */
static int check_role(const char *to, const char *listen, const char *back_listen, const char *back_to,
		      bool two_configs, bool one_host)
{
	const char *role = R.role == ROLE_SOURCE ? "source" : "destination";
	bool src = R.role == ROLE_SOURCE;

	if (R.role == ROLE_NONE) {
		if (back_listen || back_to)
			harness_error("%s belongs to --role %s", back_listen ? "--back-listen" : "--back-to",
				      back_listen ? "source" : "destination");
		else if (to || listen || R.psk)
			harness_error("--to, --listen and --psk belong to --role source or destination");
		return to || listen || R.psk || back_listen || back_to ? -1 : 0;
	}
	R.role_uri = src ? to : listen;
	R.back_uri = src ? back_listen : back_to;
	if (!R.role_uri)
		harness_error("--role %s needs %s tcp:HOST:PORT", role, src ? "--to" : "--listen");
	else if (src ? listen != NULL : to != NULL)
		harness_error("--role %s takes %s, not %s", role, src ? "--to" : "--listen", src ? "--listen" : "--to");
	else if (src ? back_to != NULL : back_listen != NULL)
		harness_error("--role %s takes %s, not %s (the way back: the source listens, the destination "
			      "connects)", role, src ? "--back-listen" : "--back-to",
			      src ? "--back-to" : "--back-listen");
	else if (!R.psk)
		harness_error("--role %s needs --psk FILE (the key both halves hold; gvmigrate --make-psk FILE)", role);
	else if (one_host)
		harness_error("--role %s: --mode, --netns, --save, --restore and --expect-refusal are for "
			      "a run with both QEMUs here", role);
	else if (two_configs)
		harness_error("--role %s takes one QEMU command line (each half runs its own)", role);
	else
		return 0;
	return -1;
}

static int parse_args(int argc, char **argv)
{
	const char *to = NULL, *listen = NULL, *back_listen = NULL, *back_to = NULL;
	bool one_host = false;
	int i;

	R.timeout_s = 90;
	R.link_timeout_s = 30;
	R.listen_fd = -1;
	R.mode = "unix";
	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			exit(0);
		} else if (!strcmp(a, "--list-modes")) {
			for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++)
				printf("%s\n", modes[m].name);
			exit(0);
		} else if (!strcmp(a, "--netns")) {
			R.netns = true;
			R.mode = "tcp";
			one_host = true;
		} else if (!val) {
			harness_error("option %s needs a value", a);
			return -1;
		} else if (!strcmp(a, "--mode")) {
			size_t m = 0, n = sizeof(modes) / sizeof(modes[0]);
			while (m < n && strcmp(val, modes[m].name))
				m++;
			if (m == n) {
				char list[64] = "";
				for (m = 0; m < n; m++)
					snprintf(list + strlen(list), sizeof(list) - strlen(list), " %s", modes[m].name);
				harness_error("--mode '%s': expected one of%s (gvmigrate --list-modes)", val, list);
				return -1;
			}
			R.mode = modes[m].transport;
			R.netns = R.netns || modes[m].netns;
			one_host = true;
			i++;
		} else if (!strcmp(a, "--save")) {
			R.save = val, i++, one_host = true;
		} else if (!strcmp(a, "--restore")) {
			R.restore = val, i++, one_host = true;
		} else if (!strcmp(a, "--timeout")) {
			if ((R.timeout_s = seconds(a, val)) < 0)
				return -1;
			i++;
		} else if (!strcmp(a, "--link-timeout")) {
			if ((R.link_timeout_s = seconds(a, val)) <= 0) {
				if (!R.link_timeout_s)
					harness_error("--link-timeout 0: a link needs some time");
				return -1;
			}
			i++;
		} else if (!strcmp(a, "--role")) {
			if (strcmp(val, "source") && strcmp(val, "destination")) {
				harness_error("--role '%s': expected source or destination", val);
				return -1;
			}
			R.role = !strcmp(val, "source") ? ROLE_SOURCE : ROLE_DESTINATION;
			/* The link is TCP with QEMU's TLS (migtls.h) on top of the --psk handshake. */
			R.mode = "tcp";
			i++;
		} else if (!strcmp(a, "--to")) {
			to = val, i++;
		} else if (!strcmp(a, "--listen")) {
			listen = val, i++;
		} else if (!strcmp(a, "--back-listen")) {
			back_listen = val, i++;
		} else if (!strcmp(a, "--back-to")) {
			back_to = val, i++;
		} else if (!strcmp(a, "--psk")) {
			R.psk = val, i++;
		} else if (!strcmp(a, "--make-psk")) {
			if (migtls_make_key(val)) {
				harness_error("--make-psk %s: %s", val, strerror(errno));
				return -1;
			}
			printf("gvmigrate: made a new key in %s (mode 0600): give it to both halves with --psk\n", val);
			exit(0);
		} else if (!strcmp(a, "--expect-refusal")) {
			R.expect_refusal = val, i++, one_host = true;
			if (regcomp(&R.refusal_re, val, REG_EXTENDED | REG_NOSUB)) {
				harness_error("--expect-refusal '%s': not an extended regex", val);
				return -1;
			}
		} else {
			harness_error("unknown option '%s'", a);
			return -1;
		}
	}
	if (i + 1 >= argc) {
		harness_error("no QEMU command line after --");
		return -1;
	}
	if (R.save && R.restore) {
		harness_error("--save and --restore are two separate runs");
		return -1;
	}
	R.config[0] = &argv[i + 1];
	for (int j = i + 1; j < argc; j++)
		if (!strcmp(argv[j], "--")) {
			argv[j] = NULL;
			R.config[1] = &argv[j + 1];
			break;
		}
	if (check_role(to, listen, back_listen, back_to, R.config[1] != NULL, one_host))
		return -1;
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
	if (R.listen_fd >= 0)
		close(R.listen_fd);
	if (R.dir[0])
		remove_tree(R.dir);	/* only our own sockets and streams are in there */
}

/* The run; returns its exit status (an EXIT_ of outcomes.h). */
static int run(int argc, char **argv)
{
	const char *tmp = getenv("TMPDIR");
	int rc;

	if (parse_args(argc, argv)) {
		usage(stderr);
		return EXIT_HARNESS_ERROR;
	}
	if (!tmp || !*tmp)
		tmp = "/tmp";
	if (strlen(tmp) > 64) {
		harness_error("TMPDIR %s is too long for unix socket paths (64 bytes at most)", tmp);
		return EXIT_HARNESS_ERROR;
	}
	if (rundir_make(&R, tmp)) {
		cleanup();
		return EXIT_HARNESS_ERROR;
	}
	if (evloop_init(&R.ev)) {
		harness_error("cannot set up signal handling: %s", strerror(errno));
		cleanup();
		return EXIT_HARNESS_ERROR;
	}
	/* --timeout 0: no deadline, as timeout(1) 0. */
	R.deadline = R.timeout_s ? now_ms() + (uint64_t)R.timeout_s * 1000 : UINT64_MAX;
	/* Without the rights to make namespaces the mode cannot run here: a skip. */
	if (R.netns && (rc = netns_up(&R))) {
		if (rc == EXIT_SKIP)
			skip_why = "cannot make network namespaces here";
		cleanup();
		return rc;
	}
	if (R.role != ROLE_NONE) {
		char err[512];

		if (rolekey_load(&R.key, R.psk, R.dir, err, sizeof(err))) {
			harness_error("%s", err);
			cleanup();
			return EXIT_HARNESS_ERROR;
		}
		rc = R.role == ROLE_SOURCE ? role_source(&R) : role_destination(&R);
	} else {
		rc = run_migrations(&R);
	}
	cleanup();
	return rc;
}

/* "destination 1: qemu-system-aarch64: ...": the first QEMU error line of the run. */
static void print_qemu_error(const char *sep)
{
	for (int i = 0; i < 3; i++)
		if (R.vm[i].first_error[0]) {
			printf("%s%s: %s", sep, R.vm[i].name, R.vm[i].first_error);
			return;
		}
}

/* The guest's "EXIT:" line came: it ran to its end on some QEMU of the run. */
static bool guest_finished(void)
{
	for (int i = 0; i < 3; i++)
		if (R.vm[i].exit_status[0])
			return true;
	return false;
}

/*
 * The RESULT line's REASON, from what the run knows; the lines above it
 * (run.c's) say it in full.
 */
static void print_result(int rc)
{
	const char *token = outcome_token(rc);
	unsigned int n = R.migrations;
	/*
	 * A local process connected to a destination's port before its source
	 * (or to the harness's own, tcppair.h): whatever the outcome, the
	 * report and the RESULT line say it, " (destination 2 refused a
	 * foreign connection: TLS handshake failed: ...)".
	 */
	const char *fname, *foreign;
	bool intruded = run_foreign(&R, &fname, &foreign);

	if (!token) {	/* cannot happen: every return of run() is an outcome */
		printf("gvmigrate: exit status %d is no outcome of tables/outcomes.def\n", rc);
		rc = EXIT_HARNESS_ERROR;
		token = outcome_token(rc);
	}
	if (intruded)
		printf("gvmigrate: %s refused a foreign connection to its migration port "
		       "(another local process connected before the source): %s\n", fname, foreign);
	printf("gvmigrate: RESULT %s %d %u", token, rc, n);
	/* A half of a --role migration: roles.c says each outcome's reason itself. */
	if (R.role != ROLE_NONE && !harness_why[0] && R.why[0])
		printf(" %s", R.why);
	else switch (rc) {
	case EXIT_PASS:
		if (R.save)
			printf(" state saved to %s", R.save);
		else if (R.restore)
			printf(" restored from %s, then %u migration%s, the guest passed", R.restore, n,
			       n == 1 ? "" : "s");
		else
			printf(" %u migration%s, the guest passed", n, n == 1 ? "" : "s");
		break;
	case EXIT_FAIL:
		if (R.expect_refusal && guest_finished())
			printf(" not refused: %u migration%s succeeded, the incompatibility /%s/ is gone",
			       n, n == 1 ? "" : "s", R.expect_refusal);
		else if (R.expect_refusal)
			printf(" refused, but the diagnosis does not match /%s/", R.expect_refusal);
		else
			printf(" the guest failed after %u migration%s", n, n == 1 ? "" : "s");
		break;
	case EXIT_XFAIL:
		printf(" refused as expected (/%s/)", R.expect_refusal);
		break;
	case EXIT_REFUSED:
		if (R.restore && !n)	/* a migration after the restore is refused as any other */
			printf(" the saved state %s was refused", R.restore);
		else
			printf(" migration %u refused", n);
		print_qemu_error("; ");
		break;
	case EXIT_TIMEOUT:
		printf(" no end within %lds", R.timeout_s);
		break;
	case EXIT_QEMU_ERROR:
		if (R.why[0])
			printf(" %s", R.why);
		else
			print_qemu_error(" ");
		break;
	case EXIT_SKIP:
		printf(" %s", skip_why ? skip_why : "the guest skipped");
		break;
	case EXIT_HARNESS_ERROR:
		printf(" %s", harness_why[0] ? harness_why : R.why[0] ? R.why :
		       "gvmigrate could not run (the reason is above)");
		break;
	}
	if (intruded)
		printf(" (%s refused a foreign connection: %s)", fname, foreign);
	printf("\n");
	fflush(stdout);
}

int main(int argc, char **argv)
{
	int rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	rc = run(argc, argv);
	print_result(rc);
	return rc;
}
