#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# gtrace-run against the real module (inside the VM): exact counts of a
# program that makes known syscalls, in text, JSON (valid against the
# schema, equal to the text) and CSV; children followed; ia32 in its own
# table; filters, sorting, records, per-task, percentiles; the program's
# output and exit status passed through; signals forwarded; -p attach;
# and exit code 3 with the fix when the module is not loaded.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=SCRIPTDIR/../lib/tap.sh
. "$top/tests/lib/tap.sh"
command -v jq > /dev/null || { echo "Bail out! no jq (scripts/install-deps)"; exit 1; }
run=$top/build/bin/gtrace-run
gtrace=$top/build/bin/gtrace
validate=$top/tests/json-validate
ia32=$top/build/tests/progs/getppid32
tap_tmpdir
tap_lines=25

# Field F (calls 4, errors 5) of SYSCALL's row in the first table of FILE;
# errors are blank when none, so 0 then.
row() {
	awk -v sc="$2" -v f="$3" '
		/^System call usage summary/ { exit }
		$NF == sc && NF >= 5 {
			if (f == 5) print (NF == 6 ? $5 : 0); else print $f
			exit
		}' "$1"
}
# "calls errors" of every syscall row of a text summary, sorted.
text_counts() {
	awk '/^System call usage summary/ { exit }
	     /^ *[0-9.]+ +[0-9.]+ +[0-9]+ +[0-9]+/ && $NF != "total" {
		print $NF, $4, (NF == 6 ? $5 : 0) }' "$1" | sort
}
# The same from a gtrace-json-v1 file: its summary's x86_64 syscalls.
json_counts() {
	jq -r '.summary.syscalls[] | select(.abi == "x86_64") |
		"\(.name) \(.calls) \(.errors)"' "$1" | sort
}
# A top-level number of a gtrace-json-v1 file, or a jq expression's value.
json_num() { jq -r ".$1" "$2"; }

echo "TAP version 13"
[ -x "$run" ] && [ -x "$gtrace" ] || { echo "Bail out! gtrace-run not built"; exit 1; }
counts=$top/build/tests/vm-progs/counts
[ -x "$counts" ] || { echo "Bail out! $counts not built (make tests)"; exit 1; }
# Python is slow to start in the VM: all JSON is validated at the end, once.
json_files=()

# ---- exact counts ----------------------------------------------------------
"$run" -c -o "$out" -- "$counts" 1000 200 50
check "-c: exit status of the program" [ $? = 0 ]
check "-c: getppid exactly 1000" [ "$(row "$out" getppid 4)" = 1000 ]
check "-c: write exactly 200" [ "$(row "$out" write 4)" = 200 ]
check "-c: close exactly 50 calls, 50 errors" \
	[ "$(row "$out" close 4) $(row "$out" close 5)" = "50 50" ]
[ "$(row "$out" execve 4)" = 1 ] && ! grep -qE ' (read|pipe2|dup2)$' "$out"
verdict "-c: one execve, no stray calls of gtrace-run's"
check "-c: strace's header and total row" \
	grep -q '^% time     seconds  usecs/call     calls    errors syscall$' "$out"
total=$(awk '$NF == "total" { print $4; exit }' "$out")
check "-c: the total row adds the rows up" \
	[ "$total" = "$(text_counts "$out" | awk '{ s += $2 } END { print s }')" ]
grep -qE '^wall time +[0-9]+\.[0-9]{6} s$' "$out" &&
	grep -qE '^peak RSS +[0-9]' "$out" && grep -q '^exit status  0$' "$out" &&
	grep -q '^records      0 read, 0 dropped$' "$out"
verdict "-c: wall time, peak RSS, exit status, records"
echo "# gtrace-run -c -- counts 1000 200 50:"
sed 's/^/#   /' "$out"

"$run" -f -o "$out" -- "$counts" 1000 200 50 fork
check "-f: the forked child's calls count too (2000 getppid)" \
	[ "$(row "$out" getppid 4) $(row "$out" close 5)" = "2000 100" ]
check "-f: two tasks" grep -q '^tasks        2$' "$out"

# ---- JSON: valid, and the same counts as the text ------------------------
"$run" --format json -o "$tmp/c.json" -- "$counts" 1000 200 50
check "--format json: exit status of the program" [ $? = 0 ]
json_files+=("$tmp/c.json")
"$run" -o "$tmp/c.txt" -- "$counts" 1000 200 50
json_counts "$tmp/c.json" > "$tmp/jc"
text_counts "$tmp/c.txt" > "$tmp/tc"
diff "$tmp/jc" "$tmp/tc" > "$out"
check "JSON counts equal the text summary's, syscall by syscall" [ $? = 0 ]
"$gtrace" report "$tmp/c.json" > "$tmp/r.txt" 2> "$out"
text_counts "$tmp/r.txt" > "$tmp/rc"
check "gtrace report of the JSON shows the same counts" cmp -s "$tmp/jc" "$tmp/rc"

