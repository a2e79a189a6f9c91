/*
 * fpblock.h: gvmigrate's output keeps a guest's fingerprint block whole.
 *
 * gvmigrate prints every QEMU's console and stderr lines on one stream, as
 * they come.  A fingerprint is read from that stream as the lines between
 * its two marker lines (tables/fpformat.h: gvfp extract, the kernel
 * matrix), and a line another QEMU writes to stderr meanwhile -- a
 * destination started for the next migration while the guest prints its
 * view; QEMU 11.1 warns there that -mon is deprecated -- lands inside the
 * block and makes it no fingerprint.  So while a console is inside a block,
 * stderr lines wait, and come out after the block's end line (or when the
 * console that opened the block ends without one).
 */
#ifndef GV_FPBLOCK_H
#define GV_FPBLOCK_H

/* A console line of OWNER's QEMU: printed at once. */
void fpblock_console_line(const void *owner, const char *line);
/* A stderr line, printed as "NAME: LINE", now or after the open block. */
void fpblock_stderr_line(const char *name, const char *line);
/* OWNER's console ended (or its QEMU was stopped): an open block of its is closed. */
void fpblock_owner_gone(const void *owner);

#endif
