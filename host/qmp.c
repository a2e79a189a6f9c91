/* qmp.c: see qmp.h.  QMP sends one JSON object per line. */
#include "qmp.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void qmp_init(struct qmp *q, int fd, void (*on_event)(void *, const char *, json_object *),
	      void *ctx)
{
	memset(q, 0, sizeof(*q));
	q->fd = fd;
	q->next_id = 1;
	q->on_event = on_event;
	q->ctx = ctx;
}

static int write_all(int fd, const char *s, size_t len)
{
	while (len) {
		ssize_t n = write(fd, s, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

int qmp_send(struct qmp *q, const char *cmd, json_object *args)
{
	json_object *msg = json_object_new_object();
	struct qmp_answer *slot = NULL;
	const char *text;
	int id = q->next_id++, rc;

	for (int i = 0; i < QMP_MAX_PENDING; i++)
		if (!q->answers[i].id) {
			slot = &q->answers[i];
			break;
		}
	if (!slot || q->fd < 0) {
		json_object_put(args);
		json_object_put(msg);
		return -1;
	}
	json_object_object_add(msg, "execute", json_object_new_string(cmd));
	if (args)
		json_object_object_add(msg, "arguments", args);
	json_object_object_add(msg, "id", json_object_new_int(id));
	text = json_object_to_json_string_ext(msg, JSON_C_TO_STRING_PLAIN);
	rc = write_all(q->fd, text, strlen(text));
	if (!rc)
		rc = write_all(q->fd, "\n", 1);
	json_object_put(msg);
	if (rc)
		return -1;
	*slot = (struct qmp_answer){ .id = id };
	return id;
}

static void dispatch(struct qmp *q, json_object *msg)
{
	json_object *v, *idv;

	if (json_object_object_get_ex(msg, "QMP", &v)) {
		q->greeted = true;
		return;
	}
	if (json_object_object_get_ex(msg, "event", &v)) {
		json_object *data = NULL;
		json_object_object_get_ex(msg, "data", &data);
		if (q->on_event)
			q->on_event(q->ctx, json_object_get_string(v), data);
		return;
	}
	if (!json_object_object_get_ex(msg, "id", &idv))
		return;
	for (int i = 0; i < QMP_MAX_PENDING; i++) {
		struct qmp_answer *a = &q->answers[i];
		if (a->id != json_object_get_int(idv) || a->done)
			continue;
		a->done = true;
		a->is_error = json_object_object_get_ex(msg, "error", &v);
		if (!a->is_error)
			json_object_object_get_ex(msg, "return", &v);
		a->ret = v ? json_object_get(v) : NULL;
	}
}

int qmp_on_readable(struct qmp *q)
{
	char line[LINEBUF_SIZE];
	long n = linebuf_fill(&q->in, q->fd);

	while (linebuf_next(&q->in, line, sizeof(line))) {
		json_object *msg = json_tokener_parse(line);
		if (msg) {
			dispatch(q, msg);
			json_object_put(msg);
		}
	}
	return n == 0 ? -1 : 0;
}

const struct qmp_answer *qmp_response(const struct qmp *q, int id)
{
	for (int i = 0; i < QMP_MAX_PENDING; i++)
		if (q->answers[i].id == id && q->answers[i].done)
			return &q->answers[i];
	return NULL;
}

void qmp_forget(struct qmp *q, int id)
{
	for (int i = 0; i < QMP_MAX_PENDING; i++)
		if (q->answers[i].id == id) {
			json_object_put(q->answers[i].ret);
			q->answers[i] = (struct qmp_answer){ 0 };
		}
}

const char *qmp_error_desc(const struct qmp_answer *a)
{
	json_object *d;

	if (a && a->is_error && json_object_object_get_ex(a->ret, "desc", &d))
		return json_object_get_string(d);
	return "";
}

void qmp_close(struct qmp *q)
{
	for (int i = 0; i < QMP_MAX_PENDING; i++)
		json_object_put(q->answers[i].ret);
	memset(q->answers, 0, sizeof(q->answers));
	if (q->fd >= 0)
		close(q->fd);
	q->fd = -1;
}
