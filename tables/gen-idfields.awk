# tables/gen-idfields.awk: the field position constants of idregs.def, as a
# C header (gen/idfields.h, built by tables/tables.mk), so that no C file
# writes a field's shift or mask by hand.
#
#   awk -f tables/gen-idfields.awk tables/idregs.def >gen/idfields.h
#
# It refuses (exit 1, nothing useful on stdout) a table whose registers do
# not list their fields most significant first without overlap, layout by
# layout (LAYOUT_ANY fields belong to both CCSIDR_EL1 layouts): that is the
# only check standing between a mistyped LSB and a field read from its
# neighbour's bits.  Also refused: a FIELD outside its register, a
# duplicate name, a position outside 64 bits, a line that is neither.
#
# It reads the file as text, not through the C preprocessor: tables/idregs.c
# checks at compile time that every constant matches what the compiler read
# (IDF_FOR_EACH below), so the two readings cannot drift apart.
#
# Names: IDF_<REG>_<FIELD>_{SHIFT,WIDTH,MASK}; a field of one CCSIDR_EL1
# layout gets the layout's name appended (IDF_CCSIDR_EL1_NumSets_CCIDX_*).
# The IDF_ prefix keeps them apart from Linux-style ID_AA64*_SHIFT names.

function err(msg) {
	printf "%s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"
	nerr++
}

# The text of the line outside /* */ comments (which may span lines).
function strip_comments(s,    out, i) {
	out = ""
	while (s != "") {
		if (in_comment) {
			i = index(s, "*/")
			if (!i)
				return out
			s = substr(s, i + 2)
			in_comment = 0
		} else {
			i = index(s, "/*")
			if (!i)
				return out s
			out = out substr(s, 1, i - 1)
			s = substr(s, i + 2)
			in_comment = 1
		}
	}
	return out
}

# Splits "MACRO(a, b, ...)" into args[1..n]; returns n, or -1 if malformed.
function macro_args(s, macro, args,    n) {
	if (substr(s, 1, length(macro) + 1) != macro "(" || substr(s, length(s)) != ")")
		return -1
	s = substr(s, length(macro) + 2)
	s = substr(s, 1, length(s) - 1)
	n = split(s, args, ",")
	return n
}

function range(msb, lsb) { return "[" msb ":" lsb "]" }

function hex64(lsb, width,    hi, lo, b, s, d, i) {
	# 16 hex digits, most significant first, without 64-bit arithmetic
	# (awk's numbers are doubles: exact only up to 2^53).
	s = ""
	for (d = 15; d >= 0; d--) {
		hi = 0
		for (i = 3; i >= 0; i--) {
			b = d * 4 + i
			hi = hi * 2 + (b >= lsb && b < lsb + width ? 1 : 0)
		}
		s = s substr("0123456789abcdef", hi + 1, 1)
	}
	return "0x" s
}

# One of the two layout sequences ("N": LAYOUT_ANY and LAYOUT_NOCCIDX
# fields, "C": LAYOUT_ANY and LAYOUT_CCIDX) gets the field; checked
# against the one before it in that sequence.  Returns 0 on an error.
function follow(seq, label, msb, lsb) {
	if (seq in prev_lsb) {
		if (lsb <= prev_msb[seq] && msb >= prev_lsb[seq]) {
			err(label " " range(msb, lsb) " overlaps " prev_label[seq] " " \
			    range(prev_msb[seq], prev_lsb[seq]))
			return 0
		}
		if (msb >= prev_lsb[seq]) {
			err(label " " range(msb, lsb) " is not below the previous field " \
			    prev_label[seq] " " range(prev_msb[seq], prev_lsb[seq]))
			return 0
		}
	}
	prev_msb[seq] = msb
	prev_lsb[seq] = lsb
	prev_label[seq] = label
	return 1
}

BEGIN {
	nerr = 0
	nfields = 0
	reg = ""
	layout_suffix["LAYOUT_ANY"] = ""
	layout_suffix["LAYOUT_NOCCIDX"] = "_NOCCIDX"
	layout_suffix["LAYOUT_CCIDX"] = "_CCIDX"
}

