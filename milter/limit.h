/*
 * limit - rate limit windows ("100/1m, 1000/1h, 5000/1d") and the
 * generic cell rate algorithm (GCRA) that checks them.
 *
 * A window of COUNT per PERIOD is one timestamp, the theoretical arrival
 * time (TAT): each unit counted moves it T = PERIOD / COUNT later (from
 * now, when it is in the past), and a unit is refused when that would
 * put it more than COUNT x T ahead of now. So COUNT units pass at once
 * and the next is refused (no burst over COUNT), then one more passes
 * every T: no background process, one number per key and window. T is
 * whole microseconds (a window finer than one unit per microsecond is
 * refused), and the burst is COUNT x T exactly, so the boundary is exact
 * whatever the remainder of PERIOD / COUNT.
 *
 * Pure functions on caller-owned memory; any thread.
 */
#ifndef RW_LIMIT_H
#define RW_LIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LIMIT_WINDOWS_MAX	4
#define LIMIT_COUNT_MAX		2147483647u	/* 2^31 - 1 */
#define LIMIT_PERIOD_MAX	(366u * 86400u)	/* a year, in seconds */

struct limit_window {
	uint32_t	count;		/* units per period, >= 1 */
	uint32_t	period;		/* seconds, >= 1 */
};

struct limits {
	struct limit_window w[LIMIT_WINDOWS_MAX];
	size_t		n;		/* 0: no limit */
};

/*
 * Parses one window, "COUNT/PERIOD" where PERIOD is a number and a unit
 * (s, m, h, d; "1h", "90s", "7d") or a unit alone ("100/h"). Returns
 * NULL, or a static text saying what is wrong.
 */
const char *limit_parse(const char *s, struct limit_window *w);

/* "100/1m": the shortest form of a window (buf: at least 32 bytes). */
char	*limit_format(const struct limit_window *w, char *buf, size_t len);

/* T, the emission interval, in microseconds. */
int64_t	limit_interval(const struct limit_window *w);

/*
 * One GCRA step: whether cost more units fit at now (microseconds, any
 * clock that does not step back, the same for every call on this tat).
 * *tat is the window's state (0: never used); it is moved only when
 * they fit and apply is true. On a refusal, *retry (may be NULL) gets
 * the microseconds until they would fit.
 */
bool	limit_take(int64_t *tat, const struct limit_window *w, int64_t now,
	    uint32_t cost, bool apply, int64_t *retry);

/* Gives back cost units taken earlier (a reservation not kept). */
void	limit_give_back(int64_t *tat, const struct limit_window *w,
	    uint32_t cost);

/* Units used at now, as a count: how far the TAT is ahead, in T's,
 * rounded up (0..count). */
uint32_t limit_used(int64_t tat, const struct limit_window *w, int64_t now);

#endif
