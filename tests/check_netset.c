/*
 * netset: every accepted pattern form, every refused one with its exact
 * message (the admin reads these), first match with exclusions,
 * IPv4-mapped entries kept apart from IPv4 clients as Postfix keeps them,
 * a large generated set, and random overlapping sets against a linear
 * first-match scan.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "netaddr.h"
#include "netset.h"

#define NCASES(a) ((int)(sizeof(a) / sizeof((a)[0])))

struct accept_case {
	const char	*name;
	const char	*pattern;
};

static const struct accept_case accept_cases[] = {
	{ "ipv4 host", "192.0.2.1" },
	{ "ipv4 network", "192.0.2.0/24" },
	{ "ipv4 /32", "192.0.2.1/32" },
	{ "ipv4 /0", "0.0.0.0/0" },
	{ "ipv4 /31", "192.0.2.0/31" },
	{ "ipv6 bare host", "2001:db8::1" },
	{ "ipv6 bare network", "2001:db8::/32" },
	{ "ipv6 bracketed host", "[2001:db8::1]" },
	{ "ipv6 bracketed network", "[2001:db8::]/32" },
	{ "ipv6 /128", "[2001:db8::1]/128" },
	{ "ipv6 /0", "[::]/0" },
	{ "ipv6 bare /0", "::/0" },
	{ "ipv6 upper case", "[2001:DB8::]/32" },
	{ "ipv6 all-hex first group", "dead:beef::/32" },
	{ "ipv6 cdb group", "cdb:1::/32" },
	{ "mapped host", "::ffff:192.0.2.1" },
	{ "mapped bracketed network", "[::ffff:192.0.2.0]/120" },
	{ "mapped /96", "::ffff:0.0.0.0/96" },
	{ "exclude ipv4", "!192.0.2.1" },
	{ "exclude ipv4 network", "!192.0.2.0/24" },
	{ "exclude ipv6", "![2001:db8::]/32" },
	{ "exclude ipv6 bare", "!2001:db8::1" },
};

START_TEST(test_accept)
{
	const struct accept_case *c = &accept_cases[_i];
	struct netset *set = netset_new();
	char err[512] = "";

	ck_assert(set != NULL);
	ck_assert_msg(netset_add(set, c->pattern, err, sizeof(err)),
	    "%s: \"%s\" refused with \"%s\", want accepted", c->name,
	    c->pattern, err);
	ck_assert_msg(netset_count(set) == 1, "%s: count %zu, want 1",
	    c->name, netset_count(set));
	netset_free(set);
}
END_TEST

struct reject_case {
	const char	*name;
	const char	*pattern;
	const char	*err;
};

static const struct reject_case reject_cases[] = {
	{ "empty", "",
	    "empty network pattern: write an address or network such as "
	    "192.0.2.0/24 or [2001:db8::]/32" },
	{ "lone bang", "!",
	    "bad network \"!\": \"!\" must be followed by the network to "
	    "exclude, e.g. !192.0.2.1" },
	{ "double bang", "!!10.0.0.1",
	    "bad network \"!!10.0.0.1\": only one \"!\" is allowed" },
	{ "leading space", " 10.0.0.1",
	    "bad network \" 10.0.0.1\": white space and control characters "
	    "are not allowed in a network" },
	{ "trailing space", "10.0.0.1 ",
	    "bad network \"10.0.0.1 \": white space and control characters "
	    "are not allowed in a network" },
	{ "space after bang", "! 10.0.0.1",
	    "bad network \"! 10.0.0.1\": white space and control characters "
	    "are not allowed in a network" },
	{ "tab is escaped", "10.0.0.1\t",
	    "bad network \"10.0.0.1\\x09\": white space and control "
	    "characters are not allowed in a network" },
	{ "two networks in one", "10.0.0.0/8,192.0.2.0/24",
	    "bad network \"10.0.0.0/8,192.0.2.0/24\": prefix length must be a "
	    "number from 0 to 32" },
	{ "negative prefix (libcidr reads /0)", "10.0.0.1/-1",
	    "bad network \"10.0.0.1/-1\": prefix length must be a number "
	    "from 0 to 32" },
	{ "plus prefix", "10.0.0.0/+8",
	    "bad network \"10.0.0.0/+8\": prefix length must be a number from "
	    "0 to 32" },
	{ "ipv4 prefix 33", "10.0.0.0/33",
	    "bad network \"10.0.0.0/33\": prefix length must be a number from "
	    "0 to 32" },
	{ "ipv4 prefix huge", "10.0.0.0/4294967304",
	    "bad network \"10.0.0.0/4294967304\": prefix length must be a "
	    "number from 0 to 32" },
	{ "empty prefix", "10.0.0.0/",
	    "bad network \"10.0.0.0/\": prefix length must be a number from "
	    "0 to 32" },
	{ "trailing garbage (libcidr ignores)", "10.0.0.0/8x",
	    "bad network \"10.0.0.0/8x\": prefix length must be a number from "
	    "0 to 32" },
	{ "netmask form", "10.0.0.0/255.0.0.0",
	    "bad network \"10.0.0.0/255.0.0.0\": prefix length must be a "
	    "number from 0 to 32" },
	{ "leading zero prefix", "10.0.0.0/08",
	    "bad network \"10.0.0.0/08\": prefix length \"08\" has a leading "
	    "zero; write /8" },
	{ "double slash", "10.0.0.0//8",
	    "bad network \"10.0.0.0//8\": prefix length must be a number from "
	    "0 to 32" },
	{ "ipv6 prefix 129", "[2001:db8::]/129",
	    "bad network \"[2001:db8::]/129\": prefix length must be a number "
	    "from 0 to 128" },
	{ "ipv6 bare prefix 129", "2001:db8::/129",
	    "bad network \"2001:db8::/129\": prefix length must be a number "
	    "from 0 to 128" },
	{ "ipv6 negative prefix", "[2001:db8::]/-1",
	    "bad network \"[2001:db8::]/-1\": prefix length must be a number "
	    "from 0 to 128" },
	{ "shorthand (libcidr takes)", "10.1",
	    "bad network \"10.1\": not an IPv4 or IPv6 address" },
	{ "shorthand with prefix", "10/8",
	    "bad network \"10/8\": not an IPv4 or IPv6 address" },
	{ "ipv4 leading zero", "010.0.0.1",
	    "bad network \"010.0.0.1\": not an IPv4 or IPv6 address" },
	{ "ipv4 octet too big", "256.0.0.0/8",
	    "bad network \"256.0.0.0/8\": not an IPv4 or IPv6 address" },
	{ "host name", "mail.example.org",
	    "bad network \"mail.example.org\": not an IPv4 or IPv6 address" },
	{ "ipv6 garbage", "2001:db8::g",
	    "bad network \"2001:db8::g\": not an IPv4 or IPv6 address" },
	{ "ipv6 zone", "fe80::1%eth0",
	    "bad network \"fe80::1%eth0\": not an IPv4 or IPv6 address" },
	{ "8-bit byte escaped", "10.0.0.\xc3\xa9",
	    "bad network \"10.0.0.\\xc3\\xa9\": not an IPv4 or IPv6 address" },
	{ "missing close bracket", "[2001:db8::1",
	    "bad network \"[2001:db8::1\": missing \"]\"" },
	{ "prefix inside brackets", "[2001:db8::/32]",
	    "bad network \"[2001:db8::/32]\": the prefix length goes after "
	    "the \"]\", e.g. [2001:db8::]/32" },
	{ "text after bracket", "[2001:db8::1]x",
	    "bad network \"[2001:db8::1]x\": unexpected text after \"]\"" },
	{ "ipv4 in brackets", "[192.0.2.1]",
	    "bad network \"[192.0.2.1]\": brackets are for IPv6 only; write "
	    "192.0.2.1" },
	{ "empty brackets", "[]",
	    "bad network \"[]\": not an IPv6 address" },
	{ "garbage in brackets", "[mail.example.org]",
	    "bad network \"[mail.example.org]\": not an IPv6 address" },
	{ "IPv6 tag", "IPv6:2001:db8::1",
	    "bad network \"IPv6:2001:db8::1\": write IPv6 networks without "
	    "\"IPv6:\", e.g. 2001:db8::/32 or [2001:db8::]/32" },
	{ "file name", "/etc/postfix/mynetworks",
	    "bad network \"/etc/postfix/mynetworks\": a file name is not "
	    "allowed here; list the networks" },
	{ "lookup table", "hash:/etc/postfix/network_table",
	    "lookup table \"hash:/etc/postfix/network_table\" is not "
	    "supported: list the networks, or put them in a file given by "
	    "absolute path" },
	{ "excluded lookup table", "!cidr:/etc/postfix/network_table",
	    "lookup table \"cidr:/etc/postfix/network_table\" is not "
	    "supported: list the networks, or put them in a file given by "
	    "absolute path" },
	{ "cdb lookup table", "cdb:/etc/postfix/network_table",
	    "lookup table \"cdb:/etc/postfix/network_table\" is not "
	    "supported: list the networks, or put them in a file given by "
	    "absolute path" },
	{ "inline table", "inline:{10.0.0.0/8}",
	    "lookup table \"inline:{10.0.0.0/8}\" is not supported: list the "
	    "networks, or put them in a file given by absolute path" },
	{ "ipv4 host bits", "172.16.1.3/21",
	    "non-null host address bits in \"172.16.1.3/21\", perhaps you "
	    "mean \"172.16.0.0/21\"" },
	{ "ipv4 host bits /0", "10.0.0.1/0",
	    "non-null host address bits in \"10.0.0.1/0\", perhaps you mean "
	    "\"0.0.0.0/0\"" },
	{ "excluded host bits", "!192.168.1.5/24",
	    "non-null host address bits in \"!192.168.1.5/24\", perhaps you "
	    "mean \"!192.168.1.0/24\"" },
	{ "ipv6 host bits bracketed", "[2001:db8::1]/32",
	    "non-null host address bits in \"[2001:db8::1]/32\", perhaps you "
	    "mean \"[2001:db8::]/32\"" },
	{ "ipv6 host bits bare", "2001:db8:1:2::/48",
	    "non-null host address bits in \"2001:db8:1:2::/48\", perhaps "
	    "you mean \"2001:db8:1::/48\"" },
	{ "ipv6 host bits /0", "::1/0",
	    "non-null host address bits in \"::1/0\", perhaps you mean "
	    "\"::/0\"" },
	{ "mapped host bits", "::ffff:10.0.0.1/120",
	    "non-null host address bits in \"::ffff:10.0.0.1/120\", perhaps "
	    "you mean \"::ffff:10.0.0.0/120\"" },
	{ "mapped below /96", "::ffff:0.0.0.0/80",
	    "non-null host address bits in \"::ffff:0.0.0.0/80\", perhaps you "
	    "mean \"::/80\"" },
	{ "mapped host bits bracketed", "[::ffff:192.0.2.1]/120",
	    "non-null host address bits in \"[::ffff:192.0.2.1]/120\", "
	    "perhaps you mean \"[::ffff:192.0.2.0]/120\"" },
	{ "excluded mapped host bits", "!::ffff:192.0.2.1/120",
	    "non-null host address bits in \"!::ffff:192.0.2.1/120\", "
	    "perhaps you mean \"!::ffff:192.0.2.0/120\"" },
};

START_TEST(test_reject)
{
	const struct reject_case *c = &reject_cases[_i];
	struct netset *set = netset_new();
	char err[512] = "";

	ck_assert(set != NULL);
	ck_assert_msg(!netset_add(set, c->pattern, err, sizeof(err)),
	    "%s: \"%s\" accepted, want refused with \"%s\"", c->name,
	    c->pattern, c->err);
	ck_assert_msg(strcmp(err, c->err) == 0,
	    "%s: got error\n  \"%s\"\nwant\n  \"%s\"", c->name, err, c->err);
	ck_assert_msg(netset_count(set) == 0, "%s: count %zu after a refused "
	    "pattern, want 0", c->name, netset_count(set));
	netset_free(set);
}
END_TEST

struct match_case {
	const char	*name;
	const char	*patterns[6];	/* NULL-terminated, in order */
	const char	*client;	/* netaddr_parse() text */
	bool		want;
};

