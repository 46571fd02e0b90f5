/*
 * domset: accepted and refused entries (exact messages for the ones
 * domset words itself; the reason from addr_domain_normalize() for the
 * rest, so these tests pin the "bad domain" frame and not addr.c's
 * wording), exact vs subdomain matching, literals, duplicates, 8-bit
 * bytes, "!" exclusions (first match wins, as in Postfix's domain
 * lists), and a large generated set.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "domset.h"

#define NCASES(a) ((int)(sizeof(a) / sizeof((a)[0])))

struct reject_case {
	const char	*name;
	const char	*entry;
	const char	*err;		/* exact; NULL: the normaliser's reason */
	const char	*normalised;	/* what it is asked when err is NULL */
};

static const struct reject_case reject_cases[] = {
	{ "empty", "",
	    "empty domain entry: write a domain such as example.org, or "
	    ".example.org for its subdomains", NULL },
	{ "address", "user@example.org",
	    "bad domain \"user@example.org\": a domain, not an address", NULL },
	{ "bare at", "@example.org",
	    "bad domain \"@example.org\": a domain, not an address", NULL },
	{ "address with wildcard", ".user@example.org",
	    "bad domain \".user@example.org\": a domain, not an address",
	    NULL },
	{ "lookup table", "hash:/etc/postfix/virtual_domains",
	    "lookup table \"hash:/etc/postfix/virtual_domains\" is not "
	    "supported: list the domains, or put them in a file given by "
	    "absolute path", NULL },
	{ "inline table", "inline:{example.org}",
	    "lookup table \"inline:{example.org}\" is not supported: list the "
	    "domains, or put them in a file given by absolute path", NULL },
	{ "lone dot", ".",
	    "bad domain \".\": a leading dot must be followed by a domain, "
	    "e.g. .example.org", NULL },
	{ "wildcard literal", ".[192.0.2.1]",
	    "bad domain \".[192.0.2.1]\": an address literal has no "
	    "subdomains; drop the leading dot", NULL },
	{ "control byte escaped", "exa\nmple.org", NULL, "exa\nmple.org" },
	{ "space", "exa mple.org", NULL, "exa mple.org" },
	{ "leading space", " example.org", NULL, " example.org" },
	{ "two dots", "..", NULL, "." },
	{ "double dot inside", "example..org", NULL, "example..org" },
	{ "two trailing dots", "example.org..", NULL, "example.org.." },
	{ "wildcard, double leading dot", "..example.org", NULL,
	    ".example.org" },
	{ "wildcard, space", ".exa mple.org", NULL, "exa mple.org" },
	{ "port", "example.org:25", NULL, "example.org:25" },
	{ "slash", "example.org/x", NULL, "example.org/x" },
	{ "bad ipv4 literal", "[192.0.2.256]", NULL, "[192.0.2.256]" },
	{ "ipv4 literal shorthand", "[10.1]", NULL, "[10.1]" },
	{ "bad ipv6 literal", "[IPv6:2001:db8::g]", NULL,
	    "[IPv6:2001:db8::g]" },
	{ "ipv6 literal without tag", "[2001:db8::1]", NULL, "[2001:db8::1]" },
	{ "unterminated literal", "[192.0.2.1", NULL, "[192.0.2.1" },
	{ "two bangs", "!!example.org",
	    "bad domain \"!!example.org\": only one \"!\" is allowed", NULL },
	{ "bang alone", "!",
	    "bad domain \"!\": \"!\" must be followed by the domain to "
	    "exclude, e.g. !old.example.org", NULL },
	{ "excluded address", "!user@example.org",
	    "bad domain \"!user@example.org\": a domain, not an address",
	    NULL },
	{ "excluded table", "!hash:/etc/postfix/x",
	    "lookup table \"!hash:/etc/postfix/x\" is not supported: list the "
	    "domains, or put them in a file given by absolute path", NULL },
	{ "excluded lone dot", "!.",
	    "bad domain \"!.\": a leading dot must be followed by a domain, "
	    "e.g. .example.org", NULL },
	{ "bang inside", "ex!ample.org", NULL, "ex!ample.org" },
	{ "excluded, space", "! example.org", NULL, " example.org" },
};

