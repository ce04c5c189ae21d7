// SPDX-License-Identifier: GPL-2.0
/*
 * matrix_operations: matrix multiply two ways (row updates with axpy, and
 * dot products against the transposed right-hand side), a blocked
 * transpose, and the identity, each checked against the scalar reference.
 */
#include "common.h"

#define ROWS	96
#define INNER	80
#define COLS	64
#define SQ	64

static double checksum(const float *m, size_t n)
{
	double s = 0;
	size_t i;

	for (i = 0; i < n; i++)
		s += m[i] * (double)((i % 7) + 1);
	return s;
}

int main(int argc, char **argv)
{
	float *a, *b, *bt, *c, *c2, *ref, *t, *tt, *id, *sq, *sqi;
	struct ex_ctx x;
	double tr = 0;
	size_t i;

	ex_init(&x, argc, argv, "SIMD matrix multiply and transpose", NULL);
	a = ex_alloc(ROWS * INNER);
	b = ex_alloc(INNER * COLS);
	bt = ex_alloc(COLS * INNER);
	c = ex_alloc(ROWS * COLS);
	c2 = ex_alloc(ROWS * COLS);
	ref = ex_alloc(ROWS * COLS);
	ex_fill(&x, a, ROWS * INNER, -1, 1);
	ex_fill(&x, b, INNER * COLS, -1, 1);

	ex_printf(&x, "A is %dx%d, B is %dx%d\n", ROWS, INNER, INNER, COLS);
	ex_matmul(x.ref, a, b, ref, ROWS, INNER, COLS);
	ex_matmul(x.ops, a, b, c, ROWS, INNER, COLS);
	ex_printf(&x, "C = A*B (axpy rows): C[0][0] = %.4f, C[%d][%d] = %.4f, checksum %.3f\n",
		  c[0], ROWS - 1, COLS - 1, c[ROWS * COLS - 1],
		  checksum(c, ROWS * COLS));
	ex_check_vec(&x, "matmul", c, ref, ROWS * COLS, 1e-4);

	ex_transpose(b, bt, INNER, COLS);
	ex_matmul_bt(x.ops, a, bt, c2, ROWS, INNER, COLS);
	ex_printf(&x, "C = A*(B^T)^T (dot products): checksum %.3f\n",
		  checksum(c2, ROWS * COLS));
	ex_check_vec(&x, "matmul_bt", c2, ref, ROWS * COLS, 1e-4);

	t = ex_alloc(ROWS * COLS);
	tt = ex_alloc(ROWS * COLS);
	ex_transpose(c, t, ROWS, COLS);
	ex_transpose(t, tt, COLS, ROWS);
	ex_printf(&x, "transpose: C^T is %dx%d, C^T[%d][%d] = %.4f, (C^T)^T == C: %s\n",
		  COLS, ROWS, COLS - 1, 0, t[(COLS - 1) * ROWS],
		  memcmp(c, tt, sizeof(float) * ROWS * COLS) ? "no" : "yes");
	if (memcmp(c, tt, sizeof(float) * ROWS * COLS))
		x.failures++;

	id = ex_alloc(SQ * SQ);
	sq = ex_alloc(SQ * SQ);
	sqi = ex_alloc(SQ * SQ);
	for (i = 0; i < SQ; i++)
		id[i * SQ + i] = 1;
	ex_fill(&x, sq, SQ * SQ, -2, 2);
	ex_matmul(x.ops, sq, id, sqi, SQ, SQ, SQ);
	ex_printf(&x, "identity: M*I == M for a %dx%d M: %s\n", SQ, SQ,
		  memcmp(sq, sqi, sizeof(float) * SQ * SQ) ? "no" : "yes");
	if (memcmp(sq, sqi, sizeof(float) * SQ * SQ))
		x.failures++;
	ex_matmul(x.ops, sq, sq, sqi, SQ, SQ, SQ);
	for (i = 0; i < SQ; i++)
		tr += sqi[i * SQ + i];
	ex_printf(&x, "trace(M*M) = %.3f\n", tr);

	free(a);
	free(b);
	free(bt);
	free(c);
	free(c2);
	free(ref);
	free(t);
	free(tt);
	free(id);
	free(sq);
	free(sqi);
	return ex_finish(&x);
}
