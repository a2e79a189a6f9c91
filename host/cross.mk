# host/cross.mk: the host tools built for aarch64, for the emulated arm64
# hosts of the kernel matrix (scripts/matrix/), included by the top Makefile
# after host/host.mk and host/gvmigrate.mk (whose source lists it reuses).
#
#   host/aarch64/gvfp        fingerprints (libc only)
#   host/aarch64/gvmigrate   the migration harness
#   host/aarch64/gvstream    register lists of migration streams
#   host/aarch64/gvkvm       what the host's KVM lets userspace see and pin
#   cross-tools              builds the four
#   cross-clean              removes what these rules build
#
# json-c comes from Debian's arm64 libjson-c-dev, fetched with
# scripts/apt-fetch.sh (a private apt configuration, nothing installed) into
# CROSS_JSONC, and is linked statically (libjson-c.a): the arm64 hosts need
# no shared library beyond glibc, which their QEMU brings anyway.  glibc is
# linked dynamically: the cross toolchain's (bookworm, 2.36) is the one the
# initramfs carries.
#
# Variables: CROSS_HOST_CC (default aarch64-linux-gnu-gcc on x86_64, the
# native HOST_CC on aarch64), CROSS_JSONC (default $(GUESTVIEW_DEPS or
# deps)/arm64-jsonc).

ifeq ($(HOST_ARCH),aarch64)
CROSS_HOST_CC ?= $(HOST_CC)
else
CROSS_HOST_CC ?= aarch64-linux-gnu-gcc
endif
CROSS_DEPS_DIR := $(if $(GUESTVIEW_DEPS),$(GUESTVIEW_DEPS),deps)
CROSS_JSONC ?= $(CROSS_DEPS_DIR)/arm64-jsonc
CROSS_JSONC_A := $(CROSS_JSONC)/usr/lib/aarch64-linux-gnu/libjson-c.a
CROSS_DIR := host/aarch64
CROSS_TOOLS := $(CROSS_DIR)/gvfp $(CROSS_DIR)/gvmigrate $(CROSS_DIR)/gvstream $(CROSS_DIR)/gvkvm

# The same flags as the native builds, but json-c's headers from the fetched
# package (the native JSONC_CFLAGS point at the build machine's).
CROSS_GVFP_CFLAGS := $(GVFP_CFLAGS)
CROSS_MIG_CFLAGS := $(filter-out $(JSONC_CFLAGS),$(MIG_CFLAGS)) -I$(CROSS_JSONC)/usr/include/json-c

# The objects mirror the native link lines: gvfp's are host.mk's GVFP_OBJS
# (host/*.c, and tables/*.c compiled as host/*.o: idregs, exception_classes,
# firmware, devkeys: the guest's own tables, found by the wildcard below);
# gvmigrate and gvstream link as in gvmigrate.mk.
CROSS_GVFP_OBJS := $(patsubst host/%,$(CROSS_DIR)/%,$(GVFP_OBJS))
CROSS_MIGSTREAM_OBJS := $(patsubst host/%.c,$(CROSS_DIR)/%.o,$(MIGSTREAM_SRCS))
CROSS_GVMIGRATE_OBJS := $(patsubst host/%.c,$(CROSS_DIR)/%.o,$(GVMIGRATE_SRCS))
CROSS_GVSTREAM_OBJS := $(patsubst host/%.c,$(CROSS_DIR)/%.o,$(GVSTREAM_SRCS))
CROSS_MIG_OBJS := $(CROSS_MIGSTREAM_OBJS) $(CROSS_GVMIGRATE_OBJS) $(CROSS_GVSTREAM_OBJS)
CROSS_TABLE_OBJS := $(patsubst tables/%.c,$(CROSS_DIR)/%.o,$(wildcard $(patsubst $(CROSS_DIR)/%.o,tables/%.c,$(CROSS_GVFP_OBJS))))

