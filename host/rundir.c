/*
 * rundir.c: the private directory of a run (mode 0700, in TMPDIR), and the
 * directories that runs killed with SIGKILL left behind.
 *
 * A run holds an flock on its directory's "lock" file for its whole life;
 * the file appears only once locked (made under another name, locked, then
 * renamed), so a directory whose lock can be taken is one of a dead run.
 * Directories without a lock file (being made, or not ours) are left alone.
 */
#include "gvmigrate.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define RUNDIR_PREFIX "gvmigrate."

/* Remove the directories of dead runs of this user in tmp. */
static void clean_stale(const char *tmp)
{
	DIR *d = opendir(tmp);
	struct dirent *e;
	char path[PATH_MAX], lock[PATH_MAX + 8];
	struct stat st;

	while (d && (e = readdir(d))) {
		int fd;

		if (strncmp(e->d_name, RUNDIR_PREFIX, strlen(RUNDIR_PREFIX)))
			continue;
		snprintf(path, sizeof(path), "%s/%s", tmp, e->d_name);
		/* Only what this user made as a private directory: never through a symlink. */
		if (lstat(path, &st) || !S_ISDIR(st.st_mode) || st.st_uid != getuid() ||
		    (st.st_mode & 0777) != 0700)
			continue;
		snprintf(lock, sizeof(lock), "%s/lock", path);
		fd = open(lock, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (!flock(fd, LOCK_EX | LOCK_NB)) {
			printf("gvmigrate: removing %s, left by a run that was killed\n", path);
			remove_tree(path);
		}
		close(fd);
	}
	if (d)
		closedir(d);
}

int rundir_make(struct run *r, const char *tmp)
{
	char pending[sizeof(r->dir) + 16], lock[sizeof(r->dir) + 8];

	clean_stale(tmp);
	snprintf(r->dir, sizeof(r->dir), "%s/" RUNDIR_PREFIX "XXXXXX", tmp);
	if (!mkdtemp(r->dir)) {
		run_say(r, "cannot make a private directory in %s: %s", tmp, strerror(errno));
		r->dir[0] = '\0';
		return -1;
	}
	snprintf(pending, sizeof(pending), "%s/lock.pending", r->dir);
	snprintf(lock, sizeof(lock), "%s/lock", r->dir);
	/* Kept open (close-on-exec) until the process ends, however it ends. */
	r->lock_fd = open(pending, O_CREAT | O_EXCL | O_RDWR | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (r->lock_fd < 0 || flock(r->lock_fd, LOCK_EX) || rename(pending, lock)) {
		run_say(r, "cannot lock the private directory %s: %s", r->dir, strerror(errno));
		return -1;
	}
	return 0;
}
