#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Decisions and migrations. In enforce mode a misplaced, memory-heavy,
# unpinned thread (its memory on the last node, started on node 0) and
# its memory are together within 5 s, with NUMA balancing off and on:
# numamig moved the thread (to the memory's node, or the nearest one with
# room), unless the kernel got there first; trace-cmd sees the decision
# and the move. A hold whose task's memory is still on its node is
# renewed at its end. A task pinned with taskset
# is never touched; a short-lived task is not moved; observe mode
# decides but changes no affinity; a bad mode is refused; a thread forked
# by a held one gets the held one's own CPUs; a user's taskset on a held
# thread wins; and after rmmod every thread's allowed CPUs are what they
# were before loading.

. "$(dirname "$0")/lib.sh"

require_env
numamig_unload

workload=$NUMAMIG_TOP/selftests/numamig/numa_workload
[ -x "$workload" ] || skip_all "$workload not built (make selftests)"
[ -f /proc/sys/kernel/numa_balancing ] || skip_all "kernel without NUMA balancing"

last=$(ls -d /sys/devices/system/node/node[0-9]* | sed 's/.*node//' | sort -n | tail -1)
pm=/sys/module/numamig/parameters
workload_setup

# together TID: most of TID's process memory is on the node TID runs on
# (numa_maps counts pages per node: N0=123 N1=45 ...).
together()
{
	local n
	n=$(node_of_tid "$1") || return 1
	awk -v n="$n" '{ for (i = 2; i <= NF; i++) if ($i ~ /^N[0-9]+=/) {
			split(substr($i, 2), kv, "="); all += kv[2]; if (kv[1] == n) here += kv[2] } }
		END { exit !(all && here * 10 >= all * 8) }' "/proc/$1/numa_maps"
}


tap_plan 28
dmesg_mark
all=$(cat /sys/devices/system/cpu/online)
# kernel.numa_balancing is switched only while no workload runs: the
# switch patches task_numa_fault() with int3, and under TCG a hinting
# fault racing that patch was seen to oops the guest.
sysctl -qw kernel.numa_balancing=0
thread_masks >"$tmp/before"
# This script's own polling (half a CPU in a TCG guest) runs on one node:
# not node 0, where workloads start, lest the load balancer move them
# away before numamig can; and not the memory's node if there is another,
# lest it take the room a moved task needs. Workloads start with every
# CPU.
workload_cpus=$all
shell_node=$((last > 1 ? 1 : last))
taskset -pc "$(node_cpus $shell_node)" $$ >/dev/null

if insmod "$NUMAMIG_KO" mode=enforce min_rss_mb=32 hold_ms=$(scaled 60000); then
	tap_ok "insmod mode=enforce min_rss_mb=32 hold_ms=$(scaled 60000)"
else
	tap_fail "insmod"
	tap_finish
fi

if echo bogus >"$pm/mode" 2>/dev/null; then
	tap_fail "mode=bogus is refused"
else
	tap_check "mode=bogus is refused, mode stays enforce" test "$(cat $pm/mode)" = enforce
fi

# start_misplaced NAME ARGS...: start_workload a misplaced unpinned
# thread and wait for numamig to decide to move it. An unpinned thread
# may be put beside its memory by the scheduler's load balancer before
# numamig is allowed to consider it (min_age_ms): numamig then finds it
# local, rightly, and the workload is stopped and started again, up to
# three times. Returns 1 (with a diagnostic) when every attempt was
# placed by the kernel, or a workload did not start.
start_misplaced()
{
	local name=$1 try
	shift
	for try in 1 2 3; do
		start_workload "$name" "$@" || return 1
		move_or_local() { decided "$tid" move || decided "$tid" local; }
		eventually 8 move_or_local
		decided "$tid" move && return 0
		echo "$name try $try: tid $tid found local on node $(node_of_tid "$tid") before a move" | tap_diag
		kill "${pids[-1]}" 2>/dev/null
		wait "${pids[-1]}" 2>/dev/null
		unset 'pids[-1]'
	done
	return 1
}

