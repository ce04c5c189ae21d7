// SPDX-License-Identifier: GPL-2.0
/*
 * The TOML parser: every construct of tests/data/toml-good with its
 * values, the malformed corpus of tests/data/toml-bad (each file fails on
 * the line its first line names, with that message), and 10^4 random
 * mutations of the good files, which must each give a document or a
 * file:line error and never crash or leak.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "trace/gt_toml.h"
#include "t_data.h"
#include "kselftest_harness.h"

static const struct gti_toml_value *val(const struct gti_toml_table *t,
					const char *key)
{
	const struct gti_toml_kv *kv = gti_toml_find(t, key);

	return kv ? &kv->val : NULL;
}

static const struct gti_toml_table *tab(const struct gti_toml_table *t,
					const char *key)
{
	const struct gti_toml_value *v = val(t, key);

	return v && v->type == GTI_TOML_TABLE ? v->tab : NULL;
}

#define EXPECT_STR(t, key, want) do {					\
	const struct gti_toml_value *v_ = val((t), (key));		\
	ASSERT_NE(NULL, v_) TH_LOG("no key %s", (key));			\
	ASSERT_EQ(GTI_TOML_STRING, (int)v_->type);				\
	EXPECT_STREQ((want), v_->s);					\
} while (0)

#define EXPECT_INT(t, key, want) do {					\
	const struct gti_toml_value *v_ = val((t), (key));		\
	ASSERT_NE(NULL, v_) TH_LOG("no key %s", (key));			\
	ASSERT_EQ(GTI_TOML_INT, (int)v_->type);				\
	EXPECT_EQ((int64_t)(want), v_->i);				\
} while (0)

static int parse_str(const char *s, struct gti_toml_table **t,
		     struct gt_input_error *err)
{
	return gti_toml_parse(s, strlen(s), "inline.toml", t, err);
}

TEST(every_construct)
{
	struct gti_toml_table *t;
	struct gt_input_error err;
	const struct gti_toml_value *v, *a;
	const struct gti_toml_table *s;

	ASSERT_EQ(0, gti_toml_load(GT_TEST_DATA "/toml-good/everything.toml",
				   &t, &err)) TH_LOG("%s:%d: %s", err.file, err.line, err.msg);
	EXPECT_STR(t, "title", "TOML \"quoted\" \xc3\xa9 \xf0\x9f\x98\x80 \t\\");
	EXPECT_STR(t, "literal", "C:\\Users\\nobody");
	EXPECT_STR(t, "multi", "Roses are red\n  Violets are blue");
	EXPECT_STR(t, "multi_lit", "first line\n  ''kept'' \\n");
	EXPECT_STR(t, "quotes", "a\"\"b\"\"");
	EXPECT_INT(t, "int", 1000);
	EXPECT_INT(t, "negative", -17);
	EXPECT_INT(t, "hex", 0xdeadbeef);
	EXPECT_INT(t, "oct", 0755);
	EXPECT_INT(t, "bin", 13);
	EXPECT_INT(t, "min", INT64_MIN);
	EXPECT_INT(t, "max", INT64_MAX);
	v = val(t, "float");
	ASSERT_EQ(GTI_TOML_FLOAT, (int)v->type);
	EXPECT_TRUE(fabs(v->f - 6.626e-34) < 1e-40);
	EXPECT_TRUE(val(t, "float2")->f == -1050.0);
	EXPECT_TRUE(signbit(val(t, "zero")->f));
	EXPECT_TRUE(isinf(val(t, "pinf")->f) && val(t, "pinf")->f > 0);
	EXPECT_TRUE(isinf(val(t, "ninf")->f) && val(t, "ninf")->f < 0);
	EXPECT_TRUE(isnan(val(t, "nan")->f));
	EXPECT_EQ(GTI_TOML_BOOL, (int)val(t, "yes")->type);
	EXPECT_TRUE(val(t, "yes")->b);
	EXPECT_FALSE(val(t, "no")->b);

	a = val(t, "array");
	ASSERT_EQ(GTI_TOML_ARRAY, (int)a->type);
	ASSERT_EQ(5U, a->arr.n);
	EXPECT_EQ(1, a->arr.items[0].i);
	EXPECT_STREQ("three", a->arr.items[2].s);
	EXPECT_EQ(29, a->arr.items[2].line);	/* the line it is on */
	EXPECT_EQ(GTI_TOML_ARRAY, (int)a->arr.items[3].type);
	EXPECT_EQ(2U, a->arr.items[3].arr.n);
	EXPECT_EQ(6, val(a->arr.items[4].tab, "six")->i);
	EXPECT_EQ(0U, val(t, "empty")->arr.n);

	s = tab(t, "inline");
	ASSERT_NE(NULL, s);
	EXPECT_EQ(1, val(s, "a")->i);
	EXPECT_STREQ("d", val(tab(s, "b"), "c")->s);
	EXPECT_TRUE(val(s, "e f")->b);
	EXPECT_INT(t, "quoted key", 1);
	EXPECT_INT(t, "literal key", 2);
	EXPECT_INT(tab(tab(t, "a"), "b"), "c", 1);
	EXPECT_INT(tab(tab(t, "a"), "b"), "d", 2);
	EXPECT_STR(t, "1234", "bare digits key");

	EXPECT_INT(tab(t, "table"), "x", 1);
	EXPECT_INT(tab(tab(t, "table"), "sub"), "y", 2);
	a = val(t, "assertion");
	ASSERT_NE(NULL, a);
	ASSERT_TRUE(a->table_array);
	ASSERT_EQ(2U, a->arr.n);
	EXPECT_STR(a->arr.items[0].tab, "name", "one");
	EXPECT_STR(a->arr.items[1].tab, "name", "two");
	EXPECT_INT(tab(a->arr.items[1].tab, "extra"), "z", 3);
	EXPECT_INT(tab(t, "deep"), "w", 1);
	EXPECT_NE(NULL, tab(tab(tab(t, "deep"), "implicit"), "table"));
	EXPECT_EQ(44, a->arr.items[0].tab->line);	/* its [[header]] */
	gti_toml_free(t);
}

