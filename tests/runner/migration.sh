#!/bin/bash
# tests/runner/migration.sh: the migration keys of unittests.cfg reach
# arm/run as its environment variables (QEMU, MIGRATION, DEST_QEMU,
# DEST_PARAMS, MIGRATION_REFUSAL), win over the user's for their test only,
# and appear in the log's command line; a qemu/dest_qemu binary that is not
# there, or a netns migration that cannot run here, is a SKIP saying why,
# never an error.  (Their mistakes are in cfg_errors.sh, XFAIL in xfail.sh.)
# Relative binary paths are from the repository's root, so this runs a copy
# of run_tests.sh in a scratch repository whose deps/ it controls.
# shellcheck source=tests/runner/helpers.bash
. "$(dirname "$0")/helpers.bash"
rt_setup
REPO=$RT/repo
mkdir -p "$REPO/scripts" "$REPO/tables" "$REPO/host"
cp "$T_ROOT/run_tests.sh" "$REPO/"
cp -r "$T_ROOT/scripts/runner" "$REPO/scripts/"
# What make generates, and gvmigrate, which names the migration modes.
cp "$T_ROOT/tables/outcomes.bash" "$REPO/tables/"
ln -s "$T_ROOT/host/gvmigrate" "$REPO/host/gvmigrate"
RUNNER=$REPO/run_tests.sh
fake_bin() { mkdir -p "${1%/*}"; printf '#!/bin/sh\nexit 0\n' >"$1"; chmod 755 "$1"; }
fake_bin "$REPO/deps/qemu10/usr/bin/qemu-system-aarch64"

# --- the keys become arm/run's environment ------------------------------------
rt_cfg env.cfg <<'EOF2'
[m]
file = pass.flat
qemu = deps/qemu10/usr/bin/qemu-system-aarch64
migration = unix
dest_qemu = sh
dest_params = -cpu "max,sve=off" -M 'virt-7.2'  -m 256
migration_refused = cpreg_vmstate_array_len|Invalid value [0-9]+

[plain]
file = pass.flat

[abs]
file = pass.flat
qemu = /bin/sh
EOF2
rt_run
t_eq "env keys: exit 0" 0 "$RT_RC"
t_grep "each key reaches arm/run as its variable, values as written; a repo path made absolute" \
	"^stub-mig: QEMU=\[$REPO/deps/qemu10/usr/bin/qemu-system-aarch64\] MIGRATION=\[unix\] DEST_QEMU=\[sh\] DEST_PARAMS=\[-cpu \"max,sve=off\" -M 'virt-7.2'  -m 256\] MIGRATION_REFUSAL=\[cpreg_vmstate_array_len\|Invalid value \[0-9\]\+\]$" \
	"$RT/logs/latest/m.log"
t_nogrep "a test without the keys gets none of the variables" "^stub-mig:" "$RT/logs/latest/plain.log"
t_grep "an absolute path stays as it is" "^stub-mig: QEMU=\[/bin/sh\] MIGRATION=\[unset\]" "$RT/logs/latest/abs.log"
t_grep "the log's command line sets them, quoted for pasting" \
	"^TIMEOUT=90s ACCEL=tcg QEMU=$REPO/deps/qemu10/usr/bin/qemu-system-aarch64 MIGRATION=unix DEST_QEMU=sh DEST_PARAMS='-cpu \"max,sve=off\" -M '\\\\''virt-7.2'\\\\''  -m 256' MIGRATION_REFUSAL='cpreg_vmstate_array_len\|Invalid value \[0-9\]\+' $RT/stub-run " \
	"$RT/logs/latest/m.log"
# The log's first line really is a command: run it (the stub stands for
# arm/run) and compare what it is given.
bash -c "$(head -n 1 "$RT/logs/latest/m.log")" >"$RT/again" 2>&1
t_eq "pasting the log's first line gives arm/run the same environment" \
	"$(grep '^stub-mig:' "$RT/logs/latest/m.log")" "$(grep '^stub-mig:' "$RT/again")"

