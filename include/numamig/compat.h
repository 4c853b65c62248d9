/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels numamig builds against lives here,
 * so that the rest of the module reads as if written for one kernel.
 *
 * Supported: Linux 6.1 (Debian 12's linux-image-amd64) up to 6.12
 * (linux-image-6.12-amd64). Differences known and handled:
 *
 * - The scheduler tracepoints numamig probes have the same prototypes
 *   from 5.18 (sched_switch gained prev_state) to 6.12; the probes are
 *   checked against <trace/events/sched.h> at build time, so a kernel
 *   that changes one fails to build rather than to run.
 */
#ifndef _NUMAMIG_COMPAT_H
#define _NUMAMIG_COMPAT_H

#include <linux/version.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "numamig needs Linux 6.1 or later"
#endif

#endif /* _NUMAMIG_COMPAT_H */
