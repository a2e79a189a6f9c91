/*
 * devicetree.c: read what the runtime needs from the flattened device tree
 * with Debian's libfdt: memory, CPUs, PSCI conduit, GIC, console UART,
 * timer, PMU, virtio-mmio transports and /chosen/bootargs.  Addresses are
 * taken as the nodes state them; guestview's VMMs place these devices
 * directly under the root.
 */
#include "platform.h"
#include <libfdt.h>

struct platform platform;

#define MPIDR_AFF_MASK	0xff00ffffffUL

static u64 read_cells(const fdt32_t *p, int cells)
{
	u64 v = 0;

	while (cells-- > 0)
		v = (v << 32) | fdt32_to_cpu(*p++);
	return v;
}

/* reg entry 'index' of a node, with the parent's cell sizes. */
static bool dt_reg(const void *fdt, int node, int index, u64 *addr, u64 *size)
{
	int parent = fdt_parent_offset(fdt, node);
	int ac = fdt_address_cells(fdt, parent), sc = fdt_size_cells(fdt, parent);
	const fdt32_t *reg;
	int len;

	if (ac < 1 || ac > 2 || sc < 0 || sc > 2)
		return false;
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg || len < (int)((index + 1) * (ac + sc) * sizeof(fdt32_t)))
		return false;
	reg += index * (ac + sc);
	*addr = read_cells(reg, ac);
	if (size)
		*size = read_cells(reg + ac, sc);
	return true;
}

static const char *parse_memory(const void *fdt)
{
	int node = -1;

	while ((node = fdt_node_offset_by_prop_value(fdt, node, "device_type",
						     "memory", sizeof("memory"))) >= 0) {
		u64 base, size;
		for (int i = 0; dt_reg(fdt, node, i, &base, &size); i++) {
			if (!size)
				continue;
			if (platform.nr_mem == NR_MEM_REGIONS)
				return "more memory regions than NR_MEM_REGIONS";
			platform.mem[platform.nr_mem++] = (struct mem_region){ base, size };
			platform.mem_total += size;
		}
	}
	return platform.nr_mem ? NULL : "no memory node";
}

static const char *parse_cpus(const void *fdt)
{
	int cpus = fdt_path_offset(fdt, "/cpus"), node;

	if (cpus < 0)
		return "no /cpus node";
	fdt_for_each_subnode(node, fdt, cpus) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);
		u64 mpidr;

		if (!type || strcmp(type, "cpu"))
			continue;
		if (!dt_reg(fdt, node, 0, &mpidr, NULL))
			return "a cpu node without a usable reg";
		if (platform.nr_cpus == NR_CPUS)
			return "more cpu nodes than NR_CPUS";
		platform.cpu_mpidr[platform.nr_cpus++] = mpidr & MPIDR_AFF_MASK;
	}
	return platform.nr_cpus ? NULL : "no cpu node under /cpus";
}

static int first_compatible(const void *fdt, const char *const *compats)
{
	for (; *compats; compats++) {
		int node = fdt_node_offset_by_compatible(fdt, -1, *compats);
		if (node >= 0)
			return node;
	}
	return -1;
}

static const char *parse_psci(const void *fdt)
{
	static const char *const compats[] = {
		"arm,psci-1.0", "arm,psci-0.2", "arm,psci", NULL };
	int node = first_compatible(fdt, compats);
	const char *method;

	if (node < 0)
		return NULL;	/* no PSCI: SMP and power-off are unavailable */
	method = fdt_getprop(fdt, node, "method", NULL);
	if (!method)
		return "psci node without a method property";
	if (!strcmp(method, "hvc"))
		platform.psci = PSCI_CONDUIT_HVC;
	else if (!strcmp(method, "smc"))
		platform.psci = PSCI_CONDUIT_SMC;
	else
		return "psci method is neither hvc nor smc";
	return NULL;
}

