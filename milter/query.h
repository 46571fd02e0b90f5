/*
 * query - "relaywarden -q": the what-if mode. Asks policy_eval() exactly
 * what the daemon would ask, from key=value facts given on the command
 * line, and prints one line per recipient:
 *   accept reason=KEY
 *   reject CODE XCODE TEXT reason=KEY
 *   tempfail CODE XCODE TEXT reason=KEY
 *   would_reject CODE XCODE TEXT reason=KEY     (mode = monitor)
 * With the sender check on, its lookups and the MAIL FROM verdict come
 * first; with rate limits, "limit KEY WINDOW recipients|messages" lines
 * say what a recipient counts against (nothing is counted).
 *
 * Facts: port= name= client= auth= tls= from= rcpt= (rcpt repeats). Each
 * argument may hold several facts separated by white space; a value runs
 * to the next white space and is taken literally.
 */
#ifndef RW_QUERY_H
#define RW_QUERY_H

#include <stdio.h>

#include "config.h"

/* Returns an exit status: 0, or EX_USAGE after a message on err. */
int	query_run(const struct config *c, int argc, char *const argv[],
	    FILE *out, FILE *err);

#endif
