# scripts/matrix/lib/suite.bash: what each emulated host's suite is (sourced).
#
# The hosts run the default unittests.cfg under KVM, as a user on an arm64
# host would (scripts/matrix/init's suite command): which of its entries
# apply there is the runner's decision (scripts/runner/applicable.bash), so
# the driver (and the project's tests) ask the same code, never a list of
# their own.

# mx_kvm_suite: REPLY = the names of the tests of unittests.cfg that apply
# under KVM, one per line, in file order (each one arm/run inside a host:
# what bounds a suite command); false with MX_ERR when the cfg cannot be
# read.  Needs MX_ROOT.
mx_kvm_suite() {
	local out
	# A subshell: the runner's libraries set globals of their own.
	out=$(
		REPO=$MX_ROOT CFG_GVMIGRATE=$MX_ROOT/host/gvmigrate
		for lib in words durations cfg applicable; do
			. "$MX_ROOT/scripts/runner/$lib.bash" || exit 1
		done
		if ! cfg_parse "$MX_ROOT/unittests.cfg" unittests.cfg; then
			cfg_print_errors 2>&1
			exit 1
		fi
		echo "unittests.cfg read"
		for ((i = 0; i < CFG_N; i++)); do
			! applicable_cfg "$i" kvm || printf '%s\n' "${CFG_NAME[i]}"
		done
	)
	if [[ $out != "unittests.cfg read"* ]]; then
		MX_ERR="cannot read unittests.cfg for the hosts' suite: ${out:-scripts/runner/ missing?}"
		return 1
	fi
	REPLY=${out#unittests.cfg read}
	REPLY=${REPLY#$'\n'}
}