static const struct match_case match_cases[] = {
	{ "ipv4 host", { "192.0.2.1" }, "192.0.2.1", true },
	{ "ipv4 host, neighbour", { "192.0.2.1" }, "192.0.2.2", false },
	{ "ipv4 /32", { "192.0.2.1/32" }, "192.0.2.1", true },
	{ "ipv4 /32, neighbour", { "192.0.2.1/32" }, "192.0.2.0", false },
	{ "ipv4 /24 first", { "192.0.2.0/24" }, "192.0.2.0", true },
	{ "ipv4 /24 last", { "192.0.2.0/24" }, "192.0.2.255", true },
	{ "ipv4 /24 outside", { "192.0.2.0/24" }, "192.0.3.0", false },
	{ "ipv4 /21", { "172.16.0.0/21" }, "172.16.7.255", true },
	{ "ipv4 /21 outside", { "172.16.0.0/21" }, "172.16.8.0", false },
	{ "ipv4 /1", { "128.0.0.0/1" }, "255.0.0.1", true },
	{ "ipv4 /1 outside", { "128.0.0.0/1" }, "127.255.255.255", false },
	{ "ipv4 /0", { "0.0.0.0/0" }, "203.0.113.9", true },
	{ "ipv4 /0 and ipv6 client", { "0.0.0.0/0" }, "2001:db8::1", false },
	{ "ipv4 net and ipv6 client with same bits", { "32.1.13.184/32" },
	    "2001:db8::", false },
	{ "ipv6 /128", { "[2001:db8::1]/128" }, "2001:db8::1", true },
	{ "ipv6 /128 neighbour", { "[2001:db8::1]/128" }, "2001:db8::2",
	    false },
	{ "ipv6 bare host", { "2001:db8::1" }, "[2001:db8::1]", true },
	{ "ipv6 /32", { "[2001:db8::]/32" }, "2001:db8:ffff::1", true },
	{ "ipv6 /32 outside", { "[2001:db8::]/32" }, "2001:db9::1", false },
	{ "ipv6 /65", { "[2001:db8::8000:0:0:0]/65" }, "2001:db8::ffff:0:0:1",
	    true },
	{ "ipv6 /65 outside", { "[2001:db8::8000:0:0:0]/65" },
	    "2001:db8::7fff:0:0:1", false },
	{ "ipv6 /0", { "[::]/0" }, "2001:db8::1", true },
	{ "ipv6 /0 and ipv4 client", { "::/0" }, "192.0.2.1", false },
	{ "ipv6 /0 and mapped client", { "::/0" }, "::ffff:192.0.2.1", false },
	{ "ipv6 client tag", { "[2001:db8::]/32" }, "IPv6:2001:db8::5", true },
	{ "mapped client, ipv4 net", { "192.0.2.0/24" }, "::ffff:192.0.2.7",
	    true },
	{ "mapped client in brackets", { "192.0.2.0/24" },
	    "[::ffff:192.0.2.7]", true },
	{ "mapped client, outside", { "192.0.2.0/24" }, "::ffff:192.0.3.7",
	    false },
	/*
	 * An IPv6 pattern, IPv4-mapped or not, is compared with IPv6 clients
	 * only, as Postfix's match_hostaddr() does ("Don't bother matching
	 * IPv4 against IPv6"); mapped clients arrive as IPv4 (netaddr folds
	 * them, as Postfix does), so a pattern inside ::ffff:0:0/96 matches
	 * no client. These once matched: the patterns were folded to IPv4,
	 * and [::ffff:0:0]/96 let every IPv4 client relay where Postfix's
	 * mynetworks lets none.
	 */
	{ "mapped /96 entry, ipv4 client", { "[::ffff:0:0]/96" },
	    "192.0.2.1", false },
	{ "mapped /96 entry, other ipv4 client", { "[::ffff:0:0]/96" },
	    "203.0.113.7", false },
	{ "mapped /96 entry dotted, ipv4 client", { "::ffff:0.0.0.0/96" },
	    "198.51.100.1", false },
	{ "mapped /96 entry, mapped client", { "[::ffff:0:0]/96" },
	    "::ffff:203.0.113.7", false },
	{ "mapped /96 entry, ipv6 client", { "::ffff:0.0.0.0/96" },
	    "2001:db8::1", false },
	{ "mapped /120 entry, ipv4 client inside", { "[::ffff:192.0.2.0]/120" },
	    "192.0.2.1", false },
	{ "mapped /120 entry, ipv4 client outside",
	    { "[::ffff:192.0.2.0]/120" }, "203.0.113.7", false },
	{ "mapped /120 entry, mapped client", { "[::ffff:192.0.2.0]/120" },
	    "::ffff:192.0.2.1", false },
	{ "mapped /104 entry, ipv4 client", { "[::ffff:10.0.0.0]/104" },
	    "10.200.3.4", false },
	{ "mapped host entry, ipv4 client", { "::ffff:192.0.2.1" },
	    "192.0.2.1", false },
	{ "mapped host entry, other ipv4 client", { "::ffff:192.0.2.1" },
	    "203.0.113.7", false },
	{ "mapped host entry bracketed", { "[::ffff:192.0.2.1]" },
	    "192.0.2.1", false },
	{ "mapped host entry, mapped client", { "::ffff:192.0.2.1" },
	    "[::ffff:192.0.2.1]", false },
	{ "mapped entries, then the ipv4 network",
	    { "[::ffff:0:0]/96", "::ffff:192.0.2.1", "192.0.2.0/24" },
	    "192.0.2.1", true },
	{ "excluded host first",
	    { "!192.168.1.5", "192.168.1.0/24" }, "192.168.1.5", false },
	{ "excluded host first, neighbour",
	    { "!192.168.1.5", "192.168.1.0/24" }, "192.168.1.6", true },
	{ "exclusion after the network is too late",
	    { "192.168.1.0/24", "!192.168.1.5" }, "192.168.1.5", true },
	{ "excluded network first",
	    { "!10.1.0.0/16", "10.0.0.0/8" }, "10.1.2.3", false },
	{ "excluded network, rest of /8",
	    { "!10.1.0.0/16", "10.0.0.0/8" }, "10.2.0.1", true },
	{ "exclusion alone matches nothing", { "!10.0.0.0/8" }, "10.0.0.1",
	    false },
	{ "exclude ipv6 then allow",
	    { "![2001:db8::1]", "[2001:db8::]/32" }, "2001:db8::1", false },
	{ "exclude ipv6 then allow, neighbour",
	    { "![2001:db8::1]", "[2001:db8::]/32" }, "2001:db8::2", true },
	/* Excluding a mapped entry excludes no IPv4 client, in Postfix too. */
	{ "excluded mapped entry, ipv4 client",
	    { "!::ffff:192.0.2.1", "192.0.2.0/24" }, "192.0.2.1", true },
	{ "duplicate: first include wins",
	    { "10.0.0.0/8", "!10.0.0.0/8" }, "10.0.0.1", true },
	{ "duplicate: first exclude wins",
	    { "!10.0.0.0/8", "10.0.0.0/8" }, "10.0.0.1", false },
	{ "ipv4 and mapped spellings are two networks",
	    { "::ffff:192.0.2.1", "!192.0.2.1" }, "192.0.2.1", false },
	{ "first of several lengths",
	    { "10.0.0.0/8", "!10.1.0.0/16", "!10.1.1.0/24" }, "10.1.1.1",
	    true },
	{ "empty set", { NULL }, "192.0.2.1", false },
};

