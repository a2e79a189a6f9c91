/*
 * report.c: test results in the kvm-unit-tests style.  Each check prints
 * one line "PASS: prefix: message" (or FAIL, SKIP, XFAIL, XPASS, KFAIL,
 * INFO); report_summary() prints the counts and gives the exit status.
 * Safe to call from any CPU: the counters and prefixes are under a lock.
 *
 * The host reads these lines back, one result per check (TAP subtests,
 * JUnit testcases): scripts/runner/checks.bash holds the table of the
 * format and its parser.  A new verdict word, or another line layout, is
 * a change there too; tests/runner/checks.sh compares verdict_names below
 * with that table and parses a real payload's output.  A check's name ends
 * at the first " (" or "; " of its message: put measured values after it.
 */
#include "libcflat.h"
#include "spinlock.h"

#define PREFIX_MAX 256

static struct spinlock lock;
static char prefixes[PREFIX_MAX];
static unsigned int tests, failures, xfailures, kfailures, skipped;

void report_prefix_push(const char *prefix)
{
	size_t len;

	spin_lock(&lock);
	len = strlen(prefixes);
	snprintf(prefixes + len, sizeof(prefixes) - len, "%s: ", prefix);
	spin_unlock(&lock);
}

void report_prefix_pushf(const char *fmt, ...)
{
	char buf[PREFIX_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	report_prefix_push(buf);
}

void report_prefix_pop(void)
{
	size_t len;

	spin_lock(&lock);
	len = strlen(prefixes);
	/* Drop the last "name: " (prefixes end in ": "; names may contain ':'). */
	if (len >= 2) {
		len -= 2;
		while (len >= 2 && !(prefixes[len - 2] == ':' && prefixes[len - 1] == ' '))
			len--;
		prefixes[len < 2 ? 0 : len] = '\0';
	}
	spin_unlock(&lock);
}

enum verdict { V_PASS, V_FAIL, V_SKIP, V_XFAIL, V_XPASS, V_KFAIL, V_INFO };
static const char *const verdict_names[] = {
	"PASS", "FAIL", "SKIP", "XFAIL", "XPASS", "KFAIL", "INFO" };

static void vreport(enum verdict v, const char *fmt, va_list ap)
{
	char msg[384];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	spin_lock(&lock);
	if (v != V_INFO)
		tests++;
	if (v == V_FAIL || v == V_XPASS)
		failures++;
	else if (v == V_XFAIL)
		xfailures++;
	else if (v == V_KFAIL)
		kfailures++;
	else if (v == V_SKIP)
		skipped++;
	/*
	 * A PASS is read by the host (TAP, JUnit), hardly by a person
	 * watching: it takes the bulk channel when there is one, at one exit
	 * per buffer instead of one per byte.  What someone should see at a
	 * glance -- failures, known failures, skips, notes -- stays on the
	 * console; printf announces the PASS lines before it first, so the
	 * spliced log is the console-only log.
	 */
	if (v == V_PASS)
		results_printf("%s: %s%s\n", verdict_names[v], prefixes, msg);
	else
		printf("%s: %s%s\n", verdict_names[v], prefixes, msg);
	spin_unlock(&lock);
}

#define REPORT_VA(v, fmt) do {				\
	va_list ap;					\
	va_start(ap, fmt);				\
	vreport((v), fmt, ap);				\
	va_end(ap);					\
} while (0)

void report(bool pass, const char *fmt, ...)		{ REPORT_VA(pass ? V_PASS : V_FAIL, fmt); }
void report_pass(const char *fmt, ...)			{ REPORT_VA(V_PASS, fmt); }
void report_fail(const char *fmt, ...)			{ REPORT_VA(V_FAIL, fmt); }
void report_skip(const char *fmt, ...)			{ REPORT_VA(V_SKIP, fmt); }
void report_info(const char *fmt, ...)			{ REPORT_VA(V_INFO, fmt); }

void report_xfail(bool xfail, bool pass, const char *fmt, ...)
{
	REPORT_VA(!xfail ? (pass ? V_PASS : V_FAIL) : (pass ? V_XPASS : V_XFAIL), fmt);
}

void report_kfail(bool kfail, bool pass, const char *fmt, ...)
{
	REPORT_VA(pass ? V_PASS : kfail ? V_KFAIL : V_FAIL, fmt);
}

/*
 * The exit status: FAIL when anything failed unexpectedly or nothing was
 * checked at all (a payload that checks nothing cannot fail, so it must
 * not pass), SKIP when every check was skipped, else PASS.
 */
int report_summary(void)
{
	int status;

	spin_lock(&lock);
	printf("SUMMARY: %u tests, %u unexpected failures, %u expected failures, "
	       "%u known failures, %u skipped\n", tests, failures, xfailures, kfailures, skipped);
	if (failures || !tests)
		status = EXIT_FAIL;
	else if (skipped == tests)
		status = EXIT_SKIP;
	else
		status = EXIT_PASS;
	if (!tests)
		printf("FAIL: no check ran\n");
	spin_unlock(&lock);
	return status;
}

void report_abort(const char *fmt, ...)
{
	char msg[384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printf("ABORT: %s%s\n", prefixes, msg);
	failures++;	/* no lock: the aborting CPU may hold it */
	exit(EXIT_FAIL);
}