START_TEST(test_reject)
{
	const struct reject_case *c = &reject_cases[_i];
	struct domset *set = domset_new();
	char err[1024] = "", want[1024], out[ADDR_DOMAIN_MAX + 1], esc[512];
	const char *p;
	size_t o = 0;

	ck_assert(set != NULL);
	if (c->err != NULL) {
		snprintf(want, sizeof(want), "%s", c->err);
	} else {
		const char *why = addr_domain_normalize(c->normalised,
		    strlen(c->normalised), out);

		ck_assert_msg(why != NULL, "%s: addr_domain_normalize accepts "
		    "\"%s\", want refused (addr.h: no empty labels)", c->name,
		    c->normalised);
		/* The entry is shown with control bytes as \xHH. */
		for (p = c->entry; *p != '\0' && o + 5 < sizeof(esc); p++) {
			if ((unsigned char)*p < 0x20)
				o += (size_t)snprintf(esc + o, sizeof(esc) - o,
				    "\\x%02x", (unsigned char)*p);
			else
				esc[o++] = *p;
		}
		esc[o] = '\0';
		snprintf(want, sizeof(want), "bad domain \"%s\": %s", esc, why);
	}
	ck_assert_msg(!domset_add(set, c->entry, err, sizeof(err)),
	    "%s: \"%s\" accepted, want refused with \"%s\"", c->name,
	    c->entry, want);
	ck_assert_msg(strcmp(err, want) == 0,
	    "%s: got error\n  \"%s\"\nwant\n  \"%s\"", c->name, err, want);
	ck_assert_msg(domset_count(set) == 0, "%s: count %zu after a refused "
	    "entry, want 0", c->name, domset_count(set));
	domset_free(set);
}
END_TEST

/* The length limits, with entries built at run time. */
START_TEST(test_lengths)
{
	struct domset *set = domset_new();
	char entry[600], err[1024], want[1024], out[ADDR_DOMAIN_MAX + 1];
	const char *why;
	size_t i;

	ck_assert(set != NULL);
	/* Four 63-byte labels: 255 bytes, the longest domain. */
	for (i = 0; i < 255; i++)
		entry[i] = i % 64 == 63 ? '.' : 'a';
	entry[255] = '\0';
	ck_assert_msg(domset_add(set, entry, err, sizeof(err)),
	    "255-byte domain refused: %s", err);
	ck_assert_msg(domset_contains(set, entry), "255-byte domain: no match");
	entry[255] = '.';
	entry[256] = '\0';
	ck_assert_msg(domset_add(set, entry, err, sizeof(err)),
	    "255-byte domain with a trailing dot refused: %s", err);
	ck_assert_msg(domset_count(set) == 1, "count %zu, want 1 (the same "
	    "domain twice)", domset_count(set));

	/* Its wildcard is a 256-byte key. */
	memmove(entry + 1, entry, 257);
	entry[0] = '.';
	ck_assert_msg(domset_add(set, entry, err, sizeof(err)),
	    "wildcard of a 255-byte domain refused: %s", err);
	ck_assert_msg(domset_count(set) == 2, "count %zu, want 2",
	    domset_count(set));

	/* 256 bytes, no trailing dot. */
	for (i = 0; i < 256; i++)
		entry[i] = i % 64 == 62 ? '.' : 'b';
	entry[256] = '\0';
	why = addr_domain_normalize(entry, 256, out);
	ck_assert_msg(why != NULL, "256-byte domain accepted by the "
	    "normaliser");
	/* Quoted up to 64 octets (ESCAPE_SHOW_MAX), then "...". */
	snprintf(want, sizeof(want), "bad domain \"%.64s...\": %s", entry,
	    why);
	ck_assert(!domset_add(set, entry, err, sizeof(err)));
	ck_assert_msg(strcmp(err, want) == 0, "256 bytes: got \"%s\", want "
	    "\"%s\"", err, want);

	/* A 64-byte label. */
	memset(entry, 'c', 64);
	strcpy(entry + 64, ".example.org");
	why = addr_domain_normalize(entry, strlen(entry), out);
	ck_assert_msg(why != NULL, "64-byte label accepted by the normaliser");
	snprintf(want, sizeof(want), "bad domain \"%.64s...\": %s", entry,
	    why);
	ck_assert(!domset_add(set, entry, err, sizeof(err)));
	ck_assert_msg(strcmp(err, want) == 0, "64-byte label: got \"%s\", "
	    "want \"%s\"", err, want);
	ck_assert_msg(domset_count(set) == 2, "count %zu after refusals, "
	    "want 2", domset_count(set));
	domset_free(set);
}
END_TEST

