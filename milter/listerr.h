/*
 * listerr - the error messages about one entry of a list (local_domains,
 * my_networks), shared by domset and netset so that both say the same
 * things in the same words. The entry is quoted through escape_show(),
 * up to ESCAPE_SHOW_MAX: it comes from a file or the configuration.
 *
 * Each writes into err (errlen bytes), or nothing when err is NULL or
 * errlen is 0, and returns false, so that a parser can return it.
 * Pure functions on caller-owned memory; any thread may call them.
 */
#ifndef RW_LISTERR_H
#define RW_LISTERR_H

#include <stdbool.h>
#include <stddef.h>

/* bad <what> "<entry>": <why> */
bool	listerr_bad(char *err, size_t errlen, const char *what,
	    const char *entry, const char *why);

/* lookup table "<entry>" is not supported: list the <whats>, or put
 * them in a file given by absolute path */
bool	listerr_table(char *err, size_t errlen, const char *whats,
	    const char *entry);

/* msg, one of our own fixed texts, as it is. */
bool	listerr_plain(char *err, size_t errlen, const char *msg);

#endif
