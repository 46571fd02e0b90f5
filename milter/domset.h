/*
 * domset - the set of local domains.
 *
 * An entry "example.org" matches exactly that domain; an entry
 * ".example.org" matches every subdomain of example.org (and not
 * example.org itself), as Postfix's parent_domain_matches_subdomains
 * style. An address literal "[192.0.2.1]" matches only itself.
 * Entries and lookups are case-insensitive (ASCII) and a single trailing
 * dot is ignored. An entry "!pattern" excludes what pattern matches; as
 * in Postfix's domain lists, the first entry (in the order added) that
 * matches a domain decides, so "!old.example.org, .example.org" takes
 * every subdomain of example.org but old.example.org.
 *
 * Ownership: domset_new() returns a set the caller frees with
 * domset_free(); domset_free(NULL) is a no-op. Threads: domset_add() needs
 * exclusive access; once built, any number of threads may call
 * domset_contains() at once. Lookup is a hash probe per label of the
 * domain asked about, whatever the size of the set.
 */
#ifndef RW_DOMSET_H
#define RW_DOMSET_H

#include <stdbool.h>
#include <stddef.h>

struct domset;

struct domset *domset_new(void);
void	domset_free(struct domset *set);

/*
 * Adds one entry, normalised by addr_domain_normalize(), with one "!" in
 * front to exclude. Returns true on success (a duplicate is not an
 * error: the first of the same pattern, "!" or not, keeps its place and
 * its verdict). On a bad entry returns false, leaves the set as it was
 * and writes the reason into err (NULL or errlen 0: none), e.g.
 *   bad domain "exa mple.org": <addr_domain_normalize()'s reason>
 *   bad domain "user@example.org": a domain, not an address
 *   bad domain "!!example.org": only one "!" is allowed
 * On memory exhaustion returns false with "out of memory".
 */
bool	domset_add(struct domset *set, const char *entry, char *err,
	    size_t errlen);

/*
 * True when domain (as addr_parse() leaves it: lower case, no trailing
 * dot) is in the set: the first entry matching it is not an exclusion.
 */
bool	domset_contains(const struct domset *set, const char *domain);

/* Number of distinct entries, exclusions included. */
size_t	domset_count(const struct domset *set);

#endif
