#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# gtrace report and gtrace assert on hostile input files: empty, truncated,
# binary garbage, 10 MiB, nested without end, a directory. Each must give
# exit code 2 and a message naming the file, never a crash or a hang.
# (The libFuzzer harnesses in tests/fuzz try millions of smaller ones.)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=SCRIPTDIR/../lib/tap.sh
. "$top/tests/lib/tap.sh"
gtrace=$top/build/bin/gtrace
data=$top/tests/data
golden=$data/traces/golden.json
budget=$data/renacer.toml
tap_tmpdir

# expect RC DESCRIPTION PATTERN -- ARGS...: gtrace ARGS exits RC within 60 s
# and prints PATTERN (fixed string, may be empty).
expect() { check_exit "$1" "$2" "$3" timeout 60 "$gtrace" "${@:5}"; }

echo "TAP version 13"
if [ ! -x "$gtrace" ]; then
	echo "Bail out! $gtrace not built (run make)"
	exit 1
fi

# The same bytes on every run: a failure can be reproduced.
python3 - "$tmp" "$golden" "$budget" <<'PY'
import random, sys
d, golden, budget = sys.argv[1:]
rnd = random.Random(7)
mib = 1024 * 1024
g = open(golden, 'rb').read()
b = open(budget, 'rb').read()
w = lambda name, data: open(d + '/' + name, 'wb').write(data)
w('empty', b'')
w('trunc.json', g[:len(g) // 2])
w('trunc.toml', b[:len(b) // 2])
w('garbage', bytes(rnd.getrandbits(8) for _ in range(4096)))
w('huge-garbage', rnd.randbytes(10 * mib))
w('huge.toml', b + b'#' + b'x' * (10 * mib) + b'\n')
w('huge-open.json', b'{"format": "gtrace-json-v1", "call_records": ['
  + b'{"tid": 1},' * (mib) )
w('huge-deep.json', b'{"call_records": [{"a": ' + b'[' * (10 * mib))
w('huge-string.json', b'{"command": "' + b'a' * (10 * mib))
# A legal 10 MiB trace (the limit is 2 GiB; traces with records are big).
w('huge-ok.json', g.rstrip()[:-1] + b' ' * (10 * mib) + b'}\n')
PY

t=$tmp
for f in empty trunc.json garbage huge-garbage huge-open.json huge-deep.json huge-string.json; do
	expect 2 "report: $f" "$t/$f" -- report "$t/$f"
done
expect 2 "report: a directory" "$t" -- report "$t"
expect 0 "report: a legal 10 MiB trace loads" "" -- report "$t/huge-ok.json"

expect 2 "assert: empty trace" "empty:1: unexpected end of file" -- assert "$budget" "$t/empty"
expect 2 "assert: truncated trace" "trunc.json:" -- assert "$budget" "$t/trunc.json"
expect 2 "assert: binary trace" "garbage:1: " -- assert "$budget" "$t/garbage"
expect 2 "assert: 10 MiB binary trace" "huge-garbage:1: " -- assert "$budget" "$t/huge-garbage"

expect 2 "assert: empty budget" "empty: no [[assertion]] tables" -- assert "$t/empty" "$golden"
expect 2 "assert: truncated budget" "trunc.toml:" -- assert "$t/trunc.toml" "$golden"
expect 2 "assert: binary budget" "garbage:1: invalid UTF-8" -- assert "$t/garbage" "$golden"
expect 2 "assert: 10 MiB binary budget" "huge-garbage: file too large" -- assert "$t/huge-garbage" "$golden"
expect 2 "assert: 10 MiB budget" "huge.toml: file too large" -- assert "$t/huge.toml" "$golden"
expect 2 "assert: a JSON trace is not a budget" "trunc.json:1: " -- assert "$t/trunc.json" "$golden"
expect 2 "assert: /dev/zero is not a budget" "not a regular file" -- assert /dev/zero "$golden"

tap_done hostile-input
