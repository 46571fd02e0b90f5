/*
 * periods - the decisions of each hour, by series (a series is one
 * decision and reason pair, numbered by tally.c), in a bounded table: at
 * most cap hours are held. A decision in an hour past the cap is not held
 * (periods_add() says so; tally.c counts it, and the report shows how many
 * decisions are in the totals but in no period).
 *
 * An hour is time / 3600: an hour of UTC, the same as the local hour in
 * every zone whose offset is whole hours.
 *
 * Memory: about 8 + 4 x PERIODS_SERIES bytes an hour held, grown as hours
 * come. One thread.
 */
#ifndef RW_REPORT_PERIODS_H
#define RW_REPORT_PERIODS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PERIODS_SERIES	64

struct periods;

struct periods *periods_new(size_t cap);
void	periods_free(struct periods *p);

/* One decision of series (< PERIODS_SERIES) in hour. False when the table
 * is full (or out of memory) and the hour is not held. */
bool	periods_add(struct periods *p, int64_t hour, unsigned series);

/* The hours held, in order: a new array of n indexes (free() it), NULL
 * when out of memory or none; then periods_hour() and periods_counts() of
 * each index. */
size_t	*periods_sorted(const struct periods *p, size_t *n);
int64_t	periods_hour(const struct periods *p, size_t i);
const uint32_t *periods_counts(const struct periods *p, size_t i);
size_t	periods_cap(const struct periods *p);

#endif
