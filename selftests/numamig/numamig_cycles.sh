#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Load/unload cycles under load, with the module in enforce mode and a
# short hold, each unloading at a random point (0 to 0.4 s after insmod)
# while moves are in flight: a misplaced workload is put back on node 0
# (as a user's taskset would) before each load, a guarded workload
# changes its own affinity and forks children, stress-ng forks and
# creates threads, and two readers read every debugfs file all along.
# After them: every load and unload succeeded, some unloads came with a
# task held, every thread alive before has the CPUs it had, the moved
# workload every CPU, no guarded thread ran outside its own mask or was
# left narrowed, no child left narrowed, no warning in the kernel log.
# NUMAMIG_STRESS_CYCLES cycles, by default 50 on 6.12 with 2 nodes, 10
# on the debug kernel, 20 elsewhere, within NUMAMIG_STRESS_CYCLE_SECONDS
# (default 240, 900 on the debug kernel) of guest time: under
# single-threaded TCG with this load a cycle takes seconds (see
# guarantees.rst), so the test says how many it did and what insmod and
# rmmod cost, and fails below 10.

. "$(dirname "$0")/lib.sh"

require_env
numamig_unload

sd=$NUMAMIG_TOP/selftests/numamig
workload=$sd/numa_workload
[ -x "$workload" ] || skip_all "helpers not built (make selftests)"
have_stress=1
command -v stress-ng >/dev/null || have_stress=0

nodes=$(ls -d /sys/devices/system/node/node[0-9]* | wc -l)
last=$(ls -d /sys/devices/system/node/node[0-9]* | sed 's/.*node//' | sort -n | tail -1)
all=$(cat /sys/devices/system/cpu/online)
if [ -n "${NUMAMIG_STRESS_CYCLES:-}" ]; then
	cycles=$NUMAMIG_STRESS_CYCLES
elif [[ $(uname -r) == *numamig-debug* ]]; then
	cycles=10
elif [[ $(uname -r) == 6.12.* ]] && [ "$nodes" = 2 ]; then
	cycles=50
else
	cycles=20
fi
workload_setup
sysctl -qw kernel.numa_balancing=0
. "$sd/stress_lib.sh"
readers_start

tap_plan 6
dmesg_mark
thread_masks >"$tmp/before"
phase=cycles
phase_t0=$SECONDS
start_workload guarded -m "$last" -r 0 -u -s 32 -T 2 -g -a 700 -f 50 -t 0 || true
start_workload moved -m "$last" -r 0 -u -s 32 -t 0 || true
moved=${pids[-1]}
moved_tid=$tid
[ $have_stress = 1 ] && start_bg stress3 stress-ng --fork 1 --pthread 1 --pthread-max 16 --timeout 0
in_flight=0
failed=0
total_moves=0
load_us=0
unload_us=0
# A budget of guest time, so that a slow guest reports how far it got
# rather than hitting the test's timeout with nothing said.
# The debug kernel takes a minute a cycle (insmod 26 s, rmmod 22 s).
# How many cycles fit depends on the host's emulator: 16 on one 2-core
# host, 9 or 10 on another (insmod 5 s, rmmod 7 s); at least 5 must.
budget=240
min_cycles=5
[[ $(uname -r) == *numamig-debug* ]] && budget=900
budget=${NUMAMIG_STRESS_CYCLE_SECONDS:-$budget}
done_cycles=0
# now_us: microseconds, from bash's own clock (no fork).
now_us() { echo "${EPOCHREALTIME/./}"; }
# uptime: seconds since boot, the children's CLOCK_MONOTONIC (no suspend).
uptime_s() { local u _; read -r u _ </proc/uptime; echo "$u"; }
# numamig's own move and release events, to tell below what numamig did
# to each child without the mask asked for. Enabled anew after each
# insmod (the events go with the module) and read as they come: rmmod
# of a module whose events are on empties the whole trace buffer.
trace_reader=
if [ -r "$tracefs/trace_pipe" ] && echo >"$tracefs/trace"; then
	cat "$tracefs/trace_pipe" >"$tmp/trace" &
	trace_reader=$!
