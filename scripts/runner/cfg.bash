# scripts/runner/cfg.bash: read unittests.cfg (kvm-unit-tests format) once,
# into arrays, and report every mistake as "FILE:LINE: what is wrong".
#
# A bad config must stop the run before any test starts: a typo such as
# "smpp = 4" silently ignored would make a nightly run test something else
# than what its author meant.  So unknown keys, duplicates, bad values and
# stray lines are all errors, collected in CFG_ERRORS so that the user sees
# all of them at once.
#
# Needs words.bash and durations.bash; CFG_GVMIGRATE names host/gvmigrate,
# which owns the migration modes.

# The known keys, in one place: a later key is one more line here and, if
# it needs new checking, one more case in cfg_check_value.  After the type,
# optional attributes: env=VAR, run_tests.sh passes the value to arm/run
# as environment variable VAR (the cfg wins over the user's environment,
# for that test only); needs=KEY, the key is an error without KEY in the
# same section.
#        key              type        attributes                            what it is
CFG_KEY_SPEC=(
	"file              payload                                           payload file name, relative to arm/ (required)"
	"smp               count                                             number of vCPUs, passed as -smp N (default 1)"
	"extra_params      qemu_words                                        more QEMU options, split as shell words"
	"qemu_params       =extra_params"
	"test_args         text                                              guest command line, passed as -append '...'"
	"groups            names                                             space-separated group names, for -g"
	"accel             accel                                             kvm or tcg: SKIP unless that accel is in use"
	"arch              word                                              target architecture: SKIP unless arm64"
	"timeout           duration                                          timeout(1) duration (default 90s; env TIMEOUT wins)"
	"qemu              binary      env=QEMU                              QEMU binary (the source's): a path from the repo root or a command; SKIP when absent"
	"migration         migration   env=MIGRATION                         a mode of host/gvmigrate --list-modes (unix, tcp, netns): migrate the guest"
	"dest_qemu         binary      env=DEST_QEMU needs=migration         destination QEMU, as qemu (default: the source's)"
	"dest_params       dest_words  env=DEST_PARAMS needs=migration       destination's QEMU options, replacing the source's same ones"
	"migration_refused regex       env=MIGRATION_REFUSAL needs=migration ERE: must be refused with a matching diagnosis (XFAIL)"
	"baseline          word        env=BASELINE                          reviewed fingerprint (baselines/qemu-X.Y/NAME.fp, from the repo root): FAIL when a key moved"
)
declare -A CFG_KEY_TYPE=() CFG_KEY_ALIAS=() CFG_KEY_ENV=() CFG_KEY_NEEDS=()
CFG_KEY_NAMES='' CFG_ENV_KEYS=()
cfg_init_keys() {
	local spec key type attr
	for spec in "${CFG_KEY_SPEC[@]}"; do
		[[ $spec =~ ^([^[:space:]]+)[[:space:]]+([^[:space:]]+)[[:space:]]*(.*)$ ]] || continue
		key=${BASH_REMATCH[1]} type=${BASH_REMATCH[2]} attr=${BASH_REMATCH[3]}
		if [[ $type == =* ]]; then CFG_KEY_ALIAS[$key]=${type#=}
		else CFG_KEY_TYPE[$key]=$type; fi
		CFG_KEY_NAMES+=${CFG_KEY_NAMES:+ }$key
		# Attributes (NAME=VALUE words) come before the description.
		while [[ $attr =~ ^(env|needs)=([A-Za-z_][A-Za-z0-9_]*)[[:space:]]*(.*)$ ]]; do
			case ${BASH_REMATCH[1]} in
			env)
				# shellcheck disable=SC2034 # read by run_tests.sh
				CFG_KEY_ENV[$key]=${BASH_REMATCH[2]} CFG_ENV_KEYS+=("$key")
				;;
			needs) CFG_KEY_NEEDS[$key]=${BASH_REMATCH[2]} ;;
			esac
			attr=${BASH_REMATCH[3]}
		done
	done
}
cfg_init_keys

