# host/host.mk: gvfp, the fingerprint tool, included by the top Makefile
# (after config.mak, which gives HOST_CC).
#
#   host/gvfp               the fingerprint tool
#   host/gvfp-asan          the same with AddressSanitizer and UBSan, which
#                           tests/host/*.sh prefer when it is built
#   host/fuzz-fingerprint   the libFuzzer harness (clang), for tests/host/fuzz.sh
#   gvfp-check              builds the three and runs tests/host
#   gvfp-clean              removes what these rules build
#
# tables/idregs.c is compiled for the host as host/idregs.o: the guest and
# gvfp use the same register table; likewise the firmware calls
# (tables/firmware.c) and the GIC/timer/PMU keys (tables/devkeys.c).  TABLES_INC (as for the guest) may add
# an include directory for idregs.def/idrules.def.  Only the files listed
# here are gvfp's: other host tools live in host/ too, with rules of their own.

HOST_CC ?= cc
FUZZ_CC ?= clang
Q ?=
quiet ?= @true
GVFP_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE -Itables -Igen $(TABLES_INC)
GVFP_SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

# No library beyond libc: gvfp is also built for and run on arm64 hosts.
GVFP_SRCS := host/gvfp.c host/fingerprint.c host/decode.c host/diff.c host/show.c host/json.c \
	host/idfield.c host/keys.c
# The tables compiled into gvfp as into the guest (host/<name>.o).
GVFP_TABLE_SRCS := tables/idregs.c tables/exception_classes.c tables/firmware.c tables/devkeys.c \
	tables/probes.c
GVFP_TABLE_OBJS := $(patsubst tables/%.c,host/%.o,$(GVFP_TABLE_SRCS))
GVFP_OBJS := $(GVFP_SRCS:.c=.o) $(GVFP_TABLE_OBJS)
GVFP_HDRS := host/fingerprint.h host/decode.h host/diff.h host/show.h host/json.h host/idfield.h \
	host/keys.h
# The harness takes everything but main().
FUZZ_SRCS := host/fuzz_fingerprint.c $(filter-out host/gvfp.c,$(GVFP_SRCS)) $(GVFP_TABLE_SRCS)
TABLE_DEPS := tables/idregs.h $(wildcard tables/idregs.def tables/idrules.def) $(IDFIELDS_H) \
	tables/exception_classes.def tables/firmware.h tables/firmware.def tables/devkeys.h \
	tables/devkeys.def tables/probes.h tables/probes.def tables/errata.def

$(GVFP_SRCS:.c=.o): host/%.o: host/%.c config.mak
	$(quiet) HOSTCC $@
	$(Q)$(HOST_CC) $(GVFP_CFLAGS) -MMD -MP -c -o $@ $<

$(GVFP_TABLE_OBJS): host/%.o: tables/%.c $(TABLE_DEPS) config.mak
	$(quiet) HOSTCC $@
	$(Q)$(HOST_CC) $(GVFP_CFLAGS) -MMD -MP -c -o $@ $<

host/gvfp: $(GVFP_OBJS)
	$(quiet) HOSTLD $@
	$(Q)$(HOST_CC) $(GVFP_CFLAGS) -o $@ $^

# One compiler run: the sanitized objects must not mix with the plain ones.
host/gvfp-asan: $(GVFP_SRCS) $(GVFP_TABLE_SRCS) $(GVFP_HDRS) $(TABLE_DEPS) config.mak
	$(quiet) HOSTCC $@
	$(Q)$(HOST_CC) $(GVFP_CFLAGS) $(GVFP_SANITIZE) -o $@ $(GVFP_SRCS) $(GVFP_TABLE_SRCS)

host/fuzz-fingerprint: $(FUZZ_SRCS) $(GVFP_HDRS) $(TABLE_DEPS) config.mak
	$(quiet) FUZZCC $@
	$(Q)$(FUZZ_CC) $(GVFP_CFLAGS) -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -o $@ $(FUZZ_SRCS)

.PHONY: gvfp gvfp-check gvfp-clean
gvfp: host/gvfp

gvfp-check: host/gvfp host/gvfp-asan host/fuzz-fingerprint
	tests/run.sh host

gvfp-clean:
	rm -f $(GVFP_OBJS) $(GVFP_OBJS:.o=.d) host/gvfp host/gvfp-asan host/fuzz-fingerprint

-include $(wildcard $(GVFP_OBJS:.o=.d))
