/*
 * netset - Postfix "mynetworks" patterns, first match wins.
 *
 * Each pattern is checked strictly here (inet_pton, a decimal prefix
 * length) before libcidr sees its canonical text, because libcidr alone
 * reads "10.0.0.1/-1" as /0, "10.1" as 10.0.0.1 and ignores trailing
 * garbage. libcidr then supplies the network (address under the mask).
 *
 * Storage: one open-addressing table (hashtab.h) keyed by (family,
 * prefix length, network) holding the smallest insertion index of that
 * exact network and whether that pattern excludes, plus per-family lists
 * of the prefix lengths in use. A lookup masks the client address once
 * per prefix length in use and keeps the hit with the smallest index,
 * which is the pattern a linear first-match scan would have stopped at.
 * The cost is bounded by 33 (IPv4) or 129 (IPv6) probes, whatever the
 * number of patterns.
 *
 * Addresses are handled as two 64-bit words in host order (IPv4 in the
 * top 32 bits of the first), so that masking, hashing and comparing a
 * key are a few instructions. Most lookups miss most prefix lengths (a
 * client is in one network or none), so the table's bitmap answers most
 * misses from a few hundred kB that stay in cache instead of a cache
 * miss in the table each.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <libcidr.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bitfilter.h"
#include "escape.h"
#include "hashtab.h"
#include "listerr.h"
#include "netset.h"

enum { FAM4 = 1, FAM6 = 2 };

struct slot {
	uint64_t	hi, lo;		/* network, host order; IPv4: hi's top 32 bits */
	uint32_t	index;		/* first pattern naming this network */
	uint8_t		fam;		/* 0: empty slot */
	uint8_t		plen;
	uint8_t		exclude;
};

/* A prefix length in use and its mask over the two address words. */
struct pmask {
	uint64_t	hi, lo;
	uint8_t		plen;
};

struct netset {
	struct hashtab	tab;		/* of struct slot, one per network */
	size_t		count;		/* patterns added */
	/* The prefix lengths in use, with their masks, in order of first use. */
	struct pmask	m4[33], m6[129];
	uint8_t		n4, n6;
	uint8_t		have4[33], have6[129];
};

/* A parsed pattern. */
struct net {
	uint8_t	fam;
	uint8_t	plen;
	bool	exclude;
	uint8_t	net[16];
};

/*
 * libcidr 1.2.3's cidr_from_str() compares the last 8 bytes (".ip6.int")
 * and 5 bytes (".arpa") of its argument before looking at the length, so
 * for short text such as "::/0" it reads before the start. The text we
 * hand it sits this far into a zeroed array, so those reads stay inside
 * our own object and see NUL bytes (found by AddressSanitizer).
 */
#define CIDR_PAD	16

/* A pattern is quoted in a message up to 64 octets (see log.h); valid
 * ones are ~52 bytes. */
#define SHOWN_MAX	ESCAPE_SHOW_MAX

