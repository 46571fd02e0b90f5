/*
 * fuzz_addr - the envelope address parser (addr.c).
 *
 * The input is an address as a client would type it after RCPT TO:.
 * Besides "no crash, no out-of-bounds read" (the bytes are also handed to
 * addr_domain_normalize() without a terminating NUL, so any over-read is
 * AddressSanitizer's), every parse is checked against a second, naive
 * reading that a reviewer can check by eye: the destination is what
 * follows the last '@', and any '@', '%' or '!' before it is routing.
 * A disagreement on the destination or on routing is how a relay check
 * is bypassed, so it aborts.
 */
#include <strings.h>

#include "addr.h"
#include "fuzz.h"
#include "ref.h"

/* What a domain addr_parse() hands the policy must look like. */
static void
check_domain(const char *d, const char *what)
{
	char again[ADDR_DOMAIN_MAX + 1];
	size_t len = strnlen(d, ADDR_DOMAIN_MAX + 1), i;
	const char *why;

	FZ_CHECK(len <= ADDR_DOMAIN_MAX, "%s: domain of %zu bytes", what, len);
	FZ_CHECK(len == 0 || d[len - 1] != '.', "%s: trailing dot in \"%s\"",
	    what, d);
	for (i = 0; i < len; i++) {
		/* Literals keep their "IPv6:" tag in canonical case. */
		if (d[0] == '[' && i >= 1 && i <= 4)
			continue;
		FZ_CHECK(!(d[i] >= 'A' && d[i] <= 'Z'), "%s: upper case in "
		    "\"%s\"", what, d);
		FZ_CHECK((unsigned char)d[i] >= 0x20 && d[i] != 0x7f,
		    "%s: control byte in domain", what);
	}
	if (len == 0)
		return;
	/* Normalising is idempotent: both sides of a comparison meet in
	 * the same spelling whichever way they were written. */
	why = addr_domain_normalize(d, len, again);
	FZ_CHECK(why == NULL, "%s: \"%s\" does not normalise again: %s",
	    what, d, why);
	FZ_CHECK(strcmp(again, d) == 0, "%s: \"%s\" normalises to \"%s\"",
	    what, d, again);
}

static void
check_parse(const char *text)
{
	struct addr a, untouched;
	enum addr_status st;
	size_t len = strlen(text);
	struct ref_rcpt r;
	const char *p;

	memset(&a, 0xa5, sizeof(a));
	memset(&untouched, 0xa5, sizeof(untouched));
	st = addr_parse(text, &a);

	if (len > ADDR_PATH_MAX)
		FZ_CHECK(st == ADDR_TOO_LONG, "%zu bytes: status %d, want "
		    "ADDR_TOO_LONG", len, st);
	FZ_CHECK((st == ADDR_NULL) == (len == 0 || strcmp(text, "<>") == 0),
	    "status %d for the null path test", st);
	if (st != ADDR_OK) {
		FZ_CHECK(memcmp(&a, &untouched, sizeof(a)) == 0,
		    "status %d but *out was written", st);
		return;
	}

	for (p = text; *p != '\0'; p++)
		FZ_CHECK((unsigned char)*p >= 0x20 && *p != 0x7f,
		    "accepted a control byte 0x%02x", (unsigned char)*p);
	check_domain(a.domain, "addr_parse");
	FZ_CHECK(a.qualified == (a.domain[0] != '\0'), "qualified=%d, domain "
	    "\"%s\"", a.qualified, a.domain);
	FZ_CHECK(a.literal == (a.domain[0] == '['), "literal=%d, domain \"%s\"",
	    a.literal, a.domain);

	/* The naive reading. */
	FZ_CHECK(ref_rcpt_split(text, &r), "a source route without ':' was "
	    "accepted");
	FZ_CHECK(a.source_route == r.route, "source_route=%d", a.source_route);
	if (a.qualified) {
		char dom[ADDR_DOMAIN_MAX + 1];
		const char *why;

		FZ_CHECK(r.dom != NULL, "qualified without an '@'");
		why = addr_domain_normalize(r.dom, r.dlen, dom);
		FZ_CHECK(why == NULL && strcmp(dom, a.domain) == 0,
		    "the destination is \"%s\" but the text after the last '@' "
		    "reads \"%s\"", a.domain, why == NULL ? dom : why);
		FZ_CHECK(r.llen > 0 && r.llen < ADDR_PATH_MAX,
		    "local part of %zu bytes accepted", r.llen);
		FZ_CHECK(!a.postmaster, "a qualified address is flagged "
		    "postmaster");
	} else {
		/* Unqualified, yet an '@': only a quoted one ("\"a@b\""). */
		if (r.dom != NULL) {
			r.llen = r.mlen;
			FZ_CHECK(a.routing, "a quoted '@' is not routing");
		}
		FZ_CHECK(r.llen <= ADDR_PATH_MAX - 2, "unqualified local part "
		    "of %zu bytes accepted", r.llen);
		FZ_CHECK(a.postmaster == ref_rcpt_postmaster(text),
		    "postmaster=%d", a.postmaster);
	}
	FZ_CHECK(a.routing == ref_has_routing(r.local, r.llen),
	    "routing=%d for local part \"%.*s\"", a.routing, (int)r.llen,
	    r.local);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *out = malloc(ADDR_DOMAIN_MAX + 1), *text;
	const char *why;

	if (out == NULL)
		abort();
	/* Exactly size bytes and no NUL after them. */
	why = addr_domain_normalize((const char *)data, size, out);
	if (why == NULL)
		check_domain(out, "addr_domain_normalize");
	else
		FZ_CHECK(*why != '\0' && fz_printable(why), "bad reason text");
	free(out);

	if ((text = malloc(size + 1)) == NULL)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	check_parse(text);
	free(text);
	return 0;
}
