/*
 * ratemem - the embedded rate limit store. See ratestore.h.
 *
 * 64 shards, each a mutex and an open-addressing table (linear probing,
 * load at most 1/2) of 48-byte slots: a 128-bit fingerprint of the cell
 * (key and period) instead of the key itself, the GCRA timestamp, the
 * hold time and the trip flag. A cell whose timestamp and hold time are
 * both past is the same as no cell: when a shard fills, it is rebuilt
 * without those (the only "expiry": nothing runs in the background); at
 * max_keys / 64 live cells, the cell nearest to empty is dropped (it
 * lets the most through soonest anyway). A call locks the shards of its
 * cells in address order, so that several cells change at once and no
 * two calls deadlock.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ratestore.h"

#define SHARDS	64
#define US	INT64_C(1000000)

struct slot {
	uint64_t	fp[2];		/* fp[1] == 0: empty */
	int64_t		tat;
	int64_t		hold;		/* held until; 0: not */
	int64_t		ends;		/* max(tat, hold): past = empty */
	uint64_t	tripped;	/* refused since it last took a unit */
};

struct shard {
	pthread_mutex_t	lock;
	struct slot	*slots;
	size_t		cap, used;
};

struct ratemem {
	struct rate_store pub;
	struct shard	shards[SHARDS];
	size_t		max_per_shard;
	int64_t		(*now)(void);
};

static int64_t
mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * US + ts.tv_nsec / 1000;
}

/* FNV-1a over the key, then splitmix64's finaliser, twice with two
 * seeds: 128 bits, so that two cells of a million never share one. */
static uint64_t
mix(uint64_t x)
{
	x ^= x >> 30;
	x *= UINT64_C(0xbf58476d1ce4e5b9);
	x ^= x >> 27;
	x *= UINT64_C(0x94d049bb133111eb);
	return x ^ (x >> 31);
}

static void
fingerprint(const struct rate_cell *c, uint64_t fp[2])
{
	uint64_t a = UINT64_C(0xcbf29ce484222325), b = UINT64_C(0x84222325cbf29ce4);
	const unsigned char *p = (const unsigned char *)c->key;

	for (; *p != '\0'; p++) {
		a = (a ^ *p) * UINT64_C(0x100000001b3);
		b = (b ^ *p) * UINT64_C(0x100000001b3) + 7;
	}
	fp[0] = mix(a ^ c->w.period);
	fp[1] = mix(b + ((uint64_t)c->w.period << 32)) | 1;	/* never {0,0} */
}

/* The slot of fp in sh, or the empty slot where it would go. */
static struct slot *
probe(const struct shard *sh, const uint64_t fp[2])
{
	size_t i;

	for (i = fp[0] & (sh->cap - 1);; i = (i + 1) & (sh->cap - 1))
		if ((sh->slots[i].fp[0] == fp[0] && sh->slots[i].fp[1] == fp[1]) ||
		    sh->slots[i].fp[1] == 0)
			return &sh->slots[i];
}

static bool
live(const struct slot *s, int64_t now)
{
	return s->fp[1] != 0 && s->ends > now;
}

/* Rebuilds sh at cap slots with its live cells; false when out of
 * memory (sh is then as it was). */
static bool
rebuild(struct shard *sh, size_t cap, int64_t now)
{
	struct shard n = { .cap = cap };
	size_t i;

	if ((n.slots = calloc(cap, sizeof(*n.slots))) == NULL)
		return false;
	for (i = 0; i < sh->cap; i++)
		if (live(&sh->slots[i], now)) {
			*probe(&n, sh->slots[i].fp) = sh->slots[i];
			n.used++;
		}
	free(sh->slots);
	sh->slots = n.slots;
	sh->cap = cap;
	sh->used = n.used;
	return true;
}

/* Drops the live cell that ends first (the one nearest to empty). */
static void
drop_nearest(struct shard *sh, int64_t now)
{
	size_t i, best = sh->cap;

	for (i = 0; i < sh->cap; i++)
		if (live(&sh->slots[i], now) && (best == sh->cap ||
		    sh->slots[i].ends < sh->slots[best].ends))
			best = i;
	if (best < sh->cap) {
		sh->slots[best].ends = now;	/* dead: gone at the rebuild */
		(void)rebuild(sh, sh->cap, now);
	}
}

