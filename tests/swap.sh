#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Swaps in the policy library (numamig_swap_decide(), numamig_swap_offer(),
# numamig_swap_match(), numamig_partner_release()): host unit tests in
# tests/unit/test_swap.c, built with module/numamig_policy.c.

. "$(dirname "$0")/unit/run.sh"
unit_run swap
