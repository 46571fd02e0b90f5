/*
 * ratestore - where rate limit counts live: one interface, two stores.
 *
 *   ratemem.c    embedded: the daemon's memory, shared by all threads,
 *                bounded (keys whose windows are empty are dropped),
 *                surviving reloads (it belongs to the daemon, not to a
 *                configuration); its clock is CLOCK_MONOTONIC, so a
 *                clock step on the host changes nothing.
 *   rateredis.c  Redis, for a fleet (ratelimit_store = redis:...): one
 *                script per call checks and takes every cell at once,
 *                with Redis's own clock (TIME), so that several servers
 *                share one count.
 *
 * A cell is one key ("login:alice@example.org") and one window of it; a
 * call takes or gives back units on several cells at once: all of them
 * or none. The state of a cell is its GCRA timestamp (limit.h), a hold
 * time, and whether it refused since it last let a unit through (so that
 * a trip is reported once, not once per recipient). A cell is named by
 * its key and its window's period: a reload that changes a count keeps
 * the timestamp.
 *
 * Threads: a store is called from any number of milter threads at once;
 * each implementation does its own locking. A call never blocks longer
 * than the store's timeout (Redis: ratelimit_store_timeout).
 * Ownership: rate_store_free() frees a store; the caller's cells are its
 * own.
 */
#ifndef RW_RATESTORE_H
#define RW_RATESTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "limit.h"

/* "login:" and a login, or "client:", "network:", "mynetworks:" and an
 * address: at most 5 + 1 + 256 bytes and a NUL. */
#define RATE_KEY_MAX	300

/* The most cells one call takes: five kinds of key (ratelimit.h), each
 * with up to LIMIT_WINDOWS_MAX windows of recipients and as many of
 * messages. */
#define RATE_CALL_MAX	(LIMIT_WINDOWS_MAX * 10)

struct rate_cell {
	char		key[RATE_KEY_MAX];
	struct limit_window w;
	uint32_t	cost;		/* units to take or give back */
};

enum rate_answer {
	RATE_OK,		/* every cell took its cost */
	RATE_OVER,		/* cell "which" has no room: none took any */
	RATE_DOWN,		/* the store could not answer (Redis down,
				 * slow, or it answered garbage) */
};

struct rate_result {
	enum rate_answer answer;
	size_t		which;		/* RATE_OVER: the first full cell */
	bool		first;		/* RATE_OVER: its first refusal since
					 * it last let a unit through */
	uint32_t	used;		/* RATE_OVER: its units in use */
	int64_t		retry;		/* RATE_OVER: microseconds until room */
	bool		held;		/* RATE_OK: a cell is under a hold */
};

struct rate_store;

struct rate_store_ops {
	/* Takes every cell's cost, or none (see struct rate_result). With
	 * check_hold, also says whether a cell is held. */
	void	(*take)(struct rate_store *s, const struct rate_cell *cells,
		    size_t n, struct rate_result *r);
	/* Gives back what take() took (a reservation not kept). */
	void	(*give_back)(struct rate_store *s,
		    const struct rate_cell *cells, size_t n);
	/* Holds the cell's key for one period of its window from now:
	 * take() says "held" for it until then. */
	void	(*hold)(struct rate_store *s, const struct rate_cell *cell);
	/* Writes the state of every window of key (cells) to out, one
	 * line each; false when the store could not answer. */
	bool	(*show)(struct rate_store *s, const struct rate_cell *cells,
		    size_t n, FILE *out);
	/* Forgets the key's state in every window (cells). */
	bool	(*reset)(struct rate_store *s, const struct rate_cell *cells,
		    size_t n);
	void	(*free)(struct rate_store *s);
};

struct rate_store {
	const struct rate_store_ops *ops;
	const char	*name;		/* "embedded", "redis" */
};

/* The embedded store, for at most max_keys cells (then the cell nearest
 * to empty is dropped); NULL when out of memory. */
struct rate_store *ratemem_new(size_t max_keys);

/* For tests: the embedded store's clock, in microseconds (NULL: the
 * monotonic clock). */
void	ratemem_set_clock(struct rate_store *s, int64_t (*now)(void));

/* The number of cells the embedded store holds, and its heap bytes. */
size_t	ratemem_count(const struct rate_store *s, size_t *bytes);

static inline void
rate_store_free(struct rate_store *s)
{
	if (s != NULL)
		s->ops->free(s);
}

#endif
