/*
 * ref - reference models the fuzzers compare relaywarden with. Each is
 * written to be read and checked by eye, not to be fast: linear scans,
 * no hashing, no libcidr. Where a model agrees with the real code by
 * construction (domains are normalised by addr_domain_normalize() on
 * both sides), it says so.
 *
 * Pure functions on caller-owned memory.
 */
#ifndef RW_FUZZ_REF_H
#define RW_FUZZ_REF_H

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "netaddr.h"

/* ---- my_networks ------------------------------------------------- */

static const uint8_t ref_v4mapped[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

struct ref_net {
	int	fam;		/* AF_INET or AF_INET6, as written */
	uint8_t	net[16];
	unsigned plen;
	bool	exclude;
};

static inline bool
ref_prefix_equal(const uint8_t *a, const uint8_t *b, unsigned plen)
{
	unsigned i;

	for (i = 0; i < plen; i++) {
		unsigned bit = 0x80u >> (i % 8);

		if ((a[i / 8] & bit) != (b[i / 8] & bit))
			return false;
	}
	return true;
}

/*
 * A pattern as netset.h describes it: "!" once, then an address that
 * inet_pton() takes ("[...]" for IPv6 only; a ':' means IPv6), then
 * optionally "/" and a decimal prefix length (no sign, no leading zero,
 * at most the address width), with no bits set under the mask. The
 * family is the one written: an IPv6 pattern inside ::ffff:0:0/96 stays
 * IPv6, as in Postfix.
 */
static inline bool
ref_net_parse(const char *pattern, struct ref_net *r)
{
	char addr[64];
	const char *p = pattern, *end, *plentext = NULL;
	uint8_t bytes[16] = { 0 }, masked[16] = { 0 };
	bool bracket;
	unsigned max, v = 0;
	size_t i;

	memset(r, 0, sizeof(*r));
	if (*p == '!') {
		r->exclude = true;
		p++;
	}
	bracket = *p == '[';
	if (bracket) {
		p++;
		if ((end = strchr(p, ']')) == NULL)
			return false;
		if (end[1] == '/')
			plentext = end + 2;
		else if (end[1] != '\0')
			return false;
	} else if ((end = strchr(p, '/')) != NULL) {
		plentext = end + 1;
	} else {
		end = p + strlen(p);
	}
	if ((size_t)(end - p) >= sizeof(addr))
		return false;
	memcpy(addr, p, (size_t)(end - p));
	addr[end - p] = '\0';
	if (bracket || strchr(addr, ':') != NULL) {
		if (inet_pton(AF_INET6, addr, bytes) != 1)
			return false;
		r->fam = AF_INET6;
	} else {
		if (inet_pton(AF_INET, addr, bytes) != 1)
			return false;
		r->fam = AF_INET;
	}
	max = r->fam == AF_INET ? 32 : 128;
	if (plentext == NULL) {
		r->plen = max;
	} else {
		for (i = 0; plentext[i] != '\0'; i++) {
			if (plentext[i] < '0' || plentext[i] > '9' || i >= 3)
				return false;
			v = v * 10 + (unsigned)(plentext[i] - '0');
		}
		if (i == 0 || v > max || (i > 1 && plentext[0] == '0'))
			return false;
		r->plen = v;
	}
	for (i = 0; i < r->plen; i++)
		masked[i / 8] |= bytes[i / 8] & (0x80u >> (i % 8));
	if (memcmp(masked, bytes, 16) != 0)
		return false;
	memcpy(r->net, bytes, 16);
	return true;
}

/*
 * First match wins; an IPv4-mapped client is its IPv4 address; a pattern
 * matches only clients of its own family (Postfix's match_hostaddr()).
 */
static inline bool
ref_net_contains(const struct ref_net *refs, size_t n, const struct netaddr *a)
{
	int fam = a->family;
	const uint8_t *b = a->bytes;
	size_t i;

	if (fam == AF_INET6 && memcmp(b, ref_v4mapped, 12) == 0) {
		fam = AF_INET;
		b += 12;
	}
	for (i = 0; i < n; i++)
		if (refs[i].fam == fam && ref_prefix_equal(refs[i].net, b,
		    refs[i].plen))
			return !refs[i].exclude;
	return false;
}

/* ---- local_domains ----------------------------------------------- */

typedef char ref_key[ADDR_DOMAIN_MAX + 3];

/*
 * The key an entry is stored under, "example.org" or ".example.org", and
 * "!" in front for an exclusion, by domset.h's rules: not empty, at most
 * one "!" and something after it, no '@', not "type:table", a leading
 * dot only before a domain that is not a literal. The domain itself is
 * normalised by addr_domain_normalize(), as domset does (fuzz_addr
 * checks that function on its own).
 */
static inline bool
ref_domain_key(const char *entry, ref_key key)
{
	const char *q, *body;
	bool wild;

	if (entry[0] == '!') {
		key[0] = '!';
		return entry[1] != '!' && ref_domain_key(entry + 1, key + 1);
	}
	if (entry[0] == '\0' || strchr(entry, '@') != NULL)
		return false;
	for (q = entry; (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z');
	    q++)
		;
	if (q != entry && *q == ':')
		return false;
	wild = entry[0] == '.';
	body = entry + wild;
	if (wild && (body[0] == '\0' || body[0] == '['))
		return false;
	if (addr_domain_normalize(body, strlen(body), key + wild) != NULL)
		return false;
	if (wild)
		key[0] = '.';
	return true;
}

/* The key without its "!". */
static inline const char *
ref_domain_name(const char *key)
{
	return key + (key[0] == '!');
}

/*
 * "x" matches only "x"; ".x" matches any "a.x", never "x" itself. The
 * first key that matches decides: a match, unless it has a "!".
 */
static inline bool
ref_domain_match(const ref_key *keys, size_t n, const char *d)
{
	size_t dl = strlen(d), i;

	for (i = 0; i < n; i++) {
		const char *k = ref_domain_name(keys[i]);
		size_t kl = strlen(k);

		if (k[0] == '.' ? dl > kl && strcmp(d + dl - kl, k) == 0 :
		    strcmp(d, k) == 0)
			return keys[i][0] != '!';
	}
	return false;
}

/* ---- recipients --------------------------------------------------- */

static inline bool
ref_has_routing(const char *s, size_t n)
{
	return memchr(s, '@', n) != NULL || memchr(s, '%', n) != NULL ||
	    memchr(s, '!', n) != NULL;
}

/*
 * The naive reading of a recipient: drop one pair of "<>"; a leading
 * '@' starts a source route that ends at the first ':' (RFC 5321 C: the
 * route may be ignored, and Postfix does); the mailbox's local part is
 * what comes before its last '@', the destination what follows it
 * (*dom NULL when there is no '@'). Returns false for a route without ':'.
 */
struct ref_rcpt {
	const char	*local;	/* also the start of the mailbox */
	size_t		llen;
	size_t		mlen;	/* the mailbox: local part, '@', domain */
	const char	*dom;		/* NULL: unqualified */
	size_t		dlen;
	bool		route;
};

static inline bool
ref_rcpt_split(const char *text, struct ref_rcpt *r)
{
	const char *s = text, *end = text + strlen(text), *at;

	memset(r, 0, sizeof(*r));
	if (end - s >= 2 && s[0] == '<' && end[-1] == '>') {
		s++;
		end--;
	}
	if (s < end && *s == '@') {
		r->route = true;
		if ((s = memchr(s, ':', (size_t)(end - s))) == NULL)
			return false;
		s++;
	}
	r->local = s;
	r->llen = r->mlen = (size_t)(end - s);
	if ((at = memrchr(s, '@', (size_t)(end - s))) != NULL) {
		r->llen = (size_t)(at - s);
		r->dom = at + 1;
		r->dlen = (size_t)(end - at - 1);
	}
	return true;
}

/* The recipient goes to a listed domain, with no routing before it. */
static inline bool
ref_rcpt_local(const ref_key *keys, size_t n, const char *rcpt)
{
	char d[ADDR_DOMAIN_MAX + 1];
	struct ref_rcpt r;

	if (!ref_rcpt_split(rcpt, &r) || r.dom == NULL ||
	    ref_has_routing(r.local, r.llen) ||
	    addr_domain_normalize(r.dom, r.dlen, d) != NULL)
		return false;
	return ref_domain_match(keys, n, d);
}

/* The unqualified <Postmaster> of RFC 5321 4.5.1, any case. */
static inline bool
ref_rcpt_postmaster(const char *rcpt)
{
	struct ref_rcpt r;

	return ref_rcpt_split(rcpt, &r) && r.dom == NULL && r.llen == 10 &&
	    strncasecmp(r.local, "postmaster", 10) == 0;
}

#endif
