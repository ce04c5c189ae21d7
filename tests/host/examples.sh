#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The example programs (examples/), without a kernel module: each runs and
# passes its own checks on every backend this CPU supports, prints the same
# output twice, and the regression build prints the same text with one
# write() per byte where the normal build needs one (counted with strace).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=SCRIPTDIR/../lib/tap.sh
. "$top/tests/lib/tap.sh"
ex=$top/build/examples
reg=$top/build/examples-regression
names=$(grep -v '^#' "$top/examples/list")
tap_tmpdir
tap_log=$tmp/log

# Timings vary; their fields have a fixed width, so only digits are masked.
mask() { sed -E 's/ +[0-9]+\.[0-9]+ kticks/ X kticks/; s/ +[0-9]+\.[0-9]+x vs/ Xx vs/' "$1"; }

# gpu_transfer needs a device: the null device stands in for it here.
run() { local bin=$1; shift; if [ "${bin##*/}" = gpu_transfer ]; then "$bin" "$@" /dev/null; else "$bin" "$@"; fi; }

echo "TAP version 13"
for b in $names; do
	if [ ! -x "$ex/$b" ] || [ ! -x "$reg/$b" ]; then
		echo "Bail out! $ex/$b not built (run make)"
		exit 1
	fi
done

backends=$(GTRACE_EXAMPLE_BACKEND= "$ex/backend_detection" | sed -n 's/^  \[x\] \([a-z0-9]*\) .*/\1/p')

for b in $names; do
	run "$ex/$b" > "$tmp/out1" 2> "$tmp/log"
	rc=$?
	check "$b runs and passes its checks" [ "$rc" = 0 ]
	run "$ex/$b" > "$tmp/out2" 2>> "$tmp/log"
	check "$b prints the same twice" cmp -s <(mask "$tmp/out1") <(mask "$tmp/out2")
	check "$b output has fixed length" [ "$(wc -c < "$tmp/out1")" = "$(wc -c < "$tmp/out2")" ]
	for k in $backends; do
		GTRACE_EXAMPLE_BACKEND=$k run "$ex/$b" > "$tmp/log" 2>&1 &&
			grep -q "^backend: $k " "$tmp/log"
		check "$b on the $k backend" [ $? = 0 ]
	done
	run "$reg/$b" > "$tmp/out3" 2>> "$tmp/log"
	check "$b regression build prints the same" cmp -s <(mask "$tmp/out1") <(mask "$tmp/out3" | sed 's/, unbuffered output//')
done

# The injected regression: one write() per byte of output.
if strace -o /dev/null true 2> /dev/null; then
	writes() {
		strace -f -qq -e trace=write -o "$tmp/st" "$@" > "$tmp/out" 2> "$tmp/log"
		grep -c '^[0-9]* *write(1,' "$tmp/st"
	}
	w=$(writes "$ex/performance_demo")
	wr=$(writes "$reg/performance_demo")
	bytes=$(wc -c < "$tmp/out")
	check "buffered build writes its output at once ($w writes)" [ "$w" -le 2 ]
	check "regression build writes one byte per write ($wr writes, $bytes bytes)" [ "$wr" = "$bytes" ]
	wu=$(writes "$ex/performance_demo" --unbuffered)
	check "--unbuffered does the same as the regression build ($wu writes)" \
		[ "$wu" = "$(wc -c < "$tmp/out")" ]
else
	echo "# strace cannot trace here: write counts skipped"
fi

"$ex/gpu_transfer" "$tmp/no-such-device" > /dev/null 2> "$tmp/log"
rc=$?
check "gpu_transfer without its device: exit 2 and the mknod hint" \
	sh -c "[ $rc = 2 ] && grep -q 'mknod $tmp/no-such-device c 1 3' '$tmp/log'"
GTRACE_GPU_DEVICE=/dev/null "$ex/gpu_transfer" > "$tmp/log" 2>&1
check "gpu_transfer takes its device from GTRACE_GPU_DEVICE" grep -q '^device: /dev/null$' "$tmp/log"
"$ex/performance_demo" --bogus > "$tmp/log" 2>&1
check "an unknown option is a usage error (exit 2)" [ $? = 2 ]

tap_done examples