START_TEST(test_match)
{
	const struct match_case *c = &match_cases[_i];
	struct netset *set = netset_new();
	struct netaddr a;
	char err[512];
	size_t n;
	bool got;

	ck_assert(set != NULL);
	for (n = 0; c->patterns[n] != NULL; n++)
		ck_assert_msg(netset_add(set, c->patterns[n], err, sizeof(err)),
		    "%s: \"%s\" refused: %s", c->name, c->patterns[n], err);
	ck_assert_msg(netset_count(set) == n, "%s: count %zu, want %zu",
	    c->name, netset_count(set), n);
	ck_assert_msg(netaddr_parse(c->client, &a), "%s: client \"%s\" does "
	    "not parse", c->name, c->client);
	got = netset_contains(set, &a);
	ck_assert_msg(got == c->want, "%s: %s got %s, want %s", c->name,
	    c->client, got ? "match" : "no match", c->want ? "match" :
	    "no match");
	netset_free(set);
}
END_TEST

/*
 * A caller that builds a struct netaddr by hand may leave it mapped: it
 * is still the IPv4 client it carries, inside IPv4 networks and in no
 * IPv6 one, IPv4-mapped patterns included (as in Postfix).
 */
struct unfolded_case {
	const char	*name;
	const char	*pattern;
	const char	*client;	/* inet_pton(AF_INET6) text */
	bool		want;
};

