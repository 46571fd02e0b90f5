/*
 * netaddr - parse, convert and format one client address.
 *
 * inet_pton(3) does the real parsing: it is reentrant, takes no
 * shorthand ("10.1", "010.0.0.1" and "0x0a.0.0.1" are refused for
 * AF_INET), and refuses white space and trailing text. This file only
 * peels off the wrappers MTAs put around IPv6 ("[...]", "IPv6:...") and
 * folds IPv4-mapped IPv6 into IPv4.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <strings.h>

#include "netaddr.h"

static const uint8_t v4mapped_prefix[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

/* Fills out from 16 IPv6 bytes, folding ::ffff:a.b.c.d into IPv4. */
static void
set_v6(struct netaddr *out, const uint8_t bytes[16])
{
	memset(out, 0, sizeof(*out));
	if (memcmp(bytes, v4mapped_prefix, sizeof(v4mapped_prefix)) == 0) {
		out->family = AF_INET;
		memcpy(out->bytes, bytes + 12, 4);
	} else {
		out->family = AF_INET6;
		memcpy(out->bytes, bytes, 16);
	}
}

static bool
parse_v6(const char *text, size_t len, struct netaddr *out)
{
	char buf[INET6_ADDRSTRLEN];
	uint8_t bytes[16];

	if (len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, text, len);
	buf[len] = '\0';
	if (inet_pton(AF_INET6, buf, bytes) != 1)
		return false;
	set_v6(out, bytes);
	return true;
}

bool
netaddr_parse(const char *text, struct netaddr *out)
{
	uint8_t bytes[4];
	size_t len;

	if (text == NULL || out == NULL)
		return false;
	len = strlen(text);
	if (text[0] == '[') {
		if (len < 2 || text[len - 1] != ']')
			return false;
		return parse_v6(text + 1, len - 2, out);
	}
	/* RFC 5321 4.1.3: the tag is an ABNF literal, so case-insensitive. */
	if (strncasecmp(text, "IPv6:", 5) == 0)
		return parse_v6(text + 5, len - 5, out);
	if (strchr(text, ':') != NULL)
		return parse_v6(text, len, out);

	if (inet_pton(AF_INET, text, bytes) != 1)
		return false;
	memset(out, 0, sizeof(*out));
	out->family = AF_INET;
	memcpy(out->bytes, bytes, 4);
	return true;
}

bool
netaddr_from_sockaddr(const struct sockaddr *sa, struct netaddr *out)
{
	if (sa == NULL || out == NULL)
		return false;
	/*
	 * Copy out of the sockaddr rather than cast: libmilter hands us a
	 * struct sockaddr * whose storage may not be aligned for the
	 * larger type.
	 */
	if (sa->sa_family == AF_INET) {
		struct sockaddr_in sin;

		memcpy(&sin, sa, sizeof(sin));
		memset(out, 0, sizeof(*out));
		out->family = AF_INET;
		memcpy(out->bytes, &sin.sin_addr, 4);
		return true;
	}
	if (sa->sa_family == AF_INET6) {
		struct sockaddr_in6 sin6;

		memcpy(&sin6, sa, sizeof(sin6));
		set_v6(out, sin6.sin6_addr.s6_addr);
		return true;
	}
	return false;
}

/*
 * An address of neither family, or a buffer too small for the text,
 * gives "" (when len > 0) rather than a truncated address that could be
 * read as another one.
 */
void
netaddr_format(const struct netaddr *a, char *buf, size_t len)
{
	if (buf == NULL || len == 0)
		return;
	buf[0] = '\0';
	if (a == NULL || (a->family != AF_INET && a->family != AF_INET6))
		return;
	if (len > (size_t)INET6_ADDRSTRLEN)
		len = INET6_ADDRSTRLEN;
	if (inet_ntop(a->family, a->bytes, buf, (socklen_t)len) == NULL)
		buf[0] = '\0';
}
