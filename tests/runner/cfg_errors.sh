#!/bin/bash
# tests/runner/cfg_errors.sh: every kind of mistake in unittests.cfg stops
# run_tests.sh before any test starts, with exit status 2 and a message
# that names the file and line ("bad.cfg:3: unknown key 'smpp'").
# shellcheck disable=SC2119 # rt_run's arguments are optional
# shellcheck source=tests/runner/helpers.bash
. "$(dirname "$0")/helpers.bash"
rt_setup

# bad_cfg DESC REGEX: the config on stdin is refused with a message
# matching REGEX, status 2, and the stub never ran.
bad_cfg() {
	rt_cfg bad.cfg
	rt_run
	t_eq "$1: exit status 2" 2 "$RT_RC"
	t_grep "$1: message names file and line" "$2" "$RT/err"
	t_eq "$1: no test started" 0 "$(rt_calls)"
}

bad_cfg "unknown key" "^bad\.cfg:3: unknown key 'smpp'" <<'EOF2'
[a]
file = pass.flat
smpp = 4
EOF2

bad_cfg "malformed line" "^bad\.cfg:3: malformed line: 'this is not a key'" <<'EOF2'
[a]
file = pass.flat
this is not a key
EOF2

bad_cfg "key outside a section" "^bad\.cfg:2: key 'file' outside of a \[test-name\] section" <<'EOF2'
# comment first
file = pass.flat
[a]
file = pass.flat
EOF2

bad_cfg "duplicate test name" "^bad\.cfg:4: duplicate test 'a' \(first defined at line 1\)" <<'EOF2'
[a]
file = pass.flat

[a]
file = fail.flat
EOF2

bad_cfg "duplicate key" "^bad\.cfg:4: duplicate key 'smp' in \[a\] \(first set at line 3\)" <<'EOF2'
[a]
file = pass.flat
smp = 2
smp = 4
EOF2

bad_cfg "key and its alias" "^bad\.cfg:4: duplicate key 'qemu_params' \(alias of 'extra_params'\)" <<'EOF2'
[a]
file = pass.flat
extra_params = -m 256
qemu_params = -m 512
EOF2

bad_cfg "missing file key" "^bad\.cfg:4: test 'b' has no 'file' key" <<'EOF2'
[a]
file = pass.flat

[b]
smp = 2
EOF2

bad_cfg "payload not built" "^bad\.cfg:2: payload arm/nothere\.flat of test 'a' not found" <<'EOF2'
[a]
file = nothere.flat
EOF2

bad_cfg "non-numeric smp" "^bad\.cfg:3: smp must be an integer >= 1, got 'two'" <<'EOF2'
[a]
file = pass.flat
smp = two
EOF2

bad_cfg "smp 0" "^bad\.cfg:3: smp must be an integer >= 1, got '0'" <<'EOF2'
[a]
file = pass.flat
smp = 0
EOF2

bad_cfg "unmatched quote" "^bad\.cfg:3: extra_params: unmatched single quote" <<'EOF2'
[a]
file = pass.flat
extra_params = -append 'oops
EOF2

bad_cfg "test_args and -append" "^bad\.cfg:3: test 'a' has both test_args \(line 4\) and -append in extra_params" <<'EOF2'
[a]
file = pass.flat
extra_params = -m 256 -append x
test_args = y
EOF2

bad_cfg "-smp in extra_params" "^bad\.cfg:3: extra_params must not contain -smp: use the smp key" <<'EOF2'
[a]
file = pass.flat
extra_params = -smp 4
EOF2

bad_cfg "bad accel" "^bad\.cfg:3: accel must be kvm or tcg, got 'hvf'" <<'EOF2'
[a]
file = pass.flat
accel = hvf
EOF2

bad_cfg "bad timeout" "^bad\.cfg:3: timeout must be a timeout\(1\) duration .* got '10 seconds'" <<'EOF2'
[a]
file = pass.flat
timeout = 10 seconds
EOF2

bad_cfg "empty value" "^bad\.cfg:2: empty value for 'file'" <<'EOF2'
[a]
file =
EOF2

bad_cfg "bad test name" "^bad\.cfg:1: bad test name 'a/b'" <<'EOF2'
[a/b]
file = pass.flat
EOF2

