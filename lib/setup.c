/*
 * setup.c: from the start code to main().  Runs on the boot CPU with the
 * MMU on and only the image and DTB mapped (arm/cstart64.S): reads the
 * device tree, completes the map, finds the console, then calls main and
 * ends the payload with its status.
 */
#include "libcflat.h"
#include "args.h"
#include "alloc.h"
#include "bulk.h"
#include "console.h"
#include "mmu.h"
#include "percpu.h"
#include "idfields.h"

extern char _end[];
u64 boot_el;	/* the EL the payload was entered at; written by the start code */

#define CNTKCTL_EL0PCTEN	(1UL << 0)
#define CNTKCTL_EL0VCTEN	(1UL << 1)
#define SCTLR_MSCEN		(1UL << 33)

/*
 * What EL0 code may use, on every CPU: both counters (so that EL0 probes of
 * the counters see the feature, not a disabled access), and the memory
 * copy/set instructions where FEAT_MOPS exists (SCTLR_EL1.MSCEn is RES0
 * without it).
 */
void cpu_init_el0_access(void)
{
	write_sysreg(read_sysreg(cntkctl_el1) | CNTKCTL_EL0PCTEN | CNTKCTL_EL0VCTEN, cntkctl_el1);
	if (IDF_GET(ID_AA64ISAR2_EL1, MOPS, read_sysreg(s3_0_c0_c6_2)))
		write_sysreg(read_sysreg(sctlr_el1) | SCTLR_MSCEN, sctlr_el1);
	isb();
}

void __noreturn start_c(const void *fdt);
void start_c(const void *fdt)
{
	const char *err;
	char **argv;
	int argc, self;

	/* Exceptions need a percpu area before anything else can fault. */
	write_sysreg(&percpu_area[0], tpidr_el1);
	err = dt_parse(fdt);
	mmu_map_platform();	/* with no memory known, everything else is device */
	if (platform.uart_base)
		console_init(platform.uart_base);
	if (err)
		report_abort("device tree: %s", err);

	self = dt_cpu_index(read_sysreg(mpidr_el1));
	if (self < 0)
		report_abort("the boot CPU's MPIDR 0x%lx is not in the device tree",
			     read_sysreg(mpidr_el1));
	if (self != 0) {
		percpu_area[self] = percpu_area[0];
		write_sysreg(&percpu_area[self], tpidr_el1);
	}
	this_cpu()->cpu = (unsigned int)self;
	this_cpu()->mpidr = read_sysreg(mpidr_el1);
	this_cpu()->online = true;
	cpu_init_el0_access();
	alloc_init((uintptr_t)_end);
	bulk_init();
	argc = args_setup(platform.bootargs, &argv);

	if (boot_el == 2) {
		printf("SKIP: %s was entered at EL2 (a machine with virtualization=on?); "
		       "guestview payloads run at EL1 only\n", argv[0]);
		exit(EXIT_SKIP);
	}
	exit(main(argc, argv));
}
