#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# numamig beside the kernel's own placers and the administrator's
# wishes:
#  - scope: comm_include, comm_exclude, cgroup_include, cgroup_exclude
#    refuse bad values (at load and at run time) and keep the old one; a
#    task out of scope is excluded and never moved; a held task that
#    leaves the scope gets its own CPUs back;
#  - cpusets: a task in a one-node cpuset is left alone; changing the
#    cpuset of a held task wins, and no narrowed mask remains;
#  - NUMA balancing on: the kernel's own NUMA move of a task (made to
#    happen with numa_workload -B, two tasks each on the other's memory
#    node) is seen for that task, and numamig then decides no move for
#    it; off: no kernel NUMA move is seen and numamig decides the move;
#  - numad: the real daemon is detected, in stats and once in the log,
#    and so is its going.

. "$(dirname "$0")/lib.sh"

require_env
numamig_unload

nw=$NUMAMIG_TOP/selftests/numamig/numa_workload
[ -x "$nw" ] || skip_all "$nw not built (make selftests)"
[ -f /proc/sys/kernel/numa_balancing ] || skip_all "kernel without NUMA balancing"

cg=/sys/fs/cgroup
if ! grep -q cgroup2 /proc/filesystems; then
	skip_all "kernel without cgroup v2"
fi
mountpoint -q $cg || mount -t cgroup2 none $cg || skip_all "cannot mount cgroup2 on $cg"
grep -qw cpuset $cg/cgroup.controllers || skip_all "no cpuset controller in cgroup v2"

last=$(ls -d /sys/devices/system/node/node[0-9]* | sed 's/.*node//' | sort -n | tail -1)
pm=/sys/module/numamig/parameters
workload=$nw
workload_setup
all=$(cat /sys/devices/system/cpu/online)
top=$cg/numamig-test

coexist_cleanup()
{
	local d
	[ -n "${numad_pid:-}" ] && kill "$numad_pid" 2>/dev/null
	workload_cleanup
	for d in a b one wide; do
		rmdir "$top/$d" 2>/dev/null
	done
	rmdir "$top" 2>/dev/null
}
trap coexist_cleanup EXIT

verdict_is() { [ "$(field "$1" verdict)" = "$2" ]; }
is_held() { [ "$(field "$1" held_node)" -ge 0 ] 2>/dev/null; }
show()
{
	{ grep -E "^ms_ago| $1 " "$NUMAMIG_DBG/decisions" | tail -8
	  grep -E "^pid|^$1 " "$NUMAMIG_DBG/tasks"
	  echo "cpus $(cpus_of "$1") node $(node_of_tid "$1")"; } | tap_diag
}

# A copy of numa_workload under another name: its comm is that name.
cp "$nw" "$tmp/nw_excl"
cp "$nw" "$tmp/nw_incl"
# in-cgroup CGROUP CMD...: CMD, started in CGROUP (and so all its threads).
cat >"$tmp/in-cgroup" <<'EOF'
#!/bin/sh
echo $$ >"$1/cgroup.procs" || exit 1
shift
exec "$@"
EOF
chmod +x "$tmp/in-cgroup"

echo +cpuset >$cg/cgroup.subtree_control
mkdir -p $top
echo +cpuset >$top/cgroup.subtree_control
mkdir -p $top/a $top/b $top/one $top/wide

tap_plan 28
dmesg_mark
sysctl -qw kernel.numa_balancing=0
# The test's polling stays off node 0, where workloads start.
shell_node=$((last > 1 ? 1 : last))
taskset -pc "$(node_cpus $shell_node)" $$ >/dev/null
workload_cpus=$all

# --- scope parameters: validation -------------------------------------
if insmod "$NUMAMIG_KO" cgroup_include=numamig-test 2>/dev/null; then
	tap_fail "insmod cgroup_include=numamig-test (relative) is refused"
	numamig_unload
