#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# numamigstat against the live module: counters shown and growing, and a
# one-line explanation, with a non-zero exit, when the module is not
# loaded, debugfs is not mounted or the caller is not root. With
# mode=enforce, NUMA balancing off and a misplaced workload (its memory
# on the last node, started on node 0): the summary (mode, nodes, their
# memory as sysfs gives it), the task table and one task explained agree
# with debugfs `tasks`; JSON and Prometheus output; watch-mode rates;
# advice that names nodes with CPUs; the tail at scale.

. "$(dirname "$0")/lib.sh"

require_env
numamig_unload

stat_bin=$NUMAMIG_TOP/tools/numamigstat/numamigstat
workload=$NUMAMIG_TOP/selftests/numamig/numa_workload
[ -x "$stat_bin" ] || skip_all "$stat_bin not built (make tools)"
[ -x "$workload" ] || skip_all "$workload not built (make selftests)"

last=$(ls -d /sys/devices/system/node/node[0-9]* | sed 's/.*node//' | sort -n | tail -1)
nr_nodes=$(ls -d /sys/devices/system/node/node[0-9]* | wc -l)
workload_setup

tap_plan 15
dmesg_mark

# fails_with WORDS CMD...: CMD exits non-zero with one stderr line matching WORDS.
fails_with()
{
	local words=$1 err rc
	shift
	err=$("$@" 2>&1 >/dev/null)
	rc=$?
	echo "exit $rc: $err" | tap_diag
	[ "$rc" -ne 0 ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] &&
		printf '%s\n' "$err" | grep -q -- "$words"
}

tap_check "module not loaded: says so in one line" fails_with "module is not loaded" "$stat_bin"

insmod "$NUMAMIG_KO" mode=enforce min_rss_mb=32 || { tap_fail "insmod"; tap_finish; }
# NUMA balancing off, before any workload runs (see numamig_migrate.sh):
# nobody moves the workload's pages, so its memory stays on the last node.
sysctl -qw kernel.numa_balancing=0

switches()
{
	"$stat_bin" -c | awk '$1 == "sched_switch" { print $2 }'
}
shows_growing()
{
	local a b
	a=$(switches)
	sleep 0.5
	b=$(switches)
	echo "sched_switch $a then $b" | tap_diag
	[ -n "$a" ] && [ -n "$b" ] && [ "$b" -gt "$a" ]
}
tap_check "-c shows sched_switch, growing between reads" shows_growing

tap_check "not root: says so in one line" \
	fails_with "run as root" setpriv --reuid=65534 --regid=65534 --clear-groups "$stat_bin"

debugfs_gone()
{
	umount -l /sys/kernel/debug || return 1
	fails_with "debugfs is not mounted" "$stat_bin"
	local rc=$?
	mount -t debugfs none /sys/kernel/debug
	return $rc
}
tap_check "debugfs not mounted: says so in one line" debugfs_gone

# The summary: mode, one row per node, MEM_MB as sysfs says.
summary_ok()
{
	local out n total want
	out=$("$stat_bin" 2>&1) || { echo "$out" | tap_diag; return 1; }
	echo "$out" | tap_diag
	grep -q "^numamig     mode enforce, .* 9 tracepoints attached" <<<"$out" || return 1
	[ "$(awk '$1 == "NODE" { t = 1; next } t && $1 ~ /^[0-9]+$/' <<<"$out" | wc -l)" -eq "$nr_nodes" ] || return 1
	for n in $(seq 0 "$last"); do
		total=$(awk '$3 == "MemTotal:" { print int($4 / 1024) }' "/sys/devices/system/node/node$n/meminfo")
		want=$(awk -v n="$n" '$1 == "NODE" { t = 1; next } t && $1 == n { print $5 }' <<<"$out")
		[ "$total" = "$want" ] || { echo "node $n: MemTotal $total MB, shown $want" | tap_diag; return 1; }
	done
}
tap_check "summary: mode enforce, 9 tracepoints, a row per node with its sysfs MemTotal" summary_ok

if start_workload remote -m "$last" -r 0 -u -s 64 -t "$(scaled 120)"; then
	tap_ok "numa_workload -m $last -r 0 -u started (tid $tid)"
else
	tap_fail "numa_workload -m $last -r 0 -u started"
fi

# The task table has the workload's thread, as debugfs has it.
in_table()
{
	"$stat_bin" -t | awk -v t="$tid" '$1 == t && $3 == "numa_workload" { f = 1 } END { exit !f }'
}
tap_check "-t lists the workload's thread" eventually 10 in_table

