// SPDX-License-Identifier: GPL-2.0
/*
 * numamig_mem.c - where a task's memory is: the three sources.
 *
 * - Page-placement sampling: works with NUMA balancing off, as numad's
 *   reading of numa_maps does. A bounded number of resident pages of the
 *   task's anonymous memory, chosen at random, are looked up without
 *   faulting anything in, under mmap_read_lock(). Per process.
 * - NUMA-balancing hinting faults, when the kernel records them: the
 *   task's numa_faults, per thread, read as kernel/sched/debug.c does.
 * - Hardware local/remote DRAM counters: probed for at load; see
 *   numamig_mem_hw_status().
 *
 * Context: the worker, with numamig_lock held. Lock order:
 * numamig_lock, then the target's mmap_lock (read).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/perf_event.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/topology.h>

#include <numamig/compat.h>
#include "numamig.h"

static int numamig_hw_status = -ENODEV;

static bool numamig_vma_sampled(struct vm_area_struct *vma)
{
	return vma_is_anonymous(vma) && !(vma->vm_flags & (VM_IO | VM_PFNMAP));
}

static void numamig_sample_one(struct mm_struct *mm, unsigned long addr,
			       unsigned int *pages,
			       struct numamig_worker_stats *ws)
{
	struct page *page;
	int nid;

	if (numamig_gup_remote_one(mm, addr, &page) != 1) {
		ws->pages_not_resident++;
		return;
	}
	nid = page_to_nid(page);
	put_page(page);
	if (nid < NUMAMIG_MAX_NODES)
		pages[nid]++;
	ws->pages_sampled++;
}

/**
 * numamig_mem_sample() - sample where a task's resident memory is
 * @p: the task, referenced by the caller
 * @pages: per node, incremented for every sampled page found there
 * @nr_samples: addresses to try
 * @ws: counts pages sampled and addresses not resident
 *
 * Addresses are spread over the VMAs in proportion to their size, at
 * random within each, in one walk of the VMA tree; those that fall in a
 * VMA that is not anonymous are not looked at. Nothing is faulted in: an
 * address whose page is not resident is only counted.
 *
 * Context: process context, may sleep (mmap_read_lock()).
 * Return: the number of VMAs walked past: what the sample cost.
 */
unsigned int numamig_mem_sample(struct task_struct *p, unsigned int *pages,
				unsigned int nr_samples,
				struct numamig_worker_stats *ws)
{
	unsigned long left, size, off;
	struct vm_area_struct *vma;
	unsigned int k, vmas = 0;
	struct mm_struct *mm;
	u64 share, rem;

	mm = get_task_mm(p);
	if (!mm)
		return 0;
	mmap_read_lock(mm);
	left = mm->total_vm;
	{
		VMA_ITERATOR(vmi, mm, 0);

		for_each_vma(vmi, vma) {
			if (!nr_samples)
				break;
			vmas++;
			size = vma_pages(vma);
			/* total_vm is an accounting counter: trust what is mapped. */
			left = max(left, size);
			/* This VMA's share of the samples left, rounded at random. */
			share = (u64)nr_samples * size;
			k = share / left;
			rem = share % left;
			if (rem && get_random_u64() % left < rem)
				k++;
			k = min(k, nr_samples);
			nr_samples -= k;
			left -= size;
			if (!numamig_vma_sampled(vma))
				continue;
			while (k--) {
				off = get_random_u64() % size;
				numamig_sample_one(mm, vma->vm_start + (off << PAGE_SHIFT),
						   pages, ws);
			}
		}
	}
	mmap_read_unlock(mm);
	mmput(mm);
	return vmas;
}

/**
 * numamig_mem_faults() - a task's NUMA-balancing faults per memory node
 * @p: the task, referenced by the caller: its numa_faults array is freed
 *	only with the task_struct
 * @faults: filled with the decayed fault count of each node, private and
 *	shared together
 *
 * Context: process context. The counts are read without the scheduler's
 * locks, as kernel/sched/debug.c reads them: a read may mix two updates.
 * Return: true if the task has recorded any fault.
 */
bool numamig_mem_faults(struct task_struct *p, unsigned int *faults)
{
#ifdef CONFIG_NUMA_BALANCING
	unsigned long *nf = READ_ONCE(p->numa_faults), f;
	bool any = false;
	int nid;

	if (!nf)
		return false;
	for (nid = 0; nid < min_t(int, nr_node_ids, NUMAMIG_MAX_NODES); nid++) {
		f = READ_ONCE(nf[numamig_numa_faults_idx(NUMAMIG_NUMA_MEM, nid, 0)]) +
		    READ_ONCE(nf[numamig_numa_faults_idx(NUMAMIG_NUMA_MEM, nid, 1)]);
		faults[nid] = min_t(unsigned long, f, UINT_MAX);
		any |= f != 0;
	}
	return any;
#else
	return false;
#endif
}

/**
 * numamig_mem_hw_status() - can hardware counters tell local from remote?
 *
 * Return: 0 if the CPU counts node-local and node-remote loads (the
 * generic node-load-misses event could be created), else the negative
 * error perf_event_create_kernel_counter() gave: -ENOENT or -EOPNOTSUPP
 * without a PMU, as in a TCG guest.
 */
int numamig_mem_hw_status(void)
{
	return numamig_hw_status;
}

/**
 * numamig_mem_init() - find out whether hardware counters can be used
 *
 * Creates, and at once releases, a generic node-load-misses counter on
 * the first online CPU; the outcome is numamig_mem_hw_status()'s.
 *
 * Context: process context, module init.
 * Return: 0: a CPU without such counters is not an error.
 */
int numamig_mem_init(void)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_HW_CACHE,
		.size = sizeof(attr),
		.config = PERF_COUNT_HW_CACHE_NODE |
			  (PERF_COUNT_HW_CACHE_OP_READ << 8) |
			  (PERF_COUNT_HW_CACHE_RESULT_MISS << 16),
		.disabled = 1,
	};
	struct perf_event *ev;

	ev = perf_event_create_kernel_counter(&attr, cpumask_first(cpu_online_mask),
					      NULL, NULL, NULL);
	if (IS_ERR(ev)) {
		numamig_hw_status = PTR_ERR(ev);
		pr_info("no hardware local/remote memory counters (%d): using page sampling and NUMA-balancing faults\n",
			numamig_hw_status);
		return 0;
	}
	perf_event_release_kernel(ev);
	numamig_hw_status = 0;
	return 0;
}
