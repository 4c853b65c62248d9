/* SPDX-License-Identifier: GPL-2.0 */
/*
 * numamig's version, written here only: the module's MODULE_VERSION()
 * and log line, numamigstat --version, the Makefile (and through it the
 * DKMS package version in dkms.conf) all take it from this line, and
 * tests/version.sh checks that they agree.
 */
#ifndef _NUMAMIG_VERSION_H
#define _NUMAMIG_VERSION_H

#define NUMAMIG_VERSION "0.1.0"

#endif /* _NUMAMIG_VERSION_H */
