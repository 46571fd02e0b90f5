/*
 * view - the order of the report's rows. See view.h.
 */
#include <stdlib.h>
#include <string.h>

#include "timefmt.h"
#include "view.h"

/* The decisions in the order people read them. */
static const char *const known[] = { "accept", "reject", "tempfail", "hold",
    "would_reject", "would_tempfail", "would_hold", NULL };

static int
rank(const char *w)
{
	int i;

	for (i = 0; known[i] != NULL; i++)
		if (strcmp(w, known[i]) == 0)
			return i;
	return 100;
}

static const struct names *sort_names;
static const uint64_t *sort_totals;

static int
by_decision(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int rx, ry;

	if (x == NAMES_OTHER || y == NAMES_OTHER)
		return (x == NAMES_OTHER) - (y == NAMES_OTHER);
	rx = rank(sort_names->name[x]);
	ry = rank(sort_names->name[y]);
	if (rx != ry)
		return rx - ry;
	return strcmp(sort_names->name[x], sort_names->name[y]);
}

/* Most first, then by name; "(other)" last. */
static int
by_total(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	if (x == NAMES_OTHER || y == NAMES_OTHER)
		return (x == NAMES_OTHER) - (y == NAMES_OTHER);
	if (sort_totals[x] != sort_totals[y])
		return sort_totals[x] > sort_totals[y] ? -1 : 1;
	return strcmp(sort_names->name[x], sort_names->name[y]);
}

static int
by_name(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	if (x == NAMES_OTHER || y == NAMES_OTHER)
		return (x == NAMES_OTHER) - (y == NAMES_OTHER);
	return strcmp(sort_names->name[x], sort_names->name[y]);
}

size_t
view_reasons_of(const struct tally *t, size_t d, size_t r[NAMES_MAX])
{
	static uint64_t tot[NAMES_MAX];
	size_t i, n = 0;

	for (i = 0; i < t->reasons.n; i++) {
		tot[i] = t->by_pair[d][i];
		if (tot[i] > 0)
			r[n++] = i;
	}
	sort_names = &t->reasons;	/* qsort has no argument; one thread */
	sort_totals = tot;
	qsort(r, n, sizeof(*r), by_total);
	return n;
}

bool
view_make(struct view *v, const struct tally *t, bool daily)
{
	size_t d, r, l, rows = v->top_rows, in = v->inputs;
	size_t failed = v->inputs_failed;
	uint64_t guesses = v->guesses;

	memset(v, 0, sizeof(*v));
	v->top_rows = rows;
	v->guesses = guesses;
	v->inputs = in;
	v->inputs_failed = failed;
	v->daily = daily;
	for (d = 0; d < t->decisions.n; d++)
		for (r = 0; r < t->reasons.n; r++) {
			v->dec_total[d] += t->by_pair[d][r];
			v->reason_total[r] += t->by_pair[d][r];
			if (strncmp(t->decisions.name[d], "would_", 6) == 0)
				v->would += t->by_pair[d][r];
		}
	for (r = 0; r < t->reasons.n; r++) {
		v->would_reject += t->would[r][0];
		v->would_tempfail += t->would[r][1];
	}
	for (d = 0; d < t->decisions.n; d++) {
		if (v->dec_total[d] == 0)
			continue;
		v->dec[v->ndec++] = d;
		if (tally_refusal(t, d))
			v->refusals += v->dec_total[d];
		if (strcmp(t->decisions.name[d], "hold") == 0)
			v->held += v->dec_total[d];
	}
	sort_names = &t->decisions;
	qsort(v->dec, v->ndec, sizeof(v->dec[0]), by_decision);
	for (r = 0; r < t->reasons.n; r++)
		if (v->reason_total[r] > 0)
			v->reason[v->nreason++] = r;
	sort_names = &t->reasons;
	sort_totals = v->reason_total;
	qsort(v->reason, v->nreason, sizeof(v->reason[0]), by_total);
	for (l = 0; l < t->listeners.n; l++) {
		for (d = 0; d < t->decisions.n; d++)
			v->lis_total[l] += t->by_listener[l][d];
		if (v->lis_total[l] > 0)
			v->lis[v->nlis++] = l;
	}
	sort_names = &t->listeners;
	qsort(v->lis, v->nlis, sizeof(v->lis[0]), by_name);
	v->hours = periods_sorted(t->periods, &v->nhours);
	return v->nhours == 0 || v->hours != NULL;
}

void
view_free(struct view *v)
{
	free(v->hours);
	v->hours = NULL;
}

static void
add_hour(const struct tally *t, size_t h, struct view_period *p)
{
	const uint32_t *c = periods_counts(t->periods, h);
	size_t s;

	for (s = 0; s < t->npairs; s++) {
		if (c[s] == 0)
			continue;
		p->total += c[s];
		if (s == 0) {	/* "(other)": series ran out */
			p->by_dec[NAMES_OTHER] += c[s];
			p->by_reason[NAMES_OTHER] += c[s];
		} else {
			p->by_dec[t->pair_dec[s]] += c[s];
			p->by_reason[t->pair_reason[s]] += c[s];
		}
	}
}

bool
view_period(const struct view *v, const struct tally *t, size_t *i,
    struct view_period *p)
{
	long day;

	if (*i >= v->nhours)
		return false;
	memset(p, 0, sizeof(*p));
	p->start = (time_t)periods_hour(t->periods, v->hours[*i]) * 3600;
	day = timefmt_day(p->start);
	do {
		add_hour(t, v->hours[*i], p);
		(*i)++;
	} while (v->daily && *i < v->nhours && timefmt_day((time_t)periods_hour(
	    t->periods, v->hours[*i]) * 3600) == day);
	return true;
}

uint64_t
view_reason_total(const struct view *v, const struct tally *t,
    const char *name)
{
	size_t r = names_find(&t->reasons, name);

	return r == (size_t)-1 ? 0 : v->reason_total[r];
}

void
view_refusals_of(const struct tally *t, size_t r, uint64_t *enforced,
    uint64_t *would)
{
	size_t d;

	*enforced = *would = 0;
	for (d = 0; d < t->decisions.n; d++) {
		if (!tally_refusal(t, d))
			continue;
		if (strncmp(t->decisions.name[d], "would_", 6) == 0)
			*would += t->by_pair[d][r];
		else
			*enforced += t->by_pair[d][r];
	}
}
