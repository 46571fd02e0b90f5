/*
 * view - the order in which every output shows a tally: decisions (accept,
 * reject, tempfail, hold, the would_* ones, then any other, by name),
 * reasons (most first), listeners (by name), and the periods (hours, or
 * days of the local time zone), so that text, JSON and the picture agree.
 *
 * view_make() reads the tally; view_free() frees the sorted hours.
 * One thread.
 */
#ifndef RW_REPORT_VIEW_H
#define RW_REPORT_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "names.h"
#include "tally.h"

struct view {
	/* What main.c tells every output. */
	size_t	top_rows;			/* -n */
	uint64_t guesses;			/* -g */
	size_t	inputs, inputs_failed;		/* not opened or read whole */
	size_t	dec[NAMES_MAX], ndec;		/* decisions with a count */
	uint64_t dec_total[NAMES_MAX];		/* by decision index */
	size_t	reason[NAMES_MAX], nreason;	/* reasons with a count */
	uint64_t reason_total[NAMES_MAX];	/* by reason index */
	size_t	lis[NAMES_MAX], nlis;		/* listeners with a count */
	uint64_t lis_total[NAMES_MAX];
	uint64_t refusals;			/* reject, tempfail, would_* */
	uint64_t would, would_reject, would_tempfail;
	uint64_t held;				/* decision=hold */
	bool	daily;				/* periods are days */
	size_t	*hours, nhours;			/* periods_sorted() */
};

/* One period: an hour, or a day of hours. */
struct view_period {
	time_t	start;				/* its first hour */
	uint64_t total;
	uint64_t by_dec[NAMES_MAX];
	uint64_t by_reason[NAMES_MAX];
};

/* False when out of memory. The fields main.c tells are left as they are. */
bool	view_make(struct view *v, const struct tally *t, bool daily);
void	view_free(struct view *v);

/* The decisions counted with reason name (0 when none). */
uint64_t view_reason_total(const struct view *v, const struct tally *t,
	    const char *name);

/* The refusals with reason r: enforced (reject, tempfail) and would-be
 * (decision=would_*, monitor mode). */
void	view_refusals_of(const struct tally *t, size_t r, uint64_t *enforced,
	    uint64_t *would);

/* The reasons of decision d with a count, most first, into r; returns how
 * many. */
size_t	view_reasons_of(const struct tally *t, size_t d, size_t r[NAMES_MAX]);

/* The period that starts at hour *i (of v->hours), to be called with *i
 * from 0 while it returns true; *i moves past it. */
bool	view_period(const struct view *v, const struct tally *t, size_t *i,
	    struct view_period *p);

#endif
