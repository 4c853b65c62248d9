# SPDX-License-Identifier: GPL-2.0
#
# Sourced by tests/<name>.sh: (re)build tests/unit/test_<name> with make,
# so that a stale binary never passes for the current source, then pass
# its TAP and exit status through.

unit_run()
{
	local top bin
	top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	bin=$top/tests/unit/test_$1

	if ! make --no-print-directory -s -C "$top" "tests/unit/test_$1" >&2 ||
	   [ ! -x "$bin" ]; then
		echo "TAP version 13"
		echo "1..1"
		echo "not ok 1 build tests/unit/test_$1"
		exit 1
	fi
	exec "$bin"
}
