/* migtls.c: see migtls.h. */
#include "migtls.h"
#include "migrate_ops.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const obj_id[2] = { "gvtls-client", "gvtls-server" };

/* See migtls.h. */
int migtls_make_key(const char *path)
{
	unsigned char key[32];
	char line[sizeof(MIGTLS_USER) + 2 * sizeof(key) + 2];
	int fd, len;

	if (getrandom(key, sizeof(key), 0) != (ssize_t)sizeof(key))
		return -1;
	len = snprintf(line, sizeof(line), "%s:", MIGTLS_USER);
	for (size_t i = 0; i < sizeof(key); i++)
		len += snprintf(line + len, sizeof(line) - (size_t)len, "%02x", key[i]);
	line[len++] = '\n';
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	if (write(fd, line, (size_t)len) != len) {
		close(fd);
		return -1;
	}
	return close(fd);
}

int migtls_role(struct evloop *ev, struct vm *vm, const char *dir, bool server, uint64_t deadline)
{
	char path[PATH_MAX];
	json_object *args;
	struct stat st;

	if (vm->tls_role == (server ? 2 : 1))
		return 0;
	snprintf(path, sizeof(path), "%s/keys.psk", dir);
	if (stat(path, &st) < 0 && migtls_make_key(path) < 0) {
		printf("gvmigrate: cannot make the migration's TLS key %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!(vm->tls_objects & (1u << server))) {
		args = json_object_new_object();
		json_object_object_add(args, "qom-type", json_object_new_string("tls-creds-psk"));
		json_object_object_add(args, "id", json_object_new_string(obj_id[server]));
		json_object_object_add(args, "endpoint", json_object_new_string(server ? "server" : "client"));
		json_object_object_add(args, "dir", json_object_new_string(dir));
		if (!server)
			json_object_object_add(args, "username", json_object_new_string(MIGTLS_USER));
		if (qmp_exec(ev, vm, "object-add", args, NULL, deadline))
			return -1;
		vm->tls_objects |= 1u << server;
	}
	args = json_object_new_object();
	json_object_object_add(args, "tls-creds", json_object_new_string(obj_id[server]));
	if (qmp_exec(ev, vm, "migrate-set-parameters", args, NULL, deadline))
		return -1;
	vm->tls_role = server ? 2 : 1;
	return 0;
}
