/*
 * periods - per-hour counts. See periods.h.
 */
#include <stdlib.h>
#include <string.h>

#include "periods.h"

struct bucket {
	int64_t	hour;
	uint32_t count[PERIODS_SERIES];
};

struct periods {
	size_t	cap;
	struct bucket *b;	/* b[0 .. n) */
	size_t	n, alloc;
	uint32_t *slot;		/* index + 1 into b, 0: empty */
	size_t	mask;
	size_t	last;		/* the bucket used last: lines come in runs */
};

struct periods *
periods_new(size_t cap)
{
	struct periods *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	p->cap = cap;
	p->mask = 63;
	p->last = (size_t)-1;
	if ((p->slot = calloc(p->mask + 1, sizeof(*p->slot))) == NULL) {
		free(p);
		return NULL;
	}
	return p;
}

void
periods_free(struct periods *p)
{
	if (p == NULL)
		return;
	free(p->b);
	free(p->slot);
	free(p);
}

static size_t
home(const struct periods *p, int64_t hour)
{
	return (size_t)(((uint64_t)hour * 0x9e3779b97f4a7c15ULL) >> 32) &
	    p->mask;
}

static size_t
find(const struct periods *p, int64_t hour)
{
	size_t i = home(p, hour);

	while (p->slot[i] != 0 && p->b[p->slot[i] - 1].hour != hour)
		i = (i + 1) & p->mask;
	return i;
}

static bool
grow(struct periods *p)
{
	if (p->n == p->alloc) {
		size_t a = p->alloc == 0 ? 64 : p->alloc * 2;
		struct bucket *b;

		if (a > p->cap)
			a = p->cap;
		if ((b = realloc(p->b, a * sizeof(*b))) == NULL)
			return false;
		p->b = b;
		p->alloc = a;
	}
	if ((p->n + 1) * 2 > p->mask + 1) {
		size_t slots = (p->mask + 1) * 2, i;
		uint32_t *s = calloc(slots, sizeof(*s));

		if (s == NULL)
			return false;
		free(p->slot);
		p->slot = s;
		p->mask = slots - 1;
		for (i = 0; i < p->n; i++)
			p->slot[find(p, p->b[i].hour)] = (uint32_t)(i + 1);
	}
	return true;
}

bool
periods_add(struct periods *p, int64_t hour, unsigned series)
{
	size_t s, i;

	if (series >= PERIODS_SERIES)
		return false;
	if (p->last != (size_t)-1 && p->b[p->last].hour == hour) {
		p->b[p->last].count[series]++;
		return true;
	}
	s = find(p, hour);
	if (p->slot[s] == 0) {
		if (p->n >= p->cap || !grow(p))
			return false;
		s = find(p, hour);
		i = p->n++;
		memset(&p->b[i], 0, sizeof(p->b[i]));
		p->b[i].hour = hour;
		p->slot[s] = (uint32_t)(i + 1);
	}
	p->last = p->slot[s] - 1;
	p->b[p->last].count[series]++;
	return true;
}

static const struct periods *sorting;

static int
by_hour(const void *a, const void *b)
{
	int64_t x = sorting->b[*(const size_t *)a].hour;
	int64_t y = sorting->b[*(const size_t *)b].hour;

	return x < y ? -1 : x > y;
}

size_t *
periods_sorted(const struct periods *p, size_t *n)
{
	size_t *idx, i;

	*n = 0;
	if (p->n == 0 || (idx = malloc(p->n * sizeof(*idx))) == NULL)
		return NULL;
	for (i = 0; i < p->n; i++)
		idx[i] = i;
	sorting = p;	/* qsort has no argument; one thread */
	qsort(idx, p->n, sizeof(*idx), by_hour);
	sorting = NULL;
	*n = p->n;
	return idx;
}

int64_t
periods_hour(const struct periods *p, size_t i)
{
	return p->b[i].hour;
}

const uint32_t *
periods_counts(const struct periods *p, size_t i)
{
	return p->b[i].count;
}

size_t
periods_cap(const struct periods *p)
{
	return p->cap;
}
