// SPDX-License-Identifier: GPL-2.0
/*
 * Names of syscalls, errno values and the UAPI enums. The syscall and errno
 * tables are generated at build time from the system's headers by
 * scripts/gen-tables; this file only looks things up in them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "client_internal.h"

static const char *lookup(const struct gti_names *t, unsigned int nr)
{
	return nr < t->len ? t->name[nr] : NULL;
}

/* Linear: a few hundred names, looked up when parsing options or files. */
static int rlookup(const struct gti_names *t, const char *name)
{
	unsigned int i;

	for (i = 0; i < t->len; i++)
		if (t->name[i] && !strcmp(t->name[i], name))
			return i;
	return -ENOENT;
}

const char *gt_syscall_name(unsigned int abi, unsigned int nr)
{
	if (abi >= __GTRACE_ABI_MAX)
		return NULL;
	return lookup(&gti_syscall_names[abi], nr);
}

int gt_syscall_nr(unsigned int abi, const char *name)
{
	if (abi >= __GTRACE_ABI_MAX)
		return -EINVAL;
	return rlookup(&gti_syscall_names[abi], name);
}

unsigned int gt_syscall_count(unsigned int abi)
{
	if (abi >= __GTRACE_ABI_MAX)
		return 0;
	return gti_syscall_names[abi].len;
}

static int nargs_cmp(const void *key, const void *elt)
{
	return strcmp(key, ((const struct gti_nargs *)elt)->name);
}

int gt_syscall_nargs(unsigned int abi, unsigned int nr)
{
	const char *name = gt_syscall_name(abi, nr);
	const struct gti_nargs *n;

	if (!name)
		return -ENOENT;
	n = bsearch(name, gti_syscall_nargs, gti_nr_syscall_nargs,
		    sizeof(gti_syscall_nargs[0]), nargs_cmp);
	return n ? n->nargs : -ENOENT;
}

const char *gt_errno_name(int err)
{
	if (err < 0)
		return NULL;
	return lookup(&gti_errno_names, err);
}

int gt_errno_nr(const char *name)
{
	unsigned int i;
	int nr;

	nr = rlookup(&gti_errno_names, name);
	if (nr >= 0)
		return nr;
	for (i = 0; i < gti_nr_errno_aliases; i++)
		if (!strcmp(gti_errno_aliases[i].name, name))
			return gti_errno_aliases[i].nr;
	return -ENOENT;
}

static const char *const abi_names[] = {
	[GTRACE_ABI_X86_64] = "x86_64",
	[GTRACE_ABI_IA32] = "ia32",
	[GTRACE_ABI_X32] = "x32",
};

static const char *const fclass_names[] = {
	[GTRACE_FC_NONE] = "none",
	[GTRACE_FC_REGULAR] = "regular",
	[GTRACE_FC_PIPE] = "pipe",
	[GTRACE_FC_SOCKET] = "socket",
	[GTRACE_FC_TTY] = "tty",
	[GTRACE_FC_GPU] = "gpu",
	[GTRACE_FC_CHAR] = "char",
	[GTRACE_FC_OTHER] = "other",
};

static const char *const io_kind_names[] = {
	[GTRACE_IO_READ] = "read",
	[GTRACE_IO_WRITE] = "write",
	[GTRACE_IO_IOCTL] = "ioctl",
	[GTRACE_IO_MMAP] = "mmap",
};

static const char *const state_names[] = {
	[GTRACE_STATE_NEW] = "new",
	[GTRACE_STATE_RUNNING] = "running",
	[GTRACE_STATE_STOPPED] = "stopped",
	[GTRACE_STATE_DONE] = "done",
};

/* A new enum value in the UAPI header must get a name here too. */
_Static_assert(GTI_ARRAY_SIZE(abi_names) == __GTRACE_ABI_MAX, "abi names");
_Static_assert(GTI_ARRAY_SIZE(fclass_names) == __GTRACE_FC_MAX, "fclass names");
_Static_assert(GTI_ARRAY_SIZE(io_kind_names) == __GTRACE_IO_MAX, "io names");

#define NAME_OF(table, v) \
	((v) < GTI_ARRAY_SIZE(table) && (table)[v] ? (table)[v] : "?")

const char *gt_abi_name(unsigned int abi)
{
	return NAME_OF(abi_names, abi);
}

const char *gt_fclass_name(unsigned int fclass)
{
	return NAME_OF(fclass_names, fclass);
}

const char *gt_io_kind_name(unsigned int kind)
{
	return NAME_OF(io_kind_names, kind);
}

const char *gt_state_name(unsigned int state)
{
	return NAME_OF(state_names, state);
}

int gt_abi_from_name(const char *name)
{
	unsigned int i;

	for (i = 0; i < GTI_ARRAY_SIZE(abi_names); i++)
		if (!strcmp(abi_names[i], name))
			return i;
	return -EINVAL;
}
