/*
 * addr: every recipient form the policy must see through (brackets,
 * quotes, case, trailing dot, source routes, literals, routing
 * characters, unqualified names, the null path), every kind of bad
 * syntax, and the RFC 5321 section 4.5.3.1 bounds exactly at and one
 * over each limit.
 */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "testutil.h"

/* Flags, so that a table row states all of them at once. */
#define Q	0x01	/* qualified */
#define R	0x02	/* routing */
#define L	0x04	/* literal */
#define S	0x08	/* source_route */
#define P	0x10	/* postmaster */

static const char *
status_name(enum addr_status s)
{
	switch (s) {
	case ADDR_OK:		return "ADDR_OK";
	case ADDR_NULL:		return "ADDR_NULL";
	case ADDR_BAD_SYNTAX:	return "ADDR_BAD_SYNTAX";
	case ADDR_TOO_LONG:	return "ADDR_TOO_LONG";
	}
	return "(bad status)";
}

static void
flag_names(unsigned f, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s%s|",
	    f & Q ? "|qualified" : "", f & R ? "|routing" : "",
	    f & L ? "|literal" : "", f & S ? "|source_route" : "",
	    f & P ? "|postmaster" : "");
}

static unsigned
flags_of(const struct addr *a)
{
	return (a->qualified ? Q : 0) | (a->routing ? R : 0) |
	    (a->literal ? L : 0) | (a->source_route ? S : 0) |
	    (a->postmaster ? P : 0);
}

struct parse_case {
	const char	*name;
	const char	*in;
	enum addr_status want;
	const char	*domain;	/* when ADDR_OK */
	unsigned	flags;		/* when ADDR_OK */
};

