/*
 * gvkvm_kvm.h: the KVM that gvkvm asks: /dev/kvm through plain ioctls (as
 * KVM's own selftests do), or, for the project's tests, a fake kernel read
 * from a JSON file (--fake-kvm FILE), which answers the same questions
 * from its "values", refuses what its "refuse" masks say, and never
 * touches a device.
 *
 * Every call returns 0 (or a value >= 0) on success and -errno on failure,
 * with kb->failed naming the ioctl that failed ("KVM_SET_ONE_REG").
 */
#ifndef GUESTVIEW_HOST_GVKVM_KVM_H
#define GUESTVIEW_HOST_GVKVM_KVM_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "idregs.h"

/* The vCPU features a scratch vCPU asks for (KVM_ARM_VCPU_INIT). */
struct kvm_vcpu_setup {
	uint32_t target;
	bool psci_0_2, pmu_v3, sve, ptrauth;
	bool imp_id_regs;	/* KVM_CAP_ARM_WRITABLE_IMP_ID_REGS enabled on the VM */
};

struct kvm_backend {
	const char *failed;	/* the ioctl behind the last error */
	void *priv;
	int (*api_version)(struct kvm_backend *kb);
	/* KVM_CHECK_EXTENSION on the VM (a scratch one), its value. */
	int (*check_extension)(struct kvm_backend *kb, long cap);
	int (*preferred_target)(struct kvm_backend *kb, uint32_t *target);
	/* A fresh scratch VM and vCPU 0, initialised, never run. */
	int (*scratch)(struct kvm_backend *kb, struct kvm_vcpu_setup *setup);
	int (*reg_list)(struct kvm_backend *kb, uint64_t **ids, size_t *n);
	int (*get)(struct kvm_backend *kb, uint64_t id, uint64_t *value);
	int (*set)(struct kvm_backend *kb, uint64_t id, uint64_t value);
	/* KVM_ARM_GET_REG_WRITABLE_MASKS for the feature ID range. */
	int (*writable_masks)(struct kvm_backend *kb, uint64_t masks[IDSPACE_SLOTS]);
	void (*close)(struct kvm_backend *kb);
};

/* /dev/kvm; -errno when it cannot be opened (kb->failed "open /dev/kvm"). */
int kvm_open_real(struct kvm_backend *kb);
/* The fake kernel of FILE; -1 after naming the error on stderr. */
int kvm_open_fake(struct kvm_backend *kb, const char *path);

/* The capabilities gvkvm reports: name and KVM_CHECK_EXTENSION number. */
struct kvm_cap_name {
	const char *name;
	long cap;
};
extern const struct kvm_cap_name gvkvm_caps[];
extern const size_t nr_gvkvm_caps;
#define GVKVM_CAP_REG_MASK_RANGES 230	/* KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES */
#define GVKVM_CAP_WRITABLE_IMP_ID_REGS 239

#endif
