#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# numamigstat on the host, against recorded debugfs directories kept as
# fixtures (tests/fixtures/README): live recordings from 6.1 and 6.12
# (an older module's stats and topology only; enforce mode with moves;
# a task held; page sampling only), a newer module's extra counters,
# columns and keys, malformed, truncated and empty files, short reads,
# watch mode, JSON, Prometheus metrics, advice, the tail at scale, bad
# usage and the man page.

. "$(dirname "$0")/../selftests/numamig/lib.sh"

bin=$NUMAMIG_TOP/tools/numamigstat/numamigstat
man=$NUMAMIG_TOP/tools/numamigstat/numamigstat.8
fx=$NUMAMIG_TOP/tests/fixtures
[ -x "$bin" ] || skip_all "$bin not built (make tools)"
have_jq=0
command -v jq >/dev/null && have_jq=1

tap_plan 49

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run ARGS...: stdout in $out, stderr in $err, exit status in $rc.
run()
{
	out=$("$bin" "$@" 2>"$tmp/err")
	rc=$?
	err=$(cat "$tmp/err")
}

# value_of NAME: the value numamigstat -c printed for counter NAME.
value_of()
{
	awk -v k="$1" '$1 == k { print $2 }' <<<"$out"
}

# line_of LABEL: the summary or explanation line starting with LABEL.
line_of()
{
	grep -m1 "^$1 " <<<"$out"
}

# row PID: the row of the task table for PID, squeezed.
row()
{
	awk -v p="$1" '$1 == p' <<<"$out" | tr -s ' '
}

# diag: show what the last run printed, for a failing check.
diag()
{
	{ echo "exit $rc"; echo "$out"; echo "stderr: $err"; } | tap_diag
	return 1
}

# jq_ok FILTER: $out is JSON and FILTER holds on it (skipped without jq).
jq_ok()
{
	[ $have_jq -eq 1 ] || return 0
	jq -e "$1" <<<"$out" >/dev/null
}

## the raw counters (-c), as the reader has always printed them

live_ok()
{
	run -c -d "$fx/live-6.12-4n"
	[ $rc -eq 0 ] && [ -z "$err" ] &&
		[ "$(value_of sched_switch)" = 2225 ] &&
		[ "$(value_of sched_wakeup)" = 1115 ] &&
		[ "$(value_of tracepoints_attached)" = 9 ] &&
		[ "$(grep -c . <<<"$out")" -eq 12 ]
}
tap_check "-c: recorded 6.12 stats, every counter shown with its value" live_ok

env_ok()
{
	out=$(NUMAMIG_DEBUGFS=$fx/live-6.12-4n "$bin" -c) && [ "$(value_of sched_switch)" = 2225 ]
}
tap_check "NUMAMIG_DEBUGFS names the directory" env_ok

future_ok()
{
	run -c -d "$fx/future"
	[ $rc -eq 0 ] && [ "$(value_of some_future_counter)" = 9 ] &&
		[ "$(value_of sched_wakeup)" = 21 ]
}
tap_check "counters it does not know are shown, not refused" future_ok

malformed_ok()
{
	run -c -d "$fx/malformed"
	[ $rc -eq 0 ] && [ "$(value_of sched_switch)" = 100 ] &&
		[ "$(value_of sched_migrate_task)" = 3 ] &&
		[ -z "$(value_of sched_wakeup)" ] && [ -z "$(value_of sched_process_fork)" ] &&
		[ "$err" = "numamigstat: skipped 4 malformed lines in $fx/malformed/stats" ]
}
tap_check "malformed lines (no value, negative, trailing junk, long name) are skipped and counted" malformed_ok

truncated_ok()
{
	run -c -d "$fx/truncated"
	[ $rc -eq 0 ] && [ "$(value_of sched_process_fork)" = 3 ] &&
		[ "$(grep -c . <<<"$out")" -eq 4 ] && grep -q "skipped 1 malformed" <<<"$err"
}
tap_check "a file cut mid-line: the partial line is not taken for a counter" truncated_ok

empty_ok()
{
	run -d "$fx/empty"
	[ $rc -eq 1 ] && [ -z "$out" ] && [ "$(grep -c . <<<"$err")" -eq 1 ] &&
		grep -q "no counters in" <<<"$err"
}
tap_check "empty file: one-line error, exit 1" empty_ok

missing_ok()
{
	run -d "$fx/does-not-exist"
	[ $rc -eq 1 ] && [ "$(grep -c . <<<"$err")" -eq 1 ] &&
		grep -q "cannot read $fx/does-not-exist/stats: No such file" <<<"$err"
}
tap_check "missing directory: one-line error naming the file, exit 1" missing_ok

