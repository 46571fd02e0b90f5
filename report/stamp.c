/*
 * stamp - syslog time stamps. See stamp.h.
 */
#include <string.h>

#include "stamp.h"

static bool
digits(const char *s, size_t n, int *v)
{
	int x = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		x = x * 10 + (s[i] - '0');
	}
	*v = x;
	return true;
}

/* "hh:mm:ss" at s (8 bytes). */
static bool
clock_part(const char *s, struct stamp *st)
{
	return s[2] == ':' && s[5] == ':' && digits(s, 2, &st->hour) &&
	    digits(s + 3, 2, &st->min) && digits(s + 6, 2, &st->sec) &&
	    st->hour <= 23 && st->min <= 59 && st->sec <= 60;
}

/* "Mmm dd hh:mm:ss " */
static size_t
classic(const char *s, size_t len, struct stamp *st)
{
	/* The months' names as numbers: no memcmp() call per month for
	 * every line (bench-report). */
#define M(a, b, c)	((unsigned)(a) << 16 | (unsigned)(b) << 8 | (unsigned)(c))
	static const unsigned months[12] = { M('J', 'a', 'n'), M('F', 'e', 'b'),
	    M('M', 'a', 'r'), M('A', 'p', 'r'), M('M', 'a', 'y'),
	    M('J', 'u', 'n'), M('J', 'u', 'l'), M('A', 'u', 'g'),
	    M('S', 'e', 'p'), M('O', 'c', 't'), M('N', 'o', 'v'),
	    M('D', 'e', 'c') };
	unsigned name;
	int m;

	if (len < 16 || s[3] != ' ' || s[6] != ' ' || s[15] != ' ')
		return 0;
	name = M((unsigned char)s[0], (unsigned char)s[1], (unsigned char)s[2]);
#undef M
	for (m = 0; m < 12; m++)
		if (months[m] == name)
			break;
	if (m == 12)
		return 0;
	if (s[4] == ' ') {
		if (!digits(s + 5, 1, &st->mday))
			return 0;
	} else if (!digits(s + 4, 2, &st->mday))
		return 0;
	if (st->mday < 1 || st->mday > 31 || !clock_part(s + 7, st))
		return 0;
	st->year = 0;
	st->mon = m + 1;
	st->zoned = false;
	st->off_min = 0;
	return 16;
}

/* "YYYY-MM-DDThh:mm:ss[.f...][Z|+hh:mm|+hhmm] " */
static size_t
iso(const char *s, size_t len, struct stamp *st)
{
	size_t i = 19;
	int hh, mm;

	if (len < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    !digits(s, 4, &st->year) || !digits(s + 5, 2, &st->mon) ||
	    !digits(s + 8, 2, &st->mday) || !clock_part(s + 11, st) ||
	    st->year < 1970 || st->mon < 1 || st->mon > 12 ||
	    st->mday < 1 || st->mday > 31)
		return 0;
	if (s[i] == '.') {
		size_t f = ++i;

		while (i < len && i - f < 9 && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == f)
			return 0;
	}
	st->zoned = false;
	st->off_min = 0;
	if (i < len && s[i] == 'Z') {
		st->zoned = true;
		i++;
	} else if (i < len && (s[i] == '+' || s[i] == '-')) {
		int sign = s[i] == '-' ? -1 : 1;

		if (len - i < 5 || !digits(s + i + 1, 2, &hh))
			return 0;
		if (s[i + 3] == ':')
			i++;
		if (len - i < 5 || !digits(s + i + 3, 2, &mm) || hh > 18 ||
		    mm > 59)
			return 0;
		i += 5;
		st->zoned = true;
		st->off_min = sign * (hh * 60 + mm);
	}
	if (i >= len || s[i] != ' ')
		return 0;
	return i + 1;
}

size_t
stamp_parse(const char *s, size_t len, struct stamp *st)
{
	if (len > 0 && s[0] >= '0' && s[0] <= '9')
		return iso(s, len, st);
	return classic(s, len, st);
}

/* Howard Hinnant's days_from_civil. */
long
stamp_days(int year, int mon, int mday)
{
	long y = year - (mon <= 2);
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (mon + (mon > 2 ? -3 : 9)) + 2) / 5 + mday - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

static int
month_days(int year, int mon)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return mon == 2 && leap ? 29 : days[mon - 1];
}

void
stamp_year_init(struct stamp_year *y, int year, time_t now)
{
	struct tm tm;

	y->year = year;
	y->now = now;
	y->now_year = localtime_r(&now, &tm) != NULL ? tm.tm_year + 1900 :
	    1970;
}

/* hh:00:00 of year-mon-mday, local time; -1 when it does not exist. */
static time_t
local_hour(int year, int mon, int mday, int hour)
{
	struct tm tm;

	if (mday > month_days(year, mon))
		return (time_t)-1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = mday;
	tm.tm_hour = hour;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

time_t
stamp_time(const struct stamp *st, const struct stamp_year *y,
    struct stamp_cache *c)
{
	time_t base;
	int year;

	if (st->zoned) {
		if (st->mday > month_days(st->year, st->mon))
			return (time_t)-1;
		return (time_t)stamp_days(st->year, st->mon, st->mday) * 86400 +
		    st->hour * 3600 + st->min * 60 + st->sec -
		    st->off_min * 60;
	}
	if (c->valid && c->year == st->year && c->mon == st->mon &&
	    c->mday == st->mday && c->hour == st->hour)
		base = c->base;
	else {
		year = st->year != 0 ? st->year : y->year != 0 ? y->year :
		    y->now_year;
		base = local_hour(year, st->mon, st->mday, st->hour);
		/* Guessed year: a stamp more than a day ahead is last year's. */
		if (st->year == 0 && y->year == 0 && base != (time_t)-1 &&
		    base > y->now + 86400)
			base = local_hour(year - 1, st->mon, st->mday, st->hour);
		if (base == (time_t)-1)
			return (time_t)-1;
		c->valid = true;
		c->year = st->year;
		c->mon = st->mon;
		c->mday = st->mday;
		c->hour = st->hour;
		c->base = base;
	}
	return base + st->min * 60 + st->sec;
}
