/*
 * netns.c: two network namespaces joined by a veth pair, made for one run
 * and removed after it: a rehearsal of migrating between two hosts on one
 * machine.  Link-local addresses (169.254.213.1 and .2): nothing outside
 * the pair can reach them.
 */
#include "gvmigrate.h"
#include <stdio.h>
#include <unistd.h>

#define IP(...) do {							\
	char *const argv_[] = { "ip", __VA_ARGS__, NULL };		\
	if (run_command(argv_)) {					\
		printf("gvmigrate: network namespaces: 'ip");		\
		for (int i_ = 1; argv_[i_]; i_++)			\
			printf(" %s", argv_[i_]);			\
		printf("' failed (root and iproute2 needed for --netns)\n"); \
		return -1;						\
	}								\
} while (0)

int netns_up(struct run *r)
{
	char veth[2][16];
	char cidr[2][32];

	for (int i = 0; i < 2; i++) {
		snprintf(r->ns[i], sizeof(r->ns[i]), "gvm%d%c", (int)getpid(), 'a' + i);
		snprintf(veth[i], sizeof(veth[i]), "gv%d%c", (int)getpid() % 1000000, 'a' + i);
		snprintf(r->addr[i], sizeof(r->addr[i]), "169.254.213.%d", i + 1);
		snprintf(cidr[i], sizeof(cidr[i]), "%s/30", r->addr[i]);
	}
	for (int i = 0; i < 2; i++) {
		IP("netns", "add", r->ns[i]);
		r->ns_made[i] = true;
	}
	IP("link", "add", veth[0], "type", "veth", "peer", "name", veth[1]);
	r->link_made = true;
	for (int i = 0; i < 2; i++) {
		IP("link", "set", veth[i], "netns", r->ns[i]);
		IP("-n", r->ns[i], "addr", "add", cidr[i], "dev", veth[i]);
		IP("-n", r->ns[i], "link", "set", veth[i], "up");
		IP("-n", r->ns[i], "link", "set", "lo", "up");
	}
	printf("gvmigrate: network namespaces %s (%s) and %s (%s)\n", r->ns[0], r->addr[0],
	       r->ns[1], r->addr[1]);
	return 0;
}

void netns_down(struct run *r)
{
	/* Deleting a namespace deletes the veth end in it, and so its peer. */
	for (int i = 0; i < 2; i++)
		if (r->ns_made[i]) {
			char *const argv[] = { "ip", "netns", "delete", r->ns[i], NULL };
			run_command(argv);
			r->ns_made[i] = false;
		}
}
