// SPDX-License-Identifier: GPL-2.0
/*
 * Per-call records as text lines and as gtrace-json-v1 call_records, at
 * the ring's rate: each record is formatted by hand (no printf) into a
 * large buffer, which goes out in few big fwrite()s. Everything a line
 * needs per syscall (its name and length, how its arguments read) is
 * looked up once, in a table made on first use; the per-record work is
 * copying bytes and turning numbers into digits.
 *
 * Text lines read the way strace's do: "[pid   42] read(3<pipe>, 0x7ffd1000,
 * 4096) = 4096". The file descriptors and lengths of the I/O calls are
 * decoded; every other argument is hex, as many as the syscall takes
 * (gt_syscall_nargs(), all six when unknown).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "record_fmt.h"

/* ---- numbers ------------------------------------------------------------ */

static const char digit_pairs[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

static unsigned int dec_len(uint64_t v)
{
	unsigned int n = 1;

	for (;;) {
		if (v < 10)
			return n;
		if (v < 100)
			return n + 1;
		if (v < 1000)
			return n + 2;
		if (v < 10000)
			return n + 3;
		v /= 10000;
		n += 4;
	}
}

/* The digits written in place from the end, two at a time. */
static char *put_u64(char *p, uint64_t v)
{
	char *e = p + dec_len(v), *q = e;

	while (v >= 100) {
		unsigned int i = (unsigned int)(v % 100) * 2;

		v /= 100;
		q -= 2;
		memcpy(q, digit_pairs + i, 2);
	}
	if (v >= 10) {
		q -= 2;
		memcpy(q, digit_pairs + v * 2, 2);
	} else {
		*--q = (char)('0' + v);
	}
	return e;
}

static char *put_s64(char *p, int64_t v)
{
	if (v < 0) {
		*p++ = '-';
		return put_u64(p, -(uint64_t)v);
	}
	return put_u64(p, (uint64_t)v);
}

static const char hex_digits[] = "0123456789abcdef";
static char hex_pairs[512];	/* "000102...ff", made on first use */

/* "0x" and the digits, no leading zeros ("0x0" for zero). */
static char *put_hex(char *p, uint64_t v)
{
	int n = v ? (64 - __builtin_clzll(v) + 3) / 4 : 1;
	char *e, *q;

	*p++ = '0';
	*p++ = 'x';
	e = q = p + n;
	for (; n >= 2; n -= 2) {
		q -= 2;
		memcpy(q, hex_pairs + (v & 0xff) * 2, 2);
		v >>= 8;
	}
	if (n)
		*--q = hex_digits[v & 15];
	return e;
}

/* A leading 0, then the octal digits ("0" for zero, "0644"). */
static char *put_oct(char *p, uint64_t v)
{
	int n = 0, i;
	uint64_t t;

	*p++ = '0';
	for (t = v; t; t >>= 3)
		n++;
	for (i = n - 1; i >= 0; i--) {
		p[i] = (char)('0' + (v & 7));
		v >>= 3;
	}
	return p + n;
}

/* Right-aligned in @width columns, as "%5u" does. */
static char *put_u32_w(char *p, uint32_t v, int width)
{
	char tmp[12];
	char *e = put_u64(tmp, v);
	int n = (int)(e - tmp);

	while (n < width--)
		*p++ = ' ';
	memcpy(p, tmp, (size_t)n);
	return p + n;
}

static char *put_mem(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

#define PUT_LIT(p, s)	put_mem(p, s, sizeof(s) - 1)

/* ---- what each syscall is -------------------------------------------- */

/*
 * How the arguments of a call read, one letter each: f a file descriptor
 * (and the file's class after it), d a directory fd (AT_FDCWD by name),
 * u an unsigned decimal (a length), s a signed decimal (an offset), h hex,
 * o octal (a mode).
 */
static const struct {
	const char *name;
	const char *args;
	bool not_ia32;		/* ia32 passes these differently */
} decoded[] = {
	{ "read", "fhu", false },
	{ "write", "fhu", false },
	{ "pread64", "fhus", true },
	{ "pwrite64", "fhus", true },
	{ "readv", "fhu", false },
	{ "writev", "fhu", false },
	{ "mmap", "huhhfs", true },
	{ "mmap2", "huhhfs", false },
	{ "ioctl", "fhh", false },
	{ "close", "f", false },
	{ "openat", "dhho", false },
};

static const char all_hex[] = "hhhhhh";

#define NAME_MAX_LEN	32	/* copied whole: a fixed-size move */

struct sc_info {
	const char *name;	/* NULL: not in the tables */
	const char *args;
	char name32[NAME_MAX_LEN];	/* the name, zero-padded */
	unsigned char len;
	bool padded;		/* name32 holds it */
	bool addr_ret;		/* the result is an address: hex */
	bool fd_known;		/* args says where the fd is */
};

static struct sc_info *sc_table[__GTRACE_ABI_MAX];

/* ABI and file class names, zero-padded, moved whole. */
#define SHORT_NAME	16
static struct {
	char s[SHORT_NAME];
	unsigned char len;
} abi_names[__GTRACE_ABI_MAX], fc_names[__GTRACE_FC_MAX];
static unsigned int sc_count[__GTRACE_ABI_MAX];
static pthread_once_t sc_once = PTHREAD_ONCE_INIT;

/* Calls whose result is an address, printed in hex as strace does. */
static bool returns_address(const char *name)
{
	return !strcmp(name, "mmap") || !strcmp(name, "mmap2") ||
		!strcmp(name, "mremap") || !strcmp(name, "brk") ||
		!strcmp(name, "shmat");
}

static void sc_info_fill(struct sc_info *s, unsigned int abi, unsigned int nr)
{
	const char *name = gt_syscall_name(abi, nr);
	size_t i;
	int n;

	s->name = name;
	s->args = all_hex;
	if (!name)
		return;
	s->len = (unsigned char)strnlen(name, NAME_MAX_LEN);
	s->padded = s->len < NAME_MAX_LEN;
	if (s->padded)
		memcpy(s->name32, name, s->len);
	s->addr_ret = returns_address(name);
	for (i = 0; i < GTI_ARRAY_SIZE(decoded); i++) {
		if (!strcmp(name, decoded[i].name) &&
		    !(decoded[i].not_ia32 && abi == GTRACE_ABI_IA32)) {
			s->args = decoded[i].args;
			s->fd_known = strpbrk(s->args, "fd");
			return;
		}
	}
	n = gt_syscall_nargs(abi, nr);
	if (n >= 0 && n <= 6)
		s->args = all_hex + 6 - n;
}

static void sc_init(void)
{
	unsigned int abi, nr, i;

	for (i = 0; i < 256; i++) {
		hex_pairs[2 * i] = hex_digits[i >> 4];
		hex_pairs[2 * i + 1] = hex_digits[i & 15];
	}
	for (i = 0; i < __GTRACE_ABI_MAX; i++) {
		abi_names[i].len = (unsigned char)strnlen(gt_abi_name(i), SHORT_NAME - 1);
		memcpy(abi_names[i].s, gt_abi_name(i), abi_names[i].len);
	}
	for (i = 0; i < __GTRACE_FC_MAX; i++) {
		fc_names[i].len = (unsigned char)strnlen(gt_fclass_name(i), SHORT_NAME - 1);
		memcpy(fc_names[i].s, gt_fclass_name(i), fc_names[i].len);
	}
	for (abi = 0; abi < __GTRACE_ABI_MAX; abi++) {
		unsigned int n = gt_syscall_count(abi);
		struct sc_info *t = calloc(n ? n : 1, sizeof(*t));

		if (!t)
			continue;	/* the slow way, below */
		for (nr = 0; nr < n; nr++)
			sc_info_fill(&t[nr], abi, nr);
		sc_table[abi] = t;
		sc_count[abi] = n;
	}
}

/* What (@abi, @nr) is; @tmp holds it when not in the table. */
static const struct sc_info *sc_lookup(unsigned int abi, unsigned int nr,
				       struct sc_info *tmp)
{
	if (abi < __GTRACE_ABI_MAX && nr < sc_count[abi])
		return &sc_table[abi][nr];
	memset(tmp, 0, sizeof(*tmp));
	tmp->args = all_hex;
	if (abi < __GTRACE_ABI_MAX)
		sc_info_fill(tmp, abi, nr);
	return tmp;
}

void gti_recfmt_init(void)
{
	pthread_once(&sc_once, sc_init);
}

/*
 * The name, or "syscall_NR" for one the tables lack. The whole padded
 * name is moved (the buffer always has GTI_REC_MAX of room), then only
 * its length counted.
 */
static char *put_name(char *p, const struct sc_info *s, unsigned int nr)
{
	if (s->padded) {
		memcpy(p, s->name32, NAME_MAX_LEN);
		return p + s->len;
	}
	if (s->name)
		return put_mem(p, s->name, strlen(s->name));
	p = PUT_LIT(p, "syscall_");
	return put_u64(p, nr);
}

static char *put_abi(char *p, unsigned int abi)
{
	const char *s;

	if (abi < __GTRACE_ABI_MAX) {
		memcpy(p, abi_names[abi].s, SHORT_NAME);
		return p + abi_names[abi].len;
	}
	s = gt_abi_name(abi);
	return put_mem(p, s, strlen(s));
}

static bool is_error(int64_t ret)
{
	return ret < 0 && ret >= -4095;
}

/* ---- text ---------------------------------------------------------------- */

static char *put_fclass_name(char *p, unsigned int fclass)
{
	const char *s;

	if (fclass < __GTRACE_FC_MAX) {
		memcpy(p, fc_names[fclass].s, SHORT_NAME);
		return p + fc_names[fclass].len;
	}
	s = gt_fclass_name(fclass);
	return put_mem(p, s, strlen(s));
}

static char *put_fclass(char *p, unsigned int fclass)
{
	*p++ = '<';
	p = put_fclass_name(p, fclass);
	*p++ = '>';
	return p;
}

static char *put_args(char *p, const struct gtrace_record *r,
		      const struct sc_info *s)
{
	const char *a = s->args;
	bool tagged = r->fclass == GTRACE_FC_NONE;
	unsigned int i;

	for (i = 0; a[i]; i++) {
		uint64_t v = r->args[i];
		char how = a[i];

		/* A class on a call not decoded: its fd comes first. */
		if (!i && !tagged && !s->fd_known)
			how = 'f';
		if (i) {
			*p++ = ',';
			*p++ = ' ';
		}
		switch (how) {
		case 'd':
			if ((int32_t)v == -100) {
				p = PUT_LIT(p, "AT_FDCWD");
				break;
			}
			/* fall through */
		case 'f':
			p = put_s64(p, (int32_t)v);
			if (!tagged) {
				p = put_fclass(p, r->fclass);
				tagged = true;
			}
			break;
		case 'u':
			p = put_u64(p, v);
			break;
		case 's':
			p = put_s64(p, (int64_t)v);
			break;
		case 'o':
			p = put_oct(p, v);
			break;
		default:
			p = put_hex(p, v);
			break;
		}
	}
	if (!tagged)
		p = put_fclass(p, r->fclass);
	return p;
}

static char *put_error(char *p, int e)
{
	const char *name = gt_errno_name(e), *desc;
	char tmp[32];

	p = PUT_LIT(p, "-1 ");
	if (name)
		p = put_mem(p, name, strlen(name));
	else
		p = put_s64(p, e);
	if (e >= 512)
		return p;
	desc = strerrordesc_np(e);
	if (!desc) {
		char *q = put_s64(PUT_LIT(tmp, "Unknown error "), e);

		*q = 0;
		desc = tmp;
	}
	p = PUT_LIT(p, " (");
	p = put_mem(p, desc, strlen(desc));
	*p++ = ')';
	return p;
}

/* Seconds with six decimals, rounded to the microsecond: "0.000012". */
static char *put_secs(char *p, uint64_t ns)
{
	uint64_t us = ns / 1000 + (ns % 1000 >= 500);
	uint64_t frac = us % 1000000;
	int i;

	p = put_u64(p, us / 1000000);
	*p++ = '.';
	for (i = 5; i >= 0; i--) {
		p[i] = (char)('0' + frac % 10);
		frac /= 10;
	}
	return p + 6;
}

size_t gti_fmt_text(char *buf, const struct gtrace_record *r, bool show_time)
{
	struct sc_info tmp;
	const struct sc_info *s = sc_lookup(r->abi, r->nr, &tmp);
	char *p = buf;

	p = PUT_LIT(p, "[pid ");
	p = put_u32_w(p, r->tid, 5);
	*p++ = ']';
	*p++ = ' ';
	if (r->abi != GTRACE_ABI_X86_64) {
		p = put_abi(p, r->abi);
		*p++ = ':';
	}
	p = put_name(p, s, r->nr);
	*p++ = '(';
	p = put_args(p, r, s);
	p = PUT_LIT(p, ") = ");
	if (is_error(r->ret))
		p = put_error(p, (int)-r->ret);
	else if (s->addr_ret)
		p = r->ret ? put_hex(p, (uint64_t)r->ret) : PUT_LIT(p, "0");
	else
		p = put_s64(p, r->ret);
	if (show_time) {
		*p++ = ' ';
		*p++ = '<';
		p = put_secs(p, r->dur_ns);
		*p++ = '>';
	}
	*p++ = '\n';
	return (size_t)(p - buf);
}

/* ---- JSON ---------------------------------------------------------------- */

size_t gti_fmt_json(char *buf, const struct gtrace_record *r,
		    unsigned int ring, bool first)
{
	struct sc_info tmp;
	const struct sc_info *s = sc_lookup(r->abi, r->nr, &tmp);
	char *p = buf;
	unsigned int i;

	if (!first)
		*p++ = ',';
	p = PUT_LIT(p, "\n    { \"ts_ns\": ");
	p = put_u64(p, r->ts_ns);
	p = PUT_LIT(p, ", \"dur_ns\": ");
	p = put_u64(p, r->dur_ns);
	p = PUT_LIT(p, ", \"cpu\": ");
	p = put_u64(p, ring);
	p = PUT_LIT(p, ", \"tid\": ");
	p = put_u64(p, r->tid);
	p = PUT_LIT(p, ", \"pid\": ");
	p = put_u64(p, r->pid);
	p = PUT_LIT(p, ", \"abi\": \"");
	p = put_abi(p, r->abi);
	p = PUT_LIT(p, "\", \"nr\": ");
	p = put_u64(p, r->nr);
	p = PUT_LIT(p, ", \"name\": \"");
	p = put_name(p, s, r->nr);
	p = PUT_LIT(p, "\", \"ret\": ");
	p = put_s64(p, r->ret);
	if (is_error(r->ret)) {
		const char *e = gt_errno_name((int)-r->ret);

		p = PUT_LIT(p, ", \"errno\": ");
		if (e) {
			*p++ = '"';
			p = put_mem(p, e, strlen(e));
			*p++ = '"';
		} else {
			p = put_s64(p, -r->ret);
		}
	}
	p = PUT_LIT(p, ", \"fclass\": \"");
	p = put_fclass_name(p, r->fclass);
	p = PUT_LIT(p, "\", \"args\": [");
	for (i = 0; i < 6; i++) {
		if (i) {
			*p++ = ',';
			*p++ = ' ';
		}
		*p++ = '"';
		p = put_hex(p, r->args[i]);
		*p++ = '"';
	}
	*p++ = ']';
	if (r->flags & GTRACE_RF_WAITED) {
		p = PUT_LIT(p, ", \"wait_ns\": ");
		p = put_u64(p, r->wait_ns);
	}
	p = PUT_LIT(p, " }");
	return (size_t)(p - buf);
}

/* ---- the output buffer -------------------------------------------------- */

int gti_obuf_init(struct gti_obuf *ob, FILE *out)
{
	gti_recfmt_init();
	ob->out = out;
	ob->len = 0;
	ob->err = 0;
	ob->cap = GTI_OBUF_SIZE;
	ob->buf = malloc(ob->cap);
	return ob->buf ? 0 : -ENOMEM;
}

int gti_obuf_flush(struct gti_obuf *ob)
{
	if (!ob->err && ob->len &&
	    fwrite(ob->buf, 1, ob->len, ob->out) != ob->len)
		ob->err = -EIO;
	ob->len = 0;
	return ob->err;
}

void gti_obuf_free(struct gti_obuf *ob)
{
	free(ob->buf);
	ob->buf = NULL;
}

/* ---- text streams ---------------------------------------------------- */

struct gt_text_stream {
	struct gti_obuf ob;
	bool show_time;
};

int gt_text_stream_begin(FILE *out, unsigned int flags,
			 struct gt_text_stream **out_ts)
{
	struct gt_text_stream *ts = calloc(1, sizeof(*ts));

	*out_ts = NULL;
	if (!ts || gti_obuf_init(&ts->ob, out)) {
		free(ts);
		return -ENOMEM;
	}
	ts->show_time = flags & GT_TEXT_TIME;
	*out_ts = ts;
	return 0;
}

int gt_text_stream_records(struct gt_text_stream *ts, const void *recs,
			   size_t n, size_t rec_size, const struct gt_filter *f)
{
	const unsigned char *p = recs;
	struct gti_obuf *ob = &ts->ob;
	size_t i;

	if (rec_size < sizeof(struct gtrace_record))
		return -EINVAL;
	for (i = 0; i < n && !ob->err; i++, p += rec_size) {
		const struct gtrace_record *r = (const void *)p;

		if (f && !gt_filter_match(f, r->abi, r->nr))
			continue;
		if (ob->cap - ob->len < GTI_REC_MAX)
			gti_obuf_flush(ob);
		ob->len += gti_fmt_text(ob->buf + ob->len, r, ts->show_time);
	}
	return ob->err;
}

int gt_text_stream_flush(struct gt_text_stream *ts)
{
	return gti_obuf_flush(&ts->ob);
}

int gt_text_stream_end(struct gt_text_stream *ts)
{
	int err;

	if (!ts)
		return -EINVAL;
	err = gti_obuf_flush(&ts->ob);
	gti_obuf_free(&ts->ob);
	free(ts);
	return err;
}

/* One line alone, for callers without a stream. */
int gt_report_record(const struct gtrace_record *r, bool show_time, FILE *out)
{
	char buf[GTI_REC_MAX];
	size_t n;

	gti_recfmt_init();
	n = gti_fmt_text(buf, r, show_time);
	return fwrite(buf, 1, n, out) == n ? 0 : -EIO;
}
