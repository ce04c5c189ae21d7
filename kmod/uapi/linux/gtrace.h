/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * gtrace user-kernel interface: generic netlink family, attributes and the
 * per-call record layout. Shared unchanged by gtrace.ko and the userspace
 * tools.
 */
#ifndef _UAPI_LINUX_GTRACE_H
#define _UAPI_LINUX_GTRACE_H

#define GTRACE_VERSION		"0.1.0"

#endif /* _UAPI_LINUX_GTRACE_H */
