#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Stress, with the module in enforce mode and a short hold (1 s, no
# cooldown, a 100 ms period) so that it moves tasks again and again:
#
#  1. storm: fork/exit and thread-creation storms (stress-ng) beside
#     misplaced workloads whose threads change their own affinity (the
#     user's taskset, from inside: numa_workload -a) and fork children
#     while numamig holds them (-f), and a workload whose affinity this
#     script changes with taskset while numamig moves it;
#  2. threads: 10,000 threads (many_threads; 1,000 on the debug kernel)
#     with every task watched, a thread-creation storm beside, rmmod with
#     all of them tracked;
#  3. cpuset: a workload in a cpuset whose CPUs change under it (cgroup
#     v2, else v1; skipped with a reason if the guest has neither);
#  4. hotplug: a held task's node has its CPUs taken offline and back,
#     three times (CPU 0 is left alone: it may not go offline);
#
# (load/unload cycles are numamig_cycles.sh), with readers of every
# debugfs file running all along. After each phase:
# no warning in the kernel log; every thread alive before loading has the
# CPUs it had; every workload thread has the mask it asked for, or its
# cpuset's (none left narrowed), children forked by held threads too;
# and no guarded thread ever ran on a CPU outside the mask it had asked
# for (numa_workload -g samples sched_getcpu() every page it reads).

. "$(dirname "$0")/lib.sh"

require_env
numamig_unload

sd=$NUMAMIG_TOP/selftests/numamig
workload=$sd/numa_workload
[ -x "$workload" ] && [ -x "$sd/many_threads" ] || skip_all "helpers not built (make selftests)"
[ -f /proc/sys/kernel/numa_balancing ] || skip_all "kernel without NUMA balancing"
have_stress=1
command -v stress-ng >/dev/null || have_stress=0

nodes=$(ls -d /sys/devices/system/node/node[0-9]* | wc -l)
last=$(ls -d /sys/devices/system/node/node[0-9]* | sed 's/.*node//' | sort -n | tail -1)
all=$(cat /sys/devices/system/cpu/online)
workload_setup
sysctl -qw kernel.numa_balancing=0

. "$sd/stress_lib.sh"
readers_start

tap_plan 20

# 1. Fork and thread storms, the user changing affinity.
storm_s=20
phase_begin storm
start_workload guarded -m "$last" -r 0 -u -s 32 -T 2 -g -a 700 -f 20 -t 0 ||
	tap_diag <<<"guarded workload did not start"
guarded=${pids[-1]}
start_workload churned -m "$last" -r 0 -u -s 32 -t 0 || true
churned=${pids[-1]}
if [ $have_stress = 1 ]; then
	start_bg stress stress-ng --fork 2 --clone 2 --clone-max 64 --pthread 2 --pthread-max 64 \
		--timeout "${storm_s}s" --metrics-brief
fi
user_churn "$churned" "$storm_s"
moves=$(stat_of migrations)
forks=$(stat_of sched_process_fork)
tap_check "storm: numamig moved tasks ($moves moves, $forks forks seen, $(stat_of children_restored) children given their CPUs back)" \
	test "${moves:-0}" -gt 0
[ $have_stress = 1 ] && wait "${pids[-1]}"
phase_end
if [ $have_stress = 1 ]; then
	tap_diag <<<"stress-ng: $(stress_ops stress)"
else
	tap_diag <<<"stress-ng not installed: storms from numa_workload -f only"
fi
tap_check "storm: the user's taskset stays: every thread of the churned workload has every CPU" \
	masks_are "$churned" "$all"
tap_check "storm: no guarded thread ran outside its own mask, none left narrowed, no child left narrowed" \
	guard_ok guarded

# 2. Thousands of threads, every task watched:
# 10,000 within 150 s; 1,000 within 300 s on the debug kernel, where
# KASAN and lockdep make each thread's creation and exit many times
# slower (2,000 took more than 150 s there).
create_s=150
if [ -n "${NUMAMIG_STRESS_THREADS:-}" ]; then
	nthreads=$NUMAMIG_STRESS_THREADS
elif [[ $(uname -r) == *numamig-debug* ]]; then
	nthreads=1000
	create_s=300
else
	nthreads=10000
fi
tmax=$(sysctl -n kernel.threads-max)
[ "$tmax" -lt $((nthreads + 2000)) ] && sysctl -qw kernel.threads-max=$((nthreads + 2000))
phase_begin threads min_rss_mb=0 min_cpu_permille=0
start_workload guarded -m "$last" -r 0 -u -s 32 -T 2 -g -a 700 -t 0 || true
start_bg many "$sd/many_threads" -n "$nthreads" -t 0
many=${pids[-1]}
ready() { grep -q '^ready' "$tmp/many"; }
if eventually "$create_s" ready; then
	tap_ok "threads: $nthreads threads created ($((SECONDS - phase_t0)) s)"
else
	tail -3 "$tmp/many" | tap_diag
	tap_fail "threads: $nthreads threads created within $create_s s"
fi
[ $have_stress = 1 ] && start_bg stress2 stress-ng --pthread 2 --pthread-max 64 --fork 1 --timeout 10s
tracked() { [ "$(stat_of tasks_tracked)" -ge "$nthreads" ]; }
eventually 60 tracked
tap_check "threads: numamig tracks them all ($(stat_of tasks_tracked) tasks, $(stat_of tasks_dropped) dropped)" tracked
tap_diag <<<"threads: fork_overflow $(stat_of fork_overflow), children_restored $(stat_of children_restored), children_swept $(stat_of children_swept), sweeps $(stat_of sweeps), holds $(stat_of holds)"
sleep 5
[ $have_stress = 1 ] && wait "${pids[-1]}"
phase_end
tap_check "threads: the $nthreads threads have every CPU after rmmod" masks_are "$many" "$all"
tap_check "threads: no guarded thread ran outside its own mask, none left narrowed" guard_ok guarded
sysctl -qw kernel.threads-max="$tmax"

