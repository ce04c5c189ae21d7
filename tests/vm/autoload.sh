#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Genetlink autoload (inside the VM, as root): with gtrace.ko installed
# under /lib/modules but not loaded, the first gtrace command loads it,
# and it is genetlink's lookup of the family that asks for it (the
# kernel's modprobe request names the family alias). Leaves the module
# loaded and no longer installed, as the scripts after this one expect
# (gtrace-run.sh checks the "not loaded" hint with nothing installed).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=SCRIPTDIR/../lib/tap.sh
. "$top/tests/lib/tap.sh"
gtrace=$top/build/bin/gtrace
rel=$(uname -r)
ko=$top/build/kmod/$rel/gtrace.ko
extra=/lib/modules/$rel/extra
alias=net-pf-16-proto-16-family-gtrace	# PF_NETLINK, NETLINK_GENERIC
helper=/proc/sys/kernel/modprobe
tap_tmpdir

echo "TAP version 13"
if [ "$(id -u)" != 0 ] || [ -z "${GTRACE_VM:-}" ] || [ ! -w "$helper" ]; then
	echo "1..0 # SKIP needs root inside the VM"
	exit 0
fi
if [ ! -x "$gtrace" ] || [ ! -f "$ko" ]; then
	echo "Bail out! $gtrace or $ko not built"
	exit 1
fi

real=$(cat "$helper")
# depmod's indexes as they were: restored at the end, where a second full
# depmod -a would cost minutes in the VM.
mkdir "$tmp/index"
cp -p /lib/modules/"$rel"/modules.* "$tmp/index/"
# Whatever happens, the module ends loaded, uninstalled, modprobe restored.
finish() {
	echo "$real" > "$helper"
	rm -f "$extra/gtrace.ko"
	cp -p "$tmp/index"/modules.* /lib/modules/"$rel"/
	[ -d /sys/module/gtrace ] || insmod "$ko" || echo "Bail out! cannot reload $ko"
	rm -rf "$tmp"
}
trap finish EXIT

modinfo -F alias "$ko" > "$out" 2>&1
check "the module carries the genetlink family alias" grep -qx "$alias" "$out"

rmmod gtrace > "$out" 2>&1
check "rmmod: the module is gone" [ ! -d /sys/module/gtrace ]

start=$SECONDS
mkdir -p "$extra" && install -m 0644 "$ko" "$extra/gtrace.ko" && depmod -a > "$out" 2>&1 &&
	modprobe --show-depends "$alias" > "$out" 2>&1
echo "# depmod -a: $((SECONDS - start)) s"
check "installed: modprobe finds it by the alias" grep -q "$extra/gtrace.ko" "$out"

# Log every request the kernel makes of modprobe, then pass it on.
cat > "$tmp/modprobe" <<EOS
#!/bin/sh
echo "\$*" >> "$tmp/requests"
exec "$real" "\$@"
EOS
chmod 0755 "$tmp/modprobe"
echo "$tmp/modprobe" > "$helper"

check_exit 0 "gtrace status succeeds with the module not loaded" "" "$gtrace" status
check "... and the module is loaded now" [ -d /sys/module/gtrace ]
tap_log=$tmp/requests
touch "$tap_log"
check "... at the kernel's request for the genetlink family" grep -q -- "$alias" "$tap_log"
tap_log=$out

"$top/build/bin/gtrace-run" -c -o "$out" -- true
check "the autoloaded module traces" [ $? = 0 ]

tap_done autoload
