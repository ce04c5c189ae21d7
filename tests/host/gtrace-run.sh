#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# gtrace-run's command line and exit codes on a host where the module is
# not loaded (2 for bad usage, 3 with the fix when tracing is unavailable,
# 127 for a program that does not exist), and gtrace report on saved
# traces: its formats, its JSON valid against the schema, its errors as
# file:line with exit code 2.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=SCRIPTDIR/../lib/tap.sh
. "$top/tests/lib/tap.sh"
run=$top/build/bin/gtrace-run
gtrace=$top/build/bin/gtrace
data=$top/tests/data
tap_tmpdir

# expect RC DESCRIPTION -- PROGRAM ARGS...: want exit code RC
expect() { check_exit "$1" "$2" "" "${@:4}"; }

echo "TAP version 13"
if [ ! -x "$run" ] || [ ! -x "$gtrace" ]; then
	echo "Bail out! gtrace-run or gtrace not built (run make)"
	exit 1
fi

expect 0 "--help" -- "$run" --help
check "--help names strace's flags" grep -q -- '-e trace=SET' "$out"
"$run" --version > "$out" 2>&1
check "--version" grep -q '^gtrace-run [0-9]' "$out"
expect 2 "no command" -- "$run"
expect 2 "unknown option" -- "$run" --bogus -- true
expect 2 "-p with a command" -- "$run" -p 1 -- true
expect 2 "bad -p" -- "$run" -p 12x
expect 2 "bad -S" -- "$run" -S size -- true
expect 2 "unknown syscall in -e" -- "$run" -e trace=no_such_call -- true
check "... and the message says which" grep -q "unknown syscall 'no_such_call'" "$out"
expect 2 "-e other than trace=" -- "$run" -e signal=none -- true
expect 2 "bad --format" -- "$run" --format xml -- true
expect 2 "--records with csv" -- "$run" --records --format csv -- true
expect 2 "--no-drops without records" -- "$run" --no-drops -- true
check "... and the message says what it goes with" grep -q -- "--no-drops goes with --records or --records-file" "$out"
expect 2 "--wait-max without --no-drops" -- "$run" --records --wait-max 10 -- true
expect 2 "--wait-max 0" -- "$run" --records --no-drops --wait-max 0 -- true
expect 2 "--wait-max past the module's limit" -- "$run" --records-file "$tmp/r.rec" --no-drops --wait-max 60001 -- true
check "--help names --records-file, --no-drops and --wait-max" sh -c \
	"'$run' --help | grep -q -- '--records-file FILE' && '$run' --help | grep -q -- '--no-drops' && '$run' --help | grep -q -- '--wait-max MS'"
expect 2 "--duration without -p" -- "$run" --duration 1 -- true
expect 2 "--tolerance without --golden" -- "$run" --tolerance 5 -- true
expect 2 "--ring-pages not a power of two" -- "$run" --ring-pages 3 -- true
expect 127 "a program that does not exist" -- "$run" -- /nonexistent/prog

if [ -d /sys/module/gtrace ]; then
	ok "# SKIP the module is loaded here: no exit-3 test"
	ok "# SKIP the module is loaded here: no exit-3 test"
else
	expect 3 "without the module: exit 3" -- "$run" -c -- true
	check "... and says to modprobe gtrace" grep -q 'modprobe gtrace' "$out"
fi

# gtrace report on saved traces.
good=$data/json-good/minimal.json
expect 0 "report: text" -- "$gtrace" report "$good"
check "report: strace's header and total row" \
	grep -q '^100.00    0.000003           1         3         1 total$' "$out"
"$gtrace" report --format json "$good" > "$tmp/r.json" 2> "$out"
check "report --format json validates against the schema" \
	"$top/tests/json-validate" "$tmp/r.json" "$data"/json-good/*.json
"$gtrace" report --format json "$tmp/r.json" > "$tmp/r2.json" 2> "$out"
check "report --format json is stable" cmp -s "$tmp/r.json" "$tmp/r2.json"
"$gtrace" report --format csv -e trace=close "$good" > "$out" 2>&1
check "report --format csv -e trace=close" \
	diff -q - "$out" <<< $'syscall,abi,nr,calls,errors,total_ns,min_ns,max_ns,avg_ns,time_pct\r\nclose,x86_64,3,1,1,500,500,500,500,100.00\r'
expect 2 "report: a malformed file is exit 2" -- "$gtrace" report "$data/json-bad/summary-calls.json"
check "... as file:line: message" \
	grep -q "json-bad/summary-calls.json:18: summary.calls: is 4 but the tasks add up to 3" "$out"
expect 2 "report: a missing file is exit 2" -- "$gtrace" report "$tmp/none.json"

tap_done gtrace-run
