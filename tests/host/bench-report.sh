#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/report on made-up raw results: the medians, the paired overheads,
# the target verdicts and the three output files. Arithmetic only: no
# timing is measured or asserted here.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

check() {
	local what=$1
	shift
	if "$@"; then
		echo "ok - $what"
	else
		echo "not ok - $what"
		fails=$((fails + 1))
	fi
}

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

out=$("$top/bench/report" "$tmp/raw" "$tmp/out" 2>&1)
check "report runs" test $? = 0
txt=$tmp/out/results.txt
check "results.txt, .md and .json written" \
	test -s "$txt" -a -s "$tmp/out/results.md" -a -s "$tmp/out/results.json"
check "the table is printed" grep -q 'getppid  gtrace counters' <<< "$out"
# counters: median of 1130/1230/1030 = 1130; overhead 130 = 1.30x the empty probe's.
check "median and min-max" grep -Eq '^getppid +gtrace counters +1130 +\(1030-1230\)' "$txt"
check "overhead over the empty probe's" \
	grep -Eq '^getppid +gtrace counters +1130 .* 130 +1\.30$' "$txt"
check "mixed is per syscall" grep -Eq '^mixed +untraced +1000 ' "$txt"
check "tracers paired with their sample" grep -Eq '^pipe +strace -f -c +100900 .* 100000 +1000\.00$' "$txt"
check "counters target met" grep -Eq '^  met +counters overhead / empty-probe overhead, getppid +1\.30' "$txt"
check "bystander target met" grep -Eq '^  met +untraced-while-another-traced .*getppid +1\.05' "$txt"
check "strace target met" grep -Eq '^  met +strace -f -c overhead / gtrace counters overhead, getppid +769' "$txt"
check "bpftrace target met" grep -Eq '^  met +bpftrace .*getppid +3\.08' "$txt"
check "flat in tasks" grep -Eq '^  met +overhead at 1000 traced tasks / at 1 task +1(\.00)? ' "$txt"
check "memory per task" grep -Eq '^  met +kernel memory per traced task .* 5000 ' "$txt"
check "RSS target met" grep -Eq '^  met +gtrace-run peak RSS .* 4096 ' "$txt"
check "drops are a miss" grep -Eq '^  NOT met +records dropped by gtrace-run, getppid loop, default ring +3 ' "$txt"
check "the counting drain" grep -q 'gt-bench drain): 999990 records read, 10 dropped' "$txt"
check "perf's lost events summed" grep -q 'perf trace reported 21 events LOST' "$txt"
if command -v python3 > /dev/null; then
	check "results.json is JSON" python3 -c 'import json, sys; json.load(open(sys.argv[1]))' \
		"$tmp/out/results.json"
fi
if command -v gnuplot > /dev/null; then
	check "chart drawn" test -s "$tmp/out/overhead.png"
fi
"$top/bench/report" /dev/null "$tmp/none" > /dev/null 2>&1
check "no results: exit 1" test $? = 1

echo "bench-report: $fails failed"
[ "$fails" = 0 ]
