/*
 * netaddr: every accepted client-address form, every refused one, the
 * sockaddr conversion and formatting. IPv4-mapped IPv6 must come out as
 * IPv4 whichever way it came in.
 */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/un.h>

#include "netaddr.h"

struct parse_case {
	const char	*name;
	const char	*input;
	int		family;		/* 0: must be refused */
	const char	*text;		/* netaddr_format() of the result */
};

static const struct parse_case parse_cases[] = {
	{ "ipv4", "192.0.2.1", AF_INET, "192.0.2.1" },
	{ "ipv4 zero", "0.0.0.0", AF_INET, "0.0.0.0" },
	{ "ipv4 all ones", "255.255.255.255", AF_INET, "255.255.255.255" },
	{ "ipv6", "2001:db8::1", AF_INET6, "2001:db8::1" },
	{ "ipv6 upper case", "2001:DB8::A", AF_INET6, "2001:db8::a" },
	{ "ipv6 full form", "2001:0db8:0000:0000:0000:0000:0000:0001",
	    AF_INET6, "2001:db8::1" },
	{ "ipv6 loopback", "::1", AF_INET6, "::1" },
	{ "ipv6 unspecified", "::", AF_INET6, "::" },
	{ "ipv6 bracketed", "[2001:db8::1]", AF_INET6, "2001:db8::1" },
	{ "ipv6 tag", "IPv6:2001:db8::1", AF_INET6, "2001:db8::1" },
	{ "ipv6 tag lower case", "ipv6:2001:db8::1", AF_INET6, "2001:db8::1" },
	{ "mapped", "::ffff:192.0.2.1", AF_INET, "192.0.2.1" },
	{ "mapped hex", "::ffff:c000:201", AF_INET, "192.0.2.1" },
	{ "mapped upper case", "::FFFF:192.0.2.1", AF_INET, "192.0.2.1" },
	{ "mapped bracketed", "[::ffff:192.0.2.1]", AF_INET, "192.0.2.1" },
	{ "mapped tag", "IPv6:::ffff:192.0.2.1", AF_INET, "192.0.2.1" },
	{ "v4-compatible stays ipv6", "::192.0.2.1", AF_INET6, "::192.0.2.1" },
	{ "longest tagged",
	    "IPv6:ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255", AF_INET6,
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" },

	{ "empty", "", 0, NULL },
	{ "ipv4 shorthand two parts", "10.1", 0, NULL },
	{ "ipv4 shorthand one part", "10", 0, NULL },
	{ "ipv4 leading zero", "010.0.0.1", 0, NULL },
	{ "ipv4 hex", "0x0a.0.0.1", 0, NULL },
	{ "ipv4 octet too big", "256.0.0.1", 0, NULL },
	{ "ipv4 five parts", "1.2.3.4.5", 0, NULL },
	{ "ipv4 trailing dot", "192.0.2.1.", 0, NULL },
	{ "leading space", " 192.0.2.1", 0, NULL },
	{ "trailing space", "192.0.2.1 ", 0, NULL },
	{ "trailing newline", "192.0.2.1\n", 0, NULL },
	{ "prefix", "192.0.2.1/32", 0, NULL },
	{ "ipv4 bracketed", "[192.0.2.1]", 0, NULL },
	{ "ipv4 tagged", "IPv6:192.0.2.1", 0, NULL },
	{ "missing close bracket", "[2001:db8::1", 0, NULL },
	{ "missing open bracket", "2001:db8::1]", 0, NULL },
	{ "empty brackets", "[]", 0, NULL },
	{ "lone bracket", "[", 0, NULL },
	{ "empty tag", "IPv6:", 0, NULL },
	{ "tag inside brackets", "[IPv6:2001:db8::1]", 0, NULL },
	{ "brackets inside tag", "IPv6:[2001:db8::1]", 0, NULL },
	{ "zone id", "fe80::1%eth0", 0, NULL },
	{ "triple colon", "2001:db8:::1", 0, NULL },
	{ "nine groups", "1:2:3:4:5:6:7:8:9", 0, NULL },
	{ "ipv6 prefix", "2001:db8::/32", 0, NULL },
	{ "mapped trailing garbage", "::ffff:192.0.2.1x", 0, NULL },
	{ "host name", "mail.example.org", 0, NULL },
};

START_TEST(test_parse)
{
	const struct parse_case *c = &parse_cases[_i];
	struct netaddr a;
	char text[NETADDR_TEXT_MAX];
	bool ok;

	memset(&a, 0xa5, sizeof(a));
	ok = netaddr_parse(c->input, &a);
	if (c->family == 0) {
		ck_assert_msg(!ok, "%s: \"%s\" was accepted, want refused",
		    c->name, c->input);
		return;
	}
	ck_assert_msg(ok, "%s: \"%s\" was refused, want accepted",
	    c->name, c->input);
	ck_assert_msg(a.family == c->family, "%s: family %d, want %d",
	    c->name, a.family, c->family);
	netaddr_format(&a, text, sizeof(text));
	ck_assert_msg(strcmp(text, c->text) == 0, "%s: got \"%s\", want \"%s\"",
	    c->name, text, c->text);
	if (a.family == AF_INET) {
		static const uint8_t zero[12];

		ck_assert_msg(memcmp(a.bytes + 4, zero, 12) == 0,
		    "%s: IPv4 bytes 4..15 not zeroed", c->name);
	}
}
END_TEST

START_TEST(test_parse_null)
{
	struct netaddr a;

	ck_assert_msg(!netaddr_parse(NULL, &a), "NULL text: accepted");
	ck_assert_msg(!netaddr_parse("192.0.2.1", NULL), "NULL out: accepted");
}
END_TEST

struct sa_case {
	const char	*name;
	int		sa_family;
	const char	*addr;		/* inet_pton text for sa_family */
	bool		ok;
	int		family;
	const char	*text;
};

static const struct sa_case sa_cases[] = {
	{ "sockaddr_in", AF_INET, "192.0.2.1", true, AF_INET, "192.0.2.1" },
	{ "sockaddr_in6", AF_INET6, "2001:db8::1", true, AF_INET6,
	    "2001:db8::1" },
	{ "sockaddr_in6 mapped", AF_INET6, "::ffff:192.0.2.1", true, AF_INET,
	    "192.0.2.1" },
	{ "sockaddr_in6 loopback", AF_INET6, "::1", true, AF_INET6, "::1" },
	{ "sockaddr_un", AF_UNIX, NULL, false, 0, NULL },
};

START_TEST(test_sockaddr)
{
	const struct sa_case *c = &sa_cases[_i];
	struct sockaddr_storage ss;
	struct netaddr a;
	char text[NETADDR_TEXT_MAX];
	bool ok;

	memset(&ss, 0, sizeof(ss));
	ss.ss_family = (sa_family_t)c->sa_family;
	if (c->sa_family == AF_INET)
		ck_assert(inet_pton(AF_INET, c->addr,
		    &((struct sockaddr_in *)&ss)->sin_addr) == 1);
	else if (c->sa_family == AF_INET6)
		ck_assert(inet_pton(AF_INET6, c->addr,
		    &((struct sockaddr_in6 *)&ss)->sin6_addr) == 1);
	ok = netaddr_from_sockaddr((struct sockaddr *)&ss, &a);
	ck_assert_msg(ok == c->ok, "%s: got %s, want %s", c->name,
	    ok ? "accepted" : "refused", c->ok ? "accepted" : "refused");
	if (!ok)
		return;
	ck_assert_msg(a.family == c->family, "%s: family %d, want %d",
	    c->name, a.family, c->family);
	netaddr_format(&a, text, sizeof(text));
	ck_assert_msg(strcmp(text, c->text) == 0, "%s: got \"%s\", want \"%s\"",
	    c->name, text, c->text);
}
END_TEST

START_TEST(test_sockaddr_null)
{
	struct netaddr a;

	ck_assert_msg(!netaddr_from_sockaddr(NULL, &a), "NULL sockaddr: "
	    "accepted");
}
END_TEST

struct fmt_case {
	const char	*name;
	int		family;
	const char	*addr;
	size_t		len;
	const char	*want;
};

static const struct fmt_case fmt_cases[] = {
	{ "ipv4", AF_INET, "192.0.2.1", NETADDR_TEXT_MAX, "192.0.2.1" },
	{ "ipv4 exact fit", AF_INET, "192.0.2.1", 10, "192.0.2.1" },
	{ "ipv4 one short", AF_INET, "192.0.2.1", 9, "" },
	{ "ipv6", AF_INET6, "2001:db8::1", NETADDR_TEXT_MAX, "2001:db8::1" },
	{ "ipv6 too small", AF_INET6, "2001:db8::1", 4, "" },
	{ "longest ipv6", AF_INET6, "ffff:ffff:ffff:ffff:ffff:ffff:1.2.3.4",
	    NETADDR_TEXT_MAX, "ffff:ffff:ffff:ffff:ffff:ffff:102:304" },
	{ "unknown family", AF_UNIX, NULL, NETADDR_TEXT_MAX, "" },
};

START_TEST(test_format)
{
	const struct fmt_case *c = &fmt_cases[_i];
	struct netaddr a;
	char text[64];

	memset(&a, 0, sizeof(a));
	a.family = c->family;
	if (c->addr != NULL)
		ck_assert(inet_pton(c->family, c->addr, a.bytes) == 1);
	memset(text, 'x', sizeof(text));
	netaddr_format(&a, text, c->len);
	ck_assert_msg(strcmp(text, c->want) == 0, "%s: got \"%s\", want \"%s\"",
	    c->name, text, c->want);
}
END_TEST

/* Every byte value in every position, against the dotted quad printed
 * here. */
START_TEST(test_format_ipv4_every_byte)
{
	struct netaddr a;
	char got[NETADDR_TEXT_MAX], want[NETADDR_TEXT_MAX];
	int at, v;

	for (at = 0; at < 4; at++)
		for (v = 0; v < 256; v++) {
			memset(&a, 0, sizeof(a));
			a.family = AF_INET;
			memcpy(a.bytes, "\x0a\x63\x64\xff", 4);
			a.bytes[at] = (uint8_t)v;
			snprintf(want, sizeof(want), "%u.%u.%u.%u",
			    a.bytes[0], a.bytes[1], a.bytes[2], a.bytes[3]);
			netaddr_format(&a, got, sizeof(got));
			ck_assert_msg(strcmp(got, want) == 0, "byte %d = %d: got"
			    " \"%s\", want \"%s\"", at, v, got, want);
		}
}
END_TEST

START_TEST(test_format_zero_len)
{
	struct netaddr a;
	char text[4] = "abc";

	ck_assert(netaddr_parse("192.0.2.1", &a));
	netaddr_format(&a, text, 0);
	ck_assert_msg(strcmp(text, "abc") == 0, "len 0: buffer written");
}
END_TEST

#define NCASES(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *netaddr_suite(void);

Suite *
netaddr_suite(void)
{
	Suite *s = suite_create("netaddr");
	TCase *tc = tcase_create("netaddr");

	tcase_add_loop_test(tc, test_parse, 0, NCASES(parse_cases));
	tcase_add_test(tc, test_parse_null);
	tcase_add_loop_test(tc, test_sockaddr, 0, NCASES(sa_cases));
	tcase_add_test(tc, test_sockaddr_null);
	tcase_add_loop_test(tc, test_format, 0, NCASES(fmt_cases));
	tcase_add_test(tc, test_format_ipv4_every_byte);
	tcase_add_test(tc, test_format_zero_len);
	suite_add_tcase(s, tc);
	return s;
}