else
	tap_check "insmod cgroup_include=numamig-test (relative) is refused, nothing loaded" \
		eval '! numamig_loaded && dmesg_since_mark | grep -q "cgroup_include: entry 1 .numamig-test.: not an absolute"'
fi

if insmod "$NUMAMIG_KO" mode=enforce min_rss_mb=32 hold_ms=$(scaled 60000) comm_exclude=nw_excl; then
	tap_check "insmod comm_exclude=nw_excl: the list reads back" test "$(cat $pm/comm_exclude)" = nw_excl
else
	tap_fail "insmod mode=enforce comm_exclude=nw_excl"
	tap_finish
fi

# refused PARAM VALUE MESSAGE: writing VALUE fails, the old value stays,
# and the kernel log says why.
refused()
{
	local p=$1 v=$2 msg=$3 before
	before=$(cat "$pm/$p")
	if echo "$v" >"$pm/$p" 2>/dev/null; then
		tap_fail "$p='${v:0:40}' is refused"
		return
	fi
	if [ "$(cat "$pm/$p")" = "$before" ] &&
	   dmesg_since_mark | grep -q "numamig: $p: .*$msg"; then
		tap_ok "$p='${v:0:40}' is refused ($msg), '$before' stays"
	else
		dmesg_since_mark | grep "numamig: $p" | tail -2 | tap_diag
		tap_fail "$p='${v:0:40}' is refused ($msg), '$before' stays"
	fi
}
refused comm_exclude 'a*b' "only allowed at the end"
refused comm_exclude "$(seq -s, 17 | sed 's/[0-9]*/c&/g')" "more than 16 entries"
refused comm_include 'averyveryverylongname' "longer than 15"
refused cgroup_include 'numamig-test/a' "not an absolute"
refused cgroup_exclude '/numamig-test//a' "empty component"
refused cgroup_exclude "$(printf '/x%.0s' $(seq 600))" "longer than 1024"

# --- scope by command name -----------------------------------------------
if start_workload excl -m "$last" -r 0 -u -s 64 -t "$(scaled 60)" && excl=$tid &&
   workload=$tmp/nw_excl start_workload excl2 -m "$last" -r 0 -u -s 64 -t "$(scaled 60)"; then
	ex=$tid
	if eventually 10 verdict_is "$ex" excluded; then
		tap_ok "comm_exclude=nw_excl: a task named nw_excl is excluded"
	else
		show "$ex"
		tap_fail "comm_exclude=nw_excl: a task named nw_excl is excluded"
	fi
	# The other one, named numa_workload, is in scope: numamig holds it
	# (or the scheduler put it with its memory: then it is local).
	in_scope() { is_held "$excl" || verdict_is "$excl" local; }
	eventually 10 in_scope || show "$excl"
	sleep 2
	tap_check "and never moved, while numa_workload beside it is moved" \
		eval 'in_scope && [ "$(cpus_of "$ex")" = "$all" ] && ! decided "$ex" move && ! is_held "$ex"'
else
	tap_fail "numa_workload and nw_excl started"
	tap_skip "no workload"
fi
stop_workloads

echo >"$pm/comm_exclude"
echo 'nw_in*' >"$pm/comm_include"
# nw_incl first, alone, so that nothing else takes the room it is to move
# to; then one out of scope, pinned to node 0 (excluded is decided before
# pinned) so that the load balancer leaves nw_incl where numamig put it.
if workload=$tmp/nw_incl start_workload incl -m "$last" -r 0 -u -s 64 -t "$(scaled 60)"; then
	inc=$tid
	held=0
	if eventually 10 is_held "$inc"; then
		held=1
		tap_ok "comm_include=nw_in*: nw_incl is moved (held on node $(field "$inc" held_node))"
	else
		show "$inc"
		tap_skip "nw_incl not held (the scheduler put it with its memory first)"
	fi
	if start_workload other -m "$last" -r 0 -s 64 -t "$(scaled 60)"; then
		other=$tid
		tap_check "and a task not named so is excluded" eventually 10 verdict_is "$other" excluded
	else
		tap_fail "numa_workload (other) started"
	fi
	if [ $held = 1 ]; then
		echo nw_incl >"$pm/comm_exclude"
		given_back() {
			decided "$inc" release:excluded && [ "$(cpus_of "$inc")" = "$all" ] &&
			! is_held "$inc" && verdict_is "$inc" excluded
		}
		eventually 6 given_back || show "$inc"
		tap_check "a held task that comm_exclude then names gets its own CPUs back ($all)" given_back
	else
		tap_skip "not held"
	fi
