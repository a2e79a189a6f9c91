/*
 * migstream.c: reading the cpu sections of a QEMU migration stream file.
 *
 * The format (QEMU migration/savevm.c, vmstate.c, ram.c; described by
 * scripts/analyze-migration.py), all integers big-endian:
 *
 *   "QEVM" u32 3
 *   sections, each a type byte:
 *     0x07 CONFIGURATION  u32 len, machine name, then subsections
 *     0x01 START / 0x04 FULL  u32 section id, u8 len + name, u32 instance,
 *                         u32 version, contents
 *     0x02 PART / 0x03 END    u32 section id, contents
 *     0x7e FOOTER         u32 section id, after each section's contents
 *     0x08 COMMAND        u16 command, u16 len, len bytes
 *     0x00 EOF
 *   0x06 VMDESCRIPTION   u32 len, JSON: the file's last bytes
 *
 * Device contents carry no lengths: only the JSON "vmdesc", written after
 * everything else, says how many bytes each field of each device took.  So
 * the description is read first from the end of the file, then the stream
 * is walked forward: RAM by its own page protocol (pages skipped), every
 * device by its description, the cpu sections keeping their cpreg arrays.
 * Section footers, when the stream has them, check that a walk ended where
 * QEMU's did: a wrong description is then an error, not garbage values.
 */
/* fseeko, fdopen, strdup; 64-bit offsets on 32-bit hosts too. */
#define _POSIX_C_SOURCE 200809L
#define _FILE_OFFSET_BITS 64
#include "migstream.h"
#include "statehdr.h"

#include <json-c/json.h>

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#define QEVM_MAGIC 0x5145564du
#define QEVM_VERSION 3u

enum {
	SEC_EOF = 0x00,
	SEC_START = 0x01,
	SEC_PART = 0x02,
	SEC_END = 0x03,
	SEC_FULL = 0x04,
	SEC_SUBSECTION = 0x05,
	SEC_VMDESCRIPTION = 0x06,
	SEC_CONFIGURATION = 0x07,
	SEC_COMMAND = 0x08,
	SEC_FOOTER = 0x7e,
};

/* RAM page headers: a page address with these flags in its low bits. */
enum {
	RAM_FLAG_ZERO = 0x02,
	RAM_FLAG_MEM_SIZE = 0x04,
	RAM_FLAG_PAGE = 0x08,
	RAM_FLAG_EOS = 0x10,
	RAM_FLAG_CONTINUE = 0x20,
	RAM_FLAG_MULTIFD_FLUSH = 0x200,
};
#define RAM_SECTION_VERSION 4u

/* Reading the description backwards from the end, this much at a time. */
#define TAIL_CHUNK 65536u

/*
 * A forward reader with a sticky error: after the first failure every read
 * returns zeros and does nothing, so a parse can check once per section
 * instead of after every byte, and loops end because they test r->failed.
 */
struct rd {
	FILE *f;
	const char *path;
	uint64_t pos;		/* offset of the next byte */
	uint64_t limit;		/* where the stream data ends: the vmdesc */
	struct mig_error *err;
	bool failed;
};