# A writer that hands a file over a byte at a time forces short reads.
trickle()
{
	while IFS= read -r -n1 ch; do
		printf '%s' "${ch:-$'\n'}"
	done <"$1" >"$2"
}

short_reads_ok()
{
	local d=$tmp/short
	mkdir -p "$d"
	mkfifo "$d/stats"
	trickle "$fx/live-6.12-4n/stats" "$d/stats" &
	run -c -d "$d"
	wait
	rm -rf "$d"
	[ $rc -eq 0 ] && [ "$(value_of sched_switch)" = 2225 ] &&
		[ "$(value_of tracepoints_attached)" = 9 ]
}
tap_check "short reads: a file delivered byte by byte reads whole" short_reads_ok

text_value_ok()
{
	run -c -d "$fx/enforce-6.12-4n"
	[ $rc -eq 0 ] && [ -z "$err" ] && [ "$(value_of mode)" = enforce ] &&
		[ "$(value_of verdict_pinned)" = 37 ] &&
		[ "$(grep -c . <<<"$out")" -eq 53 ]
}
tap_check "-c: a live enforce-mode stats file, 'mode enforce' read as a word, nothing skipped" text_value_ok

## the summary (default view)

summary_ok()
{
	run -d "$fx/held-6.12-4n"
	[ $rc -eq 0 ] && [ -z "$err" ] &&
		line_of numamig | grep -q "mode enforce, 3 tasks watched, 1 held, 9 tracepoints attached, 10 worker passes" &&
		line_of sources | grep -q "faults 3; hardware counters: not available" &&
		line_of verdicts | grep -q "since load: pinned 11, held 8, idle 3, move 1$" &&
		grep -q "tasks now: held 1, pinned 2$" <<<"$out" &&
		line_of migrations | grep -q "^migrations  1 since load (0 errors), holds ended: none; about 0.10/s (10 passes of 1000 ms)" &&
		[ "$(row 0)" = " 0 1 100.0 0.00 465 371 2 0 0" ] &&
		[ "$(row 3)" = " 3 1 100.0 0.00 503 391 1 1 3" ] || diag
}
tap_check "summary: mode, sources, verdicts since load and now, migrations, nodes with memory and held tasks" summary_ok

summary_old_ok()
{
	run -d "$fx/live-6.12-4n"
	[ $rc -eq 0 ] && [ -z "$err" ] &&
		[ "$(row 2)" = " 2 1 - - - - - - 2" ] &&
		line_of sources | grep -q "no tasks file" || diag
}
tap_check "summary of an older module (stats and topology only): nodes from topology, '-' for the rest" summary_old_ok

node_sysfs_ok()
{
	run -d "$fx/enforce-6.12-4n" --node-sysfs "$fx/tables-future/node" &&
		[ "$(row 0 | cut -d' ' -f6,7)" = "1024 512" ] &&
		[ "$(row 2 | cut -d' ' -f6,7)" = "- -" ] || return 1
	out=$(NUMAMIG_NODE_SYSFS=$fx/tables-future/node "$bin" -d "$fx/enforce-6.12-4n")
	[ "$(row 1 | cut -d' ' -f6,7)" = "2048 1536" ]
}
tap_check "node memory from --node-sysfs DIR or NUMAMIG_NODE_SYSFS" node_sysfs_ok

future_tables_ok()
{
	run -d "$fx/tables-future"
	[ $rc -eq 0 ] && [ -z "$err" ] &&
		[ "$(row 0)" = " 0 2 25.0 1.50 1024 512 2 0 0-1" ] &&
		[ "$(row 1)" = " 1 2 95.0 0.10 2048 1536 1 0 2-3" ] &&
		line_of verdicts | grep -q "some_future_verdict 6" || diag
}
tap_check "newer module: columns reordered and unknown, topology keys and records unknown: read by name" future_tables_ok

malformed_tables_ok()
{
	local want
	run -d "$fx/tables-malformed"
	want="numamigstat: $fx/tables-malformed/topology: distances do not match the node lines; distances not used
numamigstat: skipped 1 malformed lines in $fx/tables-malformed/topology
numamigstat: skipped 3 malformed lines in $fx/tables-malformed/nodes
numamigstat: skipped 5 malformed lines in $fx/tables-malformed/tasks"
	[ $rc -eq 0 ] && [ "$err" = "$want" ] &&
		[ "$(row 1)" = " 1 1 10.0 0.90 - - 1 1 1" ] &&
		[ "$(row 0)" = " 0 1 50.0 0.50 1024 - 1 0 0" ] || diag
}
tap_check "malformed tables: bad rows skipped and counted per file, the good rows kept" malformed_tables_ok

## the task table (-t)

