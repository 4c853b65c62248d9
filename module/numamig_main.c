// SPDX-License-Identifier: GPL-2.0
/*
 * numamig - NUMA thread placement driven by the scheduler's tracepoints.
 *
 * numamig_main.c owns the module's life: what is set up in which order
 * and undone in the reverse.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/nodemask.h>
#include <linux/printk.h>

#include <numamig/compat.h>
#include <numamig/version.h>
#include "numamig.h"

static int __init numamig_init(void)
{
	int err;

	err = numamig_hooks_find();
	if (err)
		return err;

	err = numamig_tasks_init();
	if (err)
		return err;

	numamig_mem_init();

	err = numamig_decide_init();
	if (err)
		goto err_destroy_tasks;

	err = numamig_worker_init();
	if (err)
		goto err_free_decide;

	numamig_debugfs_init();

	err = numamig_hooks_attach();
	if (err)
		goto err_remove_debugfs;

	numamig_worker_start();
	pr_info("version " NUMAMIG_VERSION " loaded, %d online nodes\n",
		num_online_nodes());
	return 0;

err_remove_debugfs:
	numamig_debugfs_exit();
	numamig_worker_exit();
err_free_decide:
	numamig_decide_exit();
err_destroy_tasks:
	numamig_tasks_exit();
	return err;
}

/*
 * The worker stops first (it adds entries and holds tasks); every task
 * numamig holds, and every child they forked, gets its own mask back
 * while the probes still note forks (a child forked while its parent is
 * given back its mask must be found); then the probes go, and the
 * children noted meanwhile get their masks; then debugfs (it lists
 * entries) goes, and only then the entries.
 */
static void __exit numamig_exit(void)
{
	numamig_worker_stop();
	numamig_migrate_release_all(false);
	numamig_hooks_detach();
	numamig_migrate_release_all(true);
	numamig_debugfs_exit();
	numamig_tasks_exit();
	numamig_worker_exit();
	numamig_decide_exit();
	pr_info("unloaded\n");
}

module_init(numamig_init);
module_exit(numamig_exit);

MODULE_DESCRIPTION("NUMA thread placement: moves a thread to its memory when that pays");
MODULE_AUTHOR("The numamig developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(NUMAMIG_VERSION);
