/* exception_classes.c: see exception_classes.h. */
#include "exception_classes.h"

const char *ec_name(unsigned int ec)
{
	switch (ec) {
#define EC(code, name) case code: return name;
#include "exception_classes.def"
#undef EC
	default:
		return "unallocated exception class";
	}
}
