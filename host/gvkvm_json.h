/*
 * gvkvm_json.h: a small JSON reader for gvkvm's input files (a try file, an
 * info document, a fake kernel for the tests).  The whole document becomes
 * a tree whose every value keeps the line it started on, so an error about
 * a register can name FILE:LINE, which a parser that forgets positions
 * (json-c) cannot.  Numbers are kept as their text: register values travel
 * as "0x..." strings anyway.
 */
#ifndef GUESTVIEW_HOST_GVKVM_JSON_H
#define GUESTVIEW_HOST_GVKVM_JSON_H
#include <stddef.h>

enum jv_type { JV_NULL, JV_BOOL, JV_NUMBER, JV_STRING, JV_ARRAY, JV_OBJECT };

struct jv {
	enum jv_type type;
	int line;
	char *str;		/* JV_STRING: the value (NUL-free); JV_NUMBER: its text */
	int boolean;
	size_t n;		/* JV_ARRAY, JV_OBJECT: members */
	char **keys;		/* JV_OBJECT: member names */
	int *key_lines;		/* JV_OBJECT: the line of each name */
	struct jv **items;
};

/*
 * Parses text (len bytes).  On error returns NULL and writes "LINE: what"
 * into err (errlen bytes); the caller prefixes the file name.
 */
struct jv *jv_parse(const char *text, size_t len, char *err, size_t errlen);
void jv_free(struct jv *v);
/* The member called key of an object, or NULL. */
const struct jv *jv_get(const struct jv *obj, const char *key);
const char *jv_type_name(enum jv_type t);

#endif
