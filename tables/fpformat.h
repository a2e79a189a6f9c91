/*
 * fpformat.h: the words of the fingerprint's printed form, compiled into
 * the guest that prints it (lib/view.c) and the host tools that read it
 * (host/fingerprint.c), so that neither spells a marker or a value its
 * own way.  The grammar is described in host/fingerprint.c:
 *
 *   --- guestview fingerprint begin ---
 *   guestview-fingerprint 1
 *   KEY VALUE                 one per line, in the guest's order
 *   --- guestview fingerprint end ---
 */
#ifndef GUESTVIEW_TABLES_FPFORMAT_H
#define GUESTVIEW_TABLES_FPFORMAT_H

#define FP_BEGIN_MARKER		"--- guestview fingerprint begin ---"
#define FP_END_MARKER		"--- guestview fingerprint end ---"
/* The first line inside the markers: this word, a space, FP_VERSION. */
#define FP_VERSION_WORD		"guestview-fingerprint"
#define FP_VERSION		1
#define FP_STR_(x)		#x
#define FP_STR(x)		FP_STR_(x)
#define FP_HEADER		FP_VERSION_WORD " " FP_STR(FP_VERSION)

/* What a value can be: a number, or what happened instead of one. */
#define FP_VAL_HEX_PREFIX	"0x"		/* then 16 lowercase hex digits */
#define FP_VAL_HEX_DIGITS	16
#define FP_VAL_UNDEF		"undef"		/* the access was UNDEFINED (EC 0x00) */
#define FP_VAL_TRAP_PREFIX	"trap:0x"	/* then 2 lowercase hex digits: the EC */
#define FP_VAL_EXEC		"exec"		/* a probe executed */
/* A probe took the trap of the guest's own EL1 enable (tables/probes.h). */
#define FP_VAL_OWNTRAP		"owntrap"

#endif
