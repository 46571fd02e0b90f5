/*
 * timefmt - times as the report writes them, in the local time zone (TZ):
 * "2026-11-22 08:53:16" for people, "2026-11-22T08:53:16+01:00" (ISO 8601)
 * for JSON, and the date or hour a period starts.
 *
 * Caller-owned buffers of TIMEFMT_LEN bytes; any thread.
 */
#ifndef RW_REPORT_TIMEFMT_H
#define RW_REPORT_TIMEFMT_H

#include <time.h>

#define TIMEFMT_LEN	40

enum timefmt {
	TIMEFMT_TEXT,	/* 2026-11-22 08:53:16 */
	TIMEFMT_ISO,	/* 2026-11-22T08:53:16+01:00 */
	TIMEFMT_HOUR,	/* 2026-11-22 08:00 */
	TIMEFMT_DAY,	/* 2026-11-22 */
	TIMEFMT_ZONE	/* UTC+00:00, the zone's name and offset at t */
};

/* Returns buf. */
const char *timefmt(char *buf, time_t t, enum timefmt f);

/* The local date of t as one number, yyyymmdd: what groups hours in days. */
long	timefmt_day(time_t t);

#endif
