/*
 * netset - an ordered list of networks in Postfix "mynetworks" syntax,
 * answering "is this client address in it?" with first-match-wins.
 *
 * Patterns: "a.b.c.d", "a.b.c.d/n", "[ipv6]", "[ipv6]/n", the same IPv6
 * forms without brackets, and any of those behind "!" to exclude. Text is
 * validated strictly here before libcidr sees it (libcidr alone takes
 * "10.0.0.1/-1" as /0 and ignores trailing garbage). Host bits set under
 * the mask are an error, as in Postfix's cidr tables.
 *
 * Families never mix, as in Postfix's match_hostaddr(): an IPv4 pattern
 * matches only IPv4 clients, an IPv6 pattern only IPv6 clients. A client
 * written ::ffff:a.b.c.d is the IPv4 client a.b.c.d (netaddr folds it, and
 * so does netset_contains() for a hand-built address), as Postfix presents
 * it. So an IPv6 pattern inside ::ffff:0:0/96, such as [::ffff:0:0]/96 or
 * [::ffff:192.0.2.0]/120, is accepted but matches no client, exactly as
 * the same line in Postfix's mynetworks; write 192.0.2.0/24 instead. Nor
 * does ::/0 match an IPv4 client.
 *
 * Lookup cost depends on the number of distinct prefix lengths in the set
 * (at most 33 + 129), not on the number of entries.
 *
 * Ownership: netset_new() returns a set the caller frees with
 * netset_free(); netset_free(NULL) is a no-op. Threads: netset_add() needs
 * exclusive access; once built, any number of threads may call
 * netset_contains() at once.
 */
#ifndef RW_NETSET_H
#define RW_NETSET_H

#include <stdbool.h>
#include <stddef.h>

#include "netaddr.h"

struct netset;

struct netset *netset_new(void);
void	netset_free(struct netset *set);

/*
 * Appends one pattern (no white space anywhere in it). Returns true on
 * success. On a bad pattern returns false, leaves the set as it was and
 * writes a message that tells the fix into err (NULL or errlen 0: none), e.g.
 *   non-null host address bits in "172.16.1.3/21", perhaps you mean "172.16.0.0/21"
 *   bad network "10.1": not an IPv4 or IPv6 address
 *   lookup table "hash:/etc/postfix/network_table" is not supported: ...
 * On memory exhaustion returns false with "out of memory". A network
 * given twice keeps the first pattern's verdict.
 */
bool	netset_add(struct netset *set, const char *pattern, char *err,
	    size_t errlen);

/* True when the first pattern that matches addr is not an exclusion. */
bool	netset_contains(const struct netset *set, const struct netaddr *addr);

/* Number of patterns added (duplicates included). */
size_t	netset_count(const struct netset *set);

#endif