struct match_case {
	const char	*name;
	const char	*entries[6];	/* NULL-terminated */
	const char	*domain;	/* normalised before the lookup */
	bool		want;
};

static const struct match_case match_cases[] = {
	{ "exact", { "example.org" }, "example.org", true },
	{ "exact, subdomain", { "example.org" }, "mail.example.org", false },
	{ "exact, parent", { "mail.example.org" }, "example.org", false },
	{ "exact, longer name", { "example.org" }, "notexample.org", false },
	{ "exact, suffix only", { "example.org" }, "example.org.evil", false },
	{ "entry upper case", { "EXAMPLE.Org" }, "example.org", true },
	{ "lookup upper case", { "example.org" }, "Example.ORG", true },
	{ "entry trailing dot", { "example.org." }, "example.org", true },
	{ "lookup trailing dot", { "example.org" }, "example.org.", true },
	{ "wildcard, subdomain", { ".example.org" }, "mail.example.org",
	    true },
	{ "wildcard, deep subdomain", { ".example.org" }, "a.b.example.org",
	    true },
	{ "wildcard, not the domain", { ".example.org" }, "example.org",
	    false },
	{ "wildcard, longer name", { ".example.org" }, "notexample.org",
	    false },
	{ "wildcard, other tld", { ".example.org" }, "mail.example.net",
	    false },
	{ "wildcard upper case, trailing dot", { ".EXAMPLE.ORG." },
	    "Mail.Example.Org.", true },
	{ "wildcard tld", { ".org" }, "example.org", true },
	{ "exact and wildcard, domain", { "example.org", ".example.org" },
	    "example.org", true },
	{ "exact and wildcard, subdomain", { "example.org", ".example.org" },
	    "x.example.org", true },
	{ "single label", { "localhost" }, "localhost", true },
	{ "underscore and hyphen", { "_dmarc.my-host.example" },
	    "_DMARC.My-Host.example", true },
	{ "digits", { "123.example" }, "123.example", true },
	{ "8-bit bytes", { "b\xc3\xbc" "cher.example" },
	    "b\xc3\xbc" "cher.example", true },
	{ "8-bit bytes, wildcard", { ".b\xc3\xbc" "cher.example" },
	    "www.b\xc3\xbc" "cher.example", true },
	{ "8-bit bytes, other bytes", { "b\xc3\xbc" "cher.example" },
	    "b\xc3\x9c" "cher.example", false },
	{ "ipv4 literal", { "[192.0.2.1]" }, "[192.0.2.1]", true },
	{ "ipv4 literal, other", { "[192.0.2.1]" }, "[192.0.2.2]", false },
	{ "ipv4 literal, trailing dot", { "[192.0.2.1]." }, "[192.0.2.1]",
	    true },
	{ "ipv4 literal vs wildcard", { ".1", ".2.1" }, "[192.0.2.1]", false },
	{ "ipv4 literal vs bare address", { "192.0.2.1" }, "[192.0.2.1]",
	    false },
	{ "ipv6 literal", { "[IPv6:2001:db8::1]" }, "[IPv6:2001:db8::1]",
	    true },
	{ "ipv6 literal, tag case", { "[ipv6:2001:DB8::1]" },
	    "[IPv6:2001:db8::1]", true },
	{ "ipv6 literal, other", { "[IPv6:2001:db8::1]" },
	    "[IPv6:2001:db8::2]", false },
	{ "duplicates", { "example.org", "EXAMPLE.org.", "example.org" },
	    "example.org", true },
	{ "among others", { "a.example", "b.example", ".c.example", "d" },
	    "x.c.example", true },
	{ "among others, miss", { "a.example", "b.example", ".c.example",
	    "d" }, "c.example", false },
	{ "empty set", { NULL }, "example.org", false },
	/* "!" excludes; the first entry that matches decides. */
	{ "excluded before wildcard", { "!old.example.org", ".example.org" },
	    "old.example.org", false },
	{ "excluded before wildcard, sibling",
	    { "!old.example.org", ".example.org" }, "new.example.org", true },
	{ "excluded exact, its subdomain", { "!old.example.org",
	    ".example.org" }, "a.old.example.org", true },
	{ "excluded after wildcard", { ".example.org", "!old.example.org" },
	    "old.example.org", true },
	{ "excluded wildcard before wildcard", { "!.old.example.org",
	    ".example.org" }, "a.old.example.org", false },
	{ "excluded wildcard, the domain itself", { "!.old.example.org",
	    ".example.org" }, "old.example.org", true },
	{ "excluded wildcard before exact", { "!.example.org",
	    "mail.example.org" }, "mail.example.org", false },
	{ "exact before excluded wildcard", { "mail.example.org",
	    "!.example.org" }, "mail.example.org", true },
	{ "deepest wildcard listed last", { ".example.org",
	    "!.b.example.org" }, "a.b.example.org", true },
	{ "deepest exclusion listed first", { "!.b.example.org",
	    ".example.org" }, "a.b.example.org", false },
	{ "exclusion alone", { "!example.org" }, "example.org", false },
	{ "exclusion alone, other domain", { "!example.org" }, "other.org",
	    false },
	{ "duplicate keeps the first verdict", { "example.org",
	    "!example.org" }, "example.org", true },
	{ "duplicate exclusion keeps its verdict", { "!example.org",
	    "example.org" }, "example.org", false },
	{ "excluded literal", { "![192.0.2.1]", "[192.0.2.1]" },
	    "[192.0.2.1]", false },
	{ "exclusion elsewhere, exact hit", { "!other.example",
	    "example.org" }, "example.org", true },
	{ "exclusion elsewhere, wildcard hit", { "!other.example",
	    ".example.org" }, "a.example.org", true },
	{ "excluded upper case, trailing dot", { "!OLD.Example.org.",
	    ".example.org" }, "old.example.org", false },
};

