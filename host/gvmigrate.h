/* gvmigrate.h: the state of one gvmigrate run, shared by its files. */
#ifndef GUESTVIEW_GVMIGRATE_H
#define GUESTVIEW_GVMIGRATE_H
#include <limits.h>
#include <regex.h>
#include <stdio.h>
#include <stdbool.h>
#include "evloop.h"
#include "migrate_ops.h"
#include "util.h"
#include "statefile.h"

/*
 * Exit statuses: EXIT_<TOKEN> of tables/outcomes.def (outcomes.h).  The two
 * short names are the ones run.c uses; they go when run.c says
 * EXIT_QEMU_ERROR and EXIT_HARNESS_ERROR.
 */
#include "outcomes.h"
#define EXIT_QEMU EXIT_QEMU_ERROR
#define EXIT_HARNESS EXIT_HARNESS_ERROR

/* Longest reason on the RESULT line (struct run's why). */
#define RUN_WHY_MAX 256

struct run {
	char **config[2];		/* QEMU command lines: source's, destination's */
	const char *mode;		/* "unix" or "tcp" */
	bool netns;
	const char *save, *restore;
	struct state_out state;		/* --save: the file being written */
	long timeout_s;
	const char *expect_refusal;
	regex_t refusal_re;
	char dir[160];			/* private, 0700; short: socket paths have 108 bytes */
	int lock_fd;			/* flock on dir/lock: the run is alive */
	struct evloop ev;
	uint64_t deadline;
	/* the running QEMU, the one prepared for next, and one still shutting down */
	struct vm vm[3];
	char ns[2][48];			/* network namespace per configuration */
	char addr[2][24];		/* its address */
	bool ns_made[2], link_made;
	unsigned int migrations;
	/* The first foreign connection a QEMU of the run refused, kept when its slot is reused. */
	char foreign_name[32], foreign[256];
	/* The outcome's reason, for the RESULT line: set by the code that decides it. */
	char why[RUN_WHY_MAX];
};

int run_migrations(struct run *r);
/* Print "gvmigrate: WHY" and keep WHY as the run's reason (its RESULT line). */
void run_say(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void stop_all(struct run *r);
/*
 * The first foreign connection to a migration port that a QEMU of the run
 * refused (vm.c, tcppair.h): true with the QEMU's name and what happened.
 */
bool run_foreign(struct run *r, const char **name, const char **what);
/* 0, or the exit status: EXIT_SKIP (not possible here) or EXIT_HARNESS (ip failed). */
int netns_up(struct run *r);
void netns_down(struct run *r);
/* Make r->dir, locked for the run's life; first remove dead runs' directories in tmp. */
int rundir_make(struct run *r, const char *tmp);
/* After a refused migration: the registers behind it, written to out. */
void diagnose_cpregs(struct run *r, int src_cfg, int dst_cfg, FILE *out);
/* After a refused restore: the saved state's registers against the restoring configuration's. */
void diagnose_restore(struct run *r, FILE *out);

#endif
