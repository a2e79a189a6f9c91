#!/bin/bash
# tests/runner/cfg_big.sh: a config of a megabyte -- many sections, or
# one very long line -- is read in seconds, not hours (parsing was
# quadratic: 16 KB 0.8 s, 64 KB 7 s, 1 MB not done in 120 s).  The bounds
# are generous, there to catch a hang or a quadratic blow-up, not to time
# anything (scripts/bench-cfg.sh prints the figures).
# quick-check: skip (parses several 1 MB configs: about 20 s)
# shellcheck source=tests/runner/helpers.bash
. "$(dirname "$0")/helpers.bash"
rt_setup

# within DESC SECONDS STATUS: run_tests.sh ARGS (rt_run's config) ends
# with STATUS having used at most SECONDS of CPU (user and system, its
# children's included): a quadratic parse of a megabyte spends minutes of
# CPU, a linear one seconds, whatever else the machine runs (a wall-clock
# bound failed at load 10: 70 s of wall time for 20 of CPU).  A hang is
# killed at four times the bound of wall time.
within() {
	local desc=$1 bound=$2 want=$3 cpu user sys TIMEFORMAT='%U %S'
	shift 3
	cpu=$( { time (cd "$RT" && timeout -k 5 $((bound * 4)) "$RUNNER" --config "${RT_CFG#"$RT"/}" "$@" \
		>"$RT/out" 2>"$RT/err"); } 2>&1; echo "$?" >"$RT/rc")
	RT_RC=$(cat "$RT/rc")
	read -r user sys <<<"$cpu"
	cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%d", (u + s) * 1000 }')
	t_eq "$desc: exit status $want" "$want" "$RT_RC"
	t_check "$desc: done in ${cpu} ms of CPU (bound ${bound} s)" [ "$cpu" -lt $((bound * 1000)) ]
}

# Many sections: 1 MB.
rt_cfg many.cfg < <(
	n=0 size=0
	while [ "$size" -lt 1048576 ]; do
		printf -v s '[t%d]\nfile = pass.flat\nsmp = 2\nextra_params = -m 256 -name "t %d"\ngroups = a b\n' $n $n
		printf '%s' "$s"
		size=$((size + ${#s})) n=$((n + 1))
	done
	echo "$n" >"$RT/many.n"
)
within "1 MB of sections" 60 0 -l
t_eq "1 MB of sections: every test listed" "$(cat "$RT/many.n")" "$(wc -l <"$RT/out")"

# One line of 1 MB: quoted words (the splitter's own path, not the
# shell's), the white space around it a long run too.
words=$(head -c 52000 /dev/zero | tr '\0' q | sed "s/q/'-x y' /g")
pad=$(head -c 4000 /dev/zero | tr '\0' ' ')
rt_cfg long.cfg < <(printf '[t]\nfile = pass.flat\nextra_params =%s%s\n[u]\n%s file = pass.flat%s\n' "$pad" "$words" "$pad" "$pad")
within "a line of 1 MB" 30 0 -l
t_grep "a line of 1 MB: both tests listed" "^u +- +pass\.flat$" "$RT/out"

# One malformed line of 1 MB: refused, FILE:LINE, the line not repeated whole.
rt_cfg bad.cfg < <(printf '[t]\nfile = pass.flat\n%s\n' "$(head -c 1048576 /dev/zero | tr '\0' x)")
within "a malformed line of 1 MB" 30 2 -l
t_grep "a malformed line of 1 MB: FILE:LINE, the line cut" "^bad\.cfg:3: malformed line: 'x{80}'\.\.\. \(1048576 characters\) " "$RT/err"
t_check "a malformed line of 1 MB: a short message" [ "$(wc -c <"$RT/err")" -lt 400 ]
rt_no_tmp "no temporary file left behind"
t_done
