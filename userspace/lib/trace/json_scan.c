// SPDX-License-Identifier: GPL-2.0
/*
 * Finding things in the text of a gtrace-json-v1 file, for the loader's
 * error lines and for checking the records array one element at a time.
 * Only finds where values start and end, trusting the text to be JSON:
 * json-c has checked it (or will, for the records array, whose elements
 * are handed to json-c one by one). A result of -1 means the text does not
 * look like what was expected.
 */
#include <string.h>

#include "json_internal.h"

size_t gti_json_ws(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
			 s[i] == '\r'))
		i++;
	return i;
}

static long sk_string(const char *s, size_t n, size_t i)
{
	if (i >= n || s[i] != '"')
		return -1;
	for (i++; i < n; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '"')
			return (long)i + 1;
	}
	return -1;
}

long gti_json_value_end(const char *s, size_t n, size_t i)
{
	long depth = 0, j;

	if (i >= n)
		return -1;
	if (s[i] == '"')
		return sk_string(s, n, i);
	if (s[i] != '{' && s[i] != '[') {
		while (i < n && !strchr(",}] \t\r\n", s[i]))
			i++;
		return (long)i;
	}
	while (i < n) {
		if (s[i] == '"') {
			j = sk_string(s, n, i);
			if (j < 0)
				return -1;
			i = j;
			continue;
		}
		if (s[i] == '{' || s[i] == '[')
			depth++;
		else if (s[i] == '}' || s[i] == ']')
			depth--;
		i++;
		if (!depth)
			return (long)i;
	}
	return -1;
}

/* At the key of a member: its text between quotes is @key. */
static bool sk_key_is(const char *s, size_t i, long end, const char *key)
{
	size_t len = strlen(key);

	return (size_t)(end - i) == len + 2 && !memcmp(s + i + 1, key, len);
}

long gti_json_member(const char *s, size_t n, size_t i, const char *key)
{
	long j, found = -1;

	if (i >= n || s[i] != '{')
		return -1;
	i = gti_json_ws(s, n, i + 1);
	while (i < n && s[i] != '}') {
		j = sk_string(s, n, i);
		if (j < 0)
			return -1;
		bool match = sk_key_is(s, i, j, key);

		i = gti_json_ws(s, n, (size_t)j);
		if (i >= n || s[i] != ':')
			return -1;
		i = gti_json_ws(s, n, i + 1);
		if (match)
			found = (long)i;
		j = gti_json_value_end(s, n, i);
		if (j < 0)
			return -1;
		i = gti_json_ws(s, n, (size_t)j);
		if (i < n && s[i] == ',')
			i = gti_json_ws(s, n, i + 1);
		else if (i >= n || s[i] != '}')
			return -1;
	}
	return found;
}

static long sk_element(const char *s, size_t n, size_t i, size_t index)
{
	long j;
	size_t k;

	if (i >= n || s[i] != '[')
		return -1;
	i = gti_json_ws(s, n, i + 1);
	for (k = 0; k < index; k++) {
		j = gti_json_value_end(s, n, i);
		if (j < 0)
			return -1;
		i = gti_json_ws(s, n, (size_t)j);
		if (i >= n || s[i] != ',')
			return -1;
		i = gti_json_ws(s, n, i + 1);
	}
	return i >= n || s[i] == ']' ? -1 : (long)i;
}

long gti_json_locate(const char *s, size_t n, const struct gti_json_step *path,
		     int depth)
{
	long i = (long)gti_json_ws(s, n, 0);
	int d;

	for (d = 0; d < depth && i >= 0; d++)
		i = path[d].key ? gti_json_member(s, n, (size_t)i, path[d].key) :
			sk_element(s, n, (size_t)i, path[d].index);
	return i;
}

int gti_json_line_of(const char *s, size_t n, size_t off)
{
	int line = 1;
	size_t i;

	if (off > n)
		off = n;
	/* At the end of a file that ends with a newline: its last line. */
	if (off == n && off > 0 && s[off - 1] == '\n')
		off--;
	for (i = 0; i < off; i++)
		if (s[i] == '\n')
			line++;
	return line;
}