# The user's variables pass through unchanged; a test's own key wins.
MIGRATION=tcp DEST_PARAMS='-m 1G' QEMU=/usr/bin/env rt_run
t_grep "user's environment: reaches a test without keys" \
	"^stub-mig: QEMU=\[/usr/bin/env\] MIGRATION=\[tcp\] DEST_QEMU=\[unset\] DEST_PARAMS=\[-m 1G\] MIGRATION_REFUSAL=\[unset\]$" "$RT/logs/latest/plain.log"
t_grep "user's environment: a test's keys win, for that test" \
	"^stub-mig: QEMU=\[$REPO/deps/qemu10/usr/bin/qemu-system-aarch64\] MIGRATION=\[unix\] DEST_QEMU=\[sh\] DEST_PARAMS=\[-cpu " "$RT/logs/latest/m.log"
t_grep "user's environment: only the keys a test has are replaced" \
	"^stub-mig: QEMU=\[/bin/sh\] MIGRATION=\[tcp\] DEST_QEMU=\[unset\] DEST_PARAMS=\[-m 1G\]" "$RT/logs/latest/abs.log"
t_grep "user's environment: shown in the log's command line too" \
	"^TIMEOUT=90s ACCEL=tcg QEMU=/usr/bin/env MIGRATION=tcp DEST_PARAMS='-m 1G' $RT/stub-run " "$RT/logs/latest/plain.log"

# --- binaries that are not there: SKIP, with the reason -----------------------
rt_cfg bins.cfg <<'EOF2'
[q10-missing]
file = pass.flat
qemu = deps/qemu10/usr/bin/qemu-system-aarch64
[dest-missing]
file = pass.flat
migration = unix
dest_qemu = guestview-no-such-qemu
[abs-missing]
file = pass.flat
qemu = /nonexistent/qemu-system-aarch64
[runs]
file = pass.flat
EOF2
mkdir -p "$REPO/docs"; echo "not a program" >"$REPO/docs/README"
rm -rf "$REPO/deps/qemu10"
rt_run
t_eq "missing binaries: exit 0 (skips are not failures)" 0 "$RT_RC"
t_grep "a binary under deps/ that is not there: SKIP, pointing at the set-up" \
	"^SKIP q10-missing \(qemu deps/qemu10/usr/bin/qemu-system-aarch64 not found: not set up, run scripts/setup-deps.sh\)$" "$RT/out"
t_grep "a command not on PATH: SKIP naming it" \
	"^SKIP dest-missing \(dest_qemu guestview-no-such-qemu: no such command on PATH\)$" "$RT/out"
t_grep "an absolute path not there: SKIP" "^SKIP abs-missing \(qemu /nonexistent/qemu-system-aarch64 not found\)$" "$RT/out"
t_eq "only the test with its binaries started" "pass.flat" "$(cat "$RT/calls")"
t_grep "counted as skips" "^SUMMARY: 4 tests, 1 passed, 0 failed, 3 skipped in" "$RT/out"
t_grep "the log says the runner decided" "^SKIP: qemu deps/qemu10/usr/bin/qemu-system-aarch64 not found: .*arm/run not started" "$RT/logs/latest/q10-missing.log"

# A binary that is there but cannot run is a broken set-up or a wrong
# path, not an optional QEMU that is absent: a configuration error
# (file:line, status 2, nothing started), never a quiet SKIP.
rt_cfg noexec.cfg <<'EOF2'
[runs]
file = pass.flat
[not-executable]
file = pass.flat
qemu = docs/README
[dir]
file = pass.flat
migration = unix
dest_qemu = /tmp
EOF2
rt_run
t_eq "a binary that is not executable: exit 2" 2 "$RT_RC"
t_grep "a binary that is not executable: file:line naming it" \
	"^noexec\.cfg:5: qemu docs/README of test 'not-executable' is not executable " "$RT/err"
t_grep "a directory as a binary: file:line naming it" \
	"^noexec\.cfg:9: dest_qemu /tmp of test 'dir' is a directory " "$RT/err"
t_eq "a binary that is not executable: nothing started" 0 "$(rt_calls)"
RT_CFG=$RT/bins.cfg

