/*
 * timefmt - times in the report. See timefmt.h.
 */
#include <stdio.h>
#include <stdlib.h>

#include "timefmt.h"

const char *
timefmt(char *buf, time_t t, enum timefmt f)
{
	struct tm tm;
	long off;
	size_t n;

	if (localtime_r(&t, &tm) == NULL) {
		snprintf(buf, TIMEFMT_LEN, "?");
		return buf;
	}
	switch (f) {
	case TIMEFMT_TEXT:
		strftime(buf, TIMEFMT_LEN, "%Y-%m-%d %H:%M:%S", &tm);
		break;
	case TIMEFMT_ISO:
		off = labs(tm.tm_gmtoff / 60) % (24 * 60);
		n = strftime(buf, TIMEFMT_LEN, "%Y-%m-%dT%H:%M:%S", &tm);
		snprintf(buf + n, TIMEFMT_LEN - n, "%c%02d:%02d",
		    tm.tm_gmtoff < 0 ? '-' : '+', (int)(off / 60), (int)(off % 60));
		break;
	case TIMEFMT_HOUR:
		strftime(buf, TIMEFMT_LEN, "%Y-%m-%d %H:%M", &tm);
		break;
	case TIMEFMT_DAY:
		strftime(buf, TIMEFMT_LEN, "%Y-%m-%d", &tm);
		break;
	case TIMEFMT_ZONE:
		off = labs(tm.tm_gmtoff / 60) % (24 * 60);
		n = strftime(buf, TIMEFMT_LEN - 8, "%Z", &tm);
		snprintf(buf + n, TIMEFMT_LEN - n, "%c%02d:%02d",
		    tm.tm_gmtoff < 0 ? '-' : '+', (int)(off / 60), (int)(off % 60));
		break;
	}
	return buf;
}

long
timefmt_day(time_t t)
{
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL)
		return 0;
	return (tm.tm_year + 1900L) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}
