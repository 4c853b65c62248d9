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
#  2. threads: 10,000 threads (many_threads) with every task watched, a
#     thread-creation storm beside, rmmod with all of them tracked;
#  3. cpuset: a workload in a cpuset whose CPUs change under it (cgroup
#     v2, else v1; skipped with a reason if the guest has neither);
#  4. hotplug: a held task's node has its CPUs taken offline and back,
#     three times (CPU 0 is left alone: it may not go offline);
#  5. cycles: load/unload cycles under load, each unloading at a random
#     point while moves are in flight;
#
# with readers of every debugfs file running all along. After each phase:
# no warning in the kernel log; every thread alive before loading has the
# CPUs it had; every workload thread has the mask it asked for, or its
# cpuset's (none left narrowed), children forked by held threads too;
# and no guarded thread ever ran on a CPU outside the mask it had asked
# for (numa_workload -g samples sched_getcpu() every page it reads).
# The number of load/unload cycles is NUMAMIG_STRESS_CYCLES, by default
# 200 on 6.12 with 2 nodes, 20 on the debug kernel, 50 elsewhere.

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
if [ -n "${NUMAMIG_STRESS_CYCLES:-}" ]; then
	cycles=$NUMAMIG_STRESS_CYCLES
elif [[ $(uname -r) == *numamig-debug* ]]; then
	cycles=20
elif [[ $(uname -r) == 6.12.* ]] && [ "$nodes" = 2 ]; then
	cycles=200
else
	cycles=50
fi
params="mode=enforce min_rss_mb=16 min_cpu_permille=100 period_ms=100 hold_ms=1000 cooldown_ms=0 min_age_ms=0 max_moves=64"
workload_setup
sysctl -qw kernel.numa_balancing=0

node_cpus() { cat "/sys/devices/system/node/node$1/cpulist"; }
# expand "0-2,5": one CPU a line
expand() { tr , '\n' <<<"$1" | awk -F- '{ for (i = $1; i <= ($2 == "" ? $1 : $2); i++) print i }'; }

# Every thread: "tid tgid cpus", one a line, sorted; one awk over all.
snapshot()
{
	cat /proc/[0-9]*/task/[0-9]*/status 2>/dev/null |
	awk '$1 == "Tgid:" { g = $2 } $1 == "Pid:" { p = $2 }
	     $1 == "Cpus_allowed_list:" { print p, g, $2 }' | sort
}

# threads_of PID: "tid cpus" of each thread of PID.
threads_of() { awk -v g="$1" '$2 == g { print $1, $3 }' "$tmp/after"; }

# The threads alive before loading have the CPUs they had (join on tid).
same_as_before()
{
	local changed
	changed=$(join "$tmp/before" "$tmp/after" | awk '$2 == $4 && $3 != $5')
	[ -z "$changed" ] && return 0
	echo "$changed" | head -20 | tap_diag
	return 1
}

# masks_are PID CPUS: every thread of PID is allowed exactly CPUS.
masks_are()
{
	local bad
	bad=$(threads_of "$1" | awk -v c="$2" '$2 != c')
	[ -z "$bad" ] && return 0
	echo "pid $1, expected $2: $(echo "$bad" | head -5 | tr '\n' ' ')" | tap_diag
	return 1
}

# guard_ok NAME: the guarded workload's summary line says nothing was
# violated or left narrowed.
guard_ok()
{
	local line
	line=$(grep '^guard ' "$tmp/$1")
	if [ -z "$line" ]; then
		tail -5 "$tmp/$1" | tap_diag
		return 1
	fi
	echo "$1: $line" | tap_diag
	awk '{ for (i = 2; i < NF; i += 2) v[$i] = $(i + 1) }
	     END { exit !(v["checks"] > 0 && v["violations"] == 0 &&
			  v["left_narrowed"] == 0 && v["children_narrowed"] == 0) }' <<<"$line"
}

load()
{
	insmod "$NUMAMIG_KO" $params "$@"
}

# unload: rmmod, retried while a debugfs reader holds a file open (an
# open file pins the module).
unload()
{
	local i
	for i in $(seq 100); do
		numamig_loaded || return 0
		rmmod numamig 2>/dev/null && return 0
		sleep 0.05
	done
	rmmod numamig
}

