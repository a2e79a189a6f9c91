/*
 * virtio-mmio.h: one driver-to-device virtqueue on a virtio-mmio transport
 * (virtio 1.x, the transport's register layout version 2), polled: the
 * guest runs with interrupts masked, and a result channel only needs to
 * know that the device took a buffer.  Written from the virtio 1.2
 * specification (sections 2.7 split virtqueues, 3.1 initialisation,
 * 4.2 virtio over MMIO).
 */
#ifndef GUESTVIEW_VIRTIO_MMIO_H
#define GUESTVIEW_VIRTIO_MMIO_H
#include "libcflat.h"

#define VIRTIO_ID_CONSOLE	3

struct vq_desc;
struct vq_avail;
struct vq_used;

struct virtq_out {
	volatile u8 *regs;	/* the transport's registers */
	unsigned int index;	/* the queue's number on its device */
	u16 num;		/* descriptors in the ring */
	u16 avail_idx;		/* the next avail ring index the driver writes */
	struct vq_desc *desc;
	struct vq_avail *avail;
	struct vq_used *used;
};

/*
 * Finds the first transport of the device tree that holds a device of
 * type device_id, initialises the device (features: VIRTIO_F_VERSION_1
 * only) and makes queue 'queue' ready, ring memory from alloc_pages.
 * Returns NULL when done, else why not: "none" when no transport holds
 * such a device (the caller's quiet case), any other text names the
 * transport and what failed.
 */
#define VIRTIO_NONE "none"
const char *virtio_mmio_open_out(u32 device_id, unsigned int queue, struct virtq_out *q);

/*
 * Gives buf[0..len) to the device and waits until it has used it, at most
 * timeout_ms.  One notification, so one exit to the VMM, per call.  False
 * when the device did not use the buffer in time.
 */
bool virtq_out_send(struct virtq_out *q, const void *buf, u32 len, u64 timeout_ms);

#endif
