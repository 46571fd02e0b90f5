/*
 * strmap - a hash table from strings to a few bytes each, for the large
 * lists: the local domains (domset) and the sender owner map (sender).
 *
 * Keys live back to back in one growing arena, each NUL-terminated and
 * followed by its payload (bytes the caller gives). The table (hashtab.h)
 * holds (32-bit hash, arena offset) pairs, 8 bytes a slot. Offset 0 is a
 * dummy byte, so offset 0 marks an empty slot. A million entries take a
 * few tens of bytes each, not a malloc'd string and a pointer apiece.
 * Most lookups miss; the table's bitmap answers most misses from memory
 * that stays in cache, and a hit is always confirmed by comparing keys.
 *
 * Ownership: a zeroed struct strmap is an empty map; strmap_free() frees
 * what it holds. Threads: strmap_add() needs exclusive access; once
 * built, any number of threads may call strmap_find() at once.
 */
#ifndef RW_STRMAP_H
#define RW_STRMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "hashtab.h"

struct strmap {
	char		*arena;
	size_t		alen, acap;
	struct hashtab	tab;		/* of (hash, offset) slots */
};

enum strmap_added {
	STRMAP_ADDED,
	STRMAP_DUPLICATE,	/* the key was there: the first one stays */
	STRMAP_NOMEM,
	STRMAP_TOOBIG,		/* over 4 GB of keys and payloads */
};

/* Adds key (len bytes, no NUL inside) with plen bytes of payload. On
 * any answer but STRMAP_ADDED the map is as it was. */
enum strmap_added strmap_add(struct strmap *m, const char *key, size_t len,
	    const void *payload, size_t plen);

/* The payload of key (len bytes), or NULL when it is not in the map. */
const void *strmap_find(const struct strmap *m, const char *key, size_t len);

void	strmap_free(struct strmap *m);

#endif
