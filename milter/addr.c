/*
 * addr - envelope address parsing. See addr.h for the contract.
 *
 * The parser is deliberately conservative: it finds the destination the
 * MTA will route to (the domain after the last '@' outside quotes, after
 * any source route) and flags everything in the local part that could
 * make a local domain forward mail elsewhere.
 */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"

/*
 * One class byte per octet, so that each loop below spends one table
 * load per byte instead of a chain of comparisons (these loops are most
 * of a decision's cost). tests/check_addr.c checks every byte value
 * against the rules written out plainly.
 */
#define A_CTL	0x01	/* control: 0x00-0x1f, 0x7f */
#define A_LABEL	0x02	/* in a domain label: letters, digits, '-', '_', 8-bit (U-labels) */
#define A_UPPER	0x20	/* 'A'-'Z' (also A_LABEL); 0x20 is the bit that
			 * makes an ASCII capital small: c | (cls[c] & A_UPPER) */
#define A_SCAN	0x08	/* matters to the address scan: '"', '@', ' ', '<', '>' */
#define A_ROUTE	0x10	/* sender-specified routing in a local part: '@', '%', '!' */

#define C_	A_CTL
#define L_	A_LABEL
#define U_	(A_LABEL | A_UPPER)
#define S_	A_SCAN
#define R_	A_ROUTE
static const unsigned char cls[256] = {
/* 0x00 */ C_, C_, C_, C_, C_, C_, C_, C_, C_, C_, C_, C_, C_, C_, C_, C_,
/* 0x10 */ C_, C_, C_, C_, C_, C_, C_, C_, C_, C_, C_, C_, C_, C_, C_, C_,
/* ' ' ! " # $ % & ' ( ) * + , - . / */
	   S_, R_, S_, 0,  0,  R_, 0,  0,  0,  0,  0,  0,  0,  L_, 0,  0,
/* 0-9 : ; < = > ? */
	   L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, 0,  0,  S_, 0,  S_, 0,
/* @ A-O */
	   S_|R_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_,
/* P-Z [ \ ] ^ _ */
	   U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, 0,  0,  0,  0,  L_,
/* ` a-o */
	   0,  L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_,
/* p-z { | } ~ DEL */
	   L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, 0,  0,  0,  0,  C_,
/* 0x80-0xff */
	   L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_,
	   L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_,
	   L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_,
	   L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_,
	   L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_,
	   L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_,
	   L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_,
	   L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_,
};
#undef C_
#undef L_
#undef U_
#undef S_
#undef R_

static bool
is_ctl(unsigned char c)
{
	return (cls[c] & A_CTL) != 0;
}

static bool
has_ctl(const char *p, const char *end)
{
	for (; p < end; p++)
		if (is_ctl((unsigned char)*p))
			return true;
	return false;
}

static char
lower(char c)
{
	return (char)((unsigned char)c | (cls[(unsigned char)c] & A_UPPER));
}

/*
 * A name: lower case and check in one pass. A label's length is looked
 * at only where it ends or where a byte is refused; a label over 63
 * bytes is still reported before anything wrong that comes after its
 * 63rd byte, as a byte-by-byte count would. Inline: every recipient's
 * domain comes through here.
 */
static inline const char *
normalize_name(const char *in, size_t len, char *out)
{
	size_t i, label = 0;		/* where the current label starts */

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];
		unsigned char k = cls[c];

		out[i] = (char)(c | (k & A_UPPER));
		if (k & A_LABEL)
			continue;
		if (i - label > 63)
			return "domain label longer than 63 bytes";
		if (c != '.')
			return "bad character in domain";
		if (i == label)
			return "empty label in domain";
		label = i + 1;
	}
	out[len] = '\0';
	if (len - label > 63)
		return "domain label longer than 63 bytes";
	if (len == label)
		return "empty label in domain";	/* "example.org.." */
	return NULL;
}

/*
 * The text of a literal after "[ipv6:" (v6len bytes, up to the "]"),
 * rewritten into out as "[IPv6:<canonical>]": one spelling per address,
 * so that a listed literal and a recipient's match however each was
 * written. nul: the literal holds a NUL byte.
 */
static const char *
normalize_ipv6_literal(const char *v6, size_t v6len, bool nul, char *out)
{
	char tmp[INET6_ADDRSTRLEN + 8];
	unsigned char buf[16];

	if (nul || v6len >= sizeof(tmp))
		return "bad IPv6 address literal";
	memcpy(tmp, v6, v6len);
	tmp[v6len] = '\0';
	if (inet_pton(AF_INET6, tmp, buf) != 1)
		return "bad IPv6 address literal";
	if (inet_ntop(AF_INET6, buf, tmp, sizeof(tmp)) == NULL)
		return "bad IPv6 address literal";
	snprintf(out, ADDR_DOMAIN_MAX + 1, "[IPv6:%s]", tmp);
	return NULL;
}

