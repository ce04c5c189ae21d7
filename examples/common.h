/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every gtrace example shares: command line, output, deterministic
 * data, aligned buffers, timing and checks against the scalar reference.
 *
 * Output goes through ex_printf(), fully buffered (one write() at exit
 * when stdout is a file or a pipe). Built with -DGTRACE_EXAMPLE_REGRESSION,
 * or run with --unbuffered, an example writes its output one byte per
 * write() instead: the injected regression the golden-trace check must
 * catch. The printed text is the same either way.
 */
#ifndef GTRACE_EXAMPLES_COMMON_H
#define GTRACE_EXAMPLES_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "simd.h"

struct ex_ctx {
	const char *prog;
	struct ex_cpu cpu;
	enum ex_backend backend;
	const struct ex_ops *ops;	/* the picked backend */
	const struct ex_ops *ref;	/* scalar, the reference */
	bool unbuffered;
	int failures;			/* ex_check() mismatches */
	uint64_t rng;
};

/*
 * Parse the common options (--unbuffered, --help), probe the CPU, pick the
 * backend and print the example's title. Returns the index of the first
 * argument left for the example itself.
 */
int ex_init(struct ex_ctx *x, int argc, char **argv, const char *title,
	    const char *usage_extra);
/* Print the verdict line; the exit status: 0, or 1 when a check failed. */
int ex_finish(struct ex_ctx *x);

void ex_printf(struct ex_ctx *x, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A 64-byte aligned, zeroed buffer of @n floats; exits when out of memory. */
float *ex_alloc(size_t n);
/* Fill with reproducible values in [lo, hi). */
void ex_fill(struct ex_ctx *x, float *v, size_t n, float lo, float hi);

/*
 * The CPU's time-stamp counter. Not clock_gettime(): where the kernel's
 * clock source has no vDSO fast path (in a VM, often) every reading is a
 * system call, and the examples' syscall counts must not depend on it.
 */
uint64_t ex_ticks(void);

/*
 * Compare @got with the reference @want: relative error at most @rtol
 * (absolute below 1). Prints and counts a mismatch; returns whether they
 * agree.
 */
bool ex_check(struct ex_ctx *x, const char *what, double got, double want,
	      double rtol);
bool ex_check_vec(struct ex_ctx *x, const char *what, const float *got,
		  const float *want, size_t n, double rtol);

/* C = A (n x k) * B (k x m), row-major, through ops->axpy. */
void ex_matmul(const struct ex_ops *ops, const float *a, const float *b,
	       float *c, size_t n, size_t k, size_t m);
/* C = A * Bt^T, with Bt = B transposed (m x k), through ops->dot. */
void ex_matmul_bt(const struct ex_ops *ops, const float *a, const float *bt,
		  float *c, size_t n, size_t k, size_t m);
/* T = A^T, A is rows x cols; cache-blocked. */
void ex_transpose(const float *a, float *t, size_t rows, size_t cols);

#endif /* GTRACE_EXAMPLES_COMMON_H */
