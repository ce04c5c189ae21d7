// SPDX-License-Identifier: GPL-2.0
/*
 * Backend detection (CPUID, XGETBV) and the four implementations of the
 * example kernels: scalar here, SSE2, AVX2+FMA and AVX-512 from
 * kernels.inc with a target attribute each.
 */
#include <cpuid.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simd.h"

#define KSTR2(x)	#x
#define KSTR(x)		KSTR2(x)

/* exp(x) = 2^k * p(r), Cody-Waite reduction, degree-6 polynomial. */
#define EXP_HI		88.3762626647949f
#define EXP_LO		-87.3365478515625f
#define EXP_LOG2E	1.44269504088896341f
#define EXP_C1		0.693359375f
#define EXP_C2		-2.12194440e-4f
#define EXP_P0		1.9875691500e-4f
#define EXP_P1		1.3981999507e-3f
#define EXP_P2		8.3334519073e-3f
#define EXP_P3		4.1665795894e-2f
#define EXP_P4		1.6666665459e-1f
#define EXP_P5		5.0000001201e-1f
/* GELU, tanh form: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) */
#define GELU_K		0.7978845608028654f
#define GELU_C		0.044715f

/* ---- scalar: the reference, and the tails of the vector backends ------ */

/* The scalar backend stays scalar: no auto-vectorisation here. */
#define SCALAR __attribute__((optimize("no-tree-vectorize")))

SCALAR static float sc_exp1(float x)
{
	float t, r, p;
	int32_t k, bits;

	x = x < EXP_LO ? EXP_LO : x;
	x = x > EXP_HI ? EXP_HI : x;
	t = x * EXP_LOG2E;
	k = (int32_t)t;
	if ((float)k > t)
		k--;
	t = (float)k;
	r = x - t * EXP_C1 - t * EXP_C2;
	p = EXP_P0 * r + EXP_P1;
	p = p * r + EXP_P2;
	p = p * r + EXP_P3;
	p = p * r + EXP_P4;
	p = p * r + EXP_P5;
	p = p * r * r + r + 1.0f;
	bits = (k + 127) << 23;
	memcpy(&t, &bits, sizeof(t));
	return p * t;
}

SCALAR static float sc_sigmoid1(float x)
{
	return 1.0f / (1.0f + sc_exp1(-x));
}

SCALAR static float sc_tanh1(float x)
{
	return 2.0f / (1.0f + sc_exp1(-2.0f * x)) - 1.0f;
}

SCALAR static float sc_dot(const float *a, const float *b, size_t n)
{
	float s = 0;
	size_t i;

	for (i = 0; i < n; i++)
		s += a[i] * b[i];
	return s;
}

SCALAR static float sc_sum(const float *a, size_t n)
{
	float s = 0;
	size_t i;

	for (i = 0; i < n; i++)
		s += a[i];
	return s;
}

SCALAR static void sc_add(const float *a, const float *b, float *out, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = a[i] + b[i];
}

SCALAR static void sc_mul(const float *a, const float *b, float *out, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = a[i] * b[i];
}

SCALAR static void sc_scale(const float *a, float s, float *out, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = a[i] * s;
}

SCALAR static void sc_axpy(float s, const float *x, float *y, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		y[i] += s * x[i];
}

SCALAR static float sc_sqdist(const float *a, const float *b, size_t n)
{
	float s = 0, d;
	size_t i;

	for (i = 0; i < n; i++) {
		d = a[i] - b[i];
		s += d * d;
	}
	return s;
}

SCALAR static float sc_l1dist(const float *a, const float *b, size_t n)
{
	float s = 0, d;
	size_t i;

	for (i = 0; i < n; i++) {
		d = a[i] - b[i];
		s += d < 0 ? -d : d;
	}
	return s;
}

SCALAR static void sc_relu(const float *in, float *out, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = in[i] > 0.0f ? in[i] : 0.0f;
}

SCALAR static void sc_sigmoid(const float *in, float *out, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = sc_sigmoid1(in[i]);
}

SCALAR static void sc_tanh(const float *in, float *out, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = sc_tanh1(in[i]);
}

SCALAR static void sc_gelu(const float *in, float *out, size_t n)
{
	float x;
	size_t i;

	for (i = 0; i < n; i++) {
		x = in[i];
		out[i] = 0.5f * x * (1.0f + sc_tanh1(GELU_K *
						     (x + GELU_C * x * x * x)));
	}
}

SCALAR static void sc_swish(const float *in, float *out, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = in[i] * sc_sigmoid1(in[i]);
}

static const struct ex_ops scalar_ops = {
	.name = "scalar",
	.lanes = 1,
	.dot = sc_dot,
	.sum = sc_sum,
	.add = sc_add,
	.mul = sc_mul,
	.scale = sc_scale,
	.axpy = sc_axpy,
	.sqdist = sc_sqdist,
	.l1dist = sc_l1dist,
	.relu = sc_relu,
	.sigmoid = sc_sigmoid,
	.tanh = sc_tanh,
	.gelu = sc_gelu,
	.swish = sc_swish,
};

/* ---- the vector backends ------------------------------------------------ */

