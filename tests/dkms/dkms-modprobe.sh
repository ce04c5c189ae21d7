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
run=$top/build/bin/gtrace-run
rel=$(uname -r)
version=$(sed -n 's/^#define GTRACE_VERSION[[:space:]]*"\(.*\)"/\1/p' "$top/kmod/uapi/linux/gtrace.h")
n=0 fails=0
tmp=$(mktemp -d)
out=$tmp/out
trap 'rm -rf "$tmp"' EXIT

ok() { n=$((n + 1)); echo "ok $n $1"; }
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n $1"; sed 's/^/# /' "$out" | tail -n 25; }
check() { local what=$1; shift; if "$@" > "$out" 2>&1; then ok "$what"; else not_ok "$what"; fi; }

echo "TAP version 13"
if [ "${GTRACE_VM:-}" != 1 ]; then
	echo "1..0 # SKIP installs a module system-wide: runs only in the test VM (make check-dkms)"
	exit 0
fi
echo "# kernel $rel, gtrace $version"

# vm-run may have loaded the build tree's module: DKMS's must be the one.
[ -d /sys/module/gtrace ] && rmmod gtrace

check "make dkms-install builds and installs gtrace $version for $rel" \
	make -C "$top" --no-print-directory dkms-install DKMS_KERNEL="$rel"
check "dkms status shows gtrace/$version installed for $rel" \
	sh -c "dkms status -m gtrace -v '$version' -k '$rel' | grep -q ': installed'"
check "modinfo finds DKMS's gtrace.ko for $rel" \
	sh -c "modinfo -n gtrace | grep -q '^/lib/modules/$rel/updates/dkms/gtrace.ko'"
check "modprobe gtrace" modprobe gtrace
check "the loaded module is version $version" \
	sh -c "[ \"\$(cat /sys/module/gtrace/version)\" = '$version' ]"

"$run" -o "$tmp/report" -- "$top/build/examples/backend_detection" > "$tmp/stdout" 2> "$out"
rc=$?
cat "$tmp/report" >> "$out" 2>/dev/null
if [ "$rc" = 0 ] && grep -q ' execve$' "$tmp/report" &&
   grep -q '^selected backend:' "$tmp/stdout"; then
	ok "gtrace-run traces a program with the DKMS module ($(awk '$NF == "total" { print $4 }' "$tmp/report") syscalls)"
else
	not_ok "gtrace-run traces a program with the DKMS module (exit $rc)"
fi

check "modprobe -r gtrace" modprobe -r gtrace
check "the module is gone" sh -c "[ ! -d /sys/module/gtrace ]"
check "make dkms-uninstall" make -C "$top" --no-print-directory dkms-uninstall
check "dkms no longer knows gtrace" sh -c "! dkms status -m gtrace | grep ."
check "its sources are gone from /usr/src" sh -c "[ ! -e /usr/src/gtrace-$version ]"
check "no gtrace.ko is left in /lib/modules/$rel/updates/dkms" \
	sh -c "! ls /lib/modules/$rel/updates/dkms/gtrace.ko*"
check "modprobe no longer finds a gtrace module for $rel" sh -c "! modinfo -n gtrace"

echo "1..$n"
echo "# dkms: $((n - fails)) passed, $fails failed"
[ "$fails" = 0 ]
