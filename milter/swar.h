/*
 * swar - eight bytes at a time, for the scans that look at every byte of
 * a client's value and find nothing in almost all of them (addr's
 * address scans, log's escaper). The tests are the classic ones ("Bit
 * Twiddling Hacks": haszero, hasless); each is exact as a yes/no answer,
 * because a borrow only starts at a byte that is itself a hit.
 * tests/check_addr.c and tests/check_log.c put every byte value at every
 * offset.
 *
 * Header only: these run for every byte. No state, any thread.
 */
#ifndef RW_SWAR_H
#define RW_SWAR_H

#include <stdint.h>
#include <string.h>

#define SWAR_ONES	UINT64_C(0x0101010101010101)
#define SWAR_HIGHS	UINT64_C(0x8080808080808080)

/* The 8 bytes at p (no alignment needed). */
static inline uint64_t
swar_load8(const void *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
	return w;
}

/* Non-zero when a byte of w equals c. */
static inline uint64_t
swar_has_byte(uint64_t w, unsigned char c)
{
	w ^= SWAR_ONES * c;
	return (w - SWAR_ONES) & ~w & SWAR_HIGHS;
}

/* Non-zero when a byte of w is below n (n <= 128). */
static inline uint64_t
swar_has_less(uint64_t w, unsigned char n)
{
	return (w - SWAR_ONES * n) & ~w & SWAR_HIGHS;
}

#endif