TEST(crlf_line_ends)
{
	struct gti_toml_table *t;
	struct gt_input_error err;
	const struct gti_toml_value *a;

	ASSERT_EQ(0, gti_toml_load(GT_TEST_DATA "/toml-good/crlf.toml", &t,
				   &err)) TH_LOG("%d: %s", err.line, err.msg);
	a = val(t, "assertion");
	ASSERT_EQ(1U, a->arr.n);
	EXPECT_STR(a->arr.items[0].tab, "name", "crlf");
	EXPECT_EQ(5, gti_toml_find(a->arr.items[0].tab, "max_duration_ms")->line);
	gti_toml_free(t);
}

TEST(renacer_example)
{
	static const char *const names[] = {
		"example_startup_latency", "max_syscall_budget",
		"memory_allocation_budget", "prevent_pcie_bottleneck",
	};
	struct gti_toml_table *t;
	struct gt_input_error err;
	const struct gti_toml_value *a;
	size_t i;

	ASSERT_EQ(0, gti_toml_load(GT_TEST_DATA "/renacer.toml", &t, &err));
	a = val(t, "assertion");
	ASSERT_EQ(4U, a->arr.n);
	for (i = 0; i < 4; i++)
		EXPECT_STR(a->arr.items[i].tab, "name", names[i]);
	EXPECT_TRUE(fabs(val(a->arr.items[3].tab, "threshold")->f - 0.7) < 1e-12);
	EXPECT_FALSE(val(a->arr.items[3].tab, "fail_on_violation")->b);
	gti_toml_free(t);
}