else
	tap_fail "nw_incl started"
	tap_skip "no workload"
	tap_skip "no workload"
fi
stop_workloads
echo >"$pm/comm_include"
echo >"$pm/comm_exclude"

# --- scope by cgroup ------------------------------------------------------
echo /numamig-test/a >"$pm/cgroup_exclude"
if workload=$tmp/in-cgroup start_workload cga $top/a "$nw" -m "$last" -r 0 -u -s 64 -t "$(scaled 60)" &&
   a=$tid && workload=$tmp/in-cgroup start_workload cgb $top/b "$nw" -m "$last" -r 0 -u -s 64 -t "$(scaled 60)"; then
	b=$tid
	tap_check "cgroup_exclude=/numamig-test/a: a task in that cgroup is excluded" \
		eventually 10 verdict_is "$a" excluded
	if eventually 10 is_held "$b"; then
		tap_ok "and one in /numamig-test/b is moved (held on node $(field "$b" held_node))"
		echo /numamig-test >"$pm/cgroup_exclude"
		given_back() {
			decided "$b" release:excluded && [ "$(cpus_of "$b")" = "$all" ] &&
			! is_held "$b" && verdict_is "$b" excluded
		}
		eventually 6 given_back || show "$b"
		tap_check "cgroup_exclude=/numamig-test covers its children: the held task gets its own CPUs back" \
			given_back
	else
		show "$b"
		tap_skip "not held (the scheduler put it with its memory first)"
		tap_skip "not held"
	fi
	echo >"$pm/cgroup_exclude"
	echo /numamig-test/b >"$pm/cgroup_include"
	only_b() { ! verdict_is "$b" excluded && verdict_is "$a" excluded; }
	eventually 6 only_b || { show "$a"; show "$b"; }
	tap_check "cgroup_include=/numamig-test/b: b is in scope again, a is not" only_b
else
	tap_fail "workloads in /numamig-test/a and b started"
	tap_skip "no workload"
	tap_skip "no workload"
	tap_skip "no workload"
fi
stop_workloads
echo >"$pm/cgroup_include"

# --- cpusets ----------------------------------------------------------------
node_cpus 0 >$top/one/cpuset.cpus
echo "$all" >$top/wide/cpuset.cpus
if workload=$tmp/in-cgroup start_workload one $top/one "$nw" -m "$last" -r 0 -u -s 64 -t "$(scaled 60)"; then
	one=$tid
	tap_check "a task in a cpuset of node 0 only ($(node_cpus 0)) is seen as pinned" \
		eventually 10 verdict_is "$one" pinned
	sleep 2
	tap_check "and never moved out of it" \
		eval '[ "$(cpus_of "$one")" = "$(node_cpus 0)" ] && ! decided "$one" move && ! is_held "$one"'
else
	tap_fail "workload in a one-node cpuset started"
	tap_skip "no workload"
fi
stop_workloads

user0=$(stat_of release_user_changed)
if workload=$tmp/in-cgroup start_workload wide $top/wide "$nw" -m "$last" -r 0 -u -s 64 -t "$(scaled 60)"; then
	w=$tid
	if eventually 10 is_held "$w"; then
		hn=$(field "$w" held_node)
		tap_check "a task in a cpuset of every CPU is moved (held on node $hn, CPUs $(cpus_of "$w"))" \
			test "$(cpus_of "$w")" = "$(node_cpus "$hn")"
		node_cpus 0 >$top/wide/cpuset.cpus
		let_go() {
			decided "$w" release:user_changed && ! is_held "$w" &&
			[ "$(stat_of release_user_changed)" -gt "$user0" ] &&
			[ "$(cpus_of "$w")" = "$(node_cpus 0)" ]
		}
		eventually 6 let_go || show "$w"
		tap_check "the cpuset changed to node 0 while held: numamig lets go, the cpuset's CPUs stay" let_go
	else
		show "$w"
		tap_skip "not held (the scheduler put it with its memory first)"
		tap_skip "not held"
	fi
