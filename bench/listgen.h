/*
 * listgen - deterministic, realistic local_domains and my_networks lists
 * for the benchmarks, and lookups that are known to hit or miss them.
 *
 * Every entry is a pure function of its index, so a list of n entries is
 * the first n entries of any longer one, and a benchmark can pick hits
 * by index after loading without keeping the list in memory (which would
 * blur its memory figures).
 *
 * Domains: "<syllables><index>.<tld>", 8 to 30 bytes, unique by
 * construction (the decimal index is the only run of digits). 5% are
 * subdomain wildcards (".name.tld"). Misses use indexes from 10^12 up,
 * so no miss is ever listed or under a listed wildcard.
 *
 * Networks, as an admin or BlueMind writes mynetworks: 127.0.0.0/8 and
 * [::1]/128 first, then 70% IPv4 (/32 hosts, /24, /28, /29, /30, /22,
 * /16) inside 1.0.0.0-126.255.255.255, 30% IPv6 ([...]/128, /64, /56,
 * /48, /32) inside 2001::/16 and 2a00::/12; one entry in 34 (~3%) is a
 * "!host" exclusion, followed by the /24 or /64 that holds the host (first
 * match wins, as in Postfix). Miss addresses come from 128.0.0.0/2 and
 * 2c00::/8, which no entry covers.
 *
 * Threads: pure functions on caller-owned memory. The writers return
 * false with errno set when the file cannot be written.
 */
#ifndef RW_LISTGEN_H
#define RW_LISTGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netaddr.h"

/* Longest domain entry text, NUL included. */
#define LG_DOMAIN_MAX	64
/* Longest network entry text ("![ipv6]/128"), NUL included. */
#define LG_NET_MAX	64

/* Entry i of the domain list; *wild tells whether it is ".name.tld". */
void	lg_domain(uint64_t i, char *buf, size_t len, bool *wild);
/* A domain that is neither listed nor under a listed wildcard. */
void	lg_domain_miss(uint64_t k, char *buf, size_t len);

struct lg_net {
	int	family;		/* AF_INET or AF_INET6 */
	uint8_t	bytes[16];	/* network (or excluded host) */
	unsigned plen;
	bool	exclude;
};

/* Entry i of a list of n networks. */
void	lg_network(uint64_t i, uint64_t n, struct lg_net *out);
/* Its text: "192.0.2.0/24", "!192.0.2.7", "[2001:db8::]/48". */
void	lg_net_format(const struct lg_net *net, char *buf, size_t len);
/* An address inside net, its host bits taken from salt. */
void	lg_net_host(const struct lg_net *net, uint64_t salt,
	    struct netaddr *out);
/* An address no entry covers. */
void	lg_addr_miss(uint64_t k, bool v6, struct netaddr *out);

/* One domain a line (a list file), with comments. */
bool	lg_write_domains(const char *path, uint64_t n);
/* One network a line. */
bool	lg_write_networks(const char *path, uint64_t n);

/* splitmix64: the generator's hash, also handy to the benchmarks. */
uint64_t lg_hash(uint64_t x);

#endif
