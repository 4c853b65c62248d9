#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The per-task NUMA picture. A workload with its memory on the last node
# and its thread on node 0 must show up in debugfs `tasks` with its memory
# on the last node, its run time on node 0, a slowdown above zero and the
# last node as the best; from page sampling alone with NUMA balancing off,
# from hinting faults with it on. A task with local memory shows no
# slowdown; a task below the thresholds is not watched; a task that exits
# leaves the table; a bad parameter is refused and changes nothing.

. "$(dirname "$0")/lib.sh"

require_env
numamig_unload

workload=$NUMAMIG_TOP/selftests/numamig/numa_workload
pingpong=$NUMAMIG_TOP/selftests/numamig/pingpong
[ -x "$workload" ] || skip_all "$workload not built (make selftests)"
[ -f /proc/sys/kernel/numa_balancing ] || skip_all "kernel without NUMA balancing"

last=$(ls -d /sys/devices/system/node/node[0-9]* | sed 's/.*node//' | sort -n | tail -1)
dbg=$NUMAMIG_DBG
workload_setup

tap_plan 14
dmesg_mark
sysctl -qw kernel.numa_balancing=0

if insmod "$NUMAMIG_KO" min_rss_mb=32 min_cpu_permille=200 period_ms=300; then
	tap_ok "insmod with min_rss_mb=32 min_cpu_permille=200 period_ms=300"
else
	tap_fail "insmod"
	tap_finish
fi

misplaced_seen()
{
	[ "$(field "$tid" node)" = 0 ] &&
	[ "$(per_node "$tid" mem_permille "$last")" -ge 900 ] &&
	[ "$(field "$tid" remote_permille)" -ge 900 ] &&
	[ "$(field "$tid" slowdown_permille)" -gt 0 ] &&
	[ "$(field "$tid" best_node)" = "$last" ] &&
	[ "$(field "$tid" source)" = sample ]
}

if start_workload remote -m "$last" -r 0 -s 64 -t "$(scaled 60)"; then
	remote_tid=$tid
	if eventually 10 misplaced_seen; then
		tap_ok "numa_balancing=0: memory on node $last, running on node 0, slowdown > 0, best node $last, from sampling"
	else
		grep -E "^pid|^$tid " "$dbg/tasks" | tap_diag
		tap_fail "numa_balancing=0: memory on node $last, running on node 0, slowdown > 0, best node $last, from sampling"
	fi
	runs_on_0()
	{
		[ "$(per_node "$remote_tid" run_permille 0)" -ge 900 ] &&
		[ "$(field "$remote_tid" cpu_permille)" -ge 500 ]
	}
	tap_check "its run time is on node 0 and it uses most of a CPU" eventually 5 runs_on_0
else
	tap_fail "numa_workload -m $last -r 0 started"
	tap_skip "no workload"
fi

local_ok()
{
	[ "$(field "$tid" slowdown_permille)" = 0 ] &&
	[ "$(field "$tid" remote_permille)" -le 100 ] &&
	[ "$(field "$tid" best_node)" = 0 ]
}
if start_workload local -m 0 -r 0 -s 64 -t "$(scaled 60)"; then
	local_tid=$tid
	tap_check "a task with its memory local shows no slowdown" eventually 10 local_ok
else
	tap_fail "numa_workload -m 0 -r 0 started"
fi

busy_node0()
{
	awk -v last="$last" '
		NR > 1 { busy[$1] = $3; spare[$1] = $4 }
		END { exit !(busy[0] >= 700 && spare[last] > spare[0]) }' "$dbg/nodes"
}
tap_check "nodes: node 0 busy, node $last has more spare capacity" eventually 5 busy_node0

sampling_counts()
{
	local a b
	a=$(stat_of pages_sampled)
	sleep 1
	b=$(stat_of pages_sampled)
	[ "$b" -gt "$a" ] && [ "$(stat_of worker_runs)" -gt 0 ]
}
tap_check "stats: pages_sampled and worker_runs grow" sampling_counts

# pingpong is busy but its resident memory is far below min_rss_mb.
"$pingpong" -n 100000000 -c 1 >/dev/null &
small=$!
pids+=($small)
sleep 2
tap_check "a busy task below min_rss_mb is not watched" [ -z "$(field "$small" pid)" ]
kill "$small"

gone()
{
	[ -z "$(field "$local_tid" pid)" ]
}
kill "${pids[1]}" 2>/dev/null
tap_check "a task that exits leaves the table" eventually 3 gone

refused()
{
	local before after
	before=$(cat /sys/module/numamig/parameters/min_cpu_permille)
	! echo 5000 >/sys/module/numamig/parameters/min_cpu_permille 2>/dev/null || return 1
	! echo abc >/sys/module/numamig/parameters/min_cpu_permille 2>/dev/null || return 1
	after=$(cat /sys/module/numamig/parameters/min_cpu_permille)
	[ "$before" = "$after" ] &&
		dmesg_since_mark | grep -q "numamig: min_cpu_permille: 5000 is out of range 0..1000" &&
		dmesg_since_mark | grep -q "numamig: min_cpu_permille: 'abc' is not a number"
}
tap_check "out-of-range and non-numeric parameters are refused, value unchanged" refused

# NUMA balancing on: the thread's own hinting faults feed its picture.
kill "${pids[0]}" 2>/dev/null
wait 2>/dev/null
pids=()
sysctl -qw kernel.numa_balancing=1
faults_seen()
{
	[ "$(field "$tid" source)" = faults ]
}
if start_workload balanced -m "$last" -r 0 -s 64 -t "$(scaled 60)"; then
	tap_check "numa_balancing=1: the task's hinting faults become its source" eventually 15 faults_seen
	# NUMA balancing moves the pages to the thread: the picture follows.
	followed()
	{
		[ "$(per_node "$tid" mem_permille 0)" -ge 500 ] &&
		[ "$(field "$tid" best_node)" = 0 ]
	}
	tap_check "and as NUMA balancing brings the memory to node 0, best node becomes 0" eventually 20 followed
else
	tap_fail "numa_workload started"
	tap_skip "no workload"
fi
grep -E "^pid|^$tid " "$dbg/tasks" | tap_diag
kill "${pids[@]}" 2>/dev/null
wait 2>/dev/null
pids=()

empty_table()
{
	[ "$(stat_of tasks_tracked)" -le 1 ]
}
tap_check "workloads gone: the table empties" eventually 3 empty_table
tap_check "rmmod" rmmod numamig
tap_check "no warning, BUG, Oops or lockdep report in dmesg" dmesg_clean
tap_finish
