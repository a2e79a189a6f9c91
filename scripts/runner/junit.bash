# scripts/runner/junit.bash: JUnit XML for --junit FILE, for CI dashboards.
#
# The file is written once, at the end of the run or when it is
# interrupted, into a private directory beside FILE and then renamed over
# it: rename is atomic on one file system, so a reader never sees half a
# document, and a Ctrl-C leaves the previous file or a complete new one.
#
# An expected failure (XFAIL) is a testcase with <skipped message="XFAIL:
# reason"/>, as pytest writes its xfails.  It did run, but both choices of
# the schema are imperfect and this one is visible: Jenkins and GitLab list
# skipped cases apart, in yellow/grey, with the message in the case's
# detail, and neither fails a build for them; a plain passed case would be
# shown green with the refusal hidden in system-out, where nobody looks when
# a known incompatibility finally goes away or changes shape.  The suite's
# "skipped" attribute therefore counts SKIPs and XFAILs; the property
# expected_failures says how many of them are XFAILs.
#
# Each check a payload reported (lib/report.c's lines, read by checks.bash)
# is a testcase of its own after the payload's, with classname the test's
# name and name the check's, so that a dashboard shows which check broke
# and follows it from run to run; its verdict maps as checks.bash's table
# says.  The counts of the suite include them.
#
# Guest consoles can print anything: escape sequences and bytes that are not
# UTF-8 would make the document unparseable, so xml_escape removes them.

JUNIT_TMP='' # the private directory while the file is being written

# Bytes XML 1.0 forbids (all C0 controls but tab, newline, CR; and DEL,
# which is allowed but never useful here), and a regex for valid UTF-8.
XML_BAD_CTRL=$'\001'-$'\010'$'\013'$'\014'$'\016'-$'\037'$'\177'
XML_HIGH=$'\200'-$'\377'
XML_UTF8_RE=$'^([\001-\177]|[\302-\337][\200-\277]|\340[\240-\277][\200-\277]|[\341-\354\356\357][\200-\277][\200-\277]|\355[\200-\237][\200-\277]|\360[\220-\277][\200-\277][\200-\277]|[\361-\363][\200-\277][\200-\277][\200-\277]|\364[\200-\217][\200-\277][\200-\277])*$'

