#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The documentation cannot drift from the code unnoticed:
#  - Documentation/admin-guide.rst names every parameter that modinfo -p
#    lists for a built numamig.ko, with the default and range the module
#    itself states; every debugfs file the module creates
#    (debugfs_create_*() in module/); every stats counter, tracepoint,
#    verdict and release reason; every column of the tables' headers;
#    every field of every trace event (numamig_trace.h); every
#    numamigstat option (its getopt tables);
#  - every function declared in module/*.h and include/numamig/*.h (the
#    ones other files call) has a kernel-doc comment;
#  - every .rst under Documentation/ starts with its SPDX line, parses
#    with docutils without a warning, and is in index.rst's toctree;
#    design.rst has the sections it must have.
# Each check lists what is missing.

. "$(dirname "$0")/../selftests/numamig/lib.sh"

cd "$NUMAMIG_TOP" || exit 1
guide=Documentation/admin-guide.rst

ko=
for f in build/*/module/numamig.ko; do
	case $f in
	build/*-fault*/* | build/sparse-*/*) continue ;;
	esac
	[ -f "$f" ] && { ko=$f; break; }
done

tap_plan 12

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# section TITLE NEXT: the admin guide's section TITLE, up to NEXT.
section()
{
	awk -v a="$1" -v b="$2" '$0 == a { f = 1 } $0 == b { f = 0 } f' "$guide" \
		>"$tmp/section"
	[ -s "$tmp/section" ] || echo "# no section '$1' in $guide"
}

# documented WHAT NAME...: ok if every NAME appears as ``NAME`` in the
# last section() (or ``NAME ARG`` for an option), else fail listing the
# missing ones.
documented()
{
	local what=$1 n missing=()
	shift
	for n in "$@"; do
		grep -qE "\`\`$n(\`\`| [A-Z])" "$tmp/section" || missing+=("$n")
	done
	if [ $# -gt 0 ] && [ ${#missing[@]} -eq 0 ]; then
		tap_ok "admin guide: all $# $what"
	else
		echo "# not in $guide: ${missing[*]}"
		tap_fail "admin guide: every one of the $# $what"
	fi
}

# --- parameters, from modinfo -p of the built module -------------------------

if [ -z "$ko" ]; then
	tap_skip "admin guide: every parameter of modinfo -p: no build/<kver>/module/numamig.ko (make modules-all)"
else
	missing=()
	n=0
	while IFS= read -r line; do
		name=${line%%:*}
		desc=${line#*:}
		n=$((n + 1))
		# The entry's first line: ``name`` (default D, LO to HI...
		entry=$(grep -m1 "^\`\`$name\`\` (default " "$guide")
		if [ -z "$entry" ]; then
			missing+=("$name")
			continue
		fi
		# "[lo..hi, default d]", as NUMAMIG_UINT_PARAM() appends it.
		if [[ $desc =~ \[([0-9]+)\.\.([0-9]+),\ default\ ([0-9]+)\] ]]; then
			want="(default ${BASH_REMATCH[3]}, ${BASH_REMATCH[1]} to ${BASH_REMATCH[2]}"
			[[ $entry == *"$want"* ]] || missing+=("$name:$want")
		fi
	done < <(modinfo -p "$ko")
	if [ $n -gt 0 ] && [ ${#missing[@]} -eq 0 ]; then
		tap_ok "admin guide: all $n parameters of modinfo -p, with the module's default and range"
	else
		echo "# missing or differing: ${missing[*]}"
		tap_fail "admin guide: every parameter of modinfo -p, with the module's default and range"
	fi
fi

# --- debugfs -----------------------------------------------------------------

mapfile -t files < <(grep -ho 'debugfs_create_[a-z0-9_]*("[^"]*"' module/*.c |
	sed 's/.*("//; s/"$//' | sort -u)
missing=()
for f in "${files[@]}"; do
	# each file is a section of its own: a title line ``name``
	grep -qx "\`\`$f\`\`" "$guide" || missing+=("$f")
done
if [ ${#files[@]} -gt 0 ] && [ ${#missing[@]} -eq 0 ]; then
	tap_ok "admin guide: a section for each of the ${#files[@]} debugfs files (${files[*]})"
else
	echo "# no section: ${missing[*]}"
	tap_fail "admin guide: a section for every debugfs file the module creates"
fi

# stats: literal counter names, and the generated ones (the tracepoints,
# release_<reason>, verdict_<verdict>), whose names come from tables.
mapfile -t counters < <(sed -n '/^static int numamig_stats_show/,/^}/p' module/numamig_debugfs.c |
	grep -o 'seq_printf(m, "[a-z_]*[a-z] %' | sed 's/.*"//; s/ %$//' | sort -u)
mapfile -t tps < <(grep -o '= NUMAMIG_HOOK([a-z_]*' module/numamig_hooks.c | sed 's/.*(//')
section debugfs "Trace events"
documented "stats counters and tracepoints" "${counters[@]}" "${tps[@]}"

mapfile -t verdicts < <(sed -n '/verdict_names\[[A-Z_]*\] = {/,/^};/p' module/numamig_policy.c |
	grep -o '= "[a-z_]*"' | sed 's/= "//; s/"//')
mapfile -t releases < <(sed -n '/release_names\[[A-Z_]*\] = {/,/^};/p' module/numamig_policy.c |
	grep -o '= "[a-z_]*"' | sed 's/= "//; s/"//')
mapfile -t sources < <(sed -n '/numamig_src_names\[[A-Z_]*\] = {/,/^};/p' module/numamig_debugfs.c |
	grep -o '= "[a-z_]*"' | sed 's/= "//; s/"//')
documented "verdicts, release reasons and memory sources" \
	"${verdicts[@]}" "${releases[@]}" "${sources[@]}"

# the headers of nodes, tasks and decisions, and topology's keywords
mapfile -t columns < <({
	grep -o 'seq_puts(m, "[a-z_ ]*\\n")' module/numamig_debugfs.c |
		sed 's/seq_puts(m, "//; s/\\n")//' | tr ' ' '\n'
	sed -n '/^static int numamig_topology_show/,/^}/p' module/numamig_debugfs.c |
		grep -o '"[^"]*"' | sed 's/%[^ ]*//g' | grep -o '[a-z_][a-z_]*'
} | sort -u)
documented "columns of nodes, tasks, decisions and keys of topology" "${columns[@]}"