/* The slot for fp, made when absent; NULL when out of memory. */
static struct slot *
slot_for(struct ratemem *m, struct shard *sh, const uint64_t fp[2],
    int64_t now)
{
	struct slot *s;

	if (sh->cap != 0 && (s = probe(sh, fp))->fp[1] != 0)
		return s;
	if ((sh->used + 1) * 2 > sh->cap) {
		if (sh->cap != 0)
			(void)rebuild(sh, sh->cap, now);
		if (sh->used >= m->max_per_shard)
			drop_nearest(sh, now);
		if ((sh->used + 1) * 2 > sh->cap &&
		    !rebuild(sh, sh->cap == 0 ? 16 : sh->cap * 2, now))
			return NULL;
	}
	s = probe(sh, fp);
	memset(s, 0, sizeof(*s));
	s->fp[0] = fp[0];
	s->fp[1] = fp[1];
	s->ends = now + 1;	/* live through this call: a rebuild for
				 * another cell of the call keeps it */
	sh->used++;
	return s;
}

/* The cells' shards, locked in address order (each once). */
struct locked {
	struct shard	*sh[RATE_CALL_MAX];
	size_t		n;
};

static int
by_address(const void *a, const void *b)
{
	const struct shard *x = *(struct shard *const *)a;
	const struct shard *y = *(struct shard *const *)b;

	return (x > y) - (x < y);
}

static void
lock_all(struct ratemem *m, uint64_t (*fps)[2], size_t n, struct locked *l)
{
	size_t i, j;

	l->n = 0;
	for (i = 0; i < n; i++) {
		struct shard *sh = &m->shards[fps[i][1] % SHARDS];

		for (j = 0; j < l->n && l->sh[j] != sh; j++)
			;
		if (j == l->n)
			l->sh[l->n++] = sh;
	}
	qsort(l->sh, l->n, sizeof(l->sh[0]), by_address);
	for (i = 0; i < l->n; i++)
		pthread_mutex_lock(&l->sh[i]->lock);
}

static void
unlock_all(struct locked *l)
{
	size_t i;

	for (i = l->n; i > 0; i--)
		pthread_mutex_unlock(&l->sh[i - 1]->lock);
}

#define CELLS_MAX	RATE_CALL_MAX

static void
mem_take(struct rate_store *st, const struct rate_cell *cells, size_t n,
    struct rate_result *r)
{
	struct ratemem *m = (struct ratemem *)st;
	uint64_t fps[CELLS_MAX][2];
	struct slot *slots[CELLS_MAX];
	int64_t now = m->now(), retry;
	struct locked l;
	size_t i;

	memset(r, 0, sizeof(*r));
	if (n > CELLS_MAX) {
		r->answer = RATE_DOWN;
		return;
	}
	for (i = 0; i < n; i++)
		fingerprint(&cells[i], fps[i]);
	lock_all(m, fps, n, &l);
	for (i = 0; i < n; i++) {
		struct shard *sh = &m->shards[fps[i][1] % SHARDS];

		if ((slots[i] = slot_for(m, sh, fps[i], now)) == NULL) {
			r->answer = RATE_DOWN;		/* out of memory */
			goto out;
		}
	}
	/* A growth may have moved earlier slots: find them again. */
	for (i = 0; i < n; i++)
		slots[i] = probe(&m->shards[fps[i][1] % SHARDS], fps[i]);
	for (i = 0; i < n; i++) {
		r->held |= slots[i]->hold > now;
		if (!limit_take(&slots[i]->tat, &cells[i].w, now, cells[i].cost,
		    false, &retry)) {
			r->answer = RATE_OVER;
			r->which = i;
			r->first = !slots[i]->tripped;
			r->used = limit_used(slots[i]->tat, &cells[i].w, now);
			r->retry = retry;
			slots[i]->tripped = 1;
			goto out;
		}
	}
	for (i = 0; i < n; i++) {
		(void)limit_take(&slots[i]->tat, &cells[i].w, now, cells[i].cost,
		    true, NULL);
		slots[i]->tripped = 0;
		slots[i]->ends = slots[i]->tat > slots[i]->hold ?
		    slots[i]->tat : slots[i]->hold;
	}
	r->answer = RATE_OK;
out:
	unlock_all(&l);
}

/* Calls fn on the slot of each cell that has one, under the locks. */
static void
each_slot(struct ratemem *m, const struct rate_cell *cells, size_t n,
    void (*fn)(struct slot *, const struct rate_cell *, int64_t, void *),
    void *arg)
{
	uint64_t fps[CELLS_MAX][2];
	int64_t now = m->now();
	struct locked l;
	struct slot *s;
	size_t i;

	if (n > CELLS_MAX)
		n = CELLS_MAX;
	for (i = 0; i < n; i++)
		fingerprint(&cells[i], fps[i]);
	lock_all(m, fps, n, &l);
	for (i = 0; i < n; i++) {
		struct shard *sh = &m->shards[fps[i][1] % SHARDS];

		if (sh->cap != 0 && (s = probe(sh, fps[i]))->fp[1] != 0)
			fn(s, &cells[i], now, arg);
	}
	unlock_all(&l);
}