else
	tap_fail "workload in a cpuset of every CPU started"
	tap_skip "no workload"
fi
stop_workloads

# --- NUMA balancing ---------------------------------------------------------
# -B: memory bound with NUMA balancing on: the kernel cannot move the
# pages, so it moves the task (sched_move_numa, or sched_swap_numa). Two
# tasks, each started on the other's memory node, keep the load even, so
# the load balancer has no reason to move either: NUMA balancing does.
# numamig observes: it decides, never acts, so the kernel's moves are the
# only ones. The kernel's own trace events say which tasks it moved, once
# numamig tracks both (a move before that cannot be stamped on an entry
# that does not exist yet).
echo observe >"$pm/mode"
echo 600000 >"$pm/cooldown_ms"
sysctl -qw kernel.numa_balancing=1
nb_events="$tracefs/events/sched/sched_move_numa/enable $tracefs/events/sched/sched_swap_numa/enable"
tracked() { [ -n "$(field "$1" verdict)" ]; }
if ! [ -f "$tracefs/events/sched/sched_move_numa/enable" ]; then
	tap_skip "numa_balancing=1: no sched_move_numa trace event to learn the kernel's moves from"
	tap_skip "no trace event"
elif start_workload nbA -m "$last" -r 0 -u -B -s 64 -t "$(scaled 90)" && nbA=$tid &&
     start_workload nbB -m 0 -r "$last" -u -B -s 64 -t "$(scaled 90)"; then
	nbB=$tid
	eventually 10 eval 'tracked "$nbA" && tracked "$nbB"'
	echo >"$tracefs/trace"
	for e in $nb_events; do echo 1 >"$e"; done
	# kernel_moved: the kernel's trace names one of the two; km is it.
	kernel_moved()
	{
		km=$(grep -oE "(^| )(pid|src_pid|dst_pid)=($nbA|$nbB) " "$tracefs/trace" |
			head -1 | sed 's/.*=//; s/ //')
		[ -n "$km" ]
	}
	stamped() { [ "$(field "$km" numa_moved_ms_ago)" -ge 0 ] 2>/dev/null; }
	# May never happen (then skipped): not scaled.
	if wait_upto 60 kernel_moved; then
		eventually 2 stamped || {
			show "$km"
			grep -E "sched_(move|swap)_numa" "$tracefs/trace" | tail -5 | tap_diag
		}
		tap_check "numa_balancing=1: the kernel's NUMA move of task $km is seen for it (task now on node $(node_of_tid "$km"))" \
			stamped
		sleep 3
		# Decisions since the kernel's move (a period of slack): none
		# may be a move.
		since=$(field "$km" numa_moved_ms_ago)
		fought()
		{
			awk -v t="$km" -v s="$since" '$2 == t && $1 < s - 1000 && $7 == "move" { f = 1 } END { exit !f }' \
				"$NUMAMIG_DBG/decisions"
		}
		v=$(field "$km" verdict)
		if ! fought && { [ "$v" = cooldown ] || [ "$v" = local ]; }; then
			tap_ok "numamig then decides no move for it (verdict $v)"
		else
			show "$km"
			tap_fail "numamig then decides no move for it (verdict $v)"
		fi
	else
		# Under TCG NUMA balancing sometimes leaves both where they
		# are (sched_stick_numa), or moves only other tasks, for the
		# whole wait: nothing to check then.
		{ grep -E "^sched_(move|swap|stick)_numa" "$NUMAMIG_DBG/stats"
		  grep -E "sched_(move|swap)_numa" "$tracefs/trace" | tail -4; } | tap_diag
		tap_skip "numa_balancing=1: in 60 s NUMA balancing moved neither $nbA nor $nbB ($(grep -cE "sched_(move|swap)_numa" "$tracefs/trace") moves of other tasks), nothing to see"
		tap_skip "the kernel did not move it"
	fi
	for e in $nb_events; do echo 0 >"$e"; done