# pids: the first column of the table's rows, on one line.
pids()
{
	awk 'NR > 2 { printf "%s ", $1 }' <<<"$out"
}

sort_ok()
{
	run -t -d "$fx/enforce-6.12-4n"
	[ "$(pids)" = "215 217 220 221 222 " ] || return 1
	run -t -s remote -d "$fx/enforce-6.12-4n"
	[ "$(pids)" = "220 215 217 221 222 " ] || return 1
	run -t -s runtime -d "$fx/enforce-6.12-4n"
	[ "$(pids)" = "220 221 222 217 215 " ] || return 1
	run -t -s runtime -n 2 -d "$fx/enforce-6.12-4n"
	[ "$(pids)" = "220 221 " ] && grep -q "^5 tasks watched, sorted by runtime, top ones shown" <<<"$out"
}
tap_check "-t: sorted by slowdown, remote share or runtime (-s), top N (-n)" sort_ok

task_row_ok()
{
	run -t -d "$fx/tables-future"
	[ $rc -eq 0 ] && [ "$(row 301)" = " 301 300 solver 0 90.0 120 90.0 99.0 1 sample move 1 - 5.0" ] &&
		[ "$(row 302)" = " 302 300 solver 1 40.0 80 0.0 0.0 1 faults local - - -" ] || diag
}
tap_check "-t: a newer module's reordered columns land under the right headings" task_row_ok

task_malformed_ok()
{
	run -t -d "$fx/tables-malformed"
	[ $rc -eq 0 ] && [ "$(pids)" = "401 406 " ] &&
		[ "$err" = "numamigstat: skipped 5 malformed lines in $fx/tables-malformed/tasks" ]
}
tap_check "-t: short rows, bad numbers, bad per-node lists, a row cut short: skipped and counted" task_malformed_ok

tasks_short_reads_ok()
{
	local d=$tmp/short-tasks
	mkdir -p "$d"
	cp "$fx/enforce-6.12-4n/stats" "$d/"
	mkfifo "$d/tasks"
	trickle "$fx/enforce-6.12-4n/tasks" "$d/tasks" &
	run -t -d "$d"
	wait
	rm -rf "$d"
	[ $rc -eq 0 ] && [ -z "$err" ] && [ "$(pids)" = "215 217 220 221 222 " ]
}
tap_check "-t: tasks delivered byte by byte reads whole" tasks_short_reads_ok

no_header_ok()
{
	local d=$tmp/no-header
	mkdir -p "$d"
	cp "$fx/held-6.12-4n/stats" "$fx/held-6.12-4n/nodes" "$d/"
	printf '220 212 numa_workload 3\n' >"$d/tasks"
	run -d "$d"
	[ $rc -eq 0 ] && line_of sources | grep -q "tasks file unusable" &&
		[ "$err" = "numamigstat: $d/tasks: no header with a 'pid' column" ] || { diag; return 1; }
	run -t -d "$d"
	[ $rc -eq 1 ] && [ -z "$out" ] &&
		[ "$err" = "numamigstat: $d/tasks: no header with a 'pid' column" ]
}
tap_check "tasks without a header: the summary goes on and says so; -t fails in one line" no_header_ok

no_tasks_ok()
{
	run -t -d "$fx/live-6.12-4n"
	[ $rc -eq 1 ] && [ -z "$out" ] &&
		[ "$err" = "numamigstat: no $fx/live-6.12-4n/tasks: this numamig module has no task view" ]
}
tap_check "-t on an older module without tasks: one line, exit 1" no_tasks_ok

## one task explained (-p)

explain_ok()
{
	run -p 220 -d "$fx/held-6.12-4n"
	[ $rc -eq 0 ] && [ -z "$err" ] &&
		line_of "runs on" | grep -q "node 3, 99.9% of a CPU, 129 us mean wait" &&
		line_of memory | grep -q "node 2 12.5%, node 3 87.5% (source: faults)" &&
		line_of remote | grep -q "12.5% of its memory is not on node 3" &&
		line_of "access cost" | grep -q "node 0 2.10, node 1 2.10, node 2 1.52, node 3 1.07" &&
		line_of slowdown | grep -q "0.0% against node 3, its best" &&
		line_of "best move" | grep -q "none: it runs on its best node, 3" &&
		grep -q "last weighed 9.0 s ago, to node 3: benefit 418670 us, cost 3700 us (113.2 times; a move needs more than 2.0)" <<<"$out" &&
		line_of now | grep -q "verdict held to node 3, held on node 3" &&
		grep -Eq "^ +9.0 +2 +3 move +418670 +3700 +47.9  benefit beat cost" <<<"$out" || diag
}
tap_check "-p: where it runs, its memory, access cost per node, slowdown, best move's benefit and cost, its hold" explain_ok