static void
give_one(struct slot *s, const struct rate_cell *c, int64_t now, void *arg)
{
	(void)now;
	(void)arg;
	limit_give_back(&s->tat, &c->w, c->cost);
	s->ends = s->tat > s->hold ? s->tat : s->hold;
}

static void
mem_give_back(struct rate_store *st, const struct rate_cell *cells, size_t n)
{
	each_slot((struct ratemem *)st, cells, n, give_one, NULL);
}

static void
mem_hold(struct rate_store *st, const struct rate_cell *cell)
{
	struct ratemem *m = (struct ratemem *)st;
	uint64_t fp[1][2];
	int64_t now = m->now();
	struct locked l;
	struct slot *s;

	fingerprint(cell, fp[0]);
	lock_all(m, fp, 1, &l);
	s = slot_for(m, &m->shards[fp[0][1] % SHARDS], fp[0], now);
	if (s != NULL) {
		s->hold = now + (int64_t)cell->w.period * US;
		s->ends = s->tat > s->hold ? s->tat : s->hold;
	}
	unlock_all(&l);
}

/* Every window of the key, one line each, in the cells' order (a window
 * with no state: 0 used), as the Redis store writes them. */
static bool
mem_show(struct rate_store *st, const struct rate_cell *cells, size_t n,
    FILE *out)
{
	struct ratemem *m = (struct ratemem *)st;
	uint64_t fp[1][2];
	int64_t now = m->now();
	struct locked l;
	const struct slot *s;
	char w[32];
	size_t i;
	uint32_t used;
	bool held, refusing;

	for (i = 0; i < n; i++) {
		struct shard *sh;

		fingerprint(&cells[i], fp[0]);
		sh = &m->shards[fp[0][1] % SHARDS];
		lock_all(m, fp, 1, &l);
		s = sh->cap != 0 ? probe(sh, fp[0]) : NULL;
		if (s != NULL && s->fp[1] == 0)
			s = NULL;
		used = s != NULL ? limit_used(s->tat, &cells[i].w, now) : 0;
		held = s != NULL && s->hold > now;
		refusing = s != NULL && s->tripped;
		unlock_all(&l);
		fprintf(out, "%s %s: %u used, %s%s\n", cells[i].key,
		    limit_format(&cells[i].w, w, sizeof(w)), used,
		    held ? "held" : "not held", refusing ? ", refusing" : "");
	}
	return true;
}

static void
reset_one(struct slot *s, const struct rate_cell *c, int64_t now, void *arg)
{
	(void)c;
	(void)arg;
	s->tat = s->hold = 0;
	s->tripped = 0;
	s->ends = now;		/* empty: dropped at the next rebuild */
}

static bool
mem_reset(struct rate_store *st, const struct rate_cell *cells, size_t n)
{
	each_slot((struct ratemem *)st, cells, n, reset_one, NULL);
	return true;
}

static void
mem_free(struct rate_store *st)
{
	struct ratemem *m = (struct ratemem *)st;
	size_t i;

	for (i = 0; i < SHARDS; i++) {
		pthread_mutex_destroy(&m->shards[i].lock);
		free(m->shards[i].slots);
	}
	free(m);
}

static const struct rate_store_ops mem_ops = {
	mem_take, mem_give_back, mem_hold, mem_show, mem_reset, mem_free
};

struct rate_store *
ratemem_new(size_t max_keys)
{
	struct ratemem *m = calloc(1, sizeof(*m));
	size_t i;

	if (m == NULL)
		return NULL;
	m->pub.ops = &mem_ops;
	m->pub.name = "embedded";
	m->max_per_shard = max_keys / SHARDS > 0 ? max_keys / SHARDS : 1;
	m->now = mono_now;
	for (i = 0; i < SHARDS; i++)
		pthread_mutex_init(&m->shards[i].lock, NULL);
	return &m->pub;
}

void
ratemem_set_clock(struct rate_store *s, int64_t (*now)(void))
{
	((struct ratemem *)s)->now = now != NULL ? now : mono_now;
}

size_t
ratemem_count(const struct rate_store *s, size_t *bytes)
{
	struct ratemem *m = (struct ratemem *)s;
	size_t i, n = 0, b = sizeof(*m);

	for (i = 0; i < SHARDS; i++) {
		pthread_mutex_lock(&m->shards[i].lock);
		n += m->shards[i].used;
		b += m->shards[i].cap * sizeof(struct slot);
		pthread_mutex_unlock(&m->shards[i].lock);
	}
	if (bytes != NULL)
		*bytes = b;
	return n;
}
