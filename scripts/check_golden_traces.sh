#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check_golden_traces.sh: re-trace every example and hold it to its golden
# trace (golden_traces/NAME.json, counts within --tolerance percent) and to
# its budgets (budgets/NAME.toml, then the suite's gtrace.toml). Then show
# that the check works: each example rebuilt with the injected regression
# (build/examples-regression/, one write() per byte of output) must fail,
# and each unchanged rebuild (build/examples-rebuild/) must pass.
#
#   scripts/check_golden_traces.sh [--kernel RELEASE] [--tolerance PCT]
#                                  [--no-selftest] [NAME...]
#
# Runs inside the test VM (scripts/vm-run) unless gtrace.ko is loaded here.
# TAP on stdout, the verdicts of gtrace-run on stderr; exit 0 when every
# check passed, 1 otherwise.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
examples=$(grep -v '^#' "$top/examples/list")
kernel=
tolerance=${GOLDEN_TOLERANCE:-5}
selftest=1
guest=0

usage() {
	echo "usage: $0 [--kernel RELEASE] [--tolerance PCT] [--no-selftest] [NAME...]" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=${2:?}; shift 2 ;;
	--tolerance) tolerance=${2:?}; shift 2 ;;
	--no-selftest) selftest=0; shift ;;
	--guest) guest=1; shift ;;
	-h|--help) usage ;;
	-*) usage ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] && examples="$*"

gtrace_run=$top/build/bin/gtrace-run
gtrace=$top/build/bin/gtrace
gpu_dev=${GTRACE_GPU_DEVICE:-/dev/nvidia-gtrace0}

if [ "$guest" = 0 ]; then
	for f in "$gtrace_run" "$gtrace"; do
		[ -x "$f" ] || { echo "$0: $f not built (run make)" >&2; exit 2; }
	done
	for n in $examples; do
		for f in "$top/golden_traces/$n.json" "$top/budgets/$n.toml"; do
			[ -f "$f" ] || { echo "$0: no $f (scripts/capture_golden_traces.sh makes the golden traces)" >&2; exit 2; }
		done
		for d in examples examples-regression examples-rebuild; do
			[ -x "$top/build/$d/$n" ] || { echo "$0: $top/build/$d/$n not built (run make)" >&2; exit 2; }
		done
	done
	if [ ! -d /sys/module/gtrace ] || [ -n "$kernel" ]; then
		args=(--tolerance "$tolerance")
		[ "$selftest" = 0 ] && args+=(--no-selftest)
		vm_args=(--timeout 600)
		[ -n "$kernel" ] && vm_args+=(--kernel "$kernel")
		echo "# golden traces: checking in the test VM${kernel:+ ($kernel)}"
		# shellcheck disable=SC2086
		exec "$top/scripts/vm-run" "${vm_args[@]}" -- \
			"$top/scripts/check_golden_traces.sh" --guest "${args[@]}" $examples
	fi
fi

# shellcheck source=SCRIPTDIR/../tests/lib/tap.sh
. "$top/tests/lib/tap.sh"
tap_tmpdir
tap_lines=40
if [ ! -e "$gpu_dev" ] && [ "$(id -u)" = 0 ]; then
	mknod "$gpu_dev" c 1 3 || exit 1
fi

# trace_check BIN NAME: gtrace-run's exit code for BIN against NAME's golden
# trace and budgets; its verdicts in $tmp/NAME.verdicts.
trace_check() {
	local bin=$1 n=$2 rc rc2

	"$gtrace_run" --format json -o "$tmp/$n.json" \
		--golden "$top/golden_traces/$n.json" --tolerance "$tolerance" \
		--assert "$top/budgets/$n.toml" -- "$bin" \
		> "$tmp/$n.stdout" 2> "$tmp/$n.verdicts"
	rc=$?
	[ "$rc" -ge 2 ] && return "$rc"
	# The suite's defaults apply to every example.
	"$gtrace" assert "$top/gtrace.toml" "$tmp/$n.json" >> "$tmp/$n.verdicts" 2>&1
	rc2=$?
	[ "$rc2" -gt "$rc" ] && rc=$rc2
	return "$rc"
}

echo "TAP version 13"
echo "# kernel $(uname -r), tolerance ${tolerance}%"
for n in $examples; do
	trace_check "$top/build/examples/$n" "$n"
	rc=$?
	{
		echo "# ---- $n"
		sed 's/^/#   /' "$tmp/$n.verdicts"
	} >&2
	if [ "$rc" = 0 ]; then
		ok "$n matches golden_traces/$n.json and its budgets"
	else
		not_ok "$n: golden trace or budget check failed (exit $rc)"
	fi
done

if [ "$selftest" = 1 ]; then
	for n in $examples; do
		trace_check "$top/build/examples-regression/$n" "$n"
		rc=$?
		if [ "$rc" = 1 ] && grep -q 'write' "$tmp/$n.verdicts"; then
			ok "$n with the injected regression is caught: $(grep -m1 -o 'write: [^(]*([^)]*)' "$tmp/$n.verdicts" || echo write)"
		else
			tap_log=$tmp/$n.verdicts
			not_ok "$n with the injected regression was not caught (exit $rc)"
		fi
		trace_check "$top/build/examples-rebuild/$n" "$n"
		rc=$?
		if [ "$rc" = 0 ]; then
			ok "$n rebuilt unchanged passes"
		else
			tap_log=$tmp/$n.verdicts
			not_ok "$n rebuilt unchanged fails (exit $rc)"
		fi
	done
fi

tap_done "golden traces"
