#!/bin/bash
# quick-check: skip (libFuzzer for FUZZ_SECONDS)
# tests/host/fuzz.sh: builds host/fuzz-fingerprint (libFuzzer, ASan, UBSan)
# and runs it for FUZZ_SECONDS (default 60) over the parser, the console-log
# extraction and the diff of two fingerprints (see host/fuzz_fingerprint.c),
# from the seed corpus tests/host/corpus/.  Fails on any crash, leak,
# undefined behaviour or input slower than 5 s; the inputs that once made
# gvfp crash (tests/host/crashes/) are replayed first.
#
# Environment: FUZZ_SECONDS; FUZZ_CC (clang); GV_MAKEFILE, a makefile to
# build with instead of the top one (for trying host/host.mk on its own).
# Skips when clang or its libFuzzer runtime is missing.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 2
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_CC=${FUZZ_CC:-clang}
here=tests/host
tmp=$(t_tmpdir)

command -v "$FUZZ_CC" >/dev/null 2>&1 || t_skip "no $FUZZ_CC: install clang (and libclang-rt-dev) to fuzz"
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' >"$tmp/probe.c"
"$FUZZ_CC" -fsanitize=fuzzer,address,undefined -o "$tmp/probe" "$tmp/probe.c" >/dev/null 2>&1 ||
	t_skip "$FUZZ_CC cannot link -fsanitize=fuzzer (install libclang-rt-dev)"

# Builds through make, so the harness is what host/host.mk builds.
if make -s ${GV_MAKEFILE:+-f "$GV_MAKEFILE"} FUZZ_CC="$FUZZ_CC" host/fuzz-fingerprint host/gvfp >"$tmp/build.log" 2>&1; then
	t_ok "fuzz: host/fuzz-fingerprint builds"
else
	t_fail "fuzz: host/fuzz-fingerprint builds"
	sed 's/^/#   /' "$tmp/build.log" | tail -n 20
	t_done
fi
fuzzer=host/fuzz-fingerprint

# Replays: each file runs once; any crash fails.
crashes=$(ls "$here"/crashes/* 2>/dev/null)
if [ -n "$crashes" ]; then
	if $fuzzer $crashes >"$tmp/replay.log" 2>&1; then
		t_ok "fuzz: the $(wc -w <<<"$crashes") inputs that once crashed gvfp run cleanly"
	else
		t_fail "fuzz: an input that once crashed gvfp crashes again"
		grep -E 'ERROR|SUMMARY|Running' "$tmp/replay.log" | sed 's/^/#   /' | head -n 20
	fi
fi
# The seeds must be valid, or the fuzzer starts from nothing useful.
for seed in "$here"/corpus/*.fp; do
	[ -e "$seed" ] || continue
	host/gvfp show "$seed" >/dev/null 2>"$tmp/seed.err" ||
		{ t_fail "fuzz: seed $seed is a valid fingerprint: $(cat "$tmp/seed.err")"; }
done

# New inputs go to a scratch corpus (listed first), never into the seeds.
mkdir -p "$tmp/corpus" "$tmp/artifacts"
start=$(date +%s)
$fuzzer -max_total_time="$FUZZ_SECONDS" -max_len=8192 -timeout=5 -rss_limit_mb=2048 \
	-dict="$here/fuzz.dict" -artifact_prefix="$tmp/artifacts/" -print_final_stats=1 \
	"$tmp/corpus" "$here/corpus" >"$tmp/fuzz.log" 2>&1
rc=$?
secs=$(($(date +%s) - start))
done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$tmp/fuzz.log" | tail -n 1)
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$tmp/fuzz.log" | tail -n 1)
echo "# fuzz: ${runs:-?} executions in ${secs}s; ${done_line:-no DONE line}"
artifacts=$(ls "$tmp/artifacts" 2>/dev/null)
if [ "$rc" -eq 0 ] && [ -z "$artifacts" ]; then
	t_ok "fuzz: ${FUZZ_SECONDS}s of fuzzing found no crash, leak or hang"
else
	t_fail "fuzz: the fuzzer failed (exit $rc): crash, leak, UB or timeout"
	grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$tmp/fuzz.log" | sed 's/^/#   /' | head -n 20
	# Keep the input for a regression test in tests/host/crashes/.
	for a in $artifacts; do
		mkdir -p logs && cp "$tmp/artifacts/$a" "logs/fuzz-$a" &&
			echo "#   input saved as logs/fuzz-$a"
	done
fi
t_done
