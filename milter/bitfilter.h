/*
 * bitfilter - the bitmap in front of hashtab's table (domset, netset):
 * 2^BITFILTER_SHIFT bits per table slot, one bit set per key, chosen by
 * the top bits of the key's 64-bit hash (the table index comes from the
 * low bits). Most lookups that miss (remote domains, the parents probed
 * for wildcards, the prefix lengths a client is not in) are answered by
 * the filter, which stays in cache, and never touch the table.
 * It holds "ns per decision at 100k+100k <= 2x 10+10" (bench/scale, best
 * of three interleaved runs: 1.43x with it, 1.88x without, and 2.22x in
 * one round; issue 17, item 6).
 *
 * Header only: these run on every lookup.
 * Ownership: bitfilter_alloc()'s array belongs to the caller (free()).
 * Threads: a filter is written while its set is built, then only read.
 */
#ifndef RW_BITFILTER_H
#define RW_BITFILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#define BITFILTER_SHIFT	4	/* 16 bits per slot */

/* splitmix64's finaliser: every input bit reaches every output bit, so
 * both the table (low bits) and the filter (high bits) are well spread. */
static inline uint64_t
bitfilter_mix(uint64_t x)
{
	x ^= x >> 30;
	x *= UINT64_C(0xbf58476d1ce4e5b9);
	x ^= x >> 27;
	x *= UINT64_C(0x94d049bb133111eb);
	x ^= x >> 31;
	return x;
}

/* A zeroed filter for a table of cap slots (a power of two, at least 4),
 * and in *shift what bitfilter_set() and bitfilter_has() take; NULL when
 * memory ran out. */
static inline uint64_t *
bitfilter_alloc(size_t cap, unsigned *shift)
{
	unsigned lg = 0;

	while (((size_t)1 << lg) < cap)
		lg++;
	*shift = 64 - (lg + BITFILTER_SHIFT);
	return calloc(cap << BITFILTER_SHIFT >> 6, sizeof(uint64_t));
}

static inline void
bitfilter_set(uint64_t *filter, unsigned shift, uint64_t hash)
{
	uint64_t bit = hash >> shift;

	filter[bit / 64] |= UINT64_C(1) << (bit % 64);
}

static inline bool
bitfilter_has(const uint64_t *filter, unsigned shift, uint64_t hash)
{
	uint64_t bit = hash >> shift;

	return (filter[bit / 64] >> (bit % 64)) & 1;
}

#endif
