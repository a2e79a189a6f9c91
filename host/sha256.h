/*
 * sha256.h: SHA-256 and HMAC-SHA256 (FIPS 180-4, RFC 2104), for the
 * handshake between the two halves of a --role migration (rolelink.h):
 * json-c stays gvmigrate's only library, and the emulated hosts of the
 * kernel matrix need nothing more installed.
 */
#ifndef GUESTVIEW_SHA256_H
#define GUESTVIEW_SHA256_H
#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN 32

void sha256(const void *data, size_t len, uint8_t out[SHA256_LEN]);
void hmac_sha256(const uint8_t *key, size_t keylen, const void *msg, size_t msglen,
		 uint8_t out[SHA256_LEN]);

#endif
