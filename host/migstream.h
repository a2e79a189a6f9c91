/*
 * migstream.h: the CPU register lists of a QEMU migration stream saved to a
 * file ("QEVM", version 3, with the JSON VM description at its end).
 *
 * QEMU's arm "cpu" section carries the vCPU's coprocessor/system registers
 * as two parallel arrays of KVM-style 64-bit register ids and values
 * (cpreg_vmstate_indexes/_values, cpreg_vmstate_array_len entries), under
 * KVM and TCG alike.  A destination refuses the stream when its own list
 * lacks one of the ids or a read-only value differs; these lists are how
 * to name the registers behind QEMU's "Failed to load cpu:..." messages
 * (cpregdiff.h compares two of them).
 */
#ifndef GUESTVIEW_HOST_MIGSTREAM_H
#define GUESTVIEW_HOST_MIGSTREAM_H
#include <stdint.h>

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

#endif
