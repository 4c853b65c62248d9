#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# numamig_decide()'s host unit tests (tests/unit/test_decide.c, built
# with module/numamig_policy.c): (re)builds them with make, so that a
# stale binary never passes for the current source, then passes their
# TAP and exit status through.

top=$(cd "$(dirname "$0")/.." && pwd)
bin=$top/tests/unit/test_decide

if ! make --no-print-directory -s -C "$top" tests/unit/test_decide >&2 ||
   [ ! -x "$bin" ]; then
	echo "TAP version 13"
	echo "1..1"
	echo "not ok 1 build tests/unit/test_decide"
	exit 1
fi
exec "$bin"