# Readers of every debugfs file, all along; each counts its whole reads.
reader()
{
	local n=0 f
	trap 'echo $n >"$tmp/reads.$BASHPID"; exit 0' TERM
	while :; do
		for f in "$NUMAMIG_DBG"/*; do
			cat "$f" >/dev/null 2>&1 && n=$((n + 1))
		done
		sleep 0.05
	done
}
# Disowned, so that stop_workloads' wait does not wait for them.
readers=()
for i in 1 2; do
	reader &
	readers+=($!)
	disown $!
done

# phase_begin NAME: a fresh log mark and snapshot, the module loaded.
phase_begin()
{
	phase=$1
	shift
	phase_t0=$SECONDS
	dmesg_mark
	snapshot >"$tmp/before"
	load "$@" || { tap_fail "$phase: insmod $params $*"; return 1; }
	mig0=0
}

# phase_end: unload, snapshot, stop the workloads, the common checks.
phase_end()
{
	local mig
	mig=$(stat_of migrations 2>/dev/null || echo 0)
	unload
	snapshot >"$tmp/after"
	stop_workloads
	tap_diag <<<"$phase: $mig moves, $((SECONDS - phase_t0)) s"
	tap_check "$phase: every thread alive before loading has the CPUs it had" same_as_before
	tap_check "$phase: dmesg clean" dmesg_clean
}

# start_bg NAME CMD...: a workload not reporting "ready".
start_bg()
{
	local name=$1
	shift
	"$@" >"$tmp/$name" 2>&1 &
	pids+=($!)
}

# user_churn PID SECONDS: the user changes PID's affinity with taskset,
# a random subset then every CPU again, every 0.3 s; ends on every CPU.
user_churn()
{
	local pid=$1 end=$((SECONDS + $2)) sub
	while [ $SECONDS -lt $end ]; do
		sub=$(expand "$all" | shuf -n $((1 + RANDOM % $(nproc))) | sort -n | paste -sd,)
		taskset -apc "$sub" "$pid" >/dev/null 2>&1
		sleep 0.1
		taskset -apc "$all" "$pid" >/dev/null 2>&1
		sleep 0.2
	done
	taskset -apc "$all" "$pid" >/dev/null 2>&1
}

stress_ops()
{
	sed -n 's/.*info: *\[[0-9]*\] *\(fork\|clone\|pthread\) *\([0-9]*\) .*/\1 \2/p' "$tmp/$1" |
		paste -sd' '
}

tap_plan 26

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

# 2. 10,000 threads, every task watched.
nthreads=${NUMAMIG_STRESS_THREADS:-10000}
tmax=$(sysctl -n kernel.threads-max)
[ "$tmax" -lt $((nthreads + 2000)) ] && sysctl -qw kernel.threads-max=$((nthreads + 2000))
phase_begin threads min_rss_mb=0 min_cpu_permille=0
start_workload guarded -m "$last" -r 0 -u -s 32 -T 2 -g -a 700 -t 0 || true
start_bg many "$sd/many_threads" -n "$nthreads" -t 0
many=${pids[-1]}
ready() { grep -q '^ready' "$tmp/many"; }
if eventually 150 ready; then
	tap_ok "threads: $nthreads threads created ($((SECONDS - phase_t0)) s)"
else
	tail -3 "$tmp/many" | tap_diag
	tap_fail "threads: $nthreads threads created"
fi
[ $have_stress = 1 ] && start_bg stress2 stress-ng --pthread 2 --pthread-max 64 --fork 1 --timeout 10s
tracked() { [ "$(stat_of tasks_tracked)" -ge "$nthreads" ]; }
eventually 60 tracked
tap_check "threads: numamig tracks them all ($(stat_of tasks_tracked) tasks, $(stat_of tasks_dropped) dropped)" tracked
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
	tap_diag <<<"hotplug: node $hn, CPUs ${off[*]} offline, task allowed $(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' /proc/$hot_tid/status), held on $(field "$hot_tid" held_node)"
	for c in "${off[@]}"; do
		echo 1 >"/sys/devices/system/cpu/cpu$c/online"
	done
done
tap_check "hotplug: $offlined CPUs taken offline and back over 3 rounds, $held_at_offline with the task held on their node" \
	test "$offlined" -gt 0
phase_end
tap_check "hotplug: the workload has every CPU after rmmod" masks_are "$hot" "$all"
tap_check "hotplug: it never ran outside its own mask" guard_ok hot

# 5. Load/unload cycles under load, unloading while moves are in flight.
dmesg_mark
snapshot >"$tmp/before"
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
t0=$SECONDS
for c in $(seq "$cycles"); do
	# Put the moved workload back on node 0, as the user would; with
	# every CPU allowed again, it is misplaced once more.
	taskset -pc "$(node_cpus 0)" "$moved_tid" >/dev/null
	taskset -pc "$all" "$moved_tid" >/dev/null
	if ! load; then
		failed=$((failed + 1))
		continue
	fi
	sleep "0.$(printf %03d $((RANDOM % 400)))"
	h=$(stat_of holds 2>/dev/null || echo 0)
	m=$(stat_of migrations 2>/dev/null || echo 0)
	[ "${h:-0}" -gt 0 ] && in_flight=$((in_flight + 1))
	total_moves=$((total_moves + ${m:-0}))
	unload || failed=$((failed + 1))
done
dt=$((SECONDS - t0))
tap_diag <<<"cycles: $cycles in $dt s ($((dt * 1000 / cycles)) ms each), $total_moves moves, $in_flight unloaded with a task held"
tap_check "cycles: $cycles load/unload cycles under load, every load and unload succeeded" test "$failed" = 0
tap_check "cycles: some unloaded with a task held ($in_flight of $cycles)" test "$in_flight" -gt 0
snapshot >"$tmp/after"
stop_workloads
tap_check "cycles: every thread alive before has the CPUs it had" same_as_before
tap_check "cycles: the moved workload has every CPU" masks_are "$moved" "$all"
tap_check "cycles: no guarded thread ran outside its own mask, none left narrowed, no child left narrowed" \
	guard_ok guarded
tap_check "cycles: dmesg clean" dmesg_clean

kill -TERM "${readers[@]}" 2>/dev/null
counted() { [ "$(ls "$tmp"/reads.* 2>/dev/null | wc -l)" -ge ${#readers[@]} ]; }
eventually 5 counted
reads=$(cat "$tmp"/reads.* 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')
tap_diag <<<"debugfs readers: ${reads:-0} whole reads over $SECONDS s"
tap_finish
