#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/vm-run behaves as documented: the command's exit status comes back,
# a kernel warning in the guest fails the run and says why, and a command
# that outlives --timeout is killed and reported.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=SCRIPTDIR/../lib/tap.sh
. "$top/tests/lib/tap.sh"
vm=$top/scripts/vm-run
log=$(mktemp)
trap 'rm -f "$log"' EXIT
tap_log=$log tap_lines=15

echo "TAP version 13"

"$vm" --no-module -- sh -c 'exit 7' > "$log" 2>&1
rc=$?
[ "$rc" = 7 ] && ok "exit status of the command comes back (7)" ||
	not_ok "exit status of the command comes back (got $rc, want 7)"

out=$(cd "$top/tests" && "$vm" --no-module -- sh -c 'echo "out:$(pwd)"; echo err:$$ >&2' 2>"$log")
[ "$out" = "out:$top/tests" ] && grep -q '^err:[0-9]' "$log" &&
	ok "command runs in the caller's directory; stdout and stderr stay apart" ||
	not_ok "command runs in the caller's directory (stdout '$out')"

"$vm" --no-module -- sh -c 'echo "WARNING: injected" > /dev/kmsg' > "$log" 2>&1
rc=$?
[ "$rc" = 125 ] && grep -q 'guest kernel reported a problem' "$log" &&
	grep -q 'WARNING: injected' "$log" &&
	ok "a kernel WARNING in the guest fails the run and is shown" ||
	not_ok "a kernel WARNING in the guest fails the run (rc $rc)"

start=$(date +%s)
"$vm" --no-module --timeout 20 -- sleep 300 > "$log" 2>&1
rc=$?
took=$(($(date +%s) - start))
[ "$rc" = 124 ] && grep -q 'timeout' "$log" && [ "$took" -lt 60 ] &&
	ok "a command past --timeout is killed and reported (${took}s)" ||
	not_ok "a command past --timeout is killed (rc $rc, ${took}s)"

# --kernel-image: the release comes from the bzImage's setup header.
"$vm" --kernel-image /etc/passwd --no-module -- true > "$log" 2>&1
rc=$?
[ "$rc" = 126 ] && grep -q 'is not a bzImage' "$log" &&
	ok "--kernel-image of a file that is no bzImage: 126, said so" ||
	not_ok "--kernel-image of a file that is no bzImage (rc $rc)"
img=$(ls /boot/vmlinuz-* 2>/dev/null | head -n 1)
rel=${img#/boot/vmlinuz-}
"$vm" --kernel-image "$img" --kernel "$rel" -- true > "$log" 2>&1
rc=$?
[ -n "$img" ] && [ "$rc" = 126 ] && grep -q 'exclude each other' "$log" &&
	ok "--kernel-image and --kernel together: 126, said so" ||
	not_ok "--kernel-image and --kernel together (rc $rc)"

tap_done vm-run
