/*
 * stamp: syslog time stamps to times, in a zone with summer time, with
 * the year given, guessed (a December log read in January), or written;
 * days that do not exist.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stamp.h"
#include "testutil.h"

struct case_ {
	const char *name;
	const char *stamp;	/* followed by a space */
	int	year;		/* -y, or 0 */
	time_t	now;
	time_t	want;		/* -1: no such time */
};

/* In TZ=Europe/Paris as POSIX writes it: CET, CEST from the last Sunday
 * of March to the last of October. */
#define PARIS	"CET-1CEST,M3.5.0,M10.5.0/3"
#define NOW	1795305600	/* 2026-11-22 00:00:00 UTC */
#define JAN	1799193600	/* 2027-01-06 00:00:00 UTC */

static const struct case_ cases[] = {
	{ "classic, winter", "Nov 22 08:53:16 ", 2026, NOW, 1795333996 },
	{ "classic, summer", "Jul  1 12:00:00 ", 2026, NOW, 1782900000 },
	{ "classic, this year", "Nov 21 23:00:00 ", 0, NOW, 1795298400 },
	{ "classic, a day ahead is this year", "Nov 22 23:00:00 ", 0, NOW,
	    1795384800 },
	{ "classic, December read in January", "Dec 31 23:00:00 ", 0, JAN,
	    1798754400 },
	{ "classic, January read in January", "Jan  5 10:00:00 ", 0, JAN,
	    1799139600 },
	{ "classic, 29 February of a leap year", "Feb 29 00:00:00 ", 2028,
	    NOW, 1835391600 },
	{ "classic, 29 February otherwise", "Feb 29 00:00:00 ", 2026, NOW,
	    -1 },
	{ "classic, 31 April", "Apr 31 00:00:00 ", 2026, NOW, -1 },
	{ "iso, zone", "2026-11-22T08:53:16+01:00 ", 0, NOW, 1795333996 },
	{ "iso, zone without colon", "2026-11-22T08:53:16+0100 ", 0, NOW,
	    1795333996 },
	{ "iso, Z", "2026-11-22T07:53:16Z ", 0, NOW, 1795333996 },
	{ "iso, another zone", "2026-11-22T02:23:16-05:30 ", 0, NOW,
	    1795333996 },
	{ "iso, fraction", "2026-11-22T07:53:16.999999Z ", 0, NOW,
	    1795333996 },
	{ "iso, no zone: local", "2026-11-22T08:53:16 ", 0, NOW, 1795333996 },
	{ "iso, -y does not apply", "2027-11-22T07:53:16Z ", 2026, NOW,
	    1826869996 },
	{ "iso, 30 February", "2026-02-30T00:00:00Z ", 0, NOW, -1 },
};

START_TEST(test_time)
{
	const struct case_ *c = &cases[_i];
	char *tz = getenv("TZ") != NULL ? strdup(getenv("TZ")) : NULL;
	struct stamp st;
	struct stamp_year y;
	struct stamp_cache cache = { 0 };
	size_t n = strlen(c->stamp);
	time_t got, again;

	setenv("TZ", PARIS, 1);
	tzset();
	ck_assert_msg(stamp_parse(c->stamp, n, &st) == n, "%s: not read",
	    c->name);
	stamp_year_init(&y, c->year, c->now);
	got = stamp_time(&st, &y, &cache);
	again = stamp_time(&st, &y, &cache);	/* from the cache */
	if (tz != NULL)
		setenv("TZ", tz, 1);
	else
		unsetenv("TZ");
	tzset();
	free(tz);
	ck_assert_msg(got == c->want && again == c->want,
	    "%s: got %lld (again %lld), want %lld", c->name, (long long)got,
	    (long long)again, (long long)c->want);
}
END_TEST

START_TEST(test_days)
{
	ck_assert_int_eq(stamp_days(1970, 1, 1), 0);
	ck_assert_int_eq(stamp_days(2000, 3, 1), 11017);
	ck_assert_int_eq(stamp_days(2026, 11, 22), 20779);
}
END_TEST

Suite *
stamp_suite(void)
{
	Suite *s = suite_create("stamp");
	TCase *tc = tcase_create("stamp");

	tcase_add_loop_test(tc, test_time, 0, NCASES(cases));
	tcase_add_test(tc, test_days);
	suite_add_tcase(s, tc);
	return s;
}