static void parse_gic(const void *fdt)
{
	static const char *const v3[] = { "arm,gic-v3", NULL };
	static const char *const v2[] = { "arm,cortex-a15-gic", "arm,gic-400",
					  "arm,cortex-a9-gic", NULL };
	int node = first_compatible(fdt, v3);

	if (node >= 0 && dt_reg(fdt, node, 0, &platform.gicd_base, &platform.gicd_size) &&
	    dt_reg(fdt, node, 1, &platform.gicr_base, &platform.gicr_size)) {
		platform.gic_version = 3;
		return;
	}
	node = first_compatible(fdt, v2);
	if (node >= 0 && dt_reg(fdt, node, 0, &platform.gicd_base, &platform.gicd_size) &&
	    dt_reg(fdt, node, 1, &platform.gicc_base, NULL))
		platform.gic_version = 2;
}

static void parse_timer_pmu(const void *fdt)
{
	static const char *const timer[] = { "arm,armv8-timer", "arm,armv7-timer", NULL };
	static const char *const pmu[] = { "arm,armv8-pmuv3", NULL };
	int node = first_compatible(fdt, timer), len;
	const fdt32_t *irqs;

	if (node >= 0) {
		platform.has_timer = true;
		irqs = fdt_getprop(fdt, node, "interrupts", &len);
		/* Three cells each: type (1 = PPI), number, flags. */
		for (int i = 0; irqs && i < 4 && (i + 1) * 12 <= len; i++)
			platform.timer_ppi[i] = fdt32_to_cpu(irqs[i * 3 + 1]);
	}
	platform.has_pmu = first_compatible(fdt, pmu) >= 0;
}

/* Transports past NR_VIRTIO_MMIO are left out: a device there is not found, not an error. */
static void parse_virtio_mmio(const void *fdt)
{
	int node = -1;

	while ((node = fdt_node_offset_by_compatible(fdt, node, "virtio,mmio")) >= 0 &&
	       platform.nr_virtio_mmio < NR_VIRTIO_MMIO)
		if (dt_reg(fdt, node, 0, &platform.virtio_mmio_base[platform.nr_virtio_mmio], NULL))
			platform.nr_virtio_mmio++;
}

static const char *parse_chosen(const void *fdt)
{
	static const char *const pl011[] = { "arm,pl011", NULL };
	int chosen = fdt_path_offset(fdt, "/chosen"), node = -1, len;
	const char *path = NULL;

	if (chosen >= 0) {
		platform.bootargs = fdt_getprop(fdt, chosen, "bootargs", NULL);
		path = fdt_getprop(fdt, chosen, "stdout-path", &len);
	}
	if (path) {
		/* "path:options", and the path may be an alias. */
		const char *colon = memchr(path, ':', (size_t)len);
		int plen = colon ? (int)(colon - path) : (int)strnlen(path, (size_t)len);
		node = fdt_path_offset_namelen(fdt, path, plen);
		platform.stdout_path = path;
	}
	if (node < 0)
		node = first_compatible(fdt, pl011);
	if (node < 0 || !dt_reg(fdt, node, 0, &platform.uart_base, NULL))
		return "no console UART (no usable /chosen/stdout-path, no arm,pl011 node)";
	return NULL;
}

const char *dt_parse(const void *fdt)
{
	const char *err;

	if (!fdt || fdt_check_header(fdt))
		return "no valid device tree at the address in x0";
	platform.fdt = fdt;
	platform.fdt_size = fdt_totalsize(fdt);
	if ((err = parse_chosen(fdt)) || (err = parse_memory(fdt)) ||
	    (err = parse_cpus(fdt)) || (err = parse_psci(fdt)))
		return err;
	parse_gic(fdt);
	parse_timer_pmu(fdt);
	parse_virtio_mmio(fdt);
	return NULL;
}

int dt_cpu_index(u64 mpidr)
{
	for (int i = 0; i < platform.nr_cpus; i++)
		if (platform.cpu_mpidr[i] == (mpidr & MPIDR_AFF_MASK))
			return i;
	return -1;
}
