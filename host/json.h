/*
 * json.h: a small JSON writer for gvfp's --json output.  It keeps track of
 * commas and indentation, escapes every string (control characters,
 * quotes, backslashes, invalid UTF-8), and knows nothing else.
 */
#ifndef GUESTVIEW_HOST_JSON_H
#define GUESTVIEW_HOST_JSON_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json {
	FILE *out;
	int depth;
	bool first[JSON_MAX_DEPTH];	/* nothing written yet at this level */
};

/* Every call takes a member name (inside an object) or NULL (in an array
 * or at the top level). */
void json_init(struct json *j, FILE *out);
void json_begin_object(struct json *j, const char *name);
void json_end_object(struct json *j);
void json_begin_array(struct json *j, const char *name);
void json_end_array(struct json *j);
void json_string(struct json *j, const char *name, const char *value);	/* NULL: null */
void json_int(struct json *j, const char *name, int64_t value);
void json_uint(struct json *j, const char *name, uint64_t value);
void json_bool(struct json *j, const char *name, bool value);
void json_null(struct json *j, const char *name);
/* Ends the document with a newline. */
void json_finish(struct json *j);

#endif
