# tests/migstream/helpers.bash: what the tests/migstream/*.sh files share,
# sourced after tests/lib.sh.
#
#   ms_build              gvstream with ASan/UBSan in $T_TMP ($GVSTREAM)
#   ms_save QEMU OUT ARGS a migration stream of a fresh, paused QEMU, to OUT
#   ms_load QEMU IN ARGS  loads IN into a destination QEMU: 0 accepted,
#                         1 refused (its messages in $MS_LOAD_ERR), 2 broken
#   ms_count FILE [CPU]   the cpreg list length the stream's own JSON
#                         description states (python3, independent of gvstream)
#   ms_guest QEMU OUT ARGS  the ID registers a guest of that configuration reads
#   ms_field FILE REG LSB WIDTH  one field of them
#
# QEMU72 is the system QEMU (7.2 on Debian bookworm), QEMU10 the
# bookworm-backports 10.0 that scripts/setup-deps.sh unpacks into deps/qemu10
# (else /tmp/q10, where scripts/apt-fetch.sh puts it by hand); the checks
# that need QEMU 10.0 are left out, with a note, when it is missing.

QEMU72=${QEMU72:-qemu-system-aarch64}
if [ -z "${QEMU10:-}" ]; then
	QEMU10=${GUESTVIEW_DEPS:-$T_ROOT/deps}/qemu10/usr/bin/qemu-system-aarch64
	[ -x "$QEMU10" ] || QEMU10=/tmp/q10/usr/bin/qemu-system-aarch64
fi
GVSTREAM=$T_TMP/gvstream

# Built with ASan and UBSan: every check of a test file then also runs the
# parser under them.
ms_build() {
	local cflags
	cflags=$(pkg-config --cflags --libs json-c) || { t_fail "pkg-config json-c (libjson-c-dev)"; t_done; }
	# shellcheck disable=SC2086
	if ! (cd "$T_ROOT" && ${HOST_CC:-cc} -std=c11 -O1 -g -Wall -Wextra -Werror -D_GNU_SOURCE \
		-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
		-Itables -Ihost -o "$GVSTREAM" host/gvstream.c host/migstream.c host/cpregdiff.c host/regnames.c host/idfield.c \
		tables/idregs.c $cflags) >"$T_TMP/build.log" 2>&1; then
		t_fail "build gvstream"
		sed 's/^/#   /' "$T_TMP/build.log" | head -n 30
		t_done
	fi
	# A sanitizer finding exits 99, never 1 or 2, which are answers.
	export ASAN_OPTIONS=detect_leaks=1:exitcode=99 UBSAN_OPTIONS=print_stacktrace=1:exitcode=99
}

have_qemu() { command -v "$1" >/dev/null 2>&1; }

# QMP over a coprocess.  Bash keeps one coprocess at a time, and its file
# descriptors only in this shell: the functions set globals, never print.
_qmp_start() {
	local errfile=$1; shift
	coproc MSQ { exec timeout 60 "$@" -nodefaults -no-user-config -display none -S -qmp stdio 2>"$errfile"; }
	MSQ_PID_SAVED=$MSQ_PID
	MSQ_IN=${MSQ[1]} MSQ_OUT=${MSQ[0]}
	_qmp_read greeting && _qmp_cmd '{"execute":"qmp_capabilities"}'
}

# The next line from QEMU; 1 when it closed QMP (exited) or said nothing in 20 s.
_qmp_read() {
	IFS= read -r -t 20 -u "$MSQ_OUT" QMP_LINE
}

# Sends a command; QMP_REPLY is its answer (events skipped).  1 when QEMU is
# gone.  SIGPIPE is ignored for the write: a QEMU that exited (a refused
# incoming stream) must not kill the test.
_qmp_cmd() {
	local rc
	trap '' PIPE
	{ printf '%s\n' "$1" >&"$MSQ_IN"; } 2>/dev/null
	rc=$?
	trap - PIPE
	[ $rc -eq 0 ] || return 1
	while _qmp_read; do
		case $QMP_LINE in
		*'"return"'* | *'"error"'*) QMP_REPLY=$QMP_LINE; return 0 ;;
		esac
	done
	return 1
}

# Quits QEMU if it still runs, and reaps it.
_qmp_stop() {
	_qmp_cmd '{"execute":"quit"}' >/dev/null 2>&1
	wait "$MSQ_PID_SAVED" 2>/dev/null
}