else
	tap_fail "two numa_workload -B started"
	tap_skip "no workload"
fi
stop_workloads
sysctl -qw kernel.numa_balancing=0
# The default again: under the 600 s above, a task the load balancer
# took to another node after it unpinned (a 4-node guest has one CPU a
# node) would be on cooldown for the whole check.
echo 2000 >"$pm/cooldown_ms"
mv0=$(( $(stat_of sched_move_numa) + $(stat_of sched_swap_numa) ))
if start_workload nb0 -m "$last" -r 0 -u -B -s 64 -t "$(scaled 60)"; then
	nb=$tid
	eventually 10 decided "$nb" move || show "$nb"
	no_numa_move()
	{
		[ "$(field "$nb" numa_moved_ms_ago)" = -1 ] &&
		[ $(( $(stat_of sched_move_numa) + $(stat_of sched_swap_numa) )) = "$mv0" ]
	}
	# Every decision "local": it ran on its memory's node whenever
	# numamig looked (the load balancer spread it there first).
	only_local()
	{
		awk -v t="$nb" '$2 == t { n++; if ($7 != "local") bad = 1 } END { exit !(n && !bad) }' \
			"$NUMAMIG_DBG/decisions"
	}
	if decided "$nb" move; then
		tap_check "numa_balancing=0: numamig decides to move the same task, and no kernel NUMA move is seen" \
			no_numa_move
	elif only_local && no_numa_move; then
		tap_skip "numa_balancing=0: the scheduler put it with its memory first (node $(node_of_tid "$nb")), nothing to move"
	else
		tap_fail "numa_balancing=0: numamig decides to move the same task, and no kernel NUMA move is seen"
	fi
else
	tap_fail "numa_workload -B started"
fi
stop_workloads
echo enforce >"$pm/mode"

# --- numad ---------------------------------------------------------------------
# The real daemon (Debian's numad, in tools/install-deps); it forks and
# writes its pid file.
if command -v numad >/dev/null; then
	rm -f /var/run/numad.pid
	numad -i 5 >/dev/null 2>&1
	for i in $(seq 50); do
		[ -s /var/run/numad.pid ] && break
		sleep 0.1
	done
	numad_pid=$(cat /var/run/numad.pid 2>/dev/null)
	seen() { [ "$(stat_of numad_running)" = 1 ] && [ "$(stat_of numad_pid)" = "$numad_pid" ]; }
	if [ -n "$numad_pid" ] && eventually 15 seen; then
		tap_ok "numad (pid $numad_pid) is seen: numad_running 1"
	else
		grep numad "$NUMAMIG_DBG/stats" | tap_diag
		tap_fail "numad (pid ${numad_pid:-none}) is seen: numad_running 1"
	fi
	sleep 6
	# Any pid: a slow guest's first look can find numad's parent
	# before it forks the daemon that writes the pid file.
	tap_check "and said once in the kernel log" \
		test "$(dmesg_since_mark | grep -c "numamig: numad is running (pid ")" = 1
	kill "$numad_pid" 2>/dev/null
	gone() { [ "$(stat_of numad_running)" = 0 ] && dmesg_since_mark | grep -q "numamig: numad is no longer running"; }
	tap_check "its going is seen, and said in the log" eventually 15 gone
	numad_pid=
else
	tap_skip "numad not installed (tools/install-deps)"
	tap_skip "numad not installed"
	tap_skip "numad not installed"
fi

numamig_unload
tap_check "dmesg clean" dmesg_clean
tap_finish
