/*
 * smp.c: secondary CPU bring-up.  A secondary starts with its MMU off, so
 * everything it reads before turning the MMU on (its boot block) is
 * cleaned to the point of coherency first; from then on it runs on the
 * primary's page tables and waits in WFE for work in its percpu mailbox.
 */
#include "smp.h"
#include "alloc.h"
#include "mmu.h"
#include "psci.h"
#include "idfields.h"

#define SECONDARY_STACK_SIZE	(16 * 1024)
#define WAIT_MS			10000

/* Read by arm/cstart64.S secondary_entry with the MMU off: keep the layout. */
struct secondary_boot {
	u64 mair, tcr, ttbr0, sctlr;
	u64 stack_top;
	u64 percpu;
} __aligned(64);

static struct secondary_boot boot_blocks[NR_CPUS];
struct percpu percpu_area[NR_CPUS];

extern char secondary_entry[];

static void clean_to_poc(const void *start, size_t size)
{
	u64 line = 4UL << IDF_GET(CTR_EL0, DminLine, read_sysreg(ctr_el0));

	for (u64 a = ALIGN_DOWN((uintptr_t)start, line); a < (uintptr_t)start + size; a += line)
		asm volatile("dc cvac, %0" : : "r" (a) : "memory");
	dsb(sy);
}

void __noreturn secondary_main(struct percpu *pc);
void cpu_init_el0_access(void);	/* lib/setup.c */
void secondary_main(struct percpu *pc)
{
	pc->mpidr = read_sysreg(mpidr_el1);
	cpu_init_el0_access();
	dmb(ish);
	pc->online = true;
	dsb(ish);
	sev();
	for (;;) {
		void (*fn)(void *);

		while (!(fn = pc->work))
			wfe();
		dmb(ish);
		fn(pc->work_arg);
		dmb(ish);
		pc->work = NULL;
		dsb(ish);
		sev();
	}
}

bool cpu_online(int cpu)
{
	return cpu >= 0 && cpu < platform.nr_cpus && percpu_area[cpu].online;
}

/* Wait until done(cpu) or the deadline; false on time-out. */
static bool wait_for(bool (*done)(int cpu), int cpu, u64 deadline)
{
	while (!done(cpu)) {
		if (timer_count() > deadline)
			return false;
		cpu_relax();
	}
	dmb(ish);
	return true;
}

static bool is_online(int cpu) { return percpu_area[cpu].online; }
static bool is_idle(int cpu) { return !percpu_area[cpu].work; }

int smp_boot_secondaries(void)
{
	int self = (int)smp_processor_id(), online = 1;
	u64 deadline;
	bool started[NR_CPUS] = { false };

	for (int cpu = 0; cpu < platform.nr_cpus; cpu++) {
		struct secondary_boot *b = &boot_blocks[cpu];
		s64 ret;

		if (cpu == self || percpu_area[cpu].online)
			continue;
		percpu_area[cpu].cpu = (unsigned int)cpu;
		b->mair = mmu_regs.mair;
		b->tcr = mmu_regs.tcr;
		b->ttbr0 = mmu_regs.ttbr0;
		b->sctlr = mmu_regs.sctlr;
		b->stack_top = (uintptr_t)alloc_pages(SECONDARY_STACK_SIZE) + SECONDARY_STACK_SIZE;
		b->percpu = (uintptr_t)&percpu_area[cpu];
		clean_to_poc(b, sizeof(*b));
		ret = psci_cpu_on(platform.cpu_mpidr[cpu], (uintptr_t)secondary_entry, (uintptr_t)b);
		if (ret != PSCI_RET_SUCCESS)
			printf("smp: PSCI CPU_ON of CPU%d (MPIDR 0x%lx) failed: %s (%ld)\n", cpu,
			       platform.cpu_mpidr[cpu], psci_error_name(ret), (long)ret);
		started[cpu] = ret == PSCI_RET_SUCCESS;
	}
	deadline = timer_count() + timer_ms_to_ticks(WAIT_MS);
	for (int cpu = 0; cpu < platform.nr_cpus; cpu++) {
		if (!started[cpu])
			continue;
		if (wait_for(is_online, cpu, deadline))
			online++;
		else
			printf("smp: CPU%d (MPIDR 0x%lx) did not come online within %d ms\n",
			       cpu, platform.cpu_mpidr[cpu], WAIT_MS);
	}
	return online;
}

static void start_work(int cpu, void (*fn)(void *), void *arg)
{
	struct percpu *pc = &percpu_area[cpu];

	if (!cpu_online(cpu))
		report_abort("on_cpu: CPU%d is not online", cpu);
	if (!wait_for(is_idle, cpu, timer_count() + timer_ms_to_ticks(WAIT_MS)))
		report_abort("on_cpu: CPU%d still busy after %d ms", cpu, WAIT_MS);
	pc->work_arg = arg;
	dmb(ish);
	pc->work = fn;
	dsb(ish);
	sev();
}

static void finish_work(int cpu)
{
	if (!wait_for(is_idle, cpu, timer_count() + timer_ms_to_ticks(WAIT_MS)))
		report_abort("on_cpu: CPU%d did not finish its work within %d ms", cpu, WAIT_MS);
}

void on_cpu(int cpu, void (*fn)(void *), void *arg)
{
	if (cpu == (int)smp_processor_id()) {
		fn(arg);
		return;
	}
	start_work(cpu, fn, arg);
	finish_work(cpu);
}

void on_cpus(void (*fn)(void *), void *arg)
{
	int self = (int)smp_processor_id();

	for (int cpu = 0; cpu < platform.nr_cpus; cpu++)
		if (cpu != self && cpu_online(cpu))
			start_work(cpu, fn, arg);
	fn(arg);
	for (int cpu = 0; cpu < platform.nr_cpus; cpu++)
		if (cpu != self && cpu_online(cpu))
			finish_work(cpu);
}