TEST(small_documents)
{
	static const char *const ok[] = {
		"", "\n\n", "# only a comment", "a = 1", "a = 1 # trailing",
		"\xef\xbb\xbf" "a = 1\n", "[a]\n[b]\n[a.c]\n", "a = \"\"",
		"a = ''", "a = [[1], [\"x\"]]", "a = {}", "\"\" = 1",
		"a = \"\"\"\n\"\"\"", "[[a.b]]\n[a.b.c]\n[[a.b]]\n",
		"a.b = 1\n[a.c]\n", "a = 0\nb = -0\nc = +0.0\nd = 0e0",
		"a = \"\\u00e9\\U0001F600\"", "x = [\n  1,\n  2,\n]\n",
		"[fruit]\napple.color = \"red\"\n[fruit.apple.texture]\nsmooth = true\n",
	};
	struct gti_toml_table *t;
	struct gt_input_error err;
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		EXPECT_EQ(0, parse_str(ok[i], &t, &err))
			TH_LOG("'%s': %d: %s", ok[i], err.line, err.msg);
		gti_toml_free(t);
	}
}

/* Every file of toml-bad fails where it says, with what it says. */
TEST(malformed_corpus)
{
	char **files;
	int n, i, checked = 0;

	n = t_list("toml-bad", &files);
	ASSERT_GT(n, 40);
	for (i = 0; i < n; i++) {
		struct gti_toml_table *t = (void *)1;
		struct gt_input_error err;
		struct t_expect e;
		size_t len;
		char *text = t_slurp(files[i], &len);

		ASSERT_NE(NULL, text);
		ASSERT_EQ(0, t_expect(text, &e)) TH_LOG("%s: no expect-line", files[i]);
		memset(&err, 0, sizeof(err));
		EXPECT_EQ(-EINVAL, gti_toml_load(files[i], &t, &err))
			TH_LOG("%s parsed", files[i]);
		EXPECT_EQ(NULL, t);
		EXPECT_EQ(e.line, err.line)
			TH_LOG("%s:%d: %s (expected line %d)", files[i],
			       err.line, err.msg, e.line);
		EXPECT_NE(NULL, strstr(err.msg, e.msg))
			TH_LOG("%s: '%s' does not say '%s'", files[i], err.msg,
			       e.msg);
		EXPECT_STREQ(files[i], err.file);
		/* The same from memory: the same verdict. */
		memset(&err, 0, sizeof(err));
		EXPECT_EQ(-EINVAL, gti_toml_parse(text, len, "mem", &t, &err));
		EXPECT_EQ(e.line, err.line);
		free(text);
		checked++;
	}
	t_list_free(files);
	EXPECT_EQ(n, checked);
}

TEST(file_errors)
{
	struct gti_toml_table *t;
	struct gt_input_error err;

	EXPECT_EQ(-ENOENT, gti_toml_load(GT_TEST_DATA "/no-such.toml", &t, &err));
	EXPECT_EQ(0, err.line);
	EXPECT_NE(NULL, strstr(err.msg, "No such file"));
	EXPECT_EQ(-EISDIR, gti_toml_load(GT_TEST_DATA, &t, &err));
	EXPECT_EQ(NULL, t);
}

TEST(size_limit)
{
	size_t len = GTI_TOML_MAX_SIZE + 1;
	char *big = malloc(len);
	struct gti_toml_table *t;
	struct gt_input_error err;

	ASSERT_NE(NULL, big);
	memset(big, '\n', len);
	EXPECT_EQ(-EINVAL, gti_toml_parse(big, len, "big", &t, &err));
	EXPECT_NE(NULL, strstr(err.msg, "too large"));
	free(big);
}

/* ---- fuzz ---------------------------------------------------------------- */

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return n ? (uint32_t)(rng % n) : 0;
}