# coexist-4n: two tasks out of scope (comm_exclude=batch*), one of them
# moved by NUMA balancing 2.5 s ago, numad running.
coexist_summary_ok()
{
	run -d "$fx/coexist-4n"
	[ $rc -eq 0 ] && [ -z "$err" ] &&
		line_of verdicts | grep -q "held 8, pinned 6, excluded 5, idle 3, move 1$" &&
		grep -q "tasks now: held 1, excluded 2$" <<<"$out" &&
		line_of migrations | grep -q "holds ended: excluded 1;" &&
		line_of others | grep -q "^others      NUMA balancing moved 2 and swapped 0 tasks since load; numad running (pid 812): it places processes too$" || diag
}
tap_check "summary: excluded tasks, the kernel's NUMA moves and numad on an 'others' line" coexist_summary_ok

coexist_explain_ok()
{
	run -p 218 -d "$fx/coexist-4n"
	[ $rc -eq 0 ] && [ -z "$err" ] &&
		line_of now | grep -q "verdict excluded, not held, last migrated (by anyone) 2.5 s ago, moved by NUMA balancing 2.5 s ago$" &&
		grep -q "excluded: out of the scope comm_include, comm_exclude, cgroup_include and cgroup_exclude set: never moved" <<<"$out" &&
		run -p 220 -d "$fx/coexist-4n" && ! grep -q "moved by NUMA balancing" <<<"$out" &&
		run -p 220 -d "$fx/held-6.12-4n" && ! grep -q "moved by NUMA balancing" <<<"$out" || diag
}
tap_check "-p: an excluded task explained, and when NUMA balancing moved it (only if it did)" coexist_explain_ok

coexist_json_ok()
{
	run --json -t -d "$fx/coexist-4n"
	[ $rc -eq 0 ] && jq_ok '(.tasks[] | select(.pid == 218) | .numa_moved_ms_ago == 2500 and .verdict == "excluded") and
		(.tasks[] | select(.pid == 220) | .numa_moved_ms_ago == -1)' || diag || return 1
	run --json -t -d "$fx/held-6.12-4n"
	[ $rc -eq 0 ] && jq_ok '.tasks[0].numa_moved_ms_ago == null' || diag
}
tap_check "--json: numa_moved_ms_ago per task, null from a module without it" coexist_json_ok

coexist_prom_ok()
{
	run --prometheus -d "$fx/coexist-4n"
	[ $rc -eq 0 ] && [ -z "$err" ] &&
		grep -qx "# TYPE numamig_numad_running gauge" <<<"$out" &&
		grep -qx "numamig_numad_running 1" <<<"$out" &&
		grep -qx "numamig_numad_pid 812" <<<"$out" &&
		grep -qx 'numamig_verdicts_total{verdict="excluded"} 5' <<<"$out" &&
		grep -qx 'numamig_releases_total{reason="excluded"} 1' <<<"$out" || diag
}
tap_check "--prometheus: numad_running and numad_pid as gauges, excluded verdicts and releases" coexist_prom_ok
# A swap: the held fixture as a module with swaps writes it (decisions
# with a partner column, a swapped pair, its counters).
explain_swap_ok()
{
	local d=$tmp/swap
	cp -r "$fx/held-6.12-4n" "$d"
	awk 'NR == 1 { print $0 " partner"; next } { print $0 " 0" }' \
		"$fx/held-6.12-4n/decisions" >"$d/decisions"
	cat >>"$d/decisions" <<-EOF
	3000 220 212 numa_workload 3 2 swapped 500000 3700 479 218
	3000 218 213 numa_workload 2 3 swapped 400000 3700 300 220
	1000 218 213 numa_workload 3 -1 release:partner 0 0 0 0
	EOF
	sed -i 's/^verdict_move .*/verdict_move 1\nverdict_swapped 2/; s/^migrations .*/migrations 3\nswaps 1/' "$d/stats"
	run -p 220 -d "$d"
	[ $rc -eq 0 ] && [ -z "$err" ] &&
		grep -Eq "^ +3.0 +3 +2 swapped +500000 +3700 +47.9  with pid 218: no room where it would go: exchanged nodes" <<<"$out" &&
		grep -Eq "^ +9.0 +2 +3 move .*  benefit beat cost" <<<"$out" || { diag; return 1; }
	run -p 218 -d "$d"
	grep -q "release:partner .*the hold of the task it swapped with ended" <<<"$out" || { diag; return 1; }
	run -d "$d"
	line_of verdicts | grep -q "since load: pinned 11, held 8, idle 3, swapped 2, move 1$" || { diag; return 1; }
	run --json -p 220 -d "$d"
	jq_ok '.tasks[0].decisions[0].what == "swapped" and .tasks[0].decisions[0].partner == 218 and
	       (.tasks[0].decisions[1] | has("partner") | not)' || { diag; return 1; }
}
tap_check "-p, summary, JSON: a swap's verdict with its partner's pid, release:partner explained" explain_swap_ok

