/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers both library layers use. Inline, so that neither shared library
 * has to export them.
 */
#ifndef GTRACE_GT_COMMON_H
#define GTRACE_GT_COMMON_H

#include <stdint.h>
#include <stdlib.h>

#define GTI_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * Make room for element @n of @arr (elements of @size, capacity implied by
 * @n: 4, 8, 16 ...). Returns the possibly moved array, NULL when out of
 * memory (@arr is then left as it was).
 */
static inline void *gti_grow(void *arr, size_t n, size_t size)
{
	size_t cap;

	/* Capacity is 4 for n in 1..4, then the power of two >= n. */
	if (n && (n < 4 || (n & (n - 1))))
		return arr;
	cap = n ? n * 2 : 4;
	if (cap > SIZE_MAX / size)
		return NULL;
	return realloc(arr, cap * size);
}

#endif /* GTRACE_GT_COMMON_H */