# One task explained, checked against the raw tasks line. Fields that
# change every period are compared where they cannot have moved.
explained()
{
	local out js
	out=$("$stat_bin" -p "$tid") || return 1
	grep -q "^task $tid numa_workload, process " <<<"$out" &&
		grep -q "^memory .*node $last [0-9.]*% (source: " <<<"$out" &&
		grep -q "^access cost node 0 " <<<"$out" &&
		grep -q "^decisions " <<<"$out" || { echo "$out" | tap_diag; return 1; }
	command -v jq >/dev/null || return 0
	# The memory share is resampled every few passes: the JSON must
	# agree with tasks as read just before or just after it.
	local before after mine
	before=$(per_node "$tid" mem_permille "$last")
	js=$("$stat_bin" -p "$tid" --json) || return 1
	after=$(per_node "$tid" mem_permille "$last")
	mine=$(jq -r ".tasks[0].mem_permille[$last]" <<<"$js")
	[ "$(jq -r '.tasks[0].tgid' <<<"$js")" = "$(field "$tid" tgid)" ] &&
		[ "$(jq -r '.tasks[0].mem_permille | length' <<<"$js")" -eq "$nr_nodes" ] &&
		[ "$mine" -ge 500 ] &&
		{ [ "$mine" -eq "$before" ] || [ "$mine" -eq "$after" ]; } ||
		{ { echo "$js"; echo "tasks mem_permille[$last]: $before before, $after after";
		    grep -E "^pid|^$tid " "$NUMAMIG_DBG/tasks"; } | tap_diag; return 1; }
}
tap_check "-p TID: where it runs, its memory (mostly on node $last), costs, decisions; JSON agrees with tasks" \
	eventually 10 explained

json_ok()
{
	command -v jq >/dev/null || { echo "no jq: skipped" | tap_diag; return 0; }
	local js
	js=$("$stat_bin" --json) || return 1
	jq -e --argjson n "$nr_nodes" '.view == "summary" and .mode == "enforce" and
		.counters.sched_switch > 0 and (.nodes | length) == $n and
		(.nodes[0].mem_total_kb > 0) and (.nodes[0].spare_mcpu != null)' <<<"$js" >/dev/null ||
		{ echo "$js" | tap_diag; return 1; }
}
tap_check "--json summary: counters, a node object per node with memory and spare CPU" json_ok

prom_ok()
{
	local out
	out=$("$stat_bin" --prometheus) || return 1
	awk '
		/^# (HELP|TYPE) / { next }
		$0 !~ /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? -?[0-9.e+-]+$/ { bad = 1 }
		END { exit bad }' <<<"$out" &&
		grep -qx 'numamig_info{mode="enforce"} 1' <<<"$out" &&
		grep -q '^numamig_tracepoint_events_total{tracepoint="sched_switch"} [1-9]' <<<"$out" &&
		[ "$(grep -c '^numamig_node_memory_free_bytes{' <<<"$out")" -eq "$nr_nodes" ] ||
		{ echo "$out" | tap_diag; return 1; }
}
tap_check "--prometheus: well-formed, mode, tracepoint events, free memory per node" prom_ok

watch_ok()
{
	local out r
	out=$("$stat_bin" -c -w 1 --count 2) || return 1
	[ "$(grep -c '^numamigstat every 1 s' <<<"$out")" -eq 2 ] || return 1
	r=$(awk '$1 == "sched_switch" { r = $3 } END { print r }' <<<"$out")
	echo "sched_switch per second: $r" | tap_diag
	awk -v r="$r" 'BEGIN { exit !(r > 0) }' || return 1
	out=$("$stat_bin" -w 1 --count 1) || return 1
	grep -Eq "^migrations  [0-9.]+/s" <<<"$out" && grep -Eq "^worker      [0-9.]+% of a CPU" <<<"$out"
}
tap_check "-w: samples with rates between them (sched_switch/s > 0, migrations/s, worker CPU)" watch_ok

advise_ok()
{
	local list n
	list=$("$stat_bin" --advise 0.01) || return 1
	echo "advise 0.01: $list" | tap_diag
	[[ $list =~ ^[0-9]+([-,][0-9]+)*$ ]] || return 1
	for n in $(tr ',-' '  ' <<<"$list"); do
		[ -n "$(cat "/sys/devices/system/node/node$n/cpulist")" ] || return 1
	done
	taskset -c "$(cat "/sys/devices/system/node/node${list%%[-,]*}/cpulist")" true || return 1
	fails_with "no room" "$stat_bin" --advise 100000 || return 1
	"$stat_bin" --advise 100000 >/dev/null 2>&1
	[ $? -eq 3 ]
}
tap_check "--advise: a node list with CPUs for a small job; exit 3 with a reason for a huge one" advise_ok

tail_ok()
{
	local out
	out=$("$stat_bin" -N 1000) || return 1
	echo "$out" | tap_diag
	grep -Eq "^p           [0-9.]+ per task per period \(moves [0-9]+, busy task-periods [0-9]+, since load\)" <<<"$out" &&
		[ "$(awk '$NF == "-N" { print $1 }' <<<"$out")" = 1000 ]
}
tap_check "-N 1000: p measured since load and the chance a step of 1000 ranks is hit" tail_ok

stop_workloads
tap_check "rmmod" rmmod numamig
tap_check "no warning, BUG, Oops or lockdep report in dmesg" dmesg_clean
tap_finish
