/*
 * topn - a bounded table of the most frequent keys (clients, logins,
 * senders, domains), by the Space-Saving algorithm (Metwally, Agrawal and
 * El Abbadi, 2005), so that memory stays bounded whatever the log holds.
 *
 * Until cap keys are held, every count is exact. At the cap, a new key
 * takes the place of a key with the smallest count m, and starts at m + 1
 * with an error of m: its count may be over by at most its error, never
 * under. Any key seen more than total / cap times is sure to be held, and
 * the order of the first rows is right whenever their counts minus their
 * errors stay above the next counts (topn_rows() hands out the error).
 *
 * Memory: the table owns copies of its keys; at most cap of them, with
 * about 40 bytes each besides. One thread.
 */
#ifndef RW_REPORT_TOPN_H
#define RW_REPORT_TOPN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct topn;

struct topn_row {
	const char *key;	/* the table's copy: valid until the next add */
	size_t	len;
	uint64_t count;
	uint64_t error;		/* count may be over by this much */
};

/* A table of at most cap (>= 1) keys, hashed under seed; NULL if out of
 * memory. */
struct topn *topn_new(size_t cap, const uint64_t seed[2]);
void	topn_free(struct topn *t);

/* Counts one more of key (len bytes). False when out of memory (the count
 * is then lost). */
bool	topn_add(struct topn *t, const char *key, size_t len);

/* The n keys with the highest counts into rows, by count, then key; returns
 * how many (at most n, at most the keys held; 0 when out of memory). */
size_t	topn_rows(const struct topn *t, struct topn_row *rows, size_t n);

/* The keys held, the counts added, the keys evicted at the cap. */
size_t	topn_size(const struct topn *t);
uint64_t topn_total(const struct topn *t);
uint64_t topn_evicted(const struct topn *t);
size_t	topn_cap(const struct topn *t);

#endif