# --- trace events --------------------------------------------------------------

section "Trace events" numamigstat
mapfile -t events < <(grep -o '^TRACE_EVENT([a-z_]*' module/numamig_trace.h | sed 's/.*(//')
mapfile -t tfields < <(grep -oE '__(field|array)\([^,]*,[[:space:]]*[a-z_]+' module/numamig_trace.h |
	sed 's/.*[,[:space:]]//' | sort -u)
documented "trace events and their fields" "${events[@]}" "${tfields[@]}"

# --- numamigstat ----------------------------------------------------------------

section numamigstat "(end of file)"
src=tools/numamigstat/numamigstat.c
mapfile -t longs < <(sed -n '/longopts\[\] = {/,/^};/p' "$src" |
	grep -o '{ "[a-z-]*"' | sed 's/{ "/--/; s/"$//')
shorts=$(grep -o 'getopt_long(argc, argv, "[^"]*"' "$src" | sed 's/.*"\(.*\)"/\1/' | tr -d :)
mapfile -t shortopts < <(grep -o . <<<"$shorts" | sed 's/^/-/')
documented "numamigstat options" "${longs[@]}" "${shortopts[@]}"

# --- kernel-doc -------------------------------------------------------------------

# Functions other files call: declared (or defined inline) in a header.
mapfile -t funcs < <(grep -hoE '^(static (inline |__always_inline )+)?[a-z][a-z0-9_ ]*[ *]numamig_[a-z0-9_]+\(' \
	module/*.h include/numamig/*.h | grep -oE 'numamig_[a-z0-9_]+\($' | tr -d '(' | sort -u)
missing=()
for f in "${funcs[@]}"; do
	grep -qE "^ \* $f\(\) - " module/*.[ch] include/numamig/*.h || missing+=("$f")
done
if [ ${#funcs[@]} -gt 0 ] && [ ${#missing[@]} -eq 0 ]; then
	tap_ok "kernel-doc for all ${#funcs[@]} functions declared in module/*.h and include/numamig/*.h"
else
	echo "# no kernel-doc comment: ${missing[*]}"
	tap_fail "kernel-doc for every function declared in module/*.h and include/numamig/*.h"
fi

# --- the documents themselves ---------------------------------------------------

bad=()
for f in Documentation/*.rst; do
	[ "$(head -n 1 "$f")" = ".. SPDX-License-Identifier: GPL-2.0" ] || bad+=("$f")
done
tap_check "every Documentation/*.rst starts with its SPDX line ${bad[*]}" [ ${#bad[@]} -eq 0 ]

# Sphinx's toctree is not docutils': a stand-in that accepts it.
rst_check='
import sys
from docutils.core import publish_doctree
from docutils.parsers.rst import Directive, directives
class TocTree(Directive):
    has_content = True
    option_spec = {"maxdepth": directives.unchanged}
    def run(self):
        return []
directives.register_directive("toctree", TocTree)
for f in sys.argv[1:]:
    with open(f) as src:
        publish_doctree(src.read(), source_path=f,
                        settings_overrides={"report_level": 2, "halt_level": 5,
                                            "warning_stream": sys.stdout})
'
if ! python3 -c 'import docutils' 2>/dev/null; then
	tap_fail "Documentation/*.rst parse: python3-docutils is not installed (make deps)"
else
	out=$(python3 -c "$rst_check" Documentation/*.rst 2>&1)
	if [ -z "$out" ]; then
		tap_ok "every Documentation/*.rst parses with docutils without a warning"
	else
		echo "$out" | head -n 30 | tap_diag
		tap_fail "every Documentation/*.rst parses with docutils without a warning"
	fi
fi

missing=()
for f in Documentation/*.rst; do
	n=$(basename "$f" .rst)
	[ "$n" = index ] && continue
	sed -n '/^\.\. toctree::/,/^[^ ]/p' Documentation/index.rst 2>/dev/null |
		grep -qx "   $n" || missing+=("$n")
done
tap_check "Documentation/index.rst's toctree lists every document ${missing[*]}" \
	test -f Documentation/index.rst -a ${#missing[@]} -eq 0

missing=()
for s in Signals "Cost model" "Safety rules" "Locking" "Contexts"; do
	grep -qx "$s" Documentation/design.rst || missing+=("$s")
done
tap_check "design.rst has sections Signals, Cost model, Safety rules, Locking, Contexts ${missing[*]}" \
	[ ${#missing[@]} -eq 0 ]

tap_finish