# xml_escape STR: REPLY = STR safe inside XML text or a quoted attribute.
xml_escape() {
	local LC_ALL=C s=$1 amp='&amp;' lt='&lt;' gt='&gt;' quot='&quot;' apos='&apos;'
	# Quoted replacements: since bash 5.2 a bare & in one means "the match".
	s=${s//&/"$amp"}
	s=${s//</"$lt"}
	s=${s//>/"$gt"}
	s=${s//\"/"$quot"}
	s=${s//\'/"$apos"}
	s=${s//[$XML_BAD_CTRL]/?}
	# Not UTF-8 (a crashed guest, a raw binary dump): keep the ASCII.
	if [[ $s == *[$XML_HIGH]* ]] && ! [[ $s =~ $XML_UTF8_RE ]]; then
		s=${s//[$XML_HIGH]/?}
	fi
	REPLY=$s
}

# junit_write FILE US PROPERTIES LOGDIR TESTS...: write the document for
# the completed TESTS (indexes), which took US microseconds in all.
# PROPERTIES is "name=value" lines.  system-out gets the last JUNIT_TAIL
# lines of LOGDIR/<test>.log.
JUNIT_TAIL=50
junit_write() {
	local file=$1 us=$2 props=$3 logdir=$4 i n=0 nfail=0 nerr=0 nskip=0
	local head stamp host t p tail line dir tag rc
	shift 4
	local -a out=()
	for i in "$@"; do
		n=$((n + 1))
		case ${R_STATUS[i]} in
		ERROR) nerr=$((nerr + 1)) ;;
		SKIP | XFAIL) nskip=$((nskip + 1)) ;;
		# FAIL, TIMEOUT, REFUSED: any result of an outcome that fails.
		*) ! verdict_failed "$i" || nfail=$((nfail + 1)) ;;
		esac
	done
	# The checks' testcases, by test (CASES_OF[i]: its lines, one string).
	local -A cases_of=()
	local j cls c
	for i in "$@"; do
		[ -z "${PLAN_SKIP[i]+set}" ] || continue
		checks_read "$logdir/${CFG_NAME[i]}.log"
		xml_escape "${CFG_NAME[i]}"
		cls=$REPLY c=''
		for ((j = 0; j < ${#CHECK_NAME[@]}; j++)); do
			n=$((n + 1))
			xml_escape "${CHECK_NAME[j]}"
			c+="    <testcase classname=\"$cls\" name=\"$REPLY\" time=\"0\">"
			xml_escape "${CHECK_DETAIL[j]}"
			case ${CHECK_VERDICT[j]} in
			PASS) c+='</testcase>' ;;
			SKIP) c+="<skipped message=\"$REPLY\"/></testcase>" nskip=$((nskip + 1)) ;;
			XFAIL | KFAIL) c+="<skipped message=\"${CHECK_VERDICT[j]}: $REPLY\"/></testcase>" nskip=$((nskip + 1)) ;;
			*)
				nfail=$((nfail + 1))
				c+="<failure type=\"${CHECK_VERDICT[j]}\" message=\"$REPLY\">"
				xml_escape "${CHECK_VERDICT[j]}: ${CHECK_NAME[j]}${CHECK_DETAIL[j]:+ ${CHECK_DETAIL[j]}}"
				c+="$REPLY</failure></testcase>"
				;;
			esac
			c+=$'\n'
		done
		cases_of[$i]=${c%$'\n'}
	done
	fmt_secs "$us" 3
	head="tests=\"$n\" failures=\"$nfail\" errors=\"$nerr\" skipped=\"$nskip\" time=\"$REPLY\""
	printf -v stamp '%(%Y-%m-%dT%H:%M:%S)T' -1
	xml_escape "${HOSTNAME:-localhost}"
	host=$REPLY
	out+=('<?xml version="1.0" encoding="UTF-8"?>' "<testsuites $head>"
		"  <testsuite name=\"guestview\" $head timestamp=\"$stamp\" hostname=\"$host\">")
	if [ -n "$props" ]; then
		out+=("    <properties>")
		props+=$'\n'
		while [ -n "$props" ]; do
			p=${props%%$'\n'*} props=${props#*$'\n'}
			xml_escape "${p#*=}"
			out+=("      <property name=\"${p%%=*}\" value=\"$REPLY\"/>")
		done
		out+=("    </properties>")
	fi
	for i in "$@"; do
		fmt_secs "${R_US[i]:-0}" 3
		t=$REPLY
		xml_escape "${CFG_NAME[i]}"
		out+=("    <testcase classname=\"guestview\" name=\"$REPLY\" time=\"$t\">")
		xml_escape "${R_DETAIL[i]}"
		case ${R_STATUS[i]} in
		ERROR) tag=error ;;
		SKIP) tag='' out+=("      <skipped message=\"$REPLY\"/>") ;;
		XFAIL) tag='' out+=("      <skipped message=\"XFAIL: $REPLY\"/>") ;;
		*) tag='' && ! verdict_failed "$i" || tag=failure ;;
		esac
		if [ -n "$tag" ]; then
			t="      <$tag type=\"${R_STATUS[i]}\" message=\"$REPLY\">"
			xml_escape "${R_STATUS[i]}: ${R_DETAIL[i]}${R_VERDICT[i]:+ (arm/run: ${R_VERDICT[i]})}"
			out+=("$t$REPLY</$tag>")
		fi
		# Line by line: one line of binary garbage must not cost the others
		# their UTF-8.
		tail=''
		log_tail "$logdir/${CFG_NAME[i]}.log" "$JUNIT_TAIL"
		for line in "${LOG_TAIL[@]}"; do
			xml_escape "$line"
			tail+=$REPLY$'\n'
		done
		out+=("      <system-out>$tail</system-out>" "    </testcase>")
		[ -z "${cases_of[$i]:-}" ] || out+=("${cases_of[$i]}")
	done
	out+=("  </testsuite>" "</testsuites>")
	case $file in */*) dir=${file%/*} dir=${dir:-/} ;; *) dir=. ;; esac
	JUNIT_TMP=$(mktemp -d "$dir/.run_tests-junit.XXXXXX") || return 1
	printf '%s\n' "${out[@]}" >"$JUNIT_TMP/junit.xml" &&
		mv -fT -- "$JUNIT_TMP/junit.xml" "$file"
	rc=$?
	rm -rf -- "$JUNIT_TMP"
	JUNIT_TMP=''
	return $rc
}
