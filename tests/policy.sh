#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The cost estimate's host unit tests: tests/unit/test_policy.c, built
# with module/numamig_policy.c.

. "$(dirname "$0")/unit/run.sh"
unit_run policy
