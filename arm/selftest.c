/*
 * selftest: checks of the guest runtime itself.  Arguments name the parts:
 *   setup [smp=N] [mem=MiB]  argv, memory, CPU count, MMU, FP, timer, PSCI
 *   smp [smp=N]              every CPU comes up with a distinct MPIDR
 *   vectors                  exceptions are caught, decoded and returned from
 *   insn                     raw encodings run at EL1 and EL0, outcomes recorded
 *   unexpected               an unhandled UNDEF must end the payload as FAIL
 *   nested                   a fault inside a handler must end it as FAIL
 * The last two fail on purpose; tests/guest/ checks how they fail.
 */
#include "libcflat.h"
#include "exceptions.h"
#include "mmu.h"
#include "platform.h"
#include "psci.h"
#include "smp.h"
#include "guard.h"
#include "insn.h"
#include "idfields.h"

static int g_argc;
static char **g_argv;

static void check_setup(void)
{
	unsigned long smp, mem;
	u64 par, sctlr = read_sysreg(sctlr_el1), start, end;
	u32 ver;
	int stack_var;

	report(!strcmp(g_argv[0], "selftest"), "argv[0] is the payload name (%s)", g_argv[0]);
	report(g_argc >= 2 && !strcmp(g_argv[1], "setup"), "argv[1] is the first bootarg");

	if (arg_ulong(g_argc, g_argv, "smp", &smp))
		report(platform.nr_cpus == (int)smp, "DT cpu nodes: %d, QEMU was given %lu",
		       platform.nr_cpus, smp);
	else
		report_skip("cpu count: no smp= argument");
	if (arg_ulong(g_argc, g_argv, "mem", &mem))
		report(platform.mem_total == mem << 20, "DT memory: %lu MiB, QEMU was given %lu MiB",
		       (unsigned long)(platform.mem_total >> 20), mem);
	else
		report_skip("memory size: no mem= argument");

	report(current_el() == 1, "running at EL1");
	report((sctlr & (SCTLR_M | SCTLR_C | SCTLR_I)) == (SCTLR_M | SCTLR_C | SCTLR_I),
	       "SCTLR_EL1: MMU, data and instruction caches on (0x%lx)", sctlr);
	/* The map's attributes, as the MMU itself resolves them (PAR_EL1.ATTR). */
	par = mmu_translate(&stack_var);
	report(!(par & 1) && (par >> 56) == 0xff, "RAM is normal write-back memory (PAR 0x%lx)", par);
	par = mmu_translate((void *)(uintptr_t)platform.uart_base);
	report(!(par & 1) && (par >> 56) == 0x04, "the UART is Device-nGnRE (PAR 0x%lx)", par);
	par = mmu_translate((void *)(1UL << VA_BITS));
	report(par & 1, "an address beyond the map does not translate (PAR 0x%lx)", par);

	{
		u64 a = 0x3ff8000000000000UL, b;	/* 1.5 */
		asm volatile("fmov d0, %1\n\tfadd d0, d0, d0\n\tfmov %0, d0"
			     : "=r" (b) : "r" (a) : "d0");
		report(b == 0x4008000000000000UL, "FP/SIMD enabled: 1.5 + 1.5 = 3.0");
	}

	start = timer_count();
	report(timer_freq() != 0, "CNTFRQ_EL0 is set (%lu Hz)", (unsigned long)timer_freq());
	do
		end = timer_count();
	while (end == start && end - start < 1000000);
	report(end > start, "the virtual counter advances");

	ver = psci_version();
	report(platform.psci != PSCI_CONDUIT_NONE && ver >= 0x00000002,
	       "PSCI over %s, version %u.%u", platform.psci == PSCI_CONDUIT_SMC ? "smc" : "hvc",
	       ver >> 16, ver & 0xffff);
}

static u64 cpu_mpidr[NR_CPUS];
static void record_mpidr(void *arg)
{
	(void)arg;
	cpu_mpidr[smp_processor_id()] = read_sysreg(mpidr_el1);
}

