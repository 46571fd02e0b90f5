/*
 * hash - SipHash-1-3 with a key of the caller's: the hash of the top-N
 * tables, whose keys (senders, recipient domains) come from clients. A
 * seeded hash keeps a log written to collide from turning each table
 * lookup into a walk of the whole table.
 *
 * Pure: no state, any thread.
 */
#ifndef RW_REPORT_HASH_H
#define RW_REPORT_HASH_H

#include <stddef.h>
#include <stdint.h>

/* The 64-bit hash of len bytes at p under the 128-bit key k. */
uint64_t hash_bytes(const uint64_t k[2], const void *p, size_t len);

/* A key from getrandom(2), or a fixed one when it fails (the tables stay
 * correct, only their defence against collisions goes). */
void	hash_seed(uint64_t k[2]);

#endif
