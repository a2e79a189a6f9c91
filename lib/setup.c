/*
 * setup.c: from the start code to main().  Runs on the boot CPU with the
 * MMU on and only the image and DTB mapped (arm/cstart64.S): reads the
 * device tree, completes the map, finds the console, then calls main and
 * ends the payload with its status.
 */
#include "libcflat.h"
#include "args.h"
#include "alloc.h"
#include "console.h"
#include "mmu.h"
#include "percpu.h"

extern char _end[];
u64 boot_el;	/* the EL the payload was entered at; written by the start code */

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
	alloc_init((uintptr_t)_end);
	argc = args_setup(platform.bootargs, &argv);

	if (boot_el == 2) {
		printf("SKIP: %s was entered at EL2 (a machine with virtualization=on?); "
		       "guestview payloads run at EL1 only\n", argv[0]);
		exit(EXIT_SKIP);
	}
	exit(main(argc, argv));
}