static void fail_at(struct rd *r, uint64_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail_at(struct rd *r, uint64_t off, const char *fmt, ...)
{
	char what[768];
	va_list ap;

	if (r->failed)
		return;
	r->failed = true;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(r->err->msg, sizeof(r->err->msg), "%s: at byte %" PRIu64 " (0x%" PRIx64 "): %s",
		 r->path, off, off, what);
}

/* Can n more bytes be read before the description starts? */
static bool rd_room(struct rd *r, uint64_t n, const char *what)
{
	if (r->failed)
		return false;
	if (n > r->limit - r->pos) {
		fail_at(r, r->pos, "%s needs %" PRIu64 " bytes, but the stream data ends at byte %"
			PRIu64 " (truncated or corrupt stream)", what, n, r->limit);
		return false;
	}
	return true;
}

static void rd_bytes(struct rd *r, void *buf, size_t n, const char *what)
{
	if (!rd_room(r, n, what)) {
		memset(buf, 0, n);
		return;
	}
	if (fread(buf, 1, n, r->f) != n) {
		fail_at(r, r->pos, "%s: %s", what, ferror(r->f) ? strerror(errno) : "unexpected end of file");
		memset(buf, 0, n);
		return;
	}
	r->pos += n;
}

static void rd_skip(struct rd *r, uint64_t n, const char *what)
{
	char scratch[4096];

	if (!rd_room(r, n, what))
		return;
	/* Short skips read through stdio's buffer; long ones seek. */
	if (n >= 65536) {
		if (fseeko(r->f, (off_t)n, SEEK_CUR) != 0) {
			fail_at(r, r->pos, "%s: cannot seek: %s", what, strerror(errno));
			return;
		}
		r->pos += n;
		return;
	}
	while (n > 0 && !r->failed) {
		size_t k = n < sizeof(scratch) ? (size_t)n : sizeof(scratch);

		rd_bytes(r, scratch, k, what);
		n -= k;
	}
}

static uint8_t rd_u8(struct rd *r, const char *what)
{
	uint8_t b;

	rd_bytes(r, &b, 1, what);
	return b;
}

static uint64_t rd_be(struct rd *r, unsigned int n, const char *what)
{
	uint8_t b[8];
	uint64_t v = 0;

	rd_bytes(r, b, n, what);
	for (unsigned int i = 0; i < n; i++)
		v = v << 8 | b[i];
	return v;
}

/* The next byte without consuming it; -1 at the end of the stream data. */
static int rd_peek(struct rd *r)
{
	int c;

	if (r->failed || r->pos >= r->limit)
		return -1;
	c = getc(r->f);
	if (c == EOF) {
		fail_at(r, r->pos, "unexpected end of file");
		return -1;
	}
	ungetc(c, r->f);
	return c;
}

/*
 * A u8-length-prefixed string, as QEMU writes section and block names.
 * Bytes outside printable ASCII become '?': such names only ever appear in
 * error messages, which must stay text.
 */
static void rd_str(struct rd *r, char out[256], const char *what)
{
	uint8_t len = rd_u8(r, what);

	rd_bytes(r, out, len, what);
	out[r->failed ? 0 : len] = '\0';
	for (char *p = out; *p; p++)
		if (*p < 0x20 || *p > 0x7e)
			*p = '?';
}

/* ---- the JSON description ---- */

/*
 * Finds "0x06, be32 len, len bytes of JSON" ending exactly at the end of
 * the file.  JSON text never holds a raw 0x06 byte, so the marker is the
 * last 0x06 of the file, or one of the four before it when that one is a
 * byte of the length.  Any other ending is a truncated stream or one saved
 * without a description.  Reads backwards in chunks: never the whole file.
 */
static uint64_t find_vmdesc(struct rd *r, uint64_t size)
{
	uint8_t *buf = malloc(TAIL_CHUNK);
	uint64_t end = size, last = UINT64_MAX;

	if (!buf) {
		fail_at(r, 0, "out of memory");
		return 0;
	}
	while (end > 0 && size - end <= (uint64_t)MIG_MAX_VMDESC + 5 && last == UINT64_MAX) {
		size_t n = end < TAIL_CHUNK ? (size_t)end : TAIL_CHUNK;
		uint64_t start = end - n;

		if (fseeko(r->f, (off_t)start, SEEK_SET) != 0 || fread(buf, 1, n, r->f) != n) {
			fail_at(r, start, "cannot read: %s", strerror(errno));
			break;
		}
		for (size_t i = n; i-- > 0;) {
			if (buf[i] == SEC_VMDESCRIPTION) {
				last = start + i;
				break;
			}
		}
		end = start;
	}
	free(buf);
	r->limit = size;
	for (uint64_t off = last; !r->failed && last != UINT64_MAX && off + 4 >= last; off--) {
		uint64_t len;

		if (size - off >= 5 && fseeko(r->f, (off_t)off, SEEK_SET) == 0) {
			r->pos = off;
			if (rd_u8(r, "VM description") == SEC_VMDESCRIPTION) {
				len = rd_be(r, 4, "VM description length");
				if (!r->failed && len > 0 && len == size - off - 5)
					return off;
			}
		}
		if (off == 0)
			break;
	}
	fail_at(r, size, "the file does not end with a VM description (QEMU_VM_VMDESCRIPTION, "
		"0x06 + length + JSON): truncated, or saved without one");
	return 0;
}

static json_object *load_vmdesc(struct rd *r, uint64_t off, uint64_t size)
{
	uint64_t len = size - off - 5;
	struct json_tokener *tok;
	json_object *desc;
	char *text;

	if (len > MIG_MAX_VMDESC) {
		fail_at(r, off, "VM description of %" PRIu64 " bytes is larger than %u", len,
			MIG_MAX_VMDESC);
		return NULL;
	}
	text = malloc(len);
	/* Each struct field nests three levels deeper: room beyond json-c's default 32. */
	tok = json_tokener_new_ex(256);
	if (!text || !tok) {
		fail_at(r, off, "out of memory");
		free(text);
		if (tok)
			json_tokener_free(tok);
		return NULL;
	}
	r->limit = size;
	rd_bytes(r, text, len, "VM description");
	desc = r->failed ? NULL : json_tokener_parse_ex(tok, text, (int)len);
	if (!r->failed && json_tokener_get_error(tok) != json_tokener_success) {
		enum json_tokener_error e = json_tokener_get_error(tok);

		fail_at(r, off + 5 + json_tokener_get_parse_end(tok), "VM description is not valid JSON: %s",
			e == json_tokener_continue ? "it ends too early" : json_tokener_error_desc(e));
	} else if (!r->failed && json_tokener_get_parse_end(tok) != (size_t)len) {
		fail_at(r, off + 5 + json_tokener_get_parse_end(tok),
			"VM description is not valid JSON: data after the JSON value");
	} else if (!r->failed && !json_object_is_type(desc, json_type_object)) {
		fail_at(r, off + 5, "VM description is not a JSON object");
	}
	if (r->failed) {
		json_object_put(desc);
		desc = NULL;
	}
	json_tokener_free(tok);
	free(text);
	return desc;
}

static json_object *jget(json_object *o, const char *key, enum json_type type)
{
	json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, type))
		return NULL;
	return v;
}