static void check_smp(void)
{
	unsigned long want;
	int online = smp_boot_secondaries(), distinct = 1, matching = 0;

	report(online == platform.nr_cpus, "%d of %d CPUs online", online, platform.nr_cpus);
	if (arg_ulong(g_argc, g_argv, "smp", &want))
		report(platform.nr_cpus == (int)want, "DT cpu nodes: %d, QEMU was given %lu",
		       platform.nr_cpus, want);
	on_cpus(record_mpidr, NULL);
	for (int i = 0; i < platform.nr_cpus; i++) {
		if (!cpu_online(i))
			continue;
		if ((cpu_mpidr[i] & MPIDR_AFFINITY_MASK) == platform.cpu_mpidr[i])
			matching++;
		else
			report_info("CPU%d: MPIDR 0x%lx, DT reg 0x%lx", i, cpu_mpidr[i],
				    platform.cpu_mpidr[i]);
		for (int j = 0; j < i; j++)
			if (cpu_online(j) && cpu_mpidr[j] == cpu_mpidr[i])
				distinct = 0;
	}
	report(matching == online, "each CPU's MPIDR_EL1 matches its DT cpu node (%d of %d)",
	       matching, online);
	report(distinct, "MPIDR_EL1 values are distinct");
}

/* vectors: each handler records the syndrome and steps over the instruction. */
static volatile u64 caught_esr, caught_far, caught_elr;
static void record_and_skip(struct pt_regs *regs, u64 esr)
{
	caught_esr = esr;
	caught_far = regs->far;
	caught_elr = regs->elr;
	/* SVC is taken with ELR already past it; the others at the instruction. */
	if (ESR_EC(esr) != EC_SVC64)
		regs->elr += 4;
}

/* Run one faulting instruction at a known address; returns its address. */
#define FAULT_AT(insn, ...) ({						\
	u64 __pc;							\
	caught_esr = ~0UL;						\
	asm volatile("adr %0, 1f\n1:\t" insn : "=&r" (__pc) : __VA_ARGS__ : "memory"); \
	__pc;								\
})

static void check_exception(const char *what, unsigned int ec, u64 pc, u64 iss)
{
	report(caught_esr != ~0UL && ESR_EC(caught_esr) == ec && caught_elr == pc &&
	       (iss == ~0UL || ESR_ISS(caught_esr) == iss),
	       "%s: EC 0x%02x at 0x%lx (got ESR 0x%lx at 0x%lx)", what, ec, pc, caught_esr,
	       caught_elr);
}

static void check_vectors(void)
{
	u64 pc, bad = 1UL << VA_BITS;	/* just past the map: a translation fault */
	char desc[200];

	for (unsigned int ec = 0; ec < EC_MAX; ec++)
		install_exception_handler(EL1H_SYNC, ec, record_and_skip);

	pc = FAULT_AT("udf #0x1234", "r" (0));
	check_exception("UDF is UNDEFINED", EC_UNKNOWN, pc, 0);
	report(caught_esr & ESR_IL, "UDF: the syndrome says a 32-bit instruction (IL)");

	pc = FAULT_AT("brk #0x42", "r" (0));
	check_exception("BRK #0x42", EC_BRK64, pc, 0x42);

	pc = FAULT_AT("svc #0x17", "r" (0));
	/* SVC is taken after the instruction: ELR is the next one. */
	check_exception("SVC #0x17", EC_SVC64, pc + 4, 0x17);

	pc = FAULT_AT("ldr xzr, [%1]", "r" (bad));
	check_exception("load from an unmapped address", EC_DABT_CUR, pc, ~0UL);
	report(caught_far == bad, "data abort: FAR is the faulting address (0x%lx)", caught_far);
	esr_describe(desc, sizeof(desc), caught_esr);
	report(strstr(desc, "translation fault") && strstr(desc, "read"),
	       "data abort decoded as a read translation fault: %s", desc);

	pc = FAULT_AT("str xzr, [%1]", "r" (bad));
	esr_describe(desc, sizeof(desc), caught_esr);
	report(ESR_EC(caught_esr) == EC_DABT_CUR && (caught_esr & (1 << 6)) &&
	       strstr(desc, "write"), "store to an unmapped address: %s", desc);

	for (unsigned int ec = 0; ec < EC_MAX; ec++)
		install_exception_handler(EL1H_SYNC, ec, NULL);
}

