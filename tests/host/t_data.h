/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Files of tests/data for the host tests. GT_TEST_DATA is that directory,
 * set by the Makefile; corpus files say what they expect on their first
 * line: "# expect-line: N | part of the message".
 */
#ifndef GTRACE_TESTS_T_DATA_H
#define GTRACE_TESTS_T_DATA_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef GT_TEST_DATA
#error "GT_TEST_DATA must name tests/data"
#endif

/* The whole file, NUL-terminated (it may hold NULs too); NULL on error. */
static inline char *t_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc(n + 1);
		if (buf && fread(buf, 1, n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		if (buf) {
			buf[n] = '\0';
			*len = n;
		}
	}
	fclose(f);
	return buf;
}

struct t_expect {
	int line;
	char msg[200];
};

/* Parse "# expect-line: N | text" off the first line; 0 on success. */
static inline int t_expect(const char *text, struct t_expect *e)
{
	const char *bar, *nl;

	if (sscanf(text, "# expect-line: %d", &e->line) != 1)
		return -1;
	nl = strchr(text, '\n');
	bar = strstr(text, " | ");
	e->msg[0] = '\0';
	if (bar && (!nl || bar < nl))
		snprintf(e->msg, sizeof(e->msg), "%.*s",
			 (int)((nl ? nl : bar + strlen(bar)) - bar - 3), bar + 3);
	return 0;
}

/* The *.toml files of GT_TEST_DATA/@dir, sorted; free with t_list_free(). */
static inline int t_list(const char *dir, char ***names)
{
	struct dirent **ents;
	int n, i, k = 0;
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", GT_TEST_DATA, dir);
	n = scandir(path, &ents, NULL, alphasort);
	if (n < 0)
		return -1;
	*names = calloc(n + 1, sizeof(char *));
	for (i = 0; i < n; i++) {
		size_t len = strlen(ents[i]->d_name);

		if (len > 5 && !strcmp(ents[i]->d_name + len - 5, ".toml")) {
			snprintf(path, sizeof(path), "%s/%s/%s", GT_TEST_DATA,
				 dir, ents[i]->d_name);
			(*names)[k++] = strdup(path);
		}
		free(ents[i]);
	}
	free(ents);
	return k;
}

static inline void t_list_free(char **names)
{
	char **p;

	for (p = names; p && *p; p++)
		free(*p);
	free(names);
}

#endif /* GTRACE_TESTS_T_DATA_H */