/* A non-negative integer member, or -1 when absent or not one. */
static int64_t jint(json_object *o, const char *key)
{
	json_object *v = jget(o, key, json_type_int);
	int64_t n;

	if (!v)
		return -1;
	n = json_object_get_int64(v);
	return n < 0 ? -1 : n;
}

static const char *jstr(json_object *o, const char *key)
{
	json_object *v = jget(o, key, json_type_string);

	return v ? json_object_get_string(v) : NULL;
}

/* ---- walking device contents by their description ---- */

/* What the cpu section keeps; NULL for every other walk. */
struct cpreg_capture {
	int64_t array_len;	/* -1 until read */
	uint64_t *idx, *val;
	uint32_t nidx, nval;
};

static void walk_vmsd(struct rd *r, json_object *desc, const char *ctx, uint64_t desc_off,
		      struct cpreg_capture *cap);

static void read_u64_array(struct rd *r, uint64_t **arr, uint32_t *n, uint64_t count,
			   const char *what)
{
	uint64_t *p;

	if (r->failed)
		return;
	if (*n + count > MIG_MAX_CPREGS) {
		fail_at(r, r->pos, "%s has more than %u entries (corrupt description?)", what,
			MIG_MAX_CPREGS);
		return;
	}
	if (!rd_room(r, count * 8, what))
		return;
	p = realloc(*arr, (*n + count) * sizeof(**arr) + 1);
	if (!p) {
		fail_at(r, r->pos, "out of memory");
		return;
	}
	*arr = p;
	for (uint64_t i = 0; i < count && !r->failed; i++)
		p[(*n)++] = rd_be(r, 8, what);
}

