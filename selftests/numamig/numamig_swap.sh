#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Swaps. Every CPU busy, NUMA balancing off: pinned fillers, one per CPU,
# on every CPU but one of nodes 0 and 1 and on every CPU of any other
# node, each with its memory on another node (misplaced, but pinned);
# task A on node 0's free CPU with its memory on node 1, task B on node
# 1's with its memory on node 0. No node has room for a single move.
# In observe mode numamig pairs A and B (verdict swapped, each naming the
# other as partner) and changes no affinity; in enforce mode, within 5 s,
# A runs on node 1 and B on node 0, both held there, each numamig_migrate
# trace event names the other as partner, and the pinned fillers never
# moved nor were ever paired. When B exits, A's hold ends with B's
# (release:partner) and A gets its own CPUs back. After rmmod every
# thread has the CPUs it had before loading.

. "$(dirname "$0")/lib.sh"

require_env
numamig_unload

workload=$NUMAMIG_TOP/selftests/numamig/numa_workload
[ -x "$workload" ] || skip_all "$workload not built (make selftests)"
[ -f /proc/sys/kernel/numa_balancing ] || skip_all "kernel without NUMA balancing"

pm=/sys/module/numamig/parameters
workload_setup

cpu_of_tid() { awk '{ print $39 }' "/proc/$1/stat"; }
# cpus_in NODE: the node's CPUs, one a line.
cpus_in()
{
	tr ',' '\n' <"/sys/devices/system/node/node$1/cpulist" |
		awk -F- '$1 != "" { for (c = $1; c <= ($2 == "" ? $1 : $2); c++) print c }'
}
# swapped_with TID PARTNER: a decision "swapped" for TID names PARTNER.
swapped_with()
{
	awk -v t="$1" -v p="$2" '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$2 == t && $7 == "swapped" && $col["partner"] == p { f = 1 }
		END { exit !f }' "$NUMAMIG_DBG/decisions"
}
diag_pair()
{
	{ grep -E "^ms_ago| $a | $b " "$NUMAMIG_DBG/decisions" | tail -12
	  grep -E "^pid|^$a |^$b " "$NUMAMIG_DBG/tasks"
	  cat "$NUMAMIG_DBG/nodes"
	  grep -E "^(migrations|swaps|swap_evaluations|holds|verdict_swapped|verdict_no_capacity|release_partner) " "$NUMAMIG_DBG/stats"
	  echo "A $a on node $(node_of_tid "$a") cpus $(cpus_of "$a"); B $b on node $(node_of_tid "$b") cpus $(cpus_of "$b")"; } | tap_diag
}

