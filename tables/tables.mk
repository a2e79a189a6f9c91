# tables/tables.mk: what is generated from the tables at build time,
# included by the top Makefile before host/host.mk (whose flags use it).
#
#   gen/idfields.h   IDF_<REG>_<FIELD>_{SHIFT,WIDTH,MASK} and IDF_GET() for
#                    every field of tables/idregs.def (tables/README.md); the
#                    generator refuses overlapping or misordered fields, so a
#                    bad table stops the build here
#   tables/bulkproto.bash   the bulk channel's words (tables/bulkproto.h) for
#                    arm/run; the generator refuses a word bash cannot take
#                    as it is
#   tables/migproto.json   the migration protocol's words (tables/migproto.h:
#                    the console's, the link's, gvmigrate's LEG line) for
#                    Python, by tables/migproto-gen (the top Makefile builds
#                    it, and tables/migproto.bash with it)
#   tables-clean     removes gen/, tables/bulkproto.bash and tables/migproto.json
#
# gen/ is a build output (.gitignore); -Igen is in the guest's and gvfp's
# flags.  Objects that include the header list it as an order-only
# prerequisite for their first build; their .d files take over after that.
# tables/idregs.c does not include it: tools and tests that compile the
# table by hand need no generated file.

AWK ?= awk
HOST_CC ?= cc
GEN_DIR := gen
IDFIELDS_H := $(GEN_DIR)/idfields.h

# Made in a scratch directory and moved into place only when the generator
# accepted the table and tables/idfields_check.c, compiled against it, agrees
# with the compiler's reading of idregs.def: a refused table leaves no header.
$(IDFIELDS_H): tables/idregs.def tables/gen-idfields.awk tables/idfields_check.c tables/idregs.h
	$(quiet) GEN $@
	$(Q)rm -rf $(GEN_DIR)/.new && mkdir -p $(GEN_DIR)/.new
	$(Q)$(AWK) -f tables/gen-idfields.awk tables/idregs.def >$(GEN_DIR)/.new/idfields.h || \
		{ rm -rf $(GEN_DIR)/.new; exit 1; }
	$(Q)$(HOST_CC) -std=c11 -fsyntax-only -Itables -I$(GEN_DIR)/.new tables/idfields_check.c || \
		{ rm -rf $(GEN_DIR)/.new; exit 1; }
	$(Q)mv $(GEN_DIR)/.new/idfields.h $@ && rmdir $(GEN_DIR)/.new

BULKPROTO_BASH := tables/bulkproto.bash
all: $(BULKPROTO_BASH)
$(BULKPROTO_BASH): tables/bulkproto.h tables/gen-bulkproto.awk
	$(quiet) GEN $@
	$(Q)$(AWK) -f tables/gen-bulkproto.awk $< >$@.tmp && mv $@.tmp $@ || { rm -f $@.tmp; exit 1; }

MIGPROTO_JSON := tables/migproto.json
all: $(MIGPROTO_JSON)
$(MIGPROTO_JSON): tables/migproto-gen
	$(quiet) GEN $@
	$(Q)$< json >$@.tmp && mv $@.tmp $@ || { rm -f $@.tmp; exit 1; }

.PHONY: tables-clean
tables-clean:
	rm -rf $(GEN_DIR) $(BULKPROTO_BASH) $(MIGPROTO_JSON)