explain_decisions_ok()
{
	run -p 215 -n 3 -d "$fx/enforce-6.12-4n"
	[ $rc -eq 0 ] &&
		grep -q "^decisions   newest first, 3 of 5 kept for it:" <<<"$out" &&
		[ "$(awk '$1 ~ /^[0-9.]+$/ && NF > 5 { printf "%s:%s ", $1, $4 }' <<<"$out")" = \
		  "7.8:local 8.8:below_threshold 8.8:release:expired " ] &&
		grep -q "release:expired .*hold_ms passed: its own CPUs given back" <<<"$out" &&
		grep -q "^threads     also watched in process 215 (-p TID): 220 (slowdown 0.0%)" <<<"$out" &&
		line_of "best move" | grep -q "none" &&
		line_of slowdown | grep -q "1.00 times as long" || diag
}
tap_check "-p: its last N decisions newest first, each with its reason; the process's other threads" explain_decisions_ok

explain_move_ok()
{
	run -p 301 -d "$fx/tables-future"
	[ $rc -eq 0 ] &&
		line_of "best move" | grep -q "to node 1: its memory accesses would cost 44% less (1.99 -> 1.11)" &&
		line_of slowdown | grep -q "99.0% against node 1, its best: its memory accesses take 1.99 times as long as there" &&
		grep -Eq "^ +0.5 +0 +1 a_future_verdict +1 +2 +99.0 *$" <<<"$out" || diag
}
tap_check "-p: a misplaced task's best move and slowdown; a verdict it does not know is shown as is" explain_move_ok

explain_process_ok()
{
	run -p 216 -d "$fx/enforce-6.12-4n"
	[ $rc -eq 0 ] && [ "$(grep -c '^task ' <<<"$out")" -eq 2 ] &&
		grep -q "^task 221 numa_workload, process 216" <<<"$out" &&
		grep -q "^task 222 numa_workload, process 216" <<<"$out" &&
		grep -q "pinned: its allowed CPUs leave out" <<<"$out"
}
tap_check "-p with a process id explains each of its watched threads" explain_process_ok

not_watched_ok()
{
	run -p 999999 -d "$fx/enforce-6.12-4n"
	[ $rc -eq 1 ] && [ -z "$out" ] && [ "$(grep -c . <<<"$err")" -eq 1 ] &&
		grep -q "pid 999999 is not watched by numamig" <<<"$err"
}
tap_check "-p of a task not watched: one line, exit 1" not_watched_ok

## the tail at scale (-N)

tail_ok()
{
	local want
	run -N 64 -d "$fx/enforce-6.12-4n"
	want=$(awk 'BEGIN { p = 2 / 65; printf "%.2f", 100 * (1 - (1 - p) ^ 64) }')
	[ $rc -eq 0 ] &&
		line_of p | grep -q "0.030769 per task per period (moves 2, busy task-periods 65, since load)" &&
		[ "$(awk '$NF == "-N" { print $1, $2 }' <<<"$out")" = "64 $want" ] &&
		[ "$(awk '$1 == 1 { print $2 }' <<<"$out")" = 3.08 ] &&
		[ "$(awk '$1 == 100 { print $2 }' <<<"$out")" = 95.61 ] || diag
}
tap_check "-N: p from moves over busy task-periods, and 1-(1-p)^N for N ranks" tail_ok

tail_bound_ok()
{
	run -N 100 -d "$fx/sample-6.1-2n"
	[ $rc -eq 0 ] &&
		grep -q "none seen: p < 0.071429 with 95% confidence" <<<"$out" &&
		line_of step | grep -q "one worker period, 1000 ms" &&
		[ "$(awk '$NF == "-N" { print $2 }' <<<"$out")" = 99.94 ] || return 1
	run -N 10 -d "$fx/tables-future"
	line_of p | grep -q "mode observe, decisions to move 4, busy task-periods 40"
}
tap_check "-N: no move seen gives the 95% bound 3/n; observe mode counts decisions to move" tail_bound_ok

## advice (--advise)

advise()
{
	"$bin" -d "$fx/$1" --advise "$2" 2>/dev/null
}

