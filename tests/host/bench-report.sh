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

# target TEXT VERDICT VALUE RUNS: the same with the per-run figures RUNS.
target_runs() {
	json_test "$json" "[g for g in t['targets'] if g['target'].startswith('$1') and g['verdict'] == '$2' and g['value'] == $3 and g['runs'] == $4]"
}

# gen COUNTERS JSON_DROPS: a run's raw lines. Three samples. untraced
# 1000/1100/900 ns, empty probe +100 ns in each, clock probe +120,
# counters +COUNTERS, records +200, bystander +105, strace +100000,
# perf +2000, bpftrace +400 (tracers in sample 3 only). mixed: 500
# syscalls a run. Full-rate records: JSON JSON_DROPS dropped, JSON
# --no-drops none, the binary file not measured.
gen() {
	echo "I kernel 6.0.0-test"
	echo "I vcpus 2"
	echo "I cpu test cpu"
	echo "I rounds 1"
	echo "I cycles 3"
	echo "I mixed_tree /x 1 entries 1 KiB"
	echo "C mixed_syscalls 500"
	echo "W json drop 10000000 $((10000000 - $2)) $2 2500000000 40.0 2500.5 "
	echo "M rss_records 10000000"
	echo "M rss_kib 4096"
	echo "M rss_ring $((10000000 - $2)) $2"
	echo "M rss_getppid_ns 2500.5"
	echo "M rss_seconds 40.0"
	echo "W json nodrops 10000000 10000003 0 2600000000 80.0 7000.0 waited_ns 3000000000"
	echo "W binary drop 10000000 - - - - - not measured: gtrace-run has no --records-file"
	echo "M drain_calls 1000000"
	echo "M drain_ring 999990 10"
	for s in 1 2 3; do
		u=$((s == 1 ? 1000 : s == 2 ? 1100 : 900))
		for w in getppid pipe threads mixed; do
			k=1
			[ $w = mixed ] && k=500
			for c in untraced:0 empty-probe:100 clock-probe:120 counters:$1 \
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
}

echo "TAP version 13"
gen 130 3 > "$tmp/raw"
"$top/bench/report" "$tmp/res" "$tmp/raw" > "$out" 2>&1
check "report runs" test $? = 0
txt=$tmp/res/results.txt
json=$tmp/res/results.json
check "results.txt, .md and .json written" \
	test -s "$txt" -a -s "$tmp/res/results.md" -a -s "$json"
check "results.json is JSON in gtrace-bench-v1" json_test "$json" 't["format"] == "gtrace-bench-v1" and t["runs"] == 1'
check "the table is printed" grep -q 'getppid  gtrace counters' "$out"
# counters: median of 1130/1230/1030 = 1130; overhead 130 = 1.30x the empty probe's.
check "median and min-max" row getppid counters \
	"r['ns_per_syscall'] == {'median': 1130, 'min': 1030, 'max': 1230}"
check "overhead over the empty probe's" row getppid counters \
	"r['overhead_ns'] == 130 and r['x_empty_probe_overhead'] == 1.3"
check "mixed is per syscall" row mixed untraced "r['ns_per_syscall']['median'] == 1000"
check "tracers paired with their sample" row pipe strace \
	"r['ns_per_syscall']['median'] == 100900 and r['overhead_ns'] == 100000 and r['x_empty_probe_overhead'] == 1000"
# 130 / 120, 200 / 130, 105 / 100
check "counters over the clock probe met" target "counters overhead / clock-probe overhead, getppid" met 1.083
check "records over counters met" target "records overhead / counters overhead, pipe" met 1.538
check "bystander target met" target "untraced beside a session: overhead / empty-probe overhead, threads" met 1.05
check "one run: robustness from its one round" json_test "$json" \
	"[g for g in t['targets'] if g['target'].startswith('counters overhead') and g['robust'].startswith('cannot tell (1 of 1 rounds')]"
check "strace target met" target "strace -f -c overhead / gtrace counters overhead, getppid" met 769.2
check "bpftrace target met" target "bpftrace syscount+hist overhead / gtrace counters overhead, getppid" met 3.077
check "flat in tasks" target "overhead at 1000 traced tasks / at 1 task" met 1
check "memory per task" target "kernel memory per traced task" met 5000
check "RSS target met" target "gtrace-run peak RSS" met 4096
check "JSON drops are a miss" target "records dropped of 10^7 getppid calls, JSON, drop-and-count" "not met" 3
check "--no-drops: none dropped" target "records dropped of 10^7 getppid calls, JSON, --no-drops" met 0
check "binary file not measured, and why" json_test "$json" \
	"[g for g in t['targets'] if g['target'].endswith('binary file, drop-and-count') and g['verdict'] == 'not measured' and g['value'] is None and g['robust'] == 'not measured: gtrace-run has no --records-file']"
