// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers of the verdicts (assertions and golden diffs): syscall name
 * patterns and the way numbers are printed.
 */
#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gt_check.h"

/* ---- syscall name patterns --------------------------------------------- */

/* Past a bracket expression that starts at @p ('['): its ']', or the end. */
static const char *bracket_end(const char *p)
{
	p++;
	if (*p == '^')
		p++;
	if (*p == ']')
		p++;
	for (; *p && *p != ']'; p++) {
		if (*p == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
			char t = p[1];

			for (p += 2; *p && !(*p == t && p[1] == ']'); p++)
				;
			if (!*p)
				break;
			p++;
		}
	}
	return p;
}

/* The checks of gti_regcomp(): NULL, or what is wrong with @pat. */
static const char *regex_too_costly(const char *pat)
{
	unsigned long product = 1, lo, hi;
	bool after_rep = false;
	const char *p;
	char *end;

	for (p = pat; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;
			after_rep = false;
			continue;
		}
		if (*p == '[') {
			p = bracket_end(p);
			if (!*p)
				return NULL;	/* regcomp says what is wrong */
			after_rep = false;
			continue;
		}
		if (*p == '{' && (p[1] < '0' || p[1] > '9')) {
			after_rep = false;	/* a literal brace */
			continue;
		}
		if (*p != '*' && *p != '+' && *p != '?' && *p != '{') {
			after_rep = false;
			continue;
		}
		if (after_rep)
			return "a repetition operator right after another";
		after_rep = true;
		if (*p != '{')
			continue;
		/* {m}, {m,} (counted as m + 1) or {m,n} */
		lo = hi = strtoul(p + 1, &end, 10);
		if (*end == ',' && end[1] == '}')
			hi = lo + 1, end++;
		else if (*end == ',')
			hi = strtoul(end + 1, &end, 10);
		if (*end != '}')
			return NULL;		/* malformed: regcomp's to say */
		product *= hi ? hi : 1;
		if (product > 1024)
			return "repetition counts whose product passes 1024";
		p = end;
	}
	return NULL;
}

int gti_regcomp(regex_t *re, const char *pat, char *why, size_t whylen)
{
	const char *costly = regex_too_costly(pat);
	int ret;

	if (costly) {
		snprintf(why, whylen, "%s", costly);
		return -EINVAL;
	}
	ret = regcomp(re, pat, REG_EXTENDED | REG_NOSUB);
	if (ret) {
		regerror(ret, re, why, whylen);
		return -EINVAL;
	}
	return 0;
}

static bool names_any(const struct gti_match *m)
{
	unsigned int abi, nr;

	for (abi = 0; abi < __GTRACE_ABI_MAX; abi++)
		for (nr = 0; nr < gt_syscall_count(abi); nr++)
			if (gti_match_sc(m, abi, nr))
				return true;
	return false;
}

int gti_match_init(struct gti_match *m, const char *text, char *why,
		   size_t whylen)
{
	size_t len = strlen(text);
	int ret;

	memset(m, 0, sizeof(*m));
	if (len >= 2 && text[0] == '/' && text[len - 1] == '/') {
		char *re = strndup(text + 1, len - 2), msg[128];

		if (!re)
			return -ENOMEM;
		ret = gti_regcomp(&m->re, re, msg, sizeof(msg));
		free(re);
		if (ret) {
			snprintf(why, whylen, "bad regular expression %s: %s",
				 text, msg);
			return ret;
		}
		m->kind = GTI_M_REGEX;
	} else if (strpbrk(text, "*?[")) {
		m->kind = GTI_M_GLOB;
	} else {
		m->kind = GTI_M_NAME;
	}
	m->text = strdup(text);
	if (!m->text) {
		gti_match_fini(m);
		return -ENOMEM;
	}
	if (!names_any(m)) {
		if (m->kind == GTI_M_NAME)
			snprintf(why, whylen, "unknown syscall '%s'", text);
		else if (m->kind == GTI_M_GLOB && strpbrk(text, ".+^$|("))
			snprintf(why, whylen,
				 "pattern '%s' matches no syscall (a regular expression goes between slashes: /%s/)",
				 text, text);
		else
			snprintf(why, whylen, "pattern '%s' matches no syscall",
				 text);
		gti_match_fini(m);
		return -EINVAL;
	}
	return 0;
}

void gti_match_fini(struct gti_match *m)
{
	if (m->kind == GTI_M_REGEX)
		regfree(&m->re);
	free(m->text);
	memset(m, 0, sizeof(*m));
}

bool gti_match_name(const struct gti_match *m, const char *name)
{
	switch (m->kind) {
	case GTI_M_NAME:
		return !strcmp(m->text, name);
	case GTI_M_GLOB:
		return !fnmatch(m->text, name, 0);
	case GTI_M_REGEX:
		return !regexec(&m->re, name, 0, NULL, 0);
	}
	return false;
}

bool gti_match_sc(const struct gti_match *m, unsigned int abi,
		  unsigned int nr)
{
	const char *name = gt_syscall_name(abi, nr);

	return name && gti_match_name(m, name);
}

/* ---- numbers ------------------------------------------------------------ */

/* @v with up to @decimals decimals, trailing zeros (and the point) cut. */
static void fmt_trim(char *buf, size_t len, double v, int decimals,
		     const char *unit)
{
	char num[400];	/* %f of the largest double */
	char *dot, *end;

	snprintf(num, sizeof(num), "%.*f", decimals, v);
	dot = strchr(num, '.');
	if (dot) {
		end = num + strlen(num) - 1;
		while (end > dot && *end == '0')
			*end-- = '\0';
		if (end == dot)
			*end = '\0';
	}
	if (!strcmp(num, "-0"))
		strcpy(num, "0");
	snprintf(buf, len, "%s%s", num, unit);
}

void gti_fmt_ms(char *buf, size_t len, uint64_t ns)
{
	fmt_trim(buf, len, ns / 1e6, 3, "ms");
}

void gt_fmt_duration(char *buf, size_t len, uint64_t ns)
{
	if (ns == UINT64_MAX)
		snprintf(buf, len, "unbounded");
	else if (ns < 1000)
		snprintf(buf, len, "%" PRIu64 "ns", ns);
	else if (ns < 1000000)
		fmt_trim(buf, len, ns / 1e3, 3, "µs");
	else if (ns < 1000000000)
		fmt_trim(buf, len, ns / 1e6, 3, "ms");
	else
		fmt_trim(buf, len, ns / 1e9, 3, "s");
}

void gt_fmt_bytes(char *buf, size_t len, uint64_t bytes)
{
	static const char *const unit[] = { "KiB", "MiB", "GiB", "TiB" };
	double v = bytes;
	int u = -1;

	while (v >= 1024 && u < 3) {
		v /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%" PRIu64 " bytes", bytes);
	else
		snprintf(buf, len, "%" PRIu64 " bytes (%.1f %s)", bytes, v,
			 unit[u]);
}

void gt_fmt_pct(char *buf, size_t len, double pct)
{
	char num[400];

	if (isinf(pct)) {
		snprintf(buf, len, "%sinf%%", pct > 0 ? "+" : "-");
		return;
	}
	fmt_trim(num, sizeof(num), pct < 0 ? -pct : pct, 1, "%");
	snprintf(buf, len, "%s%s", pct < 0 && strcmp(num, "0%") ? "-" : "+",
		 num);
}

void gti_fmt_num(char *buf, size_t len, double v, int decimals)
{
	if (isinf(v))
		snprintf(buf, len, "unbounded");
	else
		fmt_trim(buf, len, v, decimals, "");
}