static const struct unfolded_case unfolded_cases[] = {
	{ "ipv4 network", "192.0.2.0/24", "::ffff:192.0.2.9", true },
	{ "ipv4 network, outside", "192.0.2.0/24", "::ffff:203.0.113.7",
	    false },
	{ "ipv4 /0", "0.0.0.0/0", "::ffff:203.0.113.7", true },
	{ "ipv6 /0", "::/0", "::ffff:203.0.113.7", false },
	{ "mapped /96", "[::ffff:0:0]/96", "::ffff:192.0.2.1", false },
	{ "mapped /96, other client", "[::ffff:0:0]/96",
	    "::ffff:203.0.113.7", false },
	{ "mapped /120", "[::ffff:192.0.2.0]/120", "::ffff:192.0.2.1", false },
	{ "mapped host", "::ffff:192.0.2.1", "::ffff:192.0.2.1", false },
	{ "mapped host, other client", "::ffff:192.0.2.1",
	    "::ffff:203.0.113.7", false },
};

START_TEST(test_unfolded_mapped_client)
{
	const struct unfolded_case *c = &unfolded_cases[_i];
	struct netset *set = netset_new();
	struct netaddr a;
	char err[512];
	bool got;

	ck_assert(set != NULL);
	ck_assert_msg(netset_add(set, c->pattern, err, sizeof(err)),
	    "%s: \"%s\" refused: %s", c->name, c->pattern, err);
	memset(&a, 0, sizeof(a));
	a.family = AF_INET6;
	ck_assert(inet_pton(AF_INET6, c->client, a.bytes) == 1);
	got = netset_contains(set, &a);
	ck_assert_msg(got == c->want, "%s: unfolded %s against \"%s\" got "
	    "%s, want %s", c->name, c->client, c->pattern, got ? "match" :
	    "no match", c->want ? "match" : "no match");
	a.family = AF_UNIX;
	ck_assert_msg(!netset_contains(set, &a), "%s: AF_UNIX: match, want "
	    "none", c->name);
	netset_free(set);
}
END_TEST

