/*
 * vm.h: one QEMU of a migration run, as the harness sees it: its process,
 * its guest console (stdout, with the migration protocol lines picked
 * out), its stderr (QEMU's own errors), and its QMP monitor, which QEMU
 * connects to a socket the harness listens on -- so there is no waiting
 * for a socket file to appear.
 */
#ifndef GUESTVIEW_VM_H
#define GUESTVIEW_VM_H
#include <limits.h>
#include <stdint.h>
#include "linebuf.h"
#include "proc.h"
#include "qmp.h"

enum guest_request { REQ_NONE, REQ_MIGRATE, REQ_CLOCK, REQ_SKIP };

struct vm {
	char name[32];			/* "source", "destination 2", ... for messages */
	struct proc proc;
	struct qmp qmp;
	int qmp_listen;			/* until QEMU has connected */
	char qmp_path[PATH_MAX];
	struct linebuf out, err;
	char first_error[512];		/* QEMU's first stderr line (not a foreign connection's) */
	char foreign[256];		/* the first foreign connection it refused: QEMU's words */
	char errors[2048];		/* and all of them (the first 2 KiB), for diagnoses */
	char mig_status[32];		/* last MIGRATION event's status */
	bool resumed;			/* RESUME event */
	char listening[256];		/* the incoming URI it listens on, once it does */
	int src_end;			/* tcp: the source's end of its connection (tcppair.h), until passed */
	bool incoming;			/* started to receive a migration (-incoming) */
	unsigned int tls_objects;	/* migtls: the credentials objects it has (bit 0 client, 1 server) */
	int tls_role;			/* migtls: 0 none yet, 1 client, 2 server */
	/* the guest console */
	enum guest_request request;	/* the last unanswered request */
	unsigned int request_seq;
	char exit_status[16];		/* "PASS", "FAIL", "SKIP" from "EXIT: " */
	char summary[256];		/* the "SUMMARY: " line */
	unsigned long console_lines;
};

/*
 * Start QEMU: argv (a complete QEMU command line) plus the harness's own
 * QMP monitor and, for a destination, -incoming defer.
 */
int vm_start(struct vm *vm, const char *name, char *const argv[], const char *dir,
	     bool incoming, const struct proc_opts *opts);
/* Dispatchers for the event loop; each returns -1 when that fd is done. */
int vm_on_console(struct vm *vm);
int vm_on_stderr(struct vm *vm);
int vm_on_qmp_listen(struct vm *vm);
/* Write one line to the guest's console input. */
int vm_send_line(struct vm *vm, const char *line);
bool vm_qmp_ready(const struct vm *vm);
void vm_stop(struct vm *vm);

#endif