static const uint8_t v4mapped_prefix[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

struct netset *
netset_new(void)
{
	return calloc(1, sizeof(struct netset));
}

void
netset_free(struct netset *set)
{
	if (set == NULL)
		return;
	hashtab_free(&set->tab);
	free(set);
}

size_t
netset_count(const struct netset *set)
{
	return set == NULL ? 0 : set->count;
}

static bool
fail(char *err, size_t errlen, const char *pattern, const char *why)
{
	return listerr_bad(err, errlen, "network", pattern, why);
}

/*
 * Postfix's "type:table" form ("hash:/etc/postfix/network_table",
 * "cidr:/...", "inline:{...}"). Map types are letters only. "cdb" and
 * "dead" are also IPv6 groups, so an all-hex type counts only when what
 * follows ':' cannot continue an IPv6 address. Only asked about text
 * that already failed as an address.
 */
static bool
looks_like_table(const char *p)
{
	bool hexonly = true;
	const char *q;

	for (q = p; (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z'); q++)
		if (!((*q >= 'a' && *q <= 'f') || (*q >= 'A' && *q <= 'F')))
			hexonly = false;
	if (q == p || *q != ':')
		return false;
	if (!hexonly)
		return true;
	q++;
	return !(*q == ':' || (*q >= '0' && *q <= '9') ||
	    (*q >= 'a' && *q <= 'f') || (*q >= 'A' && *q <= 'F'));
}

/* Decimal 0..max, no sign, no leading zero: returns 1, or 0 for a bad
 * number, or -1 for a leading zero. */
static int
parse_plen(const char *s, unsigned max, uint8_t *out)
{
	unsigned v = 0;
	size_t i;

	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9' || i >= 3)
			return 0;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (i == 0 || v > max)
		return 0;
	if (i > 1 && s[0] == '0')
		return -1;
	*out = (uint8_t)v;
	return 1;
}

/*
 * Asks libcidr for the network of canon ("addr/plen", already valid) and
 * stores it in n; *hostbits tells whether addr had bits under the mask.
 */
static bool
cidr_network(const char *canon, const uint8_t want[16], struct net *n,
    bool *hostbits, char *err, size_t errlen, const char *pattern)
{
	CIDR *c, *netw = NULL;
	uint8_t *a = NULL, *na = NULL;
	size_t off = n->fam == FAM4 ? 12 : 0, len = n->fam == FAM4 ? 4 : 16;
	bool ok = false;

	errno = 0;
	if ((c = cidr_from_str(canon)) == NULL) {
		if (errno == ENOMEM)
			return listerr_plain(err, errlen, "out of memory");
		return fail(err, errlen, pattern,
		    "libcidr refused it (internal error)");
	}
	errno = 0;
	if ((netw = cidr_addr_network(c)) == NULL ||
	    (a = cidr_get_addr(c)) == NULL ||
	    (na = cidr_get_addr(netw)) == NULL) {
		if (errno == ENOMEM || errno == 0)
			listerr_plain(err, errlen, "out of memory");
		else
			fail(err, errlen, pattern,
			    "libcidr refused it (internal error)");
		goto out;
	}
	/* Cross-check: libcidr read the text as inet_pton did. */
	if (cidr_get_proto(c) != (n->fam == FAM4 ? CIDR_IPV4 : CIDR_IPV6) ||
	    cidr_get_pflen(c) != n->plen || memcmp(a + off, want, len) != 0) {
		fail(err, errlen, pattern,
		    "libcidr read it differently (internal error)");
		goto out;
	}
	memset(n->net, 0, sizeof(n->net));
	memcpy(n->net, na + off, len);
	*hostbits = memcmp(a + off, na + off, len) != 0;
	ok = true;
out:
	free(a);
	free(na);
	cidr_free(netw);
	cidr_free(c);
	return ok;
}

/* The text of a pattern, cut up: the address [addr, end), the prefix
 * length's text (NULL: none), and whether the address was in brackets. */
struct parts {
	const char	*addr, *end, *plen;
	bool		bracket;
};

/* Not empty, and no white space or control byte anywhere. */
static bool
check_text(const char *pattern, char *err, size_t errlen)
{
	const char *p;

	if (pattern == NULL || *pattern == '\0')
		return listerr_plain(err, errlen, "empty network pattern: write an "
		    "address or network such as 192.0.2.0/24 or [2001:db8::]/32");
	for (p = pattern; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p == 0x7f)
			return fail(err, errlen, pattern, "white space and "
			    "control characters are not allowed in a network");
	return true;
}

/* Takes off one "!" (n->exclude) and cuts the rest into *t. */
static bool
split_pattern(const char *pattern, struct net *n, struct parts *t,
    char *err, size_t errlen)
{
	const char *p = pattern;

	if (*p == '!') {
		n->exclude = true;
		p++;
		if (*p == '!')
			return fail(err, errlen, pattern,
			    "only one \"!\" is allowed");
		if (*p == '\0')
			return fail(err, errlen, pattern, "\"!\" must be "
			    "followed by the network to exclude, e.g. "
			    "!192.0.2.1");
	}
	if (*p == '/')
		return fail(err, errlen, pattern, "a file name is not allowed "
		    "here; list the networks");
	t->plen = NULL;
	t->bracket = *p == '[';
	if (!t->bracket) {
		t->addr = p;
		if ((t->end = strchr(p, '/')) != NULL)
			t->plen = t->end + 1;
		else
			t->end = p + strlen(p);
		return true;
	}
	t->addr = ++p;
	if ((t->end = strchr(p, ']')) == NULL)
		return fail(err, errlen, pattern, "missing \"]\"");
	if (memchr(p, '/', (size_t)(t->end - p)) != NULL)
		return fail(err, errlen, pattern, "the prefix length "
		    "goes after the \"]\", e.g. [2001:db8::]/32");
	if (t->end[1] == '/')
		t->plen = t->end + 2;
	else if (t->end[1] != '\0')
		return fail(err, errlen, pattern,
		    "unexpected text after \"]\"");
	return true;
}

/* "[a.b.c.d]": IPv4 in brackets, or not an address at all. */
static bool
bad_bracketed(const char *pattern, const char *addr, char *err,
    size_t errlen)
{
	uint8_t bytes[16];
	char msg[INET6_ADDRSTRLEN + 64];

	if (inet_pton(AF_INET, addr, bytes) == 1) {
		snprintf(msg, sizeof(msg), "brackets are for IPv6 only; "
		    "write %s", addr);
		return fail(err, errlen, pattern, msg);
	}
	return fail(err, errlen, pattern, "not an IPv6 address");
}

/* Text that is no address: say what it looks like instead. p is the
 * pattern after any "!". */
static bool
bad_address(const char *pattern, const char *p, char *err, size_t errlen)
{
	if (strncasecmp(p, "IPv6:", 5) == 0)
		return fail(err, errlen, pattern, "write IPv6 networks without "
		    "\"IPv6:\", e.g. 2001:db8::/32 or [2001:db8::]/32");
	if (looks_like_table(p))
		return listerr_table(err, errlen, "networks", p);
	return fail(err, errlen, pattern, "not an IPv4 or IPv6 address");
}

/* The address of *t into bytes, its family into n->fam. */
static bool
parse_address(const char *pattern, const struct parts *t, struct net *n,
    uint8_t bytes[16], char *err, size_t errlen)
{
	char addr[INET6_ADDRSTRLEN];
	size_t len = (size_t)(t->end - t->addr);

	/* Too long to be an address: "" fails below as any bad text. */
	if (len < sizeof(addr)) {
		memcpy(addr, t->addr, len);
		addr[len] = '\0';
	} else {
		addr[0] = '\0';
	}
	if (t->bracket) {
		if (inet_pton(AF_INET6, addr, bytes) != 1)
			return bad_bracketed(pattern, addr, err, errlen);
		n->fam = FAM6;
	} else if (strchr(addr, ':') == NULL &&
	    inet_pton(AF_INET, addr, bytes) == 1) {
		n->fam = FAM4;
	} else if (strchr(addr, ':') != NULL &&
	    inet_pton(AF_INET6, addr, bytes) == 1) {
		n->fam = FAM6;
	} else {
		/* No brackets: t->addr is the pattern after any "!". */
		return bad_address(pattern, t->addr, err, errlen);
	}
	return true;
}

/* n->plen from *t's text, the family's full length when there is none. */
static bool
parse_prefix(const char *pattern, const struct parts *t, struct net *n,
    char *err, size_t errlen)
{
	unsigned max = n->fam == FAM4 ? 32 : 128;
	char msg[96];
	int r;

	if (t->plen == NULL) {
		n->plen = (uint8_t)max;
		return true;
	}
	if ((r = parse_plen(t->plen, max, &n->plen)) > 0)
		return true;
	if (r < 0)
		snprintf(msg, sizeof(msg), "prefix length \"%s\" has a "
		    "leading zero; write /%lu", t->plen,
		    strtoul(t->plen, NULL, 10));
	else
		snprintf(msg, sizeof(msg), "prefix length must be a number "
		    "from 0 to %u", max);
	return fail(err, errlen, pattern, msg);
}

/* n->net from libcidr, given the address's bytes: *hostbits tells
 * whether they had bits under the mask. */
static bool
network_of(const char *pattern, const uint8_t bytes[16], struct net *n,
    bool *hostbits, char *err, size_t errlen)
{
	char addr[INET6_ADDRSTRLEN], canon[CIDR_PAD + INET6_ADDRSTRLEN + 4];

	if (inet_ntop(n->fam == FAM4 ? AF_INET : AF_INET6, bytes, addr,
	    sizeof(addr)) == NULL)
		return fail(err, errlen, pattern, "cannot format (internal "
		    "error)");
	memset(canon, 0, CIDR_PAD);
	snprintf(canon + CIDR_PAD, sizeof(canon) - CIDR_PAD, "%s/%u", addr,
	    n->plen);
	return cidr_network(canon + CIDR_PAD, bytes, n, hostbits, err, errlen,
	    pattern);
}

/* Host bits under the mask: the message names the network meant. */
static bool
fail_hostbits(const char *pattern, const struct parts *t,
    const struct net *n, char *err, size_t errlen)
{
	char suggest[INET6_ADDRSTRLEN], buf[SHOWN_MAX];

	/* n->fam is the family written (no entry changes family), so
	 * inet_ntop() writes a mapped network as "::ffff:a.b.c.d". */
	inet_ntop(n->fam == FAM4 ? AF_INET : AF_INET6, n->net, suggest,
	    sizeof(suggest));
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "non-null host address bits in "
		    "\"%s\", perhaps you mean \"%s%s%s%s/%s\"",
		    escape_show(buf, sizeof(buf), pattern),
		    n->exclude ? "!" : "", t->bracket ? "[" : "",
		    suggest, t->bracket ? "]" : "", t->plen);
	return false;
}

static bool
parse_pattern(const char *pattern, struct net *n, char *err, size_t errlen)
{
	struct parts t = { 0 };
	uint8_t bytes[16];
	bool hostbits = false;

	if (!check_text(pattern, err, errlen))
		return false;
	memset(n, 0, sizeof(*n));
	if (!split_pattern(pattern, n, &t, err, errlen) ||
	    !parse_address(pattern, &t, n, bytes, err, errlen) ||
	    !parse_prefix(pattern, &t, n, err, errlen) ||
	    !network_of(pattern, bytes, n, &hostbits, err, errlen))
		return false;
	if (hostbits)
		return fail_hostbits(pattern, &t, n, err, errlen);
	return true;
}

/* A big-endian 64-bit word. */
static uint64_t
be64(const uint8_t *b)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < 8; i++)
		v = v << 8 | b[i];
	return v;
}

