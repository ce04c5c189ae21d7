// SPDX-License-Identifier: GPL-2.0
/*
 * Per-task, per-syscall counters.
 *
 * Each traced thread owns a small open-addressed table keyed by (ABI,
 * syscall number). Only the thread itself writes it, from its own sys_exit
 * probe, so updates are plain stores; the stats dump reads concurrently
 * under RCU. When the table gets three quarters full the thread builds a
 * twice larger copy, publishes it with rcu_assign_pointer() and frees the
 * old one after a grace period. A call that finds no room (the allocation
 * failed in atomic context, or the largest table is full) is counted as
 * lost, never dropped silently.
 */
#include <linux/bitops.h>
#include <linux/err.h>
#include <linux/hash.h>
#include <linux/overflow.h>

#include "gtrace_internal.h"

static size_t gtrace_sc_table_size(u32 slots)
{
	struct gtrace_sc_table *tab;

	return struct_size(tab, sc, slots);
}

struct gtrace_sc_table *gtrace_sc_table_alloc(u32 slots, gfp_t gfp)
{
	struct gtrace_sc_table *tab;

	tab = gtrace_alloc(gtrace_sc_table_size(slots), gfp);
	if (tab)
		tab->mask = slots - 1;
	return tab;
}

void gtrace_sc_table_free(struct gtrace_sc_table *tab)
{
	if (tab)
		gtrace_free(tab, gtrace_sc_table_size(tab->mask + 1));
}

static void gtrace_sc_table_free_rcu(struct rcu_head *rcu)
{
	gtrace_sc_table_free(container_of(rcu, struct gtrace_sc_table, rcu));
}

/* The slot holding @key, or the empty slot where it belongs, or NULL. */
static struct gtrace_sc *gtrace_sc_slot(struct gtrace_sc_table *tab, u32 key)
{
	u32 i = hash_32(key, 32) & tab->mask;
	u32 n;

	for (n = 0; n <= tab->mask; n++, i = (i + 1) & tab->mask) {
		struct gtrace_sc *sc = &tab->sc[i];

		if (!sc->used || gtrace_sc_key(sc->abi, sc->nr) == key)
			return sc;
	}
	return NULL;
}

/* Copy @old into a table twice its size; caller is the owning thread. */
static struct gtrace_sc_table *gtrace_sc_grow(struct gtrace_task *t,
					      struct gtrace_sc_table *old)
{
	u32 slots = (old->mask + 1) * 2;
	struct gtrace_sc_table *tab;
	u32 i;

	if (slots > GTRACE_SC_MAX_SLOTS)
		return NULL;
	tab = gtrace_sc_table_alloc(slots, GFP_NOWAIT);
	if (!tab)
		return NULL;
	for (i = 0; i <= old->mask; i++) {
		struct gtrace_sc *src = &old->sc[i];

		if (src->used)
			*gtrace_sc_slot(tab, gtrace_sc_key(src->abi, src->nr)) = *src;
	}
	tab->used = old->used;
	t->last_sc = NULL;
	rcu_assign_pointer(t->sc, tab);
	call_rcu(&old->rcu, gtrace_sc_table_free_rcu);
	return tab;
}

static struct gtrace_sc *gtrace_sc_lookup(struct gtrace_task *t, u8 abi, u16 nr)
{
	/* Only this thread replaces its table, so it may read it plainly. */
	struct gtrace_sc_table *tab = rcu_dereference_protected(t->sc, true);
	u32 key = gtrace_sc_key(abi, nr);
	struct gtrace_sc *sc;

	if (unlikely(!tab))
		return NULL;
	sc = gtrace_sc_slot(tab, key);
	if (likely(sc && sc->used))
		return sc;

	/* A syscall this thread has not made before. */
	if ((tab->used + 1) * 4 > (tab->mask + 1) * 3) {
		struct gtrace_sc_table *bigger = gtrace_sc_grow(t, tab);

		if (bigger) {
			tab = bigger;
			sc = gtrace_sc_slot(tab, key);
		}
	}
	if (!sc)
		return NULL;
	sc->nr = nr;
	sc->abi = abi;
	sc->min_ns = U64_MAX;
	tab->used++;
	/* Readers that see the slot used see its key too. */
	smp_store_release(&sc->used, 1);
	return sc;
}

