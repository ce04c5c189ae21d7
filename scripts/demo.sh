#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The main job: trace every example with gtrace-run and hold it to its
# golden trace and budgets, printing the strace-style summary and the
# verdicts. Runs inside the test VM (scripts/vm-run) unless gtrace.ko is
# loaded here. Exit 0 when every example passes.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)

if [ ! -d /sys/module/gtrace ] && [ "${GTRACE_VM:-}" != 1 ]; then
	exec "$top/scripts/vm-run" --timeout 900 -- "$0" "$@"
fi

run=$top/build/bin/gtrace-run
echo "gtrace $(cat /sys/module/gtrace/version) on $(uname -r)"
fails=0
examples=$(grep -v '^#' "$top/examples/list")
for n in $examples; do
	echo
	echo "==== $n"
	[ "$n" = gpu_transfer ] && {
		# A GPU-like node (the null device under an NVIDIA name).
		[ -e /dev/nvidia-gtrace0 ] || mknod /dev/nvidia-gtrace0 c 1 3
	}
	# The program's output goes to a file, as when its golden trace was
	# captured (a terminal or /dev/null would add an isatty() ioctl).
	out=$(mktemp)
	"$run" -c --golden "$top/golden_traces/$n.json" \
		--tolerance "${GOLDEN_TOLERANCE:-5}" \
		--assert "$top/budgets/$n.toml" -- "$top/build/examples/$n" \
		> "$out" 2>&1 || fails=$((fails + 1))
	cat "$out"
	rm -f "$out"
done
echo
echo "demo: $(($(wc -w <<< "$examples") - fails)) passed, $fails failed"
[ "$fails" = 0 ]