static void walk_field(struct rd *r, json_object *field, const char *ctx, unsigned int i,
		       uint64_t desc_off, struct cpreg_capture *cap)
{
	const char *name = jstr(field, "name"), *type = jstr(field, "type");
	int64_t size = jint(field, "size"), count = 1;
	char what[512];
	bool is_idx;

	if (!name || !type || size < 0) {
		fail_at(r, desc_off, "VM description: %s, field %u has no name, type or size", ctx, i);
		return;
	}
	if (jget(field, "array_len", json_type_int)) {
		count = jint(field, "array_len");
		if (count < 0 || count > UINT32_MAX) {
			fail_at(r, desc_off, "VM description: %s, field '%s' has a bad array_len", ctx,
				name);
			return;
		}
	}
	if (size > UINT32_MAX) {
		fail_at(r, desc_off, "VM description: %s, field '%s' has a bad size", ctx, name);
		return;
	}
	snprintf(what, sizeof(what), "%s, field '%s'", ctx, name);
	if (cap && !strcmp(name, "cpreg_vmstate_array_len")) {
		/* "int32 le" is QEMU's "less or equal" check on load; the value
		 * is written big-endian like every other. */
		if (size != 4 || count != 1) {
			fail_at(r, desc_off, "VM description: %s is not one 4-byte integer", what);
			return;
		}
		cap->array_len = (int32_t)rd_be(r, 4, what);
		return;
	}
	is_idx = !strcmp(name, "cpreg_vmstate_indexes");
	if (cap && (is_idx || !strcmp(name, "cpreg_vmstate_values"))) {
		if (size != 8) {
			fail_at(r, desc_off, "VM description: %s has %" PRId64 "-byte elements, not 8",
				what, size);
			return;
		}
		read_u64_array(r, is_idx ? &cap->idx : &cap->val, is_idx ? &cap->nidx : &cap->nval,
			       (uint64_t)count, what);
		return;
	}
	/* Whatever the type (a struct's size includes its own subsections):
	 * size is what one element took in the stream. */
	rd_skip(r, (uint64_t)size * (uint64_t)count, what);
}

static void walk_subsection(struct rd *r, json_object *sub, const char *ctx, uint64_t desc_off)
{
	const char *want = jstr(sub, "vmsd_name");
	uint64_t at = r->pos;
	char name[256], subctx[768];
	uint8_t type;

	if (!want) {
		fail_at(r, desc_off, "VM description: %s has a subsection without vmsd_name", ctx);
		return;
	}
	type = rd_u8(r, ctx);
	if (!r->failed && type != SEC_SUBSECTION) {
		fail_at(r, at, "%s: expected subsection '%s' (0x05), found byte 0x%02x", ctx, want, type);
		return;
	}
	rd_str(r, name, ctx);
	rd_be(r, 4, ctx);	/* its version: the description is of what was written */
	if (!r->failed && strcmp(name, want)) {
		fail_at(r, at, "%s: expected subsection '%s', found '%s'", ctx, want, name);
		return;
	}
	snprintf(subctx, sizeof(subctx), "%s, subsection '%s'", ctx, name);
	walk_vmsd(r, sub, subctx, desc_off, NULL);
}

static void walk_fields(struct rd *r, json_object *desc, const char *ctx, uint64_t desc_off,
			struct cpreg_capture *cap)
{
	json_object *fields = jget(desc, "fields", json_type_array);

	if (!fields) {
		fail_at(r, desc_off, "VM description: %s has no fields", ctx);
		return;
	}
	for (size_t i = 0; i < json_object_array_length(fields) && !r->failed; i++)
		walk_field(r, json_object_array_get_idx(fields, i), ctx, (unsigned int)i, desc_off, cap);
}

static void walk_subsections(struct rd *r, json_object *desc, const char *ctx, uint64_t desc_off)
{
	json_object *subs = jget(desc, "subsections", json_type_array);

	for (size_t i = 0; subs && i < json_object_array_length(subs) && !r->failed; i++)
		walk_subsection(r, json_object_array_get_idx(subs, i), ctx, desc_off);
}

/* Fields, then subsections: the order in which vmstate_save_state wrote them. */
static void walk_vmsd(struct rd *r, json_object *desc, const char *ctx, uint64_t desc_off,
		      struct cpreg_capture *cap)
{
	walk_fields(r, desc, ctx, desc_off, cap);
	walk_subsections(r, desc, ctx, desc_off);
}

/* ---- the sections ---- */

