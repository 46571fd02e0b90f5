/*
 * limit - rate limit windows and GCRA. See limit.h.
 */
#include <stdio.h>
#include <string.h>

#include "limit.h"

#define US	INT64_C(1000000)

static const struct {
	char		unit;
	uint32_t	seconds;
} units[] = { { 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 } };

/* A decimal number of at most 10 digits at *s; false when none or too
 * big for 32 bits. */
static bool
number(const char **s, uint64_t *out)
{
	const char *p = *s;
	uint64_t v = 0;

	while (*p >= '0' && *p <= '9' && p - *s < 11)
		v = v * 10 + (uint64_t)(*p++ - '0');
	if (p == *s || (*p >= '0' && *p <= '9') || v > UINT32_MAX)
		return false;
	*s = p;
	*out = v;
	return true;
}

const char *
limit_parse(const char *s, struct limit_window *w)
{
	uint64_t count, n = 1;
	size_t i;

	if (!number(&s, &count) || *s++ != '/')
		return "write COUNT/PERIOD, e.g. 100/1m or 5000/1d";
	if (count == 0)
		return "a count of 0 lets nothing through: remove the limit "
		    "or give a count of 1 or more";
	if (count > LIMIT_COUNT_MAX)
		return "the count is over 2^31 - 1";
	if (*s >= '0' && *s <= '9' && !number(&s, &n))
		return "the period is too long";
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (s[0] == units[i].unit && s[1] == '\0')
			break;
	if (i == sizeof(units) / sizeof(units[0]))
		return "the period needs a unit: s, m, h or d (e.g. 1m, 1h)";
	if (n == 0)
		return "a period of 0 is no period";
	if (n * units[i].seconds > LIMIT_PERIOD_MAX)
		return "the period is over a year";
	w->count = (uint32_t)count;
	w->period = (uint32_t)(n * units[i].seconds);
	if (limit_interval(w) < 1)
		return "more than one per microsecond: use a longer period";
	return NULL;
}

char *
limit_format(const struct limit_window *w, char *buf, size_t len)
{
	size_t i = sizeof(units) / sizeof(units[0]);

	while (--i > 0 && w->period % units[i].seconds != 0)
		;
	snprintf(buf, len, "%u/%u%c", w->count, w->period / units[i].seconds,
	    units[i].unit);
	return buf;
}

int64_t
limit_interval(const struct limit_window *w)
{
	return (int64_t)w->period * US / w->count;
}

bool
limit_take(int64_t *tat, const struct limit_window *w, int64_t now,
    uint32_t cost, bool apply, int64_t *retry)
{
	int64_t t = limit_interval(w), burst = t * w->count;
	int64_t base = *tat > now ? *tat : now, next;

	if (cost > w->count) {		/* never fits; t * cost could overflow */
		if (retry != NULL)
			*retry = INT64_MAX;
		return false;
	}
	next = base + t * cost;
	if (next - now > burst) {
		if (retry != NULL)
			*retry = next - now - burst;
		return false;
	}
	if (apply)
		*tat = next;
	return true;
}

void
limit_give_back(int64_t *tat, const struct limit_window *w, uint32_t cost)
{
	*tat -= limit_interval(w) * cost;
}

uint32_t
limit_used(int64_t tat, const struct limit_window *w, int64_t now)
{
	int64_t t = limit_interval(w), ahead = tat - now;

	if (ahead <= 0)
		return 0;
	ahead = (ahead + t - 1) / t;
	return ahead > (int64_t)w->count ? w->count : (uint32_t)ahead;
}