{
	line = strip_comments($0)
	gsub(/[ \t\r]/, "", line)
	if (line == "")
		next
	if (line ~ /^IDREG\(/) {
		if (macro_args(line, "IDREG", a) != 8 || a[1] !~ /^[A-Za-z_][A-Za-z0-9_]*$/) {
			err("malformed IDREG line (IDREG(NAME, OP0, OP1, CRN, CRM, OP2, SCOPE, PRESENCE))")
			next
		}
		reg = a[1]
		if (reg in reg_line)
			err("register " reg " listed twice (first at line " reg_line[reg] ")")
		reg_line[reg] = FNR
		delete prev_msb
		delete prev_lsb
		delete prev_label
		nregs++
		out[++nout] = ""
		out[++nout] = "/* " reg " */"
		next
	}
	if (line !~ /^FIELD\(/) {
		err("neither IDREG nor FIELD (the file holds only comments and these macros)")
		next
	}
	if (macro_args(line, "FIELD", a) != 6 || a[2] !~ /^[A-Za-z_][A-Za-z0-9_]*$/ ||
	    a[3] !~ /^[0-9]+$/ || a[4] !~ /^[0-9]+$/) {
		err("malformed FIELD line (FIELD(REG, NAME, LSB, WIDTH, KIND, LAYOUT), decimal LSB and WIDTH)")
		next
	}
	freg = a[1]; name = a[2]; lsb = a[3] + 0; width = a[4] + 0; layout = a[6]
	if (reg == "") {
		err("FIELD " freg "." name " before any IDREG line")
		next
	}
	if (freg != reg) {
		err("FIELD " freg "." name " follows IDREG " reg " (a register's fields follow its IDREG line)")
		next
	}
	if (!(layout in layout_suffix)) {
		err(reg "." name ": unknown layout " layout)
		next
	}
	label = reg "." name layout_suffix[layout]
	if (width < 1 || lsb + width > 64) {
		err(label " [lsb " lsb ", width " width "] is not within bits [63:0]")
		next
	}
	msb = lsb + width - 1
	# An error in one sequence is enough: the same pair would fail the other.
	if (layout != "LAYOUT_CCIDX" && !follow("N", label, msb, lsb))
		next
	if (layout != "LAYOUT_NOCCIDX" && !follow("C", label, msb, lsb))
		next
	macro = "IDF_" reg "_" name layout_suffix[layout]
	if (macro in macro_line) {
		err(label " listed twice (first at line " macro_line[macro] ")")
		next
	}
	macro_line[macro] = FNR
	out[++nout] = sprintf("#define %s_SHIFT %d", macro, lsb)
	out[++nout] = sprintf("#define %s_WIDTH %d", macro, width)
	out[++nout] = sprintf("#define %s_MASK UINT64_C(%s)", macro, hex64(lsb, width))
	each[++nfields] = sprintf("\tX(%s, %s, %s, %d, %d)", reg, name, layout, lsb, width)
}

END {
	if (in_comment)
		err("comment not closed at the end of the file")
	if (nerr)
		exit 1
	print "/*"
	print " * gen/idfields.h: generated from tables/idregs.def by tables/gen-idfields.awk"
	print " * (make rebuilds it when either changes).  Do not edit; see tables/README.md."
	print " */"
	print "#ifndef GUESTVIEW_GEN_IDFIELDS_H"
	print "#define GUESTVIEW_GEN_IDFIELDS_H"
	print "#include <stdint.h>"
	print ""
	print "/* A field's value: IDF_GET(ID_AA64MMFR2_EL1, IDS, v), IDF_GET(CCSIDR_EL1, LineSize_CCIDX, v). */"
	print "#define IDF_GET(reg, field, v) \\"
	print "\t(((uint64_t)(v) & IDF_##reg##_##field##_MASK) >> IDF_##reg##_##field##_SHIFT)"
	for (i = 1; i <= nout; i++)
		print out[i]
	print ""
	print "/* X(REG, FIELD, LAYOUT, SHIFT, WIDTH) for every field, in file order. */"
	print "#define IDF_FOR_EACH(X) \\"
	for (i = 1; i <= nfields; i++)
		print each[i] (i < nfields ? " \\" : "")
	print ""
	print "#endif"
}
