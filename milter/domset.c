/*
 * domset - a hash set of normalised domain names.
 *
 * Keys are the normalised entries, ".example.org" (leading dot kept) for
 * a subdomain wildcard, without the "!" of an exclusion, in a strmap
 * (strmap.h), each with 4 bytes: the entry's place in the list (its
 * index among distinct keys) times two, plus one for an exclusion.
 *
 * First match wins. Without any exclusion in the set, any entry that
 * matches decides the same way, and the lookup stops at the first hit.
 * With one, every key that could match (the domain, then ".parent" for
 * each parent) is probed and the one with the smallest index decides.
 *
 * Most lookups are misses (a remote domain, and the parent domains of a
 * local one, which are probed for ".wildcard" entries), so the table's
 * bitmap answers most misses from memory that stays in cache; only a
 * set bit leads to the table and the arena, and a match is always
 * confirmed by comparing the names.
 *
 * Both the entries here and the recipient domains looked up are
 * normalised by addr_domain_normalize(), so the two sides of a
 * comparison are spelled the same way.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "domset.h"
#include "listerr.h"
#include "strmap.h"

struct domset {
	struct strmap	map;		/* key -> place * 2 + exclusion */
	bool		excl;		/* an exclusion was added */
};

/* The 4 bytes of payload. */
#define META_LEN	4

struct domset *
domset_new(void)
{
	return calloc(1, sizeof(struct domset));
}

void
domset_free(struct domset *set)
{
	if (set == NULL)
		return;
	strmap_free(&set->map);
	free(set);
}

size_t
domset_count(const struct domset *set)
{
	return set == NULL ? 0 : set->map.tab.used;
}

static bool
fail(char *err, size_t errlen, const char *entry, const char *why)
{
	return listerr_bad(err, errlen, "domain", entry, why);
}

/* Postfix's "type:table" ("hash:/etc/postfix/virtual_domains"). A
 * domain holds no ':' outside an address literal, so no ambiguity. */
static bool
looks_like_table(const char *p)
{
	const char *q;

	for (q = p; (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z'); q++)
		;
	return q != p && *q == ':';
}

/* An entry's form before its domain is read: not empty, at most one
 * "!" (*exclude) followed by something, no address, no lookup table. */
static bool
check_entry(const char *entry, bool *exclude, char *err, size_t errlen)
{
	const char *pat;

	if (entry == NULL || *entry == '\0')
		return listerr_plain(err, errlen, "empty domain entry: write a "
		    "domain such as example.org, or .example.org for its "
		    "subdomains");
	*exclude = entry[0] == '!';
	pat = entry + *exclude;
	if (*exclude && *pat == '!')
		return fail(err, errlen, entry, "only one \"!\" is allowed");
	if (*exclude && *pat == '\0')
		return fail(err, errlen, entry, "\"!\" must be followed by the "
		    "domain to exclude, e.g. !old.example.org");
	if (strchr(pat, '@') != NULL)
		return fail(err, errlen, entry, "a domain, not an address");
	if (looks_like_table(pat))
		return listerr_table(err, errlen, "domains", entry);
	return true;
}

/* The key of pat (the entry without its "!"): the normalised domain,
 * after a leading dot for a subdomain wildcard. entry is for messages. */
static bool
make_key(const char *entry, const char *pat,
    char key[ADDR_DOMAIN_MAX + 2], char *err, size_t errlen)
{
	bool wild = pat[0] == '.';
	const char *body = pat + wild, *why;

	if (wild && *body == '\0')
		return fail(err, errlen, entry, "a leading dot must be "
		    "followed by a domain, e.g. .example.org");
	if (wild && *body == '[')
		return fail(err, errlen, entry, "an address literal has no "
		    "subdomains; drop the leading dot");
	if ((why = addr_domain_normalize(body, strlen(body), key + wild)) != NULL)
		return fail(err, errlen, entry, why);
	if (wild)
		key[0] = '.';
	return true;
}

/* Adds key (len bytes) as the next entry, unless it is there already
 * (the first of the same pattern keeps its place and its verdict). */
static bool
insert_key(struct domset *set, const char *key, size_t len, bool exclude,
    char *err, size_t errlen)
{
	/* Fits: each entry takes at least 6 of the arena's 2^32 bytes, so
	 * used stays under 2^31. */
	uint32_t meta = (uint32_t)set->map.tab.used * 2 + exclude;

	switch (strmap_add(&set->map, key, len, &meta, META_LEN)) {
	case STRMAP_ADDED:
		set->excl |= exclude;
		return true;
	case STRMAP_DUPLICATE:
		return true;
	case STRMAP_TOOBIG:
		return listerr_plain(err, errlen,
		    "too many domains (over 4 GB of names)");
	case STRMAP_NOMEM:
		break;
	}
	return listerr_plain(err, errlen, "out of memory");
}

bool
domset_add(struct domset *set, const char *entry, char *err, size_t errlen)
{
	/* A leading dot, up to ADDR_DOMAIN_MAX bytes, NUL. */
	char key[ADDR_DOMAIN_MAX + 2];
	bool exclude = false;

	if (set == NULL)
		return listerr_plain(err, errlen,
		    "no domain set (internal error)");
	if (!check_entry(entry, &exclude, err, errlen) ||
	    !make_key(entry, entry + exclude, key, err, errlen))
		return false;
	return insert_key(set, key, strlen(key), exclude, err, errlen);
}

/* Keeps the hit with the smallest place in *best. */
static void
consider(const struct domset *set, const char *key, size_t len,
    uint32_t *best)
{
	const void *found = strmap_find(&set->map, key, len);
	uint32_t meta;

	if (found == NULL)
		return;
	memcpy(&meta, found, META_LEN);
	if (meta < *best)
		*best = meta;
}

bool
domset_contains(const struct domset *set, const char *domain)
{
	const char *p;
	size_t len;
	uint32_t best = UINT32_MAX;

	if (set == NULL || domain == NULL || set->map.tab.used == 0)
		return false;
	len = strlen(domain);
	/* The keys that could match: the domain; then, but for an address
	 * literal (it matches only itself), "a.b.example.org" is under
	 * ".b.example.org", ".example.org" and ".org". */
	consider(set, domain, len, &best);
	if (domain[0] != '[')
		for (p = strchr(domain, '.'); p != NULL &&
		    (set->excl || best == UINT32_MAX); p = strchr(p + 1, '.'))
			consider(set, p, len - (size_t)(p - domain), &best);
	/* No hit, or the first entry that matched excludes. */
	return best != UINT32_MAX && (best & 1) == 0;
}
