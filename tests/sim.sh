#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/numamig-sim on the host: what a user of its figures relies on.
# Deterministic for a seed (and a scenario gives the same figures alone
# or with others); never-migrate never moves; the oracle is not beaten
# by more than 1% on the default scenarios (it can be elsewhere: see
# Documentation/testing.rst); numamig moves less than always-move and
# beats never-migrate; with all memory local nothing moves; with run
# time independent of memory placement the oracle moves nothing; the
# policy library is the one deciding (its parameters and verdicts show);
# bad usage is refused.

. "$(dirname "$0")/../selftests/numamig/lib.sh"

bin=$NUMAMIG_TOP/tools/numamig-sim/numamig-sim

tap_plan 16

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Rebuild, so that a stale binary never passes for the current source.
if make --no-print-directory -s -C "$NUMAMIG_TOP" tools/numamig-sim/numamig-sim \
	>"$tmp/build" 2>&1 && [ -x "$bin" ]; then
	tap_ok "numamig-sim builds with the policy library"
else
	tap_diag <"$tmp/build"
	tap_fail "numamig-sim builds with the policy library"
	tap_finish
fi

# sim NAME ARGS...: CSV of a run into $tmp/NAME.csv; its status.
sim()
{
	local name=$1
	shift
	"$bin" --csv "$@" >"$tmp/$name.csv" 2>"$tmp/$name.err"
}

# col NAME POLICY FIELD: one field per scenario of POLICY's rows, in
# order. Fields: 4 run_s, 5 regret_pct, 6 moves.
col()
{
	awk -F, -v p="$2" -v f="$3" 'NR > 1 && $3 == p { print $f }' "$tmp/$1.csv"
}

# all_zero NAME POLICY FIELD: the field is 0 in every scenario.
all_zero()
{
	[ -n "$(col "$@")" ] && ! col "$@" | awk '$1 + 0 != 0 { bad = 1 } END { exit !bad }'
}

# 2-3: the defaults: four scenarios, six policies each, in well under a
# minute (the whole run takes about a second on this 2-core host).
start=$(date +%s)
if sim d1 -s 1; then
	tap_ok "defaults run ($(($(date +%s) - start)) s)"
else
	tap_diag <"$tmp/d1.err"
	tap_fail "defaults run"
fi
rows=$(awk -F, 'NR > 1' "$tmp/d1.csv" | wc -l)
heads=$(head -1 "$tmp/d1.csv")
scen=$(awk -F, 'NR > 1 { print $1 "," $2 }' "$tmp/d1.csv" | sort -u | wc -l)
if [ "$rows" -eq 24 ] && [ "$scen" -eq 4 ] &&
   [ "$heads" = "nodes,dist,policy,run_s,regret_pct,moves,cpu_s,makespan_s" ]; then
	tap_ok "CSV: a header and 24 rows, 6 policies x 2 topologies x 2 distributions"
else
	head -3 "$tmp/d1.csv" | tap_diag
	tap_fail "CSV: a header and 24 rows (got $rows rows, $scen scenarios)"
fi

# 4-5: deterministic for a seed; a scenario alone gives its rows of the
# whole run; another seed gives other figures.
sim d1again -s 1
sim d2 -s 2
sim alone -s 1 -N 4 -d exp
if cmp -s "$tmp/d1.csv" "$tmp/d1again.csv" &&
   [ "$(grep '^4,exp,' "$tmp/d1.csv")" = "$(grep '^4,exp,' "$tmp/alone.csv")" ]; then
	tap_ok "same seed, same figures; a scenario alone gives the same rows"
else
	diff "$tmp/d1.csv" "$tmp/d1again.csv" | tap_diag
	tap_fail "same seed, same figures; a scenario alone gives the same rows"
fi
if ! cmp -s "$tmp/d1.csv" "$tmp/d2.csv"; then
	tap_ok "another seed, other figures"
else
	tap_fail "another seed, other figures"
fi

# 6: never-migrate never moves.
tap_check "never-migrate makes no move in any scenario" all_zero d1 never 6

# 7: the oracle (regret 0 by definition) is beaten by no policy by more
# than 1% on the default scenarios, over three seeds, and with half the
# run time memory bound or the memory homes spread evenly.
sim d3 -s 3
sim f05 -f 0.5
sim hot0 --hot 0
# oracle_holds NAME...: every policy's regret is at least -1%.
oracle_holds()
{
	local n
	for n in "$@"; do
		all_zero "$n" oracle 5 || return 1
		awk -F, 'NR > 1 && $5 < -1 { print FILENAME ": " $0; bad = 1 }
			 END { exit bad }' "$tmp/$n.csv" | tap_diag
		[ "${PIPESTATUS[0]}" -eq 0 ] || return 1
	done
}
tap_check "no policy beats the oracle by more than 1% (seeds 1-3, -f 0.5, --hot 0)" \
	oracle_holds d1 d2 d3 f05 hot0

