# gen-bulkproto.awk: tables/bulkproto.h -> tables/bulkproto.bash, each
# "#define BULK_NAME "text"" as BULK_NAME='text', so that arm/run reads the
# words the guest was compiled with.  A BULK_ define it cannot copy as it
# is (not one plain string, or a quote inside) stops the build with the
# file and line, rather than give bash another spelling.
BEGIN {
	print "# tables/bulkproto.bash: generated from tables/bulkproto.h by tables/gen-bulkproto.awk; do not edit."
}
/^#define[ \t]+BULK_/ {
	if (match($0, /^#define[ \t]+BULK_[A-Z0-9_]+[ \t]+"[^"'$`\\]*"[ \t]*$/)) {
		name = $2
		text = $0
		sub(/^[^"]*"/, "", text)
		sub(/"[ \t]*$/, "", text)
		printf "%s='%s'\n", name, text
		n++
		next
	}
	printf "%s:%d: not a plain \"...\" string bash can take as it is: %s\n", FILENAME, FNR, $0 > "/dev/stderr"
	bad = 1
}
END {
	if (!bad && !n) {
		printf "%s: no #define BULK_ line\n", FILENAME > "/dev/stderr"
		bad = 1
	}
	exit bad
}
