#!/bin/bash
# The known incompatibilities of unittests.cfg (migration_refused) name the
# registers and fields whose difference they expect, matched against the
# diagnosis's "refused because of: ...; would also change: ..." line: the
# entry XFAILs as it is, and FAILs when the refusal changes -- another
# configuration refused for other registers, or a pattern naming a register
# that does not differ.  (A pattern such as "cpreg_vmstate_array_len"
# matched every refusal that shortens the register list.)
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 2
[ -x host/gvmigrate ] && [ -f arm/migrate.flat ] && [ -f tables/outcomes.bash ] ||
	t_skip "host/gvmigrate, arm/migrate.flat or tables/outcomes.bash not built"
command -v qemu-system-aarch64 >/dev/null || t_skip "no qemu-system-aarch64"

# entry NAME: the section NAME of unittests.cfg, as written there.
entry() {
	awk -v want="[$1]" '/^\[/ { on = ($0 == want) } on && NF' unittests.cfg
}
cfg=$T_TMP/refusal.cfg
run() {	# DESC EXPECTED_STATUS EXPECTED_WORD: run_tests.sh on $cfg
	t_status "$1: run_tests.sh exits $2" "$2" env GUESTVIEW_LOG_DIR="$T_TMP/logs" TIMEOUT=60s \
		./run_tests.sh --config "$cfg"
	t_grep "$1: $3" "^$3 migrate-max-to-max-nopauth " "$T_OUT"
}

entry migrate-max-to-max-nopauth >"$cfg"
t_grep "the nopauth entry names its registers" \
	'^migration_refused = refused because of: .*APIAKeyLo_EL1.*ID_AA64ISAR1_EL1 GPA 1 -> 0, APA 1 -> 0' "$cfg"
run "nopauth as in unittests.cfg" 0 XFAIL

# The same expectation, but the destination switches SVE off instead of
# pointer authentication: QEMU still refuses the shorter register list.
sed -i 's/^dest_params = .*/dest_params = -cpu max,sve=off/' "$cfg"
run "nopauth's pattern, refused for SVE instead" 1 FAIL
t_grep "refused for SVE instead: says the diagnosis does not match" 'diagnosis does not match' "$T_OUT"

# A pattern naming a register that does not differ.
entry migrate-max-to-max-nopauth | sed 's/APIAKeyLo_EL1/ZCR_EL1/' >"$cfg"
run "nopauth's pattern naming ZCR_EL1 (which does not differ)" 1 FAIL
t_done