/*
 * RFC 5321 4.1.3 address literal: [IPv4] or [IPv6:addr]. Out of line
 * (noinline): inlined, it costs the hot name path a larger frame, a few
 * instructions per recipient in bench-scale's counts.
 */
static __attribute__((noinline)) const char *
normalize_literal(const char *in, size_t len, char *out)
{
	char tmp[INET6_ADDRSTRLEN + 8];
	unsigned char buf[16];
	const char *body;
	size_t i, blen;
	bool nul;

	for (i = 0; i < len; i++)
		out[i] = lower(in[i]);
	out[len] = '\0';
	if (len < 3 || out[len - 1] != ']')
		return "unterminated address literal";
	body = out + 1;
	blen = len - 2;
	/* inet_pton() reads to a NUL: one inside the literal would hide
	 * what follows it. */
	nul = memchr(body, '\0', blen) != NULL;
	if (blen > 5 && memcmp(body, "ipv6:", 5) == 0)
		return normalize_ipv6_literal(body + 5, blen - 5, nul, out);
	if (memchr(body, ':', blen) != NULL)
		return "bad address literal: write IPv6 ones as "
		    "[IPv6:2001:db8::1]";
	if (nul || blen >= sizeof(tmp))
		return "bad IPv4 address literal";
	memcpy(tmp, body, blen);
	tmp[blen] = '\0';
	if (inet_pton(AF_INET, tmp, buf) != 1)
		return "bad IPv4 address literal";
	return NULL;
}

const char *
addr_domain_normalize(const char *in, size_t len, char *out)
{
	if (len > 0 && in[len - 1] == '.')
		len--;
	if (len == 0)
		return "empty domain";
	if (len > ADDR_DOMAIN_MAX)
		return "domain longer than 255 bytes";
	if (in[0] != '[')
		return normalize_name(in, len, out);
	return normalize_literal(in, len, out);
}

/*
 * Skips a source route "@a,@b:" at s (RFC 5321 4.1.2 A-d-l); returns the
 * mailbox after the ':' or NULL when the route is malformed. The route
 * domains are not used: RFC 5321 C says they may be ignored, and the MTA
 * routes to the mailbox's domain.
 */
static const char *
skip_route(const char *s, const char *end)
{
	while (s < end && *s == '@') {
		s++;
		if (s == end || *s == ',' || *s == ':')
			return NULL;
		while (s < end && *s != ',' && *s != ':') {
			if (*s == '"' || *s == '@' || *s == ' ')
				return NULL;
			s++;
		}
		if (s == end)
			return NULL;
		if (*s++ == ':')
			return s;
	}
	return NULL;
}

/* *out = *a, the domain only up to its NUL. */
static void
copy_out(struct addr *out, const struct addr *a)
{
	memcpy(out->domain, a->domain, strlen(a->domain) + 1);
	out->qualified = a->qualified;
	out->routing = a->routing;
	out->literal = a->literal;
	out->source_route = a->source_route;
	out->postmaster = a->postmaster;
	out->local = a->local;
	out->local_len = a->local_len;
}

/*
 * Bounds text, checks its bytes and takes off "<" and ">": on ADDR_OK,
 * [*s, *end) is the path inside them, not empty.
 */
static inline enum addr_status
strip_path(const char *text, const char **s, const char **end)
{
	/* Bound the scan before anything else: a hostile 10 MB argument costs
	 * no more than a short one. */
	size_t len = strnlen(text, ADDR_PATH_MAX + 1);

	if (len > ADDR_PATH_MAX)
		return ADDR_TOO_LONG;
	*s = text;
	*end = text + len;
	if (has_ctl(*s, *end))
		return ADDR_BAD_SYNTAX;
	if (len > 0 && **s == '<') {
		if ((*end)[-1] != '>' || len < 2)
			return ADDR_BAD_SYNTAX;
		(*s)++;
		(*end)--;
	} else if (len > 0 && (*end)[-1] == '>') {
		return ADDR_BAD_SYNTAX;
	}
	if (*s == *end)
		return ADDR_NULL;
	/* RFC 5321 4.5.3.1.3: the 256 octets include "<" and ">", whether
	 * or not the MTA passed them on. */
	if ((size_t)(*end - *s) > ADDR_PATH_MAX - 2)
		return ADDR_TOO_LONG;
	return ADDR_OK;
}

/*
 * Sets *at to the last '@' of [s, end) outside quotes (NULL: none).
 * False on a space, '<' or '>' outside quotes, or an unbalanced quote or
 * backslash. Inline: it looks at every byte of every recipient.
 */
