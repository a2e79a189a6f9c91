/*
 * idfields_check.c: compiled (syntax only) by tables/tables.mk before a new
 * gen/idfields.h replaces the old one.  The header is idregs.def read by an
 * awk script, not by the compiler: every constant must be what the compiler
 * reads from the X-macros, and none may be missing.  (A FIELD the script
 * skipped, such as one in a comment it mis-parsed, fails the count; a
 * changed position fails its assertion.)
 */
#include "idregs.h"
#include "idfields.h"

enum {
#define IDREG(name, op0, op1, crn, crm, op2, scope, presence)
#define FIELD(reg, name, lsb, width, kind, layout) \
	IDFPOS_##reg##_##name##_##layout = (lsb) * 128 + (width),
#include "idregs.def"
#undef IDREG
#undef FIELD
};
#define IDF_CHECK(reg, name, layout, shift, width) \
	_Static_assert(IDFPOS_##reg##_##name##_##layout == (shift) * 128 + (width), \
		       "gen/idfields.h disagrees with idregs.def on " #reg "." #name);
IDF_FOR_EACH(IDF_CHECK)
#undef IDF_CHECK
#define IDF_ONE(reg, name, layout, shift, width) + 1
enum { IDF_LISTED = 0 IDF_FOR_EACH(IDF_ONE) };
#undef IDF_ONE
_Static_assert((int)IDF_LISTED == (int)NR_IDFIELDS, "gen/idfields.h lacks fields of idregs.def");
