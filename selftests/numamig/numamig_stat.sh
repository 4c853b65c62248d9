#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# numamigstat against the live module: counters shown and growing, and a
# one-line explanation, with a non-zero exit, when the module is not
# loaded, debugfs is not mounted or the caller is not root.

. "$(dirname "$0")/lib.sh"

require_env
numamig_unload

stat_bin=$NUMAMIG_TOP/tools/numamigstat/numamigstat
[ -x "$stat_bin" ] || skip_all "$stat_bin not built (make tools)"

tap_plan 6
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

insmod "$NUMAMIG_KO" || { tap_fail "insmod"; tap_finish; }

switches()
{
	"$stat_bin" | awk '$1 == "sched_switch" { print $2 }'
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
tap_check "shows sched_switch, growing between reads" shows_growing

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

tap_check "rmmod" rmmod numamig
tap_check "no warning, BUG, Oops or lockdep report in dmesg" dmesg_clean
tap_finish
