/*
 * netaddr - one IPv4 or IPv6 host address, as the policy compares it.
 *
 * An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is always stored as the
 * IPv4 address it carries, so that IPv4 networks match it.
 *
 * Values are plain structs: no memory is owned, any thread may use them.
 */
#ifndef RW_NETADDR_H
#define RW_NETADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* Longest text netaddr_format() writes, NUL included. */
#define NETADDR_TEXT_MAX 46

struct netaddr {
	int	family;		/* AF_INET or AF_INET6 */
	uint8_t	bytes[16];	/* network order; IPv4 uses bytes[0..3] */
};

/*
 * Parses a client address as MTAs and admins write it: "192.0.2.1",
 * "2001:db8::1", "[2001:db8::1]", "IPv6:2001:db8::1" (Postfix's
 * {client_addr} form; the tag in any case, as RFC 5321's ABNF allows) and
 * "::ffff:192.0.2.1". Nothing else is accepted: no shorthand ("10.1"), no
 * prefix, no "[192.0.2.1]", no surrounding white space.
 * Returns true and fills *out on success (bytes not used are zero).
 */
bool	netaddr_parse(const char *text, struct netaddr *out);

/* From a socket address (AF_INET or AF_INET6 only; false otherwise). */
bool	netaddr_from_sockaddr(const struct sockaddr *sa, struct netaddr *out);

/*
 * Writes the canonical text ("192.0.2.1", "2001:db8::1") into buf. When
 * len is too small for it, or a is of neither family, writes "" (if len >
 * 0) rather than a truncated address.
 */
void	netaddr_format(const struct netaddr *a, char *buf, size_t len);

#endif
