/*
 * rateredis - the rate limit store in Redis, for a fleet of relaywarden
 * servers sharing one count (ratelimit_store = redis:...). The interface
 * and its semantics are ratestore.h's; docs/ratelimit-redis.md says how
 * the counts are kept in Redis.
 *
 * Each cell is one Redis string, "relaywarden:v1:<cell key>:<period in
 * seconds>", which expires when the cell is empty again: Redis holds
 * nothing for idle keys. take() is one Lua script, one round trip: it
 * reads Redis's own clock (TIME), checks every cell with GCRA exactly as
 * limit.c computes it, and only if all fit takes them all, atomically.
 *
 * Failures: Redis down, slow, answering garbage, or a key of ours that
 * another program overwrote, each make a call answer RATE_DOWN (show and
 * reset answer false), within the timeout; never an accept the count
 * did not allow. They are logged once per change (redisconn.h).
 *
 * Threads: as ratestore.h (a pool of connections, redisconn.h).
 * Ownership: rate_store_free().
 */
#ifndef RW_RATEREDIS_H
#define RW_RATEREDIS_H

#include <stddef.h>

#include "ratestore.h"

/* The longest Redis key of a cell, NUL included. */
#define RATEREDIS_KEY_MAX	(sizeof("relaywarden:v1:") + RATE_KEY_MAX + 12)

/*
 * A store at spec, what follows "redis:" in ratelimit_store:
 * "unix:/run/redis/redis-server.sock" or "HOST:PORT" ("[::1]:6379" for
 * an IPv6 address); HOST, when a name, is resolved now, once. Every call
 * returns within timeout_ms. NULL, with the reason and its fix in err
 * (errlen bytes), when spec or timeout_ms is not valid. Redis is not
 * reached yet: a Redis down at start is a store that answers RATE_DOWN
 * until it is up, not a failed start.
 */
struct rate_store *rateredis_new(const char *spec, int timeout_ms, char *err,
	    size_t errlen);

/* The Redis key of cell c, into buf (RATEREDIS_KEY_MAX bytes); returns
 * its length. */
size_t	rateredis_key(const struct rate_cell *c, char *buf, size_t len);

/* Requests that waited for Redis's answer since rateredis_new() (a new
 * connection's SCRIPT LOAD counts as one). For benchmarks and tests. */
unsigned long rateredis_round_trips(const struct rate_store *s);

#endif