# scripts/setup-deps.sh's note, when it could not fetch the binary, is the reason.
printf '1700000000\tQEMU 10.0 (qemu-system-arm from bookworm-backports) could not be set up in /x/deps/qemu10: apt-fetch.sh: amd64: cannot find qemu-system-arm/bookworm-backports\n' \
	>"$REPO/deps/qemu10.unavailable"
rt_run q10-missing --junit junit.xml
t_grep "setup-deps.sh's note is the SKIP's reason" \
	"^SKIP q10-missing \(qemu deps/qemu10/usr/bin/qemu-system-aarch64 not found: QEMU 10.0 \(qemu-system-arm from bookworm-backports\) could not be set up in /x/deps/qemu10: apt-fetch.sh: amd64: cannot find qemu-system-arm/bookworm-backports\)$" "$RT/out"
t_grep "JUnit: a skipped case with that reason" "^case q10-missing skipped:qemu deps/qemu10/usr/bin/qemu-system-aarch64 not found: QEMU 10.0 " <(junit_summary "$RT/junit.xml")
fake_bin "$REPO/deps/qemu10/usr/bin/qemu-system-aarch64"
rt_run q10-missing
t_grep "once set up, the test runs" "^PASS q10-missing " "$RT/out"

# A missing binary for a test skipped anyway (accel) keeps the first reason.
rt_cfg acc.cfg <<'EOF2'
[k]
file = pass.flat
accel = kvm
qemu = guestview-no-such-qemu
EOF2
rt_run
t_grep "accel skip comes first" "^SKIP k \(needs accel kvm, running with tcg\)$" "$RT/out"

# --- migration = netns: root and ip(8), else SKIP ------------------------------
rt_cfg netns.cfg <<'EOF2'
[ns]
file = pass.flat
migration = netns
[other]
file = pass.flat
migration = unix
EOF2
if [ "$(id -u)" = 0 ]; then
	# root: with ip(8) it runs; with a PATH lacking it, SKIP.
	if command -v ip >/dev/null; then
		rt_run
		t_grep "netns, root, ip there: runs" "^PASS ns " "$RT/out"
	fi
	mkdir -p "$RT/bin-noip"
	for p in ${PATH//:/ }; do ln -s -t "$RT/bin-noip" "$p"/* 2>/dev/null; done
	rm -f "$RT/bin-noip/ip"
	PATH=$RT/bin-noip rt_run
	t_eq "netns without ip(8): exit 0" 0 "$RT_RC"
	t_grep "netns without ip(8): SKIP saying so" "^SKIP ns \(migration = netns needs ip\(8\) from iproute2, not found on PATH\)$" "$RT/out"
	t_grep "netns without ip(8): other migrations run" "^PASS other " "$RT/out"
	# Not root: run it as nobody (the scratch world made readable for it).
	if command -v setpriv >/dev/null; then
		chmod 755 "$RT"; chmod 777 "$RT/tmp"
		# Its own log directory: run_tests.sh writes only in one of its user's.
		mkdir -m 755 "$RT/nobody-logs" && chown nobody "$RT/nobody-logs"
		(cd "$RT" && GUESTVIEW_LOG_DIR=$RT/nobody-logs setpriv --reuid=nobody --regid=nogroup --clear-groups \
			"$RUNNER" --config netns.cfg) >"$RT/out" 2>"$RT/err"
		t_eq "netns as an ordinary user: exit 0" 0 "$?"
		t_grep "netns as an ordinary user: SKIP saying root is needed" "^SKIP ns \(migration = netns needs root \(network namespaces\), running as uid [1-9][0-9]*\)$" "$RT/out"
		t_grep "netns as an ordinary user: other migrations run" "^PASS other " "$RT/out"
	fi
else
	rt_run
	t_grep "netns as an ordinary user: SKIP saying root is needed" "^SKIP ns \(migration = netns needs root \(network namespaces\), running as uid [1-9][0-9]*\)$" "$RT/out"
fi
rt_no_tmp "no temporary file left behind"
t_done