struct walk {
	struct rd r;
	struct migstream *ms;
	json_object *desc;
	uint64_t desc_off;
	uint32_t page_size;
	bool ignore_shared;	/* capability x-ignore-shared: blocks carry their address */
	int64_t ram_id;		/* section id of "ram", -1 before its START */
	bool footers;		/* the stream has section footers */
	uint32_t cpus_cap;
};

/* The capabilities that change the RAM format are listed in the stream. */
static void config_capabilities(struct walk *w, const char *ctx)
{
	struct rd *r = &w->r;
	uint32_t n = (uint32_t)rd_be(r, 4, ctx);
	char cap[256];

	for (uint32_t i = 0; i < n && !r->failed; i++) {
		uint64_t at = r->pos;

		rd_str(r, cap, ctx);
		if (!strcmp(cap, "x-ignore-shared"))
			w->ignore_shared = true;
		else if (!strcmp(cap, "mapped-ram"))
			fail_at(r, at, "capability mapped-ram (RAM at fixed file offsets) is not supported");
	}
}

/*
 * u32 len, the machine type name, subsections.  QEMU 7.2 does not describe
 * the configuration in the vmdesc; newer ones do, and their description
 * then wins for subsections this code does not know.
 */
static void config_section(struct walk *w)
{
	struct rd *r = &w->r;
	json_object *cdesc = jget(w->desc, "configuration", json_type_object);
	json_object *subs = jget(cdesc, "subsections", json_type_array);
	uint64_t at = r->pos;
	uint32_t len = (uint32_t)rd_be(r, 4, "configuration section");

	if (r->failed)
		return;
	if (w->ms->machine) {
		fail_at(r, at - 1, "a second configuration section");
		return;
	}
	if (len > 255) {
		fail_at(r, at, "configuration section: machine name of %u bytes", len);
		return;
	}
	w->ms->machine = calloc(1, len + 1);
	if (!w->ms->machine) {
		fail_at(r, at, "out of memory");
		return;
	}
	rd_bytes(r, w->ms->machine, len, "configuration section, machine name");
	for (char *p = w->ms->machine; *p; p++)	/* it is printed: keep it text */
		if (*p < 0x20 || *p > 0x7e)
			*p = '?';
	while (rd_peek(r) == SEC_SUBSECTION) {
		char name[256], ctx[320];
		json_object *sub = NULL;

		at = r->pos;
		rd_u8(r, "configuration subsection");
		rd_str(r, name, "configuration subsection");
		rd_be(r, 4, "configuration subsection");
		snprintf(ctx, sizeof(ctx), "configuration subsection '%s'", name);
		for (size_t i = 0; subs && i < json_object_array_length(subs); i++) {
			const char *n = jstr(json_object_array_get_idx(subs, i), "vmsd_name");

			if (n && !strcmp(n, name))
				sub = json_object_array_get_idx(subs, i);
		}
		if (!strcmp(name, "configuration/capabilities"))
			config_capabilities(w, ctx);
		else if (sub)
			walk_vmsd(r, sub, ctx, w->desc_off, NULL);
		else if (!strcmp(name, "configuration/target-page-bits"))
			rd_skip(r, 4, ctx);
		else if (!strcmp(name, "configuration/uuid"))
			rd_skip(r, 16, ctx);
		else
			fail_at(r, at, "unknown %s, and the VM description does not describe it", ctx);
	}
}