/* The first n bits of a 64-bit word set (n = 0..64). */
static uint64_t
mask64(unsigned n)
{
	return n == 0 ? 0 : ~UINT64_C(0) << (64 - n);
}

/* A key: family, prefix length, and the network's two words. */
struct key {
	uint64_t	hi, lo;
	uint8_t		fam, plen;
};

/* The key of the address (hi, lo) under plen bits of family fam. */
static struct key
key_of(uint8_t fam, unsigned plen, uint64_t hi, uint64_t lo)
{
	struct key k;

	k.fam = fam;
	k.plen = (uint8_t)plen;
	if (plen <= 64) {
		k.hi = hi & mask64(plen);
		k.lo = 0;
	} else {
		k.hi = hi;
		k.lo = lo & mask64(plen - 64);
	}
	return k;
}

/* Both words, and family and length, through bitfilter_mix(). */
static uint64_t
key_hash(const struct key *k)
{
	uint64_t x = k->hi ^ (k->lo * UINT64_C(0x9e3779b97f4a7c15)) ^
	    ((uint64_t)k->fam << 8 | k->plen);

	return bitfilter_mix(x);
}

/* The slot holding the key, or the empty slot where it would go.
 * Inline: up to 33 or 129 of them per lookup. */
static inline struct slot *
probe(const struct hashtab *tab, const struct key *k, uint64_t hash)
{
	struct slot *slots = tab->slots;
	size_t i;

	for (i = hashtab_home(tab, hash);; i = hashtab_next(tab, i)) {
		struct slot *s = &slots[i];

		if (s->fam == 0 || (s->hi == k->hi && s->lo == k->lo &&
		    s->fam == k->fam && s->plen == k->plen))
			return s;
	}
}