static const struct parse_case parse_cases[] = {
	/* Brackets, case, trailing dot. */
	{ "angle brackets", "<user@bluemind.loc>", ADDR_OK, "bluemind.loc", Q },
	{ "no brackets", "user@bluemind.loc", ADDR_OK, "bluemind.loc", Q },
	{ "mixed case domain", "<User@BlueMind.LOC>", ADDR_OK,
	    "bluemind.loc", Q },
	{ "trailing dot", "<user@bluemind.loc.>", ADDR_OK, "bluemind.loc", Q },
	{ "trailing dot no brackets", "user@BlueMind.Loc.", ADDR_OK,
	    "bluemind.loc", Q },
	{ "dots in local part", "<first.last@bluemind.loc>", ADDR_OK,
	    "bluemind.loc", Q },
	{ "plus in local part", "<user+tag@bluemind.loc>", ADDR_OK,
	    "bluemind.loc", Q },
	{ "underscore in domain", "<user@mail_1.bluemind.loc>", ADDR_OK,
	    "mail_1.bluemind.loc", Q },
	{ "one-label domain", "<user@localhost>", ADDR_OK, "localhost", Q },

	/* Quoted local parts. */
	{ "quoted with space", "<\"john doe\"@bluemind.loc>", ADDR_OK,
	    "bluemind.loc", Q },
	{ "quoted escaped quote", "<\"a\\\"b\"@bluemind.loc>", ADDR_OK,
	    "bluemind.loc", Q },
	{ "quoted escaped backslash", "<\"a\\\\\"@bluemind.loc>", ADDR_OK,
	    "bluemind.loc", Q },
	{ "quoted angle brackets", "<\"a<b>\"@bluemind.loc>", ADDR_OK,
	    "bluemind.loc", Q },
	{ "quoted @", "<\"user@remote.example\"@bluemind.loc>", ADDR_OK,
	    "bluemind.loc", Q | R },
	{ "quoted %", "<\"user%remote.example\"@bluemind.loc>", ADDR_OK,
	    "bluemind.loc", Q | R },
	{ "quoted !", "<\"remote.example!user\"@bluemind.loc>", ADDR_OK,
	    "bluemind.loc", Q | R },
	{ "escaped quote then quoted @", "<\"a\\\"@b\"@bluemind.loc>",
	    ADDR_OK, "bluemind.loc", Q | R },

	/* Sender-specified routing in the local part. */
	{ "percent hack", "<user%remote.example@bluemind.loc>", ADDR_OK,
	    "bluemind.loc", Q | R },
	{ "bang path", "<remote.example!user@bluemind.loc>", ADDR_OK,
	    "bluemind.loc", Q | R },
	{ "user@remote@local", "<user@remote.example@bluemind.loc>", ADDR_OK,
	    "bluemind.loc", Q | R },
	{ "user@remote@local bare", "user@remote.example@bluemind.loc",
	    ADDR_OK, "bluemind.loc", Q | R },
	{ "percent to remote", "user%bluemind.loc@remote.example", ADDR_OK,
	    "remote.example", Q | R },

	/* Source routes: the destination is the mailbox's domain. */
	{ "source route one hop", "<@relay.example:user@bluemind.loc>",
	    ADDR_OK, "bluemind.loc", Q | S },
	{ "source route two hops", "<@a.example,@b.example:user@c.example>",
	    ADDR_OK, "c.example", Q | S },
	{ "source route three hops",
	    "<@a.example,@b.example,@c.example:user@D.Example.>", ADDR_OK,
	    "d.example", Q | S },
	{ "source route via local", "<@bluemind.loc:user@remote.example>",
	    ADDR_OK, "remote.example", Q | S },
	{ "source route no brackets", "@a.example,@b.example:user@c.example",
	    ADDR_OK, "c.example", Q | S },
	{ "source route and percent",
	    "<@a.example:user%remote.example@bluemind.loc>", ADDR_OK,
	    "bluemind.loc", Q | R | S },
	{ "source route to a literal", "<@a.example:user@[192.0.2.1]>",
	    ADDR_OK, "[192.0.2.1]", Q | L | S },
	{ "source route hop without @", "<@a.example,b.example:user@c.example>",
	    ADDR_BAD_SYNTAX, NULL, 0 },
	{ "source route empty hop", "<@:user@c.example>", ADDR_BAD_SYNTAX,
	    NULL, 0 },
	{ "source route empty hop after comma",
	    "<@a.example,@:user@c.example>", ADDR_BAD_SYNTAX, NULL, 0 },
	{ "source route double comma", "<@a.example,,@b.example:user@c.example>",
	    ADDR_BAD_SYNTAX, NULL, 0 },
	{ "source route without colon", "<@a.example,@b.example>",
	    ADDR_BAD_SYNTAX, NULL, 0 },
	{ "source route without mailbox", "<@a.example:>", ADDR_BAD_SYNTAX,
	    NULL, 0 },
	{ "source route with space", "<@a example:user@c.example>",
	    ADDR_BAD_SYNTAX, NULL, 0 },
	{ "source route with quote", "<@a\"b:user@c.example>",
	    ADDR_BAD_SYNTAX, NULL, 0 },
	/* Regression (fixed in 408cd75): the route was skipped before the
	 * control-byte scan, so a control byte there was accepted. */
	{ "source route with CR", "<@a\rb.example:user@c.example>",
	    ADDR_BAD_SYNTAX, NULL, 0 },
	{ "source route with LF", "<@a.example,@b\n.example:user@c.example>",
	    ADDR_BAD_SYNTAX, NULL, 0 },

	/* Address literals. */
	{ "ipv4 literal", "<user@[192.0.2.1]>", ADDR_OK, "[192.0.2.1]", Q | L },
	{ "ipv6 literal", "<user@[IPv6:2001:db8::1]>", ADDR_OK,
	    "[IPv6:2001:db8::1]", Q | L },
	{ "ipv6 literal, tag and hex in other case",
	    "<user@[ipv6:2001:DB8::1]>", ADDR_OK, "[IPv6:2001:db8::1]", Q | L },
	{ "ipv6 literal, mapped", "<user@[IPv6:::ffff:192.0.2.1]>", ADDR_OK,
	    "[IPv6:::ffff:192.0.2.1]", Q | L },
	{ "ipv6 literal, long form canonicalised",
	    "<user@[IPv6:2001:0DB8:0:0:0:0:0:0001]>", ADDR_OK,
	    "[IPv6:2001:db8::1]", Q | L },
	{ "ipv4 literal, octet over 255", "<user@[192.0.2.256]>",
	    ADDR_BAD_SYNTAX, NULL, 0 },
	{ "ipv4 literal, three octets", "<user@[192.0.2]>", ADDR_BAD_SYNTAX,
	    NULL, 0 },
	{ "ipv4 literal, leading zero", "<user@[192.0.2.01]>",
	    ADDR_BAD_SYNTAX, NULL, 0 },
	{ "ipv6 literal without tag", "<user@[2001:db8::1]>", ADDR_BAD_SYNTAX,
	    NULL, 0 },
	{ "ipv6 tag with ipv4", "<user@[IPv6:192.0.2.1]>", ADDR_BAD_SYNTAX,
	    NULL, 0 },
	{ "ipv6 literal, bad hex", "<user@[IPv6:2001:db8::zz]>",
	    ADDR_BAD_SYNTAX, NULL, 0 },
	{ "empty literal", "<user@[]>", ADDR_BAD_SYNTAX, NULL, 0 },
	{ "unterminated literal", "<user@[192.0.2.1>", ADDR_BAD_SYNTAX,
	    NULL, 0 },
	{ "literal without opening bracket", "<user@192.0.2.1]>",
	    ADDR_BAD_SYNTAX, NULL, 0 },
	{ "literal with a name", "<user@[bluemind.loc]>", ADDR_BAD_SYNTAX,
	    NULL, 0 },

	/* Unqualified names and Postmaster (RFC 5321 4.5.1). */
	{ "Postmaster", "<Postmaster>", ADDR_OK, "", P },
	{ "postmaster lower case", "<postmaster>", ADDR_OK, "", P },
	{ "POSTMASTER upper case", "<POSTMASTER>", ADDR_OK, "", P },
	{ "PoStMaStEr mixed case", "<PoStMaStEr>", ADDR_OK, "", P },
	{ "postmaster no brackets", "postmaster", ADDR_OK, "", P },
	{ "postmasters is not postmaster", "<postmasters>", ADDR_OK, "", 0 },
	{ "postmaste is not postmaster", "<postmaste>", ADDR_OK, "", 0 },
	{ "postmaster with domain", "<Postmaster@BlueMind.loc>", ADDR_OK,
	    "bluemind.loc", Q },
	{ "unqualified", "<root>", ADDR_OK, "", 0 },
	{ "unqualified no brackets", "root", ADDR_OK, "", 0 },
	{ "unqualified percent", "<user%remote.example>", ADDR_OK, "", R },
	{ "unqualified bang", "<remote.example!user>", ADDR_OK, "", R },
	/* Regression (fixed in 408cd75): addr.h says an '@' in the local
	 * part, quoted or not, is routing; the unqualified branch looked
	 * only for '%' and '!'. */
	{ "unqualified quoted @", "<\"user@remote.example\">", ADDR_OK, "", R },

	/* The null path. */
	{ "null path", "<>", ADDR_NULL, NULL, 0 },
	{ "empty string", "", ADDR_NULL, NULL, 0 },

	/* Bad syntax. */
	{ "empty domain", "<user@>", ADDR_BAD_SYNTAX, NULL, 0 },
	{ "empty domain no brackets", "user@", ADDR_BAD_SYNTAX, NULL, 0 },
	{ "empty local part", "<@bluemind.loc>", ADDR_BAD_SYNTAX, NULL, 0 },
	{ "empty local part no brackets", "@bluemind.loc", ADDR_BAD_SYNTAX,
	    NULL, 0 },
	{ "lone @", "<@>", ADDR_BAD_SYNTAX, NULL, 0 },
	{ "domain only a dot", "<user@.>", ADDR_BAD_SYNTAX, NULL, 0 },
	{ "empty label in the middle", "<user@bluemind..loc>",
	    ADDR_BAD_SYNTAX, NULL, 0 },
	{ "empty first label", "<user@.bluemind.loc>", ADDR_BAD_SYNTAX,
	    NULL, 0 },
	/* Regression (fixed in 408cd75): after the one trailing dot was
	 * removed, the final empty label of "loc.." went unseen. */
	{ "two trailing dots", "<user@bluemind.loc..>", ADDR_BAD_SYNTAX,
	    NULL, 0 },
	{ "space in local part", "<john doe@bluemind.loc>", ADDR_BAD_SYNTAX,
	    NULL, 0 },
	{ "space in domain", "<user@blue mind.loc>", ADDR_BAD_SYNTAX, NULL, 0 },
	{ "space before bracket", " <user@bluemind.loc>", ADDR_BAD_SYNTAX,
	    NULL, 0 },
	{ "space after address", "user@bluemind.loc ", ADDR_BAD_SYNTAX,
	    NULL, 0 },
	{ "space only in brackets", "< >", ADDR_BAD_SYNTAX, NULL, 0 },
	{ "colon in domain", "<user@bluemind.loc:25>", ADDR_BAD_SYNTAX,
	    NULL, 0 },
	{ "CR in local part", "<us\rer@bluemind.loc>", ADDR_BAD_SYNTAX,
	    NULL, 0 },
	{ "LF at end", "user@bluemind.loc\n", ADDR_BAD_SYNTAX, NULL, 0 },
	{ "tab", "<user\t@bluemind.loc>", ADDR_BAD_SYNTAX, NULL, 0 },
	{ "DEL", "<user\x7f@bluemind.loc>", ADDR_BAD_SYNTAX, NULL, 0 },
	{ "ESC in domain", "<user@blue\x1bmind.loc>", ADDR_BAD_SYNTAX,
	    NULL, 0 },
	{ "control byte inside quotes", "<\"a\x01b\"@bluemind.loc>",
	    ADDR_BAD_SYNTAX, NULL, 0 },
	{ "unbalanced quote", "<\"user@bluemind.loc>", ADDR_BAD_SYNTAX,
	    NULL, 0 },
	{ "quote closed by escape only", "<\"user\\\"@bluemind.loc>",
	    ADDR_BAD_SYNTAX, NULL, 0 },
	{ "backslash at end of quoted", "\"user\\", ADDR_BAD_SYNTAX, NULL, 0 },
	{ "missing closing bracket", "<user@bluemind.loc", ADDR_BAD_SYNTAX,
	    NULL, 0 },
	{ "missing opening bracket", "user@bluemind.loc>", ADDR_BAD_SYNTAX,
	    NULL, 0 },
	{ "lone opening bracket", "<", ADDR_BAD_SYNTAX, NULL, 0 },
	{ "lone closing bracket", ">", ADDR_BAD_SYNTAX, NULL, 0 },
	{ "double brackets", "<<user@bluemind.loc>>", ADDR_BAD_SYNTAX,
	    NULL, 0 },
	{ "bracket inside", "<user<x>@bluemind.loc>", ADDR_BAD_SYNTAX,
	    NULL, 0 },
	{ "display name form", "User <user@bluemind.loc>", ADDR_BAD_SYNTAX,
	    NULL, 0 },
	{ "label of 64 bytes",
	    "<user@aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    ".example>", ADDR_BAD_SYNTAX, NULL, 0 },
	{ "label of 63 bytes",
	    "<user@aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    ".example>", ADDR_OK,
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    ".example", Q },

	/* 8-bit (SMTPUTF8) is allowed; only ASCII is folded. */
	{ "8-bit local part", "<jos\xc3\xa9@bluemind.loc>", ADDR_OK,
	    "bluemind.loc", Q },
	{ "8-bit domain", "<user@B\xc3\xbc" "cher.Example>", ADDR_OK,
	    "b\xc3\xbc" "cher.example", Q },
};

START_TEST(test_parse)
{
	const struct parse_case *c = &parse_cases[_i];
	struct addr a;
	enum addr_status got;
	char gotf[80], wantf[80], shown[1200];

	memset(&a, 0x5a, sizeof(a));
	got = addr_parse(c->in, &a);
	ck_assert_msg(got == c->want, "%s: addr_parse(\"%s\") got %s, want %s",
	    c->name, tu_show(c->in, shown, sizeof(shown)), status_name(got),
	    status_name(c->want));
	if (got != ADDR_OK)
		return;
	ck_assert_msg(memchr(a.domain, '\0', sizeof(a.domain)) != NULL &&
	    strcmp(a.domain, c->domain) == 0,
	    "%s: domain got \"%.*s\", want \"%s\"", c->name,
	    (int)sizeof(a.domain), a.domain, c->domain);
	flag_names(flags_of(&a), gotf, sizeof(gotf));
	flag_names(c->flags, wantf, sizeof(wantf));
	ck_assert_msg(flags_of(&a) == c->flags, "%s: flags got %s, want %s",
	    c->name, gotf, wantf);
}
END_TEST

/* *out is left alone unless ADDR_OK. */
START_TEST(test_out_untouched_on_error)
{
	static const char *const bad[] = {
		"<>", "<user@>", "<\"user@bluemind.loc>", "<user@bluemind..loc>",
	};
	struct addr a, before;
	size_t i;

	memset(&before, 0x5a, sizeof(before));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(&a, &before, sizeof(a));
		(void)addr_parse(bad[i], &a);
		ck_assert_msg(memcmp(&a, &before, sizeof(a)) == 0,
		    "addr_parse(\"%s\") changed *out on failure", bad[i]);
	}
}
END_TEST

