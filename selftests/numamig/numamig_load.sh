#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Load numamig, make the scheduler events it counts happen, check that
# its counters grow by at least what was done and that its topology view
# is the kernel's, unload it, and check the kernel log stayed clean.

. "$(dirname "$0")/lib.sh"

require_env
numamig_unload

pingpong=$NUMAMIG_TOP/selftests/numamig/pingpong
[ -x "$pingpong" ] || skip_all "$pingpong not built (make selftests)"

tap_plan 13
dmesg_mark

if insmod "$NUMAMIG_KO"; then
	tap_ok "insmod $(basename "$NUMAMIG_KO")"
else
	tap_fail "insmod $(basename "$NUMAMIG_KO")"
	tap_finish
fi

modes_ok()
{
	local f
	for f in stats topology; do
		[ "$(stat -c '%a %U' "$NUMAMIG_DBG/$f")" = "400 root" ] || {
			echo "$f: $(stat -c '%a %U' "$NUMAMIG_DBG/$f"), want 400 root" | tap_diag
			return 1
		}
	done
}
tap_check "debugfs stats and topology are 0400 root" modes_ok

all_attached()
{
	local n
	n=$(stat_of tracepoints_attached)
	[ "$n" = 9 ] || { echo "tracepoints_attached $n, want 9" | tap_diag; return 1; }
}
tap_check "all nine scheduler tracepoints attached" all_attached

# grows NAME MIN CMD...: counter NAME grows by at least MIN across CMD.
grows()
{
	local name=$1 min=$2 before after
	shift 2
	before=$(stat_of "$name") || return 1
	"$@" >/dev/null || return 1
	after=$(stat_of "$name") || return 1
	if [ $((after - before)) -lt "$min" ]; then
		echo "$name grew by $((after - before)), want >= $min" | tap_diag
		return 1
	fi
}

# Both ends pinned to one CPU: the byte cannot go there and back without
# two switches, nor without one end sleeping on the pipe and being woken
# (the other end may only have been preempted, needing no wakeup).
rounds=2000
tap_check "sched_switch counts two switches a round trip" grows sched_switch $((2 * rounds)) "$pingpong" -n $rounds -c 0
tap_check "sched_wakeup counts a wakeup a round trip" grows sched_wakeup $rounds "$pingpong" -n $rounds -c 0

forks()
{
	local i
	for i in $(seq 50); do /bin/true; done
}
tap_check "sched_process_fork counts forks" grows sched_process_fork 50 forks
tap_check "sched_process_exit counts exits" grows sched_process_exit 50 forks
tap_check "sched_wakeup_new counts new tasks" grows sched_wakeup_new 50 forks

# A running task whose affinity moves it to another node must migrate.
move_busy_task()
{
	local pid last_cpu
	last_cpu=$(($(nproc) - 1))
	taskset -c 0 bash -c 'while :; do :; done' &
	pid=$!
	sleep 0.2
	taskset -pc "$last_cpu" "$pid" >/dev/null
	sleep 0.2
	kill "$pid"
	wait "$pid" 2>/dev/null
	return 0
}
tap_check "sched_migrate_task counts an affinity move" grows sched_migrate_task 1 move_busy_task

topology_matches()
{
	local sys=/sys/devices/system/node want got nid
	want="online_nodes $(cat $sys/online)"
	got=$(grep '^online_nodes ' "$NUMAMIG_DBG/topology")
	[ "$got" = "$want" ] || { echo "got '$got', want '$want'" | tap_diag; return 1; }
	for d in $sys/node[0-9]*; do
		nid=${d##*/node}
		want="node $nid cpus $(cat "$d/cpulist") distance $(cat "$d/distance")"
		got=$(grep "^node $nid " "$NUMAMIG_DBG/topology")
		[ "$got" = "$want" ] || { echo "got '$got', want '$want'" | tap_diag; return 1; }
	done
}
tap_check "topology matches /sys/devices/system/node" topology_matches

no_pointers()
{
	! grep -E -i '0x[0-9a-f]{8,}|\bffff[0-9a-f]{12}\b' "$NUMAMIG_DBG"/*
}
tap_check "no kernel pointers in debugfs" no_pointers

unloads()
{
	rmmod numamig && [ ! -e "$NUMAMIG_DBG" ] && ! numamig_loaded
}
tap_check "rmmod removes the module and its debugfs directory" unloads

tap_check "no warning, BUG, Oops or lockdep report in dmesg" dmesg_clean

tap_finish
