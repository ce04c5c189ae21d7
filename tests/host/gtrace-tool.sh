#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The gtrace tool's command line and exit codes: 0 ok, 2 bad usage, and 3
# with a how-to-fix message when the module is not loaded.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=SCRIPTDIR/../lib/tap.sh
. "$top/tests/lib/tap.sh"
gtrace=$top/build/bin/gtrace
tap_tmpdir

# expect RC DESCRIPTION -- ARGS...: run gtrace with ARGS, want exit code RC
expect() { check_exit "$1" "$2" "" "$gtrace" "${@:4}"; }

echo "TAP version 13"

if [ ! -x "$gtrace" ]; then
	echo "Bail out! $gtrace not built (run make)"
	exit 1
fi

"$gtrace" --version > "$out" 2>&1 && grep -q '^gtrace [0-9]' "$out" &&
	ok "--version prints the version" || not_ok "--version prints the version"
expect 0 "--help" -- --help
expect 2 "no command is a usage error" --
expect 2 "unknown command is a usage error" -- frobnicate
expect 2 "unknown option is a usage error" -- status --bogus
expect 2 "extra argument is a usage error" -- status extra

"$gtrace" status > "$out" 2>&1
rc=$?
if [ -d /sys/module/gtrace ]; then
	[ "$rc" = 0 ] && grep -q '^sessions' "$out" &&
		ok "status with the module loaded" ||
		not_ok "status with the module loaded (exit $rc)"
else
	[ "$rc" = 3 ] && grep -q 'modprobe gtrace' "$out" &&
		ok "status without the module: exit 3 and how to load it" ||
		not_ok "status without the module (exit $rc, want 3 and a hint)"
fi

tap_done gtrace-tool
