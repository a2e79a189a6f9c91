/*
 * args.c: the payload's arguments.  bootargs (QEMU's -append) is split at
 * spaces into argv[1..]; argv[0] is the payload's name (lib/auxinfo.c).
 */
#include "libcflat.h"
#include "args.h"

#define MAX_ARGS 64
#define ARGS_BYTES 2048

extern const char *payload_name;

static char args_buf[ARGS_BYTES];
static char *argv_buf[MAX_ARGS + 1];

int args_setup(const char *bootargs, char ***argvp)
{
	int argc = 0;
	char *p = args_buf;

	argv_buf[argc++] = (char *)payload_name;
	if (bootargs) {
		if (strlen(bootargs) >= ARGS_BYTES)
			report_abort("bootargs longer than %d bytes", ARGS_BYTES - 1);
		memcpy(args_buf, bootargs, strlen(bootargs) + 1);
	}
	while (*p) {
		while (*p == ' ')
			*p++ = '\0';
		if (!*p)
			break;
		if (argc == MAX_ARGS)
			report_abort("more than %d arguments", MAX_ARGS - 1);
		argv_buf[argc++] = p;
		while (*p && *p != ' ')
			p++;
	}
	argv_buf[argc] = NULL;
	*argvp = argv_buf;
	return argc;
}

const char *arg_value(int argc, char **argv, const char *key)
{
	size_t len = strlen(key);

	for (int i = 1; i < argc; i++)
		if (!strncmp(argv[i], key, len) && argv[i][len] == '=')
			return argv[i] + len + 1;
	return NULL;
}

bool arg_ulong(int argc, char **argv, const char *key, unsigned long *val)
{
	const char *s = arg_value(argc, argv, key);
	char *end;

	if (!s)
		return false;
	*val = strtoul(s, &end, 0);
	if (end == s || *end)
		report_abort("argument %s=%s: not a number", key, s);
	return true;
}
