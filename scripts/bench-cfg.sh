#!/bin/bash
# scripts/bench-cfg.sh [SIZE...]: how long run_tests.sh takes to read a big
# unittests.cfg.  For each SIZE (bytes; default 16384 65536 1048576) it
# writes two configs of about that size -- "many": many short sections,
# "long": one test whose extra_params line is the whole size, words of 9
# bytes -- and times `run_tests.sh --config FILE -l` (parse and list, no
# test runs), printing seconds and microseconds per KiB.  Parsing is meant
# to be linear: the per-KiB figure should stay flat as SIZE grows.
# A benchmark, not a test: it prints figures and judges nothing.
set -u
cd "$(dirname "$0")/.." || exit 2
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(16384 65536 1048576)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/guestview-bench-cfg.XXXXXX") || exit 2
trap 'rm -rf -- "$tmp"' EXIT
trap 'exit 130' INT TERM
mkdir "$tmp/arm"
: >"$tmp/arm/pass.flat"

# gen_many BYTES: sections of five lines until BYTES.
gen_many() {
	local n=0 size=0 s
	while [ "$size" -lt "$1" ]; do
		printf -v s '[t%d]\nfile = pass.flat\nsmp = 2\nextra_params = -cpu max -m 256\ngroups = a b\n' "$n"
		printf '%s' "$s"
		size=$((size + ${#s})) n=$((n + 1))
	done
}
# gen_long BYTES: one test, its extra_params line BYTES long.
gen_long() {
	printf '[t]\nfile = pass.flat\nextra_params ='
	head -c "$(($1 / 10 * 9))" /dev/zero | tr '\0' x | fold -w 9 | sed 's/^/ /' | tr -d '\n'
	printf '\n'
}

printf '%-6s %9s %10s %12s\n' shape bytes seconds 'us per KiB'
for size in "${sizes[@]}"; do
	for shape in many long; do
		"gen_$shape" "$size" >"$tmp/$shape.cfg"
		bytes=$(wc -c <"$tmp/$shape.cfg")
		t0=$EPOCHREALTIME
		GUESTVIEW_PAYLOAD_DIR=$tmp/arm ./run_tests.sh --config "$tmp/$shape.cfg" -l >/dev/null 2>"$tmp/err" ||
			{ echo "bench-cfg: run_tests.sh failed on $shape $size:"; head -n 3 "$tmp/err"; exit 1; }
		t1=$EPOCHREALTIME
		us=$((${t1/./} - ${t0/./}))
		printf '%-6s %9d %6d.%03d %12d\n' "$shape" "$bytes" $((us / 1000000)) $((us / 1000 % 1000)) $((us * 1024 / bytes))
	done
done
