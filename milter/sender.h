/*
 * sender - who may send as an envelope sender: Postfix's
 * smtpd_sender_login_maps and its reject_*_sender_login_mismatch
 * restrictions, and the implicit owner (a login owns its own address).
 *
 * The owner map holds Postfix's keys, lower case: "user@domain", "user"
 * (for the domains in local_domains only), "@domain"; each with its
 * owners as the map wrote them ("alice, bob"). A sender is looked up as
 * Postfix's mail_addr_find() does: the full address, then without its
 * extension (recipient_delimiter), then the local part with and without
 * it when the domain is local, then "@domain". The first key found
 * decides; owners compare with the login case-insensitively (ASCII).
 *
 * Ownership: struct sender_rules is part of struct policy, built by the
 * configuration loader and freed by sender_rules_free(). Once built it is
 * only read: any number of threads may call sender_judge() at once.
 */
#ifndef RW_SENDER_H
#define RW_SENDER_H

#include <stdbool.h>
#include <stddef.h>

#include "addr.h"
#include "domset.h"
#include "strmap.h"

/* sender_login_check, named after Postfix's restrictions. */
enum sender_check {
	SENDER_CHECK_OFF,
	SENDER_CHECK_AUTHENTICATED,	/* reject_authenticated_sender_login_mismatch */
	SENDER_CHECK_KNOWN,		/* reject_known_sender_login_mismatch */
	SENDER_CHECK_UNAUTHENTICATED,	/* reject_unauthenticated_sender_login_mismatch */
	SENDER_CHECK_ALL,		/* reject_sender_login_mismatch */
};

/* The words of sender_login_check, indexed by enum sender_check. */
extern const char *const sender_check_words[];

struct sender_rules {
	enum sender_check check;
	struct strmap	owners;		/* key -> owners text, NUL-terminated */
	struct domset	*local_domains;	/* where "user" keys apply */
	bool		self;		/* a login owns its own address */
	char		*domain;	/* qualifies a bare login or sender;
					 * "" or NULL: none */
	char		*delimiters;	/* recipient_delimiter; "" or NULL */
};

enum sender_result {
	SENDER_UNCHECKED,	/* check off, null sender, or the mode does
				 * not look at this session */
	SENDER_OWNED,		/* the login is among the key's owners */
	SENDER_SELF,		/* the login's own address */
	SENDER_UNOWNED,		/* no key: nobody owns it, and the mode lets
				 * that through */
	SENDER_NOT_OWNED,	/* 553: logged in, not an owner */
	SENDER_NOT_LOGGED_IN,	/* 553: the address has owners, no login */
	SENDER_BAD,		/* the address does not parse */
};

/* A key: a path's local part and domain and the '@'. */
#define SENDER_KEY_MAX	(ADDR_PATH_MAX + 2)

struct sender_found {
	enum sender_result result;
	char		key[SENDER_KEY_MAX];	/* the key that decided; "" */
	const char	*owners;	/* its owners (the map's); NULL */
};

/* Called with each key looked up, and its owners (NULL: not in the
 * map), for "relaywarden -q". */
typedef void sender_step_fn(void *arg, const char *key, const char *owners);

/*
 * Judges sender (as MAIL FROM gave it, "<...>" or not) for login (NULL
 * or "": not logged in). step may be NULL.
 */
void	sender_judge(const struct sender_rules *r, const char *sender,
	    const char *login, struct sender_found *f, sender_step_fn *step,
	    void *arg);

/* True when login is one of owners ("a, b c": commas and white space
 * between them), ASCII case-insensitively. */
bool	sender_owner_in(const char *owners, const char *login);

/*
 * Adds a map entry: key (klen bytes, under SENDER_KEY_MAX, folded to
 * lower case here) and its owners. Returns strmap's answer: a key
 * already there keeps its first owners, as in Postfix, where the first
 * map that has a key decides.
 */
enum strmap_added sender_map_add(struct sender_rules *r, const char *key,
	    size_t klen, const char *owners);

size_t	sender_map_count(const struct sender_rules *r);

/* Frees what r holds (not r). */
void	sender_rules_free(struct sender_rules *r);

#endif
