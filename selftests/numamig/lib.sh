#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers for numamig's kselftest-style tests: TAP output, skips, finding
# the module built for the running kernel, and the dmesg check.
# Source it; it sets NUMAMIG_TOP, NUMAMIG_KO and NUMAMIG_DBG.

ksft_skip=4

NUMAMIG_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
NUMAMIG_DBG=/sys/kernel/debug/numamig

_tap_n=0
_tap_fail=0
_tap_planned=0

tap_plan()
{
	_tap_planned=$1
	echo "TAP version 13"
	echo "1..$1"
}

tap_ok()
{
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n $*"
}

tap_fail()
{
	_tap_n=$((_tap_n + 1))
	_tap_fail=$((_tap_fail + 1))
	echo "not ok $_tap_n $*"
}

tap_skip()
{
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n # SKIP $*"
}

# tap_check DESC CMD...: one TAP result from a command's exit status.
tap_check()
{
	local desc=$1
	shift
	if "$@"; then
		tap_ok "$desc"
	else
		tap_fail "$desc"
	fi
}

tap_diag()
{
	sed 's/^/# /'
}

# tap_finish: fail for tests planned but never run, exit 1 if any failed.
tap_finish()
{
	while [ "$_tap_n" -lt "$_tap_planned" ]; do
		tap_fail "not run"
	done
	[ "$_tap_fail" -eq 0 ] && exit 0
	echo "# $_tap_fail of $_tap_n failed"
	exit 1
}

# skip_all REASON: the whole test cannot run here; kselftest's skip code.
skip_all()
{
	echo "TAP version 13"
	echo "1..0 # SKIP $*"
	exit $ksft_skip
}

# require_env: root, NUMA with at least two nodes, debugfs, the module.
require_env()
{
	[ "$(id -u)" -eq 0 ] || skip_all "must be root"
	local nodes
	nodes=$(ls -d /sys/devices/system/node/node[0-9]* 2>/dev/null | wc -l)
	[ "$nodes" -ge 2 ] || skip_all "needs NUMA with two nodes or more, found $nodes"
	[ -d /sys/kernel/debug ] || skip_all "debugfs not available"
	mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug ||
		skip_all "cannot mount debugfs"
	numamig_find_ko || skip_all "no numamig.ko built for $(uname -r) (make modules-all)"
}

# numamig_find_ko: NUMAMIG_KO, else the module built for this kernel.
numamig_find_ko()
{
	local cand
	for cand in "${NUMAMIG_KO:-}" "$NUMAMIG_TOP/build/$(uname -r)/module/numamig.ko" \
		    "$NUMAMIG_TOP/module/numamig.ko"; do
		[ -n "$cand" ] && [ -f "$cand" ] || continue
		if [ "$(modinfo -F vermagic "$cand" 2>/dev/null | cut -d' ' -f1)" = "$(uname -r)" ]; then
			NUMAMIG_KO=$cand
			return 0
		fi
	done
	return 1
}

numamig_loaded()
{
	[ -d /sys/module/numamig ]
}

numamig_unload()
{
	if numamig_loaded; then
		rmmod numamig
	fi
}

# dmesg_mark: start of this test's part of the kernel log.
dmesg_mark()
{
	_dmesg_marker="numamig-selftest-$$-$RANDOM"
	echo "<7>$_dmesg_marker" >/dev/kmsg
}

# dmesg_since_mark: the kernel log since dmesg_mark.
dmesg_since_mark()
{
	dmesg | sed -n "/$_dmesg_marker/,\$p"
}

# dmesg_clean: no warning, bug, oops or lockdep report since the mark.
# The out-of-tree taint notice on first load is expected.
dmesg_clean()
{
	local bad
	bad=$(dmesg_since_mark | grep -E 'WARNING:|BUG:|Oops|Call Trace:|lockdep|possible (circular|recursive) locking|inconsistent lock state|sleeping function called from invalid context|KASAN|kmemleak|general protection|RCU stall|rcu_sched detected stall|UBSAN' || true)
	[ -z "$bad" ] && return 0
	echo "$bad" | tap_diag
	return 1
}

# tracefs: where the trace events are (tracefs, else under debugfs).
tracefs=/sys/kernel/tracing
[ -d "$tracefs/events" ] || tracefs=/sys/kernel/debug/tracing

# stat_of NAME: one counter from the stats file.
stat_of()
{
	awk -v k="$1" '$1 == k { print $2; found = 1 } END { exit !found }' "$NUMAMIG_DBG/stats"
}

# Workload helpers: the caller sets $workload, calls workload_setup, and
# may set $workload_cpus to the CPU list workloads start with (default:
# the caller's own).

