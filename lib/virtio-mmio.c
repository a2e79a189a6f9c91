/* virtio-mmio.c: see virtio-mmio.h. */
#include "virtio-mmio.h"
#include "alloc.h"
#include "platform.h"
#include "asm/sysreg.h"

/* Transport registers (virtio 1.2, 4.2.2), byte offsets. */
#define VM_MAGIC		0x000
#define VM_VERSION		0x004
#define VM_DEVICE_ID		0x008
#define VM_DEVICE_FEATURES	0x010
#define VM_DEVICE_FEATURES_SEL	0x014
#define VM_DRIVER_FEATURES	0x020
#define VM_DRIVER_FEATURES_SEL	0x024
#define VM_QUEUE_SEL		0x030
#define VM_QUEUE_NUM_MAX	0x034
#define VM_QUEUE_NUM		0x038
#define VM_QUEUE_READY		0x044
#define VM_QUEUE_NOTIFY		0x050
#define VM_STATUS		0x070
#define VM_QUEUE_DESC		0x080	/* low word; the high word follows */
#define VM_QUEUE_DRIVER		0x090
#define VM_QUEUE_DEVICE		0x0a0

#define VM_MAGIC_VALUE		0x74726976	/* "virt", little-endian */
#define VM_VERSION_MODERN	2

/* Device status bits (2.1). */
#define ST_ACKNOWLEDGE		1
#define ST_DRIVER		2
#define ST_DRIVER_OK		4
#define ST_FEATURES_OK		8
#define ST_FAILED		128

/* VIRTIO_F_VERSION_1 is feature bit 32: bit 0 of the second feature word. */
#define F_VERSION_1_WORD	1
#define F_VERSION_1_BIT		(1U << 0)

/* Split virtqueue (2.7), little-endian like the guest. */
struct vq_desc {
	u64 addr;
	u32 len;
	u16 flags;
	u16 next;
};

#define VQ_AVAIL_F_NO_INTERRUPT	1	/* polled: an interrupt would only cost the VMM work */

struct vq_avail {
	u16 flags;
	u16 idx;
	u16 ring[];
};

struct vq_used_elem {
	u32 id;
	u32 len;
};

struct vq_used {
	u16 flags;
	u16 idx;
	struct vq_used_elem ring[];
};

/* One descriptor is in flight at a time; a few more cost nothing and suit any device. */
#define VQ_NUM_WANTED		8
/* Where the three parts sit in the queue's one page, each aligned beyond the spec's needs. */
#define VQ_AVAIL_OFFSET		1024
#define VQ_USED_OFFSET		2048

/*
 * Plain single loads and stores: under KVM an MMIO access must be one
 * that the exception syndrome describes (no writeback, no pair), which a
 * compiler's choice of instruction does not promise.
 */
static inline u32 mmio_read(volatile u8 *regs, unsigned int off)
{
	u32 v;

	asm volatile("ldr %w0, [%1]" : "=r" (v) : "r" (regs + off) : "memory");
	return v;
}

static inline void mmio_write(volatile u8 *regs, unsigned int off, u32 v)
{
	asm volatile("str %w0, [%1]" : : "r" (v), "r" (regs + off) : "memory");
}

static void mmio_write64(volatile u8 *regs, unsigned int off, u64 v)
{
	mmio_write(regs, off, (u32)v);
	mmio_write(regs, off + 4, (u32)(v >> 32));
}

static const char *fail(volatile u8 *regs, const char *why)
{
	static char msg[128];

	mmio_write(regs, VM_STATUS, mmio_read(regs, VM_STATUS) | ST_FAILED);
	snprintf(msg, sizeof(msg), "virtio-mmio at 0x%lx: %s", (unsigned long)(uintptr_t)regs, why);
	return msg;
}