# 3. A cpuset changing under a workload.
cg=
cpuset_setup()
{
	mkdir -p "$tmp/cg"
	if grep -qw cgroup2 /proc/filesystems && mount -t cgroup2 none "$tmp/cg" 2>/dev/null; then
		if grep -qw cpuset "$tmp/cg/cgroup.controllers" &&
		   echo +cpuset >"$tmp/cg/cgroup.subtree_control" 2>/dev/null; then
			cg=$tmp/cg/numamig_stress
			mkdir "$cg" && cs_cpus=cpuset.cpus && cs_eff=cpuset.cpus.effective &&
				cs_procs=cgroup.procs && cg_kind=v2 && return 0
		fi
		umount "$tmp/cg"
	fi
	if mount -t cgroup -o cpuset none "$tmp/cg" 2>/dev/null; then
		cg=$tmp/cg/numamig_stress
		mkdir "$cg" && cat "$tmp/cg/cpuset.mems" >"$cg/cpuset.mems" &&
			cat "$tmp/cg/cpuset.cpus" >"$cg/cpuset.cpus" &&
			cs_cpus=cpuset.cpus && cs_eff=cpuset.effective_cpus &&
			cs_procs=cgroup.procs && cg_kind=v1 && return 0
		umount "$tmp/cg"
	fi
	cg=
	return 1
}
cpuset_teardown()
{
	[ -n "$cg" ] || return 0
	gone() { rmdir "$cg" 2>/dev/null || [ ! -d "$cg" ]; }
	eventually 5 gone
	umount "$tmp/cg" 2>/dev/null
}
if cpuset_setup; then
	phase_begin cpuset
	# The workload starts inside the cpuset: a subshell joins it, then execs.
	(echo $BASHPID >"$cg/$cs_procs" && exec "$workload" -m "$last" -r 0 -u -s 32 -g -t 0) \
		>"$tmp/incg" 2>&1 &
	pids+=($!)
	incg=$!
	# Its mask is read once it runs: the cpuset changes start after, so
	# that what it asks for is every CPU, not the cpuset of the moment.
	incg_ready() { grep -q '^ready' "$tmp/incg"; }
	eventually 20 incg_ready || tail -3 "$tmp/incg" | tap_diag
	n0=$(node_cpus 0)
	nl=$(node_cpus "$last")
	changes=0
	end=$((SECONDS + 12))
	while [ $SECONDS -lt $end ]; do
		for c in "$all" "$n0" "$all" "$nl" "$all" "$n0,$nl"; do
			echo "$c" >"$cg/$cs_cpus" && changes=$((changes + 1))
			sleep 0.3
		done
	done
	echo "$all" >"$cg/$cs_cpus"
	moves=$(stat_of migrations)
	tap_diag <<<"cpuset ($cg_kind): $changes changes of cpuset.cpus, $moves moves"
	eff=$(cat "$cg/$cs_eff")
	phase_end
	tap_check "cpuset: the workload's threads have its cpuset's CPUs ($eff) after rmmod" masks_are "$incg" "$eff"
	tap_check "cpuset: no guarded thread ran outside its own mask, none left narrowed" guard_ok incg
	cpuset_teardown
else
	reason="no cpuset controller (cgroup2 or v1) in this kernel"
	for i in 1 2 3 4; do tap_skip "cpuset: $reason"; done
fi

# 4. A held task's node goes offline and comes back: all its CPUs twice
# (the scheduler then gives the task every CPU, which numamig must take
# for the user's doing), then one of them (the task stays on the others,
# and numamig must still know the mask it set as its own).
phase_begin hotplug
start_workload hot -m "$last" -r 0 -u -s 32 -g -t 0 || true
hot=${pids[-1]}
hot_tid=$tid
offlined=0
held_at_offline=0
for how in all all one; do
	held() { [ "$(field "$hot_tid" held_node)" -ge 0 ] 2>/dev/null; }
	if eventually 8 held; then
		hn=$(field "$hot_tid" held_node)
		held_at_offline=$((held_at_offline + 1))
	else
		hn=$last
	fi
	off=()
	for c in $(expand "$(node_cpus "$hn")"); do
		[ -w "/sys/devices/system/cpu/cpu$c/online" ] || continue
		[ "$how" = one ] && [ $(expand "$(node_cpus "$hn")" | wc -l) -lt 2 ] && break
		echo 0 >"/sys/devices/system/cpu/cpu$c/online" && off+=("$c")
		[ "$how" = one ] && break
	done
	offlined=$((offlined + ${#off[@]}))
	runs=$(stat_of worker_runs)
	more_runs() { [ "$(stat_of worker_runs)" -gt $((runs + 3)) ]; }
	eventually 5 more_runs || tap_diag <<<"worker stalled with CPUs ${off[*]} offline"
	tap_diag <<<"hotplug: node $hn, CPUs ${off[*]} offline, task allowed $(cpus_of "$hot_tid"), held on $(field "$hot_tid" held_node)"
	for c in "${off[@]}"; do
		echo 1 >"/sys/devices/system/cpu/cpu$c/online"
	done
done
tap_check "hotplug: $offlined CPUs taken offline and back over 3 rounds, $held_at_offline with the task held on their node" \
	test "$offlined" -gt 0
phase_end
tap_check "hotplug: the workload has every CPU after rmmod" masks_are "$hot" "$all"
tap_check "hotplug: it never ran outside its own mask" guard_ok hot

readers_stop
tap_diag <<<"debugfs readers: $reads whole reads over $SECONDS s"
tap_finish
