/* alloc.h: pages from the RAM after the image (stacks, tables); never freed. */
#ifndef GUESTVIEW_ALLOC_H
#define GUESTVIEW_ALLOC_H
#include "libcflat.h"
void alloc_init(u64 image_end);
void *alloc_pages(size_t bytes);	/* 4 KiB aligned, zeroed; aborts when out */
size_t alloc_free(void);		/* bytes alloc_pages can still give */
#endif
