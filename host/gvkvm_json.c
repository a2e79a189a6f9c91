/*
 * gvkvm_json.c: recursive descent over RFC 8259 JSON, keeping lines.
 * Strings with \u0000 are refused (names and values are C strings here);
 * other escapes are decoded to UTF-8.  Depth is bounded so that a hostile
 * file cannot exhaust the stack.
 */
#include "gvkvm_json.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JV_MAX_DEPTH 32

struct parser {
	const char *p, *end;
	int line;
	char *err;
	size_t errlen;
	int failed;
};

static void fail(struct parser *ps, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (ps->failed)
		return;
	ps->failed = 1;
	n = snprintf(ps->err, ps->errlen, "%d: ", ps->line);
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < ps->errlen)
		vsnprintf(ps->err + n, ps->errlen - n, fmt, ap);
	va_end(ap);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p) {
		perror("gvkvm");
		exit(3);
	}
	return p;
}

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end) {
		char c = *ps->p;

		if (c == '\n')
			ps->line++;
		else if (c != ' ' && c != '\t' && c != '\r')
			break;
		ps->p++;
	}
}

static void put_utf8(char *out, size_t *o, unsigned long cp)
{
	if (cp < 0x80) {
		out[(*o)++] = (char)cp;
	} else if (cp < 0x800) {
		out[(*o)++] = (char)(0xc0 | cp >> 6);
		out[(*o)++] = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		out[(*o)++] = (char)(0xe0 | cp >> 12);
		out[(*o)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[(*o)++] = (char)(0x80 | (cp & 0x3f));
	} else {
		out[(*o)++] = (char)(0xf0 | cp >> 18);
		out[(*o)++] = (char)(0x80 | ((cp >> 12) & 0x3f));
		out[(*o)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[(*o)++] = (char)(0x80 | (cp & 0x3f));
	}
}

static int hex4(struct parser *ps, unsigned long *cp)
{
	*cp = 0;
	if (ps->end - ps->p < 4) {
		fail(ps, "a \\u escape needs four hex digits");
		return -1;
	}
	for (int i = 0; i < 4; i++) {
		char c = *ps->p++;

		*cp <<= 4;
		if (c >= '0' && c <= '9')
			*cp |= c - '0';
		else if (c >= 'a' && c <= 'f')
			*cp |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			*cp |= c - 'A' + 10;
		else {
			fail(ps, "bad hex digit '%c' in a \\u escape", c);
			return -1;
		}
	}
	return 0;
}

/* At the opening quote; returns the decoded string (malloc'd) or NULL. */
static char *parse_string(struct parser *ps)
{
	/* Decoded text is never longer than its source. */
	char *out = xcalloc(ps->end - ps->p + 1, 1);
	size_t o = 0;

	ps->p++;
	while (ps->p < ps->end && *ps->p != '"') {
		unsigned char c = (unsigned char)*ps->p++;
		unsigned long cp, lo;

		if (c < 0x20) {
			fail(ps, c == '\n' ? "a string runs to the end of the line (missing '\"')"
					   : "a control character in a string");
			goto bad;
		}
		if (c != '\\') {
			out[o++] = (char)c;
			continue;
		}
		if (ps->p >= ps->end)
			break;
		c = (unsigned char)*ps->p++;
		switch (c) {
		case '"': case '\\': case '/': out[o++] = (char)c; break;
		case 'b': out[o++] = '\b'; break;
		case 'f': out[o++] = '\f'; break;
		case 'n': out[o++] = '\n'; break;
		case 'r': out[o++] = '\r'; break;
		case 't': out[o++] = '\t'; break;
		case 'u':
			if (hex4(ps, &cp))
				goto bad;
			if (cp >= 0xd800 && cp < 0xdc00 && ps->end - ps->p >= 6 && ps->p[0] == '\\' &&
			    ps->p[1] == 'u') {
				ps->p += 2;
				if (hex4(ps, &lo))
					goto bad;
				if (lo < 0xdc00 || lo >= 0xe000) {
					fail(ps, "a lone surrogate in a \\u escape");
					goto bad;
				}
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			} else if (cp >= 0xd800 && cp < 0xe000) {
				fail(ps, "a lone surrogate in a \\u escape");
				goto bad;
			}
			if (cp == 0) {
				fail(ps, "\\u0000 in a string");
				goto bad;
			}
			put_utf8(out, &o, cp);
			break;
		default:
			fail(ps, "unknown escape '\\%c'", c);
			goto bad;
		}
	}
	if (ps->p >= ps->end) {
		fail(ps, "unterminated string");
		goto bad;
	}
	ps->p++;
	out[o] = '\0';
	return out;
bad:
	free(out);
	return NULL;
}

static struct jv *parse_value(struct parser *ps, int depth);

static struct jv *new_value(struct parser *ps, enum jv_type t)
{
	struct jv *v = xcalloc(1, sizeof(*v));

	v->type = t;
	v->line = ps->line;
	return v;
}

static void add_item(struct jv *v, char *key, int key_line, struct jv *item)
{
	v->items = realloc(v->items, (v->n + 1) * sizeof(*v->items));
	if (key) {
		v->keys = realloc(v->keys, (v->n + 1) * sizeof(*v->keys));
		v->key_lines = realloc(v->key_lines, (v->n + 1) * sizeof(*v->key_lines));
	}
	if (!v->items || (key && (!v->keys || !v->key_lines))) {
		perror("gvkvm");
		exit(3);
	}
	if (key) {
		v->keys[v->n] = key;
		v->key_lines[v->n] = key_line;
	}
	v->items[v->n++] = item;
}

static struct jv *parse_container(struct parser *ps, int depth, int object)
{
	struct jv *v = new_value(ps, object ? JV_OBJECT : JV_ARRAY);
	char close = object ? '}' : ']';

	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		return v;
	}
	for (;;) {
		char *key = NULL;
		int key_line = 0;
		struct jv *item;

		skip_ws(ps);
		if (object) {
			if (ps->p >= ps->end || *ps->p != '"') {
				fail(ps, "expected a member name in quotes");
				break;
			}
			key_line = ps->line;
			key = parse_string(ps);
			if (!key)
				break;
			for (size_t i = 0; i < v->n; i++) {
				if (!strcmp(v->keys[i], key)) {
					fail(ps, "'%s' given twice (first on line %d)", key, v->key_lines[i]);
					break;
				}
			}
			skip_ws(ps);
			if (!ps->failed && (ps->p >= ps->end || *ps->p != ':'))
				fail(ps, "expected ':' after \"%s\"", key);
			if (ps->failed) {
				free(key);
				break;
			}
			ps->p++;
		}
		item = parse_value(ps, depth + 1);
		if (!item) {
			free(key);
			break;
		}
		add_item(v, key, key_line, item);
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == close) {
			ps->p++;
			return v;
		}
		fail(ps, "expected ',' or '%c'%s", close, ps->p >= ps->end ? " before the end of the file" : "");
		break;
	}
	jv_free(v);
	return NULL;
}