# 8-9: numamig moves less than always-move, and beats never-migrate.
# fewer NAME: numamig moved less than always in every scenario of NAME.
fewer()
{
	paste -d' ' <(col "$1" numamig 6) <(col "$1" always 6) |
		awk 'NF != 2 || $1 >= $2 { bad = 1 } END { exit bad || !NR }'
}
tap_check "numamig makes fewer moves than always-move in every scenario" \
	fewer d1
faster()
{
	paste -d' ' <(col "$1" numamig 4) <(col "$1" never 4) |
		awk 'NF != 2 || $1 >= $2 { bad = 1 } END { exit bad || !NR }'
}
tap_check "numamig's total run time is below never-migrate's in every scenario" \
	faster d1

# 10: all memory local: nothing to gain, no policy moves, and every
# policy's run time is never-migrate's.
sim local --local 1
same_time()
{
	awk -F, 'NR > 1 { k = $1 "," $2; if (!(k in t)) t[k] = $4;
		 else if ($4 != t[k]) bad = 1 } END { exit bad || !NR }' "$tmp/$1.csv"
}
local_ok=1
for p in never always autonuma numad numamig oracle; do
	all_zero local "$p" 6 || local_ok=0
done
same_time local || local_ok=0
if [ $local_ok -eq 1 ]; then
	tap_ok "all memory local: no policy moves anything, run times all equal"
else
	tap_diag <"$tmp/local.csv"
	tap_fail "all memory local: no policy moves anything, run times all equal"
fi

# 11: run time independent of placement (-f 0): the oracle, which only
# moves tasks towards their memory, has no reason to move and matches
# never-migrate. (Policies that need room on the target can beat it
# here: their moves off crowded nodes balance load by accident.)
sim f0 -f 0
if all_zero f0 never 5 && all_zero f0 oracle 6; then
	tap_ok "-f 0: the oracle moves nothing, never-migrate matches it"
else
	tap_diag <"$tmp/f0.csv"
	tap_fail "-f 0: the oracle moves nothing, never-migrate matches it"
fi

# 12: numamig_decide() decides: a minimum age no task reaches stops
# every numamig move and no other policy's.
sim old --min-age-ms 3600000
if all_zero old numamig 6 && ! all_zero old always 6; then
	tap_ok "--min-age-ms 3600000: numamig moves nothing, always-move still moves"
else
	tap_diag <"$tmp/old.csv"
	tap_fail "--min-age-ms 3600000: numamig moves nothing, always-move still moves"
fi

# 13: -v shows the policy library's verdict names, the header the model.
out=$("$bin" -v -n 500 -N 2 -d exp 2>&1)
if grep -q '^ *move [0-9]* .*short_lived [0-9]' <<<"$out" &&
   grep -q '^# numamig: migrate_cost_us 500 refill_us_per_mb 100 refill_cap_mb 32 margin_permille 2000' <<<"$out" &&
   grep -q '^#   speed on node n' <<<"$out"; then
	tap_ok "-v: numamig's verdicts by name; header: the model and the module's defaults"
else
	tap_diag <<<"$out"
	tap_fail "-v: numamig's verdicts by name; header: the model and the module's defaults"
fi

# 14: --swaps: numamig also pairs tasks that found no room (the
# module's swaps): it swaps, the oracle still holds (seeds 1-3), and
# numamig still beats never-migrate.
sim sw1 --swaps -s 1
sim sw2 --swaps -s 2
sim sw3 --swaps -s 3
out=$("$bin" -v -n 2000 -N 2 -d exp --swaps 2>&1)
if grep -q '^ *move [0-9]* .* swapped [1-9]' <<<"$out" &&
   grep -q ', numamig with swaps$' <<<"$out" &&
   oracle_holds sw1 sw2 sw3 && faster sw1; then
	tap_ok "--swaps: numamig swaps, no policy beats the oracle by more than 1%, numamig beats never-migrate"
else
	tap_diag <<<"$out"
	tap_fail "--swaps: numamig swaps, no policy beats the oracle by more than 1%, numamig beats never-migrate"
fi

# 15-16: bad usage: exit 2, a message on stderr, nothing on stdout;
# --help: exit 0.
bad_ok=1
for args in "-N 3" "-d weibull" "--load x" "--load 3" "--period-ms 150" \
	    "--numad-interval-ms 1500" "--alpha 1" "-n 0" "extra" "--nope"; do
	# shellcheck disable=SC2086
	"$bin" $args >"$tmp/bad.out" 2>"$tmp/bad.err"
	rc=$?
	if [ $rc -ne 2 ] || [ -s "$tmp/bad.out" ] || ! [ -s "$tmp/bad.err" ]; then
		echo "$args: exit $rc" | tap_diag
		bad_ok=0
	fi
done
if [ $bad_ok -eq 1 ]; then
	tap_ok "bad usage: exit 2, a message on stderr, nothing on stdout"
else
	tap_fail "bad usage: exit 2, a message on stderr, nothing on stdout"
fi
if "$bin" --help | grep -q '^usage: numamig-sim'; then
	tap_ok "--help"
else
	tap_fail "--help"
fi

tap_finish
