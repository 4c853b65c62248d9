#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bad input. Every module parameter is fed boundary values (its range's
# ends and one past them, negative, 0, 2^32 and past, non-numeric, empty,
# trailing garbage, control characters, a 4000-byte string) and random
# ones: a value out of range or not a number is refused with an error,
# the value stays, and the kernel log says why in a line naming the
# parameter; a value in range is taken. max_tasks (set at load) is not
# writable. insmod with a bad value fails cleanly. The debugfs files read
# in 1-, 7- and 13-byte pieces, from the middle, with pread() at huge
# offsets, after odd lseek()s and by four readers at once give the text
# read whole (topology) or well-formed lines of the same shape (the live
# files), also with a task named with a space and a DEL byte. Nothing
# under the module's debugfs directory or its parameters is writable by
# others, the files that show tasks are root-only (a non-root read
# fails), and no kernel pointer appears anywhere.

. "$(dirname "$0")/lib.sh"

require_env
numamig_unload

workload=$NUMAMIG_TOP/selftests/numamig/numa_workload
dbgread=$NUMAMIG_TOP/selftests/numamig/dbgread
[ -x "$workload" ] && [ -x "$dbgread" ] || skip_all "helpers not built (make selftests)"

pm=/sys/module/numamig/parameters
last=$(ls -d /sys/devices/system/node/node[0-9]* | sed 's/.*node//' | sort -n | tail -1)
workload_setup

tap_plan 15
dmesg_mark

load_fail=
declare -A refused
for bad in period_ms=5 period_ms=abc mode=bogus hold_ms=-1; do
	refused[${bad%%=*}]=$((${refused[${bad%%=*}]:-0} + 1))
	if insmod "$NUMAMIG_KO" "$bad" 2>/dev/null; then
		load_fail+="insmod $bad succeeded; "
		numamig_unload
	fi
	numamig_loaded && { load_fail+="insmod $bad left the module loaded; "; numamig_unload; }
	[ -d "$NUMAMIG_DBG" ] && load_fail+="insmod $bad left $NUMAMIG_DBG; "
done
[ -z "$load_fail" ] || tap_diag <<<"$load_fail"
tap_check "insmod with a bad value (period_ms=5, period_ms=abc, mode=bogus, hold_ms=-1) fails and leaves nothing" \
	test -z "$load_fail"

if ! insmod "$NUMAMIG_KO" mode=enforce min_rss_mb=16 min_cpu_permille=100 period_ms=200 min_age_ms=0; then
	tap_fail "insmod"
	tap_finish
fi
tap_ok "insmod mode=enforce min_rss_mb=16 min_cpu_permille=100 period_ms=200 min_age_ms=0"

# What the module must answer, from the documented range: a decimal
# number in [lo, hi] is taken. (kstrtouint() with base 0 also takes
# 0x.. and 0.. forms; the inputs here are plain decimals or garbage.)
in_range()
{
	[[ $1 =~ ^[1-9][0-9]{0,17}$|^0$ ]] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]
}

nr_inputs=4
fails=
# try NAME VALUE ACCEPT: write VALUE as is, in one write(): bash's
# printf does that for a value without a newline, and costs no fork (a
# fork and exec take a second on the debug kernel); it would write
# "7\n8" as "7\n" and "8", two values, where coreutils' printf buffers
# fully. ACCEPT 1 or 0. A failure is added to $fails; each refusal is
# counted, to be matched with the log's lines.
try()
{
	local name=$1 v=$2 accept=$3 before after rc
	nr_inputs=$((nr_inputs + 1))
	read -r before <"$pm/$name"
	if [[ $v == *$'\n'* ]]; then
		/usr/bin/printf '%s' "$v" >"$pm/$name" 2>/dev/null
	else
		printf '%s' "$v" >"$pm/$name" 2>/dev/null
	fi
	rc=$?
	read -r after <"$pm/$name"
	if [ "$accept" = 1 ]; then
		[ $rc -eq 0 ] && [ "$after" = "$v" ] && return 0
		fails+="$name: '$v' refused or not taken (rc $rc, now '$after')"$'\n'
		return 1
	fi
	refused[$name]=$((${refused[$name]:-0} + 1))
	if [ $rc -eq 0 ]; then
		fails+="$name: '${v:0:40}' (${#v} bytes) accepted, now '$after' (was '$before')"$'\n'
		return 1
	fi
	if [ "$after" != "$before" ]; then
		fails+="$name: '${v:0:40}' refused but the value changed: '$before' -> '$after'"$'\n'
		return 1
	fi
}

