/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gtrace subcommands that live in files of their own; each gets argv from
 * its own name on and returns the tool's exit code (0 pass, 1 failure,
 * 2 bad usage or input).
 */
#ifndef GTRACE_TOOLS_CMDS_H
#define GTRACE_TOOLS_CMDS_H

int do_diff(int argc, char **argv);	/* cmd_diff.c */
int do_assert(int argc, char **argv);	/* cmd_diff.c */

#endif /* GTRACE_TOOLS_CMDS_H */