advise_ok()
{
	[ "$(advise advise-4n 0.9)" = 2 ] &&
		[ "$(advise advise-4n 0.95)" = 2-3 ] &&
		[ "$(advise advise-4n 1.1)" = 2-3 ] &&
		[ "$(advise advise-4n 1.3)" = 0,2 ] &&
		[ "$(advise advise-4n 2)" = 0-2 ] &&
		[ "$(advise advise-4n 2.3)" = 0-3 ] &&
		[ "$(advise enforce-6.12-4n 0.5)" = 1 ] &&
		[ "$(advise enforce-6.12-4n 1)" = 1-2 ]
}
tap_check "--advise CPUS: one node if one has room, else the fewest nodes, nearest together, as a numactl list" advise_ok

advise_mem_ok()
{
	[ "$(advise advise-4n 0.5:2000)" = 2 ] &&
		[ "$(advise advise-4n 0.5:5000)" = 2-3 ] &&
		[ "$(advise advise-4n 0.5:9000)" = 0,2-3 ] &&
		[ "$(advise held-6.12-4n 0.9:400)" = 1 ] &&
		[ "$(advise held-6.12-4n 0.9:480)" = 2 ]
}
tap_check "--advise CPUS:MB: free memory per node counts too; a node without CPUs is never advised" advise_mem_ok

advise_none_ok()
{
	run --advise 2.4 -d "$fx/advise-4n"
	[ $rc -eq 3 ] && [ -z "$out" ] &&
		[ "$err" = "numamigstat: no room: 2.300 CPUs spare on all nodes together" ] || return 1
	run --advise 1:10 -d "$fx/live-6.12-4n"
	[ $rc -eq 1 ] && [ -z "$out" ] && [ "$(grep -c . <<<"$err")" -eq 1 ] &&
		grep -q "no nodes file" <<<"$err"
}
tap_check "--advise: no room says so and exits 3; without a nodes file, exit 1" advise_none_ok

## JSON and Prometheus

json_ok()
{
	[ $have_jq -eq 1 ] || { echo "no jq: JSON not checked" | tap_diag; return 0; }
	local d=$fx/enforce-6.12-4n
	run --json -d "$d"
	[ "$(grep -c . <<<"$out")" -eq 1 ] &&
		jq_ok '.view == "summary" and .mode == "enforce" and .counters.sched_switch == 5573 and
		       .counters.verdict_pinned == 37 and .nodes[0].mem_total_kb == 476404 and
		       .nodes[3].distance["1"] == 21 and .tasks_by_source.faults == 4' || return 1
	run --json -c -d "$d"
	jq_ok '.view == "counters" and .counters.mode == "enforce"' || return 1
	run --json -t -s runtime -n 1 -d "$d"
	jq_ok '.view == "tasks" and (.tasks | length) == 1 and .tasks[0].pid == 220 and
	       .tasks[0].mem_permille == [0, 281, 0, 719] and .tasks[0].target == -1' || return 1
	run --json -p 215 -d "$d"
	jq_ok '.view == "task" and .tasks[0].decisions[0].what == "local" and
	       .tasks[0].decisions[3].benefit_us == 8889 and .tasks[0].access_cost["1"] == 1' || return 1
	run --json -N 64 -d "$d"
	jq_ok '.view == "tail" and .moves == 2 and .task_periods == 65 and
	       (.step_hit - 0.864687 | fabs) < 0.00001' || return 1
	run --json --advise 1:900 -d "$d"
	jq_ok '.view == "advise" and .fits and .nodelist == "1-2" and .nodes == [1, 2] and .span == 21' || return 1
	run --json -t -d "$fx/live-6.12-4n"
	[ $rc -eq 1 ] || return 1
	run --json -t -d "$fx/tables-future"
	jq_ok '.tasks[0].pid == 301 and .tasks[0].cpu_permille == 900 and .tasks[2].migrated_ms_ago == 20000'
}
tap_check "--json: every view as one JSON object, values by the module's names" json_ok

prom_ok()
{
	run --prometheus -N 64 -d "$fx/enforce-6.12-4n"
	[ $rc -eq 0 ] && [ -z "$err" ] || return 1
	# every line a comment or "name{labels} value"; a TYPE before each family's samples
	awk '
		/^# HELP / { next }
		/^# TYPE / { if ($3 in typed) dup = 1; typed[$3] = 1; next }
		{
			if ($0 !~ /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="[^"]*"(,[a-zA-Z_][a-zA-Z0-9_]*="[^"]*")*\})? -?[0-9.e+-]+$/) bad = 1
			name = $1; sub(/\{.*/, "", name)
			if (!(name in typed)) bad = 1
		}
		END { exit bad || dup }' <<<"$out" || { echo "$out" | tap_diag; return 1; }
	grep -qx 'numamig_info{mode="enforce"} 1' <<<"$out" &&
		grep -qx 'numamig_verdicts_total{verdict="pinned"} 37' <<<"$out" &&
		grep -qx 'numamig_tracepoint_events_total{tracepoint="sched_switch"} 5573' <<<"$out" &&
		grep -qx 'numamig_node_memory_total_bytes{node="0"} 487837696' <<<"$out" &&
		grep -qx 'numamig_node_spare_cpus{node="1"} 0.995' <<<"$out" &&
		grep -qx 'numamig_worker_seconds_total 0.061092678' <<<"$out" &&
		grep -qx 'numamig_tasks_by_source{source="faults"} 4' <<<"$out" &&
		grep -q '^numamig_step_hit_probability{ranks="64"} 0.8646' <<<"$out"
}
tap_check "--prometheus: text format for the textfile collector, each family typed once" prom_ok

