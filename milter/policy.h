/*
 * policy - the relay decision, and nothing else.
 *
 * policy_eval() is a pure function from a request (what the MTA told us
 * about one session and one recipient) to a verdict (what to answer and
 * why). No I/O, no locks, no clock, no libmilter.
 *
 * Ownership: a struct policy is built by conf_load() (inside a struct
 * config) and freed with policy_free(); it owns every list in it. Once built it is never
 * modified, so any number of threads may evaluate against it at once.
 * Requests and verdicts are caller-owned.
 */
#ifndef RW_POLICY_H
#define RW_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domset.h"
#include "netaddr.h"
#include "netset.h"
#include "sender.h"

enum listener {
	LISTENER_SMTP,		/* port 25: relay only for auth / my_networks */
	LISTENER_SUBMISSION,	/* 465, 587: auth (and TLS) required */
};

enum unknown_listener {
	UNKNOWN_AS_SMTP,
	UNKNOWN_AS_SUBMISSION,
	UNKNOWN_TEMPFAIL,
};

enum policy_mode {
	MODE_ENFORCE,
	MODE_MONITOR,		/* decide and log, but let everything through */
};

enum decision {
	DECISION_ACCEPT,
	DECISION_REJECT,	/* 5xx */
	DECISION_TEMPFAIL,	/* 4xx */
	DECISION_WOULD_REJECT,	/* monitor mode: the MTA is told to go on */
	DECISION_HOLD,		/* accepted, the message held (rate limit) */
	DECISION_WOULD_TEMPFAIL,/* monitor mode: a rate limit tempfail */
	DECISION_WOULD_HOLD,	/* monitor mode: a rate limit hold */
};

/* Stable reason keys; policy_reason_name() gives the log word. */
enum reason {
	REASON_AUTHENTICATED,	/* accept: SASL login present */
	REASON_MY_NETWORKS,	/* accept: client in my_networks */
	REASON_LOCAL_DOMAIN,	/* accept: recipient domain is local */
	REASON_POSTMASTER,	/* accept: unqualified <Postmaster>, RFC 5321 4.5.1 */
	REASON_SENDER_OK,	/* accept at MAIL FROM: nothing to refuse yet */
	REASON_SENDER_OWNED,	/* accept at MAIL FROM: the login owns it */
	REASON_SENDER_UNOWNED,	/* accept at MAIL FROM: nobody owns it */
	REASON_SENDER_NOT_OWNED,/* reject: logged in, not an owner */
	REASON_NOT_LOGGED_IN,	/* reject: the sender has owners, no login */
	REASON_BAD_SENDER,	/* reject: sender unparseable (ownership check) */
	REASON_RELAY_DENIED,	/* reject: remote recipient, client may not relay */
	REASON_ROUTING_TRICK,	/* reject: % ! or @ in local part, client may not relay */
	REASON_UNQUALIFIED,	/* reject: recipient without domain, client may not relay */
	REASON_BAD_ADDRESS,	/* reject: recipient unparseable or too long */
	REASON_AUTH_REQUIRED,	/* reject: submission listener, no SASL login */
	REASON_TLS_REQUIRED,	/* reject: submission listener, no TLS */
	REASON_UNKNOWN_LISTENER,/* tempfail: unknown_listener = tempfail */
	REASON_INTERNAL_ERROR,	/* tempfail: the milter could not decide */
	REASON_RATE_LIMIT,	/* tempfail or hold: a rate limit is full */
	REASON_LIMIT_STORE_DOWN,/* tempfail: the rate limit store is down */
};

/* One listener entry: a port number, or a {daemon_name} value. */
struct listener_entry {
	enum listener	kind;
	unsigned	port;		/* 1..65535, or 0 for a name entry */
	char		*name;		/* NULL for a port entry */
};

struct policy {
	struct domset	*local_domains;
	struct netset	*my_networks;
	struct listener_entry *listeners;
	size_t		nlisteners;
	bool		submission_require_tls;
	enum unknown_listener unknown_listener;
	enum policy_mode mode;
	struct sender_rules sender;	/* sender_login_* */
};

/*
 * What the MTA told us. Strings may be NULL (unknown); auth and tls are
 * "none" when NULL or "". rcpt NULL asks for the MAIL FROM stage verdict.
 */
struct policy_request {
	const char	*daemon_port;
	const char	*daemon_name;
	const struct netaddr *client;	/* NULL when the MTA gave none */
	const char	*auth;
	const char	*tls;
	const char	*from;		/* MAIL FROM's address; NULL: "<>" */
	const char	*rcpt;
};

/* Longest reply text, NUL included; SMTP replies stay under 512 octets. */
#define VERDICT_TEXT_MAX 400

struct verdict {
	enum decision	decision;
	enum reason	reason;
	enum listener	listener;	/* the rule that was applied */
	bool		listener_known;	/* false: unknown_listener was applied */
	const char	*code;		/* "554", ...; NULL when accepted */
	const char	*xcode;		/* "5.7.1", ...; NULL when accepted */
	char		text[VERDICT_TEXT_MAX];	/* raw text, '%' not escaped */
	/* The sender ownership check, when it looked at this request:
	 * the key that decided ("" none) and its owners (NULL none). */
	bool		sender_checked;
	struct sender_found sender;
};

struct policy *policy_new(void);	/* empty lists, safe defaults */
void	policy_free(struct policy *p);

/*
 * Which listener the session reached. Returns true and sets *out when the
 * port (tried first) or the daemon name is listed.
 */
bool	policy_listener(const struct policy *p, const char *daemon_port,
	    const char *daemon_name, enum listener *out);

/*
 * Judges one request. With rcpt == NULL, the MAIL FROM stage (submission
 * listener checks); otherwise one recipient, MAIL FROM checks included,
 * so a recipient is never accepted on a listener that would have refused
 * the sender. In monitor mode a refusal comes back as
 * DECISION_WOULD_REJECT with its code and text kept.
 */
void	policy_eval(const struct policy *p, const struct policy_request *req,
	    struct verdict *v);

/*
 * The words of the settings mode and unknown_listener, indexed by their
 * enum value and NULL-terminated: the configuration parser, -n and the
 * log all use these.
 */
extern const char *const policy_mode_words[];
extern const char *const policy_unknown_words[];

/* A port number as the MTA or the file writes it: decimal, 1..65535,
 * nothing else. 0 when it is not one. */
unsigned policy_port(const char *s);

const char *policy_reason_name(enum reason r);
const char *policy_decision_name(enum decision d);
const char *policy_listener_name(enum listener l);

#endif