START_TEST(test_null_and_counts)
{
	struct netset *set = netset_new();
	struct netaddr a;
	char err[512];

	netset_free(NULL);
	ck_assert(netaddr_parse("192.0.2.1", &a));
	ck_assert_msg(!netset_contains(NULL, &a), "NULL set matched");
	ck_assert_msg(netset_count(NULL) == 0, "NULL set count not 0");
	ck_assert(set != NULL);
	ck_assert_msg(!netset_contains(set, NULL), "NULL address matched");
	ck_assert(netset_add(set, "192.0.2.0/24", err, sizeof(err)));
	ck_assert(netset_add(set, "192.0.2.0/24", err, sizeof(err)));
	ck_assert(!netset_add(set, "192.0.2.1/24", err, sizeof(err)));
	ck_assert(!netset_add(set, NULL, err, sizeof(err)));
	/* A NULL or empty err buffer is allowed. */
	ck_assert(!netset_add(set, "10.1", NULL, 0));
	ck_assert(!netset_add(set, "10.1", err, 0));
	ck_assert_msg(netset_count(set) == 2, "count %zu, want 2 (duplicates "
	    "count, refused patterns do not)", netset_count(set));
	/* A short err buffer gets a truncated, terminated message. */
	ck_assert(!netset_add(set, "10.1", err, 8));
	ck_assert_msg(strcmp(err, "bad net") == 0, "truncated: got \"%s\"",
	    err);
	netset_free(set);
}
END_TEST

