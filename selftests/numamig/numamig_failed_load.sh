#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A load that fails must say why and leave nothing behind. Loads the
# fault-injection builds (tools/build-modules): one where a required
# tracepoint is missing, one where attaching fails after four probes were
# attached. Then the real module must load and count: a probe left
# registered from a failed load would point into freed module memory.

. "$(dirname "$0")/lib.sh"

require_env
numamig_unload

tap_plan 9
dmesg_mark

# fault_load N MESSAGE: insmod of fault build N fails, logs MESSAGE, and
# leaves no module and no debugfs directory.
fault_load()
{
	local n=$1 msg=$2 ko
	ko=$NUMAMIG_TOP/build/$(uname -r)-fault$n/module/numamig.ko
	if [ ! -f "$ko" ]; then
		tap_skip "fault build $n not built (make modules-all)"
		tap_skip "fault build $n: nothing left behind"
		return
	fi
	if insmod "$ko" 2>/dev/null; then
		tap_fail "fault build $n: insmod fails"
		rmmod numamig
	elif dmesg_since_mark | grep -q "numamig: $msg"; then
		tap_ok "fault build $n: insmod fails with \"$msg\""
	else
		dmesg_since_mark | tail -5 | tap_diag
		tap_fail "fault build $n: insmod fails with \"$msg\""
	fi
	if ! numamig_loaded && [ ! -e "$NUMAMIG_DBG" ]; then
		tap_ok "fault build $n: no module and no debugfs directory left"
	else
		tap_fail "fault build $n: no module and no debugfs directory left"
	fi
}

fault_load 1 "required tracepoint numamig_no_such_tracepoint not found in this kernel"
fault_load 2 "cannot attach to tracepoint sched_wakeup: -22"

tap_check "the real module loads after the failed loads" insmod "$NUMAMIG_KO"

switch_grows()
{
	local a b
	a=$(stat_of sched_switch) || return 1
	sleep 0.3
	b=$(stat_of sched_switch) || return 1
	[ "$b" -gt "$a" ]
}
tap_check "and counts sched_switch" switch_grows
tap_check "and every tracepoint is attached once" [ "$(stat_of tracepoints_attached)" = 9 ]
tap_check "rmmod" rmmod numamig
tap_check "no warning, BUG, Oops or lockdep report in dmesg" dmesg_clean
tap_finish
