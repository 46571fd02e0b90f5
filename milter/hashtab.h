/*
 * hashtab - the open-addressing hash table under domset and netset.
 *
 * The caller chooses the slot: its layout, its key and what is kept
 * beside the key. The table holds a power-of-two array of such slots and
 * the bitmap of bitfilter.h in front of them; it grows them, keeps the
 * load at most 1/2, and says where a probe starts and where it goes next
 * (linear probing). It never looks inside a slot but through the
 * caller's hashtab_ops, and only when it grows. Entries are never
 * removed.
 *
 * A probe, in the caller's code:
 *	for (i = hashtab_home(t, hash);; i = hashtab_next(t, i))
 *		stop at the first slot i that is empty or holds the key;
 * it ends: the load is at most 1/2, so there is always an empty slot.
 * An entry is added by hashtab_reserve(), a probe, writing the empty
 * slot found, then hashtab_added().
 *
 * The load stays at most 1/2: linear probing keeps the probes that pass
 * the filter short only at a low load. The filter's 16 bits per slot are
 * then 32..64 bits per entry, so about 1 miss in 30 gets past it.
 *
 * Header only: the lookups run on every decision, and the growth,
 * inlined into each set, gets its slot size and callbacks compiled in
 * (out of line, loading 1M domains took 8% more instructions).
 * Ownership: struct hashtab is the caller's (zeroed, it is an empty
 * table); hashtab_free() frees the slots and the filter it holds.
 * Threads: written while its set is built, then only read, by any
 * number of threads at once.
 */
#ifndef RW_HASHTAB_H
#define RW_HASHTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bitfilter.h"

struct hashtab {
	void		*slots;		/* cap slots of the caller's type */
	size_t		cap;		/* 0 or a power of two */
	size_t		used;		/* entries */
	uint64_t	*filter;	/* bitfilter.h */
	unsigned	fshift;		/* 64 - log2(filter bits) */
};

/* What the table needs to know of its slots when it grows. */
struct hashtab_ops {
	size_t	size;		/* bytes per slot */
	size_t	first;		/* slots at the first growth: a power of
				 * two, at least 4 */
	/* True for an empty slot. A zeroed slot must be empty: new
	 * arrays are zeroed. */
	bool	(*empty)(const void *slot);
	/* The 64-bit hash of the key in a slot that is not empty; ctx is
	 * what the caller gave hashtab_reserve(). */
	uint64_t (*hash)(const void *slot, const void *ctx);
};

/* Frees what t holds and leaves it empty; hashtab_free(NULL) is a no-op. */
static inline void
hashtab_free(struct hashtab *t)
{
	if (t == NULL)
		return;
	free(t->slots);
	free(t->filter);
	t->slots = NULL;
	t->filter = NULL;
	t->cap = t->used = 0;
}

/* False when no entry has this hash, so a probe would find nothing:
 * most lookups that miss stop here, in memory that stays in cache. */
static inline bool
hashtab_maybe(const struct hashtab *t, uint64_t hash)
{
	return bitfilter_has(t->filter, t->fshift, hash);
}

/* Where a probe for hash starts (a table with slots). */
static inline size_t
hashtab_home(const struct hashtab *t, uint64_t hash)
{
	return (size_t)hash & (t->cap - 1);
}

/* The slot a probe looks at after slot i. */
static inline size_t
hashtab_next(const struct hashtab *t, size_t i)
{
	return (i + 1) & (t->cap - 1);
}

/* Counts the entry just written into the empty slot a probe for hash
 * found. */
static inline void
hashtab_added(struct hashtab *t, uint64_t hash)
{
	bitfilter_set(t->filter, t->fshift, hash);
	t->used++;
}

/* Slot i of t, of ops->size bytes. */
static inline unsigned char *
hashtab_slot(const struct hashtab *t, const struct hashtab_ops *ops,
    size_t i)
{
	return (unsigned char *)t->slots + i * ops->size;
}

/*
 * Doubles the table: every entry goes to the first empty slot from its
 * home in the new one, as a probe would find it, and its hash into the
 * new filter.
 */
static inline bool
hashtab_grow(struct hashtab *t, const struct hashtab_ops *ops,
    const void *ctx)
{
	struct hashtab n = { 0 };
	size_t i, j;

	n.cap = t->cap == 0 ? ops->first : t->cap * 2;
	if (n.cap > SIZE_MAX / ops->size / 2 ||
	    (n.slots = calloc(n.cap, ops->size)) == NULL)
		return false;
	if ((n.filter = bitfilter_alloc(n.cap, &n.fshift)) == NULL) {
		free(n.slots);
		return false;
	}
	for (i = 0; i < t->cap; i++) {
		const unsigned char *s = hashtab_slot(t, ops, i);
		uint64_t h;

		if (ops->empty(s))
			continue;
		h = ops->hash(s, ctx);
		for (j = hashtab_home(&n, h);
		    !ops->empty(hashtab_slot(&n, ops, j));
		    j = hashtab_next(&n, j))
			;
		memcpy(hashtab_slot(&n, ops, j), s, ops->size);
		hashtab_added(&n, h);
	}
	free(t->slots);
	free(t->filter);
	*t = n;
	return true;
}

/*
 * Room for one more entry, doubling the table (and rebuilding its filter)
 * when one more would take the load over 1/2. False when memory ran out;
 * the table is then as it was. A growth moves the slots: probe again
 * after it.
 */
static inline bool
hashtab_reserve(struct hashtab *t, const struct hashtab_ops *ops,
    const void *ctx)
{
	return (t->used + 1) * 2 <= t->cap || hashtab_grow(t, ops, ctx);
}

#endif