/* insn: raw encodings run at EL1 and EL0 with their outcome recorded. */
static void check_insn(void)
{
	const u32 mov_x0_5[] = { 0xd28000a0 };		/* mov x0, #5 */
	const u32 udf[] = { 0x00000000 };		/* udf #0 */
	u32 mrs_ctr[] = { insn_mrs(3, 3, 0, 0, 1, 0) };	/* mrs x0, ctr_el0 */
	u32 mrs_midr[] = { insn_mrs(3, 0, 0, 0, 0, 0) };	/* mrs x0, midr_el1 */
	bool idst = IDF_GET(ID_AA64MMFR2_EL1, IDS, read_sysreg(id_aa64mmfr2_el1));
	struct insn_result r;

	insn_exec_el1(mov_x0_5, 1, 0, 0, 0, &r);
	report(r.esr == GUARD_NONE && r.x0 == 5, "EL1: mov x0, #5 runs and returns 5");
	insn_exec_el1(udf, 1, 0, 0, 0, &r);
	report(r.esr != GUARD_NONE && ESR_EC(r.esr) == EC_UNKNOWN, "EL1: udf is caught as EC 0x00");
	insn_exec_el1(mrs_midr, 1, 0, 0, 0, &r);
	report(r.esr == GUARD_NONE && r.x0 == read_sysreg(midr_el1), "EL1: mrs midr_el1 reads MIDR");

	if (!el0_available()) {
		report_skip("EL0: no 2 MiB block could be mapped for EL0");
		return;
	}
	insn_exec_el0(mov_x0_5, 1, 0, 0, 0, &r);
	report(r.esr == GUARD_NONE && r.x0 == 5, "EL0: mov x0, #5 runs and returns 5");
	insn_exec_el0(mrs_ctr, 1, 0, 0, 0, &r);
	report(r.esr == GUARD_NONE && r.x0 == read_sysreg(ctr_el0),
	       "EL0: CTR_EL0 is readable (SCTLR_EL1.UCT) and equals EL1's");
	insn_exec_el0(udf, 1, 0, 0, 0, &r);
	report(r.esr != GUARD_NONE && ESR_EC(r.esr) == EC_UNKNOWN, "EL0: udf is caught as EC 0x00");
	insn_exec_el0(mrs_midr, 1, 0, 0, 0, &r);
	report(r.esr != GUARD_NONE && ESR_EC(r.esr) == (idst ? EC_SYS64 : EC_UNKNOWN),
	       "EL0: mrs midr_el1 raises EC 0x%02x as ID_AA64MMFR2_EL1.IDS=%d promises (ESR 0x%lx)",
	       idst ? EC_SYS64 : EC_UNKNOWN, idst, r.esr);
}

static void fault_in_handler(struct pt_regs *regs, u64 esr)
{
	(void)regs;
	(void)esr;
	asm volatile("brk #0x99");	/* no handler for BRK: a nested fault */
}

int main(int argc, char **argv)
{
	g_argc = argc;
	g_argv = argv;
	if (argc < 2)
		report_abort("usage: selftest setup|smp|vectors|insn|unexpected|nested [key=value...]");

	for (int i = 1; i < argc; i++) {
		const char *t = argv[i];
		if (strchr(t, '='))
			continue;
		report_prefix_push(t);
		if (!strcmp(t, "setup")) {
			check_setup();
		} else if (!strcmp(t, "smp")) {
			check_smp();
		} else if (!strcmp(t, "vectors")) {
			check_vectors();
		} else if (!strcmp(t, "insn")) {
			check_insn();
		} else if (!strcmp(t, "unexpected")) {
			report_info("executing UDF with no handler: the payload must end as FAIL");
			asm volatile("udf #0xbad");
			report_fail("returned from an unhandled UNDEF");
		} else if (!strcmp(t, "nested")) {
			install_exception_handler(EL1H_SYNC, EC_UNKNOWN, fault_in_handler);
			report_info("faulting inside a fault handler: the payload must end as FAIL");
			asm volatile("udf #0xbad");
			report_fail("returned from a nested fault");
		} else {
			report_abort("unknown part '%s'", t);
		}
		report_prefix_pop();
	}
	return report_summary();
}
