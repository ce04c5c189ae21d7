#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The way test hosts install gtrace: DKMS builds and installs the module
# for the running kernel (make dkms-install), modprobe loads it, a program
# is traced, modprobe -r unloads it, make dkms-uninstall removes it all.
#
# It changes the system it runs on, so it runs only inside the test VM
# (make check-dkms: scripts/vm-run --no-module, whose writes stay in the
# guest's overlay); the guest sees the host's dkms, compiler and kernel
# headers.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=SCRIPTDIR/../lib/tap.sh
. "$top/tests/lib/tap.sh"
# shellcheck source=SCRIPTDIR/../lib/json.sh
. "$top/tests/lib/json.sh"
run=$top/build/bin/gtrace-run
rel=$(uname -r)
version=$(sed -n 's/^#define GTRACE_VERSION[[:space:]]*"\(.*\)"/\1/p' "$top/kmod/uapi/linux/gtrace.h")
tap_tmpdir
tap_lines=25

echo "TAP version 13"
if [ "${GTRACE_VM:-}" != 1 ]; then
	echo "1..0 # SKIP installs a module system-wide: runs only in the test VM (make check-dkms)"
	exit 0
fi
echo "# kernel $rel, gtrace $version"

# vm-run may have loaded the build tree's module: DKMS's must be the one.
[ -d /sys/module/gtrace ] && rmmod gtrace

check_log "make dkms-install builds and installs gtrace $version for $rel" \
	make -C "$top" --no-print-directory dkms-install DKMS_KERNEL="$rel"
check_log "dkms status shows gtrace/$version installed for $rel" \
	sh -c "dkms status -m gtrace -v '$version' -k '$rel' | grep -q ': installed'"
check_log "modinfo finds DKMS's gtrace.ko for $rel" \
	sh -c "modinfo -n gtrace | grep -q '^/lib/modules/$rel/updates/dkms/gtrace.ko'"
check_log "modprobe gtrace" modprobe gtrace
check_log "the loaded module is version $version" \
	sh -c "[ \"\$(cat /sys/module/gtrace/version)\" = '$version' ]"

"$run" --format json -o "$tmp/trace.json" -- "$top/build/examples/backend_detection" \
	> "$tmp/stdout" 2> "$out"
rc=$?
calls=$(json_get "$tmp/trace.json" 't["summary"]["calls"]' 2>> "$out")
execs=$(json_get "$tmp/trace.json" \
	'sum(s["calls"] for s in t["summary"]["syscalls"] if s["name"] == "execve")' 2>> "$out")
if [ "$rc" = 0 ] && [ "${execs:-0}" -ge 1 ] && grep -q '^selected backend:' "$tmp/stdout"; then
	ok "gtrace-run traces a program with the DKMS module ($calls syscalls, $execs execve)"
else
	cat "$tmp/stdout" >> "$out"
	not_ok "gtrace-run traces a program with the DKMS module (exit $rc, ${execs:-no} execve)"
fi

check_log "modprobe -r gtrace" modprobe -r gtrace
check_log "the module is gone" sh -c "[ ! -d /sys/module/gtrace ]"
check_log "make dkms-uninstall" make -C "$top" --no-print-directory dkms-uninstall
check_log "dkms no longer knows gtrace" sh -c "! dkms status -m gtrace | grep ."
check_log "its sources are gone from /usr/src" sh -c "[ ! -e /usr/src/gtrace-$version ]"
check_log "no gtrace.ko is left in /lib/modules/$rel/updates/dkms" \
	sh -c "! ls /lib/modules/$rel/updates/dkms/gtrace.ko*"
check_log "modprobe no longer finds a gtrace module for $rel" sh -c "! modinfo -n gtrace"

tap_done dkms
