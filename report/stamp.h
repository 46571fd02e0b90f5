/*
 * stamp - the time stamp that starts a syslog line, in the two forms
 * relaywarden's lines are found in:
 *
 *   classic   "Nov 22 08:53:16" (also "Nov  2"): what syslog(3) sends and
 *             rsyslog's traditional format and journalctl's "short" write;
 *             no year and no zone: the time is local time, the year is
 *             given or guessed (stamp_time());
 *   ISO 8601  "2026-11-22T08:53:16+01:00", with or without a fraction of
 *             a second, a zone written Z, +hh:mm or +hhmm, or none (local
 *             time): journalctl -o short-iso and short-iso-precise, and
 *             rsyslog's RSYSLOG_FileFormat (Debian 12's default).
 *
 * stamp_parse() is pure (no clock, no time zone, no allocation).
 * stamp_time() reads the local time zone (mktime(3)) and remembers one
 * hour in the caller's cache, so that it costs a few additions a line;
 * one cache per thread.
 */
#ifndef RW_REPORT_STAMP_H
#define RW_REPORT_STAMP_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct stamp {
	int	year;		/* 0: a classic stamp, which has none */
	int	mon;		/* 1..12 */
	int	mday;		/* 1..31 (checked against the month later) */
	int	hour, min, sec;	/* 0..23, 0..59, 0..60 (a leap second) */
	bool	zoned;		/* ISO with a zone: off_min applies */
	int	off_min;	/* the zone's offset east of UTC, in minutes */
};

/*
 * Reads a stamp at the start of s (len bytes) followed by a space. Returns
 * the length of the stamp and its space, or 0 when s does not start with
 * one.
 */
size_t	stamp_parse(const char *s, size_t len, struct stamp *st);

/* How stamp_time() dates a classic stamp: in year when year != 0; else in
 * the year of now, or the year before when that would put the stamp more
 * than a day after now (a log of December read in January). */
struct stamp_year {
	int	year;		/* given (-y), or 0 */
	time_t	now;
	int	now_year;	/* the local year of now */
};

/* Fills y: year given (0: none) and now. */
void	stamp_year_init(struct stamp_year *y, int year, time_t now);

/* The last hour stamp_time() worked out; zero it before the first call. */
struct stamp_cache {
	bool	valid;
	int	year, mon, mday, hour;	/* as written: year 0 for classic */
	time_t	base;			/* the time of hh:00:00 */
};

/* The time of st, or (time_t)-1 when no such time exists (30 February, a
 * zone over 18 hours). */
time_t	stamp_time(const struct stamp *st, const struct stamp_year *y,
	    struct stamp_cache *c);

/* The days from 1970-01-01 to year-mon-mday (proleptic Gregorian). */
long	stamp_days(int year, int mon, int mday);

#endif