/*
 * Length bounds, RFC 5321 4.5.3.1: path 256 octets "including the
 * punctuation and element separators", i.e. the angle brackets and any
 * source route. A bare address is measured as the path it stands for,
 * "<" and ">" included. The local part's 64 octets are not enforced (as
 * Postfix does not: VERP and SRS addresses go over).
 */
struct len_case {
	const char	*name;
	const char	*route;		/* "" or "@a.example:" */
	size_t		local;		/* bytes of local part, quotes included */
	bool		quoted;
	bool		brackets;
	size_t		path;		/* total with brackets; 0: "@bluemind.loc",
					 * 1: unqualified */
	enum addr_status want;
};

static const struct len_case len_cases[] = {
	{ "local part 64", "", 64, false, true, 0, ADDR_OK },
	{ "local part 65", "", 65, false, true, 0, ADDR_OK },
	{ "local part 241", "", 241, false, true, 0, ADDR_OK },
	{ "local part 242", "", 242, false, true, 0, ADDR_TOO_LONG },
	{ "local part 65 bare", "", 65, false, false, 0, ADDR_OK },
	{ "quoted local part 65", "", 65, true, true, 0, ADDR_OK },
	{ "unqualified 65", "", 65, false, true, 1, ADDR_OK },
	{ "unqualified 254", "", 254, false, true, 1, ADDR_OK },
	{ "unqualified 255", "", 255, false, true, 1, ADDR_TOO_LONG },
	{ "path 256", "", 64, false, true, 256, ADDR_OK },
	/* Regression (fixed in 408cd75): 256 octets were allowed *inside*
	 * the brackets (258 in all); RFC 5321 4.5.3.1.3 counts them. */
	{ "path 257", "", 64, false, true, 257, ADDR_TOO_LONG },
	{ "path 258", "", 64, false, true, 258, ADDR_TOO_LONG },
	{ "path 259", "", 64, false, true, 259, ADDR_TOO_LONG },
	{ "path 256 bare", "", 64, false, false, 256, ADDR_OK },
	{ "path 257 bare", "", 64, false, false, 257, ADDR_TOO_LONG },
	{ "path 259 bare", "", 64, false, false, 259, ADDR_TOO_LONG },
	{ "path 256 with source route", "@relay.example:", 20, false, true,
	    256, ADDR_OK },
	{ "path 257 with source route", "@relay.example:", 20, false, true,
	    257, ADDR_TOO_LONG },
	{ "path 256 with short local part", "", 1, false, true, 256, ADDR_OK },
	{ "path 257 with short local part", "", 1, false, true, 257,
	    ADDR_TOO_LONG },
};

