/*
 * gvkvm: asks a host's KVM/arm64 what userspace can see and pin, with the
 * ioctls a VMM uses, on a scratch VM whose vCPU never runs.
 *
 *   gvkvm info             capabilities, the vCPU target, the register list,
 *                          the values of every ID and firmware register, the
 *                          writable masks of the feature ID range
 *   gvkvm try FILE         sets FILE's register values on a fresh vCPU before
 *                          its first KVM_RUN (FILE: {"REG": "0x..."} or
 *                          another kernel's `gvkvm info`), and for an ID
 *                          register refused, which of its fields are
 *
 * One JSON object on stdout.  Exit status: 0 answered (try: every write
 * accepted); 1 try: a write was refused; 2 usage or a bad FILE (errors
 * "FILE:LINE: what" on stderr); 3 KVM could not be asked (the JSON's
 * "error" names the ioctl and errno).
 * --fake-kvm FILE answers from FILE instead of /dev/kvm (the project's tests).
 */
#include "gvkvm_kvm.h"
#include "gvkvm_try.h"
#include "idregs.h"
#include "json.h"
#include "regnames.h"

#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#define EXIT_REFUSED 1
#define EXIT_USAGE 2
#define EXIT_KVM 3

static const char *prog = "gvkvm";

static void usage(FILE *out)
{
	fprintf(out, "usage: %s [--fake-kvm FILE] info\n"
		     "       %s [--fake-kvm FILE] try FILE\n"
		     "FILE: {\"REGISTER\": \"0x...\"} or a gvkvm info document (its \"values\")\n",
		prog, prog);
}

static void hex(struct json *j, const char *name, uint64_t v)
{
	char s[24];

	snprintf(s, sizeof(s), "0x%016" PRIx64, v);
	json_string(j, name, s);
}

static void header(struct json *j, const char *command, const char *kernel)
{
	json_init(j, stdout);
	json_begin_object(j, NULL);
	json_string(j, "tool", "gvkvm");
	json_string(j, "command", command);
	json_string(j, "kernel", kernel);
}

/* The error of a call that failed: in the JSON, named, and on stderr. */
static int kvm_error(struct json *j, struct kvm_backend *kb, int err, const char *what)
{
	json_begin_object(j, "error");
	json_string(j, "ioctl", kb->failed ? kb->failed : what);
	json_string(j, "errno", errno_name(-err));
	json_string(j, "message", strerror(-err));
	json_end_object(j);
	json_end_object(j);
	json_finish(j);
	fprintf(stderr, "%s: %s: %s failed: %s (%s)\n", prog, what, kb->failed ? kb->failed : "?",
		strerror(-err), errno_name(-err));
	return EXIT_KVM;
}

/* The vCPU a VMM would make here: QEMU's -cpu host defaults, where offered. */
static void vcpu_setup(struct kvm_backend *kb, struct kvm_vcpu_setup *s)
{
	memset(s, 0, sizeof(*s));
	s->psci_0_2 = kb->check_extension(kb, 102) > 0;
	s->pmu_v3 = kb->check_extension(kb, 126) > 0;
	s->sve = kb->check_extension(kb, 170) > 0;
	s->ptrauth = kb->check_extension(kb, 171) > 0 && kb->check_extension(kb, 172) > 0;
	s->imp_id_regs = kb->check_extension(kb, GVKVM_CAP_WRITABLE_IMP_ID_REGS) > 0;
}

static void vcpu_json(struct json *j, const struct kvm_vcpu_setup *s)
{
	json_begin_object(j, "vcpu");
	json_uint(j, "target", s->target);
	json_begin_array(j, "features");
	if (s->psci_0_2)
		json_string(j, NULL, "psci-0.2");
	if (s->pmu_v3)
		json_string(j, NULL, "pmu-v3");
	if (s->sve)
		json_string(j, NULL, "sve");
	if (s->ptrauth)
		json_string(j, NULL, "ptrauth");
	json_end_array(j);
	json_bool(j, "imp_id_regs_writable", s->imp_id_regs);
	json_end_object(j);
}