START_TEST(test_match)
{
	const struct match_case *c = &match_cases[_i];
	struct domset *set = domset_new();
	char err[1024], dom[ADDR_DOMAIN_MAX + 1];
	const char *why;
	size_t n;
	bool got;

	ck_assert(set != NULL);
	for (n = 0; c->entries[n] != NULL; n++)
		ck_assert_msg(domset_add(set, c->entries[n], err, sizeof(err)),
		    "%s: \"%s\" refused: %s", c->name, c->entries[n], err);
	why = addr_domain_normalize(c->domain, strlen(c->domain), dom);
	ck_assert_msg(why == NULL, "%s: \"%s\" does not normalise: %s",
	    c->name, c->domain, why);
	got = domset_contains(set, dom);
	ck_assert_msg(got == c->want, "%s: \"%s\" got %s, want %s", c->name,
	    dom, got ? "match" : "no match", c->want ? "match" : "no match");
	domset_free(set);
}
END_TEST

START_TEST(test_counts)
{
	struct domset *set = domset_new();
	char err[1024];

	domset_free(NULL);
	ck_assert_msg(!domset_contains(NULL, "example.org"), "NULL set "
	    "matched");
	ck_assert_msg(domset_count(NULL) == 0, "NULL set count not 0");
	ck_assert(set != NULL);
	ck_assert_msg(!domset_contains(set, NULL), "NULL domain matched");
	ck_assert(domset_add(set, "example.org", err, sizeof(err)));
	ck_assert(domset_add(set, "Example.Org.", err, sizeof(err)));
	ck_assert(domset_add(set, ".example.org", err, sizeof(err)));
	ck_assert(domset_add(set, ".example.org.", err, sizeof(err)));
	ck_assert(!domset_add(set, "exa mple.org", err, sizeof(err)));
	ck_assert(!domset_add(set, NULL, err, sizeof(err)));
	ck_assert(!domset_add(set, "a@b", NULL, 0));
	ck_assert_msg(domset_count(set) == 2, "count %zu, want 2 (distinct "
	    "entries; a wildcard is its own entry)", domset_count(set));
	ck_assert(domset_add(set, "!example.org", err, sizeof(err)));
	ck_assert(domset_add(set, "!old.example.org", err, sizeof(err)));
	ck_assert_msg(domset_count(set) == 3, "count %zu, want 3 (an "
	    "exclusion of a listed pattern is that entry; a new one counts)",
	    domset_count(set));
	/* The lookup side is already normalised by addr_parse(). */
	ck_assert_msg(!domset_contains(set, "Example.org"), "unnormalised "
	    "lookup matched");
	ck_assert_msg(!domset_contains(set, ""), "empty domain matched");
	domset_free(set);
}
END_TEST