/* A domain of exactly len bytes, labels of at most 50 bytes. */
static void
fill_domain(char *o, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		o[i] = (i % 51 == 50) ? '.' : 'd';
	if (len > 0 && o[len - 1] == '.')
		o[len - 1] = 'd';
	o[len] = '\0';
}

START_TEST(test_lengths)
{
	const struct len_case *c = &len_cases[_i];
	char buf[1024], domain[600] = "bluemind.loc";
	size_t o = 0, dlen, fixed, i;
	struct addr a;
	enum addr_status got;

	if (c->brackets)
		buf[o++] = '<';
	o += (size_t)sprintf(buf + o, "%s", c->route);
	for (i = 0; i < c->local; i++)
		buf[o++] = 'l';
	if (c->quoted) {
		buf[o - c->local] = '"';
		buf[o - 1] = '"';
	}
	if (c->path == 1) {
		domain[0] = '\0';
	} else {
		if (c->path > 1) {
			/* Bare: "<" and ">" are counted but not written. */
			fixed = 2 + strlen(c->route) + c->local + 1;
			ck_assert(c->path > fixed);
			dlen = c->path - fixed;
			fill_domain(domain, dlen);
		}
		buf[o++] = '@';
		o += (size_t)sprintf(buf + o, "%s", domain);
	}
	if (c->brackets)
		buf[o++] = '>';
	buf[o] = '\0';
	if (c->path > 1)
		ck_assert_msg(o + (c->brackets ? 0 : 2) == c->path,
		    "%s: built a path of %zu bytes", c->name, o);

	got = addr_parse(buf, &a);
	ck_assert_msg(got == c->want, "%s: %zu-byte input (a path of %zu) got "
	    "%s, want %s", c->name, o, o + (c->brackets ? 0 : 2),
	    status_name(got), status_name(c->want));
	if (got == ADDR_OK)
		ck_assert_msg(strcmp(a.domain, domain) == 0,
		    "%s: domain got \"%s\", want \"%s\"", c->name, a.domain,
		    domain);
}
END_TEST

