/*
 * fuzz_fingerprint.c: the libFuzzer harness over everything gvfp does with
 * untrusted text (tests/host/fuzz.sh builds and runs it).  One input is
 *   - parsed as a fingerprint, and when valid shown (text and JSON) and
 *     compared with itself (the "identical" path of diff);
 *   - searched as a console log for its first and second fingerprint,
 *     each parsed when found;
 *   - split at its first form feed ('\f') into two fingerprints, which
 *     when both valid are compared both ways (text and JSON).
 * Output goes to /dev/null: what is checked is that nothing crashes,
 * overflows, leaks or reaches undefined behaviour.
 */
#include "diff.h"
#include "fingerprint.h"
#include "show.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static FILE *devnull;

static void compare(const struct fingerprint *a, const struct fingerprint *b)
{
	struct diff d;

	diff_compute(&d, a, b);
	diff_print(&d, devnull);
	diff_print_json(&d, devnull);
	(void)diff_status(&d);
	diff_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct fingerprint fp, fb;
	struct fp_error err;
	struct fp_block blk;

	if (!devnull && !(devnull = fopen("/dev/null", "w")))
		abort();

	if (!fp_parse(&fp, "fuzz", buf, size, 1, &err)) {
		show_text(&fp, devnull);
		show_json(&fp, devnull);
		compare(&fp, &fp);
	}
	fp_free(&fp);

	for (unsigned int nth = 1; nth <= 2; nth++) {
		if (fp_find_block("log", buf, size, nth, &blk, &err))
			continue;
		if (blk.start + blk.len > size)
			abort();	/* the block must lie inside the log */
		if (!fp_parse(&fp, "log", buf + blk.start, blk.len, blk.first_line, &err))
			show_text(&fp, devnull);
		fp_free(&fp);
	}

	const char *ff = memchr(buf, '\f', size);
	if (ff) {
		size_t na = (size_t)(ff - buf);
		if (!fp_parse(&fp, "a", buf, na, 1, &err)) {
			if (!fp_parse(&fb, "b", ff + 1, size - na - 1, 1, &err)) {
				compare(&fp, &fb);
				compare(&fb, &fp);
			}
			fp_free(&fb);
		}
		fp_free(&fp);
	}
	return 0;
}