static struct jv *parse_value(struct parser *ps, int depth)
{
	struct jv *v;
	const char *s;

	if (depth > JV_MAX_DEPTH) {
		fail(ps, "nested deeper than %d levels", JV_MAX_DEPTH);
		return NULL;
	}
	skip_ws(ps);
	if (ps->p >= ps->end) {
		fail(ps, "unexpected end of the file");
		return NULL;
	}
	switch (*ps->p) {
	case '{':
		return parse_container(ps, depth, 1);
	case '[':
		return parse_container(ps, depth, 0);
	case '"':
		v = new_value(ps, JV_STRING);
		v->str = parse_string(ps);
		if (!v->str) {
			free(v);
			return NULL;
		}
		return v;
	}
	for (const char *const *w = (const char *const[]){ "true", "false", "null", NULL }; *w; w++) {
		size_t n = strlen(*w);

		if ((size_t)(ps->end - ps->p) >= n && !memcmp(ps->p, *w, n)) {
			v = new_value(ps, **w == 'n' ? JV_NULL : JV_BOOL);
			v->boolean = **w == 't';
			ps->p += n;
			return v;
		}
	}
	s = ps->p;
	if (ps->p < ps->end && *ps->p == '-')
		ps->p++;
	while (ps->p < ps->end && strchr("0123456789.eE+-", *ps->p))
		ps->p++;
	if (ps->p == s || (ps->p == s + 1 && *s == '-')) {
		fail(ps, "unexpected '%c' (a value must be a string, number, object, array, true, false or null)", *s);
		return NULL;
	}
	v = new_value(ps, JV_NUMBER);
	v->str = xcalloc(ps->p - s + 1, 1);
	memcpy(v->str, s, ps->p - s);
	return v;
}

struct jv *jv_parse(const char *text, size_t len, char *err, size_t errlen)
{
	struct parser ps = { text, text + len, 1, err, errlen, 0 };
	struct jv *v;

	if (memchr(text, '\0', len)) {
		snprintf(err, errlen, "1: a NUL byte in the file (not JSON text)");
		return NULL;
	}
	v = parse_value(&ps, 0);
	if (!v)
		return NULL;
	skip_ws(&ps);
	if (ps.p < ps.end) {
		fail(&ps, "text after the end of the document");
		jv_free(v);
		return NULL;
	}
	return v;
}

void jv_free(struct jv *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++) {
		if (v->keys)
			free(v->keys[i]);
		jv_free(v->items[i]);
	}
	free(v->keys);
	free(v->key_lines);
	free(v->items);
	free(v->str);
	free(v);
}

const struct jv *jv_get(const struct jv *obj, const char *key)
{
	if (!obj || obj->type != JV_OBJECT)
		return NULL;
	for (size_t i = 0; i < obj->n; i++)
		if (!strcmp(obj->keys[i], key))
			return obj->items[i];
	return NULL;
}

const char *jv_type_name(enum jv_type t)
{
	static const char *const names[] = { "null", "a boolean", "a number", "a string", "an array",
					     "an object" };

	return names[t];
}