/* 10 kB (and more) is refused as too long, whatever it holds. */
START_TEST(test_huge)
{
	static const struct {
		const char *name;
		const char *head, *fill, *tail;
	} cases[] = {
		{ "10 kB local part", "", "a", "@bluemind.loc" },
		{ "10 kB bracketed", "<", "a", "@bluemind.loc>" },
		{ "10 kB domain", "<user@", "d", ">" },
		{ "10 kB of control bytes", "", "\x01", "" },
		{ "10 kB unqualified", "<", "p", ">" },
	};
	size_t i, n = 10240;
	char *buf = malloc(n + 64);

	ck_assert(buf != NULL);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct addr a;
		enum addr_status got;

		strcpy(buf, cases[i].head);
		memset(buf + strlen(buf), cases[i].fill[0], n);
		strcpy(buf + strlen(cases[i].head) + n, cases[i].tail);
		got = addr_parse(buf, &a);
		ck_assert_msg(got == ADDR_TOO_LONG, "%s: got %s, want %s",
		    cases[i].name, status_name(got),
		    status_name(ADDR_TOO_LONG));
	}
	free(buf);
}
END_TEST

/* addr_domain_normalize(), shared by the parser and local_domains. */
struct norm_case {
	const char	*name;
	const char	*in;
	size_t		len;		/* 0: strlen(in) */
	const char	*want_err;	/* NULL: success */
	const char	*want;		/* on success */
};

