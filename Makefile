# SPDX-License-Identifier: GPL-2.0
#
# numamig: build the module, the tools and the selftests; run the checks.
#
#   make                 module for KDIR, numamigstat, selftest helpers
#   make modules-all     the module for every installed kernel, W=1,
#                        failing on any warning, into build/<kver>/
#   make check           install what is needed, build, host tests,
#                        VM selftests on 6.1 and 6.12, 2 and 4 nodes,
#                        then on the debug kernel
#   make debug-kernel    build (once, cached) the debug kernel and
#                        numamig.ko against it, into build/<its kver>/
#   make check-debug     selftests on the debug kernel (lockdep, KASAN,
#                        might_sleep, kmemleak) in a 2-node guest
#   make demo            boot a 2-node guest, load, show numamigstat
#   make bench           every benchmark (tools/bench/), into
#                        bench-results/<date>-<kernel>/ (results.md, PNG
#                        plots); BENCH_ARGS=--quick for a shorter run.
#                        Not part of make check
#   make lint            checkpatch.pl, kernel-doc, sparse over module/ include/
#
# KDIR defaults to the running kernel's build tree; where there is none
# (as on a build host), to the newest installed Debian headers. KVER=
# picks an installed kernel by version.

KVERS_INSTALLED := $(shell ls -d /lib/modules/*/build 2>/dev/null | \
			 cut -d/ -f4 | sort -rV)
ifneq ($(KVER),)
KDIR ?= /lib/modules/$(KVER)/build
else ifneq ($(wildcard /lib/modules/$(shell uname -r)/build),)
KDIR ?= /lib/modules/$(shell uname -r)/build
else
KDIR ?= /lib/modules/$(firstword $(KVERS_INSTALLED))/build
endif

CC ?= cc
CFLAGS ?= -O2 -g
HOST_CFLAGS := $(CFLAGS) -std=gnu11 -Wall -Wextra -Werror -Iinclude

TOOLS := tools/numamigstat/numamigstat tools/numamig-sim/numamig-sim
SELFTEST_BINS := selftests/numamig/pingpong selftests/numamig/numa_workload \
		 selftests/numamig/many_threads

.PHONY: all module modules-all tools selftests check deps unit lint demo clean \
	debug-kernel check-debug bench

all: module tools selftests

module:
	@test -d "$(KDIR)" || { echo "numamig: no kernel build tree at KDIR=$(KDIR); install linux-headers-amd64 or set KDIR" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=$(W) modules

# One build tree per kernel, so that the selftests find a module built for
# the kernel the guest runs.
modules-all:
	@tools/build-modules $(KVERS)

tools: $(TOOLS)
selftests: $(SELFTEST_BINS)

NUMAMIGSTAT_SRCS := $(addprefix tools/numamigstat/,numamigstat.c read.c views.c \
			export.c advise.c)

tools/numamigstat/numamigstat: $(NUMAMIGSTAT_SRCS) tools/numamigstat/numamigstat.h
	$(CC) $(HOST_CFLAGS) -o $@ $(NUMAMIGSTAT_SRCS)

# The decision simulator runs the module's own policy library.
tools/numamig-sim/numamig-sim: tools/numamig-sim/numamig-sim.c \
		module/numamig_policy.c include/numamig/policy.h
	$(CC) $(HOST_CFLAGS) -o $@ $(filter %.c,$^) -lm

selftests/numamig/pingpong: selftests/numamig/pingpong.c
	$(CC) $(HOST_CFLAGS) -o $@ $<

selftests/numamig/numa_workload: selftests/numamig/numa_workload.c selftests/numamig/helper_util.h
	$(CC) $(HOST_CFLAGS) -pthread -o $@ $<

selftests/numamig/many_threads: selftests/numamig/many_threads.c selftests/numamig/helper_util.h
	$(CC) $(HOST_CFLAGS) -pthread -o $@ $<

# Host unit tests, run by tests/*.sh: the policy library, built as is.
UNIT_TESTS := tests/unit/test_policy tests/unit/test_decide

all unit: $(UNIT_TESTS)

$(UNIT_TESTS): tests/unit/%: tests/unit/%.c tests/unit/unit.h \
		module/numamig_policy.c include/numamig/policy.h
	$(CC) $(HOST_CFLAGS) -o $@ $(filter %.c,$^)

deps:
	@tools/install-deps

unit: tools
	@tools/check --unit-only

check:
	@tools/install-deps
	@tools/check

lint:
	@tools/lint

debug-kernel: deps
	@tools/debug-kernel >/dev/null
	@tools/build-modules debug

check-debug:
	@tools/install-deps
	@tools/check --debug-only

demo: deps
	@$(MAKE) --no-print-directory modules-all tools selftests
	@tools/demo

bench:
	@tools/install-deps --bench
	@$(MAKE) --no-print-directory modules-all tools selftests
	@tools/bench/make-bench $(BENCH_ARGS)

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null
	rm -rf build $(TOOLS) $(SELFTEST_BINS) $(UNIT_TESTS)
