/*
 * ratelimit - rate limits per login and per client: which keys a
 * recipient counts against, and what happens when one is full.
 *
 * Keys: the SASL login ("login:alice@example.org", case folded and the
 * extension cut, so one user is one key), the client address
 * ("client:203.0.113.7"), its network ("network:203.0.113.0/24",
 * "network:2001:db8::/64") and, for a client in my_networks without a
 * login, "mynetworks:10.1.2.3", and the listener the client came in on,
 * by its port ("listener:587") or, with none, its daemon name
 * ("listener:submission"). Each kind has windows of recipients and
 * of messages (login_limits, login_message_limits, ...); limit_overrides
 * replaces a login's or a login domain's recipient windows ("off": none),
 * or, for a client in a network it names (the longest prefix), the
 * client, network and my_networks kinds' recipient windows.
 *
 * A transaction reserves at each accepted RCPT (one recipient unit on
 * each recipient cell, and at its first one a message unit on each
 * message cell), keeps them when the MTA takes the message (end of
 * message) and gives them back at an abort or a close before it, so that
 * refused mail never counts. A full cell turns the recipient into a
 * tempfail (451 4.7.1) or, with ratelimit_action = hold, the message
 * into a held one (smfi_quarantine, Postfix's hold queue), and holds the
 * key for one period: its later messages are held too. mode = monitor
 * logs would_tempfail / would_hold and lets everything through. Each
 * full cell is reported once per trip: one event=limit_exceeded line
 * (and alert_command, if set) until it lets a unit through again.
 *
 * Ownership: struct rate_rules is part of struct config (built by the
 * loader, then only read). struct rate_txn is the caller's, one per
 * connection; struct rate_stores belongs to the daemon and outlives
 * configurations (counts survive reloads). Threads: any number of
 * connections at once; a rate_txn is used by one callback at a time.
 */
#ifndef RW_RATELIMIT_H
#define RW_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>

#include "limit.h"
#include "netaddr.h"
#include "policy.h"
#include "ratestore.h"
#include "strmap.h"

enum rate_kind {
	RATE_LOGIN,
	RATE_CLIENT,
	RATE_NETWORK,
	RATE_MYNETWORKS,
	RATE_LISTENER,
	RATE_KINDS
};

enum rate_action { RATE_TEMPFAIL, RATE_HOLD };
enum rate_down { DOWN_LOCAL, DOWN_TEMPFAIL, DOWN_ACCEPT };

extern const char *const rate_action_words[];
extern const char *const rate_down_words[];

/* A network's override: the client kinds' recipient windows there. */
struct rate_net_override {
	struct netaddr	net;		/* host bits zero */
	unsigned	plen;
	struct limits	l;
};

struct rate_rules {
	struct limits	rcpt[RATE_KINDS];	/* *_limits */
	struct limits	msg[RATE_KINDS];	/* *_message_limits */
	struct strmap	overrides;	/* "alice@x", "@x" -> struct limits */
	struct rate_net_override *nets;	/* the longest prefix wins */
	size_t		nnets;
	enum rate_action action;
	enum rate_down	down;
	bool		exempt_postmaster;	/* limit_exempt */
	bool		exempt_null_sender;
	char		*store;		/* "embedded" or "redis:..." */
	unsigned	timeout_ms;	/* ratelimit_store_timeout */
	char		*alert_command;	/* "" none */
};

/* True when any limit is set. */
bool	ratelimit_on(const struct rate_rules *r);

/* Adds an override ("alice@example.org" or "@example.org", and its
 * windows, n 0 for "off"); strmap's answer. */
enum strmap_added ratelimit_override_add(struct rate_rules *r,
	    const char *key, const struct limits *l);

/* Adds a network's override ("192.0.2.0/24", "[2001:db8::]/48", an
 * address): NULL, or what is wrong with it ("out of memory" too). A
 * network given twice keeps its first windows. */
const char *ratelimit_net_override_add(struct rate_rules *r,
	    const char *net, const struct limits *l);

