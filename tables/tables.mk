# tables/tables.mk: what is generated from the tables at build time,
# included by the top Makefile before host/host.mk (whose flags use it).
#
#   gen/idfields.h   IDF_<REG>_<FIELD>_{SHIFT,WIDTH,MASK} and IDF_GET() for
#                    every field of tables/idregs.def (tables/README.md); the
#                    generator refuses overlapping or misordered fields, so a
#                    bad table stops the build here
#   tables-clean     removes gen/
#
# gen/ is a build output (.gitignore); -Igen is in the guest's and the host
# tools' flags.  Objects that include the header list it as an order-only
# prerequisite for their first build; their .d files take over after that.

AWK ?= awk
GEN_DIR := gen
IDFIELDS_H := $(GEN_DIR)/idfields.h

# Written to a temporary first: a refused table leaves no header behind.
$(IDFIELDS_H): tables/idregs.def tables/gen-idfields.awk
	$(quiet) GEN $@
	$(Q)mkdir -p $(GEN_DIR)
	$(Q)$(AWK) -f tables/gen-idfields.awk tables/idregs.def >$@.tmp || { rm -f $@.tmp; exit 1; }
	$(Q)mv $@.tmp $@

.PHONY: tables-clean
tables-clean:
	rm -rf $(GEN_DIR)
