#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The committed golden traces and budgets, without a kernel module: every
# example has golden_traces/NAME.json (valid gtrace-json-v1, no machine
# paths), NAME_summary.txt and budgets/NAME.toml; the budget files and
# gtrace.toml load, and the golden traces meet them and diff clean against
# themselves. A broken budget file or a stale golden trace shows here,
# before the VM runs make golden-check.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=SCRIPTDIR/../lib/tap.sh
. "$top/tests/lib/tap.sh"
# shellcheck source=SCRIPTDIR/../lib/json.sh
. "$top/tests/lib/json.sh"
gtrace=$top/build/bin/gtrace
validate=$top/tests/json-validate
names=$(grep -v '^#' "$top/examples/list")
tap_tmpdir
tap_lines=15

echo "TAP version 13"
if [ ! -x "$gtrace" ]; then
	echo "Bail out! $gtrace not built (run make)"
	exit 1
fi
have_schema=0
if [ -x "$validate" ] && python3 -c 'import jsonschema' 2> /dev/null; then
	have_schema=1
else
	echo "# python3-jsonschema missing: schema validation skipped (scripts/install-deps)"
fi

# One run of the validator for all of them: it is slow to start.
[ "$have_schema" = 1 ] &&
	"$validate" $(for b in $names; do echo "$top/golden_traces/$b.json"; done) > "$tmp/valid" 2>&1

check_log "ANALYSIS.md has the table and the date" \
	sh -c "grep -q '^| Example | Runtime' '$top/golden_traces/ANALYSIS.md' && grep -q '^Captured on 20[0-9][0-9]-' '$top/golden_traces/ANALYSIS.md'"
for b in $names; do
	g=$top/golden_traces/$b.json
	check_log "$b: golden trace, summary and budgets exist" \
		test -f "$g" -a -f "$top/golden_traces/${b}_summary.txt" -a -f "$top/budgets/$b.toml"
	[ "$have_schema" = 1 ] && check_log "$b: golden trace is valid gtrace-json-v1" \
		grep -qx "$g: ok" "$tmp/valid"
	check_log "$b: golden trace reads back (gtrace report)" "$gtrace" report "$g"
	check_log "$b: golden trace names no machine path (command $(json_get "$g" 't["command"]'))" \
		json_test "$g" 'not t["command"].startswith("/")'

	check_log "$b: golden trace meets budgets/$b.toml" "$gtrace" assert "$top/budgets/$b.toml" "$g"
	check_log "$b: golden trace meets gtrace.toml" "$gtrace" assert "$top/gtrace.toml" "$g"
	check_log "$b: golden trace diffs clean against itself" "$gtrace" diff "$g" "$g"
	check_log "$b: ANALYSIS.md has its row" grep -q "^| \`$b\` |" "$top/golden_traces/ANALYSIS.md"
done

tap_done "golden files"