/* Both need one: the masks are asked for (0), not supported (1), failed (-errno). */
static int get_masks(struct kvm_backend *kb, uint64_t masks[IDSPACE_SLOTS])
{
	if (!(kb->check_extension(kb, GVKVM_CAP_REG_MASK_RANGES) & 1))
		return 1;
	return kb->writable_masks(kb, masks);
}


static int cmd_info(struct kvm_backend *kb, const char *kernel)
{
	struct json j;
	struct kvm_vcpu_setup setup;
	uint64_t *ids = NULL, masks[IDSPACE_SLOTS];
	size_t n = 0;
	uint32_t target;
	int e;

	header(&j, "info", kernel);
	e = kb->api_version(kb);
	if (e < 0)
		return kvm_error(&j, kb, e, "the API version");
	json_int(&j, "api_version", e);
	if ((e = kb->preferred_target(kb, &target)) < 0)
		return kvm_error(&j, kb, e, "the preferred vCPU target");
	json_begin_object(&j, "capabilities");
	for (size_t i = 0; i < nr_gvkvm_caps; i++)
		json_int(&j, gvkvm_caps[i].name, kb->check_extension(kb, gvkvm_caps[i].cap));
	json_end_object(&j);
	vcpu_setup(kb, &setup);
	if ((e = kb->scratch(kb, &setup)) < 0)
		return kvm_error(&j, kb, e, "a scratch VM and vCPU");
	vcpu_json(&j, &setup);
	if ((e = kb->reg_list(kb, &ids, &n)) < 0)
		return kvm_error(&j, kb, e, "the register list");
	json_uint(&j, "register_count", n);
	json_begin_array(&j, "registers");
	for (size_t i = 0; i < n; i++) {
		char name[REGNAME_MAX], s[24];
		enum reg_kind k = regname(ids[i], name);

		json_begin_object(&j, NULL);
		snprintf(s, sizeof(s), "0x%016" PRIx64, ids[i]);
		json_string(&j, "id", s);
		json_string(&j, "name", name);
		json_string(&j, "kind", reg_kind_label(k));
		json_end_object(&j);
	}
	json_end_array(&j);
	/* Every ID and firmware register: what another kernel's try is fed. */
	json_begin_object(&j, "values");
	for (size_t i = 0; i < n; i++) {
		char name[REGNAME_MAX];
		enum reg_kind k = regname(ids[i], name);
		uint64_t v;

		if (k != REGK_ID && k != REGK_FIRMWARE)
			continue;
		if ((e = kb->get(kb, ids[i], &v)) < 0) {
			free(ids);
			json_end_object(&j);
			return kvm_error(&j, kb, e, name);
		}
		hex(&j, name, v);
	}
	json_end_object(&j);
	free(ids);
	json_begin_object(&j, "writable_masks");
	e = get_masks(kb, masks);
	json_bool(&j, "supported", e == 0);
	if (e == 1) {
		json_string(&j, "reason", "not supported: KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES has no feature ID range (Linux before 6.8)");
	} else if (e < 0) {
		json_string(&j, "reason", "KVM_ARM_GET_REG_WRITABLE_MASKS failed");
		json_string(&j, "errno", errno_name(-e));
	} else {
		json_begin_object(&j, "masks");
		for (unsigned int s = 0; s < IDSPACE_SLOTS; s++) {
			char name[REGNAME_MAX];

			regname(KVM_SYSREG_ID(3, idspace_op1(s), 0, idspace_crm(s), idspace_op2(s)), name);
			hex(&j, name, masks[s]);
		}
		json_end_object(&j);
	}
	json_end_object(&j);
	json_end_object(&j);
	json_finish(&j);
	return 0;
}

/* The oracle of a real try: set the value, and undo it when accepted. */
struct set_ctx {
	struct kvm_backend *kb;
	uint64_t id, cur;
	int restore_err;
};

