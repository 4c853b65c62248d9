#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# numamigstat on the host, against recorded debugfs files kept as
# fixtures: a live 6.12 recording, a newer module's extra counters,
# malformed, truncated and empty files, short reads and bad usage.

. "$(dirname "$0")/../selftests/numamig/lib.sh"

bin=$NUMAMIG_TOP/tools/numamigstat/numamigstat
fx=$NUMAMIG_TOP/tests/fixtures
[ -x "$bin" ] || skip_all "$bin not built (make tools)"

tap_plan 9

# run DIR: stdout in $out, stderr in $err, exit status in $rc.
run()
{
	out=$("$bin" "$@" 2>/tmp/numamigstat-err.$$)
	rc=$?
	err=$(cat /tmp/numamigstat-err.$$)
	rm -f /tmp/numamigstat-err.$$
}

# value_of NAME: the value numamigstat printed for counter NAME.
value_of()
{
	awk -v k="$1" '$1 == k { print $2 }' <<<"$out"
}

live_ok()
{
	run -d "$fx/live-6.12-4n"
	[ $rc -eq 0 ] && [ -z "$err" ] &&
		[ "$(value_of sched_switch)" = 2225 ] &&
		[ "$(value_of sched_wakeup)" = 1115 ] &&
		[ "$(value_of tracepoints_attached)" = 9 ] &&
		[ "$(grep -c . <<<"$out")" -eq 12 ]
}
tap_check "recorded 6.12 stats: every counter shown with its value" live_ok

env_ok()
{
	out=$(NUMAMIG_DEBUGFS=$fx/live-6.12-4n "$bin") && [ "$(value_of sched_switch)" = 2225 ]
}
tap_check "NUMAMIG_DEBUGFS names the directory" env_ok

future_ok()
{
	run -d "$fx/future"
	[ $rc -eq 0 ] && [ "$(value_of some_future_counter)" = 9 ] &&
		[ "$(value_of sched_wakeup)" = 21 ]
}
tap_check "counters it does not know are shown, not refused" future_ok

malformed_ok()
{
	run -d "$fx/malformed"
	[ $rc -eq 0 ] && [ "$(value_of sched_switch)" = 100 ] &&
		[ "$(value_of sched_migrate_task)" = 3 ] &&
		[ -z "$(value_of sched_wakeup)" ] && [ -z "$(value_of sched_process_fork)" ] &&
		[ "$err" = "numamigstat: skipped 4 malformed lines in $fx/malformed/stats" ]
}
tap_check "malformed lines (no value, negative, trailing junk, long name) are skipped and counted" malformed_ok

truncated_ok()
{
	run -d "$fx/truncated"
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

# A writer that hands the file over a byte at a time forces short reads.
short_reads_ok()
{
	local d
	d=$(mktemp -d)
	mkfifo "$d/stats"
	(while IFS= read -r -n1 ch; do
		printf '%s' "${ch:-$'\n'}"
	done <"$fx/live-6.12-4n/stats" >"$d/stats") &
	run -d "$d"
	wait
	rm -rf "$d"
	[ $rc -eq 0 ] && [ "$(value_of sched_switch)" = 2225 ] &&
		[ "$(value_of tracepoints_attached)" = 9 ]
}
tap_check "short reads: a file delivered byte by byte reads whole" short_reads_ok

usage_ok()
{
	run -x
	[ $rc -eq 2 ] && grep -q "^usage:" <<<"$err"
}
tap_check "unknown option: usage on stderr, exit 2" usage_ok

tap_finish
