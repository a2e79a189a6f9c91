/*
 * migrate_ops.h: the QMP steps of one migration, each run to completion
 * on the event loop: handshake, capabilities, starting the incoming side,
 * migrating, saving to and restoring from a stream file.
 */
#ifndef GUESTVIEW_MIGRATE_OPS_H
#define GUESTVIEW_MIGRATE_OPS_H
#include "evloop.h"

struct mig_stats {
	long total_ms, downtime_ms, setup_ms;	/* QEMU's own figures, -1 when unknown */
};

/* Each returns 0, or -1 after printing why (naming the QEMU and the step). */
int qmp_handshake(struct evloop *ev, struct vm *vm, uint64_t deadline);
/* Run a command; on success *ret (if given) holds a new reference to "return". */
int qmp_exec(struct evloop *ev, struct vm *vm, const char *cmd, json_object *args,
	     json_object **ret, uint64_t deadline);
/* return_path: only for socket transports (a stream file has no way back). */
int migration_caps(struct evloop *ev, struct vm *vm, bool return_path, uint64_t deadline);
/* The destination listens on uri ("unix:PATH", "tcp:HOST:0", "fd:3"); the
 * address it really listens on (a tcp port chosen by QEMU) goes to actual. */
int incoming_start(struct evloop *ev, struct vm *dst, const char *uri, char *actual,
		   size_t size, uint64_t deadline);
/* Hand a file descriptor to QEMU over QMP (getfd, SCM_RIGHTS) under name. */
int qmp_pass_fd(struct evloop *ev, struct vm *vm, int fd, const char *name, uint64_t deadline);
/*
 * Hand QEMU the stream file fd, whose access mode must be the one QEMU opens
 * it with (write-only to save, read-only to load), and write to uri what
 * migrate or migrate-incoming then takes: "file:/dev/fdset/N,offset=OFFSET"
 * where QEMU has it (9.1 on, decided by query-version), else "fd:NAME",
 * where fd's own position must be OFFSET.
 */
int qmp_stream_file(struct evloop *ev, struct vm *vm, int fd, const char *name, long long offset,
		    char *uri, size_t size, uint64_t deadline);
/* migrate_run's result when the run's deadline passed first (not a refusal). */
#define MIGRATE_TIMED_OUT (-2)
/* migrate_run's result when a QEMU was killed by a signal (err names it): a
 * death, not a refusal, so no register diagnosis applies. */
#define MIGRATE_DIED (-3)

/*
 * Migrate src to uri and wait until the outcome is known: with a
 * destination, until it resumed (success) or it or the source failed;
 * without (a file), until the source completed.  On failure, err says
 * what QEMU said, or which QEMU died (MIGRATE_DIED).
 */
int migrate_run(struct evloop *ev, struct vm *src, struct vm *dst, const char *uri,
		char *err, size_t errsize, uint64_t deadline);
/*
 * QEMU's own figures of the source's last migration, once it has its final
 * status (call after acknowledging the guest: the guest must not wait for
 * statistics).
 */
void migrate_stats(struct evloop *ev, struct vm *src, struct mig_stats *st, uint64_t deadline);

#endif
