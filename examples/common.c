// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <x86intrin.h>

#include "common.h"

#ifdef GTRACE_EXAMPLE_REGRESSION
#define EX_UNBUFFERED_DEFAULT true
#else
#define EX_UNBUFFERED_DEFAULT false
#endif

static void usage(const char *prog, const char *extra, int status)
{
	fprintf(status ? stderr : stdout,
		"usage: %s [--unbuffered]%s%s\n"
		"  --unbuffered  write the output one byte per write() (an injected\n"
		"                regression for the golden-trace check)\n"
		"Environment: GTRACE_EXAMPLE_BACKEND=scalar|sse2|avx2|avx512 forces a\n"
		"supported backend.\n",
		prog, extra ? " " : "", extra ? extra : "");
	exit(status);
}

int ex_init(struct ex_ctx *x, int argc, char **argv, const char *title,
	    const char *usage_extra)
{
	const char *slash;
	int i;

	memset(x, 0, sizeof(*x));
	slash = strrchr(argv[0], '/');
	x->prog = slash ? slash + 1 : argv[0];
	x->unbuffered = EX_UNBUFFERED_DEFAULT;
	x->rng = 0x9e3779b97f4a7c15ULL;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--unbuffered"))
			x->unbuffered = true;
		else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			usage(x->prog, usage_extra, 0);
		else if (!strcmp(argv[i], "--"))
			return i + 1;
		else if (argv[i][0] == '-' && argv[i][1])
			usage(x->prog, usage_extra, 2);
		else
			break;
	}
	if (x->unbuffered)
		setvbuf(stdout, NULL, _IONBF, 0);
	ex_cpu_probe(&x->cpu);
	x->backend = ex_backend_pick(&x->cpu);
	x->ops = ex_ops(x->backend);
	x->ref = ex_ops(EX_SCALAR);
	ex_printf(x, "=== %s: %s ===\n", x->prog, title);
	ex_printf(x, "backend: %s (%u floats per vector)%s\n", x->ops->name,
		  x->ops->lanes, x->unbuffered ? ", unbuffered output" : "");
	return i;
}

int ex_finish(struct ex_ctx *x)
{
	if (x->failures)
		ex_printf(x, "result: %d check(s) FAILED against the scalar reference\n",
			  x->failures);
	else
		ex_printf(x, "result: all checks passed against the scalar reference\n");
	if (fflush(stdout) || ferror(stdout)) {
		perror("stdout");
		return 1;
	}
	return x->failures ? 1 : 0;
}

void ex_printf(struct ex_ctx *x, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n, i;

	va_start(ap, fmt);
	if (!x->unbuffered) {
		vprintf(fmt, ap);
		va_end(ap);
		return;
	}
	/* The regression: every byte its own write(). */
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	for (i = 0; i < n; i++)
		putchar(buf[i]);
}

float *ex_alloc(size_t n)
{
	size_t bytes = (n * sizeof(float) + 63) & ~(size_t)63;
	float *p = aligned_alloc(64, bytes ? bytes : 64);

	if (!p) {
		fprintf(stderr, "out of memory (%zu bytes)\n", bytes);
		exit(1);
	}
	memset(p, 0, bytes);
	return p;
}

/* xorshift64*: the same numbers on every machine. */
static uint64_t next_u64(struct ex_ctx *x)
{
	x->rng ^= x->rng >> 12;
	x->rng ^= x->rng << 25;
	x->rng ^= x->rng >> 27;
	return x->rng * 0x2545f4914f6cdd1dULL;
}

void ex_fill(struct ex_ctx *x, float *v, size_t n, float lo, float hi)
{
	size_t i;

	for (i = 0; i < n; i++)
		v[i] = lo + (hi - lo) * (float)(next_u64(x) >> 40) / (float)(1 << 24);
}

uint64_t ex_ticks(void)
{
	return __rdtsc();
}

static bool close_enough(double got, double want, double rtol)
{
	double scale = fabs(want) > 1 ? fabs(want) : 1;

	return fabs(got - want) <= rtol * scale;
}

bool ex_check(struct ex_ctx *x, const char *what, double got, double want,
	      double rtol)
{
	if (close_enough(got, want, rtol))
		return true;
	ex_printf(x, "MISMATCH %s: %s gives %.9g, scalar %.9g\n", what,
		  x->ops->name, got, want);
	x->failures++;
	return false;
}

bool ex_check_vec(struct ex_ctx *x, const char *what, const float *got,
		  const float *want, size_t n, double rtol)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (close_enough(got[i], want[i], rtol))
			continue;
		ex_printf(x, "MISMATCH %s[%zu]: %s gives %.9g, scalar %.9g\n",
			  what, i, x->ops->name, got[i], want[i]);
		x->failures++;
		return false;
	}
	return true;
}

void ex_matmul(const struct ex_ops *ops, const float *a, const float *b,
	       float *c, size_t n, size_t k, size_t m)
{
	size_t i, j;

	memset(c, 0, n * m * sizeof(*c));
	for (i = 0; i < n; i++)
		for (j = 0; j < k; j++)
			ops->axpy(a[i * k + j], b + j * m, c + i * m, m);
}

void ex_matmul_bt(const struct ex_ops *ops, const float *a, const float *bt,
		  float *c, size_t n, size_t k, size_t m)
{
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < m; j++)
			c[i * m + j] = ops->dot(a + i * k, bt + j * k, k);
}

#define TBLOCK 16

void ex_transpose(const float *a, float *t, size_t rows, size_t cols)
{
	size_t r0, c0, r, c;

	for (r0 = 0; r0 < rows; r0 += TBLOCK)
		for (c0 = 0; c0 < cols; c0 += TBLOCK)
			for (r = r0; r < r0 + TBLOCK && r < rows; r++)
				for (c = c0; c < c0 + TBLOCK && c < cols; c++)
					t[c * rows + r] = a[r * cols + c];
}
