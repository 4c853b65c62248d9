#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers shared by numamig_stress.sh and numamig_cycles.sh, sourced after
# lib.sh and workload_setup: snapshots of every thread's allowed CPUs and
# their checks, the guarded workload's verdict, load and unload with
# retries, and debugfs readers running all along. The caller sets $all
# (the online CPUs).

# insmod arguments of both tests: every busy task of 16 MB or more is a
# candidate at once and moves are held 1 s, so that holds begin and end
# all through a run. numa_workload's forked children (nw_child) map their
# parent's memory and would be moved on their own account; excluding them
# keeps "a child's mask is its parent's own" checkable.
params="mode=enforce min_rss_mb=16 min_cpu_permille=100 period_ms=100 hold_ms=1000 cooldown_ms=0 min_age_ms=0 max_moves=64 comm_exclude=nw_child"

# expand "0-2,5": one CPU a line
expand() { tr , '\n' <<<"$1" | awk -F- '{ for (i = $1; i <= ($2 == "" ? $1 : $2); i++) print i }'; }

# threads_of PID: "tid cpus" of each thread of PID.
threads_of() { awk -v g="$1" '$2 == g { print $1, $3 }' "$tmp/after"; }

# The threads alive before loading have the CPUs they had.
same_as_before() { masks_unchanged "$tmp/before" "$tmp/after"; }

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
	grep '^numa_workload: ' "$tmp/$1" | head -5 | tap_diag
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
		unload_retries=$((unload_retries + 1))
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
		# An open file pins the module: leave rmmod a chance.
		sleep 0.3
	done
}
# readers_start: two readers, disowned, so that stop_workloads' wait
# does not wait for them; readers_stop: stop them, $reads their total.
readers_start()
{
	local i
	readers=()
	for i in 1 2; do
		reader &
		readers+=($!)
		disown $!
	done
}

readers_stop()
{
	kill -TERM "${readers[@]}" 2>/dev/null
	counted() { [ "$(ls "$tmp"/reads.* 2>/dev/null | wc -l)" -ge ${#readers[@]} ]; }
	eventually 5 counted
	reads=$(cat "$tmp"/reads.* 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')
}

# phase_begin NAME: a fresh log mark and snapshot, the module loaded.
phase_begin()
{
	phase=$1
	shift
	phase_t0=$SECONDS
	dmesg_mark
	thread_masks >"$tmp/before"
	load "$@" || { tap_fail "$phase: insmod $params $*"; return 1; }
	mig0=0
}

# phase_end: unload, snapshot, stop the workloads, the common checks.
phase_end()
{
	local mig
	mig=$(stat_of migrations 2>/dev/null || echo 0)
	unload
	thread_masks >"$tmp/after"
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

# stress_ops FILE: "fork N clone N pthread N", bogo ops from --metrics-brief.
stress_ops()
{
	awk '$2 ~ /^(info|metrc):$/ && $4 ~ /^(fork|clone|pthread)$/ && $5 ~ /^[0-9]+$/ && !seen[$4]++ {
		printf "%s%s %s", n++ ? " " : "", $4, $5 }' "$tmp/$1"
}


# dmesg_clean, but a user-space fault ("traps: comm[pid] general
# protection fault ... in binary", which stress-ng's workers have shown
# under 10,000 threads) is the program's, not the kernel's: noted only.
dmesg_clean()
{
	local bad
	bad=$(dmesg_since_mark | grep -v '\] traps: ' | grep -E 'WARNING:|BUG:|Oops|Call Trace:|lockdep|possible (circular|recursive) locking|inconsistent lock state|sleeping function called from invalid context|KASAN|kmemleak|general protection|RCU stall|rcu_sched detected stall|UBSAN' || true)
	dmesg_since_mark | grep '\] traps: ' | head -3 | tap_diag
	[ -z "$bad" ] && return 0
	echo "$bad" | tap_diag
	return 1
}
