# scripts/runner/select.bash: which tests of the parsed config to run, from
# the test names and -g groups given on the command line.
#
# As in kvm-unit-tests, names and groups both filter: with both, a test runs
# when it is named AND in one of the groups.  Asking for a test or a group
# that the config does not have is an error, not an empty run: a typo in a
# nightly job's command line must not turn into a green run of nothing.

# select_tests NAME_COUNT NAME... GROUP...: SELECTED = indexes of the tests
# to run, in config order.  Returns 1 with messages in SELECT_ERRORS.
select_tests() {
	local nnames=$1 n g i groups hit
	shift
	local -a names=("${@:1:nnames}") want_groups=("${@:nnames+1}")
	local -A want_name=()
	SELECTED=() SELECT_ERRORS=()
	for n in "${names[@]}"; do
		if [ -n "${CFG_INDEX[$n]+set}" ]; then want_name[$n]=1
		else SELECT_ERRORS+=("unknown test '$n': not in $CFG_SHOWN (run_tests.sh -l lists the tests)"); fi
	done
	for g in "${want_groups[@]}"; do
		[ -n "${CFG_GROUP_SEEN[$g]+set}" ] ||
			SELECT_ERRORS+=("unknown group '$g' for -g: no test of $CFG_SHOWN is in it (groups: $(select_group_list))")
	done
	[ ${#SELECT_ERRORS[@]} -eq 0 ] || return 1
	for ((i = 0; i < CFG_N; i++)); do
		[ ${#names[@]} -eq 0 ] || [ -n "${want_name[${CFG_NAME[i]}]+set}" ] || continue
		if [ ${#want_groups[@]} -gt 0 ]; then
			cfg_get "$i" groups ""
			groups=" $REPLY " hit=''
			for g in "${want_groups[@]}"; do
				[[ $groups == *[[:space:]]"$g"[[:space:]]* ]] && hit=1
			done
			[ -n "$hit" ] || continue
		fi
		SELECTED+=("$i")
	done
	if [ ${#SELECTED[@]} -eq 0 ]; then
		SELECT_ERRORS+=("no test selected: none of ${names[*]} is in group ${want_groups[*]}")
		return 1
	fi
}

# select_group_list: prints every group the config uses, sorted.
select_group_list() {
	local -a all=("${!CFG_GROUP_SEEN[@]}")
	[ ${#all[@]} -gt 0 ] || { printf 'none'; return; }
	printf '%s\n' "${all[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}
