/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Vector kernels of the gtrace examples, with one implementation per x86_64
 * instruction set (AVX-512, AVX2+FMA, SSE2, scalar) chosen at run time from
 * CPUID. Every implementation is compiled with the default compiler flags:
 * the wider ones are functions with __attribute__((target(...))), only
 * called after CPUID (and XGETBV, for the OS's register state) said the CPU
 * and the kernel support them.
 */
#ifndef GTRACE_EXAMPLES_SIMD_H
#define GTRACE_EXAMPLES_SIMD_H

#include <stdbool.h>
#include <stddef.h>

enum ex_backend {
	EX_SCALAR,
	EX_SSE2,
	EX_AVX2,
	EX_AVX512,
	EX_NR_BACKENDS
};

/* What CPUID and XGETBV say about this CPU. */
struct ex_cpu {
	char vendor[13];
	char brand[49];
	unsigned int max_leaf;
	bool sse2, osxsave, avx, fma, avx2, avx512f;
	bool os_ymm;		/* XCR0: the kernel saves YMM state */
	bool os_zmm;		/* XCR0: ... and opmask and ZMM state */
};

struct ex_ops {
	const char *name;	/* "avx512", "avx2", "sse2", "scalar" */
	unsigned int lanes;	/* floats per vector register */
	float (*dot)(const float *a, const float *b, size_t n);
	float (*sum)(const float *a, size_t n);
	void (*add)(const float *a, const float *b, float *out, size_t n);
	void (*mul)(const float *a, const float *b, float *out, size_t n);
	void (*scale)(const float *a, float s, float *out, size_t n);
	/* y += s * x */
	void (*axpy)(float s, const float *x, float *y, size_t n);
	/* sum of (a - b)^2 and sum of |a - b| */
	float (*sqdist)(const float *a, const float *b, size_t n);
	float (*l1dist)(const float *a, const float *b, size_t n);
	void (*relu)(const float *in, float *out, size_t n);
	void (*sigmoid)(const float *in, float *out, size_t n);
	void (*tanh)(const float *in, float *out, size_t n);
	void (*gelu)(const float *in, float *out, size_t n);
	void (*swish)(const float *in, float *out, size_t n);
};

void ex_cpu_probe(struct ex_cpu *cpu);
/* Whether this CPU (and kernel) can run @b. */
bool ex_backend_supported(const struct ex_cpu *cpu, enum ex_backend b);
/*
 * The widest supported backend, or the one GTRACE_EXAMPLE_BACKEND names
 * (scalar, sse2, avx2, avx512) when it is supported; an unknown or
 * unsupported name is reported on stderr and ignored.
 */
enum ex_backend ex_backend_pick(const struct ex_cpu *cpu);
const struct ex_ops *ex_ops(enum ex_backend b);
const char *ex_backend_name(enum ex_backend b);

#endif /* GTRACE_EXAMPLES_SIMD_H */
