/*
 * addr - envelope address parsing, the security boundary between what a
 * client typed after RCPT TO: and what the policy compares.
 *
 * Accepted forms: "<local@domain>", "local@domain" (no brackets), quoted
 * local parts ("\"a b\"@domain"), source routes ("<@a,@b:user@c>": the
 * destination is c), address literals ("user@[192.0.2.1]"), unqualified
 * names ("<Postmaster>"), and the null path "<>".
 *
 * The domain is what follows the last '@' outside quotes. Any '@', '%' or
 * '!' left in the local part, quoted or not, is sender-specified routing.
 *
 * Bounds (RFC 5321 section 4.5.3.1): domain 255 octets, path 256
 * including "<" and ">" (counted whether or not the input has them).
 * Longer input is refused (ADDR_TOO_LONG), never truncated. The local
 * part has no bound of its own: RFC 5321 asks servers not to enforce its
 * 64 octets where they can avoid it, Postfix does not, and VERP and SRS
 * addresses exceed it; nothing here stores it.
 *
 * Pure functions on caller-owned memory; thread-safe.
 */
#ifndef RW_ADDR_H
#define RW_ADDR_H

#include <stdbool.h>
#include <stddef.h>

#define ADDR_DOMAIN_MAX	255
#define ADDR_PATH_MAX	256

enum addr_status {
	ADDR_OK,		/* parsed; see the flags */
	ADDR_NULL,		/* the null path "<>" (or "") */
	ADDR_BAD_SYNTAX,	/* control byte, unbalanced quote/bracket, empty domain, ... */
	ADDR_TOO_LONG,		/* over one of the bounds above */
};

struct addr {
	char	domain[ADDR_DOMAIN_MAX + 1];	/* lower case, trailing dot removed;
						 * "" when unqualified */
	bool	qualified;	/* has a domain */
	bool	routing;	/* '@', '%' or '!' in the local part */
	bool	literal;	/* domain is an address literal "[...]" */
	bool	source_route;	/* "@a,@b:" prefix was present */
	bool	postmaster;	/* unqualified, local part "postmaster" in any case */
	const char *local;	/* the local part, in the text parsed (quotes
				 * and all), after any source route */
	size_t	local_len;
};

/* Parses text; *out is filled only when ADDR_OK is returned. */
enum addr_status addr_parse(const char *text, struct addr *out);

/*
 * Normalises one domain name of len bytes into out (which has room for
 * ADDR_DOMAIN_MAX + 1 bytes): lower case, one trailing dot removed. An
 * address literal "[...]" must hold an IPv4 address or "IPv6:" and an IPv6
 * address; IPv6 literals are rewritten in their canonical form
 * ("[IPv6:2001:db8::1]"). Returns NULL on success or a static string saying what is wrong.
 * Shared by the recipient parser and the local_domains list, so that both
 * sides of a comparison are normalised by the same code.
 */
const char *addr_domain_normalize(const char *in, size_t len, char *out);

/*
 * The local part of n bytes as Postfix keeps it: the quotes and the
 * backslashes of a quoted part removed, in lower case when fold is
 * true, at out (n bytes or more); returns its length.
 */
size_t	addr_unquote(const char *s, size_t n, char *out, bool fold);

/*
 * An address as Postfix shows it in its replies (its internal form):
 * without "<>" and a source route, the local part unquoted, the domain as
 * written; as it is (without "<>") when it does not parse. out has len
 * bytes, ADDR_SHOWN_MAX or more for the address to be shown this way.
 */
#define ADDR_SHOWN_MAX	(ADDR_PATH_MAX + 2)
void	addr_shown(const char *text, char *out, size_t len);

#endif
