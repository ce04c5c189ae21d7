#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# capture_golden_traces.sh: trace every example program with gtrace-run and
# write its golden trace, golden_traces/NAME.json (gtrace-json-v1), and
# golden_traces/NAME_summary.txt (the strace -c style table), then
# golden_traces/ANALYSIS.md with the figures of this capture.
#
# When this host cannot trace (gtrace.ko not loaded and not loadable), the
# tracing runs inside the test VM (scripts/vm-run) and the traces come back
# over the VM's stdout.
#
#   scripts/capture_golden_traces.sh [--kernel RELEASE] [--out DIR] [NAME...]
#
# Environment: GTRACE_GPU_DEVICE (default /dev/nvidia-gtrace0), the device
# gpu_transfer writes to: made with mknod (the null device, 1:3) when it
# does not exist and we are root.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
examples=$(grep -v '^#' "$top/examples/list")
out=$top/golden_traces
kernel=
bindir=$top/build/examples
guest=0

usage() {
	echo "usage: $0 [--kernel RELEASE] [--out DIR] [--bindir DIR] [NAME...]" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=${2:?}; shift 2 ;;
	--out) out=${2:?}; shift 2 ;;
	--bindir) bindir=${2:?}; shift 2 ;;
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
bindir=$(cd "$bindir" 2>/dev/null && pwd || echo "$bindir")
case $bindir in
"$top"/*) rel_bindir=${bindir#"$top"/} ;;
*) rel_bindir=$bindir ;;
esac

# The tracing itself: NAME.json, NAME_summary.txt and NAME.stdout in $1.
# Programs write to a file, as in CI logs: one buffered write, not one per
# line as on a terminal.
trace_all() {
	local dir=$1 n rc fail=0

	if [ ! -e "$gpu_dev" ] && [ "$(id -u)" = 0 ]; then
		mknod "$gpu_dev" c 1 3 || return 1
	fi
	# Relative to the top of the tree: the command is recorded in the
	# trace, and no machine's paths belong in the golden files.
	cd "$top" || return 1
	for n in $examples; do
		"$gtrace_run" --format json -o "$dir/$n.json" -- \
			"${rel_bindir}/$n" > "$dir/$n.stdout" 2> "$dir/$n.stderr"
		rc=$?
		if [ "$rc" != 0 ]; then
			echo "❌ $n: gtrace-run exited $rc" >&2
			cat "$dir/$n.stderr" >&2
			fail=1
			continue
		fi
		"$gtrace" report "$dir/$n.json" > "$dir/${n}_summary.txt" || fail=1
		rm -f "$dir/$n.stderr"
	done
	uname -r > "$dir/kernel"
	return $fail
}

if [ "$guest" = 1 ]; then
	# Inside the VM: trace, then send the files home as base64'd tar on
	# stdout, between markers (the guest's writes stay in the guest).
	tmp=$(mktemp -d) || exit 1
	trace_all "$tmp"
	rc=$?
	echo "--- gtrace golden traces begin ---"
	tar -C "$tmp" -cf - . | base64
	echo "--- gtrace golden traces end ---"
	exit $rc
fi

for f in "$gtrace_run" "$gtrace"; do
	[ -x "$f" ] || { echo "$0: $f not built (run make)" >&2; exit 2; }
done
for n in $examples; do
	[ -x "$bindir/$n" ] || { echo "$0: $bindir/$n not built (run make)" >&2; exit 2; }
done

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

if [ -d /sys/module/gtrace ] || { [ -z "$kernel" ] && modprobe -q gtrace 2>/dev/null; }; then
	echo "capture: tracing on this host ($(uname -r))"
	trace_all "$tmp" || exit 1
else
	echo "capture: this host cannot trace: tracing in the test VM"
	args=(--bindir "$bindir")
	vm_args=(--timeout 600)
	[ -n "$kernel" ] && vm_args+=(--kernel "$kernel")
	# shellcheck disable=SC2086
	"$top/scripts/vm-run" "${vm_args[@]}" -- \
		"$top/scripts/capture_golden_traces.sh" --guest "${args[@]}" $examples \
		> "$tmp/vm.out"
	rc=$?
	sed -n '/^--- gtrace golden traces begin ---/,/^--- gtrace golden traces end ---/p' "$tmp/vm.out" |
		sed '1d;$d' | tr -d '\r' | base64 -d | tar -C "$tmp" -xf - ||
		{ echo "$0: no traces came back from the VM" >&2; exit 1; }
	[ "$rc" = 0 ] || { echo "$0: tracing in the VM failed (exit $rc)" >&2; exit 1; }
fi

# ---- figures: from each trace's JSON ----------------------------------------
# shellcheck source=SCRIPTDIR/../tests/lib/json.sh
. "$top/tests/lib/json.sh"

mkdir -p "$out" || exit 1
kern=$(cat "$tmp/kernel")
date=$(date -u '+%Y-%m-%d %H:%M UTC')
version=$(sed -n 's/^#define GTRACE_VERSION[[:space:]]*"\(.*\)"/\1/p' \
	"$top/kmod/uapi/linux/gtrace.h")
table=$tmp/table.md
details=$tmp/details.md
: > "$table"
: > "$details"

for n in $examples; do
	cp "$tmp/$n.json" "$out/$n.json"
	cp "$tmp/${n}_summary.txt" "$out/${n}_summary.txt"
	j=$tmp/$n.json
	calls=$(json_get "$j" 't["summary"]["calls"]')
	errors=$(json_get "$j" 't["summary"]["errors"]')
	top3=$(json_get "$j" '", ".join("%s (%d)" % (c["name"], c["calls"]) for c in
		sorted(t["summary"]["syscalls"], key=lambda c: (-c["calls"], c["name"]))[:3])')
	ms=$(json_get "$j" '"%.2f" % (t["wall_time_ns"] / 1e6)')
	rss=$(json_get "$j" '"%.1f %s" % ((t["summary"]["rss_peak"] / 1048576, "MiB")
		if t["summary"]["rss_peak"] >= 1048576 else (t["summary"]["rss_peak"] / 1024, "KiB"))')
	echo "✅ Captured: golden_traces/$n.json (${ms}ms, $calls syscalls)"
	echo "| \`$n\` | $ms | $calls | $errors | $top3 | $rss |" >> "$table"
	{
		echo "### $n"
		echo
		echo "Output of the program:"
		echo
		echo '```'
		cat "$tmp/$n.stdout"
		echo '```'
		echo
		echo "Summary (\`golden_traces/${n}_summary.txt\`):"
		echo
		echo '```'
		cat "$out/${n}_summary.txt"
		echo '```'
		echo
	} >> "$details"
done

{
	cat <<EOF
# Golden traces of the examples

Captured on $date by \`scripts/capture_golden_traces.sh\`, with gtrace
$version on Linux $kern (the test VM, $(nproc) host CPUs; timings under
emulation are slow and noisy, counts are exact).

| Example | Runtime (ms) | Syscalls | Errors | Top syscalls (calls) | Peak RSS |
|---|---:|---:|---:|---|---:|
EOF
	cat "$table"
	cat <<'EOF'

What the figures say:

- Every example spends most of its syscalls starting up: the dynamic
  loader's `openat`, `mmap`, `mprotect`, `pread64` and the `execve`
  itself. The compute is pure user-space work and shows only as runtime.
- Output goes to a file here, so each program writes it with a single
  `write`. The regression build (`build/examples-regression/`) writes one
  byte per `write` and is what `make golden-check` must reject.
- `gpu_transfer` is the outlier: hundreds of 4 KiB `write`s and `ioctl`s
  on its GPU device node (a stand-in made with `mknod ... c 1 3`, so its
  ioctls fail with `ENOTTY`). That is the pattern the `PCIeBottleneck`
  anti-pattern check in its budget file warns about.
- The counts are the same on Debian's 6.1 and 6.12 kernels, so one set of
  golden traces serves both (`make golden-check` checks each kernel).
  The examples time themselves with the CPU's time-stamp counter, not
  `clock_gettime`, which is a real system call in the VM on 6.1.

The budgets in `budgets/*.toml` and the suite's defaults in `gtrace.toml`
are set from these figures; `make golden-check` re-traces every example
and compares it with these files (Documentation/user-guide.md).

## Per example

EOF
	cat "$details"
} > "$out/ANALYSIS.md"
echo "capture: wrote $out/ANALYSIS.md"
