# SPDX-License-Identifier: GPL-2.0
#
# What the benchmark scripts share: their machine-readable summaries.
# A script run with --tsv FILE writes its figures there, tab-separated,
# one row a line, first field the kind of row; tools/bench/make-bench
# turns them into Markdown and gnuplot input. The figures are computed
# in the guest, whose files do not reach the host: the guest prints each
# row on the console behind a tag, and the host keeps those lines.
# Source it.

# bench_row TAG FIELD...: one row, on the console, behind TAG.
bench_row()
{
	local tag=$1
	shift
	local IFS=$'\t'
	printf '%s\t%s\n' "$tag" "$*"
}

# bench_guest TAG TSV CMD...: run CMD (a vmtest command line) and show
# its console without the rows behind TAG; write those rows, tag removed,
# to TSV when TSV is not empty. Returns CMD's status.
bench_guest()
{
	local tag=$1 tsv=$2 con rc
	shift 2
	con=$(mktemp) || return 1
	"$@" | tee "$con" | grep -v "^$tag"$'\t'
	rc=${PIPESTATUS[0]}
	# the console ends lines with \r
	[ -n "$tsv" ] && tr -d '\r' <"$con" | sed -n "s/^$tag\t//p" >"$tsv"
	rm -f "$con"
	return "$rc"
}
