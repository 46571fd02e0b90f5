/*
 * control - the admin's view of the rate limit counts: "relaywarden
 * limits show|reset KEY".
 *
 * With the embedded store, the counts are in the daemon: it listens on
 * control_socket (a unix socket it makes, mode 0600, so that only its
 * own user and root may ask), one request per connection, a line "show
 * KEY" or "reset KEY", and answers with the store's lines and a last
 * line "ok" or "error: ...". With Redis, the command asks Redis itself
 * (the daemon need not run).
 *
 * Threads: control_start() once, from the main thread before libmilter
 * starts; the server is a thread of its own that reads the current
 * configuration (snap) for the key's windows.
 */
#ifndef RW_CONTROL_H
#define RW_CONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "config.h"
#include "ratelimit.h"

/* Serves control_socket (path) with the stores; false with a message. */
bool	control_start(const char *path, const struct rate_stores *st,
	    char *err, size_t errlen);

/* The request on the store, answered to out: true when it was done. */
bool	control_answer(const struct config *c, const struct rate_stores *st,
	    const char *verb, const char *key, FILE *out);

/* "relaywarden limits VERB KEY": an exit status. */
int	control_command(const struct config *c, const char *verb,
	    const char *key, FILE *out, FILE *err);

#endif