# A pinned task is never touched.
if start_workload pinned -m "$last" -r 0 -s 64 -t "$(scaled 60)"; then
	pinned_tid=$tid
	pinned_cpus=$(cpus_of "$tid")
	tap_check "a pinned task is seen as pinned" eventually 6 decided "$tid" pinned
	sleep 3
	tap_check "and is never touched (still $pinned_cpus, never a move)" \
		eval '[ "$(cpus_of "$pinned_tid")" = "$pinned_cpus" ] && ! decided "$pinned_tid" move'
else
	tap_fail "numa_workload (pinned) started"
	tap_skip "no workload"
fi

# moved NB: a misplaced unpinned thread is on node $last within 5 s, moved
# by numamig (with NUMA balancing on, NUMA balancing may move it first).
moved()
{
	local nb=$1 t0 mig0
	mig0=$(stat_of migrations)
	if ! start_workload "moved$nb" -m "$last" -r 0 -u -s 64 -t "$(scaled 60)"; then
		tap_fail "numa_balancing=$nb: numa_workload -u started"
		tap_skip "no workload"
		return 1
	fi
	# From "ready" (unpinned, memory faulted in), not from the start:
	# faulting 64 MB in takes seconds on the debug kernel.
	t0=$SECONDS
	# Together: numamig moved the thread to its memory's node (or, if
	# that lacked room, holds it on a nearer one), or the scheduler or
	# NUMA balancing (moving the thread or its memory) got there first.
	on_last() {
		local n held
		n=$(node_of_tid "$tid")
		held=$(field "$tid" held_node)
		together "$tid" || { [ "$held" = "$n" ] && [ "$n" != 0 ]; }
	}
	if eventually 5 on_last; then
		tap_ok "numa_balancing=$nb: a misplaced unpinned thread and its memory are together within $(scaled 5) s (seen after $((SECONDS - t0)) s, node $(node_of_tid "$tid"))"
	else
		{ grep -E "^ms_ago| $tid " "$NUMAMIG_DBG/decisions"
		  grep -E "^pid|^$tid " "$NUMAMIG_DBG/tasks"
		  cat "$NUMAMIG_DBG/nodes"
		  echo "node_of_tid $(node_of_tid "$tid") after $((SECONDS - t0)) s"; } | tap_diag
		tap_fail "numa_balancing=$nb: a misplaced unpinned thread and its memory are together within $(scaled 5) s"
	fi
	moved_by_us() {
		local held
		held=$(field "$tid" held_node)
		decided "$tid" move && [ "$(stat_of migrations)" -gt "$mig0" ] &&
		[ "$held" -ge 0 ] && [ "$(cpus_of "$tid")" = "$(node_cpus "$held")" ]
	}
	# Whether they are together at this instant is no evidence: with
	# NUMA balancing on, pages and an unpinned thread keep moving. What
	# says who did it is whether numamig ever decided to move it.
	if ! decided "$tid" move; then
		tap_skip "numa_balancing=$nb: the kernel put it with its memory first (on node $(node_of_tid "$tid"))"
	else
		eventually 2 moved_by_us ||
			{ grep -E "^ms_ago| $tid " "$NUMAMIG_DBG/decisions"
			  grep -E "^pid|^$tid " "$NUMAMIG_DBG/tasks"
			  grep -E "^(migrat|holds|release_)" "$NUMAMIG_DBG/stats"
			  echo "cpus $(cpus_of "$tid")"; } | tap_diag
		tap_check "numa_balancing=$nb: numamig moved it, narrowed to its target node's CPUs" \
			moved_by_us
	fi
}

# Each busy task takes a CPU, and a node may have only one: each check
# stops the workloads it started before the next begins.
stop_workloads

moved 0
stop_workloads

