#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Terminal job control of a traced program works as without gtrace
# (inside the VM, with the real module): an interactive shell on a
# pseudo-terminal (script(1)) runs gtrace-run in the foreground, Ctrl-Z
# stops the job, bg goes on with it; a traced program in the background
# that reads the terminal is stopped by SIGTTIN, fg brings it back and
# the line typed then reaches it. The same session runs once without
# gtrace-run, as the reference. GTRACE_RUN_WRAP="" runs only that.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=SCRIPTDIR/../lib/tap.sh
. "$top/tests/lib/tap.sh"
run=$top/build/bin/gtrace-run
tap_tmpdir
tap_lines=30

echo "TAP version 13"
command -v script > /dev/null || { echo "1..0 # SKIP no script(1)"; exit 0; }
[ -x "$run" ] || { echo "Bail out! gtrace-run not built (make)"; exit 1; }

# session DIR WRAP...: the keystrokes of a user, with pauses, into an
# interactive bash on a pty; what happened lands in DIR.
session() {
	local d=$1
	shift
	mkdir -p "$d"
	{
		sleep 2
		echo "$* sh -c 'sleep 4; echo done > $d/z.out'"
		sleep 2
		printf '\032'			# Ctrl-Z
		sleep 2
		echo "jobs > $d/jobs1; bg; wait; echo \$? > $d/z.rc"
		sleep 6
		echo "$* sh -c 'read x; echo \"got \$x\" > $d/t.out' &"
		sleep 3
		echo "jobs > $d/jobs2; fg"
		sleep 2
		echo "hello"
		sleep 3
		echo "echo \$? > $d/t.rc; exit"
		sleep 2
	} | timeout 60 script -qec "env -i HOME=/ PATH=$PATH TERM=dumb PS1='$ ' bash --norc --noprofile -i" \
		"$d/typescript" > /dev/null 2>&1
}

# report DIR: what a session did, one fact a line.
report() {
	echo "stopped by Ctrl-Z: $(grep -c 'Stopped' "$1/jobs1" 2> /dev/null)"
	echo "bg, then exit status $(cat "$1/z.rc" 2> /dev/null) and $(cat "$1/z.out" 2> /dev/null)"
	echo "background read stopped: $(grep -c "Stopped" "$1/jobs2" 2> /dev/null)"
	echo "fg, then $(cat "$1/t.out" 2> /dev/null), exit status $(cat "$1/t.rc" 2> /dev/null)"
}

session "$tmp/bare"
report "$tmp/bare" > "$tmp/bare.txt"
cp "$tmp/bare.txt" "$out"
cat "$tmp/bare/typescript" >> "$out" 2> /dev/null
[ "$(cat "$tmp/bare.txt")" = "stopped by Ctrl-Z: 1
bg, then exit status 0 and done
background read stopped: 1
fg, then got hello, exit status 0" ]
verdict "without gtrace: the session does what job control does"

if [ "${GTRACE_RUN_WRAP-x}" = "" ]; then
	tap_done "job control (reference only)"
	exit
fi
session "$tmp/traced" "$run" -o "$tmp/traced/report.txt" --
report "$tmp/traced" > "$tmp/traced.txt"
{ diff "$tmp/bare.txt" "$tmp/traced.txt"; cat "$tmp/traced/typescript"; } > "$out" 2>&1
check "under gtrace-run: Ctrl-Z, bg, a background read's SIGTTIN and fg as without" \
	cmp -s "$tmp/bare.txt" "$tmp/traced.txt"
cp "$tmp/traced/report.txt" "$out" 2> /dev/null
grep -q '^% time' "$tmp/traced/report.txt" && grep -q ' read$' "$tmp/traced/report.txt"
verdict "... and the traced run's report is complete (its read counted)"

tap_done "job control under a pseudo-terminal"
