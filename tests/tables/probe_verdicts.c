/*
 * probe_verdicts: the verdict table of tables/probes.c (probe_judge) with
 * injected outcomes and syndromes, the errata matching (tables/errata.def)
 * and the version arguments, without a guest.  One line per check, "ok -"
 * or "not ok -" (tests/lib.sh style); exit status 1 when any failed.
 */
#include <stdio.h>
#include <string.h>
#include "probes.h"

static int failed;

static void check(int ok, const char *what)
{
	printf("%s - %s\n", ok ? "ok" : "not ok", what);
	failed |= !ok;
}

static const char *kinds[] = { "PASS", "FAIL", "KFAIL" };

/* judge(...) gives KIND with LEAK. */
static void expect(const char *what, enum probe_id p, bool adv, bool enable_adv, enum probe_pass pass,
		   enum probe_got got, unsigned int ec, const struct probe_host *h,
		   enum probe_verdict_kind kind, enum probe_leak leak)
{
	struct probe_verdict v = probe_judge(p, adv, enable_adv, pass, got, ec, h);
	char line[512];

	snprintf(line, sizeof(line), "%s: %s%s%s (got %s%s%s: %s)", what, kinds[kind],
		 leak ? ", " : "", probe_leak_names[leak], kinds[v.kind], v.leak ? ", " : "",
		 probe_leak_names[v.leak], v.what);
	check(v.kind == kind && v.leak == leak, line);
}

