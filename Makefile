# SPDX-License-Identifier: GPL-2.0
#
# gtrace top-level Makefile: the module (through kbuild), the userspace
# library and tools, the tests, and the VM test run. make help prints this
# list of every target (tests/host/packaging.sh checks that it is whole):
#
#   all               (default) module, library, tools, tests, examples
#   module            gtrace.ko for the default kernel (KDIR), build/kmod/RELEASE
#   modules-other     gtrace.ko for every other installed Debian kernel
#   userspace         libgtrace (static and shared), gtrace, gtrace-run
#   tests             kernel selftests, host unit tests, the VM tests' programs
#   examples          the examples, their regression and unchanged rebuilds
#   fuzz              the libFuzzer harnesses (clang)
#   check             every suite, side by side; a table of wall times at the end
#   check-host        host tests (tests/run-host)
#   check-asan        host unit tests under ASan and UBSan
#   check-valgrind    host unit tests under valgrind's leak check
#   check-fuzz        each fuzzer for FUZZ_SECONDS
#   check-fuzz-long   each fuzzer for FUZZ_LONG_SECONDS
#   check-lib-layers  libgtrace.so needs no json-c; both libraries export gt_ only
#   check-vm          kernel selftests and tests/vm in the VM, every kernel
#   golden-check      the examples against their golden traces, every kernel
#   check-dkms        DKMS install, modprobe, trace, uninstall in the VM
#   check-rt          kernel selftests on the PREEMPT_RT kernel
#   check-debug       kernel selftests and kmemleak on the sanitizer kernel
#   debug-kernel      build the sanitizer kernel (cached in build/debug-kernel)
#   golden-capture    trace the examples into golden_traces/
#   golden-stability  the golden check GOLDEN_REPEAT times on every kernel
#   style             checkpatch --strict, W=1 and sparse on kmod/
#   kmod-style        the W=1 and sparse build alone
#   demo              trace every example against its golden trace and budgets
#   bench             gtrace's overhead against other tracers, in the VM
#   bench-module      the empty-probe module of the benchmark
#   bench-report      the benchmark's tables again from its last raw results
#   bench-icount      the benchmark's configurations in guest instructions
#   bench-format      instructions per record of the record output (callgrind)
#   install           tools, library, headers, man pages (DESTDIR, PREFIX)
#   module_install    gtrace.ko into /lib/modules/$(KRELEASE)/extra
#   dkms-check        dkms.conf's version is GTRACE_VERSION
#   dkms-source       the module's sources into /usr/src/gtrace-VERSION
#   dkms-install      DKMS build and install (DKMS_KERNEL)
#   dkms-uninstall    DKMS remove, and the sources
#   clean             remove build/ and the module's in-tree files
#   help              this list
#   part-NAME         one part of check alone (the parts: the check section)

# Build against the running kernel where it has a build directory, else
# against the newest Debian headers installed (hosts whose own kernel cannot
# load modules build here and test in the VM).
KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
	$(lastword $(sort $(filter-out %-rt-amd64,$(wildcard /usr/src/linux-headers-*-amd64)))))
KRELEASE := $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null)

SRC := $(CURDIR)
B := $(SRC)/build
LINUX_SRC_TAR ?= $(lastword $(sort $(wildcard /usr/src/linux-source-*.tar.xz)))
KSRC := $(B)/linux-source

PREFIX ?= /usr/local
DESTDIR ?=

CC ?= cc
CFLAGS ?= -O2 -g
WARN := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wmissing-prototypes \
	-Wstrict-prototypes -Wno-unused-parameter
ALL_CFLAGS := -std=gnu11 $(WARN) -D_GNU_SOURCE -I$(SRC)/kmod/uapi $(CFLAGS)

.DEFAULT_GOAL := all
.PHONY: all module modules-other userspace tests examples fuzz style kmod-style \
	demo install module_install clean help

help:
	@sed -n '1,/^$$/s/^#   //p' $(SRC)/Makefile

# ---- rule templates ------------------------------------------------------

# $(call lib_obj_rules,OBJDIR,CC,FLAGS): the sources of both library
# layers and the generated name tables compiled into OBJDIR by CC, with
# each layer's flags and FLAGS; one call for each build of the libraries
# (plain, ASan, fuzz).
define lib_obj_rules
$(1)/client/%.o: $(CLIENT_DIR)/%.c $(LIB_HDRS)
	@mkdir -p $$(dir $$@)
	$(2) $(LIB_CFLAGS) $(3) -c -o $$@ $$<

$(1)/trace/%.o: $(TRACE_DIR)/%.c $(LIB_HDRS)
	@mkdir -p $$(dir $$@)
	$(2) $(TRACE_CFLAGS) $(3) -c -o $$@ $$<

$(1)/gen/%.o: $(B)/gen/%.c $(LIB_HDRS)
	@mkdir -p $$(dir $$@)
	$(2) $(LIB_CFLAGS) -I$(CLIENT_DIR) $(3) -c -o $$@ $$<
endef

# $(call prog_rules,OUT,SRC,COMPILE,LIB,DEPS,LINK): programs of one source
# file each, OUT from SRC (patterns with %), compiled and linked by COMPILE
# against the static library LIB (none if empty), then LINK; also rebuilt
# when DEPS change.
define prog_rules
$(1): $(2) $(4) $(5)
	@mkdir -p $$(dir $$@)
	$(3) -o $$@ $$< $(4) $(6)
endef

# ---- kernel module -------------------------------------------------------

