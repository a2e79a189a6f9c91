/*
 * libcflat.h: what a guestview payload sees of its runtime.  A payload is a
 * short main() over this API: console output, reporting, the platform as
 * the device tree describes it, SMP, and exception hooks.
 */
#ifndef GUESTVIEW_LIBCFLAT_H
#define GUESTVIEW_LIBCFLAT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)	(((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define SZ_4K		0x1000UL
#define SZ_2M		0x200000UL
#define SZ_1G		0x40000000UL
#define __aligned(x)	__attribute__((aligned(x)))
#define __noreturn	__attribute__((noreturn))
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define READ_ONCE(x)	(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#define barrier_compiler() asm volatile("" : : : "memory")

/* printf.c: formatted output; the console is lib/console.c. */
int printf(const char *fmt, ...) __printf(1, 2);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int puts(const char *s);	/* no newline added */
/*
 * bulk.c: printf for results (the fingerprint, PASS lines): the bulk
 * channel when the VMM gives one (bulk.h), else the console.  Progress,
 * failures and the verdict use printf.
 */
int results_printf(const char *fmt, ...) __printf(1, 2);

/* console.c: the UART that /chosen/stdout-path names. */
void console_putc(char c);
int console_getc(void);		/* -1 when no byte is waiting */
void console_write(const char *s, size_t len);

/* report.c: results in the kvm-unit-tests style. */
void report(bool pass, const char *fmt, ...) __printf(2, 3);
void report_pass(const char *fmt, ...) __printf(1, 2);
void report_fail(const char *fmt, ...) __printf(1, 2);
void report_skip(const char *fmt, ...) __printf(1, 2);
void report_info(const char *fmt, ...) __printf(1, 2);
/* An expected failure: xfail true and pass false is XFAIL, xfail and pass is XPASS (a failure). */
void report_xfail(bool xfail, bool pass, const char *fmt, ...) __printf(3, 4);
/* A known failure (a known bug elsewhere): kfail and !pass is KFAIL, not counted as a failure. */
void report_kfail(bool kfail, bool pass, const char *fmt, ...) __printf(3, 4);
void report_prefix_push(const char *prefix);
void report_prefix_pushf(const char *fmt, ...) __printf(1, 2);
void report_prefix_pop(void);
int report_summary(void);	/* prints the summary; returns the exit status */
void __noreturn report_abort(const char *fmt, ...) __printf(1, 2);

/*
 * exit.c: end the payload: status line, then PSCI SYSTEM_OFF.  A payload
 * ends with EXIT_PASS, EXIT_FAIL or EXIT_SKIP (tables/outcomes.def); the
 * others are the harness's.
 */
#include "outcomes.h"
void __noreturn exit(int status);
void __noreturn halt(void);

#define assert(cond) do {						\
	if (!(cond))							\
		report_abort("%s:%d: assertion failed: %s",		\
			     __FILE__, __LINE__, #cond);		\
} while (0)

/* args.c: bootargs (-append) as argv; argv[0] is the payload's name. */
int main(int argc, char **argv);
const char *arg_value(int argc, char **argv, const char *key);	/* key=value */
bool arg_ulong(int argc, char **argv, const char *key, unsigned long *val);

/* timer.c: the generic timer's virtual counter. */
u64 timer_freq(void);
u64 timer_count(void);
u64 timer_ms_to_ticks(u64 ms);

#endif