int main(void)
{
	const struct probe_host none = { 0, 0 };
	const struct probe_host bed72 = { PROBE_VERSION(6, 12, 117), PROBE_VERSION(7, 2, 22) };
	const struct probe_host bed10 = { PROBE_VERSION(7, 3, 4), PROBE_VERSION(10, 0, 2) };
	const struct probe_host kernel_only = { PROBE_VERSION(6, 12, 117), 0 };

	/* Hidden SME under KVM on a host with SME (the matrix). */
	expect("sme, SMEN clear, hidden, EC 0x1d: the architectural leak", PROBE_sme, false, false,
	       PASS_OWN_CLEAR, GOT_TRAP, 0x1d, &none, PV_KFAIL, LEAK_ARCH);
	expect("sme, SMEN clear, hidden, UNDEF (a CPU without SME)", PROBE_sme, false, false,
	       PASS_OWN_CLEAR, GOT_UNDEF, 0, &none, PV_PASS, LEAK_NONE);
	expect("sme, SMEN set, hidden, UNDEF: KVM trapped it", PROBE_sme, false, false,
	       PASS_OWN_SET, GOT_UNDEF, 0, &none, PV_PASS, LEAK_NONE);
	expect("sme, SMEN set, hidden, executes: the hypervisor should trap it", PROBE_sme, false, false,
	       PASS_OWN_SET, GOT_EXEC, 0, &none, PV_FAIL, LEAK_HYP);
	expect("sme, SMEN set, hidden, trapped as SME (EC 0x1d): the hypervisor did not trap it", PROBE_sme,
	       false, false, PASS_OWN_SET, GOT_TRAP, 0x1d, &none, PV_FAIL, LEAK_HYP);
	expect("sme, SMEN clear, hidden, another EC (0x18)", PROBE_sme, false, false,
	       PASS_OWN_CLEAR, GOT_TRAP, 0x18, &none, PV_FAIL, LEAK_NONE);
	expect("sme, SMEN clear, hidden, SVE's EC 0x19 is not SME's own trap", PROBE_sme, false, false,
	       PASS_OWN_CLEAR, GOT_TRAP, 0x19, &none, PV_FAIL, LEAK_NONE);
	expect("sve, ZEN clear, hidden, EC 0x19: the architectural leak", PROBE_sve, false, false,
	       PASS_OWN_CLEAR, GOT_TRAP, 0x19, &none, PV_KFAIL, LEAK_ARCH);
	/* Advertised: both enable states are the architecture's. */
	expect("sme, SMEN clear, advertised, EC 0x1d: as it must", PROBE_sme, true, true,
	       PASS_OWN_CLEAR, GOT_TRAP, 0x1d, &none, PV_PASS, LEAK_NONE);
	expect("sme, SMEN clear, advertised, UNDEF", PROBE_sme, true, true,
	       PASS_OWN_CLEAR, GOT_UNDEF, 0, &none, PV_FAIL, LEAK_NONE);
	expect("sme, SMEN clear, executes (the PRE is wrong)", PROBE_sme, true, true,
	       PASS_OWN_CLEAR, GOT_EXEC, 0, &none, PV_FAIL, LEAK_NONE);
	expect("sme, SMEN set, advertised, executes", PROBE_sme, true, true,
	       PASS_OWN_SET, GOT_EXEC, 0, &none, PV_PASS, LEAK_NONE);
	expect("sme, SMEN set, advertised, EC 0x1d", PROBE_sme, true, true,
	       PASS_OWN_SET, GOT_TRAP, 0x1d, &none, PV_FAIL, LEAK_NONE);
	/* N within SVE: untrappable while SVE is advertised, not when SVE is hidden. */
	expect("sve2 (N), SVE advertised, SVE2 hidden, executes", PROBE_sve2, false, true,
	       PASS_OWN_SET, GOT_EXEC, 0, &none, PV_KFAIL, LEAK_UNTRAPPABLE);
	/* Neoverse V1: SVE without SVE2; an unimplemented encoding UNDEFs before ZEN is checked. */
	expect("sve2 (N), ZEN clear, SVE advertised, SVE2 absent, UNDEF: as it must", PROBE_sve2, false, true,
	       PASS_OWN_CLEAR, GOT_UNDEF, 0, &none, PV_PASS, LEAK_NONE);
	expect("sve2 (N), ZEN clear, SVE2 advertised, UNDEF: not the own enable's trap", PROBE_sve2, true, true,
	       PASS_OWN_CLEAR, GOT_UNDEF, 0, &none, PV_FAIL, LEAK_NONE);
	expect("sve2 (N), ZEN clear, SVE advertised, EC 0x19: not a leak", PROBE_sve2, false, true,
	       PASS_OWN_CLEAR, GOT_TRAP, 0x19, &none, PV_PASS, LEAK_NONE);
	expect("sve2 (N), SVE hidden, ZEN set, executes: CPTR_EL2 covers it", PROBE_sve2, false, false,
	       PASS_OWN_SET, GOT_EXEC, 0, &none, PV_FAIL, LEAK_HYP);
	/* Classes, plain probes. */
	expect("mte_tco (U), hidden, executes: untrappable by definition", PROBE_mte_tco, false, false,
	       PASS_PLAIN, GOT_EXEC, 0, &none, PV_KFAIL, LEAK_UNTRAPPABLE);
	expect("nmi_allint (U), hidden, executes", PROBE_nmi_allint, false, false,
	       PASS_PLAIN, GOT_EXEC, 0, &bed72, PV_KFAIL, LEAK_UNTRAPPABLE);
	expect("lse (N), hidden, executes", PROBE_lse, false, false,
	       PASS_PLAIN, GOT_EXEC, 0, &none, PV_KFAIL, LEAK_UNTRAPPABLE);
	expect("mte_gcr (K), hidden, executes: FAIL", PROBE_mte_gcr, false, false,
	       PASS_PLAIN, GOT_EXEC, 0, &bed72, PV_FAIL, LEAK_HYP);
	expect("mte_gcr (K), hidden, UNDEF", PROBE_mte_gcr, false, false,
	       PASS_PLAIN, GOT_UNDEF, 0, &none, PV_PASS, LEAK_NONE);
	expect("mte_gcr (K), hidden, EC 0x18", PROBE_mte_gcr, false, false,
	       PASS_PLAIN, GOT_TRAP, 0x18, &none, PV_FAIL, LEAK_NONE);
	expect("mte_gcr (K), advertised, UNDEF", PROBE_mte_gcr, true, false,
	       PASS_PLAIN, GOT_UNDEF, 0, &none, PV_FAIL, LEAK_NONE);
	expect("plain probe, EC 0x1d is just another class", PROBE_mte_gcr, false, false,
	       PASS_PLAIN, GOT_TRAP, 0x1d, &none, PV_FAIL, LEAK_NONE);
	/* Errata: tpidr2/smpri are a test-bed gap under outer QEMU < 10.0 only. */
	expect("sme_tpidr2, no facts given: FAIL", PROBE_sme_tpidr2, false, false,
	       PASS_PLAIN, GOT_EXEC, 0, &none, PV_FAIL, LEAK_HYP);
	expect("sme_tpidr2, kernel given, no test bed: FAIL", PROBE_sme_tpidr2, false, false,
	       PASS_PLAIN, GOT_EXEC, 0, &kernel_only, PV_FAIL, LEAK_HYP);
	expect("sme_tpidr2, test bed QEMU 7.2: test-bed gap", PROBE_sme_tpidr2, false, false,
	       PASS_PLAIN, GOT_EXEC, 0, &bed72, PV_KFAIL, LEAK_TESTBED);
	expect("sme_smpri, test bed QEMU 7.2: test-bed gap", PROBE_sme_smpri, false, false,
	       PASS_PLAIN, GOT_EXEC, 0, &bed72, PV_KFAIL, LEAK_TESTBED);
	expect("sme_tpidr2, test bed QEMU 10.0: FAIL", PROBE_sme_tpidr2, false, false,
	       PASS_PLAIN, GOT_EXEC, 0, &bed10, PV_FAIL, LEAK_HYP);
	expect("an erratum of one probe does not cover another (sme_smcr, QEMU 7.2)", PROBE_sme_smcr,
	       false, false, PASS_OWN_SET, GOT_EXEC, 0, &bed72, PV_FAIL, LEAK_HYP);
	{
		struct probe_verdict v = probe_judge(PROBE_sme_tpidr2, false, false, PASS_PLAIN, GOT_EXEC, 0, &bed72);
		check(v.erratum >= 0 && errata[v.erratum].probe == PROBE_sme_tpidr2 &&
		      strstr(errata[v.erratum].evidence, "QEMU 10.0"), "the KFAIL names its erratum and evidence");
	}
	/* Versions as the harness passes them. */
	check(probe_parse_version("6.12.117+deb13-arm64") == PROBE_VERSION(6, 12, 117), "version: 6.12.117+deb13-arm64");
	check(probe_parse_version("7.2") == PROBE_VERSION(7, 2, 0), "version: 7.2");
	check(probe_parse_version("10.0.2") == PROBE_VERSION(10, 0, 2), "version: 10.0.2");
	check(probe_parse_version("6") == 0, "version: 6 alone is refused");
	check(probe_parse_version("x6.1") == 0, "version: x6.1 is refused");
	check(probe_parse_version("6.1000") == 0, "version: a part over 999 is refused");
	check(PROBE_VERSION(7, 2, 22) < PROBE_VERSION(10, 0, 0), "version order: 7.2.22 < 10.0");
	return failed;
}