/* Loops of one syscall are common: try the previous call's slot first. */
static struct gtrace_sc *gtrace_sc_get(struct gtrace_task *t, u8 abi, u16 nr)
{
	struct gtrace_sc *sc = t->last_sc;

	if (likely(sc && sc->nr == nr && sc->abi == abi))
		return sc;
	sc = gtrace_sc_lookup(t, abi, nr);
	t->last_sc = sc;
	return sc;
}

static void gtrace_err_count(struct gtrace_task *t, u8 abi, u16 nr, u32 err)
{
	unsigned int i, n = t->nerr;

	for (i = 0; i < n; i++) {
		struct gtrace_err *e = &t->err[i];

		if (e->nr == nr && e->abi == abi && e->err == err) {
			WRITE_ONCE(e->count, e->count + 1);
			return;
		}
	}
	if (n == GTRACE_ERR_SLOTS) {
		WRITE_ONCE(t->flags, t->flags | GTRACE_TF_TRUNCATED);
		return;
	}
	t->err[n].nr = nr;
	t->err[n].abi = abi;
	t->err[n].err = err;
	t->err[n].count = 1;
	/* Readers that count the entry see it filled in. */
	smp_store_release(&t->nerr, n + 1);
}

static void gtrace_io_count(struct gtrace_task *t, long ret, u64 dur)
{
	struct gtrace_io *io = &t->io[t->enter_fclass][t->enter_io];
	u64 bytes = 0;

	if (!IS_ERR_VALUE(ret)) {
		if (t->enter_io == GTRACE_IO_MMAP)
			bytes = t->enter_len;
		else if (t->enter_io != GTRACE_IO_IOCTL)
			bytes = ret;
	}
	WRITE_ONCE(io->calls, io->calls + 1);
	WRITE_ONCE(io->bytes, io->bytes + bytes);
	WRITE_ONCE(io->ns, io->ns + dur);
}

/* sys_exit of the call recorded in t->enter_*; runs in the owning thread. */
void gtrace_task_account(struct gtrace_task *t, long ret, u64 now)
{
	u64 dur = now > t->enter_ns ? now - t->enter_ns : 0;
	u16 nr = t->enter_nr;
	u8 abi = t->enter_abi;
	struct gtrace_sc *sc;
	unsigned int b;

	sc = gtrace_sc_get(t, abi, nr);
	if (unlikely(!sc)) {
		WRITE_ONCE(t->calls_lost, t->calls_lost + 1);
		WRITE_ONCE(t->flags, t->flags | GTRACE_TF_TRUNCATED);
		atomic64_inc(&t->sess->calls_lost);
		return;
	}

	WRITE_ONCE(sc->calls, sc->calls + 1);
	WRITE_ONCE(sc->total_ns, sc->total_ns + dur);
	if (dur < sc->min_ns)
		WRITE_ONCE(sc->min_ns, dur);
	if (dur > sc->max_ns)
		WRITE_ONCE(sc->max_ns, dur);
	b = dur ? min_t(unsigned int, fls64(dur) - 1, GTRACE_HIST_BUCKETS - 1) : 0;
	if (likely(sc->hist[b] != U32_MAX))
		WRITE_ONCE(sc->hist[b], sc->hist[b] + 1);

	if (IS_ERR_VALUE(ret)) {
		WRITE_ONCE(sc->errors, sc->errors + 1);
		gtrace_err_count(t, abi, nr, -ret);
	}
	if (t->enter_io >= 0)
		gtrace_io_count(t, ret, dur);
}

/* The used slot with the smallest key >= @from, for a dump in key order. */
struct gtrace_sc *gtrace_sc_next(struct gtrace_sc_table *tab, u32 from)
{
	struct gtrace_sc *best = NULL;
	u32 best_key = U32_MAX;
	u32 i;

	for (i = 0; i <= tab->mask; i++) {
		struct gtrace_sc *sc = &tab->sc[i];
		u32 key;

		/* Pairs with the release in gtrace_sc_get(). */
		if (!smp_load_acquire(&sc->used))
			continue;
		key = gtrace_sc_key(sc->abi, sc->nr);
		if (key >= from && (!best || key < best_key)) {
			best = sc;
			best_key = key;
		}
	}
	return best;
}
