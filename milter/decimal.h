/*
 * decimal - an unsigned number in decimal, without printf: on the paths
 * that run per recipient (the log line's counts, a Redis call's
 * arguments), where snprintf() cost more than the rest of the work
 * (callgrind, sessions 9 and 11).
 */
#ifndef RW_DECIMAL_H
#define RW_DECIMAL_H

#include <stddef.h>
#include <string.h>

/* The longest: 18446744073709551615. */
#define DECIMAL_MAX	20

/* v in decimal, its last digit just before end (DECIMAL_MAX bytes
 * before end or more); returns its first digit. */
static inline char *
decimal_back(char *end, unsigned long long v)
{
	do
		*--end = (char)('0' + v % 10);
	while ((v /= 10) > 0);
	return end;
}

/* v in decimal at out (DECIMAL_MAX bytes or more; no NUL written);
 * returns its length. */
static inline size_t
decimal(char *out, unsigned long long v)
{
	char d[DECIMAL_MAX];
	const char *p = decimal_back(d + sizeof(d), v);
	size_t n = (size_t)(d + sizeof(d) - p);

	memcpy(out, p, n);
	return n;
}

#endif
