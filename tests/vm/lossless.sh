#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# gtrace-run --no-drops against the real module (inside the VM): 10^6
# records through a one-page ring, written as text into a pipe whose
# reader is deliberately slow (it sleeps after every 64 KiB), arrive in
# full: 0 dropped, a line per call, and the report says how long the
# program waited. The same reader without --no-drops loses records, so
# the reader is slow enough for the check to mean something.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=SCRIPTDIR/../lib/tap.sh
. "$top/tests/lib/tap.sh"
run=$top/build/bin/gtrace-run
counts=$top/build/tests/vm-progs/counts
tap_tmpdir
tap_lines=15

echo "TAP version 13"
[ -x "$run" ] && [ -x "$counts" ] || { echo "Bail out! gtrace-run or counts not built"; exit 1; }
command -v python3 > /dev/null || { echo "Bail out! no python3"; exit 1; }

# slow_read FIFO LINES TAIL: read FIFO 64 KiB at a time, sleeping 5 ms
# after each; the number of getppid lines into LINES, the last 4 KiB of
# what was read into TAIL.
slow_read() {
	python3 - "$1" "$2" "$3" <<'EOF'
import sys, time
fifo, lines, tail = sys.argv[1:4]
n, last, rest = 0, b"", b""
with open(fifo, "rb") as f:
    while True:
        b = f.read(65536)
        if not b:
            break
        b = rest + b
        cut = b.rfind(b"\n") + 1
        n += b[:cut].count(b"] getppid() = ")
        rest = b[cut:]
        last = (last + b)[-4096:]
        time.sleep(0.005)
open(lines, "w").write("%d\n" % n)
open(tail, "wb").write(last)
EOF
}

# lossless N [OPTION...]: trace counts N 0 0 with records into the slow
# reader; "read dropped" of the report into $tmp/rd, its end into $out.
lossless() {
	local n=$1 rc
	shift
	rm -f "$tmp/fifo"
	mkfifo "$tmp/fifo" || return 1
	slow_read "$tmp/fifo" "$tmp/lines" "$out" &
	"$run" --records "$@" --ring-pages 1 -o "$tmp/fifo" -- "$counts" "$n" 0 0
	rc=$?
	wait $!
	sed -n 's/^records *\([0-9]*\) read, \([0-9]*\) dropped.*/\1 \2/p' "$out" > "$tmp/rd"
	return $rc
}

lossless 1000000 --no-drops
check "--no-drops: exit status of the program" [ $? = 0 ]
read -r nread ndrop < "$tmp/rd"
[ "${ndrop:-x}" = 0 ] && [ "${nread:-0}" -ge 1000000 ] &&
	[ "$(cat "$tmp/lines")" = 1000000 ]
verdict "--no-drops, slow reader, 10^6 calls: 0 dropped, every getppid line there"
waits=$(sed -n 's/^waited *[0-9.]* s in \([0-9]*\) waits (--no-drops)$/\1/p' "$out")
check "... the report says the program waited (${waits:-no} waits)" \
	[ "${waits:-0}" -gt 0 ]

lossless 100000
check "without --no-drops: exit status of the program" [ $? = 0 ]
read -r nread ndrop < "$tmp/rd"
check "... the same reader loses records (${ndrop:-?} dropped)" [ "${ndrop:-0}" -gt 0 ]
check "... and no wait is reported" [ -z "$(grep '^waited' "$out")" ]

tap_done "gtrace-run --no-drops in the VM"
