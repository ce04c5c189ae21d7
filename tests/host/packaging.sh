#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Packaging without installing anything on this host: dkms.conf agrees
# with GTRACE_VERSION (the one place the version is kept) and make
# dkms-check says so, make dkms-source lays out a tree DKMS can build,
# and make install puts tools, library, headers and man pages in DESTDIR.
# make help lists every target the Makefile declares, and no other.
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
	 lib/libgtrace-trace.a lib/libgtrace-trace.so \
	 lib/pkgconfig/gtrace.pc lib/pkgconfig/gtrace-trace.pc \
	 include/gtrace/client.h include/gtrace/trace.h include/linux/gtrace.h \
	 share/man/man1/gtrace.1 share/man/man1/gtrace-run.1 share/man/man5/gtrace.toml.5; do
	check_log "installs /usr/$f" [ -e "$tmp/inst/usr/$f" ]
done

# Programs built against the installed tree with its pkg-config files: a
# client of the kernel interface links libgtrace alone, no json-c.
inst=$tmp/inst/usr
pc() {
	PKG_CONFIG_PATH=$inst/lib/pkgconfig pkg-config \
		--define-variable=libdir="$inst/lib" \
		--define-variable=includedir="$inst/include" "$@"
}
cat > "$tmp/client.c" <<'EOF'
#include <gtrace/client.h>
int main(void) { return gt_syscall_nr(GTRACE_ABI_X86_64, "write") == 1 ? 0 : 1; }
EOF
cat > "$tmp/trace.c" <<'EOF'
#include <gtrace/trace.h>
int main(int argc, char **argv)
{
	struct gt_input_error e;
	struct gt_trace *tr;

	if (argc != 2 || gt_trace_load_json(argv[1], &tr, &e))
		return 1;
	gt_trace_free(tr);
	return 0;
}
EOF
build() { # NAME PKG
	# shellcheck disable=SC2046 # pkg-config's words are separate flags
	"${CC:-cc}" -Wall -Werror $(pc --cflags "$2") -o "$tmp/$1" "$tmp/$1.c" $(pc --libs "$2")
}
check_log "a client program builds with pkg-config gtrace" build client gtrace
check_log "it needs libgtrace and not json-c" \
	sh -c "readelf -d '$tmp/client' | grep -q 'NEEDED.*libgtrace\\.so' && ! readelf -d '$tmp/client' | grep -q json-c"
check_log "and runs on the installed library" env LD_LIBRARY_PATH="$inst/lib" "$tmp/client"
check_log "a trace program builds with pkg-config gtrace-trace" build trace gtrace-trace
check_log "and loads a golden trace with the installed libraries" \
	env LD_LIBRARY_PATH="$inst/lib" "$tmp/trace" "$top/tests/data/traces/golden.json"
check_log "the installed gtrace-run runs" "$tmp/inst/usr/bin/gtrace-run" --version
if command -v groff > /dev/null; then
	for m in "$tmp"/inst/usr/share/man/man*/*; do
		check_log "${m##*/} renders without warnings" \
			sh -c "groff -man -Tutf8 -ww -z '$m' 2>&1 | (! grep .)"
	done
fi

# The targets the Makefile declares phony (part-NAME stands for the parts)
# and the ones make help lists, one a line.
mk -pRrq -f "$top/Makefile" : 2> /dev/null | sed -n 's/^\.PHONY: //p' | tr ' ' '\n' |
	sed 's/^part-.*/part-NAME/' | grep . | sort -u > "$tmp/phony"
mk help | cut -d' ' -f1 | sort > "$tmp/help"
check_log "make help lists each target once" sh -c "[ -z \"\$(uniq -d '$tmp/help')\" ]"
unlisted=$(comm -23 "$tmp/phony" "$tmp/help" | tr '\n' ' ')
check_log "make help lists every target${unlisted:+ (not: $unlisted)}" [ -z "$unlisted" ]
stale=$(comm -13 "$tmp/phony" "$tmp/help" | tr '\n' ' ')
check_log "make help lists no target the Makefile lacks${stale:+ (no: $stale)}" [ -z "$stale" ]

tap_done packaging
