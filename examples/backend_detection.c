// SPDX-License-Identifier: GPL-2.0
/*
 * backend_detection: what CPUID and XGETBV say, which vector backends this
 * machine can run, which one the examples pick, and a dot product on each
 * supported backend checked against the scalar reference.
 */
#include "common.h"

#define N 1000

static const char *yes(bool b)
{
	return b ? "yes" : "no";
}

int main(int argc, char **argv)
{
	struct ex_ctx x;
	float *a, *b, want, got;
	int i;

	ex_init(&x, argc, argv, "SIMD backend detection from CPUID", NULL);
	ex_printf(&x, "cpu vendor: %s\n", x.cpu.vendor);
	ex_printf(&x, "cpu brand: %s\n", x.cpu.brand);
	ex_printf(&x, "cpuid max leaf: %u\n", x.cpu.max_leaf);
	ex_printf(&x, "features: sse2=%s avx=%s fma=%s avx2=%s avx512f=%s\n",
		  yes(x.cpu.sse2), yes(x.cpu.avx), yes(x.cpu.fma),
		  yes(x.cpu.avx2), yes(x.cpu.avx512f));
	ex_printf(&x, "os saves: ymm=%s zmm=%s (osxsave=%s)\n",
		  yes(x.cpu.os_ymm), yes(x.cpu.os_zmm), yes(x.cpu.osxsave));

	a = ex_alloc(N);
	b = ex_alloc(N);
	ex_fill(&x, a, N, -1, 1);
	ex_fill(&x, b, N, -1, 1);
	want = x.ref->dot(a, b, N);
	for (i = EX_NR_BACKENDS - 1; i >= 0; i--) {
		const struct ex_ops *o = ex_ops(i);

		if (!ex_backend_supported(&x.cpu, i)) {
			ex_printf(&x, "  [ ] %-7s not supported here\n", o->name);
			continue;
		}
		got = o->dot(a, b, N);
		ex_printf(&x, "  [x] %-7s %2u lanes, dot(%d) = %.4f%s\n", o->name,
			  o->lanes, N, got, i == (int)x.backend ? "  <- selected" : "");
		ex_check(&x, o->name, got, want, 1e-4);
	}
	ex_printf(&x, "selected backend: %s\n", x.ops->name);
	free(a);
	free(b);
	return ex_finish(&x);
}
