/*
 * redisconn - one Redis server behind a pool of hiredis connections, for
 * the Redis rate limit store (rateredis.c). The only file besides
 * rateredis.c that includes hiredis.h.
 *
 * Where: "unix:/ABSOLUTE/PATH" or "HOST:PORT" (HOST a name, an IPv4
 * address or an IPv6 address in brackets). A name is resolved once, by
 * redisconn_new(), because hiredis 0.14 resolves without a time bound:
 * a call must never wait for DNS.
 *
 * Bounds: every call, connecting included, returns within timeout_ms;
 * its I/O is done here with poll(2) against one deadline (hiredis only
 * encodes the commands and parses the replies), so no byte-by-byte
 * answer can stretch it. A connection that fails (I/O, timeout, a reply
 * that is not RESP) is closed with every other idle one, and then no
 * call tries again for a second: meanwhile every call fails at once,
 * without a system call, and after it one call (one thread) tries.
 * A pooled connection found dead (Redis restarted) is replaced at once,
 * in the same call, by a new one.
 *
 * Scripts: each new connection loads the scripts given to redisconn_new()
 * with SCRIPT LOAD (one round trip) and keeps their SHA1s; a call runs
 * one with EVALSHA, one round trip; on NOSCRIPT (SCRIPT FLUSH, or a
 * Redis restarted between two calls) it runs it once more with EVAL,
 * which loads it again.
 *
 * Logging: the server going down and coming back, one line each (not
 * one per call); an error text given to redisconn_complain(), at most
 * once a minute (the last eight texts are remembered, so that errors
 * met in turn are not logged at every call either).
 *
 * Threads: any number of threads may call at once; each call has a
 * connection of its own for its duration (hiredis contexts are not
 * thread-safe). redisconn_free() once no call is under way.
 * Ownership: replies are the caller's (freeReplyObject()).
 */
#ifndef RW_REDISCONN_H
#define RW_REDISCONN_H

#include <stdbool.h>
#include <stddef.h>

#include <hiredis.h>

/* Most arguments of one command, the command's own included. */
#define REDISCONN_ARGS_MAX	192
/* Most scripts of one server. */
#define REDISCONN_SCRIPTS_MAX	8
/* A store's longest "where" (a unix socket path is 107 bytes at most). */
#define REDISCONN_SPEC_MAX	300

struct redisconn;

/*
 * A server at spec (see above); timeout_ms >= 1. scripts: nscripts Lua
 * texts, kept by pointer (static strings). Connects to nothing yet (a
 * Redis down at start is a store down, not a failed start). NULL with
 * the reason, which says the fix, in err.
 */
struct redisconn *redisconn_new(const char *spec, int timeout_ms,
	    const char *const *scripts, size_t nscripts, char *err,
	    size_t errlen);
void	redisconn_free(struct redisconn *rc);

/*
 * Runs script number script with its nkeys keys and other arguments
 * (argv[0 .. argc - 1], keys first); or, with script < 0, the command
 * argv. The reply, an error reply included, or NULL when the server
 * could not be reached or did not answer in time (logged here).
 */
redisReply *redisconn_call(struct redisconn *rc, int script, size_t nkeys,
	    size_t argc, const char **argv, const size_t *argvlen);

/* Logs "ratelimit: redis WHERE: what" at priority, unless the same text
 * was logged less than a minute ago. Whatever of what came from Redis
 * must be escaped already (escape_show()). */
void	redisconn_complain(struct redisconn *rc, int priority,
	    const char *what);

/* Where, as the configuration wrote it ("unix:/run/..."). */
const char *redisconn_where(const struct redisconn *rc);

/* Requests that waited for an answer, since redisconn_new(): a pipeline
 * counts once. For benchmarks and tests. */
unsigned long redisconn_round_trips(const struct redisconn *rc);

#endif