# workload_setup: $tmp, the array pids of workloads started, and an EXIT
# trap that stops them, unloads numamig, sets kernel.numa_balancing back
# to its default (1) once nothing runs, and removes $tmp.
workload_setup()
{
	tmp=$(mktemp -d)
	pids=()
	trap workload_cleanup EXIT
}

# stop_workloads: stop every workload started, and wait for them.
stop_workloads()
{
	[ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null
	wait 2>/dev/null
	pids=()
}

workload_cleanup()
{
	stop_workloads
	numamig_unload
	sysctl -qw kernel.numa_balancing=1
	rm -rf "$tmp"
}

# start_workload NAME ARGS...: run numa_workload, wait for "ready", set
# $tid to its first worker thread.
start_workload()
{
	local name=$1 i pre=()
	shift
	[ -n "${workload_cpus:-}" ] && pre=(taskset -c "$workload_cpus")
	"${pre[@]}" "$workload" "$@" >"$tmp/$name" 2>&1 &
	pids+=($!)
	for i in $(seq 100); do
		grep -q '^ready' "$tmp/$name" && break
		sleep 0.1
	done
	tid=$(sed -n 's/^ready pid [0-9]* tids \([0-9]*\).*/\1/p' "$tmp/$name")
	[ -n "$tid" ] || { cat "$tmp/$name" | tap_diag; return 1; }
}

# field TID NAME: a column of TID's line in `tasks`, found by its header.
field()
{
	awk -v tid="$1" -v f="$2" '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$1 == tid { print $col[f]; exit }' "$NUMAMIG_DBG/tasks"
}

# per_node TID NAME NODE: one node's value of a "a/b/..." column.
per_node()
{
	field "$1" "$2" | cut -d/ -f$(($3 + 1))
}

# NUMAMIG_TIME_SCALE: how many times a Debian kernel's times this guest
# is given (default 1). tools/debug-selftests sets it: under KASAN,
# lockdep and kmemleak a worker's pass, a fork or faulting memory in
# takes many times as long, and that kernel is run for its reports, not
# for the times a production kernel keeps. Every wait (eventually), every
# time bound a check judges and every workload's lifetime is scaled.
time_scale=${NUMAMIG_TIME_SCALE:-1}
if ! [[ $time_scale =~ ^[1-9][0-9]{0,2}$ ]]; then
	echo "lib.sh: NUMAMIG_TIME_SCALE wants a whole number from 1 to 999, not '$time_scale'" >&2
	exit 2
fi

# scaled SECONDS: SECONDS times NUMAMIG_TIME_SCALE.
scaled() { echo $(($1 * time_scale)); }

# wait_upto SECONDS CMD...: CMD succeeds within SECONDS, as given: for
# what may never happen, and is skipped then, where waiting longer on a
# slow kernel would only delay the skip.
wait_upto()
{
	local end=$((SECONDS + $1))
	shift
	while [ $SECONDS -lt $end ]; do
		"$@" 2>/dev/null && return 0
		sleep 0.3
	done
	"$@"
}

# eventually SECONDS CMD...: CMD succeeds within SECONDS (scaled).
eventually()
{
	local s=$1
	shift
	wait_upto $((s * time_scale)) "$@"
}

# node_of_tid TID: the node of the CPU TID last ran on.
node_of_tid()
{
	local cpu
	cpu=$(awk '{ print $39 }' "/proc/$1/stat") || return 1
	basename /sys/devices/system/cpu/cpu"$cpu"/node[0-9]* | sed 's/node//'
}

# cpus_of TID: its allowed CPUs, as a list.
cpus_of() { sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' "/proc/$1/status"; }

# thread_masks: every thread, "tid tgid cpus" one a line, sorted for
# join; one awk over all of them (10,000 threads in a stress test).
thread_masks()
{
	cat /proc/[0-9]*/task/[0-9]*/status 2>/dev/null |
	awk '$1 == "Tgid:" { g = $2 } $1 == "Pid:" { p = $2 }
	     $1 == "Cpus_allowed_list:" { print p, g, $2 }' | sort
}

# masks_unchanged BEFORE AFTER: every thread in both thread_masks files
# (same tid and tgid, so not a tid used again) has the CPUs it had; the
# first that do not are printed as diagnostics.
masks_unchanged()
{
	local changed

	changed=$(join "$1" "$2" | awk '$2 == $4 && $3 != $5')
	[ -z "$changed" ] && return 0
	echo "$changed" | head -20 | tap_diag
	return 1
}

# node_cpus NODE: the node's CPU list.
node_cpus() { cat "/sys/devices/system/node/node$1/cpulist"; }

# decided TID WHAT: a record in decisions says numamig decided WHAT for TID.
decided() { awk -v t="$1" -v w="$2" '$2 == t && $7 == w { f = 1 } END { exit !f }' "$NUMAMIG_DBG/decisions"; }
