/* statefile.c: see statefile.h. */
#include "statefile.h"
#include "util.h"
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#define QEMU_HEAD_LEN 8		/* "QEVM" and the stream's version */
/* Temporary names: ".BASE.gvmigrate-PID-RANDOM" beside the target. */
#define TMP_INFIX ".gvmigrate-"

static const char *kind_of(mode_t m)
{
	return S_ISLNK(m) ? "a symbolic link" : S_ISFIFO(m) ? "a FIFO" : S_ISDIR(m) ? "a directory" :
	       S_ISSOCK(m) ? "a socket" : S_ISCHR(m) || S_ISBLK(m) ? "a device" : "a special file";
}

/* Split path into its directory and its last component. */
static void split(const char *path, char *dir, size_t dsize, const char **base)
{
	const char *slash = strrchr(path, '/');

	if (!slash) {
		snprintf(dir, dsize, ".");
		*base = path;
	} else {
		snprintf(dir, dsize, "%.*s", slash == path ? 1 : (int)(slash - path), path);
		*base = slash + 1;
	}
}

/*
 * What may be replaced by a new state: nothing, or a regular file of ours.
 * A symlink is refused rather than followed (root would write where it
 * points); somebody else's file is theirs to keep.
 */
static int check_target(const char *path, char *err, size_t errsize)
{
	struct stat st;

	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errsize, "%s", strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errsize, "it is %s, not a regular file%s", kind_of(st.st_mode),
			 S_ISLNK(st.st_mode) ? " (not followed)" : "");
		return -1;
	}
	if (st.st_uid != getuid()) {
		snprintf(err, errsize, "it belongs to uid %u, not to the invoking user (uid %u)",
			 (unsigned int)st.st_uid, (unsigned int)getuid());
		return -1;
	}
	return 0;
}

void state_out_init(struct state_out *s)
{
	memset(s, 0, sizeof(*s));
	s->fd = -1;
}

/*
 * A run killed while saving where there is no O_TMPFILE leaves its named
 * temporary file: remove those of this target whose PID is gone (a PID that
 * lives may be anybody's now: kept).
 */
static void clean_stale(const char *dir, const char *base)
{
	char prefix[NAME_MAX + 32], path[PATH_MAX + NAME_MAX + 2];
	DIR *d = opendir(dir);
	struct dirent *e;
	struct stat st;

	snprintf(prefix, sizeof(prefix), ".%s" TMP_INFIX, base);
	while (d && (e = readdir(d))) {
		if (!left_by_dead_run(e->d_name, prefix))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (lstat(path, &st) || !S_ISREG(st.st_mode) || st.st_uid != getuid())
			continue;
		printf("gvmigrate: removing %s, an unfinished save of a run that was killed\n", path);
		unlink(path);
	}
	if (d)
		closedir(d);
}

int state_out_open(struct state_out *s, const char *path, char *err, size_t errsize)
{
	char dir[PATH_MAX];
	const char *base;

	state_out_init(s);
	s->path = path;
	split(path, dir, sizeof(dir), &base);
	if (!*base) {
		snprintf(err, errsize, "names a directory, not a file");
		return -1;
	}
	if (check_target(path, err, errsize))
		return -1;
	clean_stale(dir, base);
	/* Unnamed until it is complete: a killed run leaves nothing. */
	s->fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (s->fd < 0) {
		/* No O_TMPFILE on this file system (9p has none): a new name of our own. */
		if ((size_t)snprintf(s->tmp, sizeof(s->tmp), "%s/.%s" TMP_INFIX "%d-XXXXXX", dir, base,
				     (int)getpid()) >=
		    sizeof(s->tmp)) {
			snprintf(err, errsize, "the path is too long");
			s->tmp[0] = '\0';
			return -1;
		}
		s->fd = mkostemp(s->tmp, O_CLOEXEC);	/* O_CREAT|O_EXCL: never through a symlink */
		if (s->fd < 0)
			s->tmp[0] = '\0';
	}
	if (s->fd < 0) {
		snprintf(err, errsize, "cannot create a file in %s: %s", dir, strerror(errno));
		return -1;
	}
	fchmod(s->fd, 0600);
	return 0;
}

/*
 * The header's check (statehdr.h): 64-bit FNV-1a over the seq in decimal,
 * a newline and the stream to the file's end.  Not a defence against an
 * attacker (only the invoking user can write a state that is restored):
 * it catches a header that was edited or put before another stream.
 */
