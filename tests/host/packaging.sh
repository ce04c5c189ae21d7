#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Packaging without installing anything on this host: dkms.conf agrees
# with GTRACE_VERSION (the one place the version is kept) and make
# dkms-check says so, make dkms-source lays out a tree DKMS can build,
# and make install puts tools, library, headers and man pages in DESTDIR.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=SCRIPTDIR/../lib/tap.sh
. "$top/tests/lib/tap.sh"
tap_tmpdir
tap_lines=15
mk() { make -C "$top" --no-print-directory -s "$@"; }

version=$(sed -n 's/^#define GTRACE_VERSION[[:space:]]*"\(.*\)"/\1/p' "$top/kmod/uapi/linux/gtrace.h")
conf() { sed -n "s/^$1=\"\\(.*\\)\"\$/\\1/p" "$top/dkms.conf"; }

echo "TAP version 13"
check_log "GTRACE_VERSION is set ($version)" [ -n "$version" ]
check_log "dkms.conf: PACKAGE_VERSION is GTRACE_VERSION" [ "$(conf PACKAGE_VERSION)" = "$version" ]
check_log "dkms.conf: PACKAGE_NAME and BUILT_MODULE_NAME are gtrace" \
	sh -c "[ '$(conf PACKAGE_NAME)' = gtrace ] && grep -q '^BUILT_MODULE_NAME\[0\]=\"gtrace\"' '$top/dkms.conf'"
check_log "dkms.conf: AUTOINSTALL" [ "$(conf AUTOINSTALL)" = yes ]
check_log "make dkms-check passes" mk dkms-check
sed 's/^PACKAGE_VERSION=.*/PACKAGE_VERSION="0.0.0-stale"/' "$top/dkms.conf" > "$tmp/stale.conf"
mk dkms-check DKMS_CONF="$tmp/stale.conf" > "$tmp/stale.out" 2>&1
rc=$?
check_log "make dkms-check fails on a stale version, naming both" \
	sh -c "[ $rc != 0 ] && grep -q '0.0.0-stale' '$tmp/stale.out' && grep -q '\"$version\"' '$tmp/stale.out'"

check_log "make dkms-source DESTDIR=..." mk dkms-source DESTDIR="$tmp/dkms"
src=$tmp/dkms/usr/src/gtrace-$version
check_log "its dkms.conf has version $version" grep -q "^PACKAGE_VERSION=\"$version\"$" "$src/dkms.conf"
missing=
for o in $(sed -n 's/^gtrace-y[[:space:]]*:=//p' "$top/kmod/Kbuild"); do
	[ -f "$src/kmod/${o%.o}.c" ] || missing="$missing ${o%.o}.c"
done
check_log "it has the top Kbuild, kmod/Kbuild, the uapi header and every source kmod/Kbuild names${missing:+ (missing:$missing)}" \
	sh -c "[ -z '$missing' ] && [ -f '$src/Kbuild' ] && [ -f '$src/kmod/Kbuild' ] && [ -f '$src/kmod/uapi/linux/gtrace.h' ]"
check_log "and no build products" sh -c "! find '$src' -name '*.o' -o -name '*.ko' -o -name '*.mod.c' | grep -q ."

check_log "make install DESTDIR=... PREFIX=/usr" mk install DESTDIR="$tmp/inst" PREFIX=/usr
for f in bin/gtrace bin/gtrace-run lib/libgtrace.a lib/libgtrace.so \
	 lib/pkgconfig/gtrace.pc include/gtrace/gtrace.h include/linux/gtrace.h \
	 share/man/man1/gtrace.1 share/man/man1/gtrace-run.1 share/man/man5/gtrace.toml.5; do
	check_log "installs /usr/$f" [ -e "$tmp/inst/usr/$f" ]
done
check_log "the installed gtrace-run runs" "$tmp/inst/usr/bin/gtrace-run" --version
if command -v groff > /dev/null; then
	for m in "$tmp"/inst/usr/share/man/man*/*; do
		check_log "${m##*/} renders without warnings" \
			sh -c "groff -man -Tutf8 -ww -z '$m' 2>&1 | (! grep .)"
	done
fi

tap_done packaging