#define BIG	100000

START_TEST(test_big)
{
	struct domset *set = domset_new();
	char entry[128], err[1024];
	int i;

	ck_assert(set != NULL);
	/* Every tenth entry is a wildcard. */
	for (i = 0; i < BIG; i++) {
		if (i % 10 == 0)
			snprintf(entry, sizeof(entry), ".zone%d.example", i);
		else
			snprintf(entry, sizeof(entry), "Host%d.Zone%d.example.",
			    i, i % 977);
		ck_assert_msg(domset_add(set, entry, err, sizeof(err)),
		    "entry %d \"%s\" refused: %s", i, entry, err);
	}
	ck_assert(domset_add(set, "host1.zone1.example", err, sizeof(err)));
	ck_assert_msg(domset_count(set) == BIG, "count %zu, want %d",
	    domset_count(set), BIG);

	static const struct {
		const char	*domain;
		bool		want;
	} probes[] = {
		{ "host1.zone1.example", true },
		{ "host99999.zone345.example", true },	/* 99999 % 977 */
		{ "host99999.zone346.example", false },
		{ "host50001.zone174.example", true },	/* 50001 % 977 */
		{ "host100000.zone342.example", false },
		{ "x.zone0.example", true },
		{ "a.b.zone99990.example", true },
		{ "zone99990.example", false },
		{ "x.zone99991.example", false },
		{ "host10.zone10.example", true },	/* under .zone10 */
		{ "host11.zone11.example", true },
		{ "host11.zone12.example", false },
		{ "example", false },
		{ "zone1.example", false },
	};
	for (i = 0; i < (int)(sizeof(probes) / sizeof(probes[0])); i++) {
		bool got = domset_contains(set, probes[i].domain);

		ck_assert_msg(got == probes[i].want, "big: \"%s\" got %s, want "
		    "%s", probes[i].domain, got ? "match" : "no match",
		    probes[i].want ? "match" : "no match");
	}
	domset_free(set);
}
END_TEST

Suite *domset_suite(void);

Suite *
domset_suite(void)
{
	Suite *s = suite_create("domset");
	TCase *tc = tcase_create("domset");

	tcase_add_loop_test(tc, test_reject, 0, NCASES(reject_cases));
	tcase_add_test(tc, test_lengths);
	tcase_add_loop_test(tc, test_match, 0, NCASES(match_cases));
	tcase_add_test(tc, test_counts);
	suite_add_tcase(s, tc);

	tc = tcase_create("domset_big");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_big);
	suite_add_tcase(s, tc);
	return s;
}