nodes=($(ls -d /sys/devices/system/node/node[0-9]* | sed 's/.*node//' | sort -n))
nr_nodes=${#nodes[@]}
all=$(cat /sys/devices/system/cpu/online)

# Workloads start with every CPU, whatever this shell is pinned to.
workload_cpus=$all

tap_plan 11
dmesg_mark
# Switched only while nothing runs: see numamig_migrate.sh.
sysctl -qw kernel.numa_balancing=0
thread_masks >"$tmp/before"

if insmod "$NUMAMIG_KO" mode=observe min_rss_mb=32 hold_ms=$(scaled 60000); then
	tap_ok "insmod mode=observe min_rss_mb=32 hold_ms=$(scaled 60000)"
else
	tap_fail "insmod"
	tap_finish
fi

# Fillers: one per CPU, pinned to it, memory on the paired node (node
# n's filler on node n xor 1, or node 0 for a last odd node).
fillers=()
filler_cpu=()
for n in "${nodes[@]}"; do
	mem=$((n ^ 1))
	[ -d /sys/devices/system/node/node$mem ] || mem=0
	skip=$([ "$n" -le 1 ] && echo 1 || echo 0)
	for c in $(cpus_in "$n"); do
		if [ "$skip" = 1 ]; then
			# the last CPU of nodes 0 and 1 is for A and B
			[ "$c" = "$(cpus_in "$n" | tail -1)" ] && continue
		fi
		if start_workload "filler$c" -m "$mem" -r "$n" -p "$c" -s 32 -t 0; then
			fillers+=("$tid")
			filler_cpu+=("$c")
		else
			tap_fail "filler on CPU $c started"
			tap_finish
		fi
	done
done
# This script's own polling shares a filler's CPU, lest it take time
# from A or B (and with it the room their CPU use measures).
[ ${#filler_cpu[@]} -gt 0 ] && taskset -pc "${filler_cpu[0]}" $$ >/dev/null

if start_workload b -m 0 -r 1 -u -s 64 -t 0; then
	b=$tid
	b_pid=${pids[-1]}
else
	tap_fail "task B started"
	tap_finish
fi
if start_workload a -m 1 -r 0 -u -s 64 -t 0; then
	a=$tid
else
	tap_fail "task A started"
	tap_finish
fi
tap_diag <<EOF
$nr_nodes nodes, CPUs $all; fillers ${fillers[*]} on CPUs ${filler_cpu[*]}; A $a (memory node 1, on node 0), B $b (memory node 0, on node 1)
EOF

# Observe: paired, each naming the other; nothing moved.
paired() { swapped_with "$a" "$b" && swapped_with "$b" "$a"; }
if eventually 12 paired; then
	tap_ok "observe: A and B are paired (swapped, each the other's partner)"
else
	diag_pair
	tap_fail "observe: A and B are paired (swapped, each the other's partner)"
fi
tap_check "observe: no affinity changed, nothing migrated" \
	eval '[ "$(cpus_of "$a")" = "$all" ] && [ "$(cpus_of "$b")" = "$all" ] && [ "$(stat_of migrations)" = 0 ]'

# Enforce: both move in one pass, traced with their partner.
echo 1 >"$tracefs/events/numamig/numamig_migrate/enable" 2>/dev/null
echo >"$tracefs/trace" 2>/dev/null
ns0=$(date +%s%N)
echo enforce >"$pm/mode"
exchanged()
{
	[ "$(node_of_tid "$a")" = 1 ] && [ "$(node_of_tid "$b")" = 0 ] &&
	[ "$(field "$a" held_node)" = 1 ] && [ "$(field "$b" held_node)" = 0 ]
}
# Judged by when numamig made the swap (its decision's time), not by
# when this shell, slowed by sharing a CPU under TCG (a poll can take
# over a second; the debug kernel's polls have taken 15 s to see it),
# saw it: the state is checked for up to 30 s.
if eventually 30 exchanged; then
	ago=$(awk -v t="$a" '$2 == t && $7 == "swapped" { x = $1 } END { print x + 0 }' "$NUMAMIG_DBG/decisions")
	# Taken after the read, so a slow awk can only make "after" longer.
	now_ms=$(($(date +%s%N) / 1000000))
	after=$((now_ms - ns0 / 1000000 - ago))
	seen=$((now_ms - ns0 / 1000000))
	if [ "$after" -le "$(scaled 5000)" ]; then
		tap_ok "enforce: within $(scaled 5) s A runs on node 1 and B on node 0, both held (swapped $after ms after mode=enforce, seen after $seen ms)"
	else
		diag_pair
		tap_fail "enforce: within $(scaled 5) s A runs on node 1 and B on node 0, both held (swapped $after ms after mode=enforce)"
	fi
else
	diag_pair
	tap_fail "enforce: within $(scaled 5) s A runs on node 1 and B on node 0, both held"
fi
tap_check "each narrowed to its new node's CPUs; stats count the swap" \
	eval '[ "$(cpus_of "$a")" = "$(node_cpus 1)" ] && [ "$(cpus_of "$b")" = "$(node_cpus 0)" ] &&
	      [ "$(stat_of swaps)" -ge 1 ] && [ "$(stat_of verdict_swapped)" -ge 2 ]'
traced()
{
	grep -qE "numamig_migrate:.* pid=$a from=0 to=1 .*partner=$b\$" "$tracefs/trace" &&
	grep -qE "numamig_migrate:.* pid=$b from=1 to=0 .*partner=$a\$" "$tracefs/trace"
}
if [ -f "$tracefs/events/numamig/numamig_migrate/enable" ]; then
	eventually 2 traced || grep numamig_migrate "$tracefs/trace" | tap_diag
	tap_check "numamig_migrate events name each one's partner" traced
else
	tap_skip "no tracefs numamig events"
fi
echo 0 >"$tracefs/events/numamig/numamig_migrate/enable" 2>/dev/null

# The fillers: still on their one CPU, never paired or moved.
bad=
for i in "${!fillers[@]}"; do
	f=${fillers[$i]}
	c=${filler_cpu[$i]}
	if [ "$(cpus_of "$f")" != "$c" ] || [ "$(cpu_of_tid "$f")" != "$c" ] ||
	   decided "$f" swapped || decided "$f" move; then
		bad="$bad $f(cpu $c: allowed $(cpus_of "$f"), on $(cpu_of_tid "$f"))"
	fi
done
if [ -z "$bad" ]; then
	tap_ok "the pinned fillers never moved and were never paired"
else
	echo "$bad" | tap_diag
	tap_fail "the pinned fillers never moved and were never paired"
fi
seen_pinned() { decided "${fillers[0]}" pinned; }
if [ ${#fillers[@]} -gt 0 ]; then
	tap_check "a filler is seen, as pinned" eventually 3 seen_pinned
else
	tap_skip "no filler: one CPU per node on nodes 0 and 1 only"
fi

# B exits: A's hold ends with it, A gets its own CPUs back. No time
# is promised beyond the worker's next pass; 30 s as above, for the
# debug kernel, where one poll of this shell can take seconds.
partner0=$(stat_of release_partner)
kill "$b_pid" 2>/dev/null
given_back() { [ "$(stat_of release_partner)" -gt "$partner0" ] && [ "$(cpus_of "$a")" = "$all" ] && decided "$a" release:partner; }
if eventually 30 given_back; then
	tap_ok "B exits: A's hold ends with it (release:partner), A has all CPUs again"
else
	diag_pair
	tap_fail "B exits: A's hold ends with it (release:partner), A has all CPUs again"
fi

stop_workloads
numamig_unload
taskset -pc "$all" $$ >/dev/null
thread_masks >"$tmp/after"
tap_check "after rmmod every thread has the CPUs it had before loading" \
	masks_unchanged "$tmp/before" "$tmp/after"
tap_check "dmesg clean" dmesg_clean
tap_finish
