/*
 * alloc.c: a bump allocator over the RAM region that holds the image,
 * from the image's end (or the DTB's end, when the DTB sits after the
 * image) to the region's end.
 */
#include "alloc.h"
#include "platform.h"
#include "spinlock.h"

static u64 next, limit;
static struct spinlock lock;

void alloc_init(u64 image_end)
{
	u64 fdt = (uintptr_t)platform.fdt, fdt_end = fdt + platform.fdt_size;

	next = ALIGN_UP(image_end, SZ_4K);
	for (int i = 0; i < platform.nr_mem; i++) {
		const struct mem_region *r = &platform.mem[i];
		if (image_end > r->base && image_end <= r->base + r->size)
			limit = r->base + r->size;
	}
	if (fdt_end > next && fdt < limit) {
		if (fdt - next >= limit - fdt_end)
			limit = fdt;
		else
			next = ALIGN_UP(fdt_end, SZ_4K);
	}
}

void *alloc_pages(size_t bytes)
{
	u64 p;

	bytes = ALIGN_UP(bytes, SZ_4K);
	spin_lock(&lock);
	p = next;
	if (limit < p || limit - p < bytes) {
		spin_unlock(&lock);
		report_abort("alloc_pages: out of memory (%zu bytes wanted, %lu free)",
			     bytes, (unsigned long)(limit > p ? limit - p : 0));
	}
	next += bytes;
	spin_unlock(&lock);
	return memset((void *)(uintptr_t)p, 0, bytes);
}

size_t alloc_free(void)
{
	u64 free;

	spin_lock(&lock);
	free = limit > next ? limit - next : 0;
	spin_unlock(&lock);
	return free;
}