/*
 * 100000 generated patterns, alternating IPv4 and IPv6, several prefix
 * lengths each, an exclusion up front and a catch-all at the end.
 */
#define BIG	100000

static void
big_v4(unsigned i, unsigned low, char *buf, size_t len)
{
	unsigned base = 0x0b000000u + (i << 8);	/* 11.x.y.0 */

	base |= low;
	snprintf(buf, len, "%u.%u.%u.%u", base >> 24, (base >> 16) & 255,
	    (base >> 8) & 255, base & 255);
}

static void
big_v6(unsigned i, const char *tail, char *buf, size_t len)
{
	snprintf(buf, len, "2001:db8:%x:%x:%s", i >> 16, i & 0xffff, tail);
}

/* Pattern k: IPv4 for even k, IPv6 for odd, both numbered i = k / 2. */
static void
big_pattern(unsigned k, char *pat, size_t len)
{
	static const struct { unsigned low; const char *suffix; } v4[4] = {
		{ 0, "/24" }, { 0, "/25" }, { 1, "" }, { 0x40, "/28" },
	};
	static const struct { const char *tail, *open, *suffix; } v6[3] = {
		{ ":", "", "/64" }, { ":1", "[", "]" }, { "8000::", "[", "]/65" },
	};
	unsigned i = k / 2;
	char addr[96];

	if (k % 2 == 0) {
		big_v4(i, v4[i % 4].low, addr, sizeof(addr));
		snprintf(pat, len, "%s%s", addr, v4[i % 4].suffix);
	} else {
		big_v6(i, v6[i % 3].tail, addr, sizeof(addr));
		snprintf(pat, len, "%s%s%s", v6[i % 3].open, addr,
		    v6[i % 3].suffix);
	}
}

