/*
 * firmware.h: the firmware calls of firmware.def as C data, compiled into
 * the guest (which makes the calls and writes the keys) and into gvfp (which
 * reads the answers by the table, never by a key's spelling).
 */
#ifndef GUESTVIEW_TABLES_FIRMWARE_H
#define GUESTVIEW_TABLES_FIRMWARE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A key is FW_KEY_PREFIX KEY, or FW_KEY_PREFIX KEY FW_PART_SUFFIX N (N 0-3)
 * for the four answer words of a RES_X0_X3 call. */
#define FW_KEY_PREFIX	"fw."
#define FW_PART_SUFFIX	".a"
#define FW_NR_PARTS	4

enum fw_result { RES_X0, RES_X0_X3, RES_STATUS };
enum fw_meaning { FWM_VERSION, FWM_FEATURE, FWM_BITMAP, FWM_UUID, FWM_STATUS, FWM_DATA };

enum fw_service {
#define FWSERVICE(name, codes) FWS_##name,
#define FWCODE(service, code, name)
#define FWCALL(key, service, fn, arg, result, meaning)
#include "firmware.def"
#undef FWSERVICE
#undef FWCODE
#undef FWCALL
	NR_FWSERVICES
};

enum {
	NR_FWCALLS = 0
#define FWSERVICE(name, codes)
#define FWCODE(service, code, name)
#define FWCALL(key, service, fn, arg, result, meaning) + 1
#include "firmware.def"
#undef FWSERVICE
#undef FWCODE
#undef FWCALL
};

struct fwcall_desc {
	const char *key;	/* under FW_KEY_PREFIX */
	uint32_t fn;
	uint64_t arg;
	uint8_t service, result, meaning;
};

extern const struct fwcall_desc fwcalls[NR_FWCALLS];

/* "PSCI", "SMCCC", ...  */
const char *fw_service_name(unsigned int service);
/* The name of a negative return code in the service's list, or NULL. */
const char *fw_code_name(unsigned int service, int code);
/*
 * The call a fingerprint key stands for, or NULL when the table has no such
 * key: "fw.psci.version" (*part -1), "fw.trng.uuid.a2" (*part 2).  Exact:
 * a RES_X0_X3 call's key without its part, or another's with one, is no
 * key of the table.
 */
const struct fwcall_desc *fwcall_by_key(const char *key, int *part);
/* Whether a word of the answer can be a return code: x0, not x1-x3. */
static inline bool fw_part_has_code(int part)
{
	return part <= 0;
}

#endif
