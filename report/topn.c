/*
 * topn - Space-Saving top-N table. See topn.h.
 *
 * The keys are in an open-addressing index (linear probing, deletion by
 * backward shift, so no tombstones pile up as keys are evicted), and in a
 * binary min-heap by count, whose root is the key an eviction replaces.
 * Counting a key moves it down the heap by at most a few places: counts
 * grow by one. The arrays grow by doubling up to the cap, so that a small
 * log costs little whatever the cap.
 */
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "topn.h"

struct entry {
	char	*key;
	size_t	len;
	uint64_t hash;
	uint64_t count;
	uint64_t error;
	size_t	heap;		/* its place in the heap */
};

struct topn {
	uint64_t seed[2];
	size_t	cap;
	struct entry *e;	/* e[0 .. n) */
	size_t	n, alloc;
	size_t	*heap;		/* indexes into e, a min-heap by count */
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
	free(t->heap);
	free(t->slot);
	free(t);
}

static void
heap_swap(struct topn *t, size_t a, size_t b)
{
	size_t x = t->heap[a];

	t->heap[a] = t->heap[b];
	t->heap[b] = x;
	t->e[t->heap[a]].heap = a;
	t->e[t->heap[b]].heap = b;
}

static void
sift_down(struct topn *t, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < t->n && t->e[t->heap[l]].count < t->e[t->heap[m]].count)
			m = l;
		if (r < t->n && t->e[t->heap[r]].count < t->e[t->heap[m]].count)
			m = r;
		if (m == i)
			return;
		heap_swap(t, i, m);
		i = m;
	}
}

static void
sift_up(struct topn *t, size_t i)
{
	while (i > 0 && t->e[t->heap[(i - 1) / 2]].count > t->e[t->heap[i]].count) {
		heap_swap(t, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
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

/* Room for one more key: the arrays and, at half full, the index. */
static bool
grow(struct topn *t)
{
	if (t->n == t->alloc) {
		size_t a = t->alloc == 0 ? 16 : t->alloc * 2;
		struct entry *e;
		size_t *h;

		if (a > t->cap)
			a = t->cap;
		if ((e = realloc(t->e, a * sizeof(*e))) == NULL)
			return false;
		t->e = e;
		if ((h = realloc(t->heap, a * sizeof(*h))) == NULL)
			return false;
		t->heap = h;
		t->alloc = a;
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
	size_t s = find(t, key, len, h), i;
	struct entry *x;
	char *copy;

	if (t->slot[s] != 0) {
		x = &t->e[t->slot[s] - 1];
		x->count++;
		t->total++;
		sift_down(t, x->heap);
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
		i = t->n++;
		x = &t->e[i];
		x->count = 1;
		x->error = 0;
		x->heap = i;
		t->heap[i] = i;
		t->slot[s] = (uint32_t)(i + 1);
		x->key = copy;
		x->len = len;
		x->hash = h;
		sift_up(t, i);
	} else {
		/* Space-Saving: the key with the least count makes room. */
		i = t->heap[0];
		x = &t->e[i];
		unslot(t, find(t, x->key, x->len, x->hash));
		free(x->key);
		x->key = copy;
		x->len = len;
		x->hash = h;
		x->error = x->count;
		x->count++;
		t->slot[find(t, key, len, h)] = (uint32_t)(i + 1);
		t->evicted++;
		sift_down(t, 0);
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
		    t->e[i].count, t->e[i].error };
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
