#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run_tests.sh [--stress|--no-stress|TEST...] - run numamig's selftests
# (default: all listed in TEST_PROGS below; --stress only the load/unload
# stress tests, STRESS_PROGS, --no-stress all others), each under the
# timeout in ./settings (NUMAMIG_TEST_TIMEOUT, in seconds, instead if
# set), printing each test's TAP. A test that dies
# without reporting its failure gets a "not ok" of its own. Exits 0 when
# nothing failed.
#
# make check runs the stress tests in a guest of their own under
# single-threaded TCG: loading a module that attaches tracepoints while
# other vCPUs run the patched code can kill a multi-threaded TCG guest
# (Documentation/guarantees.rst).

dir=$(cd "$(dirname "$0")" && pwd)
TEST_PROGS=(numamig_load.sh numamig_failed_load.sh numamig_stat.sh numamig_tasks.sh numamig_migrate.sh
	    numamig_swap.sh numamig_coexist.sh numamig_badinput.sh numamig_stress.sh numamig_cycles.sh)

timeout=$(sed -n 's/^timeout=//p' "$dir/settings" 2>/dev/null)
timeout=${NUMAMIG_TEST_TIMEOUT:-${timeout:-120}}
[[ $timeout =~ ^[1-9][0-9]*$ ]] || { echo "run_tests.sh: NUMAMIG_TEST_TIMEOUT wants seconds, not '$timeout'" >&2; exit 2; }

STRESS_PROGS=(numamig_stress.sh numamig_cycles.sh)

case "${1:-}" in
--stress) TEST_PROGS=("${STRESS_PROGS[@]}") ;;
--no-stress)
	rest=()
	for t in "${TEST_PROGS[@]}"; do
		[[ " ${STRESS_PROGS[*]} " == *" $t "* ]] || rest+=("$t")
	done
	TEST_PROGS=("${rest[@]}")
	;;
"") ;;
*) TEST_PROGS=("$@") ;;
esac

echo "# kernel $(uname -r), $(ls -d /sys/devices/system/node/node[0-9]* | wc -l) nodes, $(nproc) cpus"
rc=0
for t in "${TEST_PROGS[@]}"; do
	echo "# selftests: numamig: $t"
	out=$(mktemp)
	# To a file, not a pipe: a stray process still holding a pipe open
	# would hang the run after the test ended.
	timeout -k 5 "$timeout" "$dir/$t" >"$out" 2>&1 </dev/null
	trc=$?
	cat "$out"
	case $trc in
	0|4) ;;
	124) echo "not ok - $t timed out after ${timeout}s"; rc=1 ;;
	*)
		grep -q '^not ok ' "$out" || echo "not ok - $t exited $trc"
		rc=1
		;;
	esac
	rm -f "$out"
done
exit $rc