## watch mode (-w)

# watch_fifo V1 V2 ARGS...: numamigstat -w 1 --count 1 ARGS, reading
# stats from a FIFO that gives V1, then from a new FIFO that gives V2 (a
# new one: a writer reopening the first could join the first read); the
# rest from enforce-6.12-4n.
watch_fifo()
{
	local d=$tmp/watch v1=$1 v2=$2
	shift 2
	rm -rf "$d"
	mkdir -p "$d"
	cp -r "$fx/enforce-6.12-4n/." "$d/"
	rm "$d/stats"
	mkfifo "$d/stats"
	# shellcheck disable=SC2016 # expanded by the inner shell
	timeout 20 bash -c 'cat "$1" >"$3"; rm "$3"; mkfifo "$3"; cat "$2" >"$3"' \
		_ "$v1" "$v2" "$d/stats" &
	run -d "$d" -w 1 --count 1 "$@"
	wait
}

watch_rates_ok()
{
	sed 's/^sched_switch .*/sched_switch 7573/; s/^migrations .*/migrations 4/; s/^verdict_move .*/verdict_move 4/' \
		"$fx/enforce-6.12-4n/stats" >"$tmp/stats2"
	watch_fifo "$fx/enforce-6.12-4n/stats" "$tmp/stats2" -c
	local r
	r=$(awk '$1 == "sched_switch" { print $3 }' <<<"$out")
	echo "sched_switch rate $r" | tap_diag
	[ $rc -eq 0 ] && grep -q "^numamigstat every 1 s, " <<<"$out" &&
		awk -v r="$r" 'BEGIN { exit !(r >= 500 && r <= 2000.5) }' &&
		[ "$(awk '$1 == "sched_wakeup" { print $3 }' <<<"$out")" = 0.00 ] || return 1
	watch_fifo "$fx/enforce-6.12-4n/stats" "$tmp/stats2"
	line_of migrations | grep -Eq "^migrations  [0-9.]+/s, errors 0.00/s" &&
		line_of verdicts | grep -q "per second: move " || diag
}
tap_check "-w: rates are deltas between two reads over the time between them" watch_rates_ok

watch_reset_ok()
{
	sed 's/^sched_switch .*/sched_switch 10/' "$fx/enforce-6.12-4n/stats" >"$tmp/stats3"
	watch_fifo "$fx/enforce-6.12-4n/stats" "$tmp/stats3" -c
	[ $rc -eq 0 ] && [ "$(awk '$1 == "sched_switch" { print $2, $3 }' <<<"$out")" = "10 -" ] || return 1
	watch_fifo "$fx/enforce-6.12-4n/stats" "$tmp/stats3" --json -c
	jq_ok '(.rates | has("sched_switch") | not) and .rates.sched_wakeup == 0 and .interval_s >= 1'
}
tap_check "-w: a counter that went down (module reloaded) shows no rate" watch_reset_ok

watch_count_ok()
{
	run -d "$fx/held-6.12-4n" -t -w 0.1 --count 3
	[ $rc -eq 0 ] && [ "$(grep -c '^numamigstat every 0.1 s' <<<"$out")" -eq 3 ] &&
		[ "$(grep -c '^ *220 ' <<<"$out")" -eq 3 ] || return 1
	run -d "$fx/held-6.12-4n" --json -w 0.1 --count 2
	[ "$(grep -c '^{"view":"summary"' <<<"$out")" -eq 2 ]
}
tap_check "-w --count N: N samples; with --json one object a line" watch_count_ok

output_file_ok()
{
	local f=$tmp/numamig.prom
	run --prometheus -o "$f" -d "$fx/held-6.12-4n" -w 0.1 --count 2
	[ $rc -eq 0 ] && [ -z "$out" ] && [ -s "$f" ] &&
		! compgen -G "$f.tmp.*" >/dev/null &&
		[ "$(cat "$f")" = "$("$bin" --prometheus -d "$fx/held-6.12-4n")" ]
}
tap_check "-o FILE: replaced whole each sample, no temporary left" output_file_ok