# Test names become log file names (logs/<name>.log), so keep them plain,
# and short: a file name has at most 255 bytes (NAME_MAX), and a name is
# also a line of the results.
CFG_NAME_RE='^[A-Za-z0-9_][A-Za-z0-9_.+-]*$'
CFG_NAME_MAX=128

# Parse results.  Test i (0-based, config order) has CFG_NAME[i], the line
# of its [section] CFG_LINE[i], and for each key given CFG_VAL[i.key] and
# its line CFG_AT[i.key] (aliases stored under the key they stand for).
# extra_params, already split: CFG_NWORDS[i] words, word k in
# CFG_WORD[i.k]; cfg_words turns them back into an array.  CFG_APPEND[i] is
# set when they hold -append.
CFG_FILE='' CFG_SHOWN='' CFG_N=0
CFG_NAME=() CFG_LINE=() CFG_NWORDS=() CFG_APPEND=() CFG_ERRORS=()
declare -A CFG_VAL=() CFG_AT=() CFG_INDEX=() CFG_GROUP_SEEN=() CFG_WORD=()

# cfg_error LINE MESSAGE.  Entries are "LINE<tab>FILE:LINE: MESSAGE" so that
# cfg_print_errors can show them in line order (some are only found at the
# end of a section).  A config may hold anything, escape sequences too:
# bytes that are not printable ASCII are shown as \xNN, never sent to the
# terminal as they are.
cfg_error() {
	cfg_escape "$2"
	CFG_ERRORS+=("$1"$'\t'"$CFG_SHOWN:$1: $REPLY")
}

