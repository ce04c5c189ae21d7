#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Inputs first: gtrace-run reads and checks every file and option
# (--assert, --golden, filters, output paths) before anything runs, so a
# mistake costs no run and gets exit 2 with file:line even where tracing
# is unavailable, as on this host (no module). And output files appear
# only when complete: a run that cannot trace leaves a previous -o,
# --junit or --update-golden file as it was, and no temporary file.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=SCRIPTDIR/../lib/tap.sh
. "$top/tests/lib/tap.sh"
run=$top/build/bin/gtrace-run
gtrace=$top/build/bin/gtrace
data=$top/tests/data
tap_tmpdir

echo "TAP version 13"
[ -x "$run" ] && [ -x "$gtrace" ] || { echo "Bail out! gtrace-run not built (make)"; exit 1; }
if [ -d /sys/module/gtrace ]; then
	echo "1..0 # SKIP the module is loaded here: tracing is available"
	exit 0
fi

good=$data/json-good/minimal.json
budget=$data/renacer.toml
marker=$tmp/ran
cmd=(sh -c ': > "$0"' "$marker")

# bad WANT-PATTERN DESCRIPTION OPTIONS...: exit 2 with the pattern, no
# "modprobe" hint (the input was refused first), the command never ran.
bad() {
	local pat=$1 what=$2
	shift 2
	rm -f "$marker"
	check_exit 2 "$what" "$pat" "$run" "$@" -- "${cmd[@]}"
	! grep -q modprobe "$out" && [ ! -e "$marker" ]
	verdict "... refused before tracing, the command did not run"
}

bad "/nonexistent.json: No such file" "--golden /nonexistent.json" \
	--golden /nonexistent.json
bad "/nonexistent.toml: No such file" "--assert /nonexistent.toml" \
	--assert /nonexistent.toml
printf '[[assertion]]\nname = "x"\ntype = "span_count"\nmax_spans = 1\nbogus = 1\n' > "$tmp/bad.toml"
bad "$tmp/bad.toml:5:" "--assert with an unknown key: file:line" \
	--assert "$tmp/bad.toml"
bad "$data/json-bad/truncated.json:30:" "--golden of a truncated trace: file:line" \
	--golden "$data/json-bad/truncated.json"
bad "--junit $tmp/no/dir/j.xml" "--junit into a directory that does not exist" \
	--assert "$budget" --junit "$tmp/no/dir/j.xml"
bad "-o $tmp/no/dir/o.txt" "-o into a directory that does not exist" \
	-o "$tmp/no/dir/o.txt"
bad "--update-golden $tmp/no/dir/g.json" "--update-golden into a directory that does not exist" \
	--golden "$tmp/no/dir/g.json" --update-golden
bad "unknown syscall" "-e trace= with an unknown syscall" -e trace=no_such_call
bad "--records-file $tmp/no/dir/r.rec" "--records-file into a directory that does not exist" \
	--records-file "$tmp/no/dir/r.rec"

# Good inputs: the answer is "unavailable" (3), and still nothing ran.
rm -f "$marker"
check_exit 3 "good inputs, no module: exit 3" "modprobe gtrace" \
	"$run" --assert "$budget" --golden "$good" -- "${cmd[@]}"
check "... and the command did not run" [ ! -e "$marker" ]

# Previous outputs stay as they were; no temporary file is left.
mkdir "$tmp/o"
for f in report.txt junit.xml golden.json run.rec; do echo "previous $f" > "$tmp/o/$f"; done
"$run" -o "$tmp/o/report.txt" --assert "$budget" --junit "$tmp/o/junit.xml" \
	--records-file "$tmp/o/run.rec" --no-drops -- true > "$out" 2>&1
check "-o and --junit, no module: exit 3" [ $? = 3 ]
"$run" --golden "$tmp/o/golden.json" --update-golden -- true >> "$out" 2>&1
check "--update-golden, no module: exit 3" [ $? = 3 ]
for f in report.txt junit.xml golden.json run.rec; do
	[ "$(cat "$tmp/o/$f")" = "previous $f" ] || echo "changed: $f" >> "$out"
done
ls -A "$tmp/o" >> "$out"
[ "$(ls -A "$tmp/o" | tr '\n' ' ')" = "golden.json junit.xml report.txt run.rec " ]
verdict "... the previous files are untouched, no temporary file is left"

# gtrace diff and assert write their JUnit reports the same way.
echo "previous" > "$tmp/o/j2.xml"
check_exit 2 "gtrace diff with a bad current trace: exit 2" "truncated.json:30:" \
	"$gtrace" diff --junit "$tmp/o/j2.xml" "$good" "$data/json-bad/truncated.json"
[ "$(cat "$tmp/o/j2.xml")" = previous ] && [ -z "$(find "$tmp/o" -name '.j2.xml.*')" ]
verdict "... its previous --junit file is untouched"
check_exit 0 "gtrace diff of a trace with itself: exit 0" "" \
	"$gtrace" diff --junit "$tmp/o/j2.xml" "$good" "$good"
grep -q '<testsuites tests="1" failures="0"' "$tmp/o/j2.xml"
verdict "... and its --junit report is in place"
check "... with the mode fopen() gives (0666 less the umask)" \
	[ "$(stat -c %a "$tmp/o/j2.xml")" = "$(printf '%o' $((0666 & ~$(umask))))" ]
ln -s j2.xml "$tmp/o/link.xml"
"$gtrace" diff --junit "$tmp/o/link.xml" "$good" "$good" > "$out" 2>&1
[ -L "$tmp/o/link.xml" ] && grep -q '<testsuites' "$tmp/o/j2.xml"
verdict "--junit through a symlink writes its target, the link stays"
"$gtrace" diff --junit /dev/null "$good" "$good" > "$out" 2>&1
check "--junit /dev/null: written in place, /dev/null stays a device" \
	[ $? = 0 ] && [ -c /dev/null ]

tap_done "gtrace-run inputs first, on the host"
