/*
 * console.c: output and input on an Arm PL011 UART (what QEMU's virt
 * machine, kvmtool and most VMMs give an arm64 guest).  The address comes
 * from the device tree's /chosen/stdout-path; until then output is dropped.
 */
#include "libcflat.h"
#include "console.h"
#include "spinlock.h"

#define UARTDR		0x00
#define UARTFR		0x18
#define UARTFR_RXFE	(1U << 4)	/* receive FIFO empty */
#define UARTFR_TXFF	(1U << 5)	/* transmit FIFO full */

static volatile u8 *uart;
static struct spinlock console_lock;
static bool lock_broken;

void console_init(u64 pl011_base)
{
	uart = (volatile u8 *)(uintptr_t)pl011_base;
}

void console_break_lock(void)
{
	lock_broken = true;
}

static inline u32 uart_read(unsigned int reg)
{
	return *(volatile u32 *)(uart + reg);
}

static void uart_putc(char c)
{
	while (uart_read(UARTFR) & UARTFR_TXFF)
		;
	*(volatile u32 *)(uart + UARTDR) = (u8)c;
}

void console_write(const char *s, size_t len)
{
	if (!uart)
		return;
	if (!lock_broken)
		spin_lock(&console_lock);
	for (size_t i = 0; i < len; i++)
		uart_putc(s[i]);
	if (!lock_broken)
		spin_unlock(&console_lock);
}

void console_putc(char c)
{
	console_write(&c, 1);
}

int console_getc(void)
{
	if (!uart || (uart_read(UARTFR) & UARTFR_RXFE))
		return -1;
	return (int)(uart_read(UARTDR) & 0xff);
}