"$run" --records --format json -o "$tmp/rec.json" -- "$counts" 300 0 0
json_files+=("$tmp/rec.json")
nrec=$(json_num 'call_records | length' "$tmp/rec.json")
cp "$tmp/rec.json" "$out"
[ "$nrec" = "$(json_num records "$tmp/rec.json")" ] &&
	[ "$nrec" = "$(json_num summary.calls "$tmp/rec.json")" ] &&
	[ "$(json_num drops "$tmp/rec.json")" = 0 ] &&
	[ "$(json_num 'call_records | map(select(.name == "getppid")) | length' \
		"$tmp/rec.json")" = 300 ]
verdict "--records JSON: one record per call, 300 of them getppid"

# The records file: gtrace report computes from it the counters' numbers.
"$run" --records-file "$tmp/c.rec" --format json -o "$tmp/rf.json" -- "$counts" 1000 200 50
check "--records-file: exit status of the program, the file in place" \
	[ $? = 0 ] && [ -s "$tmp/c.rec" ]
"$gtrace" report --format json "$tmp/c.rec" > "$tmp/rr.json" 2> "$out"
check "gtrace report of the records file" [ $? = 0 ]
json_files+=("$tmp/rr.json")
sc_stats() {
	jq -c '[.summary.syscalls[] | select(.abi == "x86_64" and
		(.name == "getppid" or .name == "write" or .name == "close")) |
		[.name, .calls, .errors, .total_ns, .min_ns, .max_ns, .hist]]' "$1"
}
sc_stats "$tmp/rf.json" > "$tmp/sc1"
sc_stats "$tmp/rr.json" > "$tmp/sc2"
cat "$tmp/sc1" "$tmp/sc2" > "$out"
[ "$(json_num drops "$tmp/rf.json")" = 0 ] && cmp -s "$tmp/sc1" "$tmp/sc2" &&
	[ "$(json_num records "$tmp/rr.json")" = "$(json_num records "$tmp/rf.json")" ]
verdict "... its summary is the counters': calls, errors, times, histograms"
head -c 1000 "$tmp/c.rec" > "$tmp/cut.rec"
check_exit 2 "a truncated records file: exit 2 at an offset" "cut.rec: offset " \
	"$gtrace" report "$tmp/cut.rec"
"$run" -e trace=%desc --format json -o "$tmp/f.json" -- "$counts" 100 10 5
json_files+=("$tmp/f.json")
json_counts "$tmp/f.json" > "$out"
check "-e trace=%desc --format json: only those in the summary" \
	[ "$(awk '{ print $1 }' "$out" | tr '\n' ' ')" = "close openat write " ]

# ---- text records, filters, sorting, per task, percentiles, CSV ----------
"$run" --records -T -o "$out" -- "$counts" 100 10 5
[ "$(grep -cE '^\[pid +[0-9]+\] getppid\(\) = [0-9]+ <0\.[0-9]{6}>$' "$out")" = 100 ] &&
	[ "$(grep -cE '^\[pid +[0-9]+\] close\(-?[0-9]+\) = -1 EBADF \(Bad file descriptor\) <' "$out")" = 5 ] &&
	[ "$(grep -cE '^\[pid +[0-9]+\] write\([0-9]+<char>, 0x[0-9a-f]+, [0-9]+\) = 1 <' "$out")" = 10 ]
verdict "--records: a line per call, with -T its time"
"$run" -e trace=getppid,close -o "$out" -- "$counts" 100 10 5
check "-e trace=getppid,close: only those rows" \
	[ "$(text_counts "$out" | awk '{ print $1 }' | tr '\n' ' ')" = "close getppid " ]
"$run" -e 'trace=!%file,%memory' -o "$out" -- "$counts" 100 10 5
[ -n "$(row "$out" getppid 4)" ] && [ -z "$(row "$out" execve 4)" ] &&
	[ -z "$(row "$out" openat 4)" ] && [ -z "$(row "$out" brk 4)" ]
verdict "-e trace=!%file,%memory: no execve, openat or brk"
"$run" -e trace=/^get -e trace=write -o "$out" -- "$counts" 100 10 5
check "-e trace=/^get -e trace=write: both" \
	[ "$(text_counts "$out" | awk '{ print $1 }' | tr '\n' ' ')" = "getppid getrandom write " ]
"$run" -S calls -o "$out" -- "$counts" 5000 10 5
check "-S calls: getppid first" \
	[ "$(awk 'NR == 3 { print $NF }' "$out")" = getppid ]