static int set_oracle(void *p, uint64_t value)
{
	struct set_ctx *c = p;
	int e = c->kb->set(c->kb, c->id, value);

	if (e < 0)
		return -e;
	e = c->kb->set(c->kb, c->id, c->cur);
	if (e < 0 && !c->restore_err)
		c->restore_err = -e;
	return 0;
}

static void field_name(int reg, const struct field_try *t, char *buf, size_t len)
{
	if (t->field >= 0)
		snprintf(buf, len, "%s.%s", idregs[reg].name, idfields[t->field].name);
	else if (t->width == 1)
		snprintf(buf, len, "%s.bits[%u]", idregs[reg].name, t->lsb);
	else
		snprintf(buf, len, "%s.bits[%u:%u]", idregs[reg].name, t->lsb + t->width - 1, t->lsb);
}

#define MAX_FIELDS 64

struct tally {
	long tried, differing, accepted, refused;
	char **names;		/* what was refused: "REG.FIELD (EPERM)" */
	size_t nnames;
};

static void refused_add(struct tally *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void refused_add(struct tally *t, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	t->names = realloc(t->names, (t->nnames + 1) * sizeof(*t->names));
	if (!s || !t->names) {
		perror(prog);
		exit(EXIT_KVM);
	}
	t->names[t->nnames++] = s;
}

/* One register of the try file: set, and split into fields when refused. */
static void try_one(struct json *j, struct kvm_backend *kb, const struct try_entry *t,
		    const uint64_t *masks, struct tally *tally)
{
	uint64_t cur = 0;
	int gerr = kb->get(kb, t->id, &cur), serr;
	bool differs = gerr < 0 || cur != t->value, aarch32;
	unsigned int slot;
	int reg = regname_idreg(t->id, &aarch32);
	struct field_try ft[MAX_FIELDS];
	size_t nf = 0;

	tally->tried++;
	tally->differing += differs;
	json_begin_object(j, NULL);
	json_string(j, "name", t->name);
	{
		char s[24];

		snprintf(s, sizeof(s), "0x%016" PRIx64, t->id);
		json_string(j, "id", s);
	}
	json_int(j, "line", t->line);
	hex(j, "requested", t->value);
	if (gerr < 0) {
		json_null(j, "current");
		json_string(j, "current_errno", errno_name(-gerr));
	} else {
		hex(j, "current", cur);
	}
	json_bool(j, "differs", differs);
	if (masks && regname_idspace_slot(t->id, &slot))
		hex(j, "writable_mask", masks[slot]);
	else
		json_null(j, "writable_mask");
	serr = kb->set(kb, t->id, t->value);
	if (serr == 0) {
		json_string(j, "result", "accepted");
		tally->accepted += differs;
		json_end_object(j);
		return;
	}
	json_string(j, "result", "refused");
	json_string(j, "ioctl", kb->failed);
	json_string(j, "errno", errno_name(-serr));
	json_string(j, "message", strerror(-serr));
	tally->refused++;
	if (reg >= 0 && !aarch32 && gerr == 0) {
		struct set_ctx c = { kb, t->id, cur, 0 };
		bool any_refused = false;

		nf = try_decompose(reg, cur, t->value, set_oracle, &c, ft, MAX_FIELDS);
		json_begin_array(j, "fields");
		for (size_t i = 0; i < nf && i < MAX_FIELDS; i++) {
			char name[REGNAME_MAX + 32], v[24];
			uint64_t m = (ft[i].width >= 64 ? ~0ULL : (1ULL << ft[i].width) - 1) << ft[i].lsb;

			field_name(reg, &ft[i], name, sizeof(name));
			json_begin_object(j, NULL);
			json_string(j, "name", strchr(name, '.') + 1);
			json_uint(j, "lsb", ft[i].lsb);
			json_uint(j, "width", ft[i].width);
			snprintf(v, sizeof(v), "0x%" PRIx64, ft[i].cur);
			json_string(j, "current", v);
			snprintf(v, sizeof(v), "0x%" PRIx64, ft[i].want);
			json_string(j, "requested", v);
			json_string(j, "result", ft[i].err ? "refused" : "accepted");
			if (ft[i].err) {
				json_string(j, "errno", errno_name(ft[i].err));
				refused_add(tally, "%s (%s)", name, errno_name(ft[i].err));
				any_refused = true;
			}
			if (masks && regname_idspace_slot(t->id, &slot))
				json_bool(j, "mask_writable", (masks[slot] & m) == m);
			else
				json_null(j, "mask_writable");
			json_end_object(j);
		}
		json_end_array(j);
		if (c.restore_err)
			json_string(j, "restore_errno", errno_name(c.restore_err));
		if (!any_refused) {
			/* Each alone is taken; KVM checks them together. */
			json_string(j, "fields_note", "each field alone accepted; the whole value refused");
			refused_add(tally, "%s (%s, as a whole)", t->name, errno_name(-serr));
		}
	} else {
		refused_add(tally, "%s (%s)", t->name, errno_name(-serr));
	}
	json_end_object(j);
}

static int cmd_try(struct kvm_backend *kb, const char *kernel, const char *path)
{
	struct json j;
	struct kvm_vcpu_setup setup;
	struct try_entry *t;
	long n = try_load(path, &t, stderr);
	uint64_t masks[IDSPACE_SLOTS];
	struct tally tally = { 0 };
	int e;

	if (n < 0)
		return EXIT_USAGE;
	header(&j, "try", kernel);
	json_string(&j, "file", path);
	vcpu_setup(kb, &setup);
	if ((e = kb->scratch(kb, &setup)) < 0) {
		free(t);
		return kvm_error(&j, kb, e, "a scratch VM and vCPU");
	}
	vcpu_json(&j, &setup);
	e = get_masks(kb, masks);
	json_bool(&j, "writable_masks_supported", e == 0);
	json_begin_array(&j, "registers");
	for (long i = 0; i < n; i++)
		try_one(&j, kb, &t[i], e == 0 ? masks : NULL, &tally);
	json_end_array(&j);
	/* What the matrix's line is made of: counts of differing registers. */
	json_begin_object(&j, "summary");
	json_int(&j, "tried", tally.tried);
	json_int(&j, "differing", tally.differing);
	json_int(&j, "accepted", tally.accepted);
	json_int(&j, "refused", tally.refused);
	json_begin_array(&j, "refused_names");
	for (size_t i = 0; i < tally.nnames; i++) {
		json_string(&j, NULL, tally.names[i]);
		free(tally.names[i]);
	}
	free(tally.names);
	json_end_array(&j);
	json_end_object(&j);
	json_end_object(&j);
	json_finish(&j);
	free(t);
	return tally.refused ? EXIT_REFUSED : 0;
}

int main(int argc, char **argv)
{
	struct kvm_backend kb = { 0 };
	const char *fake = NULL;
	struct utsname u;
	int argi = 1, e, rc;

	while (argi < argc && argv[argi][0] == '-') {
		if (!strcmp(argv[argi], "--fake-kvm") && argi + 1 < argc) {
			fake = argv[argi + 1];
			argi += 2;
		} else if (!strcmp(argv[argi], "-h") || !strcmp(argv[argi], "--help")) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "%s: unknown option '%s'\n", prog, argv[argi]);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (argi >= argc || (strcmp(argv[argi], "info") && strcmp(argv[argi], "try")) ||
	    (!strcmp(argv[argi], "info") && argc != argi + 1) ||
	    (!strcmp(argv[argi], "try") && argc != argi + 2)) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (uname(&u))
		strcpy(u.release, "unknown");
	if (fake) {
		if (kvm_open_fake(&kb, fake))
			return EXIT_USAGE;
	} else if ((e = kvm_open_real(&kb)) < 0) {
		struct json j;

		header(&j, argv[argi], u.release);
		return kvm_error(&j, &kb, e, "KVM");
	}
	if (!strcmp(argv[argi], "info"))
		rc = cmd_info(&kb, fake ? "fake" : u.release);
	else
		rc = cmd_try(&kb, fake ? "fake" : u.release, argv[argi + 1]);
	kb.close(&kb);
	return rc;
}
