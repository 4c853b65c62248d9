#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# numamig_decide()'s and numamig_hold_ends()'s host unit tests:
# tests/unit/test_decide.c, built with module/numamig_policy.c.

. "$(dirname "$0")/unit/run.sh"
unit_run decide