# log_matches NAME...: each refusal logged one line naming its parameter.
log_matches()
{
	local name n
	dmesg_since_mark >"$tmp/log"
	for name in "$@"; do
		n=$(grep -c "numamig: $name: " "$tmp/log")
		[ "$n" = "${refused[$name]:-0}" ] ||
			fails+="$name: ${refused[$name]:-0} values refused, $n lines in the kernel log"$'\n'
	done
}

# Long, but under a page: kernfs refuses a longer write with E2BIG itself.
long_digits=$(printf '1%.0s' $(seq 4000))
long_alpha=$(printf 'A%.0s' $(seq 4000))
uint_names=()
for f in "$pm"/*; do
	name=$(basename "$f")
	[ "$name" = mode ] && continue
	# The scope lists are strings: numamig_coexist.sh feeds them bad
	# values (a misplaced *, too many entries, too long, relative paths).
	case $name in comm_include | comm_exclude | cgroup_include | cgroup_exclude) continue ;; esac
	range=$(modinfo -F parm "$NUMAMIG_KO" | sed -n "s/^$name:.*\[\([0-9]*\)\.\.\([0-9]*\), default \([0-9]*\)\].*/\1 \2 \3/p")
	read -r lo hi def <<<"$range"
	if [ -z "$hi" ]; then
		fails+="$name: no [lo..hi, default d] in its description"$'\n'
		continue
	fi
	if [ "$(stat -c %a "$f")" = 444 ]; then
		nr_inputs=$((nr_inputs + 1))
		if { echo "$lo" >"$f"; } 2>/dev/null; then
			fails+="$name: read-only, but a write succeeded"$'\n'
		fi
		continue
	fi
	uint_names+=("$name")
	orig=$(cat "$f")
	vals_bad=(-1 -0 $'\n' " " abc 12abc "12 34" "1.5" 1e3 0x "$((hi))x" "+-1"
		  4294967295 4294967296 18446744073709551615 18446744073709551616
		  99999999999999999999999 "$long_digits" "$long_alpha"
		  $'\x01\x02' $'7\n8' "$((hi + 1))")
	[ "$lo" -gt 0 ] && vals_bad+=("$((lo - 1))" 0)
	for v in "${vals_bad[@]}"; do
		try "$name" "$v" 0
	done
	for v in "$lo" "$hi" "$def"; do
		try "$name" "$v" 1
	done
	# random values around the range, checked against in_range
	for i in $(seq 12); do
		case $((RANDOM % 4)) in
		0) v=$(( (RANDOM << 15 | RANDOM) % (hi + 2) )) ;;
		1) v=$((lo + RANDOM % 3 - 1)); [ "$v" -lt 0 ] && v=0 ;;
		2) v=$((hi + RANDOM % 3 - 1)) ;;
		3) v=$(( (RANDOM << 30 | RANDOM << 15 | RANDOM) )) ;;
		esac
		acc=0
		in_range "$v" "$lo" "$hi" && acc=1
		try "$name" "$v" "$acc"
	done
	# a trailing newline, as echo writes it, is fine
	nr_inputs=$((nr_inputs + 1))
	{ echo "$def" >"$f"; } 2>/dev/null && read -r now <"$f" && [ "$now" = "$def" ] ||
		fails+="$name: '$def\\n' refused"$'\n'
	echo "$orig" >"$f"
done
log_matches "${uint_names[@]}"
if [ -z "$fails" ]; then
	tap_ok "${#uint_names[@]} writable numeric parameters: bad values refused with a log line and the value kept, good ones taken; max_tasks read-only"
else
	echo -n "$fails" | head -40 | tap_diag
	tap_fail "numeric parameters: bad values refused with a log line and the value kept, good ones taken"
fi

fails=
for v in $'\n' " " bogus Enforce ENFORCE "enforce " " enforce" enforcex "enf" "off observe" \
	 $'observe\nx' $'\x01' "$long_alpha" 0 1 2 -1; do
	try mode "$v" 0
done
for v in off observe enforce; do
	try mode "$v" 1
done
log_matches mode
if [ -z "$fails" ]; then
	tap_ok "mode: 17 bad values refused with a log line, mode kept; off, observe, enforce taken"
else
	echo -n "$fails" | tap_diag
	tap_fail "mode: bad values refused, mode kept"
fi
tap_diag <<<"$nr_inputs parameter writes tried"

# The log quotes a refused value escaped and cut short.
long_line=$(grep "numamig: period_ms: 'AAAA" "$tmp/log" | tail -1)
tap_check "the log quotes at most 32 characters of a page-long value" \
	eval '[ -n "$long_line" ] && [ ${#long_line} -lt 200 ]'

