# host/gvkvm.mk: gvkvm, what a host's KVM/arm64 lets userspace see and pin
# (KVM_GET_REG_LIST, KVM_GET/SET_ONE_REG, the writable masks), included by
# host/gvmigrate.mk.  libc only: it runs in the matrix's emulated arm64
# hosts (host/cross.mk builds host/aarch64/gvkvm).  Built natively too, for
# the project's tests, which ask a fake kernel (--fake-kvm); the real ioctls
# are compiled only for aarch64.
#
# It shares the register names (host/regnames.o), the ID register table
# (host/idregs.o) and the JSON writer (host/json.o) with the other tools.

GVKVM_SRCS := host/gvkvm.c host/gvkvm_kvm.c host/gvkvm_try.c host/gvkvm_json.c
GVKVM_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE -Itables -Ihost $(TABLES_INC)
GVKVM_LINK := host/regnames.o host/json.o host/idregs.o

$(GVKVM_SRCS:.c=.o): host/%.o: host/%.c config.mak
	$(quiet) HOSTCC $@
	$(Q)$(HOST_CC) $(GVKVM_CFLAGS) -MMD -MP -c -o $@ $<

host/gvkvm: $(GVKVM_SRCS:.c=.o) $(GVKVM_LINK)
	$(quiet) HOSTLD $@
	$(Q)$(HOST_CC) $(GVKVM_CFLAGS) -o $@ $^

all: host/gvkvm
clean: gvkvm-clean

.PHONY: gvkvm-clean
gvkvm-clean:
	rm -f $(GVKVM_SRCS:.c=.o) $(GVKVM_SRCS:.c=.d) host/gvkvm

-include $(wildcard $(GVKVM_SRCS:.c=.d))
