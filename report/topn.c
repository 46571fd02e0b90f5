/*
 * topn - Space-Saving top-N table. See topn.h.
 *
 * The keys are in an open-addressing index (linear probing, deletion by
 * backward shift, so no tombstones pile up as keys are evicted), and in
 * the "Stream-Summary" of the Space-Saving paper: a list of buckets, one
 * per count held, smallest first, each with the list of its keys. Counts
 * grow by one, so counting a key moves it to the next bucket or a new one
 * beside it, and the key an eviction replaces is the first of the first
 * bucket: both O(1). (A binary heap took log2(cap) cache misses per
 * eviction when many keys tie at the least count, as random spam senders
 * do: bench-report.) The arrays grow by doubling up to the cap, so a
 * small log costs little whatever the cap.
 */
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "topn.h"

#define NONE	UINT32_MAX

struct entry {
	char	*key;
	size_t	len;
	uint64_t hash;
	uint64_t error;
	uint32_t bucket;	/* its count's bucket */
	uint32_t prev, next;	/* in that bucket's list */
};

struct bucket {
	uint64_t count;
	uint32_t head;		/* its first entry */
	uint32_t prev, next;	/* in the list of buckets, by count */
};

struct topn {
	uint64_t seed[2];
	size_t	cap;
	struct entry *e;	/* e[0 .. n) */
	size_t	n, alloc;
	struct bucket *b;	/* b[0 .. nb), free ones chained by next */
	size_t	nb, balloc;
	uint32_t bfree;		/* the first free bucket */
	uint32_t least;		/* the bucket of the least count */
	uint32_t *slot;		/* index + 1 into e, 0: empty */
	size_t	mask;		/* slots - 1, a power of two minus one */
	uint64_t total, evicted;
};

struct topn *
topn_new(size_t cap, const uint64_t seed[2])
{
	struct topn *t;

	if (cap == 0 || cap > UINT32_MAX / 4 || (t = calloc(1, sizeof(*t))) ==
	    NULL)
		return NULL;
	t->seed[0] = seed[0];
	t->seed[1] = seed[1];
	t->cap = cap;
	t->mask = 15;
	t->bfree = t->least = NONE;
	if ((t->slot = calloc(t->mask + 1, sizeof(*t->slot))) == NULL) {
		free(t);
		return NULL;
	}
	return t;
}

void
topn_free(struct topn *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->n; i++)
		free(t->e[i].key);
	free(t->e);
	free(t->b);
	free(t->slot);
	free(t);
}

/* A bucket for count, placed after bucket prev (NONE: first). There is
 * always one free: topn_add() makes room before it counts. */
static uint32_t
bucket_new(struct topn *t, uint64_t count, uint32_t prev)
{
	uint32_t k = t->bfree, next = prev == NONE ? t->least : t->b[prev].next;

	t->bfree = t->b[k].next;
	t->b[k] = (struct bucket){ count, NONE, prev, next };
	if (prev == NONE)
		t->least = k;
	else
		t->b[prev].next = k;
	if (next != NONE)
		t->b[next].prev = k;
	return k;
}

static void
bucket_drop(struct topn *t, uint32_t k)
{
	struct bucket *b = &t->b[k];

	if (b->prev == NONE)
		t->least = b->next;
	else
		t->b[b->prev].next = b->next;
	if (b->next != NONE)
		t->b[b->next].prev = b->prev;
	b->next = t->bfree;
	t->bfree = k;
}

static void
attach(struct topn *t, uint32_t i, uint32_t k)
{
	struct entry *x = &t->e[i];

	x->bucket = k;
	x->prev = NONE;
	x->next = t->b[k].head;
	if (x->next != NONE)
		t->e[x->next].prev = i;
	t->b[k].head = i;
}

/* Takes entry i out of its bucket's list (the bucket stays, maybe empty). */
static void
detach(struct topn *t, uint32_t i)
{
	struct entry *x = &t->e[i];

	if (x->prev == NONE)
		t->b[x->bucket].head = x->next;
	else
		t->e[x->prev].next = x->next;
	if (x->next != NONE)
		t->e[x->next].prev = x->prev;
}

/* Entry i's count goes up by one: into the next bucket. */
static void
bump(struct topn *t, uint32_t i)
{
	uint32_t k = t->e[i].bucket, next = t->b[k].next;
	uint64_t c = t->b[k].count + 1;

	detach(t, i);
	if (next == NONE || t->b[next].count != c)
		next = bucket_new(t, c, k);
	attach(t, i, next);
	if (t->b[k].head == NONE)
		bucket_drop(t, k);
}

/* The slot of key, or of the empty slot where it would go. */
static size_t
find(const struct topn *t, const char *key, size_t len, uint64_t h)
{
	size_t i = (size_t)h & t->mask;

	for (;; i = (i + 1) & t->mask) {
		const struct entry *x;

		if (t->slot[i] == 0)
			return i;
		x = &t->e[t->slot[i] - 1];
		if (x->hash == h && x->len == len && memcmp(x->key, key, len) == 0)
			return i;
	}
}

