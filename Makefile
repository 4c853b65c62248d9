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
#   make install         numamig.ko into /lib/modules/<KDIR's version>/extra/
#                        (modules_install, then depmod), numamigstat into
#                        $(PREFIX)/sbin and its man page into
#                        $(PREFIX)/share/man/man8; DESTDIR= stages them
#   make uninstall       remove what make install installed
#   make dkms-install    the sources into /usr/src/numamig-$(VERSION)/, then
#                        dkms add, build and install for every installed
#                        kernel with headers (tools/dkms)
#   make dkms-remove     dkms remove every numamig version, its sources too
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

# The one version, from include/numamig/version.h: also the module's
# MODULE_VERSION(), numamigstat --version and the DKMS package version.
VERSION := $(shell sed -n 's/^\#define NUMAMIG_VERSION "\(.*\)"$$/\1/p' \
		include/numamig/version.h)

# The release KDIR is for, where modules_install puts the module (Debian's
# 6.1 headers say 6.1.192 in include/config/kernel.release).
KDIR_RELEASE = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"$$/\1/p' \
		$(KDIR)/include/generated/utsrelease.h)

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
INSTALL_MOD_DIR ?= extra

CC ?= cc
CFLAGS ?= -O2 -g
HOST_CFLAGS := $(CFLAGS) -std=gnu11 -Wall -Wextra -Werror -Iinclude

TOOLS := tools/numamigstat/numamigstat tools/numamig-sim/numamig-sim
SELFTEST_BINS := selftests/numamig/pingpong selftests/numamig/numa_workload \
		 selftests/numamig/many_threads selftests/numamig/dbgread

.PHONY: all module modules-all tools selftests check deps unit lint demo clean \
	debug-kernel check-debug install uninstall dkms-install dkms-remove version bench

all: module tools selftests

module:
	@test -d "$(KDIR)" || { echo "numamig: no kernel build tree at KDIR=$(KDIR); install linux-headers-amd64 or set KDIR" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR)/module W=$(W) modules

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

selftests/numamig/dbgread: selftests/numamig/dbgread.c selftests/numamig/helper_util.h
	$(CC) $(HOST_CFLAGS) -o $@ $<

# Host unit tests, run by tests/*.sh: the policy library, built as is.
UNIT_TESTS := tests/unit/test_policy tests/unit/test_decide tests/unit/test_scope tests/unit/test_swap

all unit: $(UNIT_TESTS)

tests/unit/test_policy tests/unit/test_decide tests/unit/test_swap: tests/unit/%: tests/unit/%.c \
		tests/unit/unit.h module/numamig_policy.c include/numamig/policy.h
	$(CC) $(HOST_CFLAGS) -o $@ $(filter %.c,$^)

tests/unit/test_scope: tests/unit/test_scope.c tests/unit/unit.h \
		module/numamig_scopelist.c include/numamig/scope.h
	$(CC) $(HOST_CFLAGS) -o $@ $(filter %.c,$^)

# The module is built with M=module/, so that modules_install puts it at
# extra/numamig.ko. Kbuild signs at modules_install when the kernel's
# config asks for it; Debian's headers carry no key to sign with (DKMS
# signs with its own). Their lack of a System.map makes Kbuild skip
# depmod, which modprobe needs: it runs here, on $(DESTDIR) if set.
install: module tools/numamigstat/numamigstat
	$(MAKE) -C $(KDIR) M=$(CURDIR)/module INSTALL_MOD_PATH=$(DESTDIR) \
		INSTALL_MOD_DIR=$(INSTALL_MOD_DIR) CONFIG_MODULE_SIG_ALL= modules_install
	depmod -b $(or $(abspath $(DESTDIR)),/) $(KDIR_RELEASE)
	install -D -m 0755 tools/numamigstat/numamigstat $(DESTDIR)$(SBINDIR)/numamigstat
	install -D -m 0644 tools/numamigstat/numamigstat.8 $(DESTDIR)$(MANDIR)/man8/numamigstat.8

uninstall:
	rm -fv $(DESTDIR)/lib/modules/$(KDIR_RELEASE)/$(INSTALL_MOD_DIR)/numamig.ko*
	depmod -b $(or $(abspath $(DESTDIR)),/) $(KDIR_RELEASE)
	rm -fv $(DESTDIR)$(SBINDIR)/numamigstat $(DESTDIR)$(MANDIR)/man8/numamigstat.8

dkms-install:
	@tools/dkms install

dkms-remove:
	@tools/dkms remove

version:
	@echo $(VERSION)

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
	-$(MAKE) -C $(KDIR) M=$(CURDIR)/module clean 2>/dev/null
	rm -rf build $(TOOLS) $(SELFTEST_BINS) $(UNIT_TESTS)