/* One random edit of @buf (@len bytes of room @cap). */
static size_t mutate(char *buf, size_t len, size_t cap)
{
	static const char interesting[] = "[]{}\"'=.,#\\\n\r\t _-+0xeE9:u\x00\xff\xc3";
	size_t pos = len ? rnd(len) : 0, n;

	switch (rnd(7)) {
	case 0:		/* flip bits */
		if (len)
			buf[pos] ^= 1 << rnd(8);
		break;
	case 1:		/* overwrite with a token character */
		if (len)
			buf[pos] = interesting[rnd(sizeof(interesting) - 1)];
		break;
	case 2:		/* insert a character */
		if (len < cap) {
			memmove(buf + pos + 1, buf + pos, len - pos);
			buf[pos] = rnd(3) ? interesting[rnd(sizeof(interesting) - 1)] :
				   (char)rnd(256);
			len++;
		}
		break;
	case 3:		/* delete a range */
		n = rnd(16) + 1;
		if (pos + n > len)
			n = len - pos;
		memmove(buf + pos, buf + pos + n, len - pos - n);
		len -= n;
		break;
	case 4:		/* duplicate a range (duplicate keys, tables) */
		n = rnd(64) + 1;
		if (pos + n > len)
			n = len - pos;
		if (len + n <= cap) {
			memmove(buf + pos + n, buf + pos, len - pos);
			len += n;
		}
		break;
	case 5:		/* truncate */
		len = pos;
		break;
	default:	/* a number at its limits */
		if (len + 20 <= cap) {
			memmove(buf + pos + 20, buf + pos, len - pos);
			memcpy(buf + pos, rnd(2) ? "99999999999999999999" :
			       "0x7fffffffffffffff_1", 20);
			len += 20;
		}
		break;
	}
	return len;
}

static int count_lines(const char *s, size_t len)
{
	int n = 1;
	size_t i;

	for (i = 0; i < len; i++)
		n += s[i] == '\n';
	return n;
}

TEST(fuzz_mutations)
{
	static const char *const seeds[] = {
		GT_TEST_DATA "/toml-good/everything.toml",
		GT_TEST_DATA "/toml-good/crlf.toml",
		GT_TEST_DATA "/toml-good/gtrace-all.toml",
		GT_TEST_DATA "/renacer.toml",
	};
	const size_t nseeds = sizeof(seeds) / sizeof(seeds[0]);
	char *text[4], *buf;
	size_t len[4], cap = 1 << 16, i;
	int ok = 0, bad = 0, round;

	for (i = 0; i < nseeds; i++) {
		text[i] = t_slurp(seeds[i], &len[i]);
		ASSERT_NE(NULL, text[i]);
	}
	buf = malloc(cap);
	ASSERT_NE(NULL, buf);
	for (round = 0; round < 10000; round++) {
		struct gti_toml_table *t;
		struct gt_assertions *as;
		struct gt_input_error err;
		size_t s = rnd(nseeds), n = len[s], edits = rnd(4) + 1, k;
		int ret, lines;

		memcpy(buf, text[s], n);
		for (k = 0; k < edits; k++)
			n = mutate(buf, n, cap);
		lines = count_lines(buf, n);

		memset(&err, 0, sizeof(err));
		ret = gti_toml_parse(buf, n, "fuzz.toml", &t, &err);
		if (ret == 0) {
			ok++;
			gti_toml_free(t);
		} else {
			bad++;
			ASSERT_EQ(-EINVAL, ret);
			ASSERT_EQ(NULL, t);
			ASSERT_STREQ("fuzz.toml", err.file);
			ASSERT_GE(err.line, 1);
			ASSERT_LE(err.line, lines)
				TH_LOG("round %d: line %d of %d: %s", round,
				       err.line, lines, err.msg);
			ASSERT_NE('\0', err.msg[0]);
		}
		/* The assertion loader on top: a set or an error, too. */
		memset(&err, 0, sizeof(err));
		ret = gt_assertions_parse(buf, n, "fuzz.toml", &as, &err);
		if (ret == 0) {
			gt_assertions_free(as);
		} else {
			ASSERT_EQ(-EINVAL, ret);
			ASSERT_EQ(NULL, as);
			ASSERT_GE(err.line, 0);
			ASSERT_LE(err.line, lines);
			ASSERT_NE('\0', err.msg[0]);
		}
	}
	TH_LOG("10000 mutations: %d parsed, %d rejected", ok, bad);
	EXPECT_GT(ok, 100);
	EXPECT_GT(bad, 1000);
	free(buf);
	for (i = 0; i < nseeds; i++)
		free(text[i]);
}

TEST_HARNESS_MAIN
