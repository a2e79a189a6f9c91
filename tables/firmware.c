/*
 * firmware.c: the arrays and look-ups of firmware.h, from firmware.def.
 * Plain C with no library calls beyond strlen/strncmp, so the freestanding
 * guest and the host tools compile the same file.
 */
#include "firmware.h"
#include <string.h>

const struct fwcall_desc fwcalls[NR_FWCALLS] = {
#define FWSERVICE(name, codes)
#define FWCODE(service, code, name)
#define FWCALL(key, service, fn, arg, result, meaning) \
	{ key, fn, arg, FWS_##service, result, meaning },
#include "firmware.def"
#undef FWSERVICE
#undef FWCODE
#undef FWCALL
};

static const struct {
	const char *name;
	uint8_t codes;		/* the service whose FWCODE list applies */
} services[NR_FWSERVICES] = {
#define FWSERVICE(name, codes) [FWS_##name] = { #name, FWS_##codes },
#define FWCODE(service, code, name)
#define FWCALL(key, service, fn, arg, result, meaning)
#include "firmware.def"
#undef FWSERVICE
#undef FWCODE
#undef FWCALL
};

static const struct {
	uint8_t service;
	int code;
	const char *name;
} codes[] = {
#define FWSERVICE(name, codes)
#define FWCODE(service, code, name) { FWS_##service, code, name },
#define FWCALL(key, service, fn, arg, result, meaning)
#include "firmware.def"
#undef FWSERVICE
#undef FWCODE
#undef FWCALL
};

const char *fw_service_name(unsigned int service)
{
	return service < NR_FWSERVICES ? services[service].name : "?";
}

const char *fw_code_name(unsigned int service, int code)
{
	if (service >= NR_FWSERVICES)
		return NULL;
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (codes[i].service == services[service].codes && codes[i].code == code)
			return codes[i].name;
	return NULL;
}

const struct fwcall_desc *fwcall_by_key(const char *key, int *part)
{
	size_t pl = strlen(FW_KEY_PREFIX), sl = strlen(FW_PART_SUFFIX);

	if (strncmp(key, FW_KEY_PREFIX, pl))
		return NULL;
	key += pl;
	for (int i = 0; i < NR_FWCALLS; i++) {
		const struct fwcall_desc *c = &fwcalls[i];
		size_t kl = strlen(c->key);
		const char *rest = key + kl;

		if (strncmp(key, c->key, kl))
			continue;
		if (c->result != RES_X0_X3 && *rest == '\0') {
			*part = -1;
			return c;
		}
		if (c->result == RES_X0_X3 && !strncmp(rest, FW_PART_SUFFIX, sl) &&
		    rest[sl] >= '0' && rest[sl] < '0' + FW_NR_PARTS && rest[sl + 1] == '\0') {
			*part = rest[sl] - '0';
			return c;
		}
	}
	return NULL;
}
