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
#include "rolelink.h"

/* --role: both QEMUs here (none), or one half of a migration between two machines (roles.c). */
enum run_role { ROLE_NONE, ROLE_SOURCE, ROLE_DESTINATION };

/*
 * Exit statuses: EXIT_<TOKEN> of tables/outcomes.def (outcomes.h).  The two
 * short names are the ones run.c uses; they go when run.c says
 * EXIT_QEMU_ERROR and EXIT_HARNESS_ERROR.
 */
#include "outcomes.h"
#define EXIT_QEMU EXIT_QEMU_ERROR
#define EXIT_HARNESS EXIT_HARNESS_ERROR

/* Longest reason on the RESULT line (struct run's why). */
#define RUN_WHY_MAX 512

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
	/*
	 * --role: the half, its --to or --listen URI, the way back of a round
	 * trip (--back-listen of a source, --back-to of a destination; NULL:
	 * one way), the --psk key, the bound on one link
	 */
	enum run_role role;
	const char *role_uri, *back_uri, *psk;
	struct role_key key;
	long link_timeout_s;
	int listen_fd;			/* a half's listening socket (--listen, --back-listen), or -1 */
	/* The outcome's reason, for the RESULT line: set by the code that decides it. */
	char why[RUN_WHY_MAX];
};

int run_migrations(struct run *r);
/* The two halves of a migration between machines (roles.c); each returns the exit status. */
int role_source(struct run *r);
int role_destination(struct run *r);
/*
 * run.c's steps, shared with roles.c: start a QEMU of configuration cfg;
 * its monitor, capabilities and TLS role; acknowledge request seq on its
 * console; the verdict once it exited; a failed wait's status (said, with
 * the phase); every line QEMU wrote to stderr; conditions for evloop_wait.
 */
int run_start_vm(struct run *r, struct vm *vm, const char *name, int cfg, bool incoming);
int run_prepare(struct run *r, struct vm *vm);
int run_ack(struct vm *vm, unsigned int seq);
int run_finish(struct run *r, struct vm *vm);
int run_wait_failed(struct run *r, enum wait_result w, const char *phase);
void run_said(FILE *f, const char *prefix, const struct vm *vm);
bool run_guest_event(void *arg);		/* a request, or QEMU exited */
bool run_resumed_or_gone(void *arg);		/* RESUME, exit, or a failed incoming migration */
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
