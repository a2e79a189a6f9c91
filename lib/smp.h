/*
 * smp.h: bringing up the secondary CPUs with PSCI CPU_ON and running
 * functions on them.  CPUs are numbered by their cpu node's position in the
 * device tree.  Only one CPU at a time may hand out work (normally CPU0).
 */
#ifndef GUESTVIEW_SMP_H
#define GUESTVIEW_SMP_H
#include "percpu.h"

/* Starts every CPU the DT lists; returns how many are online (self included). */
int smp_boot_secondaries(void);
bool cpu_online(int cpu);
/* Run fn(arg) on cpu and wait for it (aborts after a 10 s silence). */
void on_cpu(int cpu, void (*fn)(void *arg), void *arg);
/* Run fn(arg) on every online CPU, this one included, and wait for all. */
void on_cpus(void (*fn)(void *arg), void *arg);

#endif
