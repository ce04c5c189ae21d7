// SPDX-License-Identifier: GPL-2.0
/*
 * sigparent STATUS N: send the parent each catchable signal once (1 to 31
 * but SIGKILL and SIGSTOP, then SIGRTMIN to SIGRTMAX), then make N
 * getppid calls and exit with STATUS; "sigparent term" instead ends by
 * its own SIGTERM. Exits 99 if the parent died on the way (it was
 * reparented). The kill and getppid counts of a trace are exact: one
 * getppid for the parent's pid, one kill per signal, N getppid; it
 * prints "sent K" (K signals) last.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	pid_t parent = (pid_t)syscall(SYS_getppid);
	long i, n = argc > 2 ? atol(argv[2]) : 0;
	struct timespec pause = { 0, 2000000 };
	int sig, sent = 0;
	char msg[32];

	if (argc < 2)
		return 2;
	for (sig = 1; sig <= SIGRTMAX; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP ||
		    (sig > 31 && sig < SIGRTMIN))
			continue;
		syscall(SYS_kill, parent, sig);
		sent++;
		/* Let each one arrive alone; standard signals do not queue. */
		syscall(SYS_nanosleep, &pause, NULL);
	}
	for (i = 0; i < n; i++)
		if (syscall(SYS_getppid) != parent)
			return 99;
	snprintf(msg, sizeof(msg), "sent %d\n", sent);
	if (syscall(SYS_write, 1, msg, strlen(msg)) < 0)
		return 97;
	if (!strcmp(argv[1], "term")) {
		syscall(SYS_kill, syscall(SYS_getpid), SIGTERM);
		return 98;
	}
	return atoi(argv[1]);
}