# Fetched once; apt-fetch.sh re-unpacks only when Debian's version changed.
$(CROSS_JSONC_A):
	$(quiet) FETCH "$@ (Debian's arm64 libjson-c-dev)"
	$(Q)GUESTVIEW_DEPS=$(CROSS_DEPS_DIR) scripts/apt-fetch.sh --arch arm64 --dest $(CROSS_JSONC) libjson-c-dev
	$(Q)test -f $@ || { echo "host/cross.mk: $@ missing after fetching libjson-c-dev:arm64" >&2; exit 1; }

$(CROSS_DIR)/.dir:
	$(Q)mkdir -p $(CROSS_DIR) && touch $@

$(filter-out $(CROSS_TABLE_OBJS),$(CROSS_GVFP_OBJS)): $(CROSS_DIR)/%.o: host/%.c config.mak $(CROSS_DIR)/.dir
	$(quiet) CROSSCC $@
	$(Q)$(CROSS_HOST_CC) $(CROSS_GVFP_CFLAGS) -MMD -MP -c -o $@ $<

# The register and exception tables, shared with the guest.
$(CROSS_TABLE_OBJS): $(CROSS_DIR)/%.o: tables/%.c $(TABLE_DEPS) config.mak $(CROSS_DIR)/.dir
	$(quiet) CROSSCC $@
	$(Q)$(CROSS_HOST_CC) $(CROSS_GVFP_CFLAGS) -MMD -MP -c -o $@ $<

# Order-only on the library: its headers must be there, its date does not matter.
$(CROSS_MIG_OBJS): $(CROSS_DIR)/%.o: host/%.c config.mak $(CROSS_DIR)/.dir | $(CROSS_JSONC_A)
	$(quiet) CROSSCC $@
	$(Q)$(CROSS_HOST_CC) $(CROSS_MIG_CFLAGS) -MMD -MP -c -o $@ $<

$(CROSS_DIR)/gvfp: $(CROSS_GVFP_OBJS)
	$(quiet) CROSSLD $@
	$(Q)$(CROSS_HOST_CC) $(CROSS_GVFP_CFLAGS) -o $@ $^

$(CROSS_DIR)/gvmigrate: $(CROSS_GVMIGRATE_OBJS) $(CROSS_MIGSTREAM_OBJS) $(CROSS_DIR)/idregs.o $(CROSS_DIR)/idfield.o $(CROSS_JSONC_A)
	$(quiet) CROSSLD $@
	$(Q)$(CROSS_HOST_CC) $(CROSS_MIG_CFLAGS) -o $@ $^

$(CROSS_DIR)/gvstream: $(CROSS_GVSTREAM_OBJS) $(CROSS_MIGSTREAM_OBJS) $(CROSS_DIR)/idregs.o $(CROSS_DIR)/idfield.o $(CROSS_JSONC_A)
	$(quiet) CROSSLD $@
	$(Q)$(CROSS_HOST_CC) $(CROSS_MIG_CFLAGS) -o $@ $^

# gvkvm (host/gvkvm.mk): libc only, the toolchain's kernel headers; its
# shared objects are gvfp's (json.o, idregs.o) and the streams' (regnames.o).
CROSS_GVKVM_OBJS := $(patsubst host/%.c,$(CROSS_DIR)/%.o,$(GVKVM_SRCS))
$(CROSS_GVKVM_OBJS): $(CROSS_DIR)/%.o: host/%.c config.mak $(CROSS_DIR)/.dir
	$(quiet) CROSSCC $@
	$(Q)$(CROSS_HOST_CC) $(GVKVM_CFLAGS) -MMD -MP -c -o $@ $<

$(CROSS_DIR)/gvkvm: $(CROSS_GVKVM_OBJS) $(CROSS_DIR)/regnames.o $(CROSS_DIR)/json.o $(CROSS_DIR)/idregs.o
	$(quiet) CROSSLD $@
	$(Q)$(CROSS_HOST_CC) $(GVKVM_CFLAGS) -o $@ $^

.PHONY: cross-tools cross-clean
cross-tools: $(CROSS_TOOLS)

cross-clean:
	rm -rf $(CROSS_DIR)

-include $(wildcard $(CROSS_DIR)/*.d)