# A hold that ends while the task's memory is still best served from
# its node is renewed: with hold_ms at its floor, the task stays held
# there past several, each renewal counted and recorded ("held"), and
# no release.
echo "$(scaled 1000)" >"$pm/hold_ms"
ren0=$(stat_of hold_renewals)
if start_misplaced renew -m "$last" -r 0 -u -s 64 -t 0; then
	rn=$tid
	is_held() { [ "$(field "$rn" held_node)" -ge 0 ]; }
	renewed() { [ "$(stat_of hold_renewals)" -ge $((ren0 + 2)) ] && decided "$rn" held; }
	released() { awk -v t="$rn" '$2 == t && $7 ~ /^release:/ { f = 1 } END { exit !f }' "$NUMAMIG_DBG/decisions"; }
	if eventually 6 is_held && hn=$(field "$rn" held_node) &&
	   [ "$(field "$rn" best_node)" = "$hn" ]; then
		eventually 8 renewed ||
			{ grep -E "^ms_ago| $rn " "$NUMAMIG_DBG/decisions"
			  grep -E "^pid|^$rn " "$NUMAMIG_DBG/tasks"
			  grep -E "^(hold_renewals|holds|release_)" "$NUMAMIG_DBG/stats"; } | tap_diag
		tap_check "a held task whose memory stays on its node: the hold is renewed at each end (hold_ms $(scaled 1000), $(( $(stat_of hold_renewals) - ren0 )) renewals)" \
			renewed
		tap_check "and it is still held on node $hn, narrowed to its CPUs, never released" \
			eval '[ "$(field "$rn" held_node)" = "$hn" ] && [ "$(cpus_of "$rn")" = "$(node_cpus "$hn")" ] && ! released'
	else
		tap_skip "not held, or held on a node nearer than its memory's (no room there)"
		tap_skip "not held"
	fi
else
	tap_skip "the kernel put numa_workload with its memory first, three times"
	tap_skip "not held"
fi
stop_workloads
echo "$(scaled 60000)" >"$pm/hold_ms"

# A thread forked by a held thread inherits the narrowed mask: numamig
# gives it the held thread's own. And a user's taskset on a held thread
# wins: numamig forgets its hold and leaves the user's mask.
if start_misplaced family -m "$last" -r 0 -u -s 64 -t "$(scaled 60)" -c 6; then
	fam=$tid
	is_held() { [ "$(field "$fam" held_node)" -ge 0 ]; }
	child_seen() { grep -q '^child tid' "$tmp/family"; }
	if eventually 6 is_held && eventually 8 child_seen; then
		kid=$(sed -n 's/^child tid //p' "$tmp/family")
		kid_back() { [ "$(cpus_of "$kid")" = "$all" ] && [ "$(stat_of children_restored)" -ge 1 ]; }
		if eventually 3 kid_back; then
			tap_ok "a thread forked while its parent was held gets the parent's own CPUs back ($all)"
		else
			{ echo "child $kid cpus $(cpus_of "$kid") parent held on $(field "$fam" held_node)"
			  grep -E "^(children_restored|fork_overflow)" "$NUMAMIG_DBG/stats"; } | tap_diag
			tap_fail "a thread forked while its parent was held gets the parent's own CPUs back ($all)"
		fi
		user0=$(stat_of release_user_changed)
		taskset -pc "$(node_cpus 0)" "$fam" >/dev/null
		forgot() { [ "$(stat_of release_user_changed)" -gt "$user0" ] && [ "$(field "$fam" held_node)" = -1 ]; }
		tap_check "a user's taskset on a held thread: numamig forgets its hold" eventually 3 forgot
		sleep 2
		tap_check "and leaves the user's mask ($(node_cpus 0)), the thread now pinned" \
			eval '[ "$(cpus_of "$fam")" = "$(node_cpus 0)" ] && [ "$(field "$fam" verdict)" = pinned ]'
	else
		tap_skip "not held (the kernel put it with its memory first) or no child"
		tap_skip "not held"
		tap_skip "not held"
	fi
else
	tap_skip "the kernel put numa_workload -c with its memory first, three times"
	tap_skip "not held"
	tap_skip "not held"
fi
stop_workloads

