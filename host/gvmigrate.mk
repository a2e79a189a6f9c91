# host/gvmigrate.mk: the migration harness and the migration-stream tool,
# included by the top Makefile after host/host.mk (which builds
# host/idregs.o, the register table both share with gvfp).
#
#   host/gvmigrate   migrates a running payload between two QEMUs (arm/run
#                    calls it when MIGRATION, SAVE_STATE or RESTORE_STATE is set)
#   host/gvstream    lists and compares the CPU registers of migration streams
#
# json-c (Debian's libjson-c-dev) is the only library: QMP is JSON.

JSONC_CFLAGS := $(shell pkg-config --cflags json-c 2>/dev/null || echo -I/usr/include/json-c)
JSONC_LIBS := $(shell pkg-config --libs json-c 2>/dev/null || echo -ljson-c)
MIG_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE -Itables -Ihost \
	$(TABLES_INC) $(JSONC_CFLAGS)

# The stream reader, the register-list comparison and the register names
# serve both tools; so do gvfp's register table and field formatting
# (host/idregs.o, host/idfield.o, built by host/host.mk).
MIGSTREAM_SRCS := host/migstream.c host/cpregdiff.c host/regnames.c
GVMIGRATE_SRCS := host/gvmigrate.c host/run.c host/migrate_ops.c host/diagnose.c \
	host/evloop.c host/vm.c host/fpblock.c host/qmp.c host/linebuf.c host/proc.c host/netns.c host/util.c \
	host/statefile.c host/rundir.c host/migtls.c host/tcppair.c \
	host/roles.c host/rolesend.c host/rolerecv.c host/rolelink.c host/sha256.c
GVSTREAM_SRCS := host/gvstream.c
MIG_OBJS := $(patsubst %.c,%.o,$(MIGSTREAM_SRCS) $(GVMIGRATE_SRCS) $(GVSTREAM_SRCS))
SYSREG_NAMES_DEPS := $(wildcard tables/sysreg_names.def)

$(MIG_OBJS): host/%.o: host/%.c config.mak
	$(quiet) HOSTCC $@
	$(Q)$(HOST_CC) $(MIG_CFLAGS) -MMD -MP -c -o $@ $<

host/gvmigrate: $(GVMIGRATE_SRCS:.c=.o) $(MIGSTREAM_SRCS:.c=.o) host/idregs.o host/idfield.o
	$(quiet) HOSTLD $@
	$(Q)$(HOST_CC) $(MIG_CFLAGS) -o $@ $^ $(JSONC_LIBS)

host/gvstream: $(GVSTREAM_SRCS:.c=.o) $(MIGSTREAM_SRCS:.c=.o) host/idregs.o host/idfield.o
	$(quiet) HOSTLD $@
	$(Q)$(HOST_CC) $(MIG_CFLAGS) -o $@ $^ $(JSONC_LIBS)

.PHONY: gvmigrate-clean
gvmigrate-clean:
	rm -f $(MIG_OBJS) $(MIG_OBJS:.o=.d) host/gvmigrate host/gvstream

-include $(wildcard $(MIG_OBJS:.o=.d))
host/regnames.o: $(SYSREG_NAMES_DEPS)

# gvkvm shares this file's register names (host/regnames.o).
include host/gvkvm.mk
