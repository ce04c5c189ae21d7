// SPDX-License-Identifier: GPL-2.0
/*
 * ml_similarity: nearest neighbours of a query among embedding vectors by
 * cosine similarity, Euclidean distance and Manhattan distance, and a
 * pairwise cosine matrix, checked against the scalar reference.
 */
#include <math.h>

#include "common.h"

#define NVEC	64
#define DIM	256
#define TOP	3

struct scored {
	size_t idx;
	float score;
};

static float cosine(const struct ex_ops *o, const float *a, const float *b,
		    size_t n)
{
	float ab = o->dot(a, b, n), aa = o->dot(a, a, n), bb = o->dot(b, b, n);

	return aa > 0 && bb > 0 ? ab / sqrtf(aa * bb) : 0;
}

/* The @TOP best of @s: largest first when @desc, else smallest first. */
static void top(struct scored *s, size_t n, bool desc, struct scored *best)
{
	size_t i, j, k;

	for (k = 0; k < TOP; k++) {
		j = n;
		for (i = 0; i < n; i++) {
			if (s[i].idx == (size_t)-1)
				continue;
			if (j == n || (desc ? s[i].score > s[j].score :
					      s[i].score < s[j].score))
				j = i;
		}
		best[k] = s[j];
		s[j].idx = (size_t)-1;
	}
}

static void show(struct ex_ctx *x, const char *metric, struct scored *s,
		 bool desc)
{
	struct scored best[TOP];
	size_t k;

	top(s, NVEC, desc, best);
	ex_printf(x, "%-10s nearest:", metric);
	for (k = 0; k < TOP; k++)
		ex_printf(x, " #%zu (%.4f)", best[k].idx, best[k].score);
	ex_printf(x, "\n");
}

int main(int argc, char **argv)
{
	struct scored cos[NVEC], euc[NVEC], man[NVEC];
	float *emb, *q, *noise;
	double pair_sum = 0;
	struct ex_ctx x;
	size_t i, j;

	ex_init(&x, argc, argv, "cosine, Euclidean and Manhattan similarity", NULL);
	emb = ex_alloc(NVEC * DIM);
	q = ex_alloc(DIM);
	noise = ex_alloc(DIM);
	ex_fill(&x, emb, NVEC * DIM, -1, 1);
	/* The query is vector 17 plus a little noise: 17 must come first. */
	ex_fill(&x, noise, DIM, -0.1f, 0.1f);
	x.ops->add(emb + 17 * DIM, noise, q, DIM);
	ex_printf(&x, "%d embeddings of dimension %d; query = #17 + noise\n",
		  NVEC, DIM);

	for (i = 0; i < NVEC; i++) {
		const float *v = emb + i * DIM;

		cos[i] = (struct scored){ i, cosine(x.ops, q, v, DIM) };
		euc[i] = (struct scored){ i, sqrtf(x.ops->sqdist(q, v, DIM)) };
		man[i] = (struct scored){ i, x.ops->l1dist(q, v, DIM) };
		ex_check(&x, "cosine", cos[i].score, cosine(x.ref, q, v, DIM), 1e-4);
		ex_check(&x, "euclidean", euc[i].score,
			 sqrtf(x.ref->sqdist(q, v, DIM)), 1e-4);
		ex_check(&x, "manhattan", man[i].score,
			 x.ref->l1dist(q, v, DIM), 1e-4);
	}
	show(&x, "cosine", cos, true);
	show(&x, "euclidean", euc, false);
	show(&x, "manhattan", man, false);

	for (i = 0; i < NVEC; i++)
		for (j = 0; j < NVEC; j++)
			pair_sum += cosine(x.ops, emb + i * DIM, emb + j * DIM, DIM);
	ex_printf(&x, "pairwise cosine matrix %dx%d: mean %.5f (diagonal 1)\n",
		  NVEC, NVEC, pair_sum / (NVEC * NVEC));
	free(emb);
	free(q);
	free(noise);
	return ex_finish(&x);
}
