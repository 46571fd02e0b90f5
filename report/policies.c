/*
 * policies - digests and their times in force. See policies.h.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "policies.h"

struct event {
	time_t	t;
	uint32_t seq;		/* keeps the order of lines of one second */
	int	row;		/* -1: a stop */
};

struct policies {
	struct policy_row row[POLICIES_MAX];
	size_t	n;
	struct event *ev;
	size_t	nev, alloc;
	uint64_t more, dropped;
	int	last_row;	/* decisions come in runs of one digest */
};

struct policies *
policies_new(void)
{
	struct policies *p = calloc(1, sizeof(*p));

	if (p != NULL)
		p->last_row = -1;
	return p;
}

void
policies_free(struct policies *p)
{
	if (p == NULL)
		return;
	free(p->ev);
	free(p);
}

/* The row of a digest (its first 12 digits decide), added if new; -1 when
 * the table is full. */
static int
row_of(struct policies *p, const char *digest, size_t n)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (memcmp(p->row[i].digest, digest, 12) == 0) {
			if (n == 64 && p->row[i].digest[12] == '\0')
				memcpy(p->row[i].digest, digest, 64);
			return (int)i;
		}
	if (p->n == POLICIES_MAX)
		return -1;
	memset(&p->row[p->n], 0, sizeof(p->row[p->n]));
	memcpy(p->row[p->n].digest, digest, n);
	p->row[p->n].from = p->row[p->n].to = (time_t)-1;
	return (int)p->n++;
}

void
policies_event(struct policies *p, time_t t, enum policy_event e,
    const char *digest, const char *mode, size_t mode_len)
{
	int r = -1;

	if (e != POLICY_STOP) {
		if ((r = row_of(p, digest, 64)) < 0) {
			p->more++;
			return;
		}
		if (e == POLICY_START)
			p->row[r].starts++;
		else
			p->row[r].reloads++;
		if (mode != NULL && mode_len < sizeof(p->row[r].mode)) {
			memcpy(p->row[r].mode, mode, mode_len);
			p->row[r].mode[mode_len] = '\0';
		}
	}
	if (p->nev == POLICIES_EVENTS) {
		p->dropped++;
		return;
	}
	if (p->nev == p->alloc) {
		size_t a = p->alloc == 0 ? 64 : p->alloc * 2;
		struct event *ev = realloc(p->ev, a * sizeof(*ev));

		if (ev == NULL) {
			p->dropped++;
			return;
		}
		p->ev = ev;
		p->alloc = a;
	}
	p->ev[p->nev] = (struct event){ t, (uint32_t)p->nev, r };
	p->nev++;
}

void
policies_decision(struct policies *p, time_t t, const char *short12)
{
	struct policy_row *w;
	int r = p->last_row;

	if (r < 0 || memcmp(p->row[r].digest, short12, 12) != 0) {
		if ((r = row_of(p, short12, 12)) < 0) {
			p->more++;
			return;
		}
		p->last_row = r;
	}
	w = &p->row[r];
	if (w->decisions == 0 || t < w->first_decision)
		w->first_decision = t;
	if (w->decisions == 0 || t > w->last_decision)
		w->last_decision = t;
	w->decisions++;
}

static int
by_time(const void *a, const void *b)
{
	const struct event *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void
span(struct policy_row *w, time_t from, time_t to)
{
	if (to < from)
		return;
	w->seconds += to - from;
	w->spans++;
	if (w->from == (time_t)-1 || from < w->from)
		w->from = from;
	if (w->to == (time_t)-1 || to > w->to)
		w->to = to;
}

/* Rows in the order they came into force; never in force: by their first
 * decision, after those. */
static int
by_from(const void *a, const void *b)
{
	const struct policy_row *x = a, *y = b;
	time_t fx = x->from != (time_t)-1 ? x->from : x->first_decision;
	time_t fy = y->from != (time_t)-1 ? y->from : y->first_decision;
	bool kx = x->from != (time_t)-1, ky = y->from != (time_t)-1;

	if (kx != ky)
		return kx ? -1 : 1;
	if (fx != fy)
		return fx < fy ? -1 : 1;
	return strcmp(x->digest, y->digest);
}

const struct policy_row *
policies_rows(struct policies *p, time_t last, size_t *n)
{
	size_t i;
	int cur = -1;
	time_t since = 0;

	if (p->nev > 0)		/* qsort(NULL, 0, ...) is undefined */
		qsort(p->ev, p->nev, sizeof(*p->ev), by_time);
	for (i = 0; i < p->nev; i++) {
		if (cur >= 0)
			span(&p->row[cur], since, p->ev[i].t);
		cur = p->ev[i].row;
		since = p->ev[i].t;
	}
	if (cur >= 0)
		span(&p->row[cur], since, last > since ? last : since);
	p->nev = 0;	/* a second call adds nothing twice */
	if (p->n > 0)
		qsort(p->row, p->n, sizeof(p->row[0]), by_from);
	p->last_row = -1;
	*n = p->n;
	return p->row;
}

uint64_t
policies_more(const struct policies *p)
{
	return p->more;
}

uint64_t
policies_events_dropped(const struct policies *p)
{
	return p->dropped;
}