check "a run not in the raw file is not measured" target "records dropped of 10^7 getppid calls, binary file, --no-drops" "not measured" None
check "full-rate runs listed with their wait" json_test "$json" \
	"[w for w in t['full_rate_records'] if w['mode'] == 'nodrops' and w['read'] == 10000003 and w['note'] == 'waited_ns 3000000000']"
check "the wait is printed" grep -q 'JSON (--format json -o), --no-drops .*waited_ns 3000000000' "$txt"
check "the counting drain" grep -q 'gt-bench drain): 999990 records read, 10 dropped' "$txt"
check "perf's lost events summed" json_test "$json" 't["perf_lost_events"] == 21'
if command -v gnuplot > /dev/null; then
	check "chart drawn" test -s "$tmp/res/overhead.png"
fi

# Three runs: counters +130, +200, +140 over the clock probe's +120 are
# 1.083, 1.667, 1.167; their median 1.167 meets 1.3 but one run does
# not: noise. Drops 3, 0, 0: the worst run counts.
gen 200 0 > "$tmp/raw2"
gen 140 0 > "$tmp/raw3"
"$top/bench/report" "$tmp/res3" "$tmp/raw" "$tmp/raw2" "$tmp/raw3" > "$out" 2>&1
check "three runs reported" test $? = 0
json=$tmp/res3/results.json
check "three runs in the JSON" json_test "$json" 't["runs"] == 3 and t["samples"] == 9'
check "median of the runs" target_runs "counters overhead / clock-probe overhead, getppid" met 1.167 "[1.083, 1.667, 1.167]"
check "a verdict some runs miss is noise" json_test "$json" \
	"[g for g in t['targets'] if g['target'] == 'counters overhead / clock-probe overhead, getppid' and g['robust'] == 'noise: 2 of 3 runs met']"
check "one all runs agree on is robust" json_test "$json" \
	"[g for g in t['targets'] if g['target'] == 'untraced beside a session: overhead / empty-probe overhead, getppid' and g['robust'] == 'robust: 3 of 3 runs met']"
check "drops: the worst run" target_runs "records dropped of 10^7 getppid calls, JSON, drop-and-count" "not met" 3 "[3, 0, 0]"
check "the table pools the runs' samples" row getppid counters \
	"r['samples'] == 9 and r['ns_per_syscall']['median'] == 1140"
check "per-run figures printed" grep -q 'counters overhead / clock-probe overhead, getppid .* 1.08 *1.67 *1.17 *1.17' "$tmp/res3/results.txt"
check "each run reported alone" test -s "$tmp/res3/run-2/results.json"

# Counted in instructions (make bench-icount): deterministic, and said so.
{ echo "I icount 0"; gen 130 0; } > "$tmp/rawic"
"$top/bench/report" "$tmp/resic" "$tmp/rawic" > "$out" 2>&1
check "icount: reported" test $? = 0
json=$tmp/resic/results.json
check "icount: timing verdicts are deterministic" json_test "$json" \
	"[g for g in t['targets'] if g['target'] == 'counters overhead / clock-probe overhead, getppid' and g['robust'] == 'deterministic (instructions, icount)']"
check "icount: records and threads are not exact" json_test "$json" \
	"[g for g in t['targets'] if g['target'] == 'records overhead / counters overhead, getppid' and g['robust'].startswith('counted (icount), but')]"
check "icount: the table says it counts" grep -q 'COUNTED, NOT TIMED: qemu -icount shift 0' "$tmp/resic/results.txt"
"$top/bench/report" "$tmp/resmix" "$tmp/raw" "$tmp/rawic" > "$out" 2>&1
check "counts and timings mixed: a warning" grep -q 'WARNING: these raw files mix' "$tmp/resmix/results.txt"

"$top/bench/report" "$tmp/none" /dev/null > /dev/null 2>&1
check "no results: exit 1" test $? = 1
"$top/bench/report" "$tmp/none" > /dev/null 2>&1
check "no raw file: usage, exit 2" test $? = 2

tap_done bench-report
