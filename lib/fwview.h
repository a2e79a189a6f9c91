/* fwview.h: firmware (PSCI, SMCCC, TRNG, PV time, vendor hypervisor) answers. */
#ifndef GUESTVIEW_FWVIEW_H
#define GUESTVIEW_FWVIEW_H
#include "view.h"
void fw_view_collect(struct view *v);
#endif