/* SSE2 is in every x86_64 CPU: no attribute needed. */
#define KSFX		sse2
#define KLANES		4
#define KTARGET
#include "kernels.inc"
#undef KSFX
#undef KLANES
#undef KTARGET

#define KSFX		avx2
#define KLANES		8
#define KTARGET		__attribute__((target("avx2,fma")))
#include "kernels.inc"
#undef KSFX
#undef KLANES
#undef KTARGET

#define KSFX		avx512
#define KLANES		16
#define KTARGET		__attribute__((target("avx512f")))
#include "kernels.inc"
#undef KSFX
#undef KLANES
#undef KTARGET

/* ---- detection -------------------------------------------------------- */

/* XGETBV as an instruction: the intrinsic would need target("xsave"). */
static uint64_t xgetbv0(void)
{
	uint32_t lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return (uint64_t)hi << 32 | lo;
}

void ex_cpu_probe(struct ex_cpu *cpu)
{
	unsigned int a, b, c, d, ext, i;
	uint64_t xcr0 = 0;

	memset(cpu, 0, sizeof(*cpu));
	cpu->max_leaf = __get_cpuid_max(0, NULL);
	__cpuid(0, a, b, c, d);
	memcpy(cpu->vendor, &b, 4);
	memcpy(cpu->vendor + 4, &d, 4);
	memcpy(cpu->vendor + 8, &c, 4);

	ext = __get_cpuid_max(0x80000000, NULL);
	if (ext >= 0x80000004) {
		for (i = 0; i < 3; i++) {
			__cpuid(0x80000002 + i, a, b, c, d);
			memcpy(cpu->brand + 16 * i, &a, 4);
			memcpy(cpu->brand + 16 * i + 4, &b, 4);
			memcpy(cpu->brand + 16 * i + 8, &c, 4);
			memcpy(cpu->brand + 16 * i + 12, &d, 4);
		}
		/* Brand strings are padded with leading spaces on some CPUs. */
		for (i = 0; cpu->brand[i] == ' '; i++)
			;
		memmove(cpu->brand, cpu->brand + i, sizeof(cpu->brand) - i);
		for (i = strlen(cpu->brand); i > 0 && cpu->brand[i - 1] == ' '; i--)
			cpu->brand[i - 1] = '\0';
	}
	if (!cpu->brand[0])
		strcpy(cpu->brand, "unknown");

	if (cpu->max_leaf >= 1) {
		__cpuid(1, a, b, c, d);
		cpu->sse2 = d & bit_SSE2;
		cpu->osxsave = c & bit_OSXSAVE;
		cpu->avx = c & bit_AVX;
		cpu->fma = c & bit_FMA;
	}
	if (cpu->max_leaf >= 7) {
		__cpuid_count(7, 0, a, b, c, d);
		cpu->avx2 = b & bit_AVX2;
		cpu->avx512f = b & bit_AVX512F;
	}
	if (cpu->osxsave)
		xcr0 = xgetbv0();
	/* XCR0 bits: 1 SSE, 2 AVX; 5 opmask, 6 ZMM_Hi256, 7 Hi16_ZMM. */
	cpu->os_ymm = (xcr0 & 0x06) == 0x06;
	cpu->os_zmm = cpu->os_ymm && (xcr0 & 0xe0) == 0xe0;
}

bool ex_backend_supported(const struct ex_cpu *cpu, enum ex_backend b)
{
	switch (b) {
	case EX_SCALAR:
		return true;
	case EX_SSE2:
		return cpu->sse2;
	case EX_AVX2:
		return cpu->avx && cpu->avx2 && cpu->fma && cpu->os_ymm;
	case EX_AVX512:
		return cpu->avx512f && cpu->os_zmm;
	default:
		return false;
	}
}

const char *ex_backend_name(enum ex_backend b)
{
	return ex_ops(b)->name;
}

const struct ex_ops *ex_ops(enum ex_backend b)
{
	switch (b) {
	case EX_SSE2:
		return &ops_sse2;
	case EX_AVX2:
		return &ops_avx2;
	case EX_AVX512:
		return &ops_avx512;
	default:
		return &scalar_ops;
	}
}

enum ex_backend ex_backend_pick(const struct ex_cpu *cpu)
{
	const char *want = getenv("GTRACE_EXAMPLE_BACKEND");
	int b;

	if (want && *want) {
		for (b = 0; b < EX_NR_BACKENDS; b++) {
			if (strcmp(want, ex_backend_name(b)))
				continue;
			if (ex_backend_supported(cpu, b))
				return b;
			fprintf(stderr, "GTRACE_EXAMPLE_BACKEND=%s: not supported by this CPU, ignored\n",
				want);
			break;
		}
		if (b == EX_NR_BACKENDS)
			fprintf(stderr, "GTRACE_EXAMPLE_BACKEND=%s: unknown (scalar, sse2, avx2, avx512), ignored\n",
				want);
	}
	for (b = EX_NR_BACKENDS - 1; b > EX_SCALAR; b--)
		if (ex_backend_supported(cpu, b))
			return b;
	return EX_SCALAR;
}
