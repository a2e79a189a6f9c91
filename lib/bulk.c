/* bulk.c: see bulk.h. */
#include "bulk.h"
#include "alloc.h"
#include "percpu.h"
#include "spinlock.h"
#include "virtio-mmio.h"
#include "bulkproto.h"

/*
 * A virtio console's port 0 sends on queue 1 (its receive queue is 0);
 * without VIRTIO_CONSOLE_F_MULTIPORT, port 0 is the only port and needs no
 * control messages.
 */
#define CONSOLE_PORT0_TX	1
/* A page: the fingerprint (15-20 KiB) in five exits, and no allocation past a page. */
#define BULK_BUF_SIZE		SZ_4K
/* Only a device that stopped answering takes this long; a VMM under load answers in ms. */
#define BULK_SEND_TIMEOUT_MS	10000

static struct virtq_out txq;
static bool active;
static char *buf;
static u32 fill;
static u64 sent, announced;	/* bytes the device took; bytes the console announced */
static struct spinlock lock;
static int owner = -1;		/* the CPU in the locked section, for a fault inside it */

void bulk_init(void)
{
	const char *why = virtio_mmio_open_out(VIRTIO_ID_CONSOLE, CONSOLE_PORT0_TX, &txq);

	if (why) {
		/* A device that is there but unusable is worth a note; none at all is the old way. */
		if (strcmp(why, VIRTIO_NONE))
			report_info("bulk channel: %s; results go to the console", why);
		return;
	}
	buf = alloc_pages(BULK_BUF_SIZE);
	active = true;
}

bool bulk_active(void)
{
	return READ_ONCE(active);
}

void bulk_abandon(void)
{
	WRITE_ONCE(active, false);
}

/* Under the lock.  False when the device did not take the buffer (the channel is then off). */
static bool send_locked(void)
{
	if (!fill)
		return true;
	if (!virtq_out_send(&txq, buf, fill, BULK_SEND_TIMEOUT_MS)) {
		active = false;
		return false;
	}
	sent += fill;
	fill = 0;
	return true;
}

static bool enter(void)
{
	/* This CPU faulted inside the channel and is now exiting: the buffer is in an unknown state. */
	if (READ_ONCE(owner) == (int)smp_processor_id()) {
		bulk_abandon();
		return false;
	}
	spin_lock(&lock);
	owner = (int)smp_processor_id();
	return true;
}

static void leave(void)
{
	owner = -1;
	spin_unlock(&lock);
}

static void __noreturn device_gone(void)
{
	report_abort("bulk channel: the virtio console did not take a %u-byte buffer in %u ms "
		     "(%lu bytes sent before)", (unsigned int)BULK_BUF_SIZE, BULK_SEND_TIMEOUT_MS, (unsigned long)sent);
}

/* False when the channel is off: the caller writes to the console instead. */
static bool bulk_write(const char *s, size_t len)
{
	bool ok = true;

	if (!bulk_active() || !enter())
		return false;
	while (len && ok) {
		u32 n = BULK_BUF_SIZE - fill < len ? BULK_BUF_SIZE - fill : (u32)len;

		memcpy(buf + fill, s, n);
		fill += n;
		s += n;
		len -= n;
		if (fill == BULK_BUF_SIZE)
			ok = send_locked();
	}
	leave();
	if (!ok)
		device_gone();
	return true;
}

void bulk_flush(void)
{
	char line[32];
	bool ok;
	int n;

	if (!bulk_active() || !enter())
		return;
	ok = send_locked();
	if (ok && sent != announced) {
		/* console_write, not printf: printf comes back here (bulk_before_console). */
		n = snprintf(line, sizeof(line), BULK_ANNOUNCE "%lu\n", (unsigned long)sent);
		console_write(line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
		announced = sent;
	}
	leave();
	if (!ok)
		device_gone();
}

void bulk_before_console(void)
{
	/*
	 * Unlocked peek: the common case (nothing pending, or no channel)
	 * costs no lock.  A line another CPU adds meanwhile was not ordered
	 * before this one anyway.
	 */
	if (bulk_active() && (READ_ONCE(fill) || READ_ONCE(sent) != READ_ONCE(announced)))
		bulk_flush();
}

int results_printf(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;
	size_t len;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	len = (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1;
	if (!bulk_write(line, len))
		console_write(line, len);
	return n;
}
