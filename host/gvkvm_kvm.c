/*
 * gvkvm_kvm.c: the real KVM (ioctls on /dev/kvm, a VM and one vCPU) and
 * the fake one for tests (gvkvm_kvm.h).
 *
 * Built against the cross toolchain's kernel headers, which can be older
 * than the kernels asked: what they lack is defined here with the values
 * of Linux's uapi (include/uapi/linux/kvm.h, arch/arm64/include/uapi/asm/kvm.h).
 */
#include "regnames.h"
#include "gvkvm_kvm.h"

#include "gvkvm_json.h"
#include "gvkvm_try.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#if defined(__aarch64__)
#include <linux/kvm.h>

/* Linux 6.8: the writable masks of the feature ID range. */
#ifndef KVM_ARM_GET_REG_WRITABLE_MASKS
struct reg_mask_range {
	__u64 addr;		/* the masks' array */
	__u32 range;		/* KVM_ARM_FEATURE_ID_RANGE */
	__u32 reserved[13];
};
#define KVM_ARM_GET_REG_WRITABLE_MASKS _IOR(KVMIO, 0xb6, struct reg_mask_range)
#endif
#ifndef KVM_ARM_FEATURE_ID_RANGE
#define KVM_ARM_FEATURE_ID_RANGE 0
#endif
#define HAVE_REAL_KVM 1
#endif

/* Capability numbers the oldest headers (6.1) lack. */
#ifndef KVM_CAP_COUNTER_OFFSET
#define KVM_CAP_COUNTER_OFFSET 227
#endif
#ifndef KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES
#define KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES GVKVM_CAP_REG_MASK_RANGES
#endif
#ifndef KVM_CAP_ARM_WRITABLE_IMP_ID_REGS
#define KVM_CAP_ARM_WRITABLE_IMP_ID_REGS GVKVM_CAP_WRITABLE_IMP_ID_REGS
#endif

/* Written out: the fake kernel and an x86 build have no linux/kvm.h of arm64. */
const struct kvm_cap_name gvkvm_caps[] = {
	{ "KVM_CAP_ONE_REG", 70 },
	{ "KVM_CAP_ARM_EL1_32BIT", 93 },
	{ "KVM_CAP_ARM_PSCI_0_2", 102 },
	{ "KVM_CAP_ARM_PMU_V3", 126 },
	{ "KVM_CAP_ARM_INJECT_SERROR_ESR", 158 },
	{ "KVM_CAP_ARM_VM_IPA_SIZE", 165 },
	{ "KVM_CAP_ARM_SVE", 170 },
	{ "KVM_CAP_ARM_PTRAUTH_ADDRESS", 171 },
	{ "KVM_CAP_ARM_PTRAUTH_GENERIC", 172 },
	{ "KVM_CAP_ARM_NISV_TO_USER", 177 },
	{ "KVM_CAP_ARM_INJECT_EXT_DABT", 178 },
	{ "KVM_CAP_ARM_MTE", 205 },
	{ "KVM_CAP_COUNTER_OFFSET", 227 },
	{ "KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES", GVKVM_CAP_REG_MASK_RANGES },
	{ "KVM_CAP_ARM_WRITABLE_IMP_ID_REGS", GVKVM_CAP_WRITABLE_IMP_ID_REGS },
};
const size_t nr_gvkvm_caps = sizeof(gvkvm_caps) / sizeof(gvkvm_caps[0]);

#ifdef HAVE_REAL_KVM
/* The headers' numbers must be the ones written above. */
_Static_assert(KVM_CAP_ARM_PMU_V3 == 126 && KVM_CAP_ARM_SVE == 170 && KVM_CAP_ARM_MTE == 205 &&
		       KVM_CAP_ARM_PTRAUTH_GENERIC == 172 && KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES == 230 &&
		       KVM_CAP_ARM_WRITABLE_IMP_ID_REGS == 239 && KVM_CAP_COUNTER_OFFSET == 227,
	       "gvkvm_caps[] disagrees with linux/kvm.h");

struct real {
	int sys, vm, vcpu;
};

static int fail(struct kvm_backend *kb, const char *ioctl_name)
{
	int e = errno;

	kb->failed = ioctl_name;
	return -e;
}

static int r_api_version(struct kvm_backend *kb)
{
	struct real *r = kb->priv;
	int v = ioctl(r->sys, KVM_GET_API_VERSION, 0);

	return v < 0 ? fail(kb, "KVM_GET_API_VERSION") : v;
}

static int r_check_extension(struct kvm_backend *kb, long cap)
{
	struct real *r = kb->priv;
	/* On the VM where there is one: some answers are per VM. */
	int v = ioctl(r->vm >= 0 ? r->vm : r->sys, KVM_CHECK_EXTENSION, cap);

	return v < 0 ? fail(kb, "KVM_CHECK_EXTENSION") : v;
}

