/*
 * spinlock.h: a ticket-free test-and-set lock on the exclusive monitor.
 * Only usable with the MMU on (exclusives need normal cacheable memory).
 */
#ifndef GUESTVIEW_SPINLOCK_H
#define GUESTVIEW_SPINLOCK_H

struct spinlock {
	unsigned int v;
};

static inline void spin_lock(struct spinlock *lock)
{
	unsigned int tmp, fail;

	asm volatile(
	"	sevl\n"
	"1:	wfe\n"
	"2:	ldaxr	%w0, [%2]\n"
	"	cbnz	%w0, 1b\n"
	"	stxr	%w1, %w3, [%2]\n"
	"	cbnz	%w1, 2b\n"
	: "=&r" (tmp), "=&r" (fail)
	: "r" (&lock->v), "r" (1)
	: "memory");
}

static inline void spin_unlock(struct spinlock *lock)
{
	asm volatile("stlr wzr, [%0]" : : "r" (&lock->v) : "memory");
}

#endif