/* RAM contents up to the end-of-section flag: page headers, pages skipped. */
static void ram_contents(struct walk *w)
{
	struct rd *r = &w->r;
	char name[256];

	if (w->page_size == 0) {
		fail_at(r, r->pos, "RAM section, but the VM description has no page_size");
		return;
	}
	while (!r->failed) {
		uint64_t at = r->pos, hdr = rd_be(r, 8, "RAM page header");
		uint64_t flags = hdr & (w->page_size - 1), addr = hdr & ~(uint64_t)(w->page_size - 1);
		bool eos;

		if (flags & RAM_FLAG_MEM_SIZE) {
			/* The RAM blocks: name and size, until the total is reached. */
			uint64_t total = addr;

			while (total > 0 && !r->failed) {
				uint64_t blk_at = r->pos, blen;

				rd_str(r, name, "RAM block list");
				blen = rd_be(r, 8, "RAM block list");
				if (!r->failed && (blen == 0 || blen > total)) {
					fail_at(r, blk_at, "RAM block '%s' of %" PRIu64 " bytes does not fit "
						"the total", name, blen);
					return;
				}
				total -= blen;
				if (w->ignore_shared)
					rd_skip(r, 8, "RAM block address");
			}
			flags &= ~(uint64_t)RAM_FLAG_MEM_SIZE;
		}
		if (flags & (RAM_FLAG_ZERO | RAM_FLAG_PAGE)) {
			if (!(flags & RAM_FLAG_CONTINUE))
				rd_str(r, name, "RAM page block name");
			if (flags & RAM_FLAG_ZERO)
				rd_skip(r, 1, "zero page fill byte");
			else
				rd_skip(r, w->page_size, "RAM page");
			flags &= ~(uint64_t)(RAM_FLAG_ZERO | RAM_FLAG_PAGE | RAM_FLAG_CONTINUE);
		}
		eos = flags & RAM_FLAG_EOS;
		flags &= ~(uint64_t)(RAM_FLAG_MULTIFD_FLUSH | RAM_FLAG_EOS);
		if (flags && !r->failed) {
			fail_at(r, at, "RAM page header 0x%016" PRIx64 " has flags 0x%" PRIx64
				" this reader does not know (XBZRLE, compression, corrupt?)", hdr, flags);
			return;
		}
		if (eos)
			return;
	}
}

static json_object *device_desc(struct walk *w, const char *name, uint32_t instance)
{
	json_object *devs = jget(w->desc, "devices", json_type_array);

	for (size_t i = 0; devs && i < json_object_array_length(devs); i++) {
		json_object *d = json_object_array_get_idx(devs, i);
		const char *n = jstr(d, "name");

		if (n && !strcmp(n, name) && jint(d, "instance_id") == (int64_t)instance)
			return d;
	}
	return NULL;
}

static void cpu_section(struct walk *w, json_object *desc, uint32_t instance, uint64_t at)
{
	struct rd *r = &w->r;
	struct cpreg_capture cap = { .array_len = -1 };
	struct migstream *ms = w->ms;
	struct mig_cpu *cpu;
	char ctx[64];

	snprintf(ctx, sizeof(ctx), "section 'cpu' instance %" PRIu32, instance);
	/* The lists are checked before the subsections: a description that
	 * lies about them is named as such, not as a subsection out of place. */
	walk_fields(r, desc, ctx, w->desc_off, &cap);
	if (!r->failed && (cap.array_len < 0 || !cap.idx || !cap.val))
		fail_at(r, at, "%s has no cpreg_vmstate_array_len/_indexes/_values: not an Arm CPU?", ctx);
	else if (!r->failed && (cap.array_len != cap.nidx || cap.nidx != cap.nval))
		fail_at(r, at, "%s: cpreg_vmstate_array_len %" PRId64 " but %" PRIu32 " indexes and %"
			PRIu32 " values", ctx, cap.array_len, cap.nidx, cap.nval);
	walk_subsections(r, desc, ctx, w->desc_off);
	if (!r->failed && ms->ncpus == w->cpus_cap) {
		uint32_t ncap = w->cpus_cap ? w->cpus_cap * 2 : 4;
		struct mig_cpu *p = ncap > MIG_MAX_CPUS ? NULL : realloc(ms->cpus, ncap * sizeof(*p));

		if (!p) {
			fail_at(r, at, "more than %u cpu sections, or out of memory", MIG_MAX_CPUS);
		} else {
			ms->cpus = p;
			w->cpus_cap = ncap;
		}
	}
	if (!r->failed) {
		cpu = &ms->cpus[ms->ncpus++];
		*cpu = (struct mig_cpu){ .instance_id = instance, .offset = at, .nregs = cap.nidx };
		cpu->regs = calloc(cap.nidx + 1, sizeof(*cpu->regs));
		if (!cpu->regs)
			fail_at(r, at, "out of memory");
		for (uint32_t i = 0; cpu->regs && i < cap.nidx; i++)
			cpu->regs[i] = (struct mig_cpreg){ cap.idx[i], cap.val[i] };
	}
	free(cap.idx);
	free(cap.val);
}

