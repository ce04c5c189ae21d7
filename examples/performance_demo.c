// SPDX-License-Identifier: GPL-2.0
/*
 * performance_demo: vector operations, a matrix multiply, and the same
 * dot product on every backend this CPU supports, timed in time-stamp
 * counter ticks (kticks: thousands). Timings are printed in fixed-width
 * fields, so the output has the same length (and
 * the same syscalls) from one run to the next.
 */
#include "common.h"

#define N	16384
#define REPS	8
#define MAT	64

/* Thousands of time-stamp counter ticks since @t0. */
static double kt_since(uint64_t t0)
{
	return (ex_ticks() - t0) / 1e3;
}

int main(int argc, char **argv)
{
	float *a, *b, *out, *ref, *ma, *mb, *mc, *mref;
	double scalar_kt = 0, kt;
	float dot = 0, sum = 0;
	struct ex_ctx x;
	uint64_t t0;
	int r, i;

	ex_init(&x, argc, argv, "vector ops, matrix ops, backend comparison", NULL);
	a = ex_alloc(N);
	b = ex_alloc(N);
	out = ex_alloc(N);
	ref = ex_alloc(N);
	ex_fill(&x, a, N, -1, 1);
	ex_fill(&x, b, N, -1, 1);

	ex_printf(&x, "-- vector operations: %d floats, %d rounds\n", N, REPS);
	t0 = ex_ticks();
	for (r = 0; r < REPS; r++)
		x.ops->add(a, b, out, N);
	kt = kt_since(t0);
	x.ref->add(a, b, ref, N);
	ex_check_vec(&x, "add", out, ref, N, 1e-6);
	ex_printf(&x, "add      %9.1f kticks   out[7] = %8.4f\n", kt, out[7]);

	t0 = ex_ticks();
	for (r = 0; r < REPS; r++)
		x.ops->mul(a, b, out, N);
	kt = kt_since(t0);
	x.ref->mul(a, b, ref, N);
	ex_check_vec(&x, "mul", out, ref, N, 1e-6);
	ex_printf(&x, "mul      %9.1f kticks   out[7] = %8.4f\n", kt, out[7]);

	t0 = ex_ticks();
	for (r = 0; r < REPS; r++)
		x.ops->scale(a, 2.5f, out, N);
	kt = kt_since(t0);
	x.ref->scale(a, 2.5f, ref, N);
	ex_check_vec(&x, "scale", out, ref, N, 1e-6);
	ex_printf(&x, "scale    %9.1f kticks   out[7] = %8.4f\n", kt, out[7]);

	t0 = ex_ticks();
	for (r = 0; r < REPS; r++)
		dot = x.ops->dot(a, b, N);
	kt = kt_since(t0);
	ex_check(&x, "dot", dot, x.ref->dot(a, b, N), 1e-4);
	ex_printf(&x, "dot      %9.1f kticks   result = %8.4f\n", kt, dot);

	t0 = ex_ticks();
	for (r = 0; r < REPS; r++)
		sum = x.ops->sum(a, N);
	kt = kt_since(t0);
	ex_check(&x, "sum", sum, x.ref->sum(a, N), 1e-4);
	ex_printf(&x, "sum      %9.1f kticks   result = %8.4f\n", kt, sum);

	ex_printf(&x, "-- matrix operations: %dx%d multiply\n", MAT, MAT);
	ma = ex_alloc(MAT * MAT);
	mb = ex_alloc(MAT * MAT);
	mc = ex_alloc(MAT * MAT);
	mref = ex_alloc(MAT * MAT);
	ex_fill(&x, ma, MAT * MAT, -1, 1);
	ex_fill(&x, mb, MAT * MAT, -1, 1);
	t0 = ex_ticks();
	ex_matmul(x.ops, ma, mb, mc, MAT, MAT, MAT);
	kt = kt_since(t0);
	ex_matmul(x.ref, ma, mb, mref, MAT, MAT, MAT);
	ex_check_vec(&x, "matmul", mc, mref, MAT * MAT, 1e-4);
	ex_printf(&x, "matmul   %9.1f kticks   C[1][2] = %8.4f\n", kt, mc[MAT + 2]);

	ex_printf(&x, "-- backend comparison: dot product, %d floats, %d rounds\n",
		  N, REPS);
	for (i = EX_SCALAR; i < EX_NR_BACKENDS; i++) {
		const struct ex_ops *o = ex_ops(i);

		if (!ex_backend_supported(&x.cpu, i)) {
			ex_printf(&x, "%-8s %9s      (not supported)\n", o->name, "-");
			continue;
		}
		t0 = ex_ticks();
		for (r = 0; r < REPS; r++)
			dot = o->dot(a, b, N);
		kt = kt_since(t0);
		if (i == EX_SCALAR)
			scalar_kt = kt;
		ex_check(&x, o->name, dot, x.ref->dot(a, b, N), 1e-4);
		ex_printf(&x, "%-8s %9.1f kticks   %7.2fx vs scalar\n", o->name, kt,
			  kt > 0 ? scalar_kt / kt : 0.0);
	}
	free(a);
	free(b);
	free(out);
	free(ref);
	free(ma);
	free(mb);
	free(mc);
	free(mref);
	return ex_finish(&x);
}
