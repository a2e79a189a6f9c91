#!/bin/bash
# tests/runner/long_line.sh: a guest that prints a megabyte without a newline
# (a loop gone wrong, a binary dump) costs time linear in what it printed.
# Bash's ${s%pattern} is quadratic in the string's length: one such line
# made the verdict, TAP and JUnit processing spin for many minutes.  The
# real arm/run reads the console here, from a "QEMU" that prints it.
# shellcheck source=tests/runner/helpers.bash
. "$(dirname "$0")/helpers.bash"
rt_setup_real arm/selftest.flat
export GUESTVIEW_PAYLOAD_DIR=$T_ROOT/arm
# 1 MB of console without a newline; a check line of 300 KB ending in CR;
# then the status line.
cat >"$RT/long-qemu" <<'EOF2'
#!/bin/bash
head -c 1000000 /dev/zero | tr '\0' x
printf '\nPASS: a long check (%s)\r\n' "$(head -c 300000 /dev/zero | tr '\0' y)"
printf 'SUMMARY: 1 tests, 0 unexpected failures\nEXIT: PASS\n'
EOF2
chmod +x "$RT/long-qemu"
rt_cfg l.cfg <<EOF2
[long]
file = selftest.flat
qemu = $RT/long-qemu
EOF2

# Bounded: the old code is stopped, not waited for.
now_s() { printf '%s\n' "${EPOCHREALTIME%[.,]*}"; }
start=$(now_s)
(cd "$RT" && exec timeout -k 5 70 "$RUNNER" --config l.cfg -t --junit j.xml >"$RT/out" 2>"$RT/err")
rc=$? took=$(($(now_s) - start))
t_eq "a megabyte without a newline: the run passes" 0 "$rc"
t_check "... within 60 s (took ${took}s; minutes before)" [ "$took" -le 60 ]
t_grep "... its check is in the TAP stream" "^    ok 1 - a long check$" "$RT/out"
grep -v '^    ' "$RT/out" >"$RT/tap"
t_eq "... TAP is valid (the subtest aside)" "" "$(tap_check "$RT/tap")"
junit_summary "$RT/j.xml" >"$RT/js"
t_grep "... JUnit parses, the payload and its check" "^suite 2 0 0 0$" "$RT/js"
t_grep "... JUnit says where it cut the long line" "^x{8192}\[\.\.\. cut here: 1000000 characters in the log\]$" "$RT/j.xml"
t_eq "... the log keeps the whole line" 1 "$(awk 'length($0) == 1000000' "$RT/logs/latest/long.log" | wc -l)"
rt_no_tmp "no temporary file left"
t_done