/* START or FULL: a header naming the device, then its contents. */
static void named_section(struct walk *w, uint8_t type, uint64_t at, uint32_t id)
{
	struct rd *r = &w->r;
	char name[256];
	uint32_t instance, version;	/* version: the description matches it */
	json_object *desc;

	rd_str(r, name, "section header");
	instance = (uint32_t)rd_be(r, 4, "section header");
	version = (uint32_t)rd_be(r, 4, "section header");
	if (r->failed)
		return;
	if (!strcmp(name, "ram")) {
		if (version != RAM_SECTION_VERSION) {
			fail_at(r, at, "section 'ram' has version %" PRIu32 ", this reader knows %u",
				version, RAM_SECTION_VERSION);
			return;
		}
		w->ram_id = id;
		ram_contents(w);
		return;
	}
	if (type == SEC_START) {
		fail_at(r, at, "iterative section '%s' (not RAM) is not supported", name);
		return;
	}
	desc = device_desc(w, name, instance);
	if (!desc) {
		fail_at(r, at, "section '%s' instance %" PRIu32 " is not in the VM description", name,
			instance);
		return;
	}
	if (!strcmp(name, "cpu")) {
		cpu_section(w, desc, instance, at);
	} else {
		char ctx[320];

		snprintf(ctx, sizeof(ctx), "section '%s' instance %" PRIu32, name, instance);
		walk_vmsd(r, desc, ctx, w->desc_off, NULL);
	}
}

/* A footer repeats the section id: proof that the walk ended where QEMU's did. */
static void footer(struct walk *w, uint32_t id, uint64_t sec_at)
{
	struct rd *r = &w->r;
	uint64_t at = r->pos;
	int c = rd_peek(r);
	uint32_t got;

	if (r->failed)
		return;
	if (c != SEC_FOOTER) {
		if (w->footers)
			fail_at(r, at, "expected the footer (0x7e) of the section at byte %" PRIu64
				", found 0x%02x: its description does not match the stream", sec_at, c);
		return;
	}
	w->footers = true;
	rd_u8(r, "section footer");
	got = (uint32_t)rd_be(r, 4, "section footer");
	if (!r->failed && got != id)
		fail_at(r, at, "footer of section %" PRIu32 " (at byte %" PRIu64 ") names section %"
			PRIu32, id, sec_at, got);
}

static void walk_sections(struct walk *w)
{
	struct rd *r = &w->r;

	for (;;) {
		uint64_t at = r->pos;
		uint8_t type = rd_u8(r, "section type");
		uint32_t id;

		if (r->failed)
			return;
		switch (type) {
		case SEC_EOF:
			if (r->pos != w->desc_off)
				fail_at(r, at, "end-of-stream marker, but the VM description starts at byte %"
					PRIu64, w->desc_off);
			return;
		case SEC_CONFIGURATION:
			config_section(w);
			break;
		case SEC_START:
		case SEC_FULL:
			id = (uint32_t)rd_be(r, 4, "section header");
			named_section(w, type, at, id);
			footer(w, id, at);
			break;
		case SEC_PART:
		case SEC_END:
			id = (uint32_t)rd_be(r, 4, "section header");
			if (!r->failed && (w->ram_id < 0 || id != (uint32_t)w->ram_id)) {
				fail_at(r, at, "continuation of section %" PRIu32 ", which is not RAM", id);
				return;
			}
			ram_contents(w);
			footer(w, id, at);
			break;
		case SEC_COMMAND:
			rd_be(r, 2, "command");
			rd_skip(r, rd_be(r, 2, "command"), "command data");
			break;
		default:
			fail_at(r, at, "unknown section type 0x%02x", type);
			return;
		}
	}
}

/*
 * Where QEMU's stream starts: 0, or after the header line of a guestview
 * state file (statehdr.h), which is validated as a restore would.  The
 * reader is left there.  Offsets in messages stay the file's.
 */