/* Empties slot i and moves back the keys after it that would no longer
 * be found (Knuth's algorithm R for linear probing). */
static void
unslot(struct topn *t, size_t i)
{
	size_t j = i, k;

	for (;;) {
		t->slot[i] = 0;
		for (;;) {
			j = (j + 1) & t->mask;
			if (t->slot[j] == 0)
				return;
			k = (size_t)t->e[t->slot[j] - 1].hash & t->mask;
			/* Stays when its home k lies cyclically in (i, j]. */
			if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
				continue;
			break;
		}
		t->slot[i] = t->slot[j];
		i = j;
	}
}

/* Room for one more key: the arrays and, at half full, the index; and a
 * free bucket, so that bump() cannot fail. */
static bool
grow(struct topn *t)
{
	if (t->n == t->alloc) {
		size_t a = t->alloc == 0 ? 16 : t->alloc * 2;
		struct entry *e;

		if (a > t->cap)
			a = t->cap;
		if ((e = realloc(t->e, a * sizeof(*e))) == NULL)
			return false;
		t->e = e;
		t->alloc = a;
	}
	/* Buckets: one per count held, so at most one per key, and one to
	 * spare while a key moves. */
	while (t->bfree == NONE || t->nb < t->n + 2) {
		if (t->nb == t->balloc) {
			size_t a = t->balloc == 0 ? 16 : t->balloc * 2;
			struct bucket *b = realloc(t->b, a * sizeof(*b));

			if (b == NULL)
				return false;
			t->b = b;
			t->balloc = a;
		}
		t->b[t->nb].next = t->bfree;
		t->bfree = (uint32_t)t->nb++;
	}
	if ((t->n + 1) * 2 > t->mask + 1) {
		size_t slots = (t->mask + 1) * 2, i;
		uint32_t *s = calloc(slots, sizeof(*s));

		if (s == NULL)
			return false;
		free(t->slot);
		t->slot = s;
		t->mask = slots - 1;
		for (i = 0; i < t->n; i++)
			t->slot[find(t, t->e[i].key, t->e[i].len, t->e[i].hash)] =
			    (uint32_t)(i + 1);
	}
	return true;
}

bool
topn_add(struct topn *t, const char *key, size_t len)
{
	uint64_t h = hash_bytes(t->seed, key, len);
	size_t s = find(t, key, len, h);
	uint32_t i;
	struct entry *x;
	char *copy;

	if (t->slot[s] != 0) {
		bump(t, t->slot[s] - 1);
		t->total++;
		return true;
	}
	if ((copy = malloc(len + 1)) == NULL)
		return false;
	memcpy(copy, key, len);
	copy[len] = '\0';
	if (t->n < t->cap) {
		if (!grow(t)) {
			free(copy);
			return false;
		}
		s = find(t, key, len, h);	/* the index may have grown */
		i = (uint32_t)t->n++;
		x = &t->e[i];
		x->key = copy;
		x->len = len;
		x->hash = h;
		x->error = 0;
		t->slot[s] = i + 1;
		attach(t, i, t->least != NONE && t->b[t->least].count == 1 ?
		    t->least : bucket_new(t, 1, NONE));
	} else {
		/* Space-Saving: a key of the least count makes room, and the
		 * new key takes its count, plus one. */
		i = t->b[t->least].head;
		x = &t->e[i];
		unslot(t, find(t, x->key, x->len, x->hash));
		free(x->key);
		x->key = copy;
		x->len = len;
		x->hash = h;
		x->error = t->b[x->bucket].count;
		t->slot[find(t, key, len, h)] = i + 1;
		t->evicted++;
		bump(t, i);
	}
	t->total++;
	return true;
}

static int
by_count(const void *a, const void *b)
{
	const struct topn_row *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if ((c = memcmp(x->key, y->key, n)) != 0)
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

size_t
topn_rows(const struct topn *t, struct topn_row *rows, size_t n)
{
	struct topn_row *all;
	size_t i;

	if (n == 0 || t->n == 0)
		return 0;
	if ((all = malloc(t->n * sizeof(*all))) == NULL)
		return 0;
	for (i = 0; i < t->n; i++)
		all[i] = (struct topn_row){ t->e[i].key, t->e[i].len,
		    t->b[t->e[i].bucket].count, t->e[i].error };
	qsort(all, t->n, sizeof(*all), by_count);
	if (n > t->n)
		n = t->n;
	memcpy(rows, all, n * sizeof(*rows));
	free(all);
	return n;
}

size_t
topn_size(const struct topn *t)
{
	return t->n;
}

uint64_t
topn_total(const struct topn *t)
{
	return t->total;
}

uint64_t
topn_evicted(const struct topn *t)
{
	return t->evicted;
}

size_t
topn_cap(const struct topn *t)
{
	return t->cap;
}
