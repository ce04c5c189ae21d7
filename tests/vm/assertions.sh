#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Budget assertions and golden diffs on real traces (inside the VM, with
# gtrace.ko loaded): each of the four assertion blocks of the seed
# document's renacer.toml fails with its budget below the measured value
# and passes with it above; a one-byte writer fails SmallWrites; a
# write/ioctl loop on a /dev/nvidia* node fails PCIeBottleneck; gtrace diff
# and gtrace-run --golden flag 10% more writes and pass an identical rerun.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=SCRIPTDIR/../lib/tap.sh
. "$top/tests/lib/tap.sh"
# shellcheck source=SCRIPTDIR/../lib/json.sh
. "$top/tests/lib/json.sh"
run=$top/build/bin/gtrace-run
gtrace=$top/build/bin/gtrace
renacer=$top/tests/data/renacer.toml
tmp=$(mktemp -d)
out=$tmp/out
gpu=/dev/nvidia-gtrace-test
trap 'rm -rf "$tmp"; rm -f "$gpu"' EXIT
tap_log=$out tap_lines=20 tap_nopat=

# expect DESCRIPTION WANT_RC [PATTERN] -- CMD...: CMD's exit code (and output)
expect() {
	if [ "$3" = -- ]; then
		check_exit "$2" "$1" "" "${@:4}"
	else
		check_exit "$2" "$1" "$3" "${@:5}"
	fi
}
# The [[assertion]] block NAME of renacer.toml alone, with KEY = VALUE.
block() {
	awk -v name="$1" -v key="${2:-}" -v val="${3:-}" '
		/^\[\[assertion\]\]/ { keep = 0; buf = $0 "\n"; next }
		/^name = / { keep = ($3 == "\"" name "\"") }
		{ line = ($1 == key) ? key " = " val : $0 }
		keep && buf != "" { printf "%s", buf; buf = "" }
		keep { print line }
		!keep && buf != "" { buf = buf line "\n" }' "$renacer" > "$tmp/$1.toml"
	echo "$tmp/$1.toml"
}

echo "TAP version 13"
# The subjects, built static on the host (make tests): a compiler takes
# minutes under emulation.
progs=$top/build/tests/vm-progs
for p in writer gpuloop; do
	[ -x "$progs/$p" ] || { echo "Bail out! $progs/$p not built (run make)"; exit 1; }
done
loops=20000
[ -x "$run" ] || { echo "Bail out! $run not built"; exit 1; }

# ---- the four blocks of renacer.toml, below and above the measured value --
"$run" --format json -o "$tmp/w.json" -- "$progs/writer" 200 64 > /dev/null
wall=$(json_get "$tmp/w.json" 't["wall_time_ns"]')
calls=$(json_get "$tmp/w.json" 't["summary"]["calls"]')
vm=$(json_get "$tmp/w.json" 't["summary"]["vm_peak"]')
echo "# writer 200 64: wall ${wall}ns, $calls syscalls, vm_peak $vm bytes"

lo=$((wall / 1000000 - 1)); [ "$lo" -ge 0 ] || lo=0
expect "critical_path: budget below the wall time fails" 1 \
	"Assertion 'example_startup_latency' FAILED" -- \
	"$gtrace" assert "$(block example_startup_latency max_duration_ms $lo)" "$tmp/w.json"
expect "critical_path: budget above the wall time passes" 0 -- \
	"$gtrace" assert "$(block example_startup_latency max_duration_ms $((wall / 1000000 + 1)))" "$tmp/w.json"
expect "span_count: one below the syscall count fails" 1 "Actual: $calls syscalls" -- \
	"$gtrace" assert "$(block max_syscall_budget max_spans $((calls - 1)))" "$tmp/w.json"
expect "span_count: at the syscall count passes" 0 -- \
	"$gtrace" assert "$(block max_syscall_budget max_spans "$calls")" "$tmp/w.json"
expect "memory_usage: one byte below the peak fails" 1 "Actual: $vm bytes" -- \
	"$gtrace" assert "$(block memory_allocation_budget max_bytes $((vm - 1)))" "$tmp/w.json"
expect "memory_usage: at the peak passes" 0 -- \
	"$gtrace" assert "$(block memory_allocation_budget max_bytes "$vm")" "$tmp/w.json"

