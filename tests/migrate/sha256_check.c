/*
 * sha256_check: HMAC-SHA256 of host/sha256.c for KEY and MESSAGE (argv),
 * in hex, for roles.sh to compare with openssl's: both halves of a --role
 * migration use the same code, so only an outside implementation can
 * show that it computes HMAC-SHA256 and not something else.
 */
#include "sha256.h"
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	uint8_t mac[SHA256_LEN];

	if (argc != 3)
		return 2;
	hmac_sha256((const uint8_t *)argv[1], strlen(argv[1]), argv[2], strlen(argv[2]), mac);
	for (int i = 0; i < SHA256_LEN; i++)
		printf("%02x", mac[i]);
	printf("\n");
	return 0;
}
