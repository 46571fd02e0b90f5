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
#include "ref.h"

#define MAXLINES 256

static void
check_lookup(const struct netset *set, const struct ref_net *refs, size_t n,
    const struct netaddr *a)
{
	char text[NETADDR_TEXT_MAX];
	bool got = netset_contains(set, a), want = ref_net_contains(refs, n, a);

	inet_ntop(a->family, a->bytes, text, sizeof(text));
	FZ_CHECK(got == want, "netset_contains(%s%s) = %d, first match says %d",
	    a->family == AF_INET6 ? "v6 " : "", text, got, want);
}

/* The edges of one network: first, last, just outside; and the IPv4
 * ones again as a hand-built ::ffff: IPv6 client. */
static void
check_edges(const struct netset *set, const struct ref_net *refs, size_t n,
    const struct ref_net *r)
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
			memcpy(m.bytes, ref_v4mapped, 12);
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
		FZ_CHECK(memcmp(a->bytes, ref_v4mapped, 12) != 0,
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
	struct ref_net refs[MAXLINES];
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
		want = ref_net_parse(lines[i], &refs[nref]);
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