# A burst of 200 threads from a held thread, as a thread pool starts:
# more forks at once than the fork slots hold (fork_overflow), and a
# grandchild forked by a child numamig does not hold. The sweep finds
# them all: none stays on the narrowed mask.
if start_misplaced burst -m "$last" -r 0 -u -s 64 -t "$(scaled 60)" -c 6 -n 200; then
	bt=$tid
	bpid=${pids[-1]}
	over0=$(stat_of fork_overflow)
	is_held() { [ "$(field "$bt" held_node)" -ge 0 ]; }
	burst_seen() { grep -q '^grandchild tid' "$tmp/burst"; }
	if eventually 6 is_held && eventually 8 burst_seen; then
		# "threads narrowed [tids]": one awk over every thread of the
		# workload but those numamig holds itself (the reading thread,
		# and the main thread too if it moved that one).
		narrowed_left()
		{
			{ awk 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
			       $c["held_node"] >= 0 { print "held", $1 }' "$NUMAMIG_DBG/tasks"
			  cat /proc/"$bpid"/task/*/status 2>/dev/null; } |
			awk -v all="$all" '$1 == "held" { held[$2] = 1; next }
				$1 == "Pid:" { p = $2 }
				$1 == "Cpus_allowed_list:" { n++; if (!(p in held) && $2 != all) { bad++; l = l " " p ":" $2 } }
				END { print n + 0, bad + 0, l }'
		}
		none_left() { set -- $(narrowed_left); [ "$1" -gt 200 ] && [ "$2" = 0 ]; }
		eventually 5 none_left ||
			{ echo "narrowed: $(narrowed_left); held $bt, main $bpid"
			  grep -E "^(children_|sweeps|fork_overflow|holds)" "$NUMAMIG_DBG/stats"; } | tap_diag
		# One look, both named and judged: a second one could see
		# the burst's threads already gone.
		set -- $(narrowed_left)
		tap_check "a burst of 200 threads (and a grandchild) from a held thread: none of the $1 threads numamig does not hold itself is left narrowed ($2 are; $(( $(stat_of fork_overflow) - over0 )) forks over the fork slots, $(stat_of children_swept) children found by a sweep)" \
			eval "[ $1 -gt 200 ] && [ $2 = 0 ]"
	else
		tap_skip "not held (the kernel put it with its memory first) or no burst"
	fi
else
	tap_skip "the kernel put numa_workload -c -n with its memory first, three times"
fi
stop_workloads

# A held task that starves on its new node gets its mask back: busy
# threads pinned to every CPU of that node, and starve_wait_us at its
# floor, 100 us.
if start_misplaced starver -m "$last" -r 0 -u -s 64 -t "$(scaled 60)"; then
	st=$tid
	is_held() { [ "$(field "$st" held_node)" -ge 0 ]; }
	if eventually 6 is_held; then
		hn=$(field "$st" held_node)
		ncpu=$(awk -F, '{ n = 0; for (i = 1; i <= NF; i++) { split($i, r, "-"); n += (r[2] == "" ? 1 : r[2] - r[1] + 1) } print n }' \
			/sys/devices/system/node/node"$hn"/cpulist)
		start_workload hogs -m "$hn" -r "$hn" -s 8 -t "$(scaled 60)" -T "$ncpu" || true
		echo 100 >"$pm/starve_wait_us"
		released() { decided "$st" release:starving; }
		if eventually 6 released; then
			tap_ok "a held task that starves on node $hn ($ncpu busy threads pinned there) is released"
		else
			{ grep -E "^ms_ago| $st " "$NUMAMIG_DBG/decisions"
			  grep -E "^pid|^$st " "$NUMAMIG_DBG/tasks"; } | tap_diag
			tap_fail "a held task that starves on node $hn ($ncpu busy threads pinned there) is released"
		fi
		echo 20000 >"$pm/starve_wait_us"
	else
		tap_skip "not held (the kernel put it with its memory first)"
	fi
else
	tap_skip "the kernel put the starver with its memory first, three times"
fi
stop_workloads

# RT and deadline tasks are left alone unless allow_rt=1.
# The reading thread alone is made SCHED_FIFO (its whole process would
# starve its own main thread on a one-CPU node), before numamig may
# consider it: min_age_ms is raised until then, since faulting in 64 MB
# can take longer than its 1 s on the debug kernel.
echo 3600000 >"$pm/min_age_ms"
rt=
command -v chrt >/dev/null && start_workload rt -m "$last" -r 0 -u -s 64 -t "$(scaled 60)" &&
	chrt -f -p 1 "$tid" && rt=$tid
echo 1000 >"$pm/min_age_ms"
if [ -n "$rt" ]; then
	tap_check "an RT (SCHED_FIFO) task is left alone" eventually 6 decided "$rt" realtime
	tap_check "and not moved" eval '[ "$(cpus_of "$rt")" = "$all" ] && ! decided "$rt" move'
else
	tap_skip "chrt not installed, or the RT workload did not start"
	tap_skip "no RT workload"
fi
stop_workloads

# trace-cmd: a new misplaced task, traced while numamig moves it.
if command -v trace-cmd >/dev/null; then
	# trace-cmd on the shell's node, lest its readers crowd node 0.
	taskset -c "$(node_cpus $shell_node)" \
		trace-cmd record -q -e numamig -o "$tmp/trace.dat" >/dev/null 2>&1 &
	tracer=$!
	sleep 2
	traced_ok=0
	# Until stopped: it is held_tid below, which must outlive the
	# minutes the next checks take on the debug kernel.
	start_misplaced traced -m "$last" -r 0 -u -s 64 -t 0 && traced_ok=1
	sleep 1
	kill -INT "$tracer"
	wait "$tracer"
	trace-cmd report -i "$tmp/trace.dat" >"$tmp/trace.txt" 2>/dev/null
	grep -q "numamig_decision:.*pid=$tid " "$tmp/trace.txt" ||
		{ head -5 "$tmp/trace.txt"; grep -E "^ms_ago| $tid " "$NUMAMIG_DBG/decisions"; } | tap_diag
	tap_check "trace-cmd captured numamig_decision events" grep -q "numamig_decision:.*pid=$tid " "$tmp/trace.txt"
	if [ $traced_ok = 1 ]; then
		grep -qE "numamig_migrate:.*pid=$tid from=[0-9]+ to=[0-9]+ " "$tmp/trace.txt" ||
			{ grep -E "pid=$tid " "$tmp/trace.txt" | tail -3
			  grep -E "^ms_ago| $tid " "$NUMAMIG_DBG/decisions"; } | tap_diag
		tap_check "trace-cmd captured the numamig_migrate event" grep -qE "numamig_migrate:.*pid=$tid from=[0-9]+ to=[0-9]+ " "$tmp/trace.txt"
	else
		tap_skip "the kernel put the traced task with its memory first, three times"
	fi
	held_tid=$tid
else
	tap_skip "trace-cmd not installed"
	tap_skip "trace-cmd not installed"
fi

# Short-lived: every task counts as young.
echo 3600000 >"$pm/min_age_ms"
mig0=$(stat_of migrations)
if start_workload young -m "$last" -r 0 -u -s 64 -t "$(scaled 60)"; then
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
obs_ok=0
start_misplaced observed -m "$last" -r 0 -u -s 64 -t "$(scaled 60)" && obs_ok=1
obs=$tid
if [ $obs_ok = 1 ]; then
	tap_ok "observe mode decides to move a misplaced task"
elif [ -n "$obs" ] && decided "$obs" local; then
	tap_skip "the kernel put the observed task with its memory first, three times"
else
	grep -E "^ms_ago| $obs " "$NUMAMIG_DBG/decisions" | tap_diag
	tap_fail "observe mode decides to move a misplaced task"
fi
sleep 1
tap_check "observe mode changes no affinity" eval '[ "$(cpus_of "$obs")" = "$all" ] && [ "$(stat_of migrations)" = "$mig0" ]'

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
taskset -pc "$all" $$ >/dev/null
thread_masks >"$tmp/after"
tap_check "after rmmod every thread has the CPUs it had before loading" \
	masks_unchanged "$tmp/before" "$tmp/after"
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
