/*
 * qmp.h: a QMP client on a connected socket, built on json-c.  It never
 * blocks: the harness's event loop calls qmp_on_readable() when the socket
 * has data; commands are sent with an id, and their answer is found later
 * with qmp_response().  Events go to a callback as they arrive.
 */
#ifndef GUESTVIEW_QMP_H
#define GUESTVIEW_QMP_H
#include <stdbool.h>
#include <json-c/json.h>
#include "linebuf.h"

#define QMP_MAX_PENDING 16

struct qmp_answer {
	int id;			/* 0: slot free */
	bool done, is_error;
	json_object *ret;	/* "return" value, or the "error" object */
};

struct qmp {
	int fd;
	bool greeted;		/* the server's greeting has arrived */
	bool capable;		/* qmp_capabilities answered */
	int next_id;
	struct linebuf in;
	struct qmp_answer answers[QMP_MAX_PENDING];
	void (*on_event)(void *ctx, const char *name, json_object *data);
	void *ctx;
};

void qmp_init(struct qmp *q, int fd, void (*on_event)(void *, const char *, json_object *),
	      void *ctx);
/* Sends {"execute": cmd, "arguments": args, "id": N}; args is consumed.  Returns N, or -1. */
int qmp_send(struct qmp *q, const char *cmd, json_object *args);
/* Returns -1 when the connection is gone. */
int qmp_on_readable(struct qmp *q);
/* The answer to id once it arrived, else NULL; the slot is freed by qmp_forget. */
const struct qmp_answer *qmp_response(const struct qmp *q, int id);
void qmp_forget(struct qmp *q, int id);
/* "desc" of an error answer, or "" */
const char *qmp_error_desc(const struct qmp_answer *a);
void qmp_close(struct qmp *q);

#endif