bad_cfg "no tests" "^bad\.cfg: no tests defined" <<'EOF2'
# only a comment
EOF2

# The migration keys (scripts/runner/cfg.bash, CFG_KEY_SPEC).
bad_cfg "bad migration" "^bad\.cfg:3: migration must be one of: unix tcp netns \(host/gvmigrate --list-modes\), got 'udp'$" <<'EOF2'
[a]
file = pass.flat
migration = udp
EOF2

bad_cfg "empty migration" "^bad\.cfg:3: empty value for 'migration'$" <<'EOF2'
[a]
file = pass.flat
migration =
EOF2

bad_cfg "qemu with spaces" "^bad\.cfg:3: qemu must be one path or command name, got 'qemu-system-aarch64 -M virt'$" <<'EOF2'
[a]
file = pass.flat
qemu = qemu-system-aarch64 -M virt
EOF2

bad_cfg "dest_qemu without migration" "^bad\.cfg:3: dest_qemu without migration in \[a\]" <<'EOF2'
[a]
file = pass.flat
dest_qemu = qemu-system-aarch64
EOF2

bad_cfg "dest_params without migration" "^bad\.cfg:4: dest_params without migration in \[b\]" <<'EOF2'
[a]
file = pass.flat
[b]
dest_params = -cpu max
file = pass.flat
EOF2

bad_cfg "migration_refused without migration" "^bad\.cfg:3: migration_refused without migration in \[a\]" <<'EOF2'
[a]
file = pass.flat
migration_refused = cpreg_vmstate_array_len
EOF2

bad_cfg "migration in another section does not count" "^bad\.cfg:6: dest_qemu without migration in \[b\]" <<'EOF2'
[a]
file = pass.flat
migration = unix
[b]
file = pass.flat
dest_qemu = qemu-system-aarch64
EOF2

bad_cfg "dest_params quoting" "^bad\.cfg:4: dest_params: unmatched double quote$" <<'EOF2'
[a]
file = pass.flat
migration = unix
dest_params = -cpu "max,sve=off
EOF2

bad_cfg "migration_refused not a regex" "^bad\.cfg:4: migration_refused: 'Failed to load \(cpu' is not a valid extended regular expression$" <<'EOF2'
[a]
file = pass.flat
migration = unix
migration_refused = Failed to load (cpu
EOF2

bad_cfg "empty migration_refused" "^bad\.cfg:4: empty value for 'migration_refused'$" <<'EOF2'
[a]
file = pass.flat
migration = tcp
migration_refused =
EOF2

bad_cfg "duplicate migration key" "^bad\.cfg:4: duplicate key 'migration' in \[a\] \(first set at line 3\)" <<'EOF2'
[a]
file = pass.flat
migration = unix
migration = tcp
EOF2

# All mistakes at once, not one per run.
bad_cfg "several errors" "^bad\.cfg:5: unknown key 'smpp'" <<'EOF2'
[a]
file = pass.flat
smp = x
[b]
smpp = 1
EOF2
t_grep "several errors: the first is reported too" "^bad\.cfg:3: smp must be" "$RT/err"
t_grep "several errors: and the missing file" "^bad\.cfg:4: test 'b' has no 'file' key" "$RT/err"

RT_CFG=$RT/missing.cfg
rt_run
t_eq "missing config file: exit status 2" 2 "$RT_RC"
t_grep "missing config file: named" "missing\.cfg: cannot read config file" "$RT/err"

# The good form of each key is accepted (so the checks above are not just
# refusing everything): CRLF line ends, odd spacing, comments, '#' in values.
rt_cfg good.cfg <<'EOF2'
# comment
  [a]  
file=pass.flat
  smp   =   3
qemu_params = -m 256 -name 'x y'
test_args = a # not a comment
groups = g1  g2
accel = tcg
arch = arm64
timeout = 1.5m
EOF2
sed -i 's/$/\r/' "$RT_CFG"
rt_run
t_eq "every key in good form: runs, exit 0" 0 "$RT_RC"
t_grep "every key in good form: args passed" "stub-argv: \[-smp\] \[3\] \[-m\] \[256\] \[-name\] \[x y\] \[-append\] \[a # not a comment\]" "$RT/logs/latest/a.log"
t_done
