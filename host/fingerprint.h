/*
 * fingerprint.h: a parsed guestview fingerprint (the format is described
 * at the top of fingerprint.c), and finding one in a console log.
 */
#ifndef GUESTVIEW_HOST_FINGERPRINT_H
#define GUESTVIEW_HOST_FINGERPRINT_H
#include <stddef.h>
#include <stdint.h>

#include "fpformat.h"	/* markers, header and value words, shared with the guest */

/* Limits: what no real fingerprint or console log comes near. */
#define FP_MAX_KEY 96
#define FP_MAX_LINE 4096		/* bytes, without the newline */
#define FP_MAX_LINES 100000		/* lines of one fingerprint */
#define FP_MAX_FILE (16u << 20)		/* bytes read from one file */
#define FP_MAX_CPU 65535		/* N of sysreg.cpuN.<NAME> */

enum fp_category { CAT_SYSREG, CAT_IDSPACE, CAT_FW, CAT_GIC, CAT_TIMER, CAT_PMU, CAT_PROBE };

enum fp_vkind {
	VAL_HEX,	/* 0x + 16 lowercase hex digits */
	VAL_UNDEF,	/* the read was UNDEFINED (EC 0x00) */
	VAL_TRAP,	/* another exception class, in ec */
	VAL_EXEC,	/* a probe executed */
	VAL_OWNTRAP,	/* a probe took the trap of the guest's own EL1 enable (tables/probes.h) */
};

struct fp_value {
	uint8_t kind;	/* enum fp_vkind */
	uint8_t ec;	/* VAL_TRAP: 0x01..0x3f */
	uint64_t v;	/* VAL_HEX */
};

struct fp_entry {
	char key[FP_MAX_KEY + 1];
	unsigned int line;	/* in the file it was read from */
	uint8_t cat;		/* enum fp_category */
	/*
	 * sysreg keys: reg is the table's register id (-1 when the table does
	 * not know the name, which is kept in regname), cpu the N of
	 * sysreg.cpuN.<NAME> (-1 otherwise), cache the selection of
	 * sysreg.<NAME>.<sel> ("" otherwise).
	 * idspace keys: slot 0..191, reg the register allocated there or -1.
	 */
	int reg;
	int cpu;
	int slot;
	char regname[FP_MAX_KEY + 1];
	char cache[4];
	struct fp_value val;
};

struct fingerprint {
	const char *file;	/* for messages; not owned */
	struct fp_entry *e;	/* in file order */
	size_t n, cap;
	uint32_t *index;	/* open-addressing hash of e[] by key: i + 1, 0 empty */
	size_t index_cap;
};

/* A message "FILE:LINE: what went wrong", ready to print. */
struct fp_error {
	char msg[1024];
};

/*
 * Parses the fingerprint text buf[0..len) (header line first), whose first
 * line is line first_line of file.  0 on success; -1 with err filled (fp
 * is then empty but must still be freed with fp_free).
 */
int fp_parse(struct fingerprint *fp, const char *file, const char *buf, size_t len,
	     unsigned int first_line, struct fp_error *err);
void fp_free(struct fingerprint *fp);
const struct fp_entry *fp_find(const struct fingerprint *fp, const char *key);

/* Where the Nth fingerprint of a console log is: its text without markers. */
struct fp_block {
	size_t start, len;		/* in the log buffer */
	unsigned int first_line;	/* log line of the header line */
};

/* 0 with blk filled; -1 with err filled.  nth counts from 1. */
int fp_find_block(const char *file, const char *buf, size_t len, unsigned int nth,
		  struct fp_block *blk, struct fp_error *err);

/*
 * Reads a whole file ("-": standard input) of at most FP_MAX_FILE bytes
 * into a malloc'ed, NUL-terminated buffer.  0 on success, -1 with err.
 */
int fp_read_file(const char *path, char **buf, size_t *len, struct fp_error *err);

/* Writes s[0..n) into dst for a message: non-printable bytes as \xNN,
 * cut with "..." after 60 characters. */
void fp_quote(char *dst, size_t dstsz, const char *s, size_t n);

/* The value as written in a fingerprint: "0x...", "undef", "trap:0xNN", "exec", "owntrap". */
void fp_value_str(const struct fp_value *v, char *dst, size_t dstsz);
int fp_value_eq(const struct fp_value *a, const struct fp_value *b);

const char *fp_category_name(int cat);

#endif
