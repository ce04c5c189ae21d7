#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# gtrace-run is transparent to the program it traces (inside the VM, with
# the real module): it survives every catchable signal the program sends
# its parent and reports the run to the end with the program's own exit
# status; a program killed by SIGTERM gives 143 and the signal in the
# JSON; a SIGKILL of gtrace-run mid-run leaves a previous -o file as it
# was; the program gets the environment, cwd, umask, rlimits, signal
# dispositions, signal mask and file descriptors it gets without gtrace.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=SCRIPTDIR/../lib/tap.sh
. "$top/tests/lib/tap.sh"
run=$top/build/bin/gtrace-run
progs=$top/build/tests/vm-progs
validate=$top/tests/json-validate
tap_tmpdir
tap_lines=25

echo "TAP version 13"
[ -x "$run" ] && [ -x "$progs/sigparent" ] ||
	{ echo "Bail out! gtrace-run or its test programs not built (make)"; exit 1; }
command -v jq > /dev/null || { echo "Bail out! no jq (scripts/install-deps)"; exit 1; }

# calls FILE SYSCALL: the x86_64 calls of SYSCALL in a gtrace-json-v1 file.
calls() {
	jq -r --arg s "$2" '[.summary.syscalls[] |
		select(.abi == "x86_64" and .name == $s) | .calls] | add // 0' "$1"
}

# ---- signals the program sends its parent --------------------------------
"$run" --format json -o "$tmp/sig.json" -- "$progs/sigparent" 5 1000 > "$tmp/so"
rc=$?
cp "$tmp/so" "$out"
check "every catchable signal sent to gtrace-run: it lives on, exit is the program's (5)" \
	[ $rc = 5 ]
sent=$(sed -n 's/^sent \([0-9]*\)$/\1/p' "$tmp/so")
check "... the program ran to its end (sent ${sent:-?} signals)" [ "${sent:-0}" -gt 50 ]
cp "$tmp/sig.json" "$out"
[ "$(calls "$tmp/sig.json" kill)" = "$sent" ] &&
	[ "$(calls "$tmp/sig.json" getppid)" = 1001 ] &&
	[ "$(jq .exit_code "$tmp/sig.json") $(jq .exit_signal "$tmp/sig.json")" = "5 0" ]
verdict "... the report is complete: $sent kill, 1001 getppid, exit_code 5"
"$validate" "$tmp/sig.json" > "$out" 2>&1
check "... and valid gtrace-json-v1" [ $? = 0 ]

"$run" --format json -o "$tmp/term.json" -- "$progs/sigparent" term 10 > /dev/null
rc=$?
cp "$tmp/term.json" "$out"
[ $rc = 143 ] && [ "$(jq .exit_signal "$tmp/term.json")" = 15 ] &&
	[ "$(jq -r .exit_signal_name "$tmp/term.json")" = TERM ] &&
	[ "$(jq .exit_code "$tmp/term.json")" = -1 ]
verdict "killed by its own SIGTERM: 143, exit_signal 15 (TERM) in the JSON (exit $rc)"

# Signals from outside the tree still reach the program.
"$run" --format json -o "$tmp/usr1.json" -- sh -c 'trap "exit 42" USR1; sleep 20 & wait' &
pid=$!
sleep 2
kill -USR1 "$pid"
wait "$pid"
check "SIGUSR1 from outside is passed on to the program (its trap exits 42)" [ $? = 42 ]

# ---- -o is replaced only by a complete report ----------------------------
echo "previous report" > "$tmp/keep.txt"
"$run" -o "$tmp/keep.txt" -- sleep 20 &
pid=$!
sleep 2
kill -KILL "$pid"
wait "$pid" 2> /dev/null
[ "$(cat "$tmp/keep.txt")" = "previous report" ]
verdict "SIGKILL of gtrace-run mid-run: the previous -o file is untouched"
# On a file system with O_TMPFILE (tmpfs) the report has no name until it
# is complete: a SIGKILL leaves no temporary file either.
mkdir "$tmp/tmpfs" && mount -t tmpfs none "$tmp/tmpfs"
"$run" -o "$tmp/tmpfs/k.txt" -- sleep 20 &
pid=$!
sleep 2
kill -KILL "$pid"
wait "$pid" 2> /dev/null
[ -z "$(ls -A "$tmp/tmpfs")" ]
verdict "... and on tmpfs leaves no file at all"
umount "$tmp/tmpfs"
"$run" -o "$tmp/keep.txt" -- true
grep -q '^% time' "$tmp/keep.txt"
verdict "... and a run to the end replaces it"
[ -z "$(find "$tmp" -name '.keep.txt.*' -newer "$tmp/keep.txt")" ]
verdict "... leaving no temporary file of its own behind"

# ---- what the program gets ------------------------------------------------
# Everything a process inherits, as the program sees it: the same command
# run with and without gtrace-run must print the same.
inherit() {
	echo "env: $(env | grep -v '^_=' | sort | md5sum)"
	echo "cwd: $(pwd)"
	echo "umask: $(umask)"
	echo "limits: $(ulimit -a | md5sum)"
	grep -E '^Sig(Blk|Ign|Cgt)' /proc/self/status
	# (the pipe to awk and the output file vary from run to run)
	ls -l /proc/self/fd | awk 'NR > 1 { print $9, $11 }' | grep -v ' /proc/' |
		sed 's/pipe:\[[0-9]*\]/pipe/'
}
export -f inherit
cd "$tmp" || exit 1
# SIGUSR2 ignored and SIGUSR1 blocked by the caller must reach the program.
probe() {
	(umask 027; ulimit -n 200; trap '' USR2; exec 7< /etc/hostname
	 MARK=1 python3 -c 'import os, signal, sys
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
os.execvp(sys.argv[1], sys.argv[1:])' "$@" bash -c inherit) 2>&1
}
probe > "$tmp/p.out"
mv "$tmp/p.out" "$tmp/bare"
probe "$run" -o /dev/null -- > "$tmp/p.out"
mv "$tmp/p.out" "$tmp/traced"
diff "$tmp/bare" "$tmp/traced" > "$out"
verdict "env, cwd, umask, rlimits, ignored and blocked signals, fds: as without gtrace-run"
cd "$top" || exit 1

tap_done "gtrace-run transparency in the VM"
