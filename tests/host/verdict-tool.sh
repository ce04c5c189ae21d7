#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# gtrace diff and gtrace assert on saved traces (tests/data/traces, written
# by libgtrace's own JSON writer): exit codes 0 pass, 1 regression or
# failed budget, 2 bad input with file:line, and the JUnit XML they write.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=SCRIPTDIR/../lib/tap.sh
. "$top/tests/lib/tap.sh"
gtrace=$top/build/bin/gtrace
data=$top/tests/data
tr=$data/traces
tap_tmpdir
tap_lines=15

# expect RC DESCRIPTION [grep PATTERN] -- ARGS...: gtrace ARGS exits RC
# (and prints PATTERN, a fixed string)
expect() {
	if [ "$3" = grep ]; then
		check_exit "$1" "$2" "$4" "$gtrace" "${@:6}"
	else
		check_exit "$1" "$2" "" "$gtrace" "${@:4}"
	fi
}

echo "TAP version 13"
if [ ! -x "$gtrace" ]; then
	echo "Bail out! $gtrace not built (run make)"
	exit 1
fi

expect 0 "diff: identical rerun passes" grep "Golden diff passed" -- \
	diff "$tr/golden.json" "$tr/rerun.json"
expect 1 "diff: 10% more writes at 5% tolerance" \
	grep "Regression: write: 110 calls, golden 100: +10% (tolerance 5%)" -- \
	diff --tolerance 5 "$tr/golden.json" "$tr/more-writes.json"
expect 0 "diff: 10% more writes at 10% tolerance" -- \
	diff --tolerance 10 "$tr/golden.json" "$tr/more-writes.json"
expect 1 "diff: new errno" grep "openat EACCES: new error" -- \
	diff --tolerance 50 "$tr/golden.json" "$tr/new-errno.json"
expect 1 "diff: new syscall" grep "getrandom: new syscall" -- \
	diff --tolerance 50 "$tr/golden.json" "$tr/new-syscall.json"
expect 0 "diff --timing shows time columns" grep "current time" -- \
	diff --timing "$tr/golden.json" "$tr/rerun.json"
expect 2 "diff: missing file" grep "no-such.json" -- \
	diff "$tr/golden.json" "$tr/no-such.json"
expect 2 "diff: a TOML file is not a trace" grep "renacer.toml" -- \
	diff "$data/renacer.toml" "$tr/golden.json"
expect 2 "diff: bad tolerance" -- diff --tolerance -3 "$tr/golden.json" "$tr/rerun.json"
expect 2 "diff: one file only" -- diff "$tr/golden.json"

expect 0 "assert: renacer.toml within budget" \
	grep "Assertion 'example_startup_latency' passed (Actual: 42ms, Budget: 100ms)" -- \
	assert "$data/renacer.toml" "$tr/golden.json"
sed 's/max_duration_ms = 100/max_duration_ms = 10/' "$data/renacer.toml" > "$tmp/tight.toml"
expect 1 "assert: budget below the measured wall time fails" \
	grep "   Regression: +320%" -- assert "$tmp/tight.toml" "$tr/golden.json"
sed 's/max_spans = 500/max_spans = 139/' "$data/renacer.toml" > "$tmp/spans.toml"
expect 1 "assert: span budget one below the count fails" \
	grep "Actual: 140 syscalls" -- assert "$tmp/spans.toml" "$tr/golden.json"
sed 's/max_spans = 500/max_spans = 140/' "$data/renacer.toml" > "$tmp/spans.toml"
expect 0 "assert: span budget at the count passes" -- assert "$tmp/spans.toml" "$tr/golden.json"
expect 2 "assert: unknown key is file:line" \
	grep "unknown-key.toml:5: unknown key 'maxx'" -- \
	assert "$data/assert-bad/unknown-key.toml" "$tr/golden.json"
expect 2 "assert: syntax error is file:line" grep "syntax-error.toml:4:" -- \
	assert "$data/assert-bad/syntax-error.toml" "$tr/golden.json"

expect 1 "assert --junit still fails the run" -- \
	assert --junit "$tmp/a.xml" "$tmp/tight.toml" "$tr/golden.json"
if grep -q '<testsuite name="gtrace" tests="4" failures="1" errors="0" skipped="0">' "$tmp/a.xml" &&
   grep -q '<failure type="critical_path" message="Actual: 42ms, Budget: 10ms, Regression: +320%">' "$tmp/a.xml" &&
   { ! command -v python3 >/dev/null ||
     python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' "$tmp/a.xml"; }; then
	ok "assert --junit writes one test case per assertion"
else
	cp "$tmp/a.xml" "$out"
	not_ok "assert --junit writes one test case per assertion"
fi
"$gtrace" diff --tolerance 5 --junit "$tmp/d.xml" "$tr/golden.json" "$tr/more-writes.json" > "$out" 2>&1
if grep -q 'classname="gtrace.golden" name="golden diff"' "$tmp/d.xml" &&
   grep -q 'write: 110 calls, golden 100: +10% (tolerance 5%)' "$tmp/d.xml"; then
	ok "diff --junit writes the golden diff verdict"
else
	cp "$tmp/d.xml" "$out"
	not_ok "diff --junit writes the golden diff verdict"
fi

tap_done verdict-tool
