# guestview: `make run` runs the suite, `make check` the project's own tests.
# Both set up what is missing first (scripts/setup-deps.sh, ./configure).

SHELL := /bin/bash
.DEFAULT_GOAL := all

# config.mak is remade (dependencies, then ./configure) only when missing;
# run ./configure yourself for other options.
-include config.mak
config.mak:
	libfdt=$$(scripts/setup-deps.sh) && ./configure --libfdt="$$libfdt"

PAYLOADS := selftest idregs probes migrate
FLATS := $(PAYLOADS:%=arm/%.flat)

# auxinfo.c is compiled once per payload (arm/%.aux.o), not into the library.
LIB_SRCS := $(filter-out lib/auxinfo.c,$(wildcard lib/*.c))
LIB_OBJS := $(LIB_SRCS:.c=.o) lib/tables-idregs.o lib/tables-probes.o \
	lib/tables-exception_classes.o lib/tables-firmware.o lib/tables-devkeys.o
START_OBJ := arm/cstart64.o

# Why each flag: -mstrict-align, the C start-up runs with the MMU off where
# unaligned accesses fault; -mgeneral-regs-only, exception handlers must not
# touch FP/SIMD registers that the vectors do not save; -mno-outline-atomics,
# no libgcc/libc helpers; -fno-tree-loop-distribute-patterns, memcpy must
# not be compiled into a call to itself.
GUEST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -ffreestanding -fpie \
	-mstrict-align -mgeneral-regs-only -mno-outline-atomics -fno-stack-protector \
	-fno-tree-loop-distribute-patterns -fno-asynchronous-unwind-tables \
	-fno-unwind-tables -fno-common -fno-omit-frame-pointer \
	-Ilib -Ilib/include -Itables -Igen $(TABLES_INC) -I$(LIBFDT_INC) -MMD -MP
GUEST_ASFLAGS := -D__ASSEMBLY__ -Ilib -MMD -MP
LIBGCC = $(shell $(CC) -print-libgcc-file-name)

# Quiet by default; make V=1 shows the commands.
ifeq ($(V),1)
Q :=
quiet = @true
else
Q := @
quiet = @printf '  %-7s %s\n'
endif

HOST_TOOLS := host/gvfp host/gvmigrate host/gvstream

# The outcomes (tables/outcomes.def) for bash and Python: C includes the
# .def itself.  Generated, not committed (.gitignore): make is needed
# before anything runs anyway (payloads, host tools), and a generated
# file cannot drift from its table.
OUTCOME_FILES := tables/outcomes.bash tables/outcomes.json

# The console protocol's words (tables/migproto.h) for bash (arm/run), the
# same way.
OUTCOME_FILES += tables/migproto.bash

all: $(FLATS) $(HOST_TOOLS) $(OUTCOME_FILES)

tables/outcomes-gen: tables/outcomes-gen.c tables/outcomes.def config.mak
	$(quiet) HOSTCC $@
	$(Q)$(HOST_CC) -std=c11 -O2 -Wall -Wextra -Werror -Itables -o $@ $<

tables/outcomes.bash tables/outcomes.json: tables/outcomes.%: tables/outcomes-gen
	$(quiet) GEN $@
	$(Q)$< $* >$@.tmp && mv $@.tmp $@

tables/migproto-gen: tables/migproto-gen.c tables/migproto.h config.mak
	$(quiet) HOSTCC $@
	$(Q)$(HOST_CC) -std=c11 -O2 -Wall -Wextra -Werror -Itables -o $@ $<

tables/migproto.bash: tables/migproto-gen
	$(quiet) GEN $@
	$(Q)$< >$@.tmp && mv $@.tmp $@

lib/%.o: lib/%.c config.mak
	$(quiet) CC $@
	$(Q)$(CC) $(GUEST_CFLAGS) -c -o $@ $<

# The register description is compiled into the guest as it is into host/.
lib/tables-%.o: tables/%.c config.mak
	$(quiet) CC $@
	$(Q)$(CC) $(GUEST_CFLAGS) -c -o $@ $<

arm/%.o: arm/%.c config.mak
	$(quiet) CC $@
	$(Q)$(CC) $(GUEST_CFLAGS) -c -o $@ $<

arm/%.o: arm/%.S config.mak
	$(quiet) AS $@
	$(Q)$(CC) $(GUEST_ASFLAGS) -c -o $@ $<

# argv[0] of each payload is its own name.
arm/%.aux.o: lib/auxinfo.c config.mak
	$(quiet) CC $@
	$(Q)$(CC) $(GUEST_CFLAGS) -DPAYLOAD_NAME='"$*"' -c -o $@ $<

lib/libcflat.a: $(LIB_OBJS)
	$(quiet) AR $@
	$(Q)rm -f $@
	$(Q)$(CROSS_PREFIX)ar rcs $@ $^

arm/%.elf: arm/%.o arm/%.aux.o $(START_OBJ) lib/libcflat.a arm/flat.lds
	$(quiet) LD $@
	$(Q)$(LD) -nostdlib -pie --no-dynamic-linker -z noexecstack --no-warn-rwx-segments -T arm/flat.lds -o $@ \
		$(START_OBJ) arm/$*.o arm/$*.aux.o lib/libcflat.a $(LIBFDT_LIB) $(LIBGCC)

arm/%.flat: arm/%.elf
	$(quiet) OBJCOPY $@
	$(Q)$(OBJCOPY) -O binary $< $@

.PRECIOUS: arm/%.elf arm/%.o arm/%.aux.o

.PHONY: all deps run check quick-check bench clean distclean
deps:
	@scripts/setup-deps.sh >/dev/null

run: deps all
	./run_tests.sh $(RUN_ARGS)

# The sanitizer build of gvfp is what tests/host prefers.
check: deps all host/gvfp-asan cross-tools
	tests/run.sh $(CHECK_AREAS)

# The same tests less the slow ones (tests/run.sh --quick): no kernel
# matrix, no fuzzing, no real fetch.  For the edit-build-test loop.
quick-check: deps all host/gvfp-asan
	tests/run.sh --quick $(CHECK_AREAS)

bench: deps all
	scripts/bench-runner.sh

clean: gvfp-clean gvmigrate-clean cross-clean tables-clean
	rm -f arm/*.o arm/*.d arm/*.elf arm/*.flat lib/*.o lib/*.d lib/*.a
	rm -f tables/outcomes-gen tables/migproto-gen $(OUTCOME_FILES)
	rm -rf logs

distclean: clean
	rm -rf config.mak deps

include tables/tables.mk
include host/host.mk
include host/gvmigrate.mk
include host/cross.mk

# The kernel matrix (scripts/matrix/README.md): real KVM on emulated arm64 hosts.
KERNELS ?= 6.1 6.12 7.3
.PHONY: matrix
matrix: deps all cross-tools
	scripts/matrix/run-matrix.sh $(MATRIX_ARGS) $(KERNELS)

# The same matrix in phases (scripts/matrix/lib/phases.bash), one job of
# .gitlab-ci.yml each: PHASE=kernel:N, pair:N:M or merge (matrix-plan lists
# them); they share ARTIFACTS, the merge writes logs/matrix.
ARTIFACTS ?= logs/matrix-phases
.PHONY: matrix-plan matrix-phase gitlab-ci
matrix-plan:
	@scripts/matrix/run-matrix.sh --plan $(MATRIX_ARGS) $(KERNELS)
matrix-phase: deps all cross-tools
	scripts/matrix/run-matrix.sh $(MATRIX_ARGS) --phase $(PHASE) --artifacts $(ARTIFACTS) $(KERNELS)
gitlab-ci:
	scripts/matrix/gitlab-ci.py -o .gitlab-ci.yml --args "$(MATRIX_ARGS)" $(KERNELS)

# The generated field constants exist before the first compile (tables/tables.mk).
$(LIB_OBJS) $(PAYLOADS:%=arm/%.o) $(PAYLOADS:%=arm/%.aux.o): | $(IDFIELDS_H)

-include $(wildcard arm/*.d lib/*.d)