# Every build happens out of the source tree, in build/kmod/RELEASE (kbuild
# sees symlinks to kmod/), so that builds for several kernels never mix
# their objects; kmod/gtrace.ko is a copy of the one for KDIR.
KMOD_SRCS := $(filter-out %.mod.c,$(wildcard $(SRC)/kmod/*.[ch])) $(SRC)/kmod/Kbuild \
	$(wildcard $(SRC)/kmod/uapi/linux/*.h)
KMOD_LINKS := Kbuild uapi $(notdir $(filter-out %.mod.c,$(wildcard $(SRC)/kmod/*.[ch])))

# $(call kmod_build,DIR,KDIR,EXTRA): kbuild the module in DIR against KDIR.
define kmod_build
	@mkdir -p $(1)
	cd $(1) && for f in $(KMOD_LINKS); do ln -sfn $(SRC)/kmod/$$f $$f; done
	$(MAKE) -C $(2) M=$(1) $(3) modules
endef

module:
	@test -n "$(KDIR)" || { echo "no kernel headers: run scripts/install-deps" >&2; exit 1; }
	$(call kmod_build,$(B)/kmod/$(KRELEASE),$(KDIR))
	cp $(B)/kmod/$(KRELEASE)/gtrace.ko $(SRC)/kmod/gtrace.ko

# The other Debian kernels installed (headers and image): each gets its own
# module build, and make check runs the kernel selftests on every one.
# PREEMPT_RT kernels are tested by make check-rt only.
installed_krel = $(foreach h,$(wildcard /usr/src/linux-headers-*-$(1)),$(if \
	$(wildcard /boot/vmlinuz-$(h:/usr/src/linux-headers-%=%)),$(h:/usr/src/linux-headers-%=%)))
RT_KRELEASES := $(call installed_krel,rt-amd64)
OTHER_KRELEASES := $(filter-out $(KRELEASE) $(RT_KRELEASES),$(call installed_krel,amd64))

modules-other: $(foreach r,$(OTHER_KRELEASES),$(B)/kmod/$(r)/gtrace.ko)

$(B)/kmod/%/gtrace.ko: $(KMOD_SRCS)
	$(call kmod_build,$(B)/kmod/$*,/usr/src/linux-headers-$*)

module_install: module
	$(MAKE) -C $(KDIR) M=$(B)/kmod/$(KRELEASE) INSTALL_MOD_DIR=extra modules_install

# ---- sources taken from Debian's linux-source at build time -------------

KSRC_FILES := tools/testing/selftests/kselftest_harness.h \
	tools/testing/selftests/kselftest.h \
	scripts/checkpatch.pl scripts/spelling.txt \
	scripts/const_structs.checkpatch

$(KSRC)/.stamp:
	@test -n "$(LINUX_SRC_TAR)" || { echo "no linux-source tarball: run scripts/install-deps" >&2; exit 1; }
	rm -rf $(KSRC) && mkdir -p $(KSRC)
	tar -xJf $(LINUX_SRC_TAR) -C $(KSRC) --strip-components=1 \
		$(addprefix $(notdir $(basename $(basename $(LINUX_SRC_TAR))))/,$(KSRC_FILES))
	touch $@

# ---- userspace -----------------------------------------------------------
#
# Two libraries, each static and shared with only its gt_ API exported:
# libgtrace (userspace/lib/client/: netlink session, stats, ring reader,
# names; needs libnl only) and libgtrace-trace (userspace/lib/trace/: the
# trace model, JSON, TOML, assertions, diff, filters, reports; needs json-c
# and libgtrace). Public headers in userspace/include/gtrace/. The syscall
# and errno name tables are generated from this machine's headers by
# scripts/gen-tables. The tools link both static libraries.

GT_VERSION := $(shell sed -n 's/^\#define GTRACE_VERSION[[:space:]]*"\(.*\)"/\1/p' \
	$(SRC)/kmod/uapi/linux/gtrace.h)
GT_SOMAJOR := 0

BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man

AR ?= ar
PKG_CONFIG ?= pkg-config
# -isystem: warnings in libnl's headers are not ours to fix.
NL_CFLAGS := $(patsubst -I%,-isystem %,$(shell $(PKG_CONFIG) --cflags libnl-genl-3.0))
NL_LIBS := $(shell $(PKG_CONFIG) --libs libnl-genl-3.0)
JSON_CFLAGS := $(patsubst -I%,-isystem %,$(shell $(PKG_CONFIG) --cflags json-c))
JSON_LIBS := $(shell $(PKG_CONFIG) --libs json-c)

LIB_INC := $(SRC)/userspace/include
LIB_DIR := $(SRC)/userspace/lib
CLIENT_DIR := $(LIB_DIR)/client
TRACE_DIR := $(LIB_DIR)/trace
LIB_HDRS := $(wildcard $(LIB_INC)/gtrace/*.h $(LIB_DIR)/*.h $(CLIENT_DIR)/*.h \
	$(TRACE_DIR)/*.h) $(SRC)/kmod/uapi/linux/gtrace.h
GEN_TABLES := syscalls errnos sysargs
# The prototypes that give each syscall's argument count (gen-tables
# sysargs): KDIR's, which on Debian live in the -common headers package.
SYSCALLS_H ?= $(firstword $(wildcard $(KDIR)/include/linux/syscalls.h \
	$(patsubst %-amd64,%-common,$(KDIR))/include/linux/syscalls.h \
	$(lastword $(sort $(wildcard /usr/src/linux-headers-*-common/include/linux/syscalls.h)))))
CLIENT_OBJS := $(patsubst $(LIB_DIR)/%.c,$(B)/lib/obj/%.o,$(wildcard $(CLIENT_DIR)/*.c)) \
	$(patsubst %,$(B)/lib/obj/gen/%.o,$(GEN_TABLES))
TRACE_OBJS := $(patsubst $(LIB_DIR)/%.c,$(B)/lib/obj/%.o,$(wildcard $(TRACE_DIR)/*.c))
# The client layer is built without json-c's headers: it must not need them.
LIB_CFLAGS = $(ALL_CFLAGS) -fPIC -I$(LIB_INC) $(NL_CFLAGS)
TRACE_CFLAGS = $(LIB_CFLAGS) $(JSON_CFLAGS)
# What a program of each layer links after the static libraries.
CLIENT_LIBS := $(NL_LIBS)
TRACE_LIBS := $(JSON_LIBS) $(NL_LIBS) -lm

LIB_A := $(B)/lib/libgtrace.a
LIB_SONAME := libgtrace.so.$(GT_SOMAJOR)
LIB_SO_REAL := $(B)/lib/libgtrace.so.$(GT_VERSION)
LIB_SO := $(B)/lib/libgtrace.so
TRACE_A := $(B)/lib/libgtrace-trace.a
TRACE_SONAME := libgtrace-trace.so.$(GT_SOMAJOR)
TRACE_SO_REAL := $(B)/lib/libgtrace-trace.so.$(GT_VERSION)
TRACE_SO := $(B)/lib/libgtrace-trace.so
GT_BIN := $(B)/bin/gtrace
GT_RUN := $(B)/bin/gtrace-run

# Kept after the build for reading; regenerated when the script changes.
.SECONDARY: $(patsubst %,$(B)/gen/%.c,$(GEN_TABLES))

$(B)/gen/%.c: $(SRC)/scripts/gen-tables $(SYSCALLS_H)
	@mkdir -p $(dir $@)
	CC="$(CC)" SYSCALLS_H="$(SYSCALLS_H)" $(SRC)/scripts/gen-tables $* > $@.tmp
	@mv $@.tmp $@

$(eval $(call lib_obj_rules,$(B)/lib/obj,$(CC)))

$(LIB_A): $(CLIENT_OBJS)
$(TRACE_A): $(TRACE_OBJS)

$(LIB_SO_REAL): $(CLIENT_OBJS) $(CLIENT_DIR)/libgtrace.map
	$(CC) $(CFLAGS) $(LDFLAGS) -shared -Wl,-soname,$(LIB_SONAME) \
		-Wl,--version-script=$(CLIENT_DIR)/libgtrace.map -Wl,-z,defs \
		-o $@ $(CLIENT_OBJS) $(CLIENT_LIBS)

$(LIB_SO): $(LIB_SO_REAL)
	ln -sf $(notdir $<) $(B)/lib/$(LIB_SONAME)
	ln -sf $(LIB_SONAME) $@

$(TRACE_SO_REAL): $(TRACE_OBJS) $(TRACE_DIR)/libgtrace-trace.map $(LIB_SO)
	$(CC) $(CFLAGS) $(LDFLAGS) -shared -Wl,-soname,$(TRACE_SONAME) \
		-Wl,--version-script=$(TRACE_DIR)/libgtrace-trace.map -Wl,-z,defs \
		-o $@ $(TRACE_OBJS) -L$(B)/lib -lgtrace $(JSON_LIBS) -lm

$(TRACE_SO): $(TRACE_SO_REAL)
	ln -sf $(notdir $<) $(B)/lib/$(TRACE_SONAME)
	ln -sf $(TRACE_SONAME) $@

# The layering, checked on the shared objects: libgtrace needs no json-c,
# and each library exports only gt_ symbols.
.PHONY: check-lib-layers
check-lib-layers: $(LIB_SO) $(TRACE_SO)
	@if readelf -d $(LIB_SO_REAL) | grep NEEDED | grep -q json-c; then \
		echo "check-lib-layers: libgtrace.so needs json-c" >&2; exit 1; fi
	@readelf -d $(TRACE_SO_REAL) | grep NEEDED | grep -q '\[$(LIB_SONAME)\]' || \
		{ echo "check-lib-layers: libgtrace-trace.so does not need $(LIB_SONAME)" >&2; exit 1; }
	@for so in $(LIB_SO_REAL) $(TRACE_SO_REAL); do \
		bad=$$(nm -D --defined-only $$so | awk '$$2 ~ /[TDBR]/ && $$3 !~ /^gt_/ && $$3 !~ /^LIBGTRACE/ {print $$3}'); \
		[ -z "$$bad" ] || { echo "check-lib-layers: $${so##*/} exports $$bad" >&2; exit 1; }; \
	done
	@echo "check-lib-layers: libgtrace.so needs no json-c; both export gt_ only"

$(B)/tools/obj/%.o: $(SRC)/userspace/tools/%.c $(LIB_HDRS) \
		$(wildcard $(SRC)/userspace/tools/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -I$(LIB_INC) -c -o $@ $<

GT_TOOL_OBJS := $(B)/tools/obj/tool.o $(B)/tools/obj/verdict.o
GT_BIN_OBJS := $(addprefix $(B)/tools/obj/,gtrace.o cmd_status.o cmd_report.o \
	cmd_diff.o cmd_assert.o) $(GT_TOOL_OBJS)

GT_RUN_OBJS := $(addprefix $(B)/tools/obj/,gtrace-run.o child.o) $(GT_TOOL_OBJS)

$(GT_BIN): $(GT_BIN_OBJS) $(TRACE_A) $(LIB_A)
$(GT_RUN): $(GT_RUN_OBJS) $(TRACE_A) $(LIB_A)
$(GT_BIN) $(GT_RUN):
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(TRACE_LIBS)

# ---- tests ---------------------------------------------------------------

KSELFTESTS := $(patsubst $(SRC)/tests/kselftest/%.c,$(B)/tests/kselftest/%, \
	$(wildcard $(SRC)/tests/kselftest/*.c))
# Programs the selftests run as subjects, kept out of the runner's way.
KSELFTEST_PROGS := $(B)/tests/progs/getppid32

# The harness's macros compare int literals with unsigned values. The
# selftests are clients of the kernel interface alone: libgtrace, no json-c.
KSELFTEST_CFLAGS = $(ALL_CFLAGS) -Wno-missing-prototypes -Wno-sign-compare \
	-I$(KSRC)/tools/testing/selftests -I$(LIB_INC) $(NL_CFLAGS)
$(eval $(call prog_rules,$(B)/tests/kselftest/%,$(SRC)/tests/kselftest/%.c, \
	$(CC) $(KSELFTEST_CFLAGS),$(LIB_A), \
	$(KSRC)/.stamp $(wildcard $(SRC)/tests/kselftest/*.h) $(LIB_HDRS),$(CLIENT_LIBS) -lpthread))

# A static ia32 program (gcc-multilib), for the compat ABI test.
$(eval $(call prog_rules,$(B)/tests/progs/%,$(SRC)/tests/kselftest/progs/%.c, \
	$(CC) -m32 -static -O2 -Wall -Wextra -Werror))

# Subjects of the tests/vm scripts, built here: a compiler takes minutes
# in the VM. Static, so that no dynamic loader adds calls to count.
VM_PROGS := $(patsubst $(SRC)/tests/vm/progs/%.c,$(B)/tests/vm-progs/%, \
	$(wildcard $(SRC)/tests/vm/progs/*.c))

$(eval $(call prog_rules,$(B)/tests/vm-progs/%,$(SRC)/tests/vm/progs/%.c, \
	$(CC) -static -O2 -Wall -Wextra -Werror))

# ---- host unit tests -----------------------------------------------------
#
# tests/host/*.c: kselftest-harness programs that need no module, built
# into build/tests/host/ where tests/run-host finds them. check-asan runs
# them built with ASan and UBSan, check-valgrind under valgrind's leak check.
# Leaks are valgrind's job: the harness runs each test in a child that ends
# with _exit(), which LeakSanitizer does not see but valgrind does.

HOST_TESTS := $(patsubst $(SRC)/tests/host/%.c,$(B)/tests/host/%, \
	$(wildcard $(SRC)/tests/host/*.c))
HOST_TEST_CFLAGS = $(ALL_CFLAGS) -Wno-missing-prototypes \
	-I$(KSRC)/tools/testing/selftests -I$(LIB_INC) -I$(LIB_DIR) \
	$(NL_CFLAGS) $(JSON_CFLAGS) -DGT_TEST_DATA='"$(SRC)/tests/data"'
HOST_TEST_DEPS = $(KSRC)/.stamp $(LIB_HDRS) $(wildcard $(SRC)/tests/host/*.h)
# The tests of the client layer link libgtrace alone, without json-c: a
# client of the kernel interface needs nothing more. The others link both.
HOST_CLIENT_TESTS := test_client test_names test_ring test_stats
# $(call host_libs,TEST,CLIENT_LIB,TRACE_LIB)
host_libs = $(if $(filter $(1),$(HOST_CLIENT_TESTS)),$(2) $(CLIENT_LIBS),$(3) $(2) $(TRACE_LIBS))

$(eval $(call prog_rules,$(B)/tests/host/%,$(SRC)/tests/host/%.c,$(CC) $(HOST_TEST_CFLAGS),, \
	$(LIB_A) $(TRACE_A) $(HOST_TEST_DEPS),$$(call host_libs,$$*,$(LIB_A),$(TRACE_A))))

SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
ASAN_LIB := $(B)/asan/lib/libgtrace.a
ASAN_TRACE_LIB := $(B)/asan/lib/libgtrace-trace.a
ASAN_TESTS := $(patsubst $(B)/tests/host/%,$(B)/asan/tests/%,$(HOST_TESTS))

$(eval $(call lib_obj_rules,$(B)/asan/lib,$(CC),$(SAN_FLAGS)))
$(ASAN_LIB): $(patsubst $(B)/lib/obj/%,$(B)/asan/lib/%,$(CLIENT_OBJS))
$(ASAN_TRACE_LIB): $(patsubst $(B)/lib/obj/%,$(B)/asan/lib/%,$(TRACE_OBJS))
$(eval $(call prog_rules,$(B)/asan/tests/%,$(SRC)/tests/host/%.c, \
	$(CC) $(HOST_TEST_CFLAGS) $(SAN_FLAGS),,$(ASAN_LIB) $(ASAN_TRACE_LIB) $(HOST_TEST_DEPS), \
	$$(call host_libs,$$*,$(ASAN_LIB),$(ASAN_TRACE_LIB))))



# ---- the sanitizer kernel ------------------------------------------------
#
# check-debug builds (once; cached in build/debug-kernel) a small kernel from
# Debian's linux-source with KASAN, KMEMLEAK, lockdep, DEBUG_ATOMIC_SLEEP and
# UBSAN (scripts/debug-kernel.config), gtrace.ko against it, and runs the
# kernel selftests and a kmemleak scan on it. Any sanitizer report in the
# guest's log fails the run. acpi=noirq: under emulation the sanitizers
# slow ACPI's interpreter so much that the PCI routing method hits its 30 s
# loop timeout and virtio is left without an interrupt; the BIOS's routing
# table and MSI-X do without it. kasan_multi_shot: KASAN reports every bug,
# not only the first, so that a report of the kernel's own boot (vm-run
# shows and does not count it) cannot hide a later one of gtrace.ko's.

DEBUG_KDIR := $(B)/debug-kernel/obj
DEBUG_IMAGE := $(DEBUG_KDIR)/arch/x86/boot/bzImage
DEBUG_TIMEOUT ?= 3600
# The netlink fuzzer's messages on this kernel: 10^5 take 15-20 minutes
# here, where the Debian kernels of make check take 75 s.
DEBUG_FUZZ_N ?= 20000
# Calls of the lossless selftest's slow-consumer run there (10^6 elsewhere).
DEBUG_LOSSLESS_CALLS ?= 100000


# ---- fuzzing -------------------------------------------------------------
#
# libFuzzer harnesses (tests/fuzz/fuzz_*.c) for the TOML budget parser and
# the JSON trace loader, built with clang and ASan/UBSan into build/fuzz/.
# make check runs each for FUZZ_SECONDS on the committed seed corpus
# (tests/fuzz/corpus/NAME); check-fuzz-long for FUZZ_LONG_SECONDS.

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 30
FUZZ_LONG_SECONDS ?= 1800
FUZZERS := toml json records
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -g -O1
# clang warns of the va_list formats of the error helpers, gcc does not.
FUZZ_FLAGS = -I$(LIB_DIR) -Wno-format-nonliteral $(FUZZ_SAN)
FUZZ_LIB := $(B)/fuzz/lib/libgtrace.a
FUZZ_TRACE_LIB := $(B)/fuzz/lib/libgtrace-trace.a
FUZZ_BINS := $(addprefix $(B)/fuzz/fuzz_,$(FUZZERS))

$(eval $(call lib_obj_rules,$(B)/fuzz/lib,$(FUZZ_CC),$(FUZZ_FLAGS) -fsanitize=fuzzer-no-link))
$(FUZZ_LIB): $(patsubst $(B)/lib/obj/%,$(B)/fuzz/lib/%,$(CLIENT_OBJS))
$(FUZZ_TRACE_LIB): $(patsubst $(B)/lib/obj/%,$(B)/fuzz/lib/%,$(TRACE_OBJS))
$(eval $(call prog_rules,$(B)/fuzz/fuzz_%,$(SRC)/tests/fuzz/fuzz_%.c, \
	$(FUZZ_CC) $(TRACE_CFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer \
		-DGT_FUZZ_TRACE='"$(SRC)/tests/data/traces/golden.json"' \
		-DGT_FUZZ_BUDGET='"$(SRC)/tests/data/renacer.toml"', \
	$(FUZZ_TRACE_LIB) $(FUZZ_LIB),$(LIB_HDRS),$(TRACE_LIBS)))

# The three builds of the two libraries, each from its own objects.
$(LIB_A) $(TRACE_A) $(ASAN_LIB) $(ASAN_TRACE_LIB) $(FUZZ_LIB) $(FUZZ_TRACE_LIB):
	@rm -f $@
	$(AR) rcs $@ $^

# ---- style ---------------------------------------------------------------

style: $(KSRC)/.stamp
	$(KSRC)/scripts/checkpatch.pl --strict --no-tree --terse --show-types \
		-f $(filter-out %.mod.c,$(wildcard $(SRC)/kmod/*.[ch] $(SRC)/kmod/uapi/linux/*.h \
		$(SRC)/bench/empty_probe/*.c))
	@mkdir -p $(B)
	@rm -rf $(B)/kmod-style
	@$(MAKE) --no-print-directory kmod-style 2>&1 | tee $(B)/style.log; \
	if grep -E -q '(warning|error):' $(B)/style.log; then \
		echo "style: W=1 / sparse reported problems (above)" >&2; exit 1; fi
	@echo "style: clean"

# W=1 and sparse on every file: a fresh out-of-tree build just for them.
kmod-style:
	$(call kmod_build,$(B)/kmod-style,$(KDIR),W=1 C=2)

# ---- install / clean -----------------------------------------------------

install: all
	install -D -m 0644 $(SRC)/kmod/uapi/linux/gtrace.h \
		$(DESTDIR)$(INCLUDEDIR)/linux/gtrace.h
	install -D -m 0644 -t $(DESTDIR)$(INCLUDEDIR)/gtrace \
		$(LIB_INC)/gtrace/client.h $(LIB_INC)/gtrace/trace.h
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig
	@set -e; for l in gtrace:$(CLIENT_DIR) gtrace-trace:$(TRACE_DIR); do \
		n=$${l%%:*}; d=$${l#*:}; \
		echo "install lib$$n"; \
		install -m 0644 $(B)/lib/lib$$n.a $(DESTDIR)$(LIBDIR)/lib$$n.a; \
		install -m 0755 $(B)/lib/lib$$n.so.$(GT_VERSION) $(DESTDIR)$(LIBDIR)/; \
		ln -sf lib$$n.so.$(GT_VERSION) $(DESTDIR)$(LIBDIR)/lib$$n.so.$(GT_SOMAJOR); \
		ln -sf lib$$n.so.$(GT_SOMAJOR) $(DESTDIR)$(LIBDIR)/lib$$n.so; \
		sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
			-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(GT_VERSION)|' \
			$$d/$$n.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/$$n.pc; \
	done
	install -D -m 0755 $(GT_BIN) $(DESTDIR)$(BINDIR)/gtrace
	install -D -m 0755 $(GT_RUN) $(DESTDIR)$(BINDIR)/gtrace-run
	install -d $(DESTDIR)$(MANDIR)/man1
	install -m 0644 $(wildcard $(SRC)/Documentation/*.1) $(DESTDIR)$(MANDIR)/man1/
	install -D -m 0644 $(SRC)/Documentation/gtrace.toml.5 $(DESTDIR)$(MANDIR)/man5/gtrace.toml.5

clean:
	rm -f $(addprefix $(SRC)/kmod/,*.o *.ko *.mod *.mod.c .*.cmd Module.symvers modules.order)
	-$(MAKE) -s -C $(KDIR) M=$(SRC)/bench/empty_probe clean
	rm -rf $(B)

# ---- the main job --------------------------------------------------------

demo: all
	$(SRC)/scripts/demo.sh

# ---- benchmarks ----------------------------------------------------------
#
# make bench: gtrace's overhead against untraced, the empty probe, strace,
# perf trace and bpftrace, and lossless records at full rate, in one VM
# boot (Documentation/performance.md). Results in build/bench/. The
# empty-probe module is built for the benchmark only and never installed:
# it is the floor any tracepoint tracer pays. BENCH_RUNS runs it that many
# times (one boot each; raw-1.txt ... raw-N.txt) and reports each target's
# per-run figures and their median. BENCH_MINUTES bounds each VM run;
# BENCH_ROUNDS, BENCH_CYCLES, BENCH_SCALE, BENCH_RECORDS_CALLS (the getppid
# calls of each full-rate records run; BENCH_RSS_RECORDS is its old name)
# and BENCH_TOOLS are described in bench/run-guest.

BENCH_RUNS ?= 1
BENCH_ROUNDS ?= 5
BENCH_CYCLES ?= 3
BENCH_MINUTES ?= 15
BENCH_SCALE ?= 100
BENCH_RECORDS_CALLS ?= $(or $(BENCH_RSS_RECORDS),10000000)
BENCH_TOOLS ?= strace perf bpftrace
# bench-report's raw files: those of the last make bench, or the ones given.
BENCH_RAW ?= $(or $(shell cat $(B)/bench/last-runs 2>/dev/null),$(B)/bench/raw.txt)

.PHONY: bench bench-module bench-report bench-format bench-icount

bench-module:
	$(MAKE) -C $(KDIR) M=$(SRC)/bench/empty_probe modules

$(eval $(call prog_rules,$(B)/bench/gt-%,$(SRC)/bench/gt-%.c, \
	$(CC) $(ALL_CFLAGS) -I$(LIB_INC) $(NL_CFLAGS),$(LIB_A),$(LIB_HDRS),$(CLIENT_LIBS) -lpthread))

bench: all bench-module $(B)/bench/gt-bench $(B)/bench/gt-work
	BENCH_RUNS=$(BENCH_RUNS) BENCH_ROUNDS=$(BENCH_ROUNDS) BENCH_CYCLES=$(BENCH_CYCLES) \
	BENCH_MINUTES=$(BENCH_MINUTES) BENCH_SCALE=$(BENCH_SCALE) \
	BENCH_RECORDS_CALLS=$(BENCH_RECORDS_CALLS) \
	BENCH_TOOLS="$(BENCH_TOOLS)" BENCH_KERNEL=$(KRELEASE) \
		$(SRC)/bench/run $(B)

# The record output's cost, on the host: instructions per record of text,
# JSON and the records file, counted by callgrind (bench/format-cost).
$(B)/bench/rec-format: $(SRC)/bench/rec-format.c $(TRACE_A) $(LIB_A) $(LIB_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -I$(LIB_INC) -o $@ $< $(TRACE_A) $(LIB_A) $(TRACE_LIBS)

bench-format: $(B)/bench/rec-format
	$(SRC)/bench/format-cost $(B)

# The same configurations counted in guest instructions (qemu -icount,
# shift BENCH_ICOUNT: 0 is one ns per instruction): one round of one
# cycle, no other tracers, no full-rate records runs, into
# build/bench-icount/. Deterministic, unlike make bench's timings.
BENCH_ICOUNT ?= 0

bench-icount: all bench-module $(B)/bench/gt-bench $(B)/bench/gt-work
	BENCH_ICOUNT=$(BENCH_ICOUNT) BENCH_OUT=$(B)/bench-icount BENCH_ROUNDS=1 BENCH_CYCLES=1 \
	BENCH_MINUTES=$(BENCH_MINUTES) BENCH_SCALE=$(BENCH_SCALE) BENCH_RECORDS_CALLS=0 \
	BENCH_TOOLS= BENCH_KERNEL=$(KRELEASE) \
		$(SRC)/bench/run $(B)

# The tables and the chart again, from the last run's raw results or from
# BENCH_RAW (several files: the runs reported together).
bench-report:
	$(SRC)/bench/report $(B)/bench $(BENCH_RAW)

# ---- examples ------------------------------------------------------------
#
# The golden-trace subjects (examples/): always built in release mode,
# whatever CFLAGS says, since their traces are compared with committed
# golden ones. build/examples-regression/ holds the same programs built
# with GTRACE_EXAMPLE_REGRESSION (output one byte per write()), the
# injected regression that make golden-check must catch.

EX_DIR := $(SRC)/examples
# The one list of the examples, which the scripts read too.
EXAMPLES := $(shell grep -v '^\#' $(EX_DIR)/list)
EX_CFLAGS := -std=gnu11 $(WARN) -D_GNU_SOURCE -O2
EX_LIB_SRCS := $(EX_DIR)/common.c $(EX_DIR)/simd.c
EX_DEPS := $(EX_LIB_SRCS) $(wildcard $(EX_DIR)/*.h $(EX_DIR)/*.inc)
EX_BINS := $(addprefix $(B)/examples/,$(EXAMPLES))
EX_REG_BINS := $(addprefix $(B)/examples-regression/,$(EXAMPLES))
# The same sources built again: must not be taken for a regression.
EX_REB_BINS := $(addprefix $(B)/examples-rebuild/,$(EXAMPLES))

$(eval $(call prog_rules,$(B)/examples/%,$(EX_DIR)/%.c,$(CC) $(EX_CFLAGS),, \
	$(EX_DEPS),$(EX_LIB_SRCS) -lm))
$(eval $(call prog_rules,$(B)/examples-regression/%,$(EX_DIR)/%.c, \
	$(CC) $(EX_CFLAGS) -DGTRACE_EXAMPLE_REGRESSION,,$(EX_DEPS),$(EX_LIB_SRCS) -lm))
$(eval $(call prog_rules,$(B)/examples-rebuild/%,$(EX_DIR)/%.c,$(CC) $(EX_CFLAGS),, \
	$(EX_DEPS),$(EX_LIB_SRCS) -lm))

# ---- DKMS ----------------------------------------------------------------
#
# dkms-install copies the module's sources to /usr/src/gtrace-VERSION with
# dkms.conf (its PACKAGE_VERSION taken from GTRACE_VERSION, the one place
# the version is kept) and has DKMS build and install it for DKMS_KERNEL
# (default: the running kernel), and rebuild it for new kernels
# (AUTOINSTALL). dkms-check fails when dkms.conf's version disagrees.

DKMS_SRC := $(DESTDIR)/usr/src/gtrace-$(GT_VERSION)
DKMS_FILES := Kbuild kmod/Kbuild kmod/uapi/linux/gtrace.h \
	$(patsubst $(SRC)/%,%,$(filter-out %.mod.c,$(wildcard $(SRC)/kmod/*.[ch])))
DKMS_KERNEL ?=
DKMS_K := $(if $(DKMS_KERNEL),-k $(DKMS_KERNEL))

.PHONY: dkms-check dkms-source dkms-install dkms-uninstall

DKMS_CONF ?= $(SRC)/dkms.conf

dkms-check:
	@v=$$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$$/\1/p' $(DKMS_CONF)); \
	if [ "$$v" != "$(GT_VERSION)" ]; then \
		echo "$(DKMS_CONF): PACKAGE_VERSION \"$$v\" is not GTRACE_VERSION \"$(GT_VERSION)\" (kmod/uapi/linux/gtrace.h)" >&2; \
		exit 1; fi

dkms-source: dkms-check
	rm -rf $(DKMS_SRC)
	for f in $(DKMS_FILES); do install -D -m 0644 $(SRC)/$$f $(DKMS_SRC)/$$f || exit 1; done
	sed 's/^PACKAGE_VERSION=.*/PACKAGE_VERSION="$(GT_VERSION)"/' $(DKMS_CONF) \
		> $(DKMS_SRC)/dkms.conf

dkms-install: dkms-source
	@command -v dkms > /dev/null || { echo "no dkms: run scripts/install-deps" >&2; exit 1; }
	if dkms status -m gtrace -v $(GT_VERSION) | grep -q .; then \
		dkms remove -m gtrace -v $(GT_VERSION) --all; fi
	dkms add -m gtrace -v $(GT_VERSION)
	dkms build -m gtrace -v $(GT_VERSION) $(DKMS_K)
	dkms install -m gtrace -v $(GT_VERSION) $(DKMS_K)

dkms-uninstall:
	@command -v dkms > /dev/null || { echo "no dkms: run scripts/install-deps" >&2; exit 1; }
	if dkms status -m gtrace -v $(GT_VERSION) | grep -q .; then \
		dkms remove -m gtrace -v $(GT_VERSION) --all; fi
	rm -rf $(DKMS_SRC)
	@# In the test VM, DKMS 3.0.10 once left a compressed gtrace.ko.xz
	@# behind after remove: take out whatever is left and re-run depmod.
	@for f in /lib/modules/*/updates/dkms/gtrace.ko*; do \
		[ -e "$$f" ] || continue; \
		echo "dkms-uninstall: removing $$f, left behind by dkms remove"; \
		rm -f "$$f"; k=$${f#/lib/modules/}; depmod "$${k%%/*}"; \
	done

# The DKMS-then-modprobe test, in a VM without the build tree's module.
# DKMS compiles the module inside the guest, 7-10 minutes a kernel under
# emulation: make check runs it on the default kernel, make check-dkms on
# every kernel make check-vm tests (DKMS_KRELEASES).
DKMS_TIMEOUT ?= 2400
DKMS_KRELEASES ?= $(KRELEASE) $(OTHER_KRELEASES)

# ---- golden traces -------------------------------------------------------
#
# golden-capture traces every example (in the VM when this host cannot
# load the module) into golden_traces/; golden-check re-traces them on
# every kernel make check-vm tests and compares with the golden traces
# (counts within GOLDEN_TOLERANCE percent) and budgets/NAME.toml and
# gtrace.toml, then shows that the injected regression is caught.

GOLDEN_TOLERANCE ?= 5

.PHONY: golden-capture
golden-capture: all
	$(SRC)/scripts/capture_golden_traces.sh

# golden-stability: the golden check GOLDEN_REPEAT times in a row on every
# kernel on an unchanged tree (after a golden-capture, to show that a fresh
# capture gives no false regressions); each run's output in
# build/golden-stability/.
GOLDEN_REPEAT ?= 10

.PHONY: golden-stability
golden-stability: all modules-other
	@mkdir -p $(B)/golden-stability
	@for i in $$(seq $(GOLDEN_REPEAT)); do for r in $(VM_KRELEASES); do \
		log=$(B)/golden-stability/run-$$i-$$r.log; \
		if $(MAKE) --no-print-directory part-golden-$$r > $$log 2>&1; then \
			echo "# golden check $$i/$(GOLDEN_REPEAT) on $$r: $$(grep -c '^ok ' $$log) checks passed"; \
		else \
			echo "# golden check $$i/$(GOLDEN_REPEAT) on $$r FAILED:"; grep '^not ok\|Regression\|FAILED' $$log | head -n 20; \
			exit 1; \
		fi; \
	done; done

# ---- check: the test suites as parts run side by side --------------------
#
# Every suite is a part, the make target part-NAME; tests/run-parts runs a
# list of them, as many at a time as there are CPUs (a TCG guest keeps one
# CPU busy), each with its output in build/logs/NAME.log, and ends with a
# table of their wall times. NAME:A,B starts once parts A and B passed.
# Parts run in the order given as CPUs come free: the longest chain first.
# A part builds nothing the others share: part-build does that first.
#
#   build            make all and the module for every kernel (modules-other)
#   host             tests/run-host
#   asan, valgrind   the host unit tests under ASan+UBSan, under valgrind
#   fuzz             each libFuzzer harness for FUZZ_SECONDS
#   vm-R             kernel selftests and tests/vm on kernel R (tests/run-vm)
#   golden-R         the golden traces and budgets of the examples on R
#   dkms-R           DKMS install, modprobe, trace, uninstall on R
#   rt-R             the kernel selftests on the PREEMPT_RT kernel R
#   debug-kernel     the sanitizer kernel (cached in build/debug-kernel)
#   debug            the kernel selftests and kmemleak on it (tests/run-debug)

VM_KRELEASES := $(KRELEASE) $(OTHER_KRELEASES)
VM_TIMEOUT ?= 1500
RUN_PARTS = MAKE="$(MAKE)" $(SRC)/tests/run-parts -l $(B)/logs
comma := ,
# $(call after_build,PARTS): PARTS, each to start after part-build.
after_build = $(addsuffix :build,$(1))

# make check check-debug, the README's test command, runs the sanitizer
# kernel's two parts in the same run as check's: its build and guest then
# overlap the other suites. make check-debug alone runs just them.
WITH_DEBUG := $(and $(filter check,$(MAKECMDGOALS)),$(filter check-debug,$(MAKECMDGOALS)))
DEBUG_PARTS := debug:build$(comma)debug-kernel
CHECK_PARTS := $(if $(WITH_DEBUG),debug-kernel) build $(call after_build,host) \
	$(if $(WITH_DEBUG),$(DEBUG_PARTS)) \
	$(call after_build,$(addprefix vm-,$(VM_KRELEASES)) dkms-$(KRELEASE) \
		$(addprefix golden-,$(VM_KRELEASES)) asan valgrind fuzz)

.PHONY: check check-vm golden-check check-dkms check-rt check-debug \
	check-host check-asan check-valgrind check-fuzz check-fuzz-long debug-kernel

# make check: every part but the sanitizer kernel's and PREEMPT_RT's.
check:
	@$(RUN_PARTS) $(CHECK_PARTS)
check-vm:
	@$(RUN_PARTS) build $(call after_build,$(addprefix vm-,$(VM_KRELEASES)))
golden-check:
	@$(RUN_PARTS) build $(call after_build,$(addprefix golden-,$(VM_KRELEASES)))
# On every kernel check-vm tests (DKMS_KRELEASES); make check on the default one.
check-dkms:
	@$(RUN_PARTS) build $(call after_build,$(addprefix dkms-,$(DKMS_KRELEASES)))
check-rt:
	@test -n "$(RT_KRELEASES)" || { echo "no PREEMPT_RT kernel: run scripts/install-deps" >&2; exit 1; }
	@$(RUN_PARTS) build $(call after_build,$(addprefix rt-,$(RT_KRELEASES)))
check-debug:
	@$(if $(WITH_DEBUG),echo "# check-debug: its parts ran with make check's",$(RUN_PARTS) debug-kernel build $(DEBUG_PARTS))

# The short host-only ones run in the foreground, their output on the terminal.
check-host check-asan check-valgrind check-fuzz: check-%: all
	@$(MAKE) --no-print-directory part-$*

debug-kernel: part-debug-kernel

check-fuzz-long: $(FUZZ_BINS)
	@$(SRC)/tests/fuzz/run $(B) $(FUZZ_LONG_SECONDS) $(FUZZERS)

.PHONY: part-build part-host part-asan part-valgrind part-fuzz part-debug-kernel part-debug

part-build: all modules-other
	@echo "build: the module for $(VM_KRELEASES), library, tools, tests, examples"

part-host: check-lib-layers
	@$(SRC)/tests/run-host

part-asan: $(ASAN_TESTS)
	@pass=0 fail=0; for t in $^; do \
		echo "# asan+ubsan: $${t##*/}"; \
		if ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		   UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 $$t; then \
			pass=$$((pass + 1)); \
		else fail=$$((fail + 1)); echo "# FAILED: $${t##*/}"; fi; \
	done; echo "asan+ubsan: $$pass passed, $$fail failed"; [ $$fail = 0 ]

part-valgrind: $(HOST_TESTS)
	@pass=0 fail=0; for t in $^; do \
		echo "# valgrind: $${t##*/}"; \
		if valgrind -q --error-exitcode=99 --leak-check=full \
			--show-leak-kinds=definite,indirect,possible \
			--errors-for-leak-kinds=definite,indirect,possible $$t; then \
			pass=$$((pass + 1)); \
		else fail=$$((fail + 1)); echo "# FAILED: $${t##*/}"; fi; \
	done; echo "valgrind: $$pass passed, $$fail failed"; [ $$fail = 0 ]

part-fuzz: $(FUZZ_BINS)
	@$(SRC)/tests/fuzz/run $(B) $(FUZZ_SECONDS) $(FUZZERS)

part-vm-%:
	@$(SRC)/scripts/vm-run --kernel $* --timeout $(VM_TIMEOUT) -- \
		$(SRC)/tests/run-vm $(B)/tests/kselftest

part-rt-%:
	@$(SRC)/scripts/vm-run --kernel $* --timeout $(VM_TIMEOUT) -- \
		$(SRC)/tests/run-kselftests $(B)/tests/kselftest

part-golden-%:
	@$(SRC)/scripts/check_golden_traces.sh --kernel $* --tolerance $(GOLDEN_TOLERANCE)

part-dkms-%:
	@$(SRC)/scripts/vm-run --kernel $* --no-module --timeout $(DKMS_TIMEOUT) -- \
		$(SRC)/tests/dkms/dkms-modprobe.sh

part-debug-kernel:
	@test -n "$(LINUX_SRC_TAR)" || { echo "no linux-source tarball: run scripts/install-deps" >&2; exit 1; }
	$(SRC)/scripts/build-debug-kernel $(LINUX_SRC_TAR) $(B)/debug-kernel

part-debug:
	$(call kmod_build,$(B)/kmod-debug,$(DEBUG_KDIR))
	@echo "# kernel selftests on $$(cat $(DEBUG_KDIR)/include/config/kernel.release) (KASAN, KMEMLEAK, lockdep, UBSAN)"
	@$(SRC)/scripts/vm-run --kernel-image $(DEBUG_IMAGE) --append "acpi=noirq kasan_multi_shot" \
		--module $(B)/kmod-debug/gtrace.ko --timeout $(DEBUG_TIMEOUT) -- \
		env GTRACE_FUZZ_N=$(DEBUG_FUZZ_N) GTRACE_LOSSLESS_CALLS=$(DEBUG_LOSSLESS_CALLS) \
		$(SRC)/tests/run-debug $(B)/tests/kselftest

# ---- what the build targets build ---------------------------------------

all: module userspace tests examples
userspace: $(LIB_A) $(LIB_SO) $(TRACE_A) $(TRACE_SO) $(GT_BIN) $(GT_RUN)
tests: $(KSELFTESTS) $(KSELFTEST_PROGS) $(VM_PROGS) $(HOST_TESTS)
examples: $(EX_BINS) $(EX_REG_BINS) $(EX_REB_BINS)
fuzz: $(FUZZ_BINS)