/* i = 0: 11.0.0.0/24 with 11.0.0.5 excluded; 1: 11.0.1.0/25; 2: 11.0.2.1;
 * 3: 11.0.3.64/28; IPv6 i = 0: 2001:db8:0:0::/64; 1: 2001:db8:0:1::1;
 * 2: 2001:db8:0:2:8000::/65; and so on up to i = 49998. */
struct big_case {
	const char	*name;
	const char	*client;
	bool		want;
};

static const struct big_case big_cases[] = {
	{ "excluded before its /24", "11.0.0.5", false },
	{ "rest of that /24", "11.0.0.6", true },
	{ "end of that /24", "11.0.0.255", true },
	{ "i=4000 /24", "11.15.160.0", true },
	{ "i=1 /25", "11.0.1.127", true },
	{ "i=1 past /25", "11.0.1.128", false },
	{ "i=49997 /25", "11.195.77.0", true },
	{ "i=49997 past /25", "11.195.77.255", false },
	{ "i=2 host", "11.0.2.1", true },
	{ "i=2 neighbour", "11.0.2.2", false },
	{ "i=49998 host", "11.195.78.1", true },
	{ "i=3 /28 start", "11.0.3.64", true },
	{ "i=3 /28 end", "11.0.3.79", true },
	{ "i=3 after /28", "11.0.3.80", false },
	{ "i=3 before /28", "11.0.3.63", false },
	{ "i=49995 /28", "11.195.75.79", true },
	{ "i=50000 not added", "11.195.80.0", false },
	{ "mapped client", "::ffff:11.0.0.6", true },
	{ "mapped excluded client", "::ffff:11.0.0.5", false },
	{ "v6 i=0 /64", "2001:db8::abcd", true },
	{ "v6 i=49998 /64 end", "2001:db8:0:c34e:ffff:ffff:ffff:ffff", true },
	{ "v6 i=1 host", "2001:db8:0:1::1", true },
	{ "v6 i=1 neighbour", "2001:db8:0:1::2", false },
	{ "v6 i=49996 host", "2001:db8:0:c34c::1", true },
	{ "v6 i=2 /65 upper half", "2001:db8:0:2:ffff::1", true },
	{ "v6 i=2 /65 lower half", "2001:db8:0:2:7fff::1", false },
	{ "v6 i=50000 not added", "2001:db8:0:c350::", false },
	{ "last pattern", "12.1.2.3", true },
	{ "last pattern mapped", "::ffff:12.9.9.9", true },
	{ "outside everything", "13.0.0.1", false },
	{ "outside everything v6", "2001:db9::1", false },
	{ "ipv6 with an ipv4 net's bits", "b00:0::", false },
};

START_TEST(test_big)
{
	struct netset *set = netset_new();
	struct netaddr a;
	char pat[128], err[512];
	int k;

	ck_assert(set != NULL);
	ck_assert(netset_add(set, "!11.0.0.5", err, sizeof(err)));
	for (k = 0; k < BIG - 2; k++) {
		big_pattern((unsigned)k, pat, sizeof(pat));
		ck_assert_msg(netset_add(set, pat, err, sizeof(err)),
		    "pattern %d \"%s\" refused: %s", k, pat, err);
	}
	ck_assert(netset_add(set, "12.0.0.0/8", err, sizeof(err)));
	ck_assert_msg(netset_count(set) == BIG, "count %zu, want %d",
	    netset_count(set), BIG);

	for (k = 0; k < NCASES(big_cases); k++) {
		const struct big_case *c = &big_cases[k];
		bool got;

		ck_assert_msg(netaddr_parse(c->client, &a), "%s: client \"%s\" "
		    "does not parse", c->name, c->client);
		got = netset_contains(set, &a);
		ck_assert_msg(got == c->want, "%s: %s got %s, want %s", c->name,
		    c->client, got ? "match" : "no match", c->want ? "match" :
		    "no match");
	}
	netset_free(set);
}
END_TEST

/*
 * Random sets in small address spaces (so that networks nest and
 * overlap, with many prefix lengths and exclusions) against a linear
 * first-match scan: whatever the storage does, the answer must be the
 * one a reading of the list from the top gives.
 */
struct lin_pat {
	int	family;
	uint8_t	bytes[16];
	unsigned plen;
	bool	exclude;
};