/*
 * For hashtab's growth. 24-byte slots at load 1/4..1/2, plus the
 * filter, are 52..104 bytes per network.
 */
static bool
slot_empty(const void *slot)
{
	return ((const struct slot *)slot)->fam == 0;
}

static uint64_t
slot_hash(const void *slot, const void *ctx)
{
	const struct slot *s = slot;
	struct key k;

	(void)ctx;
	k.hi = s->hi;
	k.lo = s->lo;
	k.fam = s->fam;
	k.plen = s->plen;
	return key_hash(&k);
}

static const struct hashtab_ops slot_ops = {
	sizeof(struct slot), 16, slot_empty, slot_hash
};

static void
add_mask(struct pmask *m, unsigned plen)
{
	m->plen = (uint8_t)plen;
	m->hi = mask64(plen <= 64 ? plen : 64);
	m->lo = plen <= 64 ? 0 : mask64(plen - 64);
}

bool
netset_add(struct netset *set, const char *pattern, char *err, size_t errlen)
{
	struct net n;
	struct slot *s;
	struct key k;
	uint64_t h;

	if (set == NULL)
		return listerr_plain(err, errlen,
		    "no network set (internal error)");
	if (!parse_pattern(pattern, &n, err, errlen))
		return false;
	if (set->count >= UINT32_MAX)
		return listerr_plain(err, errlen, "too many networks");
	if (!hashtab_reserve(&set->tab, &slot_ops, NULL))
		return listerr_plain(err, errlen, "out of memory");

	/* n.net is already the network: key_of() masks nothing more. */
	k = key_of(n.fam, n.plen, be64(n.net),
	    be64(n.net + 8));
	h = key_hash(&k);
	s = probe(&set->tab, &k, h);
	/* A repeated network keeps its first index and verdict. */
	if (s->fam == 0) {
		s->hi = k.hi;
		s->lo = k.lo;
		s->fam = k.fam;
		s->plen = k.plen;
		s->exclude = n.exclude;
		s->index = (uint32_t)set->count;
		hashtab_added(&set->tab, h);
		if (n.fam == FAM4 && !set->have4[n.plen]) {
			set->have4[n.plen] = 1;
			add_mask(&set->m4[set->n4++], n.plen);
		} else if (n.fam == FAM6 && !set->have6[n.plen]) {
			set->have6[n.plen] = 1;
			add_mask(&set->m6[set->n6++], n.plen);
		}
	}
	set->count++;
	return true;
}