"$run" --per-task -o "$out" -- "$counts" 100 10 5 fork
[ "$(grep -c '^task [0-9]* (counts)' "$out")" = 2 ] && grep -q '^all 2 tasks:$' "$out"
verdict "--per-task: a table per task, then all"
"$run" --percentiles -o "$out" -- "$counts" 100 10 5
grep -qE '^ +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ getppid$' "$out" &&
	grep -q '  p50 usecs   p90 usecs   p99 usecs   max usecs syscall' "$out"
verdict "--percentiles: p50/p90/p99/max table"
"$run" --format csv -o "$out" -- "$counts" 100 10 5
grep -q '^syscall,abi,nr,calls,errors,total_ns,min_ns,max_ns,avg_ns,time_pct' "$out" &&
	grep -q '^getppid,x86_64,110,100,0,' "$out" && grep -q '^close,x86_64,3,5,5,' "$out"
verdict "--format csv: header and exact rows"
if [ -x "$ia32" ]; then
	"$run" -o "$out" -- "$ia32" 100
	check "ia32: its own table, getppid 100" \
		[ "$(sed -n '/^System call usage summary for 32 bit mode:/,$p' "$out" |
		     awk '$NF == "getppid" { print $4 }')" = 100 ]
else
	ok "# SKIP no $ia32"
fi

# ---- the program's output, exit status, signals ---------------------------
"$run" -- sh -c 'echo out; echo err >&2' > "$tmp/so" 2> "$tmp/se"
check "the program's stdout is untouched" [ "$(cat "$tmp/so")" = out ]
[ "$(head -n 1 "$tmp/se")" = err ] && grep -q '^% time' "$tmp/se"
verdict "stderr: the program's line, then the summary"
"$run" -o "$tmp/sum" -- sh -c 'echo out' > "$tmp/so" 2> "$tmp/se"
[ ! -s "$tmp/se" ] && grep -q '^% time' "$tmp/sum"
verdict "-o: nothing of gtrace's on stderr"
"$run" -o "$out" -- sh -c 'exit 7'
check "the program's exit code is gtrace-run's (7)" [ $? = 7 ]
"$run" -o "$out" -- sh -c 'kill -KILL $$'
[ $? = 137 ] && grep -q '^exit status  killed by signal 9 (KILL)$' "$out"
verdict "killed by SIGKILL: 137, and the summary says so"
"$run" -o "$out" -- sleep 20 &
pid=$!
sleep 1
kill -TERM "$pid"
wait "$pid"
[ $? = 143 ] && grep -q '^exit status  killed by signal 15 (TERM)$' "$out"
verdict "SIGTERM to gtrace-run goes to the program (143)"
"$run" -o "$out" -- sleep 0.3
check "wall time of sleep 0.3 is 0.3 s or a bit more" \
	awk '/^wall time/ { exit !($3 >= 0.3 && $3 < 3) }' "$out"

# ---- -p PID -----------------------------------------------------------------
# Attach once the shell sleeps in its child: the shell's own start-up (dash
# asks getppid() for $PPID) is over, and the 700 getppid are the program's.
sh -c 'sleep 2; exec "$0" 700 0 0' "$counts" &
pid=$!
for _ in $(seq 100); do pgrep -P "$pid" > /dev/null && break; sleep 0.05; done
"$run" -p "$pid" -o "$out" 2> "$tmp/pe"
[ $? = 0 ] && [ "$(row "$out" getppid 4)" = 700 ]
verdict "-p: until the process exits, its exec'd calls counted"
wait "$pid"
sleep 30 &
pid=$!
start=$(date +%s)
"$run" -p "$pid" --duration 1 -o "$out" 2> "$tmp/pe"
rc=$?
kill "$pid"; wait "$pid" 2> /dev/null
[ $rc = 0 ] && [ $(($(date +%s) - start)) -le 5 ] && grep -q '^% time' "$out"
verdict "-p --duration 1: stops after a second"

# ---- without the module ---------------------------------------------------
if [ -n "${GTRACE_KO:-}" ] && [ "$(id -u)" = 0 ] && rmmod gtrace; then
	"$run" -- true > "$out" 2>&1
	rc=$?
	check "without the module: exit 3" [ $rc = 3 ]
	check "... with the fix in the message" grep -q "modprobe gtrace" "$out"
	"$run" --records --format json -o "$tmp/x.json" -- true > "$out" 2>&1
	check "... with --records too" [ $? = 3 ]
	insmod "$GTRACE_KO" || echo "Bail out! cannot reload $GTRACE_KO"
	"$run" -o "$out" -- true
	check "module back: traces again" [ $? = 0 ]
else
	for i in 1 2 3 4; do ok "# SKIP cannot unload the module here"; done
fi

# ---- the JSON of this run against the schema -----------------------------
"$validate" "${json_files[@]}" > "$out" 2>&1
check "every JSON written here validates against the schema (${#json_files[@]} files)" [ $? = 0 ]

tap_done "gtrace-run in the VM"