static const struct norm_case norm_cases[] = {
	{ "plain", "bluemind.loc", 0, NULL, "bluemind.loc" },
	{ "case folded", "BlueMind.LOC", 0, NULL, "bluemind.loc" },
	{ "one trailing dot removed", "bluemind.loc.", 0, NULL, "bluemind.loc" },
	{ "length bounds the input", "bluemind.loc and more", 12, NULL,
	    "bluemind.loc" },
	{ "ipv4 literal", "[192.0.2.1]", 0, NULL, "[192.0.2.1]" },
	{ "ipv6 literal spelled IPV6", "[IPV6:2001:DB8::1]", 0, NULL,
	    "[IPv6:2001:db8::1]" },
	{ "ipv6 literal canonicalised", "[IPv6:2001:db8:0::0:1]", 0, NULL,
	    "[IPv6:2001:db8::1]" },
	{ "ipv6 literal, all zeros", "[IPv6:0:0:0:0:0:0:0:0]", 0, NULL,
	    "[IPv6:::]" },
	{ "empty", "", 0, "empty domain", NULL },
	{ "only a dot", ".", 0, "empty domain", NULL },
	{ "two dots", "..", 0, "empty label in domain", NULL },
	{ "leading dot", ".bluemind.loc", 0, "empty label in domain", NULL },
	{ "empty label", "bluemind..loc", 0, "empty label in domain", NULL },
	/* Regression (fixed in 408cd75). */
	{ "two trailing dots", "bluemind.loc..", 0, "empty label in domain",
	    NULL },
	{ "space", "blue mind.loc", 0, "bad character in domain", NULL },
	{ "at sign", "user@bluemind.loc", 0, "bad character in domain", NULL },
	{ "colon", "bluemind.loc:25", 0, "bad character in domain", NULL },
	{ "slash", "bluemind.loc/24", 0, "bad character in domain", NULL },
	{ "unterminated literal", "[192.0.2.1", 0,
	    "unterminated address literal", NULL },
	{ "lone bracket", "[", 0, "unterminated address literal", NULL },
	{ "empty literal", "[]", 0, "unterminated address literal", NULL },
	{ "bad ipv4 literal", "[192.0.2.300]", 0, "bad IPv4 address literal",
	    NULL },
	{ "name in literal", "[bluemind.loc]", 0, "bad IPv4 address literal",
	    NULL },
	{ "bad ipv6 literal", "[IPv6:2001:db8:::1]", 0,
	    "bad IPv6 address literal", NULL },
	/* Found by fuzz_addr: inet_pton() stopped at the NUL and the rest
	 * of the literal was never looked at. */
	{ "NUL inside an ipv4 literal", "[192.0.2.7\0]", 12,
	    "bad IPv4 address literal", NULL },
	{ "NUL inside an ipv6 literal", "[IPv6:::1\0junk]", 15,
	    "bad IPv6 address literal", NULL },
};

START_TEST(test_normalize)
{
	const struct norm_case *c = &norm_cases[_i];
	char out[ADDR_DOMAIN_MAX + 1];
	const char *err;

	memset(out, 0, sizeof(out));
	err = addr_domain_normalize(c->in, c->len ? c->len : strlen(c->in), out);
	if (c->want_err != NULL) {
		ck_assert_msg(err != NULL && strcmp(err, c->want_err) == 0,
		    "%s: error got \"%s\", want \"%s\"", c->name, TU_S(err),
		    c->want_err);
	} else {
		ck_assert_msg(err == NULL, "%s: error got \"%s\", want none",
		    c->name, err);
		ck_assert_msg(strcmp(out, c->want) == 0,
		    "%s: got \"%s\", want \"%s\"", c->name, out, c->want);
	}
}
END_TEST

/* Generated lengths: domain 255 and 256, label 63 and 64. */
struct normlen_case {
	const char	*name;
	size_t		len;		/* bytes of domain */
	size_t		label;		/* bytes per label */
	bool		dot;		/* one trailing dot added */
	const char	*want_err;
};

static const struct normlen_case normlen_cases[] = {
	{ "domain 255", 255, 50, false, NULL },
	{ "domain 255 plus trailing dot", 255, 50, true, NULL },
	{ "domain 256", 256, 50, false, "domain longer than 255 bytes" },
	{ "domain 256 plus trailing dot", 256, 50, true,
	    "domain longer than 255 bytes" },
	{ "label 63", 63 + 1 + 7, 63, false, NULL },
	{ "label 64", 64 + 1 + 7, 64, false,
	    "domain label longer than 63 bytes" },
};

START_TEST(test_normalize_lengths)
{
	const struct normlen_case *c = &normlen_cases[_i];
	char in[600], out[ADDR_DOMAIN_MAX + 1], want[600];
	const char *err;
	size_t i, n = c->len;

	for (i = 0; i < c->len; i++)
		in[i] = (i % (c->label + 1) == c->label) ? '.' : 'D';
	if (in[c->len - 1] == '.')
		in[c->len - 1] = 'D';
	if (c->dot)
		in[n++] = '.';
	in[n] = '\0';
	for (i = 0; i < c->len; i++)
		want[i] = in[i] == 'D' ? 'd' : in[i];
	want[c->len] = '\0';

	err = addr_domain_normalize(in, n, out);
	if (c->want_err != NULL) {
		ck_assert_msg(err != NULL && strcmp(err, c->want_err) == 0,
		    "%s: error got \"%s\", want \"%s\"", c->name, TU_S(err),
		    c->want_err);
	} else {
		ck_assert_msg(err == NULL, "%s: error got \"%s\", want none",
		    c->name, err);
		ck_assert_msg(strcmp(out, want) == 0,
		    "%s: got \"%s\", want \"%s\"", c->name, out, want);
	}
}
END_TEST

