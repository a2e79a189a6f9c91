/*
 * statefile_room.c: state_out_no_room() (host/statefile.c) says a file
 * system is full only when it is: a save that QEMU failed on a disk with
 * room is QEMU's refusal, not a host fault.  The full case needs a full
 * file system: tests/migrate/state-files.sh mounts one (root).
 */
#include "statefile.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int failed;

static void check(const char *what, int got, int want)
{
	printf("%s - %s", got == want ? "ok" : "not ok", what);
	if (got != want)
		printf(": got %d, expected %d", got, want);
	printf("\n");
	failed += got != want;
}

int main(void)
{
	char dir[] = "/tmp/gv-room.XXXXXX", path[64], err[256];
	struct state_out s;

	if (!mkdtemp(dir))
		return 2;
	snprintf(path, sizeof(path), "%s/state", dir);
	state_out_init(&s);
	check("no file being written: no verdict of a full disk", state_out_no_room(&s), 0);
	if (state_out_open(&s, path, err, sizeof(err)) || state_out_begin(&s, 1, err, sizeof(err))) {
		printf("not ok - a state file in %s: %s\n", dir, err);
		rmdir(dir);
		return 1;
	}
	check("a file system with room: not full", state_out_no_room(&s), 0);
	state_out_abort(&s);
	check("after the abort: nothing left in the directory", rmdir(dir), 0);
	return failed;
}