#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

static unsigned long long fnv1a(unsigned long long h, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * FNV_PRIME;
	return h;
}

/* The check of seq and the stream from offset on; 0, or -1 with errno. */
static int stream_check(int fd, off_t offset, unsigned int seq, unsigned long long *check)
{
	unsigned char buf[65536];
	int len = snprintf((char *)buf, sizeof(buf), "%u\n", seq);
	unsigned long long h = fnv1a(FNV_OFFSET, buf, (size_t)len);
	ssize_t n;

	while ((n = pread(fd, buf, sizeof(buf), offset)) > 0) {
		h = fnv1a(h, buf, (size_t)n);
		offset += n;
	}
	*check = h;
	return n < 0 ? -1 : 0;
}

/* The complete header line of request seq with its check. */
static size_t format_header(char *buf, size_t size, unsigned int seq, unsigned long long check)
{
	return (size_t)snprintf(buf, size, STATE_MAGIC "%u" STATE_CHECK "%0*llx\n", seq,
				STATE_CHECK_DIGITS, check);
}

int state_out_begin(struct state_out *s, unsigned int seq, char *err, size_t errsize)
{
	char header[STATE_HEADER_MAX];

	s->header_len = format_header(header, sizeof(header), seq, 0);
	/* Same length as the header, so QEMU's stream starts where it will stay. */
	memset(header, ' ', s->header_len - 1);
	memcpy(header, STATE_PARTIAL, strlen(STATE_PARTIAL));
	if (ftruncate(s->fd, 0) < 0 || lseek(s->fd, 0, SEEK_SET) < 0 ||
	    write(s->fd, header, s->header_len) != (ssize_t)s->header_len) {
		snprintf(err, errsize, "cannot write: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Give the complete file the target's name, atomically. */
static int put_in_place(struct state_out *s, char *err, size_t errsize)
{
	char dir[PATH_MAX], name[PATH_MAX + 64], self[64];
	const char *base;
	int dfd;

	split(s->path, dir, sizeof(dir), &base);
	if (!s->tmp[0]) {
		/* linkat refuses an existing name: a fresh one beside the target, then rename. */
		int linked = -1;

		snprintf(self, sizeof(self), "/proc/self/fd/%d", s->fd);
		for (int tries = 0; tries < 16 && linked < 0; tries++) {
			if ((size_t)snprintf(name, sizeof(name), "%s/.%s.gvmigrate-%d-%x", dir, base,
					     (int)getpid(), (unsigned int)random()) >= sizeof(s->tmp)) {
				errno = ENAMETOOLONG;
				break;
			}
			linked = linkat(AT_FDCWD, self, AT_FDCWD, name, AT_SYMLINK_FOLLOW);
			if (linked < 0 && errno != EEXIST)
				break;
		}
		if (linked < 0) {
			snprintf(err, errsize, "cannot name the new state in %s: %s", dir, strerror(errno));
			return -1;
		}
		memcpy(s->tmp, name, sizeof(s->tmp));	/* checked to fit above */
	}
	if (rename(s->tmp, s->path) < 0) {
		snprintf(err, errsize, "cannot rename the new state into place: %s", strerror(errno));
		return -1;
	}
	s->tmp[0] = '\0';
	/* The rename itself must survive a crash too. */
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}

int state_out_commit(struct state_out *s, unsigned int seq, char *err, size_t errsize)
{
	char header[STATE_HEADER_MAX], head[QEMU_HEAD_LEN];
	unsigned long long check;
	struct stat st;

	if (fstat(s->fd, &st) < 0 || st.st_size < (off_t)(s->header_len + QEMU_HEAD_LEN) ||
	    pread(s->fd, head, sizeof(head), (off_t)s->header_len) != (ssize_t)sizeof(head) ||
	    memcmp(head, STATE_QEMU_MAGIC, 4)) {
		snprintf(err, errsize, "QEMU said it completed, but wrote no migration stream");
		return -1;
	}
	if (stream_check(s->fd, (off_t)s->header_len, seq, &check) < 0) {
		snprintf(err, errsize, "cannot read the stream back: %s", strerror(errno));
		return -1;
	}
	if (format_header(header, sizeof(header), seq, check) != s->header_len ||
	    pwrite(s->fd, header, s->header_len, 0) != (ssize_t)s->header_len) {
		snprintf(err, errsize, "cannot write the header: %s", strerror(errno));
		return -1;
	}
	if (fsync(s->fd) < 0) {
		snprintf(err, errsize, "cannot sync: %s", strerror(errno));
		return -1;
	}
	/* The target may have changed during the run: the same rules at the end. */
	if (check_target(s->path, err, errsize) || put_in_place(s, err, errsize))
		return -1;
	close(s->fd);
	s->fd = -1;
	return 0;
}

/* Room a save still needs for the file system to count as having some: a few pages. */
#define ROOM_PROBE (64 * 1024)

int state_out_no_room(const struct state_out *s)
{
	struct statvfs vfs;
	struct stat st;

	if (s->fd < 0 || fstat(s->fd, &st) < 0)
		return 0;
	/*
	 * Ask for the room itself, past the end without growing the file
	 * (the reservation goes with the temporary file): the file system
	 * answers for its own space and the user's quota alike.
	 */
	if (fallocate(s->fd, FALLOC_FL_KEEP_SIZE, st.st_size, ROOM_PROBE) == 0)
		return 0;
	if (errno == ENOSPC || errno == EDQUOT)
		return errno;
	/* A file system without fallocate: its free blocks. */
	if (errno == EOPNOTSUPP && fstatvfs(s->fd, &vfs) == 0 &&
	    (unsigned long long)vfs.f_bavail * vfs.f_frsize < ROOM_PROBE)
		return ENOSPC;
	return 0;
}

void state_out_abort(struct state_out *s)
{
	if (s->tmp[0])
		unlink(s->tmp);
	s->tmp[0] = '\0';
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

int state_in_open(const char *path, unsigned int *seq, char *err, size_t errsize)
{
	/* O_NONBLOCK: opening a FIFO must not wait for a writer. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	char buf[STATE_HEADER_MAX], head[QEMU_HEAD_LEN];
	struct state_header h;
	unsigned long long check;
	struct stat st;
	size_t hlen;
	ssize_t n;

	if (fd < 0) {
		snprintf(err, errsize, "%s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		snprintf(err, errsize, "%s", strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errsize, "it is %s, not a regular file", kind_of(st.st_mode));
		goto fail;
	}
	/* QEMU (as root) parses what is in it: only the invoking user may have written it. */
	if (st.st_uid != getuid() || (st.st_mode & (S_IWGRP | S_IWOTH))) {
		snprintf(err, errsize, "it %s (owner uid %u, mode %03o): only the invoking user's "
			 "own files that nobody else can write are loaded",
			 st.st_uid != getuid() ? "belongs to another user" : "can be written by others",
			 (unsigned int)st.st_uid, (unsigned int)(st.st_mode & 0777));
		goto fail;
	}
	n = pread(fd, buf, sizeof(buf), 0);
	if (n < 0) {
		snprintf(err, errsize, "%s", strerror(errno));
		goto fail;
	}
	if (state_header_parse(buf, (size_t)n, &h, err, errsize))
		goto fail;
	*seq = h.seq;
	hlen = h.len;
	if (pread(fd, head, sizeof(head), (off_t)hlen) != (ssize_t)sizeof(head) ||
	    memcmp(head, STATE_QEMU_MAGIC, 4)) {
		snprintf(err, errsize, "no QEMU migration stream ('%s') after the header",
			 STATE_QEMU_MAGIC);
		goto fail;
	}
	/* The restored guest waits for the ack of its own request: seq must be the stream's. */
	if (!h.has_check) {
		snprintf(err, errsize, "the header's seq=%u has no%s (an older gvmigrate's save, or "
			 "hand-written): nothing ties it to the guest's request; save the state again",
			 h.seq, STATE_CHECK);
		goto fail;
	}
	if (stream_check(fd, (off_t)hlen, h.seq, &check) < 0) {
		snprintf(err, errsize, "cannot read the stream: %s", strerror(errno));
		goto fail;
	}
	if (check != h.check) {
		snprintf(err, errsize, "the header's seq=%u does not match the stream after it (header "
			 "check=%0*llx, computed %0*llx): edited or damaged, the guest would wait for "
			 "another request's ack", h.seq, STATE_CHECK_DIGITS, h.check, STATE_CHECK_DIGITS, check);
		goto fail;
	}
	/* QEMU reads the stream from the descriptor's offset: just past the header. */
	if (fcntl(fd, F_SETFL, 0) < 0 || lseek(fd, (off_t)hlen, SEEK_SET) < 0) {
		snprintf(err, errsize, "%s", strerror(errno));
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return -1;
}