/*
 * Every byte value in the local part and in the domain, against the
 * rules written out plainly here (RFC 5321 and addr.h): whatever the
 * parser's own character tables say, these must agree.
 */
static bool
ref_ctl(unsigned c)
{
	return c < 0x20 || c == 0x7f;
}

static bool
ref_label(unsigned c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_' || c >= 0x80;
}

START_TEST(test_every_byte)
{
	unsigned c = (unsigned)_i;		/* 1..255 */
	char text[64], dom[64], want_dom[64], shown[256];
	enum addr_status got, want;
	unsigned wantf;
	struct addr a;
	const char *err;

	/* In the local part: "<a?b@example.org>". */
	snprintf(text, sizeof(text), "<a%cb@example.org>", (char)c);
	if (ref_ctl(c) || c == ' ' || c == '<' || c == '>' || c == '"')
		want = ADDR_BAD_SYNTAX;		/* '"': never closed */
	else
		want = ADDR_OK;
	wantf = Q | (c == '@' || c == '%' || c == '!' ? R : 0);
	got = addr_parse(text, &a);
	ck_assert_msg(got == want, "byte 0x%02x in the local part: %s got %s, "
	    "want %s", c, tu_show(text, shown, sizeof(shown)),
	    status_name(got), status_name(want));
	if (got == ADDR_OK)
		ck_assert_msg(strcmp(a.domain, "example.org") == 0 &&
		    flags_of(&a) == wantf, "byte 0x%02x in the local part: "
		    "domain \"%s\" flags 0x%x, want \"example.org\" 0x%x", c,
		    a.domain, flags_of(&a), wantf);

	/* In the domain: "<user@ex?ample.org>". */
	snprintf(text, sizeof(text), "<user@ex%cample.org>", (char)c);
	snprintf(want_dom, sizeof(want_dom), "ex%cample.org",
	    c >= 'A' && c <= 'Z' ? (char)(c + 32) : (char)c);
	wantf = Q;
	if (c == '@') {			/* the last '@' is the one */
		want = ADDR_OK;
		snprintf(want_dom, sizeof(want_dom), "ample.org");
		wantf |= R;
	} else if (ref_ctl(c) || !(ref_label(c) || c == '.')) {
		want = ADDR_BAD_SYNTAX;
	} else {
		want = ADDR_OK;
	}
	got = addr_parse(text, &a);
	ck_assert_msg(got == want, "byte 0x%02x in the domain: %s got %s, "
	    "want %s", c, tu_show(text, shown, sizeof(shown)),
	    status_name(got), status_name(want));
	if (got == ADDR_OK)
		ck_assert_msg(strcmp(a.domain, want_dom) == 0 &&
		    flags_of(&a) == wantf, "byte 0x%02x in the domain: domain "
		    "\"%s\" flags 0x%x, want \"%s\" 0x%x", c, a.domain,
		    flags_of(&a), want_dom, wantf);

	/* The normaliser alone (as local_domains entries go through it). */
	snprintf(text, sizeof(text), "Ex%cample.Org", (char)c);
	err = addr_domain_normalize(text, strlen(text), dom);
	if (ref_label(c) || c == '.') {
		snprintf(want_dom, sizeof(want_dom), "ex%cample.org",
		    c >= 'A' && c <= 'Z' ? (char)(c + 32) : (char)c);
		ck_assert_msg(err == NULL && strcmp(dom, want_dom) == 0,
		    "byte 0x%02x: normalize got %s \"%s\", want \"%s\"", c,
		    TU_S(err), err == NULL ? dom : "", want_dom);
	} else {
		ck_assert_msg(err != NULL, "byte 0x%02x: normalize accepted "
		    "\"%s\"", c, tu_show(text, shown, sizeof(shown)));
	}
}
END_TEST

/*
 * The same rules with the byte at every position of a longer local part
 * and domain, so that each byte value is seen at every offset of the
 * parser's 8-byte words.
 */
