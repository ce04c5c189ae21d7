// SPDX-License-Identifier: GPL-2.0
/*
 * activation_functions: ReLU, sigmoid, tanh, GELU and swish over a vector,
 * on the selected backend, checked against the scalar reference and, for
 * the smooth ones, against the C library's double-precision functions.
 */
#include <math.h>

#include "common.h"

#define N 4096

static double ref_sigmoid(double v)
{
	return 1 / (1 + exp(-v));
}

static double ref_gelu(double v)
{
	return 0.5 * v * (1 + tanh(sqrt(2 / M_PI) * (v + 0.044715 * v * v * v)));
}

static double ref_swish(double v)
{
	return v * ref_sigmoid(v);
}

static double ref_relu(double v)
{
	return v > 0 ? v : 0;
}

struct act {
	const char *name;
	size_t off;
	double (*libm)(double v);
};

#define OPS_FN(field) offsetof(struct ex_ops, field)

static const struct act acts[] = {
	{ "relu", OPS_FN(relu), ref_relu },
	{ "sigmoid", OPS_FN(sigmoid), ref_sigmoid },
	{ "tanh", OPS_FN(tanh), tanh },
	{ "gelu", OPS_FN(gelu), ref_gelu },
	{ "swish", OPS_FN(swish), ref_swish },
};

typedef void (*act_fn)(const float *in, float *out, size_t n);

static act_fn get(const struct ex_ops *o, size_t off)
{
	act_fn f;

	memcpy(&f, (const char *)o + off, sizeof(f));
	return f;
}

int main(int argc, char **argv)
{
	static const float probes[] = { -3, -1, 0, 0.5f, 2 };
	float *in, *out, *ref;
	struct ex_ctx x;
	size_t i, k, p;

	ex_init(&x, argc, argv, "activation functions over vectors", NULL);
	in = ex_alloc(N);
	out = ex_alloc(N);
	ref = ex_alloc(N);
	ex_fill(&x, in, N, -6, 6);
	/* The probe points, so that the printed samples are easy to read. */
	memcpy(in, probes, sizeof(probes));
	ex_printf(&x, "input: %d values in [-6, 6)\n", N);

	for (k = 0; k < sizeof(acts) / sizeof(acts[0]); k++) {
		double err = 0, sum = 0;

		get(x.ops, acts[k].off)(in, out, N);
		get(x.ref, acts[k].off)(in, ref, N);
		ex_check_vec(&x, acts[k].name, out, ref, N, 1e-5);
		for (i = 0; i < N; i++) {
			double e = fabs(out[i] - acts[k].libm(in[i]));

			err = e > err ? e : err;
			sum += out[i];
		}
		ex_printf(&x, "%-8s", acts[k].name);
		for (p = 0; p < sizeof(probes) / sizeof(probes[0]); p++)
			ex_printf(&x, " f(%g)=%.4f", probes[p], out[p]);
		ex_printf(&x, "  mean %.4f  max error vs libm %s\n", sum / N,
			  err < 1e-6 ? "< 1e-6" : err < 1e-5 ? "< 1e-5" : "LARGE");
		if (err >= 1e-5)
			x.failures++;
	}
	free(in);
	free(out);
	free(ref);
	return ex_finish(&x);
}
