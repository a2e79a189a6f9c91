/* console.h: wiring the PL011 console to the address the device tree gives. */
#ifndef GUESTVIEW_CONSOLE_H
#define GUESTVIEW_CONSOLE_H
#include <stdint.h>
void console_init(uint64_t pl011_base);
/* After a fault in the console path itself: stop taking the lock. */
void console_break_lock(void);
#endif