# A new period_ms applies at once: the pass queued a minute away under
# 60000 is brought forward when it goes back to 200.
echo 60000 >"$pm/period_ms"
sleep 1
runs0=$(stat_of worker_runs)
echo 200 >"$pm/period_ms"
passes_again() { [ "$(stat_of worker_runs)" -ge $((runs0 + 3)) ]; }
eventually 5 passes_again
tap_check "period_ms 60000 then 200: passes every 200 ms again at once ($(( $(stat_of worker_runs) - runs0 )) passes since)" \
	passes_again

# Tasks for the live files: a misplaced workload numamig moves, one whose
# name has a space and a DEL byte.
numamig_unload
if ! insmod "$NUMAMIG_KO" mode=enforce min_rss_mb=16 min_cpu_permille=100 period_ms=200 min_age_ms=0; then
	tap_diag <<<"insmod for the live files failed"
fi
echo 16 >"$pm/min_rss_mb"
weird="$tmp/odd name$(printf '\x7f')x"
cp "$workload" "$weird"
start_workload w1 -m "$last" -r 0 -u -s 32 -t 0 || true
"$weird" -m "$last" -r 0 -s 32 -t 0 >"$tmp/w2" 2>&1 &
pids+=($!)
has_tasks() { [ "$(stat_of tasks_tracked)" -ge 2 ]; }
eventually 10 has_tasks || tap_diag <"$NUMAMIG_DBG/tasks"
odd_seen() { grep -q ' odd_name_x ' "$NUMAMIG_DBG/tasks"; }
# Found once it has faulted its memory in, which takes seconds under TCG.
eventually 20 odd_seen || { cat "$tmp/w2"; cat "$NUMAMIG_DBG/tasks"; } | tap_diag
tap_check "a task named 'odd name<DEL>x' shows as odd_name_x in tasks" odd_seen
has_decisions() { [ "$(wc -l <"$NUMAMIG_DBG/decisions")" -ge 2 ]; }
eventually 10 has_decisions

tap_check "topology read in 1/7/13-byte pieces, from the middle, by pread and after lseek equals the whole read" \
	"$dbgread" -s -n 2 "$NUMAMIG_DBG/topology"
out=$("$dbgread" -n 2 "$NUMAMIG_DBG"/stats "$NUMAMIG_DBG"/nodes "$NUMAMIG_DBG"/tasks "$NUMAMIG_DBG"/decisions 2>&1)
rc=$?
[ $rc -eq 0 ] || echo "$out" | tap_diag
tap_check "stats, nodes, tasks, decisions read those ways: well-formed lines shaped like the whole read's" test $rc = 0

readers=()
for i in 1 2 3 4; do
	"$dbgread" -n 3 "$NUMAMIG_DBG"/stats "$NUMAMIG_DBG"/nodes "$NUMAMIG_DBG"/tasks \
		"$NUMAMIG_DBG"/decisions >"$tmp/reader$i" 2>&1 &
	readers+=($!)
done
"$dbgread" -s -n 3 "$NUMAMIG_DBG"/topology >"$tmp/reader0" 2>&1 &
readers+=($!)
rfail=0
for r in "${readers[@]}"; do
	wait "$r" || rfail=$((rfail + 1))
done
[ $rfail -eq 0 ] || cat "$tmp"/reader* | grep -v '^ok' | head -20 | tap_diag
tap_check "five readers at once (four on the live files, one on topology): all consistent" test $rfail = 0

# Permissions.
ww=$(find "$NUMAMIG_DBG" "$pm" -perm -o+w 2>/dev/null)
[ -z "$ww" ] || echo "$ww" | tap_diag
tap_check "nothing under $NUMAMIG_DBG or $pm is world-writable" test -z "$ww"
open_files=$(find "$NUMAMIG_DBG" -type f -perm /g+r,o+r,g+w,o+w 2>/dev/null)
[ -z "$open_files" ] || echo "$open_files" | tap_diag
tap_check "every debugfs file (tasks and decisions show other users' tasks) is root-only" test -z "$open_files"
if command -v setpriv >/dev/null; then
	nonroot=$(for f in tasks decisions; do
		setpriv --reuid=65534 --regid=65534 --clear-groups cat "$NUMAMIG_DBG/$f" >/dev/null 2>&1 &&
			echo "$f readable by uid 65534"
	done)
	[ -z "$nonroot" ] || echo "$nonroot" | tap_diag
	tap_check "a non-root user cannot read tasks or decisions" test -z "$nonroot"
else
	tap_skip "setpriv not installed"
fi

ptrs=$(grep -HEio '(0x)?ffff[0-9a-f]{12}' "$NUMAMIG_DBG"/* "$pm"/* 2>/dev/null)
[ -z "$ptrs" ] || echo "$ptrs" | head | tap_diag
tap_check "no kernel pointer (ffff...) in any debugfs file or parameter" test -z "$ptrs"

stop_workloads
numamig_unload
tap_check "dmesg clean" dmesg_clean
tap_finish
