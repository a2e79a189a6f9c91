/* jsonhex.h: a 64-bit register value as JSON: "0x" and 16 hex digits, a
 * string, because JSON numbers lose 64-bit precision in most readers. */
#ifndef GUESTVIEW_JSONHEX_H
#define GUESTVIEW_JSONHEX_H
#include <inttypes.h>
#include <stdio.h>
#include <json-c/json.h>

static inline json_object *json_hex64(uint64_t v)
{
	char s[24];

	snprintf(s, sizeof(s), "0x%016" PRIx64, v);
	return json_object_new_string(s);
}

#endif
