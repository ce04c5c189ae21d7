/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The commands of gtrace, one file each (cmd_<name>.c); each gets argv
 * from its own name on and returns the tool's exit code (tool.h).
 */
#ifndef GTRACE_TOOLS_CMDS_H
#define GTRACE_TOOLS_CMDS_H

int do_status(int argc, char **argv);	/* cmd_status.c */
int do_report(int argc, char **argv);	/* cmd_report.c */
int do_diff(int argc, char **argv);	/* cmd_diff.c */
int do_assert(int argc, char **argv);	/* cmd_assert.c */

#endif /* GTRACE_TOOLS_CMDS_H */
