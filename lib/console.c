/*
 * console.c: output and input on an Arm PL011 UART (what QEMU's virt
 * machine, kvmtool and most VMMs give an arm64 guest).  The address comes
 * from the device tree's /chosen/stdout-path; until then output is dropped.
 *
 * Under KVM every access to the UART is an exit to the VMM (in the kernel
 * matrix's emulated hosts some 0.2 ms each): a flag-register read before
 * every byte doubled the cost of all console output.  So the FIFOs are
 * enabled (LCR_H.FEN, 8-bit words), and once the flag register says the
 * transmit FIFO is empty (TXFE) the next TX_FIFO_DEPTH bytes go without
 * looking again -- the PL011's contract: its FIFO holds 16 (32 from r1p5
 * on; 16 is taken).  A VMM that models no FIFO (QEMU to 9.x: TXFE always
 * set, TXFF never) is as content; one that does (QEMU 10's TX FIFO) is
 * never written past full.  With the lock broken (a report from a CPU
 * that died holding it) every byte looks again: no shared count then.
 */
#include "libcflat.h"
#include "console.h"
#include "spinlock.h"

#define UARTDR		0x00
#define UARTFR		0x18
#define UARTFR_RXFE	(1U << 4)	/* receive FIFO empty */
#define UARTFR_TXFF	(1U << 5)	/* transmit FIFO full */
#define UARTFR_TXFE	(1U << 7)	/* transmit FIFO empty */
#define UARTLCR_H	0x2c
#define UARTLCR_H_FEN	(1U << 4)	/* FIFOs enabled */
#define UARTLCR_H_WLEN8	(3U << 5)	/* 8-bit words */
#define TX_FIFO_DEPTH	16

static volatile u8 *uart;
static struct spinlock console_lock;
static bool lock_broken;
static unsigned int tx_room;	/* bytes the TX FIFO surely takes without a look */

void console_init(u64 pl011_base)
{
	uart = (volatile u8 *)(uintptr_t)pl011_base;
	*(volatile u32 *)(uart + UARTLCR_H) = UARTLCR_H_FEN | UARTLCR_H_WLEN8;
	tx_room = 0;
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
	u32 fr;

	if (!tx_room || lock_broken) {
		while ((fr = uart_read(UARTFR)) & UARTFR_TXFF)
			;
		tx_room = (fr & UARTFR_TXFE) && !lock_broken ? TX_FIFO_DEPTH : 1;
	}
	*(volatile u32 *)(uart + UARTDR) = (u8)c;
	tx_room--;
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