# Polls query-migrate until the migration on this side ended; MS_MIG is
# "completed", "failed" or "gone" (QEMU exited).  Polls every 10 ms: a
# paused 16 MiB guest migrates in a few.
_qmp_wait_migration() {
	local deadline=$((SECONDS + 30))
	MS_MIG=gone
	while [ $SECONDS -lt $deadline ]; do
		_qmp_cmd '{"execute":"query-migrate"}' || return 1
		case $QMP_REPLY in
		*'"status": "completed"'*) MS_MIG=completed; return 0 ;;
		*'"status": "failed"'*) MS_MIG=failed; return 1 ;;
		esac
		sleep 0.01
	done
	MS_MIG=timeout
	return 1
}

# ms_save QEMU OUT QEMU-ARGS...: 0 when OUT holds a complete stream.
ms_save() {
	local qemu=$1 out=$2; shift 2
	case $out in *[\'\"\\]*) echo "ms_save: unusable file name $out" >&2; return 2 ;; esac
	_qmp_start "$out.qemu-err" "$qemu" "$@" || { _qmp_stop; cat "$out.qemu-err" >&2; return 2; }
	_qmp_cmd "{\"execute\":\"migrate\",\"arguments\":{\"uri\":\"exec:cat > '$out'\"}}"
	_qmp_wait_migration
	_qmp_stop
	[ "$MS_MIG" = completed ] && [ -s "$out" ] && return 0
	echo "ms_save: migration $MS_MIG; QEMU said:" >&2
	cat "$out.qemu-err" >&2
	return 2
}

# ms_load QEMU IN QEMU-ARGS...: a destination QEMU started with the given
# options loads IN.  0 accepted, 1 refused ("load of migration failed"),
# 2 anything else.  MS_LOAD_ERR names the file with QEMU's messages.
ms_load() {
	local qemu=$1 in=$2; shift 2
	MS_LOAD_ERR=$in.load-err
	_qmp_start "$MS_LOAD_ERR" "$qemu" "$@" -incoming "exec:cat '$in'" || { _qmp_stop; }
	if [ -n "${MSQ_IN:-}" ]; then
		_qmp_wait_migration
		_qmp_stop
	fi
	[ "$MS_MIG" = completed ] && return 0
	grep -q 'load of migration failed' "$MS_LOAD_ERR" && return 1
	return 2
}

# The array_len of cpreg_vmstate_indexes in the description of cpu N (0),
# read the way QEMU's scripts/analyze-migration.py finds the description.
ms_count() {
	python3 - "$1" "${2:-0}" <<'PY'
import json, sys
data = open(sys.argv[1], 'rb').read()
pos = data.find(b'{', data.rfind(b'\0'))
desc = json.loads(data[pos:].decode())
for dev in desc['devices']:
    if dev['name'] == 'cpu' and dev['instance_id'] == int(sys.argv[2]):
        print([f for f in dev['fields'] if f['name'] == 'cpreg_vmstate_indexes'][0]['array_len'])
PY
}

# ms_guest QEMU OUT QEMU-ARGS...: what a guest of that configuration reads of
# its ID registers and CNTFRQ_EL0 (arm/idregs.flat's fingerprint), as
# "NAME 0xVALUE" lines
# in OUT: the expectations of the diff tests come from the guest, not from
# gvstream.  1 when the payload is not built (make) or did not run.
ms_guest() {
	local qemu=$1 out=$2; shift 2
	[ -f "$T_ROOT/arm/idregs.flat" ] || return 1
	timeout 60 "$qemu" -nodefaults -no-user-config -display none -serial stdio -accel tcg \
		-kernel "$T_ROOT/arm/idregs.flat" "$@" </dev/null 2>&1 |
		sed -n 's/^\(sysreg\|timer\)\.\([A-Z0-9_]*\) \(0x[0-9a-f]\{16\}\)\r\{0,1\}$/\2 \3/p' >"$out"
	[ -s "$out" ]
}

# ms_field FILE REG LSB WIDTH: a field of a register of an ms_guest file.
ms_field() {
	local v
	v=$(awk -v r="$2" '$1 == r { print $2 }' "$1")
	[ -n "$v" ] || { echo "-1"; return; }
	echo $(( (v >> $3) & ((1 << $4) - 1) ))
}