# ---- PCIeBottleneck on a GPU-named node (/dev/zero's numbers) ------------
rm -f "$gpu"
mknod "$gpu" c 1 5 || { echo "Bail out! mknod $gpu"; exit 1; }
"$progs/gpuloop" "$gpu" 10	# warm up: page the program in untraced
"$run" --format json -o "$tmp/g.json" -- "$progs/gpuloop" "$gpu" "$loops"
# The measured share: what the block reports at threshold 1.0.
"$gtrace" assert "$(block prevent_pcie_bottleneck threshold 1.0)" "$tmp/g.json" > "$out" 2>&1
share=$(sed -n "s/.*Actual: \([0-9.]*\)%.*/\1/p" "$out")
echo "# gpuloop: ${share:-?}% of the wall time in gpu-class syscalls"
block prevent_pcie_bottleneck > /dev/null
sed 's/fail_on_violation = false/fail_on_violation = true/' \
	"$tmp/prevent_pcie_bottleneck.toml" > "$tmp/pcie.toml"
expect "PCIeBottleneck: a write/read/ioctl loop on $gpu fails at 0.7" 1 \
	"Assertion 'prevent_pcie_bottleneck' FAILED" -- \
	"$run" --assert "$tmp/pcie.toml" -- "$progs/gpuloop" "$gpu" "$loops"
if [ -n "$share" ]; then
	below=$(awk -v s="$share" 'BEGIN { v = s / 100 - 0.05; print (v < 0 ? 0 : v) }')
	above=$(awk -v s="$share" 'BEGIN { v = s / 100 + 0.05; print (v > 1 ? 1 : v) }')
	sed "s/threshold = 0.7/threshold = $below/" "$tmp/pcie.toml" > "$tmp/b.toml"
	sed "s/threshold = 0.7/threshold = $above/" "$tmp/pcie.toml" > "$tmp/a.toml"
	expect "PCIeBottleneck: threshold below the measured share fails" 1 -- \
		"$gtrace" assert "$tmp/b.toml" "$tmp/g.json"
	expect "PCIeBottleneck: threshold above the measured share passes" 0 -- \
		"$gtrace" assert "$tmp/a.toml" "$tmp/g.json"
else
	not_ok "PCIeBottleneck: no measured share"
	not_ok "PCIeBottleneck: no measured share"
fi
expect "warning only (fail_on_violation = false) does not fail" 0 "violated (warning only" -- \
	"$run" --assert "$(block prevent_pcie_bottleneck)" -- "$progs/gpuloop" "$gpu" "$loops"

# ---- SmallWrites ----------------------------------------------------------
cat > "$tmp/small.toml" <<'TOML'
[[assertion]]
name = "buffered_stdout"
type = "anti_pattern"
pattern = "SmallWrites"
threshold = 64
TOML
expect "SmallWrites: a one-byte writer fails" 1 "Actual: 1 bytes per write (2000 writes" -- \
	"$run" --assert "$tmp/small.toml" -- "$progs/writer" 2000 1
expect "SmallWrites: a 4 KiB writer passes" 0 -- \
	"$run" --assert "$tmp/small.toml" -- "$progs/writer" 2000 4096

# ---- golden diffs ----------------------------------------------------------
expect "--golden --update-golden writes the golden trace" 0 "updated" -- \
	"$run" --golden "$tmp/golden.json" --update-golden -- "$progs/writer" 100 64
expect "--golden: an identical rerun passes" 0 "Golden diff passed" -- \
	"$run" --golden "$tmp/golden.json" --tolerance 5 -- "$progs/writer" 100 64
expect "--golden: 10% more writes fail, naming write and +10%" 1 \
	"write: 110 calls, golden 100: +10%" -- \
	"$run" --golden "$tmp/golden.json" --tolerance 5 -- "$progs/writer" 110 64
"$run" --format json -o "$tmp/more.json" -- "$progs/writer" 110 64 > /dev/null
"$run" --format json -o "$tmp/same.json" -- "$progs/writer" 100 64 > /dev/null
expect "gtrace diff flags 10% more writes" 1 "Regression: write: 110 calls, golden 100: +10%" -- \
	"$gtrace" diff --tolerance 5 "$tmp/golden.json" "$tmp/more.json"
expect "gtrace diff passes an identical rerun" 0 -- \
	"$gtrace" diff --tolerance 5 "$tmp/golden.json" "$tmp/same.json"

tap_done assertions