## usage

usage_ok()
{
	run -x
	[ $rc -eq 2 ] && grep -q "^usage:" <<<"$err"
}
tap_check "unknown option: usage on stderr, exit 2" usage_ok

bad_usage_ok()
{
	local args
	for args in "-s slowdown" "-t -s size" "-t -p 1" "-c -N 4" "-n 3" "--count 2" \
		    "-w 0" "-w abc" "-p x" "-N 0" "--advise 0" "--advise abc" "--advise 2:x" \
		    "--json --prometheus" "--prometheus -t" "--prometheus -w 1" "extra"; do
		# shellcheck disable=SC2086 # the arguments, split
		run -d "$fx/held-6.12-4n" $args
		if [ $rc -ne 2 ] || ! grep -q "^usage:" <<<"$err" || [ -n "$out" ]; then
			echo "numamigstat $args: exit $rc, $(head -1 <<<"$err")" | tap_diag
			return 1
		fi
	done
}
tap_check "bad usage (views combined, bad numbers, options for another view): exit 2" bad_usage_ok

help_ok()
{
	run -h
	[ $rc -eq 0 ] && grep -q "^usage:" <<<"$out" && grep -q -- "--advise CPUS\[:MB\]" <<<"$out"
}
tap_check "-h: usage on stdout, exit 0" help_ok

## the man page

man_ok()
{
	command -v groff >/dev/null || { echo "no groff" | tap_diag; return 0; }
	local w
	w=$(groff -man -Tutf8 -ww "$man" 2>&1 >/dev/null)
	[ -z "$w" ] || { echo "$w" | tap_diag; return 1; }
}
tap_check "numamigstat.8: groff -man -ww without a warning" man_ok

man_options_ok()
{
	local opt missing=
	for opt in -c -t -s -n -p -N -w -o -d -h --json --prometheus --advise --count --node-sysfs \
		   NUMAMIG_DEBUGFS NUMAMIG_NODE_SYSFS; do
		grep -q -- "^\.[BT]*[RBI]* *${opt//-/\\\\-}" "$man" ||
			grep -q -- "${opt//-/\\\\-}" "$man" || missing+=" $opt"
		"$bin" -h | grep -q -- "$opt" || missing+=" $opt(usage)"
	done
	[ -z "$missing" ] || { echo "undocumented:$missing" | tap_diag; return 1; }
}
tap_check "numamigstat.8 and the usage name every option" man_options_ok

## more fixtures: the 6.1 recording, and every view on every fixture

sample_ok()
{
	run -d "$fx/sample-6.1-2n"
	[ $rc -eq 0 ] && [ -z "$err" ] &&
		line_of sources | grep -q "tasks by source: sample 5;" &&
		[ "$(row 1)" = " 1 2 94.1 0.12 1007 851 1 0 2-3" ] || diag
}
tap_check "6.1 recording, page sampling only: summary" sample_ok

every_view_ok()
{
	local d args bad=
	for d in "$fx"/*/; do
		d=${d%/}
		[ -f "$d/stats" ] || continue
		for args in "" -c -t "-t -s remote" "-p 215" "-N 8" "--advise 1" "--advise 1:100" \
			    "--json" "--json -t" "--json -p 220" "--json -N 8" "--json --advise 1" \
			    "--prometheus"; do
			# shellcheck disable=SC2086 # the arguments, split
			"$bin" -d "$d" $args >/dev/null 2>"$tmp/err"
			rc=$?
			# 0, or 1/3 with one line on stderr saying why
			if [ $rc -gt 3 ] || [ $rc -eq 2 ] ||
			   { [ $rc -ne 0 ] && [ "$(grep -c . "$tmp/err")" -lt 1 ]; }; then
				bad+=" ${d##*/}:'$args':$rc"
			fi
		done
	done
	[ -z "$bad" ] || { echo "failed:$bad" | tap_diag; return 1; }
}
tap_check "every view on every fixture: exit 0, or 1 or 3 with a reason; never a crash" every_view_ok

valgrind_ok()
{
	command -v valgrind >/dev/null || { echo "no valgrind: skipped" | tap_diag; return 0; }
	local args
	for args in "" "-t" "-p 215" "--json -p 215" "--prometheus" "--advise 1:100"; do
		# shellcheck disable=SC2086 # the arguments, split
		valgrind -q --error-exitcode=9 --leak-check=full "$bin" -d "$fx/tables-malformed" $args \
			>/dev/null 2>"$tmp/vg"
		[ $? -eq 9 ] && { tap_diag <"$tmp/vg"; return 1; }
	done
	return 0
}
tap_check "no memory error or leak under valgrind (when installed)" valgrind_ok

tap_finish
