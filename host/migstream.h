/*
 * migstream.h: the CPU register lists of a QEMU migration stream saved to a
 * file ("QEVM", version 3, with the JSON VM description at its end).
 *
 * QEMU's arm "cpu" section carries the vCPU's coprocessor/system registers
 * as two parallel arrays of KVM-style 64-bit register ids and values
 * (cpreg_vmstate_indexes/_values, cpreg_vmstate_array_len entries), under
 * KVM and TCG alike.  A destination refuses the stream when its own list
 * lacks one of the ids or a read-only value differs; these lists are how
 * to name the registers behind QEMU's "Failed to load cpu:..." messages.
 */
#ifndef GUESTVIEW_HOST_MIGSTREAM_H
#define GUESTVIEW_HOST_MIGSTREAM_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* What no real stream comes near; larger values mean a corrupt file. */
#define MIG_MAX_VMDESC (64u << 20)	/* bytes of JSON description */
#define MIG_MAX_CPREGS 65536		/* entries of one vCPU's list */
#define MIG_MAX_CPUS 4096

struct mig_cpreg {
	uint64_t id;		/* KVM ONE_REG id, as QEMU writes it */
	uint64_t value;
};

struct mig_cpu {
	uint32_t instance_id;	/* the vCPU index */
	uint64_t offset;	/* of the section in the file, for messages */
	uint32_t nregs;
	struct mig_cpreg *regs;	/* in stream order (QEMU sorts them by id) */
};

struct migstream {
	char *path;
	char *machine;		/* the configuration section's, e.g. "virt-7.2";
				 * "unknown" when the stream has none */
	uint32_t page_size;	/* the vmdesc's */
	uint64_t file_size;
	uint64_t vmdesc_offset;	/* of the QEMU_VM_VMDESCRIPTION byte */
	uint32_t ncpus;
	struct mig_cpu *cpus;	/* in stream order */
};

/* "PATH: at byte N (0xN): what went wrong", ready to print. */
struct mig_error {
	char msg[1024];
};

/*
 * Reads the cpu sections of the stream file at path, skipping every other
 * section (RAM pages by seeking: the file is never read whole).  0 on
 * success; -1 with err filled, ms then empty (migstream_free is harmless).
 * path must name a seekable file: the description is at its end.
 */
int migstream_load(const char *path, struct migstream *ms, struct mig_error *err);
void migstream_free(struct migstream *ms);

/* The vCPU whose instance id is cpu, or NULL. */
const struct mig_cpu *migstream_cpu(const struct migstream *ms, uint32_t cpu);

/*
 * Comparing the register lists of a migration source's stream with a
 * destination's, vCPU by vCPU, as QEMU's cpu_post_load does: a register the
 * destination lacks fails the load; one only the destination has keeps the
 * destination's value; a value the destination cannot take (a read-only
 * one that differs) fails the load under TCG.
 */
enum cpreg_change {
	CPREG_MISSING,		/* in the source only: the destination lacks it */
	CPREG_EXTRA,		/* in the destination only */
	CPREG_RO_DIFFERS,	/* read-only (regnames.h kind), values differ */
	CPREG_STATE_DIFFERS,	/* live state, values differ: expected */
};

struct cpreg_delta {
	uint64_t id;
	uint64_t src, dst;	/* 0 on the side that lacks the register */
	uint8_t change;		/* enum cpreg_change */
	uint8_t kind;		/* enum reg_kind */
};

struct cpreg_cpu_diff {
	uint32_t cpu;
	uint32_t nsrc, ndst;	/* list lengths; UINT32_MAX: no such vCPU on that side */
	struct cpreg_delta *d;	/* by id */
	size_t n;
	size_t count[4];	/* by enum cpreg_change */
};

struct cpreg_diff {
	const struct migstream *src, *dst;	/* not owned */
	struct cpreg_cpu_diff *cpus;		/* source vCPUs, then destination-only ones */
	size_t ncpus;
	size_t count[4];			/* over all vCPUs */
	size_t cpus_only_src, cpus_only_dst;
	bool len_refused;	/* a source list longer than the destination's */
};

/* 0, or -1 when out of memory (d is then empty). */
int cpreg_diff_compute(struct cpreg_diff *d, const struct migstream *src, const struct migstream *dst);
void cpreg_diff_free(struct cpreg_diff *d);
/* 0: same registers and same read-only values on every vCPU; 1: not. */
int cpreg_diff_status(const struct cpreg_diff *d);

enum {
	CPREG_REPORT_VERBOSE = 1,	/* list the state that differs too */
	CPREG_REPORT_JSON = 2,
};
void cpreg_diff_print(const struct cpreg_diff *d, FILE *out, unsigned int flags);

/*
 * Loads both streams, writes the report to out and any input error ("PATH:
 * at byte N (0xN): what") to err.  Returns the exit status of `gvstream
 * diff`: 0 same register set and read-only values, 1 differences, 2 a file
 * could not be read.  cpreg_diff_report is the text report, errors to out.
 */
int cpreg_diff_report_flags(const char *src_path, const char *dst_path, FILE *out, FILE *err,
			    unsigned int flags);
int cpreg_diff_report(const char *src_path, const char *dst_path, FILE *out);

#endif
