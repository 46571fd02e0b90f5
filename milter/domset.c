/*
 * domset - a hash set of normalised domain names.
 *
 * Keys are the normalised entries, ".example.org" (leading dot kept) for
 * a subdomain wildcard, without the "!" of an exclusion. They live back
 * to back in one growing arena, each NUL-terminated and followed by 4
 * bytes: the entry's place in the list (its index among distinct keys)
 * times two, plus one for an exclusion. The table (hashtab.h) holds
 * (32-bit hash, arena offset) pairs, 8 bytes a slot. Offset 0 is a dummy
 * byte, so offset 0 marks an empty slot. This keeps a million entries to
 * a few tens of bytes each instead of a malloc'd string and a pointer
 * per entry.
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
#include "bitfilter.h"
#include "domset.h"
#include "hashtab.h"
#include "listerr.h"

struct dslot {
	uint32_t	hash;
	uint32_t	off;		/* 0: empty slot */
};

struct domset {
	char		*arena;
	size_t		alen, acap;
	struct hashtab	tab;		/* of struct dslot, one per entry */
	bool		excl;		/* an exclusion was added */
};

/* The 4 bytes after a key's NUL. */
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
	free(set->arena);
	hashtab_free(&set->tab);
	free(set);
}

size_t
domset_count(const struct domset *set)
{
	return set == NULL ? 0 : set->tab.used;
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

/*
 * Eight bytes per multiply, then splitmix64's finaliser over the whole,
 * so that similar names ("host1.example.org", "host2...") spread. The
 * slot keeps the low 32 bits (the table index comes from them); the
 * filter takes the top bits.
 */
static uint64_t
str_hash(const char *s, size_t len)
{
	uint64_t h = (uint64_t)len * UINT64_C(0x9e3779b97f4a7c15), w;

	for (; len >= 8; s += 8, len -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ bitfilter_mix(w)) * UINT64_C(0xff51afd7ed558ccd);
	}
	w = 0;
	memcpy(&w, s, len);
	return bitfilter_mix(h ^ w ^ (uint64_t)len << 59);
}

/* The slot holding key, or the empty slot where it would go. */
static struct dslot *
probe(const struct domset *set, const char *key, uint32_t hash)
{
	struct dslot *slots = set->tab.slots;
	size_t i;

	for (i = hashtab_home(&set->tab, hash);; i = hashtab_next(&set->tab, i))
		if (slots[i].off == 0 || (slots[i].hash == hash &&
		    strcmp(set->arena + slots[i].off, key) == 0))
			return &slots[i];
}

/* For hashtab's growth. The names are hashed again from the arena: the
 * slots keep only 32 bits of the hash, and the filter takes the top. */
static bool
dslot_empty(const void *slot)
{
	return ((const struct dslot *)slot)->off == 0;
}

static uint64_t
dslot_hash(const void *slot, const void *set)
{
	const char *name = ((const struct domset *)set)->arena +
	    ((const struct dslot *)slot)->off;

	return str_hash(name, strlen(name));
}

static const struct hashtab_ops dslot_ops = {
	sizeof(struct dslot), 64, dslot_empty, dslot_hash
};

/* Room for need more bytes in the arena; offsets must fit 32 bits. */
static bool
reserve_arena(struct domset *set, size_t need, bool *toobig)
{
	size_t ncap;
	char *na;

	*toobig = false;
	if (set->alen + need <= set->acap)
		return true;
	if (set->alen + need > UINT32_MAX) {
		*toobig = true;
		return false;
	}
	ncap = set->acap == 0 ? 4096 : set->acap * 2;
	while (ncap < set->alen + need)
		ncap *= 2;
	if (ncap > UINT32_MAX)
		ncap = UINT32_MAX;
	if ((na = realloc(set->arena, ncap)) == NULL)
		return false;
	if (set->alen == 0)
		na[set->alen++] = '\0';	/* offset 0 means "empty slot" */
	set->arena = na;
	set->acap = ncap;
	return true;
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

/* Adds key (len bytes) as the next entry, unless it is there already. */
static bool
insert_key(struct domset *set, const char *key, size_t len, bool exclude,
    char *err, size_t errlen)
{
	uint64_t hash = str_hash(key, len);
	struct dslot *s;
	uint32_t meta;
	bool toobig;

	if (set->tab.cap != 0) {
		s = probe(set, key, (uint32_t)hash);
		if (s->off != 0)
			return true;	/* duplicate */
	}
	/* Both reservations come before any change, so a failure leaves
	 * the set as it was. */
	if (!hashtab_reserve(&set->tab, &dslot_ops, set))
		return listerr_plain(err, errlen, "out of memory");
	if (!reserve_arena(set, len + 2 + META_LEN, &toobig))
		return listerr_plain(err, errlen, toobig ?
		    "too many domains (over 4 GB of names)" : "out of memory");

	s = probe(set, key, (uint32_t)hash);
	/* Fits: each entry takes at least 6 of the arena's 2^32 bytes, so
	 * used stays under 2^31. */
	meta = (uint32_t)set->tab.used * 2 + exclude;
	memcpy(set->arena + set->alen, key, len + 1);
	memcpy(set->arena + set->alen + len + 1, &meta, META_LEN);
	s->hash = (uint32_t)hash;
	s->off = (uint32_t)set->alen;
	hashtab_added(&set->tab, hash);
	set->alen += len + 1 + META_LEN;
	set->excl |= exclude;
	return true;
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

/* Looks key up; on a hit sets *meta (place * 2 + exclusion). */
static bool
find_key(const struct domset *set, const char *key, size_t len,
    uint32_t *meta)
{
	uint64_t hash = str_hash(key, len);
	const struct dslot *s;

	if (!hashtab_maybe(&set->tab, hash))
		return false;
	if ((s = probe(set, key, (uint32_t)hash))->off == 0)
		return false;
	memcpy(meta, set->arena + s->off + len + 1, META_LEN);
	return true;
}

/* Keeps the hit with the smallest place in *best. */
static void
consider(const struct domset *set, const char *key, size_t len,
    uint32_t *best)
{
	uint32_t meta;

	if (find_key(set, key, len, &meta) && meta < *best)
		*best = meta;
}

bool
domset_contains(const struct domset *set, const char *domain)
{
	const char *p;
	size_t len;
	uint32_t best = UINT32_MAX;

	if (set == NULL || domain == NULL || set->tab.used == 0)
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
