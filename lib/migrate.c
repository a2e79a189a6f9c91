/* migrate.c: the guest half of the migration protocol of migrate.h. */
#include "migrate.h"
#include "bulk.h"
#include "asm/sysreg.h"
#include "migproto.h"

static unsigned int seq;
static void (*workload)(void *arg);
static void *workload_arg;

void migrate_set_workload(void (*fn)(void *arg), void *arg)
{
	workload = fn;
	workload_arg = arg;
}

/*
 * Read one console line (without the newline); bytes past the buffer are
 * dropped.  With work, each time no byte is waiting, one piece of it runs
 * before the console is polled again.
 */
static void read_line(char *buf, size_t size, bool work)
{
	size_t len = 0;

	for (;;) {
		int c = console_getc();
		if (c < 0) {
			if (work && workload)
				workload(workload_arg);
			else
				cpu_relax();
			continue;
		}
		if (c == '\n' || c == '\r') {
			if (len)
				break;
			continue;
		}
		if (len + 1 < size)
			buf[len++] = (char)c;
	}
	buf[len] = '\0';
}

/* "... key=value ..." -> value as a number; false when absent. */
static bool field_u64(const char *line, const char *key, u64 *val)
{
	const char *p = strstr(line, key);
	char *end;

	if (!p || (p != line && p[-1] != ' '))
		return false;
	p += strlen(key);
	*val = strtoul(p, &end, 10);
	return end != p && (*end == ' ' || *end == '\0');
}

static void exchange(const char *kind, struct migration *m, bool work)
{
	char line[MIGPROTO_LINE_MAX + 1];
	u64 got_seq, host_ns;

	seq++;
	bulk_flush();	/* a migration can fail and end the run: what was sent stays sent */
	printf(MIGPROTO " %s " MIGPROTO_SEQ "%u\n", kind, seq);
	m->sent = timer_count();
	for (;;) {
		read_line(line, sizeof(line), work);
		if (strncmp(line, MIGPROTO " " MIGPROTO_ACK " ", strlen(MIGPROTO " " MIGPROTO_ACK " ")))
			continue;	/* not for us: echo, noise, an old ack */
		if (field_u64(line, MIGPROTO_SEQ, &got_seq) && got_seq == seq &&
		    field_u64(line, MIGPROTO_HOST_NS, &host_ns))
			break;
	}
	m->seq = seq;
	m->host_ns = host_ns;
	m->counter = timer_count();
}

void migrate(struct migration *m)
{
	exchange(MIGPROTO_REQUEST, m, true);
}

void migrate_clock(struct migration *m)
{
	exchange(MIGPROTO_CLOCK, m, false);
}

void migrate_skip(const char *reason)
{
	printf(MIGPROTO " " MIGPROTO_SKIP " " MIGPROTO_REASON "%s\n", reason);
}