# cfg_escape TEXT: REPLY = TEXT with each byte outside printable ASCII
# (control characters, escape sequences, UTF-8, binary) as \xNN.
cfg_escape() {
	local LC_ALL=C s=$1 out='' c k
	REPLY=$s
	[[ $s == *[![:print:]]* ]] || return 0
	for ((k = 0; k < ${#s}; k++)); do
		c=${s:k:1}
		case $c in
		[\ -~]) out+=$c ;;
		*) printf -v c '\\x%02x' "'$c"; out+=$c ;;
		esac
	done
	REPLY=$out
}

# cfg_q VALUE: REPLY = VALUE quoted for a message, cut after
# CFG_SHOW_MAX characters (a 1 MB line is not repeated whole).
CFG_SHOW_MAX=80
cfg_q() {
	if [ ${#1} -le "$CFG_SHOW_MAX" ]; then REPLY="'$1'"
	else REPLY="'${1:0:CFG_SHOW_MAX}'... (${#1} characters)"; fi
}

# cfg_print_errors: the errors, in line order, on stderr.
cfg_print_errors() {
	printf '%s\n' "${CFG_ERRORS[@]}" | sort -s -n -k1,1 | cut -f2- >&2
}

# cfg_parse FILE SHOWN: parse FILE; messages name it as SHOWN.  Returns 1
# when there are errors (in CFG_ERRORS).
#
# Linear in the size of FILE (a 1 MB config, one long line or many short
# ones, takes seconds, not hours): each bash expansion of a string may cost
# the whole string, and a pattern that does not match at once ("${l%x}",
# "${l#"$prefix"}", "${l##*[![:space:]]}") the whole string again for each
# byte it tries.  So the steps below are expansions that match at the first
# byte they try, or regular expressions (one pass of glibc's matcher), and
# everything is bytes (LC_ALL=C), not characters.
cfg_parse() {
	CFG_FILE=$1 CFG_SHOWN=$2
	local LC_ALL=C line key val ln=0 cur=-1
	local -a lines
	if ! [ -f "$CFG_FILE" ] || ! mapfile -t lines <"$CFG_FILE" 2>/dev/null; then
		CFG_ERRORS+=("0"$'\t'"$CFG_SHOWN: cannot read config file")
		return 1
	fi
	cfg_find_nul
	for line in "${lines[@]}"; do
		ln=$((ln + 1))
		case $line in [[:space:]]* | *[[:space:]]) cfg_trim "$line"; line=$REPLY ;; esac
		case $line in
		'' | '#'*) continue ;;
		'['*']')
			[ "$cur" -ge 0 ] && cfg_end_section "$cur"
			cfg_trim "${line:1:${#line}-2}"
			key=$REPLY
			if ! [[ $key =~ $CFG_NAME_RE ]]; then
				cfg_q "$key"
				cfg_error "$ln" "bad test name $REPLY (letters, digits, . _ + - only: it names logs/<test>.log)"
			elif [ ${#key} -gt "$CFG_NAME_MAX" ]; then
				cfg_q "$key"
				cfg_error "$ln" "test name of ${#key} characters, at most $CFG_NAME_MAX (it names logs/<test>.log): $REPLY"
			elif [ -n "${CFG_INDEX[$key]+set}" ]; then
				cfg_error "$ln" "duplicate test '$key' (first defined at line ${CFG_LINE[${CFG_INDEX[$key]}]})"
			fi
			cur=$CFG_N
			CFG_N=$((CFG_N + 1))
			CFG_NAME[cur]=$key CFG_LINE[cur]=$ln CFG_NWORDS[cur]=0
			[ -n "${CFG_INDEX[$key]+set}" ] || CFG_INDEX[$key]=$cur
			;;
		*=*)
			# The key: up to the first '=' (a regex: "${line%%=*}" tries
			# every byte of a long key against the rest of the line).
			[[ $line =~ ^[^=]*= ]]
			key=${BASH_REMATCH[0]%=} val=${line:${#BASH_REMATCH[0]}}
			cfg_trim "$key"
			key=$REPLY
			cfg_trim "$val"
			val=$REPLY
			if ! [[ $key =~ ^[A-Za-z_][A-Za-z0-9_-]*$ ]]; then
				cfg_q "$line"
				cfg_error "$ln" "malformed line: $REPLY (expected 'key = value')"
			elif [ "$cur" -lt 0 ]; then
				cfg_q "$key"
				cfg_error "$ln" "key $REPLY outside of a [test-name] section"
			else
				cfg_set "$cur" "$key" "$val" "$ln"
			fi
			;;
		*)
			cfg_q "$line"
			cfg_error "$ln" "malformed line: $REPLY (expected '[test-name]', 'key = value' or '# comment')"
			;;
		esac
	done
	[ "$cur" -ge 0 ] && cfg_end_section "$cur"
	[ "$CFG_N" -gt 0 ] || CFG_ERRORS+=("0"$'\t'"$CFG_SHOWN: no tests defined (no [test-name] section)")
	[ ${#CFG_ERRORS[@]} -eq 0 ]
}

# cfg_trim TEXT: REPLY = TEXT without the white space around it (CR of a
# CRLF file included), in one pass however long TEXT is.
cfg_trim() {
	REPLY=$1
	if [[ $REPLY == [[:space:]]* ]]; then
		[[ $REPLY =~ ^[[:space:]]+ ]]
		REPLY=${REPLY:${#BASH_REMATCH[0]}}
	fi
	if [[ $REPLY == *[[:space:]] ]]; then
		# The last byte that is not white space, and what follows it.
		[[ $REPLY =~ [^[:space:]][[:space:]]*$ ]]
		REPLY=${REPLY:0:${#REPLY}-${#BASH_REMATCH[0]}+1}
	fi
}

# cfg_find_nul: an error for each line of CFG_FILE that holds a NUL byte.
# mapfile (and every other way bash reads a line) stops the line there
# and drops the rest of it without a word: "smp = 2<NUL>junk" would read as
# "smp = 2".  A text file has no NUL, so look once for the first one.
cfg_find_nul() {
	local chunk ln=1 last=0
	local -a nl
	# Each chunk ends with a NUL (the one that does not is the file's end).
	while IFS= read -r -d '' chunk; do
		mapfile -t nl <<<"$chunk"
		ln=$((ln + ${#nl[@]} - 1))
		[ "$ln" = "$last" ] ||
			cfg_error "$ln" "NUL byte in the line (not a text file? bash would silently cut the line there)"
		last=$ln
	done <"$CFG_FILE"
}

# cfg_set I KEY VALUE LINE: record one key of test I, checking it.
cfg_set() {
	local i=$1 key=$2 val=$3 ln=$4 canon=$2
	[ -n "${CFG_KEY_ALIAS[$key]+set}" ] && canon=${CFG_KEY_ALIAS[$key]}
	if [ -z "${CFG_KEY_TYPE[$canon]+set}" ]; then
		cfg_q "$key"
		cfg_error "$ln" "unknown key $REPLY (known keys: $CFG_KEY_NAMES)"
		return
	fi
	if [ -n "${CFG_AT[$i.$canon]+set}" ]; then
		local what="'$key'"
		[ "$key" != "$canon" ] && what="'$key' (alias of '$canon')"
		cfg_error "$ln" "duplicate key $what in [${CFG_NAME[i]}] (first set at line ${CFG_AT[$i.$canon]})"
		return
	fi
	CFG_AT[$i.$canon]=$ln
	CFG_VAL[$i.$canon]=$val
	cfg_check_value "$i" "$key" "${CFG_KEY_TYPE[$canon]}" "$val" "$ln"
}

# cfg_check_value I KEY TYPE VALUE LINE: the per-type check of one value.
cfg_check_value() {
	local i=$1 key=$2 type=$3 val=$4 ln=$5 g q
	# The value as messages quote it (cfg_q, without its call when short).
	if [ ${#val} -le "$CFG_SHOW_MAX" ]; then q="'$val'"; else cfg_q "$val"; q=$REPLY; fi
	case $type in
	payload | count | accel | word | duration | migration | binary | dest_words | regex)
		if [ -z "$val" ]; then cfg_error "$ln" "empty value for '$key'"; return; fi
		;;
	esac
	case $type in
	payload)
		[[ $val == */* || $val == *[[:space:]]* ]] &&
			cfg_error "$ln" "$key must be a file name in arm/, got $q"
		;;
	count)
		[[ $val =~ ^[1-9][0-9]{0,3}$ ]] ||
			cfg_error "$ln" "$key must be an integer >= 1, got $q"
		;;
	qemu_words)
		if words_split "$val"; then
			for g in "${WORDS[@]}"; do
				CFG_WORD[$i.${CFG_NWORDS[i]}]=$g
				CFG_NWORDS[i]=$((CFG_NWORDS[i] + 1))
				case $g in
				-smp | --smp) cfg_error "$ln" "$key must not contain $g: use the smp key" ;;
				-append | --append) CFG_APPEND[i]=$g ;;
				esac
			done
		else
			cfg_error "$ln" "$key: $WORDS_ERROR"
		fi
		;;
	text) ;;
	names)
		local -; set -f # a group named * must not match file names
		for g in $val; do
			# shellcheck disable=SC2034 # read by select.bash
			if [[ $g =~ $CFG_NAME_RE ]]; then CFG_GROUP_SEEN[$g]=1
			else cfg_q "$g"; cfg_error "$ln" "bad group name $REPLY in $key"; fi
		done
		;;
	accel)
		case $val in
		kvm | tcg) ;;
		*) cfg_error "$ln" "$key must be kvm or tcg, got $q" ;;
		esac
		;;
	word)
		[[ $val == *[[:space:]]* ]] && cfg_error "$ln" "$key must be one word, got $q"
		;;
	duration)
		duration_valid "$val" ||
			cfg_error "$ln" "$key must be a timeout(1) duration such as 90s, 2m or 1.5h, got $q"
		;;
	migration)
		if cfg_migration_modes; then
			[[ " $CFG_MODES " == *" $val "* ]] ||
				cfg_error "$ln" "$key must be one of: $CFG_MODES (host/gvmigrate --list-modes), got $q"
		else
			cfg_error "$ln" "$key: $CFG_MODES"
		fi
		;;
	binary)
		# Whether it exists is decided when the run starts (a SKIP when
		# not: a second QEMU is optional on some hosts).
		[[ $val == *[[:space:]]* ]] &&
			cfg_error "$ln" "$key must be one path or command name, got $q"
		;;
	dest_words)
		# arm/run splits it again with the same splitter (words.bash).
		words_split "$val" || cfg_error "$ln" "$key: $WORDS_ERROR"
		;;
	regex)
		# [[ =~ ]] compiles with regcomp(REG_EXTENDED) as gvmigrate does;
		# status 2 means the regex does not compile.
		local rc
		[[ "" =~ $val ]]
		rc=$?
		[ "$rc" != 2 ] ||
			cfg_error "$ln" "$key: $q is not a valid extended regular expression"
		;;
	*)
		cfg_error "$ln" "internal error: key '$key' has unknown type '$type'"
		;;
	esac
}

# cfg_migration_modes: CFG_MODES = gvmigrate's modes ("unix tcp netns"),
# asked once per run and only when a test migrates; false with CFG_MODES
# saying why when gvmigrate cannot tell.
CFG_MODES='' CFG_MODES_OK=''
cfg_migration_modes() {
	[ -z "$CFG_MODES_OK" ] || return "$CFG_MODES_OK"
	local gv=${CFG_GVMIGRATE:-host/gvmigrate}
	CFG_MODES_OK=1 CFG_MODES="cannot list the modes: $gv not built (run make)"
	[ -x "$gv" ] || return 1
	CFG_MODES=$("$gv" --list-modes) || { CFG_MODES="'$gv --list-modes' failed"; return 1; }
	CFG_MODES=${CFG_MODES//$'\n'/ }
	CFG_MODES_OK=0
}

# cfg_end_section I: checks that need the whole section.
cfg_end_section() {
	local i=$1
	if [ -z "${CFG_AT[$i.file]+set}" ]; then
		cfg_error "${CFG_LINE[i]}" "test '${CFG_NAME[i]}' has no 'file' key"
	fi
	local key
	for key in "${!CFG_KEY_NEEDS[@]}"; do
		[ -n "${CFG_AT[$i.$key]+set}" ] || continue
		[ -n "${CFG_AT[$i.${CFG_KEY_NEEDS[$key]}]+set}" ] ||
			cfg_error "${CFG_AT[$i.$key]}" "$key without ${CFG_KEY_NEEDS[$key]} in [${CFG_NAME[i]}]: it only applies to a test with '${CFG_KEY_NEEDS[$key]} = ...'"
	done
	if [ -n "${CFG_AT[$i.test_args]+set}" ] && [ -n "${CFG_APPEND[i]:-}" ]; then
		cfg_error "${CFG_AT[$i.extra_params]}" "test '${CFG_NAME[i]}' has both test_args (line ${CFG_AT[$i.test_args]}) and ${CFG_APPEND[i]} in extra_params"
	fi
}

# cfg_words I: WORDS = the extra_params words of test I.
cfg_words() {
	local k
	WORDS=()
	for ((k = 0; k < CFG_NWORDS[$1]; k++)); do WORDS+=("${CFG_WORD[$1.$k]}"); done
}

# cfg_get I KEY DEFAULT: REPLY = the value of KEY for test I, or DEFAULT.
cfg_get() {
	if [ -n "${CFG_AT[$1.$2]+set}" ]; then REPLY=${CFG_VAL[$1.$2]}; else REPLY=$3; fi
}