void	ratelimit_rules_free(struct rate_rules *r);

/* The daemon's stores: the one configured, and the embedded one that
 * ratelimit_store_down = local falls back on (the same when embedded). */
struct rate_stores {
	struct rate_store *main;
	struct rate_store *local;
};

/* Opens the stores ratelimit_store names (at start: counts survive
 * reloads): the embedded one, and Redis's for "redis:SPEC" (which is not
 * reached yet: a Redis down at start answers "down"); false with a
 * message in err. */
bool	ratelimit_stores_open(const struct rate_rules *r, unsigned max_keys,
	    struct rate_stores *st, char *err, size_t errlen);

#define RATE_CELLS_MAX	(RATE_KINDS * LIMIT_WINDOWS_MAX)
_Static_assert(2 * RATE_CELLS_MAX <= RATE_CALL_MAX,
    "a recipient's and its message's cells in one store call");

/* One transaction's reservations. */
struct rate_txn {
	bool		built;		/* cells made for this transaction */
	struct rate_cell rc[RATE_CELLS_MAX], mc[RATE_CELLS_MAX];
	size_t		nrc, nmc;
	unsigned	taken;		/* recipients reserved */
	bool		msg_taken;
	struct rate_store *store;	/* where they were taken */
	bool		hold;		/* hold the message at its end */
	char		hold_why[RATE_KEY_MAX + 64];
};

/* What a session is, for its keys and the lines that name them. */
struct rate_session {
	const char	*login;		/* "" or NULL: none */
	const char	*sender;	/* MAIL FROM's address */
	const struct netaddr *client;	/* NULL: unknown */
	bool		in_my_networks;
	const char	*listener;	/* for the event line */
	const char	*listener_key;	/* {daemon_port}, or {daemon_name}
					 * ("" or NULL: none): listener_limits */
	const char	*client_text;	/* client as netaddr_format() writes
					 * it (the keys use it); NULL: none */
	const char	*delimiters;	/* recipient_delimiter, for logins */
	enum policy_mode mode;
	const char	*policy;	/* the digest's start, for the line */
};

/* A connection's rate_txn, empty: its cells are written before they are
 * read, so that 10 kB of them need not be zeroed (calloc() of it cost
 * 21,000 instructions a session, callgrind, session 11). */
void	ratelimit_txn_init(struct rate_txn *t);

/* A new transaction (MAIL FROM): what an earlier one left is given back
 * first (it never reached the end of a message). */
void	ratelimit_begin(const struct rate_stores *st, struct rate_txn *t);

/*
 * A recipient that the policy accepted (v: its verdict): counts it, or
 * turns v into a tempfail, a hold or (monitor mode) a would_* verdict.
 */
void	ratelimit_rcpt(const struct rate_rules *r, const struct rate_stores *st,
	    struct rate_txn *t, const struct rate_session *s, const char *rcpt,
	    struct verdict *v);

/* The MTA took the message: the reservations stay. True when it is to
 * be held (t->hold_why says why). */
bool	ratelimit_commit(struct rate_txn *t);

/* The transaction ended without a message: give everything back. */
void	ratelimit_abort(const struct rate_stores *st, struct rate_txn *t);

/*
 * The cells of a key as "relaywarden limits" names it ("login:alice@x",
 * "client:192.0.2.1", ...; a login folded as the daemon counts it, with
 * recipient_delimiter's delimiters): every window of its kind (and the
 * login's override), recipients then messages; 0 when the key is not
 * one or its kind has no limit.
 */
size_t	ratelimit_key_cells(const struct rate_rules *r, const char *key,
	    const char *delimiters, struct rate_cell *out, size_t max);

/*
 * Writes, for -q, the limits a recipient of this session counts
 * against: "limit KEY WINDOW recipients|messages" lines, or "limits:
 * none".
 */
void	ratelimit_explain(const struct rate_rules *r,
	    const struct rate_session *s, FILE *out);

#endif
