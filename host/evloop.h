/*
 * evloop.h: the harness's one event loop.  Every fd of every QEMU (console,
 * stderr, QMP, the pidfd that turns readable when it exits) and a signalfd
 * for SIGINT/SIGTERM/SIGHUP go into one poll(); code that waits for
 * something runs the loop until its condition holds or a deadline passes.
 * Nothing sleeps and polls.
 */
#ifndef GUESTVIEW_EVLOOP_H
#define GUESTVIEW_EVLOOP_H
#include <stdbool.h>
#include <stdint.h>
#include "vm.h"

#define EV_MAX_VMS 4

struct evloop {
	struct vm *vms[EV_MAX_VMS];
	int sigfd;
	int signal;		/* the signal that interrupted the run, or 0 */
	/* One more fd to watch (a --role destination's listening socket), or -1. */
	int watch_fd;
	bool watch_ready;	/* it turned readable; the waiter clears it */
};

int evloop_init(struct evloop *ev);	/* blocks the signals, makes the signalfd */
void evloop_add(struct evloop *ev, struct vm *vm);
void evloop_del(struct evloop *ev, struct vm *vm);
uint64_t now_ms(void);
uint64_t now_ns(void);

enum wait_result { WAIT_OK, WAIT_TIMEOUT, WAIT_SIGNAL };
/* Run the loop until cond(arg) is true, the deadline (now_ms) passes or a signal arrives. */
enum wait_result evloop_wait(struct evloop *ev, bool (*cond)(void *arg), void *arg,
			     uint64_t deadline_ms);

#endif