/* 3.1.1: reset, acknowledge, negotiate VERSION_1 alone, then the queue (4.2.3.2), then DRIVER_OK. */
static const char *start(volatile u8 *regs, unsigned int queue, struct virtq_out *q)
{
	u32 num_max;
	u8 *page;

	mmio_write(regs, VM_STATUS, 0);
	if (mmio_read(regs, VM_STATUS) != 0)
		return fail(regs, "the device did not reset");
	mmio_write(regs, VM_STATUS, ST_ACKNOWLEDGE);
	mmio_write(regs, VM_STATUS, ST_ACKNOWLEDGE | ST_DRIVER);
	mmio_write(regs, VM_DEVICE_FEATURES_SEL, F_VERSION_1_WORD);
	if (!(mmio_read(regs, VM_DEVICE_FEATURES) & F_VERSION_1_BIT))
		return fail(regs, "the device does not offer VIRTIO_F_VERSION_1");
	mmio_write(regs, VM_DRIVER_FEATURES_SEL, 0);
	mmio_write(regs, VM_DRIVER_FEATURES, 0);
	mmio_write(regs, VM_DRIVER_FEATURES_SEL, F_VERSION_1_WORD);
	mmio_write(regs, VM_DRIVER_FEATURES, F_VERSION_1_BIT);
	mmio_write(regs, VM_STATUS, ST_ACKNOWLEDGE | ST_DRIVER | ST_FEATURES_OK);
	if (!(mmio_read(regs, VM_STATUS) & ST_FEATURES_OK))
		return fail(regs, "the device refused the features (VIRTIO_F_VERSION_1 only)");

	mmio_write(regs, VM_QUEUE_SEL, queue);
	if (mmio_read(regs, VM_QUEUE_READY))
		return fail(regs, "the queue is ready before the driver set it up");
	num_max = mmio_read(regs, VM_QUEUE_NUM_MAX);
	if (!num_max)
		return fail(regs, "the device has no such queue");
	q->num = num_max < VQ_NUM_WANTED ? (u16)num_max : VQ_NUM_WANTED;
	page = alloc_pages(SZ_4K);
	q->regs = regs;
	q->index = queue;
	q->desc = (struct vq_desc *)page;
	q->avail = (struct vq_avail *)(page + VQ_AVAIL_OFFSET);
	q->used = (struct vq_used *)(page + VQ_USED_OFFSET);
	q->avail->flags = VQ_AVAIL_F_NO_INTERRUPT;
	q->avail_idx = 0;
	mmio_write(regs, VM_QUEUE_NUM, q->num);
	mmio_write64(regs, VM_QUEUE_DESC, (uintptr_t)q->desc);
	mmio_write64(regs, VM_QUEUE_DRIVER, (uintptr_t)q->avail);
	mmio_write64(regs, VM_QUEUE_DEVICE, (uintptr_t)q->used);
	dsb(st);	/* the rings' zeroes before the device may read them */
	mmio_write(regs, VM_QUEUE_READY, 1);
	mmio_write(regs, VM_STATUS, ST_ACKNOWLEDGE | ST_DRIVER | ST_FEATURES_OK | ST_DRIVER_OK);
	if (mmio_read(regs, VM_STATUS) & ST_FAILED)
		return fail(regs, "the device failed when the driver was ready");
	return NULL;
}

const char *virtio_mmio_open_out(u32 device_id, unsigned int queue, struct virtq_out *q)
{
	for (int i = 0; i < platform.nr_virtio_mmio; i++) {
		volatile u8 *regs = (volatile u8 *)(uintptr_t)platform.virtio_mmio_base[i];

		/* The device first: under KVM each read is an exit, and most transports are empty. */
		if (mmio_read(regs, VM_DEVICE_ID) != device_id ||
		    mmio_read(regs, VM_MAGIC) != VM_MAGIC_VALUE)
			continue;
		/*
		 * QEMU's transports are legacy (version 1) unless told
		 * otherwise (-global virtio-mmio.force-legacy=false): say so
		 * rather than drive the older layout as well.
		 */
		if (mmio_read(regs, VM_VERSION) != VM_VERSION_MODERN) {
			static char msg[128];
			snprintf(msg, sizeof(msg), "virtio-mmio at 0x%lx: version %u, this driver needs %u "
				 "(QEMU: -global virtio-mmio.force-legacy=false)",
				 (unsigned long)(uintptr_t)regs, mmio_read(regs, VM_VERSION), VM_VERSION_MODERN);
			return msg;
		}
		return start(regs, queue, q);
	}
	return VIRTIO_NONE;
}

bool virtq_out_send(struct virtq_out *q, const void *buf, u32 len, u64 timeout_ms)
{
	u16 slot = q->avail_idx % q->num;
	u64 deadline = timer_count() + timer_ms_to_ticks(timeout_ms);

	q->desc[slot] = (struct vq_desc){ .addr = (uintptr_t)buf, .len = len };
	q->avail->ring[slot] = slot;
	dmb(ishst);	/* the descriptor and its ring entry before the index that publishes them */
	WRITE_ONCE(q->avail->idx, ++q->avail_idx);
	dsb(st);	/* all of it in memory before the device hears of it */
	mmio_write(q->regs, VM_QUEUE_NOTIFY, q->index);
	while (READ_ONCE(q->used->idx) != q->avail_idx) {
		if (timer_count() > deadline)
			return false;
		cpu_relax();
	}
	dmb(ish);	/* no write to the buffer before the device said it is done with it */
	return true;
}