static uint64_t
lin_rand(uint64_t *state)
{
	uint64_t x = (*state += UINT64_C(0x9e3779b97f4a7c15));

	x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
	return x ^ (x >> 31);
}

/* 10.0.0.0/16 or 2001:db8::/112 with random low 16 bits. */
static void
lin_addr(uint64_t *st, int family, uint8_t b[16])
{
	uint64_t r = lin_rand(st);

	memset(b, 0, 16);
	if (family == AF_INET) {
		b[0] = 10;
		b[2] = (uint8_t)r;
		b[3] = (uint8_t)(r >> 8);
	} else {
		b[0] = 0x20;
		b[1] = 0x01;
		b[2] = 0x0d;
		b[3] = 0xb8;
		b[14] = (uint8_t)r;
		b[15] = (uint8_t)(r >> 8);
	}
}

static bool
lin_in(const struct lin_pat *p, const struct netaddr *a)
{
	unsigned full = p->plen / 8, rest = p->plen % 8;

	if (p->family != a->family || memcmp(p->bytes, a->bytes, full) != 0)
		return false;
	return rest == 0 || ((p->bytes[full] ^ a->bytes[full]) &
	    (0xffu << (8 - rest))) == 0;
}

START_TEST(test_against_linear)
{
	enum { NPAT = 300, NCLIENT = 5000 };
	static struct lin_pat pats[NPAT];
	uint64_t st = UINT64_C(0x5ca1e) + (uint64_t)_i;
	struct netset *set = netset_new();
	char text[96], addr[INET6_ADDRSTRLEN], err[512];
	int k, j;

	ck_assert(set != NULL);
	for (k = 0; k < NPAT; k++) {
		struct lin_pat *p = &pats[k];
		uint64_t r = lin_rand(&st);
		unsigned total, bit;

		p->family = r % 3 == 0 ? AF_INET6 : AF_INET;
		total = p->family == AF_INET ? 32 : 128;
		/* Mostly the last 16 bits' lengths, some shorter ones. */
		p->plen = (r >> 8) % 8 == 0 ? (unsigned)((r >> 16) % (total + 1))
		    : total - (unsigned)((r >> 16) % 17);
		p->exclude = (r >> 32) % 10 < 3;
		lin_addr(&st, p->family, p->bytes);
		for (bit = p->plen; bit < total; bit++)
			p->bytes[bit / 8] &= (uint8_t)~(0x80u >> (bit % 8));
		inet_ntop(p->family, p->bytes, addr, sizeof(addr));
		snprintf(text, sizeof(text), "%s%s%s%s/%u", p->exclude ? "!" :
		    "", p->family == AF_INET6 ? "[" : "", addr,
		    p->family == AF_INET6 ? "]" : "", p->plen);
		ck_assert_msg(netset_add(set, text, err, sizeof(err)),
		    "set %d pattern %d \"%s\" refused: %s", _i, k, text, err);
	}
	for (j = 0; j < NCLIENT; j++) {
		struct netaddr a;
		bool got, want = false;

		memset(&a, 0, sizeof(a));
		a.family = j % 3 == 0 ? AF_INET6 : AF_INET;
		lin_addr(&st, a.family, a.bytes);
		for (k = 0; k < NPAT; k++) {
			if (lin_in(&pats[k], &a)) {
				want = !pats[k].exclude;
				break;
			}
		}
		got = netset_contains(set, &a);
		inet_ntop(a.family, a.bytes, addr, sizeof(addr));
		ck_assert_msg(got == want, "set %d client %s: got %s, want %s "
		    "(first matching pattern %d)", _i, addr, got ? "match" :
		    "no match", want ? "match" : "no match", k);
	}
	netset_free(set);
}
END_TEST

Suite *netset_suite(void);

Suite *
netset_suite(void)
{
	Suite *s = suite_create("netset");
	TCase *tc = tcase_create("netset");

	tcase_add_loop_test(tc, test_accept, 0, NCASES(accept_cases));
	tcase_add_loop_test(tc, test_reject, 0, NCASES(reject_cases));
	tcase_add_loop_test(tc, test_match, 0, NCASES(match_cases));
	tcase_add_loop_test(tc, test_unfolded_mapped_client, 0,
	    NCASES(unfolded_cases));
	tcase_add_test(tc, test_null_and_counts);
	suite_add_tcase(s, tc);

	tc = tcase_create("netset_big");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_big);
	tcase_add_loop_test(tc, test_against_linear, 0, 8);
	suite_add_tcase(s, tc);
	return s;
}
