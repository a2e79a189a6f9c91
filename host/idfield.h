/*
 * idfield.h: a register value's table fields as people read them, for every
 * host tool that shows one (gvfp's show and diff, the migration diagnoses of
 * gvmigrate and gvstream): one way to write a field's value everywhere.
 */
#ifndef GUESTVIEW_HOST_IDFIELD_H
#define GUESTVIEW_HOST_IDFIELD_H
#include <stddef.h>
#include <stdint.h>

#include "idregs.h"

/* A table field's value as shown: decimal up to 4 bits (signed for
 * SFEAT), else hex. */
void idfield_str(const struct idfield_desc *f, uint64_t regval, char *buf, size_t n);

/*
 * The fields of register reg (enum idreg_id) that differ between a and b,
 * as "Name a -> b" separated by ", " ("AuxReg 2 -> 1"); fields of another
 * CCSIDR layout are left out.  Empty when no named field differs.
 */
void idfield_changes(int reg, uint64_t a, uint64_t b, char *buf, size_t n);

#endif