START_TEST(test_every_byte_everywhere)
{
	static const char local[] = "abcdefghijklmnopq";	/* 17 bytes */
	static const char label[] = "rstuvwxyzabcdefgh";	/* 17 bytes */
	unsigned c = (unsigned)_i, k;
	char text[96], want_dom[64], shown[256];
	enum addr_status got, want;
	unsigned wantf;
	struct addr a;

	for (k = 0; k <= 17; k++) {
		/* "<" local[0..k) c local[k..] "@" label ".org>" */
		snprintf(text, sizeof(text), "<%.*s%c%s@%s.org>", (int)k, local,
		    (char)c, local + k, label);
		wantf = Q;
		if (ref_ctl(c) || c == ' ' || c == '<' || c == '>' || c == '"' ||
		    (c == '@' && k == 0))	/* "<@...": a bad source route */
			want = ADDR_BAD_SYNTAX;
		else
			want = ADDR_OK;
		if (c == '@' || c == '%' || c == '!')
			wantf |= R;
		got = addr_parse(text, &a);
		ck_assert_msg(got == want, "byte 0x%02x at %u of the local part: "
		    "%s got %s, want %s", c, k, tu_show(text, shown,
		    sizeof(shown)), status_name(got), status_name(want));
		if (got == ADDR_OK)
			ck_assert_msg(strcmp(a.domain, "rstuvwxyzabcdefgh.org") == 0
			    && flags_of(&a) == wantf, "byte 0x%02x at %u of the "
			    "local part: domain \"%s\" flags 0x%x, want 0x%x", c,
			    k, a.domain, flags_of(&a), wantf);

		/* "<abc...@" label[0..k) c label[k..] ".org>" */
		snprintf(text, sizeof(text), "<%s@%.*s%c%s.org>", local, (int)k,
		    label, (char)c, label + k);
		snprintf(want_dom, sizeof(want_dom), "%.*s%c%s.org", (int)k,
		    label, c >= 'A' && c <= 'Z' ? (char)(c + 32) : (char)c,
		    label + k);
		wantf = Q;
		if (c == '@') {		/* the last '@' starts the domain */
			snprintf(want_dom, sizeof(want_dom), "%s.org", label + k);
			want = k == 17 ? ADDR_BAD_SYNTAX : ADDR_OK;
			wantf |= R;
		} else if (c == '.') {	/* an empty label at either end */
			want = k == 0 || k == 17 ? ADDR_BAD_SYNTAX : ADDR_OK;
		} else if (ref_label(c)) {
			want = ADDR_OK;
		} else {
			want = ADDR_BAD_SYNTAX;
		}
		got = addr_parse(text, &a);
		ck_assert_msg(got == want, "byte 0x%02x at %u of the domain: %s "
		    "got %s, want %s", c, k, tu_show(text, shown, sizeof(shown)),
		    status_name(got), status_name(want));
		if (got == ADDR_OK)
			ck_assert_msg(strcmp(a.domain, want_dom) == 0 &&
			    flags_of(&a) == wantf, "byte 0x%02x at %u of the "
			    "domain: domain \"%s\" flags 0x%x, want \"%s\" 0x%x",
			    c, k, a.domain, flags_of(&a), want_dom, wantf);
	}
}
END_TEST

/* addr_shown(): the first eight "want"s are what Postfix 3.7.11 wrote in
 * its own 554 for that RCPT argument (its internal form), seen with swaks
 * against reject_unauth_destination; then an unqualified name, and two
 * that do not parse, shown as they are. */
static const struct { const char *in, *want; } shown_cases[] = {
	{ "<\"john doe\"@remote.example>", "john doe@remote.example" },
	{ "<\"john\"@remote.example>", "john@remote.example" },
	{ "<@a.example:x@remote.example>", "x@remote.example" },
	{ "<@a.example,@b.example:\"q q\"@remote.example>",
	    "q q@remote.example" },
	{ "<X@Remote.Example>", "X@Remote.Example" },
	{ "<x@remote.example.>", "x@remote.example." },
	{ "<x%y@remote.example>", "x%y@remote.example" },
	{ "<\"a\\\"b\"@x.example>", "a\"b@x.example" },
	{ "<Postmaster>", "Postmaster" },
	{ "<\"open@x.example>", "\"open@x.example" },
	{ "<a\x01b@x.example>", "a\x01b@x.example" },
};

START_TEST(test_shown)
{
	char out[ADDR_SHOWN_MAX];

	addr_shown(shown_cases[_i].in, out, sizeof(out));
	ck_assert_str_eq(out, shown_cases[_i].want);
	/* Short of room: as written, cut, never past out. */
	addr_shown(shown_cases[_i].in, out, 4);
	ck_assert_uint_eq(strlen(out), 3);
}
END_TEST

Suite *
addr_suite(void)
{
	Suite *s = suite_create("addr");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_parse, 0, NCASES(parse_cases));
	tcase_add_test(tc, test_out_untouched_on_error);
	tcase_add_loop_test(tc, test_lengths, 0, NCASES(len_cases));
	tcase_add_test(tc, test_huge);
	tcase_add_loop_test(tc, test_every_byte, 1, 256);
	tcase_add_loop_test(tc, test_every_byte_everywhere, 1, 256);
	tcase_add_loop_test(tc, test_shown, 0, NCASES(shown_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("normalize");
	tcase_add_loop_test(tc, test_normalize, 0, NCASES(norm_cases));
	tcase_add_loop_test(tc, test_normalize_lengths, 0,
	    NCASES(normlen_cases));
	suite_add_tcase(s, tc);
	return s;
}
