/* devview.h: the identification of the interrupt controller, timer and PMU. */
#ifndef GUESTVIEW_DEVVIEW_H
#define GUESTVIEW_DEVVIEW_H
#include "view.h"
/* Run on CPU0 after the secondaries are up; per-CPU parts use on_cpu. */
void dev_view_collect(struct view *v);
#endif