bool
netset_contains(const struct netset *set, const struct netaddr *addr)
{
	const struct pmask *ms;
	uint64_t hi, lo;
	uint32_t best = UINT32_MAX;
	uint8_t fam, np;
	bool verdict = false;
	unsigned i;

	if (set == NULL || addr == NULL || set->tab.used == 0)
		return false;
	if (addr->family == AF_INET) {
		fam = FAM4;
		hi = be64(addr->bytes) & mask64(32);
		lo = 0;
	} else if (addr->family == AF_INET6) {
		hi = be64(addr->bytes);
		lo = be64(addr->bytes + 8);
		/* netaddr already folds these; a hand-built one may not. */
		if (memcmp(addr->bytes, v4mapped_prefix, 12) == 0) {
			fam = FAM4;
			hi = lo << 32;
			lo = 0;
		} else {
			fam = FAM6;
		}
	} else {
		return false;
	}
	ms = fam == FAM4 ? set->m4 : set->m6;
	np = fam == FAM4 ? set->n4 : set->n6;

	/* IPv4 prefix lengths count from hi's top bit too: /24 is the
	 * first 24 bits of the word, as for IPv6. */
	for (i = 0; i < np && best != 0; i++) {
		struct key k;
		uint64_t h;
		const struct slot *s;

		k.hi = hi & ms[i].hi;
		k.lo = lo & ms[i].lo;
		k.fam = fam;
		k.plen = ms[i].plen;
		h = key_hash(&k);
		if (!hashtab_maybe(&set->tab, h))
			continue;
		s = probe(&set->tab, &k, h);
		if (s->fam != 0 && s->index < best) {
			best = s->index;
			verdict = !s->exclude;
		}
	}
	return verdict;
}