static void r_drop_vm(struct real *r)
{
	if (r->vcpu >= 0)
		close(r->vcpu);
	if (r->vm >= 0)
		close(r->vm);
	r->vcpu = r->vm = -1;
}

static int r_create_vm(struct kvm_backend *kb)
{
	struct real *r = kb->priv;

	r_drop_vm(r);
	r->vm = ioctl(r->sys, KVM_CREATE_VM, 0);
	return r->vm < 0 ? fail(kb, "KVM_CREATE_VM") : 0;
}

static int r_preferred_target(struct kvm_backend *kb, uint32_t *target)
{
	struct real *r = kb->priv;
	struct kvm_vcpu_init init;
	int e;

	if (r->vm < 0 && (e = r_create_vm(kb)))
		return e;
	memset(&init, 0, sizeof(init));
	if (ioctl(r->vm, KVM_ARM_PREFERRED_TARGET, &init) < 0)
		return fail(kb, "KVM_ARM_PREFERRED_TARGET");
	*target = init.target;
	return 0;
}

static int r_scratch(struct kvm_backend *kb, struct kvm_vcpu_setup *s)
{
	struct real *r = kb->priv;
	struct kvm_vcpu_init init;
	struct kvm_create_device gic = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
	int e, feature;

	if ((e = r_create_vm(kb)))
		return e;
	if (s->imp_id_regs) {
		struct kvm_enable_cap cap = { .cap = KVM_CAP_ARM_WRITABLE_IMP_ID_REGS };

		/*
		 * Before any vCPU exists, or KVM refuses it.  A refusal is no
		 * reason not to answer the rest: the JSON says it is off.
		 */
		if (ioctl(r->vm, KVM_ENABLE_CAP, &cap) < 0)
			s->imp_id_regs = false;
	}
	memset(&init, 0, sizeof(init));
	if (ioctl(r->vm, KVM_ARM_PREFERRED_TARGET, &init) < 0)
		return fail(kb, "KVM_ARM_PREFERRED_TARGET");
	s->target = init.target;
	r->vcpu = ioctl(r->vm, KVM_CREATE_VCPU, 0);
	if (r->vcpu < 0)
		return fail(kb, "KVM_CREATE_VCPU");
	if (s->psci_0_2)
		init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
	if (s->pmu_v3)
		init.features[0] |= 1u << KVM_ARM_VCPU_PMU_V3;
	if (s->sve)
		init.features[0] |= 1u << KVM_ARM_VCPU_SVE;
	if (s->ptrauth)
		init.features[0] |= 1u << KVM_ARM_VCPU_PTRAUTH_ADDRESS | 1u << KVM_ARM_VCPU_PTRAUTH_GENERIC;
	if (ioctl(r->vcpu, KVM_ARM_VCPU_INIT, &init) < 0)
		return fail(kb, "KVM_ARM_VCPU_INIT");
	/* SVE's registers exist (and KVM_GET_REG_LIST answers) only once finalized. */
	feature = KVM_ARM_VCPU_SVE;
	if (s->sve && ioctl(r->vcpu, KVM_ARM_VCPU_FINALIZE, &feature) < 0)
		return fail(kb, "KVM_ARM_VCPU_FINALIZE(KVM_ARM_VCPU_SVE)");
	/*
	 * A GICv3 as QEMU makes one (after the vCPUs): some kernels derive ID
	 * fields (ID_AA64PFR0_EL1.GIC) from the VM's interrupt controller.
	 * Not fatal: the registers are there without it.
	 */
	if (ioctl(r->vm, KVM_CREATE_DEVICE, &gic) == 0)
		close(gic.fd);
	return 0;
}

static int r_reg_list(struct kvm_backend *kb, uint64_t **ids, size_t *n)
{
	struct real *r = kb->priv;
	struct kvm_reg_list probe = { .n = 0 }, *list;

	/* The first call fails with E2BIG and says how many. */
	if (ioctl(r->vcpu, KVM_GET_REG_LIST, &probe) < 0 && errno != E2BIG)
		return fail(kb, "KVM_GET_REG_LIST");
	list = calloc(1, sizeof(*list) + probe.n * sizeof(__u64));
	if (!list)
		return -ENOMEM;
	list->n = probe.n;
	if (ioctl(r->vcpu, KVM_GET_REG_LIST, list) < 0) {
		int e = fail(kb, "KVM_GET_REG_LIST");

		free(list);
		return e;
	}
	*ids = malloc(list->n * sizeof(uint64_t));
	if (!*ids) {
		free(list);
		return -ENOMEM;
	}
	for (size_t i = 0; i < list->n; i++)
		(*ids)[i] = list->reg[i];
	*n = list->n;
	free(list);
	return 0;
}

