#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What modinfo shows of every numamig.ko built under build/<kver>/ (make
# modules-all): a description, an author, the GPL, the version, and every
# parameter the module has (its __param_<name> symbols: a parameter
# without MODULE_PARM_DESC() would not show in modinfo at all) with a
# description. And the one version: include/numamig/version.h's is the
# module's, numamigstat --version's, the Makefile's and the DKMS
# package's (the dkms.conf tools/dkms writes).

. "$(dirname "$0")/../selftests/numamig/lib.sh"

cd "$NUMAMIG_TOP" || exit 1
version=$(sed -n 's/^#define NUMAMIG_VERSION "\(.*\)"$/\1/p' include/numamig/version.h)

kos=()
for ko in build/*/module/numamig.ko; do
	case $ko in
	build/*-fault*/* | build/sparse-*/*) continue ;;
	esac
	[ -f "$ko" ] && kos+=("$ko")
done
[ ${#kos[@]} -gt 0 ] || skip_all "no build/<kver>/module/numamig.ko (make modules-all)"

tap_plan $((4 + 4 * ${#kos[@]}))

tap_check "include/numamig/version.h defines NUMAMIG_VERSION once ('$version')" \
	test "$(grep -c '^#define NUMAMIG_VERSION ' include/numamig/version.h)" = 1 -a -n "$version"
tap_check "make version prints $version" \
	[ "$(make --no-print-directory -s version)" = "$version" ]
if make --no-print-directory -s tools/numamigstat/numamigstat >/dev/null 2>&1; then
	tap_check "numamigstat --version prints 'numamigstat $version'" \
		[ "$(tools/numamigstat/numamigstat --version)" = "numamigstat $version" ]
else
	tap_fail "build numamigstat"
fi
conf_version=$(tools/dkms conf | sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p')
tap_check "the dkms.conf tools/dkms installs has PACKAGE_VERSION=\"$version\"" \
	[ "$conf_version" = "$version" ]

for ko in "${kos[@]}"; do
	kver=${ko#build/}
	kver=${kver%%/*}
	f() { modinfo -F "$1" "$ko" 2>/dev/null; }

	desc=$(f description)
	author=$(f author)
	license=$(f license)
	if [ -n "$desc" ] && [ -n "$author" ] && [ "$license" = GPL ]; then
		tap_ok "$kver: modinfo description, author and license GPL"
	else
		echo "# description '$desc' author '$author' license '$license'"
		tap_fail "$kver: modinfo description, author and license GPL"
	fi
	tap_check "$kver: modinfo version is $version" [ "$(f version)" = "$version" ]

	# Every parameter the module registers, from its kernel_param symbols.
	mapfile -t params < <(nm "$ko" | sed -n 's/^[0-9a-f]* [a-zA-Z] __param_\([a-z0-9_]*\)$/\1/p' |
		grep -v '^str_' | sort -u)
	mapfile -t listed < <(modinfo -p "$ko" | cut -d: -f1 | sort -u)
	if [ ${#params[@]} -gt 0 ] && [ "${params[*]}" = "${listed[*]}" ]; then
		tap_ok "$kver: modinfo -p lists all ${#params[@]} parameters the module has"
	else
		echo "# the module has: ${params[*]}"
		echo "# modinfo -p lists: ${listed[*]}"
		tap_fail "$kver: modinfo -p lists every parameter the module has"
	fi
	bare=$(modinfo -p "$ko" | awk -F: '{ d = $0; sub(/^[^:]*:/, "", d);
		sub(/ *\([a-z]*\)$/, "", d); if (d !~ /[a-zA-Z]/) print $1 }')
	if [ -z "$bare" ]; then
		tap_ok "$kver: every parameter has a description"
	else
		echo "# no description: $bare"
		tap_fail "$kver: every parameter has a description"
	fi
done

tap_finish