static inline bool
find_at(const char *s, const char *end, const char **at)
{
	const char *p;
	bool quoted = false, escaped = false;

	*at = NULL;
	for (p = s; p < end; p++) {
		unsigned char c = (unsigned char)*p;

		if (!quoted && !(cls[c] & A_SCAN))
			continue;
		if (escaped) {
			escaped = false;
			continue;
		}
		if (quoted) {
			if (c == '\\')
				escaped = true;
			else if (c == '"')
				quoted = false;
			continue;
		}
		if (c == '"')
			quoted = true;
		else if (c == '@')
			*at = p;
		else if (c == ' ' || c == '<' || c == '>')
			return false;
	}
	return !quoted && !escaped;
}

/* An unqualified name [local, end): postmaster, and routing. Out of
 * line, as normalize_literal(): rare, and it would cost the common path. */
static __attribute__((noinline)) void
fill_unqualified(struct addr *a, const char *local, const char *end)
{
	static const char pm[] = "postmaster";
	size_t n = (size_t)(end - local), i;
	bool postmaster = (n == sizeof(pm) - 1);

	for (i = 0; postmaster && i < n; i++)
		postmaster = lower(local[i]) == pm[i];
	a->postmaster = postmaster;
	/* Only a quoted '@' can be left here: "\"a@b\"". */
	a->routing = memchr(local, '%', n) != NULL ||
	    memchr(local, '!', n) != NULL || memchr(local, '@', n) != NULL;
}

/* local@domain, at on its '@': the routing flag and the normalised
 * domain; false for an empty local part or a bad domain. */
static inline bool
fill_qualified(struct addr *a, const char *local, const char *at,
    const char *end)
{
	const char *p;

	if (at == local)
		return false;		/* "@domain" */
	/* Any routing character in the local part, quoted or not: "a%b",
	 * "b!a", "\"a@b\"" and "a@b" (of "a@b@c") all make some MTA forward. */
	for (p = local; p < at; p++) {
		if (cls[(unsigned char)*p] & A_ROUTE) {
			a->routing = true;
			break;
		}
	}
	if (addr_domain_normalize(at + 1, (size_t)(end - (at + 1)),
	    a->domain) != NULL)
		return false;
	a->qualified = true;
	a->literal = a->domain[0] == '[';
	return true;
}

enum addr_status
addr_parse(const char *text, struct addr *out)
{
	const char *s, *end, *at;
	enum addr_status st;
	bool route = false;
	struct addr a;

	/* Not memset: a decision is a few hundred instructions and the
	 * domain buffer alone is 256 bytes. copy_out() copies what is set. */
	a.domain[0] = '\0';
	a.qualified = a.routing = a.literal = a.source_route =
	    a.postmaster = false;
	if ((st = strip_path(text, &s, &end)) != ADDR_OK)
		return st;
	if (*s == '@') {
		s = skip_route(s, end);
		if (s == NULL || s == end)
			return ADDR_BAD_SYNTAX;
		route = true;
	}
	/* s is now the local part. */
	if (!find_at(s, end, &at))
		return ADDR_BAD_SYNTAX;
	a.local = s;
	a.local_len = (size_t)((at != NULL ? at : end) - s);
	if (at == NULL)
		fill_unqualified(&a, s, end);
	else if (!fill_qualified(&a, s, at, end))
		return ADDR_BAD_SYNTAX;
	a.source_route = route;
	copy_out(out, &a);
	return ADDR_OK;
}

size_t
addr_unquote(const char *s, size_t n, char *out, bool fold)
{
	size_t i, o = 0;
	bool quoted = false;

	for (i = 0; i < n; i++) {
		if (s[i] == '"') {
			quoted = !quoted;
			continue;
		}
		if (quoted && s[i] == '\\' && i + 1 < n)
			i++;
		out[o++] = fold && s[i] >= 'A' && s[i] <= 'Z' ?
		    (char)(s[i] - 'A' + 'a') : s[i];
	}
	return o;
}

void
addr_shown(const char *text, char *out, size_t len)
{
	const char *start = text, *end, *dom;
	struct addr a;
	size_t n, o;

	if (len == 0)
		return;
	n = strnlen(text, ADDR_PATH_MAX + 2);
	if (n >= 2 && text[0] == '<' && text[n - 1] == '>') {
		start++;
		n -= 2;
	}
	/* Without a quote or a source route it is shown as written: no
	 * second parse for a refusal (callgrind, milter-bench). */
	if ((memchr(start, '"', n) == NULL && (n == 0 || *start != '@')) ||
	    len < ADDR_SHOWN_MAX || addr_parse(text, &a) != ADDR_OK) {
		n = n < len - 1 ? n : len - 1;
		memcpy(out, start, n);
		out[n] = '\0';
		return;
	}
	o = addr_unquote(a.local, a.local_len, out, false);
	dom = a.local + a.local_len;
	end = start + n;
	if (dom < end && *dom == '@' && (size_t)(end - dom) + o < len) {
		memcpy(out + o, dom, (size_t)(end - dom));
		o += (size_t)(end - dom);
	}
	out[o] = '\0';
}
