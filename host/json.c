/*
 * json.c: see json.h.  Output is indented with tabs, one member per line,
 * so that a reader can also grep it.
 */
#include "json.h"

#include <inttypes.h>
#include <string.h>

void json_init(struct json *j, FILE *out)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
	j->first[0] = true;
}

static void indent(struct json *j)
{
	for (int i = 0; i < j->depth; i++)
		fputc('\t', j->out);
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond Unicode */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

static void put_string(FILE *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str);

	fputc('"', out);
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		size_t len;

		if (c == '"' || c == '\\') {
			fputc('\\', out);
			fputc(c, out);
			i++;
		} else if (c == '\n') {
			fputs("\\n", out);
			i++;
		} else if (c == '\t') {
			fputs("\\t", out);
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(out, "\\u%04x", c);
			i++;
		} else if ((len = utf8_len(s + i, n - i)) == 0) {
			fputs("\\ufffd", out);	/* not UTF-8: the replacement character */
			i++;
		} else {
			fwrite(s + i, 1, len, out);
			i += len;
		}
	}
	fputc('"', out);
}

/* Comma, newline, indentation and "name": before a value. */
static void member(struct json *j, const char *name)
{
	if (j->depth > 0) {
		if (!j->first[j->depth])
			fputc(',', j->out);
		fputc('\n', j->out);
		indent(j);
	}
	j->first[j->depth] = false;
	if (name) {
		put_string(j->out, name);
		fputs(": ", j->out);
	}
}

static void open_level(struct json *j, const char *name, char c)
{
	member(j, name);
	fputc(c, j->out);
	if (j->depth + 1 < JSON_MAX_DEPTH)
		j->depth++;
	j->first[j->depth] = true;
}

static void close_level(struct json *j, char c)
{
	bool empty = j->first[j->depth];

	if (j->depth > 0)
		j->depth--;
	if (!empty) {
		fputc('\n', j->out);
		indent(j);
	}
	fputc(c, j->out);
}

void json_begin_object(struct json *j, const char *name) { open_level(j, name, '{'); }
void json_end_object(struct json *j) { close_level(j, '}'); }
void json_begin_array(struct json *j, const char *name) { open_level(j, name, '['); }
void json_end_array(struct json *j) { close_level(j, ']'); }

void json_string(struct json *j, const char *name, const char *value)
{
	member(j, name);
	if (value)
		put_string(j->out, value);
	else
		fputs("null", j->out);
}

void json_int(struct json *j, const char *name, int64_t value)
{
	member(j, name);
	fprintf(j->out, "%" PRId64, value);
}

void json_uint(struct json *j, const char *name, uint64_t value)
{
	member(j, name);
	fprintf(j->out, "%" PRIu64, value);
}

void json_bool(struct json *j, const char *name, bool value)
{
	member(j, name);
	fputs(value ? "true" : "false", j->out);
}

void json_null(struct json *j, const char *name)
{
	member(j, name);
	fputs("null", j->out);
}

void json_finish(struct json *j)
{
	fputc('\n', j->out);
}
