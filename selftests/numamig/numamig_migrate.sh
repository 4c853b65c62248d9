#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Decisions and migrations. In enforce mode a misplaced, memory-heavy,
# unpinned thread (its memory on the last node, started on node 0) is
# moved to the last node within 5 s, with NUMA balancing off and on, and
# trace-cmd sees the decision and the move. A task pinned with taskset
# is never touched; a short-lived task is not moved; observe mode
# decides but changes no affinity; a bad mode is refused; and after
# rmmod every thread's allowed CPUs are what they were before loading.

. "$(dirname "$0")/lib.sh"

require_env
numamig_unload

workload=$NUMAMIG_TOP/selftests/numamig/numa_workload
[ -x "$workload" ] || skip_all "$workload not built (make selftests)"
[ -f /proc/sys/kernel/numa_balancing ] || skip_all "kernel without NUMA balancing"

last=$(ls -d /sys/devices/system/node/node[0-9]* | sed 's/.*node//' | sort -n | tail -1)
pm=/sys/module/numamig/parameters
tmp=$(mktemp -d)
pids=()
cleanup()
{
	[ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null
	wait 2>/dev/null
	numamig_unload
	sysctl -qw kernel.numa_balancing=1
	rm -rf "$tmp"
}
trap cleanup EXIT

# node_of_tid TID: the node of the CPU TID last ran on.
node_of_tid()
{
	local cpu
	cpu=$(awk '{ print $39 }' "/proc/$1/stat") || return 1
	basename /sys/devices/system/cpu/cpu"$cpu"/node[0-9]* | sed 's/node//'
}

cpus_of() { sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' "/proc/$1/status"; }
node_cpus() { cat "/sys/devices/system/node/node$1/cpulist"; }

# Every thread's allowed CPUs, "tid list" per line.
snapshot()
{
	local s
	for s in /proc/[0-9]*/task/[0-9]*/status; do
		awk '$1 == "Pid:" { p = $2 } $1 == "Cpus_allowed_list:" { print p, $2 }' "$s" 2>/dev/null
	done | sort
}

decided() { awk -v t="$1" -v w="$2" '$2 == t && $7 == w { f = 1 } END { exit !f }' "$NUMAMIG_DBG/decisions"; }

tap_plan 19
dmesg_mark
all=$(cat /sys/devices/system/cpu/online)
# kernel.numa_balancing is switched only while no workload runs: the
# switch patches task_numa_fault() with int3, and under TCG a hinting
# fault racing that patch was seen to oops the guest.
sysctl -qw kernel.numa_balancing=0
snapshot >"$tmp/before"

if insmod "$NUMAMIG_KO" mode=enforce min_rss_mb=32 hold_ms=60000; then
	tap_ok "insmod mode=enforce min_rss_mb=32 hold_ms=60000"
else
	tap_fail "insmod"
	tap_finish
fi

if echo bogus >"$pm/mode" 2>/dev/null; then
	tap_fail "mode=bogus is refused"
else
	tap_check "mode=bogus is refused, mode stays enforce" test "$(cat $pm/mode)" = enforce
fi

# A pinned task first, while nothing else competes for node $last.
if start_workload pinned -m "$last" -r 0 -s 64 -t 60; then
	pinned_tid=$tid
	pinned_cpus=$(cpus_of "$tid")
	tap_check "a pinned task is seen as pinned" eventually 6 decided "$tid" pinned
else
	tap_fail "numa_workload (pinned) started"
fi

# moved NB: a misplaced unpinned thread is on node $last within 5 s, moved
# by numamig (with NUMA balancing on, NUMA balancing may move it first).
moved()
{
	local nb=$1 t0=$SECONDS mig0
	mig0=$(stat_of migrations)
	if ! start_workload "moved$nb" -m "$last" -r 0 -u -s 64 -t 60; then
		tap_fail "numa_balancing=$nb: numa_workload -u started"
		tap_skip "no workload"
		return 1
	fi
	# With NUMA balancing on, it may move the memory to the thread first.
	# With one CPU a node, the memory's node may lack room: then the
	# nearest node with room is where numamig holds it.
	on_last() {
		local n held
		n=$(node_of_tid "$tid")
		held=$(field "$tid" held_node)
		[ "$n" = "$last" ] || { [ "$held" = "$n" ] && [ "$n" != 0 ]; } ||
		{ [ "$nb" = 1 ] && [ "$(field "$tid" source)" = faults ] &&
		  [ "$(field "$tid" verdict)" = local ]; }
	}
	if eventually 5 on_last; then
		tap_ok "numa_balancing=$nb: a misplaced unpinned thread and its memory are together within 5 s (took $((SECONDS - t0)) s, node $(node_of_tid "$tid"))"
	else
		grep -E "^ms_ago| $tid " "$NUMAMIG_DBG/decisions" | tap_diag
		grep -E "^pid|^$tid " "$NUMAMIG_DBG/tasks" | tap_diag
		tap_fail "numa_balancing=$nb: a misplaced unpinned thread and its memory are together within 5 s"
	fi
	moved_by_us() {
		local held
		held=$(field "$tid" held_node)
		decided "$tid" move && [ "$(stat_of migrations)" -gt "$mig0" ] &&
		[ "$held" -ge 0 ] && [ "$(cpus_of "$tid")" = "$(node_cpus "$held")" ]
	}
	if ! decided "$tid" move && [ "$(node_of_tid "$tid")" = "$last" ]; then
		tap_skip "numa_balancing=$nb: the scheduler put it on node $last first"
	elif [ "$nb" = 1 ] && ! decided "$tid" move; then
		tap_skip "numa_balancing=1: NUMA balancing moved it, or its memory, first"
	else
		tap_check "numa_balancing=$nb: numamig moved it, narrowed to its target node's CPUs" \
			eventually 2 moved_by_us
	fi
}

moved 0

tap_check "the pinned task was never touched (still $pinned_cpus, never a move)" \
	eval '[ "$(cpus_of "$pinned_tid")" = "$pinned_cpus" ] && ! decided "$pinned_tid" move'

# Each of node $last's CPUs takes one busy task: make room for the next.
stop_workloads()
{
	kill "${pids[@]}" 2>/dev/null
	wait 2>/dev/null
	pids=()
}
stop_workloads

# trace-cmd: a new misplaced task, traced while numamig moves it.
if command -v trace-cmd >/dev/null; then
	trace-cmd record -q -e numamig -o "$tmp/trace.dat" sleep 8 >/dev/null 2>&1 &
	tracer=$!
	sleep 2
	start_workload traced -m "$last" -r 0 -u -s 64 -t 60 || true
	wait "$tracer"
	trace-cmd report -i "$tmp/trace.dat" >"$tmp/trace.txt" 2>/dev/null
	grep -q "numamig_decision:.*pid=$tid " "$tmp/trace.txt" ||
		{ head -5 "$tmp/trace.txt"; grep -E "^ms_ago| $tid " "$NUMAMIG_DBG/decisions"; } | tap_diag
	tap_check "trace-cmd captured numamig_decision events" grep -q "numamig_decision:.*pid=$tid " "$tmp/trace.txt"
	tap_check "trace-cmd captured the numamig_migrate event" grep -q "numamig_migrate:.*pid=$tid from=0 to=" "$tmp/trace.txt"
	held_tid=$tid
else
	tap_skip "trace-cmd not installed"
	tap_skip "trace-cmd not installed"
fi

# Short-lived: every task counts as young.
echo 3600000 >"$pm/min_age_ms"
mig0=$(stat_of migrations)
if start_workload young -m "$last" -r 0 -u -s 64 -t 60; then
	young=$tid
	tap_check "a short-lived task is found short-lived" eventually 6 decided "$young" short_lived
	tap_check "and not moved" eval '[ "$(cpus_of "$young")" = "$all" ] && ! decided "$young" move && [ "$(stat_of migrations)" = "$mig0" ]'
else
	tap_fail "numa_workload (young) started"
	tap_skip "no workload"
fi
echo 1000 >"$pm/min_age_ms"

# Observe: decides, acts on nothing; the holds of enforce are given back.
echo observe >"$pm/mode"
mig0=$(stat_of migrations)
given_back() { [ "$(stat_of holds)" = 0 ] && [ "$(cpus_of "$held_tid")" = "$all" ]; }
tap_check "leaving enforce gives held tasks their mask back" eventually 4 given_back
stop_workloads
if start_workload observed -m "$last" -r 0 -u -s 64 -t 60; then
	obs=$tid
	decided_move() { decided "$obs" move; }
	eventually 6 decided_move || grep -E "^ms_ago| $obs " "$NUMAMIG_DBG/decisions" | tap_diag
	tap_check "observe mode decides to move a misplaced task" decided "$obs" move
	tap_check "observe mode changes no affinity" eval '[ "$(cpus_of "$obs")" = "$all" ] && [ "$(stat_of migrations)" = "$mig0" ]'
else
	tap_fail "numa_workload (observed) started"
	tap_skip "no workload"
fi

# NUMA balancing on, enforce again; then unload while a task is held.
stop_workloads
sysctl -qw kernel.numa_balancing=1
echo enforce >"$pm/mode"
moved 1
held_again() { [ "$(stat_of holds)" -ge 1 ]; }
if decided "$tid" move; then
	tap_check "enforce again: a task is held when the module unloads" eventually 3 held_again
else
	tap_skip "nothing held: NUMA balancing got there first"
fi
numamig_unload
snapshot >"$tmp/after"
# Threads alive at both ends must have the same mask.
changed=$(join "$tmp/before" "$tmp/after" | awk '$2 != $3')
if [ -z "$changed" ]; then
	tap_ok "after rmmod every thread has the CPUs it had before loading"
else
	echo "$changed" | tap_diag
	tap_fail "after rmmod every thread has the CPUs it had before loading"
fi
workers=$(for p in "${pids[@]}"; do ls "/proc/$p/task" 2>/dev/null; done | sort)
bad=$(for t in $workers; do c=$(cpus_of "$t" 2>/dev/null) || continue
	[ "$c" = "$all" ] || echo "$t $c"; done)
if [ -z "$bad" ]; then
	tap_ok "after rmmod no unpinned workload thread is narrowed"
else
	echo "$bad" | tap_diag
	tap_fail "after rmmod no unpinned workload thread is narrowed"
fi

tap_check "dmesg clean" dmesg_clean
tap_finish