static uint64_t state_file_base(struct rd *r)
{
	char buf[STATE_HEADER_MAX], why[256];
	size_t n = fread(buf, 1, sizeof(buf), r->f), hlen = 0;
	struct state_header h;

	if (state_header_claimed(buf, n)) {
		if (state_header_parse(buf, n, &h, why, sizeof(why))) {
			fail_at(r, 0, "a guestview state file, but %s", why);
			return 0;
		}
		hlen = h.len;
	}
	if (fseeko(r->f, (off_t)hlen, SEEK_SET) != 0)
		fail_at(r, 0, "cannot seek: %s", strerror(errno));
	r->pos = hlen;
	return hlen;
}

int migstream_load(const char *path, struct migstream *ms, struct mig_error *err)
{
	struct walk w = { .ms = ms, .ram_id = -1 };
	struct rd *r = &w.r;
	struct stat st;
	uint64_t size, base;
	int fd;

	memset(ms, 0, sizeof(*ms));
	*r = (struct rd){ .path = path, .err = err };
	err->msg[0] = '\0';
	/* O_NONBLOCK: opening a FIFO must not wait for a writer, only fail below. */
	fd = open(path, O_RDONLY | O_NONBLOCK);
	if (fd < 0) {
		snprintf(err->msg, sizeof(err->msg), "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err->msg, sizeof(err->msg),
			 "%s: not a regular file (the VM description is read from its end)", path);
		close(fd);
		return -1;
	}
	r->f = fdopen(fd, "rb");
	if (!r->f) {
		snprintf(err->msg, sizeof(err->msg), "%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	size = (uint64_t)st.st_size;
	ms->path = strdup(path);
	ms->file_size = size;

	/* A guestview state file: its stream starts after the header line. */
	base = state_file_base(r);
	/* Header first: a file that is no stream at all deserves that message. */
	r->limit = size;
	if (rd_be(r, 4, "file magic") != QEVM_MAGIC && !r->failed)
		fail_at(r, base, "not a QEMU migration stream (no \"QEVM\" magic)%s",
			base ? " after the state file's header" : "");
	if (rd_be(r, 4, "file version") != QEVM_VERSION && !r->failed)
		fail_at(r, base + 4, "migration stream version is not 3");

	if (!r->failed)
		w.desc_off = find_vmdesc(r, size);
	if (!r->failed)
		w.desc = load_vmdesc(r, w.desc_off, size);
	if (!r->failed) {
		int64_t ps = jint(w.desc, "page_size");

		/* A power of two: page headers keep their flags in the low bits. */
		if (ps >= 512 && ps <= (1 << 20) && !(ps & (ps - 1)))
			w.page_size = (uint32_t)ps;
		else if (jget(w.desc, "page_size", json_type_int))
			fail_at(r, w.desc_off, "VM description: bad page_size %" PRId64, ps);
		if (!jget(w.desc, "devices", json_type_array))
			fail_at(r, w.desc_off, "VM description has no devices array");
	}
	if (!r->failed) {
		ms->vmdesc_offset = w.desc_off;
		if (fseeko(r->f, (off_t)(base + 8), SEEK_SET) != 0)
			fail_at(r, base + 8, "cannot seek: %s", strerror(errno));
		r->pos = base + 8;
		r->limit = w.desc_off;
		walk_sections(&w);
	}
	if (!r->failed && ms->ncpus == 0)
		fail_at(r, w.desc_off, "the stream has no cpu section");
	/* Old machine types send no configuration section. */
	if (!r->failed && !ms->machine && !(ms->machine = strdup("unknown")))
		fail_at(r, 0, "out of memory");
	json_object_put(w.desc);
	fclose(r->f);
	if (r->failed) {
		migstream_free(ms);
		return -1;
	}
	if (!ms->path) {
		snprintf(err->msg, sizeof(err->msg), "%s: out of memory", path);
		migstream_free(ms);
		return -1;
	}
	return 0;
}

void migstream_free(struct migstream *ms)
{
	for (uint32_t i = 0; i < ms->ncpus; i++)
		free(ms->cpus[i].regs);
	free(ms->cpus);
	free(ms->machine);
	free(ms->path);
	memset(ms, 0, sizeof(*ms));
}

const struct mig_cpu *migstream_cpu(const struct migstream *ms, uint32_t cpu)
{
	for (uint32_t i = 0; i < ms->ncpus; i++)
		if (ms->cpus[i].instance_id == cpu)
			return &ms->cpus[i];
	return NULL;
}
