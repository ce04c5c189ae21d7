/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals of libgtrace-trace, the trace layer. Like the client layer's,
 * the gti_ functions are not exported from the shared library (see
 * libgtrace-trace.map); the host unit tests link the static library.
 */
#ifndef GTRACE_TRACE_INTERNAL_H
#define GTRACE_TRACE_INTERNAL_H

#include <gtrace/trace.h>

#include "../gt_common.h"

/* The syscall's name, or "syscall_NR" in @buf when the tables lack it. */
const char *gti_sc_label(unsigned int abi, unsigned int nr, char *buf,
			 size_t len);

/* The errno's name ("EBADF"), or its number in @buf when unknown. */
const char *gti_errno_label(int err, char *buf, size_t len);

#endif /* GTRACE_TRACE_INTERNAL_H */
