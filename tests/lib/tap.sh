# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# tap.sh: the TAP helpers of the shell tests (tests/host, tests/vm,
# tests/dkms), sourced by them. A script prints "TAP version 13", points
# tap_log at the file whose last tap_lines lines a failure shows, and ends
# with tap_done NAME, which prints the plan after the tests, as TAP allows:
# no script counts its tests by hand.

tap_n=0				# tests so far
tap_fails=0			# of them failed
tap_log=/dev/null		# a failure shows the end of this file
tap_lines=10			# that many lines of it
tap_nopat=" in the output"	# check_exit: "(no 'PATTERN'$tap_nopat)"
tap_planned=0			# tap_plan has printed the plan

# tap_tmpdir: $tmp, a directory removed at exit, and $out in it as tap_log.
tap_tmpdir() {
	tmp=$(mktemp -d)
	out=$tmp/out
	tap_log=$out
	trap 'rm -rf "$tmp"' EXIT
}

# ok DESCRIPTION: the next test passed.
ok() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n $1"
}

# not_ok DESCRIPTION: the next test failed; the end of tap_log as comments.
not_ok() {
	tap_n=$((tap_n + 1))
	tap_fails=$((tap_fails + 1))
	echo "not ok $tap_n $1"
	sed 's/^/# /' "$tap_log" | tail -n "$tap_lines"
}

# check DESCRIPTION CMD...: passes if CMD does.
check() {
	local what=$1
	shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}

# verdict DESCRIPTION: passes if the command just before did; for a
# condition of several commands ("[ a ] && grep -q b f"), which check would
# cut after the first.
verdict() {
	if [ $? = 0 ]; then ok "$1"; else not_ok "$1"; fi
}
# check_log DESCRIPTION CMD...: the same, with CMD's output into tap_log.
check_log() {
	local what=$1
	shift
	if "$@" > "$tap_log" 2>&1; then ok "$what"; else not_ok "$what"; fi
}

# check_exit WANT DESCRIPTION PATTERN CMD...: CMD, output into tap_log,
# exits WANT and, unless PATTERN is empty, prints PATTERN (a fixed string).
check_exit() {
	local want=$1 what=$2 pat=$3 rc
	shift 3
	"$@" > "$tap_log" 2>&1
	rc=$?
	if [ "$rc" != "$want" ]; then
		not_ok "$what (exit $rc, want $want)"
	elif [ -n "$pat" ] && ! grep -qF -- "$pat" "$tap_log"; then
		not_ok "$what (no '$pat'$tap_nopat)"
	else
		ok "$what"
	fi
}

# tap_plan: the plan now, for the N tests so far (tap_done then prints none).
tap_plan() {
	echo "1..$tap_n"
	tap_planned=1
}

# tap_done NAME: the plan ("1..N" for the N tests run, unless tap_plan
# printed it) and the summary comment. True if no test failed: the last
# command of a script, it is the script's exit status. A script that dies
# before it prints no plan, which tests/run-vm counts as a failure.
tap_done() {
	[ "$tap_planned" = 1 ] || tap_plan
	echo "# $1: $((tap_n - tap_fails)) passed, $tap_fails failed"
	[ "$tap_fails" = 0 ]
}