/* 32- and 64-bit registers only (the ID and firmware ones are). */
static int reg_size_ok(uint64_t id)
{
	uint64_t size = id & KVM_REG_SIZE_MASK;

	return size == KVM_REG_SIZE_U32 || size == KVM_REG_SIZE_U64;
}

static int r_get(struct kvm_backend *kb, uint64_t id, uint64_t *value)
{
	struct real *r = kb->priv;
	uint64_t v64 = 0;
	uint32_t v32 = 0;
	struct kvm_one_reg reg = { .id = id };

	if (!reg_size_ok(id)) {
		kb->failed = "KVM_GET_ONE_REG (register size)";
		return -EINVAL;
	}
	reg.addr = (id & KVM_REG_SIZE_MASK) == KVM_REG_SIZE_U32 ? (uintptr_t)&v32 : (uintptr_t)&v64;
	if (ioctl(r->vcpu, KVM_GET_ONE_REG, &reg) < 0)
		return fail(kb, "KVM_GET_ONE_REG");
	*value = (id & KVM_REG_SIZE_MASK) == KVM_REG_SIZE_U32 ? v32 : v64;
	return 0;
}

static int r_set(struct kvm_backend *kb, uint64_t id, uint64_t value)
{
	struct real *r = kb->priv;
	uint64_t v64 = value;
	uint32_t v32 = (uint32_t)value;
	struct kvm_one_reg reg = { .id = id };

	if (!reg_size_ok(id)) {
		kb->failed = "KVM_SET_ONE_REG (register size)";
		return -EINVAL;
	}
	reg.addr = (id & KVM_REG_SIZE_MASK) == KVM_REG_SIZE_U32 ? (uintptr_t)&v32 : (uintptr_t)&v64;
	if (ioctl(r->vcpu, KVM_SET_ONE_REG, &reg) < 0)
		return fail(kb, "KVM_SET_ONE_REG");
	return 0;
}

static int r_writable_masks(struct kvm_backend *kb, uint64_t masks[IDSPACE_SLOTS])
{
	struct real *r = kb->priv;
	struct reg_mask_range range;

	memset(&range, 0, sizeof(range));
	range.addr = (uintptr_t)masks;
	range.range = KVM_ARM_FEATURE_ID_RANGE;
	if (ioctl(r->vm, KVM_ARM_GET_REG_WRITABLE_MASKS, &range) < 0)
		return fail(kb, "KVM_ARM_GET_REG_WRITABLE_MASKS");
	return 0;
}

static void r_close(struct kvm_backend *kb)
{
	struct real *r = kb->priv;

	r_drop_vm(r);
	close(r->sys);
	free(r);
}

int kvm_open_real(struct kvm_backend *kb)
{
	struct real *r = calloc(1, sizeof(*r));

	if (!r)
		return -ENOMEM;
	r->vm = r->vcpu = -1;
	r->sys = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (r->sys < 0) {
		int e = errno;

		free(r);
		kb->failed = "open /dev/kvm";
		return -e;
	}
	*kb = (struct kvm_backend){ NULL, r, r_api_version, r_check_extension, r_preferred_target,
				    r_scratch, r_reg_list, r_get, r_set, r_writable_masks, r_close };
	return 0;
}
#else
int kvm_open_real(struct kvm_backend *kb)
{
	kb->failed = "open /dev/kvm (gvkvm built for another architecture than arm64)";
	return -ENODEV;
}
#endif

/* ---- the fake kernel ------------------------------------------------------ */

struct fake {
	struct jv *doc;
	struct try_entry *vals;		/* the kernel's values, in its list's order */
	uint64_t *cur;			/* what the scratch vCPU holds now */
	long n;
	struct try_entry *refuse;	/* per register: bits whose change is refused */
	long nrefuse;
	int refuse_errno;
	uint64_t masks[IDSPACE_SLOTS];
	bool have_masks;
};

static int f_num(const struct jv *v, int dflt)
{
	return v && v->type == JV_NUMBER ? atoi(v->str) : dflt;
}

static int f_api_version(struct kvm_backend *kb)
{
	struct fake *f = kb->priv;

	return f_num(jv_get(f->doc, "api_version"), 12);
}

static int f_check_extension(struct kvm_backend *kb, long cap)
{
	struct fake *f = kb->priv;
	const struct jv *caps = jv_get(f->doc, "capabilities");

	for (size_t i = 0; i < nr_gvkvm_caps; i++)
		if (gvkvm_caps[i].cap == cap)
			return f_num(jv_get(caps, gvkvm_caps[i].name), 0);
	return 0;
}

