#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The scope lists' host unit tests: tests/unit/test_scope.c, built with
# module/numamig_scopelist.c.

. "$(dirname "$0")/unit/run.sh"
unit_run scope