fi
trace_events()
{
	[ -n "$trace_reader" ] || return 0
	echo 1 >"$tracefs/events/numamig/numamig_migrate/enable"
	echo 1 >"$tracefs/events/numamig/numamig_release/enable"
}
t0=$SECONDS
for c in $(seq "$cycles"); do
	[ $((SECONDS - t0)) -lt "$budget" ] || break
	# Put the moved workload back on node 0, as the user would; with
	# every CPU allowed again, it is misplaced once more.
	taskset -pc "$(node_cpus 0)" "$moved_tid" >/dev/null
	taskset -pc "$all" "$moved_tid" >/dev/null
	t_load=$(uptime_s)
	u0=$(now_us)
	if ! load; then
		failed=$((failed + 1))
		continue
	fi
	u1=$(now_us)
	trace_events
	load_us=$((load_us + u1 - u0))
	sleep "0.$(printf %03d $((RANDOM % 400)))"
	h=$(stat_of holds 2>/dev/null || echo 0)
	m=$(stat_of migrations 2>/dev/null || echo 0)
	[ "${h:-0}" -gt 0 ] && in_flight=$((in_flight + 1))
	total_moves=$((total_moves + ${m:-0}))
	t_unload=$(uptime_s)
	u0=$(now_us)
	unload || failed=$((failed + 1))
	unload_us=$((unload_us + $(now_us) - u0))
	echo "$c $t_load $t_unload $(uptime_s)" >>"$tmp/cycle-times"
	done_cycles=$c
	[ $((c % 10)) = 0 ] &&
		tap_diag <<<"cycles: $c in $((SECONDS - t0)) s, insmod $((load_us / c / 1000)) ms and rmmod $((unload_us / c / 1000)) ms on average, ${unload_retries:-0} rmmod retries"
done
dt=$((SECONDS - t0))
# Before stop_workloads, which waits for every background job.
if [ -n "$trace_reader" ]; then
	kill "$trace_reader"
	wait "$trace_reader" 2>/dev/null
fi
c=$((done_cycles > 0 ? done_cycles : 1))
tap_diag <<<"cycles: $done_cycles of $cycles in $dt s ($((dt * 1000 / c)) ms each: insmod $((load_us / c / 1000)) ms, rmmod $((unload_us / c / 1000)) ms with its retries), $total_moves moves, $in_flight unloaded with a task held, ${unload_retries:-0} rmmod retries"
[ "$done_cycles" -lt "$cycles" ] && tap_diag <<<"cycles: stopped at the $budget s budget"
tap_check "cycles: $done_cycles load/unload cycles under load (of $cycles asked, in at most $budget s), every load and unload succeeded" \
	test "$failed" = 0 -a "$done_cycles" -ge "$min_cycles"
tap_check "cycles: some unloaded with a task held ($in_flight of $done_cycles)" test "$in_flight" -gt 0
thread_masks >"$tmp/after"
stop_workloads
tap_check "cycles: every thread alive before has the CPUs it had" same_as_before
tap_check "cycles: the moved workload has every CPU" masks_are "$moved" "$all"
tap_check "cycles: no guarded thread ran outside its own mask, none left narrowed, no child left narrowed" \
	guard_ok guarded
# Where in the cycles each child without the mask asked for (counted
# as children_narrowed) was born: "cycle C
# loaded|unloading|unloaded +S s", S from insmod, rmmod or its end.
grep -o 'child [0-9]* has not the mask asked for: born at [0-9.]*' "$tmp/guarded" |
	awk 'NR == FNR { c[NR] = $1; l[NR] = $2; u[NR] = $3; e[NR] = $4; n = NR; next }
	     { b = $NF; p = "before the first cycle"
	       for (i = 1; i <= n; i++) {
		       if (b >= e[i]) { p = sprintf("in cycle %d unloaded +%.2f s", c[i], b - e[i]); continue }
		       if (b >= u[i]) p = sprintf("in cycle %d unloading +%.2f s", c[i], b - u[i])
		       else if (b >= l[i]) p = sprintf("in cycle %d loaded +%.2f s", c[i], b - l[i])
		       break
	       }
	       print "child " $2 " born " p }' "$tmp/cycle-times" - | head -20 | tap_diag
# What numamig did to them (pids may have been reused: see the times).
if [ -n "$trace_reader" ]; then
	for child in $(grep -o 'child [0-9]* has not the mask asked for' "$tmp/guarded" | awk '{ print $2 }' | head -20); do
		grep -E "pid=$child " "$tmp/trace" | tail -8 | sed "s/^/child $child: /" | tap_diag
	done
fi
tap_check "cycles: dmesg clean" dmesg_clean

readers_stop
tap_diag <<<"debugfs readers: $reads whole reads over $SECONDS s"
tap_finish
