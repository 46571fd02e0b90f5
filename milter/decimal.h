/*
 * decimal - an unsigned number in decimal, without printf: on the paths
 * that run per recipient (the log line's counts, a Redis call's
 * arguments), where snprintf() cost more than the rest of the work
 * (callgrind, sessions 9 and 11).
 */
#ifndef RW_DECIMAL_H
#define RW_DECIMAL_H

#include <stddef.h>

/* The longest: 18446744073709551615. */
#define DECIMAL_MAX	20

/* v in decimal at out (DECIMAL_MAX bytes or more; no NUL written);
 * returns its length. */
static inline size_t
decimal(char *out, unsigned long long v)
{
	char d[DECIMAL_MAX];
	size_t n = 0, i;

	do
		d[n++] = (char)('0' + v % 10);
	while ((v /= 10) > 0);
	for (i = 0; i < n; i++)
		out[i] = d[n - 1 - i];
	return n;
}

#endif
