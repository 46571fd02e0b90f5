/*
 * fuzz_netset - the my_networks parser and lookup (netset.c, with
 * netaddr.c for the client addresses).
 *
 * Input: text, one item a line. A line starting with '?' is a client
 * address to look up (parsed by netaddr_parse()); any other line is a
 * pattern for netset_add(). All patterns are added first, in order.
 *
 * Checked against a reference written to be read, not to be fast:
 *   - a pattern is accepted exactly when a strict reading accepts it
 *     ("!" once, an address inet_pton() takes, "[...]" for IPv6 only, a
 *     decimal prefix length without sign or leading zero, no host bits);
 *   - every lookup answers what a linear first-match scan over the
 *     accepted patterns answers, for the addresses asked and for the
 *     edges of every network (its first and last address, the address
 *     just outside, and IPv4 clients written as ::ffff:a.b.c.d);
 *   - netaddr_format() and netaddr_parse() round-trip.
 * libcidr's own leniency ("10.1", "/-1") is what this guards against.
 */
#include <arpa/inet.h>

#include "fuzz.h"
#include "netaddr.h"
#include "netset.h"

#define MAXLINES 256

static const uint8_t v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

struct ref {
	int	fam;		/* AF_INET or AF_INET6, after folding */
	uint8_t	net[16];
	unsigned plen;
	bool	exclude;
};

static bool
prefix_equal(const uint8_t *a, const uint8_t *b, unsigned plen)
{
	unsigned i;

	for (i = 0; i < plen; i++) {
		unsigned bit = 0x80u >> (i % 8);

		if ((a[i / 8] & bit) != (b[i / 8] & bit))
			return false;
	}
	return true;
}

static bool
ref_parse(const char *pattern, struct ref *r)
{
	char addr[64];
	const char *p = pattern, *end, *plentext = NULL;
	uint8_t bytes[16] = { 0 };
	unsigned max, v = 0;
	size_t i;

	memset(r, 0, sizeof(*r));
	if (*p == '!') {
		r->exclude = true;
		p++;
	}
	if (*p == '[') {
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
	if (pattern[r->exclude] == '[' || strchr(addr, ':') != NULL) {
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
	/* No bits under the mask: the host part must be all zero. */
	{
		uint8_t masked[16];

		memset(masked, 0, sizeof(masked));
		for (i = 0; i < r->plen; i++)
			masked[i / 8] |= bytes[i / 8] & (0x80u >> (i % 8));
		if (memcmp(masked, bytes, 16) != 0)
			return false;
	}
	memcpy(r->net, bytes, 16);
	if (r->fam == AF_INET6 && r->plen >= 96 &&
	    memcmp(bytes, v4mapped, 12) == 0) {
		r->fam = AF_INET;
		r->plen -= 96;
		memmove(r->net, bytes + 12, 4);
		memset(r->net + 4, 0, 12);
	}
	return true;
}

static bool
ref_contains(const struct ref *refs, size_t n, const struct netaddr *a)
{
	int fam = a->family;
	const uint8_t *b = a->bytes;
	size_t i;

	if (fam == AF_INET6 && memcmp(b, v4mapped, 12) == 0) {
		fam = AF_INET;
		b += 12;
	}
	for (i = 0; i < n; i++)
		if (refs[i].fam == fam && prefix_equal(refs[i].net, b,
		    refs[i].plen))
			return !refs[i].exclude;
	return false;
}

static void
check_lookup(const struct netset *set, const struct ref *refs, size_t n,
    const struct netaddr *a)
{
	char text[NETADDR_TEXT_MAX];
	bool got = netset_contains(set, a), want = ref_contains(refs, n, a);

	inet_ntop(a->family, a->bytes, text, sizeof(text));
	FZ_CHECK(got == want, "netset_contains(%s%s) = %d, first match says %d",
	    a->family == AF_INET6 ? "v6 " : "", text, got, want);
}

/* The edges of one network: first, last, just outside; and the IPv4
 * ones again as a hand-built ::ffff: IPv6 client. */
static void
check_edges(const struct netset *set, const struct ref *refs, size_t n,
    const struct ref *r)
{
	unsigned len = r->fam == AF_INET ? 32 : 128, i;
	struct netaddr a[3];
	size_t k;

	for (k = 0; k < 3; k++) {
		memset(&a[k], 0, sizeof(a[k]));
		a[k].family = r->fam;
		memcpy(a[k].bytes, r->net, 16);
	}
	for (i = r->plen; i < len; i++)
		a[1].bytes[i / 8] |= (uint8_t)(0x80u >> (i % 8));
	if (r->plen > 0)
		a[2].bytes[(r->plen - 1) / 8] ^=
		    (uint8_t)(0x80u >> ((r->plen - 1) % 8));
	for (k = 0; k < 3; k++) {
		check_lookup(set, refs, n, &a[k]);
		if (r->fam == AF_INET) {
			struct netaddr m;

			memset(&m, 0, sizeof(m));
			m.family = AF_INET6;
			memcpy(m.bytes, v4mapped, 12);
			memcpy(m.bytes + 12, a[k].bytes, 4);
			check_lookup(set, refs, n, &m);
		}
	}
}

static void
check_netaddr(const char *text, const struct netaddr *a)
{
	char out[NETADDR_TEXT_MAX];
	struct netaddr again;

	FZ_CHECK(a->family == AF_INET || a->family == AF_INET6,
	    "\"%s\": family %d", text, a->family);
	if (a->family == AF_INET6)
		FZ_CHECK(memcmp(a->bytes, v4mapped, 12) != 0,
		    "\"%s\": IPv4-mapped address not folded", text);
	else
		FZ_CHECK(memcmp(a->bytes + 4, (uint8_t[12]){ 0 }, 12) == 0,
		    "\"%s\": IPv4 with bytes after the fourth", text);
	netaddr_format(a, out, sizeof(out));
	FZ_CHECK(out[0] != '\0' && netaddr_parse(out, &again) &&
	    memcmp(&again, a, sizeof(again)) == 0,
	    "\"%s\" formats as \"%s\", which does not parse back the same",
	    text, out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	char *text = fz_rest(&f), *lines[MAXLINES], err[512];
	struct ref refs[MAXLINES];
	struct netset *set = netset_new();
	size_t n = fz_lines(text, lines, MAXLINES), nref = 0, i;

	if (set == NULL)
		abort();
	for (i = 0; i < n; i++) {
		bool got, want;

		if (lines[i][0] == '?')
			continue;
		err[0] = '\0';
		got = netset_add(set, lines[i], err, sizeof(err));
		want = ref_parse(lines[i], &refs[nref]);
		FZ_CHECK(got == want, "netset_add(\"%s\") = %d, the strict "
		    "reading says %d (error: %s)", lines[i], got, want, err);
		if (got)
			nref++;
		else
			FZ_CHECK(err[0] != '\0' && fz_printable(err),
			    "refused \"%s\" with a bad message \"%s\"",
			    lines[i], err);
	}
	FZ_CHECK(netset_count(set) == nref, "count %zu, %zu accepted",
	    netset_count(set), nref);
	for (i = 0; i < n; i++) {
		struct netaddr a;

		if (lines[i][0] != '?' || !netaddr_parse(lines[i] + 1, &a))
			continue;
		check_netaddr(lines[i] + 1, &a);
		check_lookup(set, refs, nref, &a);
	}
	for (i = 0; i < nref; i++)
		check_edges(set, refs, nref, &refs[i]);
	netset_free(set);
	free(text);
	return 0;
}
