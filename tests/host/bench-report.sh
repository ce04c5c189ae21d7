#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/report on made-up raw results: the medians, the paired overheads,
# the target verdicts and the three output files. Arithmetic only: no
# timing is measured or asserted here. The figures are read from
# results.json; results.txt is checked for its table and its drain line.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=SCRIPTDIR/../lib/tap.sh
. "$top/tests/lib/tap.sh"
# shellcheck source=SCRIPTDIR/../lib/json.sh
. "$top/tests/lib/json.sh"
tap_tmpdir

# row WORKLOAD CONFIG EXPR: EXPR holds for that row of results.json (r).
row() {
	json_test "$json" "[r for r in t['results'] if r['workload'] == '$1' and r['config'] == '$2' and ($3)]"
}
# target TEXT VERDICT VALUE: the target whose name starts with TEXT.
target() {
	json_test "$json" "[g for g in t['targets'] if g['target'].startswith('$1') and g['verdict'] == '$2' and g['value'] == $3]"
}

echo "TAP version 13"
# Three samples. untraced 1000/1100/900 ns, empty probe +100 ns in each,
# counters +130, records +200, bystander +105, strace +100000, perf +2000,
# bpftrace +400 (tracers in sample 3 only). mixed: 500 syscalls a run.
{
	echo "I kernel 6.0.0-test"
	echo "I vcpus 2"
	echo "I cpu test cpu"
	echo "I rounds 1"
	echo "I cycles 3"
	echo "I mixed_tree /x 1 entries 1 KiB"
	echo "C mixed_syscalls 500"
	echo "M rss_records 10000000"
	echo "M rss_kib 4096"
	echo "M rss_ring 10000000 3"
	echo "M rss_getppid_ns 1000"
	echo "M rss_seconds 10"
	echo "M drain_calls 1000000"
	echo "M drain_ring 999990 10"
	for s in 1 2 3; do
		u=$((s == 1 ? 1000 : s == 2 ? 1100 : 900))
		for w in getppid pipe threads mixed; do
			k=1
			[ $w = mixed ] && k=500
			for c in untraced:0 empty-probe:100 clock-probe:120 counters:130 \
				 records:200 bystander:105; do
				echo "R $s ${c%%:*} $w $(((u + ${c#*:}) * k)) 1 1"
			done
			echo "D $s records $w 100 0"
			if [ $s = 3 ]; then
				for c in strace:100000 perf:2000 bpftrace:400; do
					echo "R $s ${c%%:*} $w $(((u + ${c#*:}) * k)) 1 1"
				done
			fi
		done
		for t in 1 100 1000; do
			echo "R $s tasks-untraced tasks:$t $u 1 1 0 0"
			echo "R $s tasks-counters tasks:$t $((u + 130)) 1 1 $((t * 5000)) 1"
		done
		echo "L $s perf 7"
	done
} > "$tmp/raw"

"$top/bench/report" "$tmp/raw" "$tmp/res" > "$out" 2>&1
check "report runs" test $? = 0
txt=$tmp/res/results.txt
json=$tmp/res/results.json
check "results.txt, .md and .json written" \
	test -s "$txt" -a -s "$tmp/res/results.md" -a -s "$json"
check "results.json is JSON in gtrace-bench-v1" json_test "$json" 't["format"] == "gtrace-bench-v1"'
check "the table is printed" grep -q 'getppid  gtrace counters' "$out"
# counters: median of 1130/1230/1030 = 1130; overhead 130 = 1.30x the empty probe's.
check "median and min-max" row getppid counters \
	"r['ns_per_syscall'] == {'median': 1130, 'min': 1030, 'max': 1230}"
check "overhead over the empty probe's" row getppid counters \
	"r['overhead_ns'] == 130 and r['x_empty_probe_overhead'] == 1.3"
check "mixed is per syscall" row mixed untraced "r['ns_per_syscall']['median'] == 1000"
check "tracers paired with their sample" row pipe strace \
	"r['ns_per_syscall']['median'] == 100900 and r['overhead_ns'] == 100000 and r['x_empty_probe_overhead'] == 1000"
check "counters target met" target "counters overhead / empty-probe overhead, getppid" met 1.3
check "bystander target met" target "untraced-while-another-traced overhead / empty-probe overhead, getppid" met 1.05
check "strace target met" target "strace -f -c overhead / gtrace counters overhead, getppid" met 769.2
check "bpftrace target met" target "bpftrace syscount+hist overhead / gtrace counters overhead, getppid" met 3.077
check "flat in tasks" target "overhead at 1000 traced tasks / at 1 task" met 1
check "memory per task" target "kernel memory per traced task" met 5000
check "RSS target met" target "gtrace-run peak RSS" met 4096
check "drops are a miss" target "records dropped by gtrace-run, getppid loop, default ring" "NOT met" 3
check "the counting drain" grep -q 'gt-bench drain): 999990 records read, 10 dropped' "$txt"
check "perf's lost events summed" json_test "$json" 't["perf_lost_events"] == 21'
if command -v gnuplot > /dev/null; then
	check "chart drawn" test -s "$tmp/res/overhead.png"
fi
"$top/bench/report" /dev/null "$tmp/none" > /dev/null 2>&1
check "no results: exit 1" test $? = 1

tap_done bench-report
