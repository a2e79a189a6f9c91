/*
 * keys.h: gvfp keys, which table describes each key of a fingerprint, and
 * every key the firmware and device tables describe: the check that the
 * guest writes no key gvfp would have to guess about (tests/host/keys*.sh).
 */
#ifndef GUESTVIEW_HOST_KEYS_H
#define GUESTVIEW_HOST_KEYS_H
#include <stdio.h>

#include "fingerprint.h"

/*
 * One line per key, "KEY TABLE ENTRY": TABLE is idregs.def, firmware.def,
 * devkeys.def, probes.def (probe keys, not looked up by gvfp) or "none";
 * ENTRY the table's form of the key for firmware.def and devkeys.def
 * ("gic.cpuN.GICR_TYPER" for gic.cpu1.GICR_TYPER), "-" otherwise.
 * Returns how many keys no table describes.
 */
size_t keys_of_fingerprint(const struct fingerprint *fp, FILE *out);
/* Every ENTRY of firmware.def and devkeys.def, "ENTRY TABLE" per line, in
 * the tables' order (a RES_X0_X3 call's four words as four entries). */
void keys_of_tables(FILE *out);

#endif