static int f_preferred_target(struct kvm_backend *kb, uint32_t *target)
{
	struct fake *f = kb->priv;

	*target = (uint32_t)f_num(jv_get(f->doc, "preferred_target"), 5);
	return 0;
}

static int f_scratch(struct kvm_backend *kb, struct kvm_vcpu_setup *s)
{
	struct fake *f = kb->priv;

	for (long i = 0; i < f->n; i++)
		f->cur[i] = f->vals[i].value;
	return f_preferred_target(kb, &s->target);
}

static int f_reg_list(struct kvm_backend *kb, uint64_t **ids, size_t *n)
{
	struct fake *f = kb->priv;

	*ids = calloc(f->n ? f->n : 1, sizeof(uint64_t));
	if (!*ids)
		return -ENOMEM;
	for (long i = 0; i < f->n; i++)
		(*ids)[i] = f->vals[i].id;
	*n = f->n;
	return 0;
}

static long f_find(struct fake *f, uint64_t id)
{
	for (long i = 0; i < f->n; i++)
		if (f->vals[i].id == id)
			return i;
	return -1;
}

static int f_get(struct kvm_backend *kb, uint64_t id, uint64_t *value)
{
	struct fake *f = kb->priv;
	long i = f_find(f, id);

	if (i < 0) {
		kb->failed = "KVM_GET_ONE_REG";
		return -ENOENT;
	}
	*value = f->cur[i];
	return 0;
}

/* Refused: a change (against the kernel's own value) in a "refuse" bit. */
static int f_set(struct kvm_backend *kb, uint64_t id, uint64_t value)
{
	struct fake *f = kb->priv;
	long i = f_find(f, id);

	kb->failed = "KVM_SET_ONE_REG";
	if (i < 0)
		return -ENOENT;
	for (long j = 0; j < f->nrefuse; j++)
		if (f->refuse[j].id == id && ((value ^ f->vals[i].value) & f->refuse[j].value))
			return -f->refuse_errno;
	f->cur[i] = value;
	return 0;
}

static int f_writable_masks(struct kvm_backend *kb, uint64_t masks[IDSPACE_SLOTS])
{
	struct fake *f = kb->priv;

	if (!f->have_masks) {
		kb->failed = "KVM_ARM_GET_REG_WRITABLE_MASKS";
		return -EINVAL;
	}
	memcpy(masks, f->masks, sizeof(f->masks));
	return 0;
}

static void f_close(struct kvm_backend *kb)
{
	struct fake *f = kb->priv;

	jv_free(f->doc);
	free(f->vals);
	free(f->cur);
	free(f->refuse);
	free(f);
}

int kvm_open_fake(struct kvm_backend *kb, const char *path)
{
	struct fake *f = calloc(1, sizeof(*f));
	const struct jv *v;
	struct try_entry *m = NULL;
	long nm;

	if (!f)
		return -1;
	f->doc = gvkvm_load_json(path, stderr);
	if (!f->doc || f->doc->type != JV_OBJECT || !jv_get(f->doc, "values")) {
		if (f->doc)
			fprintf(stderr, "%s: a fake kernel is an object with \"values\"\n", path);
		goto bad;
	}
	f->n = try_entries(path, jv_get(f->doc, "values"), &f->vals, stderr);
	if (f->n < 0)
		goto bad;
	f->cur = calloc(f->n ? f->n : 1, sizeof(uint64_t));
	if (jv_get(f->doc, "refuse")) {
		f->nrefuse = try_entries(path, jv_get(f->doc, "refuse"), &f->refuse, stderr);
		if (f->nrefuse < 0)
			goto bad;
	}
	f->refuse_errno = f_num(jv_get(f->doc, "refuse_errno"), EPERM);
	v = jv_get(f->doc, "writable_masks");
	if (v) {
		nm = try_entries(path, v, &m, stderr);
		if (nm < 0)
			goto bad;
		for (long i = 0; i < nm; i++) {
			unsigned int slot;

			if (!regname_idspace_slot(m[i].id, &slot)) {
				fprintf(stderr, "%s:%d: %s is not in the feature ID range\n", path, m[i].line, m[i].name);
				free(m);
				goto bad;
			}
			f->masks[slot] = m[i].value;
		}
		free(m);
		f->have_masks = true;
	}
	*kb = (struct kvm_backend){ NULL, f, f_api_version, f_check_extension, f_preferred_target,
				    f_scratch, f_reg_list, f_get, f_set, f_writable_masks, f_close };
	return 0;
bad:
	jv_free(f->doc);
	free(f->vals);
	free(f->cur);
	free(f->refuse);
	free(f);
	return -1;
}
