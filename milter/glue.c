/*
 * glue - libmilter callbacks. See glue.h.
 *
 * Round trips. Each event the MTA waits on costs a round trip per SMTP
 * command, so we ask for no event the policy does not decide on
 * (negotiate callback): no CONNECT and no HELO (SMFIP_NOCONNECT,
 * SMFIP_NOHELO; the client address and TLS state come from macros
 * instead), and no DATA, headers, end of headers, body or unknown
 * commands. What is left per SMTP session: the option negotiation, one
 * answer per MAIL FROM (a submission listener refuses there), one per
 * RCPT TO (the decision), and one per message at its end (end of
 * message; rw_eom() says why the message is not accepted earlier). No
 * SMFIP_NR_* flag: MAIL and RCPT answers are decisions.
 *
 * Macros (smfi_setsymlist; Postfix 2.5+ and Sendmail 8.14+ honour it,
 * and a requested list replaces the MTA's own list for that stage). Both
 * MTAs send a stage's macros even when the stage's event is skipped, and
 * libmilter keeps earlier stages' macros readable, so at MAIL FROM we
 * read everything:
 *   connect  {daemon_port} {daemon_name}   which listener
 *            {client_addr}                 the client ("IPv6:..." form)
 *   helo     {tls_version}                 TLS after the first EHLO
 *   mail     {auth_authen} {tls_version}   login; TLS again, because a
 *                                          client may STARTTLS and send
 *                                          no second EHLO
 *            j                             always set, so that the
 *                                          packet is never empty: an
 *                                          empty one leaves libmilter
 *                                          with the last transaction's
 *                                          login
 *   rcpt     i                             queue id, for the log
 * and at the end of message we read i, the queue id, for the message's
 * line: Postfix sends it there by default (milter_end_of_data_macros), and
 * libmilter still has the last RCPT's (Sendmail's queue id is known from
 * MAIL FROM on). Not asked for with a list of our own: smfi_setsymlist
 * copies each list for every connection, about 500 instructions a
 * session (callgrind), a third of the message line's cost.
 * An MTA that cannot take a list (no SMFIF_SETSYMLIST offered) gets the
 * CONNECT event asked for, so the client address still comes from the
 * connection; its macro configuration must add the rest
 * (conf/postfix-main.cf.snippet, conf/sendmail.mc). A missing client
 * address fails closed:
 * my_networks cannot match, and a warning names the setting.
 *
 * Per-connection state is created at the first MAIL FROM (or at CONNECT
 * when that event is asked for): a connection that never sends MAIL
 * costs nothing here.
 */
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include <libmilter/mfapi.h>

#include "escape.h"
#include "glue.h"
#include "log.h"
#include "policy.h"
#include "snap.h"
#include "stats.h"

/*
 * Longest macro value kept, NUL included. A longer one is cut, and a cut
 * must never pass for a whole value: it is longer than any value the log
 * can show whole, so escape_value() marks it "\...", and a cut listener
 * macro matches no listener (see macro()). {auth_authen} and
 * {tls_version} are tested for presence only, which a cut keeps.
 */
#define MACRO_MAX	(LOG_VALUE_MAX + 1)
_Static_assert(MACRO_MAX - 1 >= LOG_VALUE_MAX,
    "a cut macro must be too long for escape_value() to show whole");

struct conn {
	struct snap	*snap;
	/* The connection: set once, at CONNECT or at the first MAIL FROM. */
	bool		facts_read;
	bool		client_known;
	struct netaddr	client;
	bool		port_cut;	/* port/name longer than MACRO_MAX - 1: */
	bool		name_cut;	/* shown in the log, matched by nothing */
	/* The transaction, set at MAIL FROM. */
	bool		in_mail;
	struct rate_txn	*rate;		/* NULL until a rate limit counts */
	bool		txn_made;	/* txn holds this transaction's part */
	size_t		txn_len;
	enum listener	listener;	/* MAIL FROM's verdict's rule */
	unsigned long	accepted;	/* recipients told to go on */
	unsigned long	refused;	/* recipients refused, 4xx or 5xx */
	/* The text buffers, last: conn_get() zeroes everything above
	 * client_text and makes each of these "". */
	char		client_text[NETADDR_TEXT_MAX];	/* "" until logged */
	char		port[MACRO_MAX];
	char		name[MACRO_MAX];
	char		auth[MACRO_MAX];
	char		tls[MACRO_MAX];
	char		from[MACRO_MAX];
	/* The decision line's part that is the same for every recipient
	 * of the transaction, escaped once (log_format_txn()): it keeps
	 * instructions per session under 1.5x the do-nothing filter
	 * (1.42x with it, 1.57x without: issue 17, item 6). */
	char		txn[LOG_TXN_MAX];
};

/*
 * Stop accounting. Debian's libmilter is built with its worker pool
 * (_FFR_WORKERS_POOL), whose controller quits with the listener at a
 * stop: a session waiting for its next command is never served again,
 * and smfi_main() returns without waiting for anything. What can still
 * end well is a callback already running; glue_drain() waits for those.
 * The sessions left open are the states held (stats_states()).
 */
/* The rate limit stores: the daemon's, not a configuration's, so that
 * counts survive reloads. */
static struct rate_stores stores;
static atomic_uint running;	/* callbacks that answer, in progress */

/* Copies src into dst (MACRO_MAX bytes); true when it did not fit. */
static bool
copy_cut(char *dst, const char *src)
{
	size_t n = strnlen(src, MACRO_MAX);

	if (n >= MACRO_MAX) {
		memcpy(dst, src, MACRO_MAX - 1);
		dst[MACRO_MAX - 1] = '\0';
		return true;
	}
	memcpy(dst, src, n + 1);
	return false;
}

/* Copies a macro (or "" when absent), cut to MACRO_MAX - 1 bytes;
 * returns true when it was cut. */
static bool
macro(SMFICTX *ctx, const char *name, char *dst)
{
	const char *v = smfi_getsymval(ctx, (char *)name);

	return copy_cut(dst, v != NULL ? v : "");
}

static sfsistat
rw_negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1,
    unsigned long f2, unsigned long f3, unsigned long *pf0,
    unsigned long *pf1, unsigned long *pf2, unsigned long *pf3)
{
	/* Steps we decide nothing on: ask the MTA not to send them. */
	unsigned long skip = SMFIP_NOHELO | SMFIP_NODATA | SMFIP_NOHDRS |
	    SMFIP_NOEOH | SMFIP_NOBODY | SMFIP_NOUNKNOWN;

	(void)f2;
	(void)f3;
	stats_session();
	/* SMFIF_QUARANTINE: ratelimit_action = hold (Postfix's hold queue);
	 * an action flag, no event and no round trip. */
	*pf0 = f0 & (SMFIF_SETSYMLIST | SMFIF_QUARANTINE);
	*pf2 = 0;
	*pf3 = 0;
	if (*pf0 & SMFIF_SETSYMLIST) {
		/* The client address comes as {client_addr}: no CONNECT. A
		 * failed list leaves the MTA's own in force; the warnings
		 * then say which setting to add. */
		skip |= SMFIP_NOCONNECT;
		(void)smfi_setsymlist(ctx, SMFIM_CONNECT,
		    "{daemon_port} {daemon_name} {client_addr}");
		(void)smfi_setsymlist(ctx, SMFIM_HELO, "{tls_version}");
		/* j always has a value: an MTA sends MAIL's packet even
		 * with no login and no TLS, and libmilter keeps the last
		 * transaction's values when a packet is empty. */
		(void)smfi_setsymlist(ctx, SMFIM_ENVFROM,
		    "j {auth_authen} {tls_version}");
		(void)smfi_setsymlist(ctx, SMFIM_ENVRCPT, "i");
	}
	*pf1 = f1 & skip;
	return SMFIS_CONTINUE;
}

/* The connection's state, created on first use; NULL when out of memory
 * (the caller answers 4xx: fail closed). */
static struct conn *
conn_get(SMFICTX *ctx)
{
	struct conn *c = smfi_getpriv(ctx);

	if (c != NULL)
		return c;
	/* malloc, not calloc: zeroing 5 kB of text buffers costs more than
	 * a decision (instructions per session 1.505x the do-nothing filter
	 * with calloc, over the 1.5x target; callgrind, session 9). */
	if ((c = malloc(sizeof(*c))) == NULL) {
		log_msg(LOG_ERR, "out of memory for a connection");
		return NULL;
	}
	memset(c, 0, offsetof(struct conn, client_text));
	c->client_text[0] = c->port[0] = c->name[0] = '\0';
	c->auth[0] = c->tls[0] = c->from[0] = c->txn[0] = '\0';
	c->snap = snap_acquire();
	if (smfi_setpriv(ctx, c) != MI_SUCCESS) {
		snap_release(c->snap);
		free(c);
		return NULL;
	}
	stats_state_new();	/* the sessions open (glue_drain()) */
	return c;
}

/* Only asked for when the MTA cannot take our macro lists: the client
 * address then comes from the connection itself. */
static sfsistat
on_connect(SMFICTX *ctx, char *hostname, _SOCK_ADDR *hostaddr)
{
	struct conn *c = conn_get(ctx);

	(void)hostname;
	if (c != NULL && hostaddr != NULL &&
	    netaddr_from_sockaddr((const struct sockaddr *)hostaddr,
	    &c->client))
		c->client_known = true;
	return SMFIS_CONTINUE;	/* no state: MAIL FROM answers 4xx */
}

/* Warns about a missing or unusable {client_addr} at most once every ten
 * minutes. */
static void
warn_client(const char *value)
{
	static _Atomic long last;
	long now = (long)time(NULL), prev = atomic_load(&last);
	char shown[LOG_VALUE_MAX];

	if (now - prev < 600 || !atomic_compare_exchange_strong(&last, &prev, now))
		return;
	if (value == NULL)
		log_msg(LOG_WARNING, "warning: the MTA sent no {client_addr}: no "
		    "client can relay by my_networks. An MTA that ignores "
		    "smfi_setsymlist needs, in main.cf: milter_connect_macros "
		    "= j {daemon_name} {daemon_addr} {daemon_port} "
		    "{client_addr} v _ (Sendmail: confMILTER_MACROS_CONNECT); "
		    "see conf/postfix-main.cf.snippet");
	else
		log_msg(LOG_WARNING, "warning: {client_addr} is not an address "
		    "(%s): this client cannot relay by my_networks",
		    escape_value(shown, sizeof(shown), value));
}

/* The connection's facts, from the connect macros (read at the first
 * MAIL FROM: they do not change within a milter connection; Postfix
 * opens a new one after XCLIENT). */
static void
read_connection(SMFICTX *ctx, struct conn *c)
{
	const char *addr;

	c->port_cut = macro(ctx, "{daemon_port}", c->port);
	c->name_cut = macro(ctx, "{daemon_name}", c->name);
	if (!c->client_known) {
		addr = smfi_getsymval(ctx, "{client_addr}");
		if (addr != NULL && netaddr_parse(addr, &c->client))
			c->client_known = true;
		else if (addr == NULL || strcmp(addr, "unknown") != 0)
			warn_client(addr);	/* Postfix's "no address" is not */
	}
	c->facts_read = true;
}

/* Warns about an unknown listener at most once every ten minutes. */
static void
warn_listener(const struct conn *c, const struct policy *p)
{
	static _Atomic long last;
	long now = (long)time(NULL), prev = atomic_load(&last);
	char port[LOG_VALUE_MAX], name[LOG_VALUE_MAX];
	const char *rule = policy_unknown_words[p->unknown_listener];

	if (now - prev < 600 || !atomic_compare_exchange_strong(&last, &prev, now))
		return;
	escape_value(port, sizeof(port), c->port);
	escape_value(name, sizeof(name), c->name);
	if (c->port[0] == '\0')
		log_msg(LOG_WARNING, "warning: the MTA sent no {daemon_port} "
		    "(daemon_name=%s): applying unknown_listener = %s. Postfix "
		    "before 3.2 or an MTA that ignores smfi_setsymlist needs, in "
		    "main.cf: milter_connect_macros = j {daemon_name} "
		    "{daemon_addr} {daemon_port} {client_addr} v _ (Sendmail: "
		    "confMILTER_MACROS_CONNECT); see conf/postfix-main.cf.snippet",
		    name, rule);
	else
		log_msg(LOG_WARNING, "warning: listener port %s (daemon_name=%s)"
		    " is in neither smtp_ports nor submission_ports: applying "
		    "unknown_listener = %s; add it to one of them in the "
		    "relaywarden configuration", port, name, rule);
}

/* The client address as logged, formatted once per connection and only
 * when a line is logged (inet_ntop() is dear next to a decision). */
static const char *
client_text(struct conn *c)
{
	if (!c->client_known)
		return NULL;
	if (c->client_text[0] == '\0')
		netaddr_format(&c->client, c->client_text,
		    sizeof(c->client_text));
	return c->client_text;
}

/* Counts a verdict: for monitoring (stats.h), and for the message's
 * line (its transaction's listener, its recipients let through and
 * refused; a would_reject one goes through). */
static void
count(struct conn *c, const struct verdict *v, const char *rcpt)
{
	stats_decision(v->listener, v->decision, v->reason);
	if (rcpt == NULL)
		c->listener = v->listener;
	else if (v->decision == DECISION_REJECT ||
	    v->decision == DECISION_TEMPFAIL)
		c->refused++;
	else
		c->accepted++;
}

/* Logs one decision and turns it into the milter's answer. */
static sfsistat
answer(SMFICTX *ctx, struct conn *c, const struct config *cf,
    const struct verdict *v, const char *rcpt)
{
	struct log_decision d;
	char text[2 * VERDICT_TEXT_MAX];
	const char *s;
	size_t o = 0;
	bool refusal = v->decision != DECISION_ACCEPT;

	count(c, v, rcpt);
	if (!v->listener_known)
		warn_listener(c, cf->policy);
	/* At MAIL FROM only refusals, unless the sender check decided. */
	if (refusal || (cf->log_accepts && (rcpt != NULL ||
	    v->sender_checked))) {
		memset(&d, 0, sizeof(d));
		d.queue_id = smfi_getsymval(ctx, "i");
		d.listener = policy_listener_name(v->listener);
		d.port = c->port;
		d.client = client_text(c);
		d.auth = c->auth;
		d.tls = c->tls;
		d.from = c->from;
		d.rcpt = rcpt;
		d.decision = policy_decision_name(v->decision);
		d.reason = policy_reason_name(v->reason);
		d.code = v->code;
		d.dsn = v->xcode;
		d.policy = cf->digest_short;
		if (rcpt == NULL && v->sender_checked) {
			d.sender_key = v->sender.result == SENDER_SELF ?
			    "(self)" : v->sender.key;
			d.owners = v->sender.result == SENDER_SELF ?
			    c->auth : v->sender.owners;
		}
		if (!c->txn_made) {
			c->txn_len = log_format_txn(c->txn, sizeof(c->txn), &d);
			c->txn_made = true;
		}
		d.txn = c->txn;
		d.txn_len = c->txn_len;
		log_decision(&d, refusal);
	}
	if (v->decision != DECISION_REJECT && v->decision != DECISION_TEMPFAIL)
		return SMFIS_CONTINUE;	/* never SMFIS_ACCEPT: later rcpts count */
	/* The reply text is a format string on the MTA side (libmilter
	 * docs): double every '%' that an echoed address may carry. */
	for (s = v->text; *s != '\0' && o + 2 < sizeof(text); s++) {
		if (*s == '%')
			text[o++] = '%';
		text[o++] = *s;
	}
	text[o] = '\0';
	(void)smfi_setreply(ctx, (char *)v->code, (char *)v->xcode, text);
	return v->decision == DECISION_REJECT ? SMFIS_REJECT : SMFIS_TEMPFAIL;
}

/* Nothing to decide on (why): the only safe answer is "try again later". */
static sfsistat
internal_error(SMFICTX *ctx, const char *where, const char *why)
{
	stats_internal_error();
	log_msg(LOG_ERR, "%s: %s: answering 451", where, why);
	(void)smfi_setreply(ctx, "451", "4.3.0",
	    "Temporary failure in relay policy, try again later");
	return SMFIS_TEMPFAIL;
}

static void
request(const struct conn *c, struct policy_request *req, const char *rcpt)
{
	memset(req, 0, sizeof(*req));
	/* A cut listener macro is not the value the MTA sent: no match. */
	req->daemon_port = c->port_cut ? NULL : c->port;
	req->daemon_name = c->name_cut ? NULL : c->name;
	req->client = c->client_known ? &c->client : NULL;
	req->auth = c->auth;
	req->tls = c->tls;
	req->from = c->from;
	req->rcpt = rcpt;
}

static sfsistat
on_envfrom(SMFICTX *ctx, char **argv)
{
	struct conn *c = conn_get(ctx);
	struct policy_request req;
	struct verdict v;

	if (c == NULL || c->snap == NULL)
		return internal_error(ctx, "MAIL FROM", c == NULL ?
		    "no connection state (out of memory)" : "no policy loaded");
	if (!c->facts_read)
		read_connection(ctx, c);
	/* Read at every MAIL FROM: they belong to the transaction. */
	(void)macro(ctx, "{auth_authen}", c->auth);
	(void)macro(ctx, "{tls_version}", c->tls);
	(void)copy_cut(c->from, argv[0] != NULL ? argv[0] : "");
	c->in_mail = true;
	c->txn_made = false;
	c->accepted = c->refused = 0;
	if (c->rate != NULL)
		ratelimit_begin(&stores, c->rate);
	request(c, &req, NULL);
	policy_eval(snap_policy(c->snap), &req, &v);
	return answer(ctx, c, snap_config(c->snap), &v, NULL);
}

/* A recipient the policy accepted, against the rate limits. */
static void
count_rcpt(struct conn *c, const struct config *cf,
    const struct policy_request *req, struct verdict *v)
{
	const struct policy *p = cf->policy;
	struct rate_session s;

	if (c->rate == NULL && (c->rate = malloc(sizeof(*c->rate))) != NULL)
		ratelimit_txn_init(c->rate);
	if (c->rate == NULL) {
		log_msg(LOG_ERR, "out of memory for a rate limit: answering 451");
		v->decision = DECISION_TEMPFAIL;
		v->reason = REASON_INTERNAL_ERROR;
		v->code = "451";
		v->xcode = "4.3.0";
		snprintf(v->text, sizeof(v->text), "Temporary failure in rate "
		    "limiting, try again later");
		return;
	}
	memset(&s, 0, sizeof(s));
	s.login = c->auth;
	s.sender = c->from;
	s.client = req->client;
	s.in_my_networks = req->client != NULL &&
	    netset_contains(p->my_networks, req->client);
	s.listener = policy_listener_name(v->listener);
	/* A cut macro is not what the MTA sent: no key from it. */
	s.listener_key = c->port[0] != '\0' ? (c->port_cut ? "" : c->port) :
	    c->name_cut ? "" : c->name;
	s.client_text = client_text(c);
	s.delimiters = p->sender.delimiters;
	s.mode = p->mode;
	s.policy = cf->digest_short;
	ratelimit_rcpt(&cf->rate, &stores, c->rate, &s, req->rcpt, v);
}

static sfsistat
on_envrcpt(SMFICTX *ctx, char **argv)
{
	struct conn *c = smfi_getpriv(ctx);
	struct policy_request req;
	struct verdict v;

	if (c == NULL || !c->in_mail)
		return internal_error(ctx, "RCPT TO", "no transaction (no MAIL "
		    "FROM before it, or the MTA aborted it)");
	if (c->snap == NULL)
		return internal_error(ctx, "RCPT TO", "no policy loaded");
	request(c, &req, argv[0] != NULL ? argv[0] : "");
	policy_eval(snap_policy(c->snap), &req, &v);
	if (v.decision == DECISION_ACCEPT &&
	    ratelimit_on(&snap_config(c->snap)->rate))
		count_rcpt(c, snap_config(c->snap), &req, &v);
	return answer(ctx, c, snap_config(c->snap), &v, req.rcpt);
}

/* The callbacks that answer are counted in "running": each enter()s
 * before its work and passes its answer through leave(). */
static void
enter(void)
{
	atomic_fetch_add(&running, 1);
}

static sfsistat
leave(sfsistat r)
{
	atomic_fetch_sub(&running, 1);
	return r;
}

static sfsistat
rw_connect(SMFICTX *ctx, char *hostname, _SOCK_ADDR *hostaddr)
{
	enter();
	return leave(on_connect(ctx, hostname, hostaddr));
}

static sfsistat
rw_envfrom(SMFICTX *ctx, char **argv)
{
	enter();
	return leave(on_envfrom(ctx, argv));
}

static sfsistat
rw_envrcpt(SMFICTX *ctx, char **argv)
{
	enter();
	return leave(on_envrcpt(ctx, argv));
}

/*
 * The transaction ends at end of message or abort, never earlier: until
 * the MTA has the message, the client may add recipients, and each must
 * be judged.
 *   - No answer at DATA. Postfix keeps the transaction open when DATA is
 *     refused after a milter answered it (a later milter's 4xx/5xx or
 *     timeout, an smtpd_proxy_filter: smtpd.c's data_cmd() does not
 *     reset it), and the client may send more RCPT TO. A milter that
 *     accepted the message at DATA (SMFIS_ACCEPT) is sent none of them
 *     (milter8.c, MILTER8_STAT_ACCEPT_MSG); one that answered "continue"
 *     is sent them, but libmilter, then in its DATA state, cannot go
 *     back to RCPT (engine.c, NX_DATA): it calls the abort callback and
 *     ignores the command without a reply, and the MTA times out. So
 *     DATA is not asked for at all (SMFIP_NODATA): libmilter stays in
 *     its RCPT state and judges every recipient that follows.
 *   - The answer at end of message ("continue": every recipient was
 *     judged) lets libmilter leave the transaction; the next MAIL FROM
 *     starts a new one. Its cost is the round trip DATA used to take.
 *     Postfix hands this filter to its cleanup server for the message,
 *     and over TCP the skipped DATA's unanswered macro packet makes
 *     that end of message wait for a delayed TCP acknowledgement
 *     (docs/round-trips.md): the shipped socket is a unix one.
 */
static void
end_transaction(SMFICTX *ctx)
{
	struct conn *c = smfi_getpriv(ctx);

	if (c != NULL)
		c->in_mail = false;
}

/*
 * The message's line: its queue id ({i} is known at its end), the
 * transaction's part of its decision lines (made here if none was
 * logged) and what was decided for its recipients. Logged with the
 * accepts (log_accepts).
 */
static void
log_end_of_message(SMFICTX *ctx, struct conn *c)
{
	const struct config *cf;
	struct log_decision d;
	struct log_message m;

	if (c == NULL || !c->in_mail || c->snap == NULL ||
	    !(cf = snap_config(c->snap))->log_accepts)
		return;
	if (!c->txn_made) {
		memset(&d, 0, sizeof(d));	/* answer()'s fields */
		d.listener = policy_listener_name(c->listener);
		d.port = c->port;
		d.client = client_text(c);
		d.auth = c->auth;
		d.tls = c->tls;
		d.from = c->from;
		c->txn_len = log_format_txn(c->txn, sizeof(c->txn), &d);
		c->txn_made = true;
	}
	m.queue_id = smfi_getsymval(ctx, "i");
	m.txn = c->txn;
	m.txn_len = c->txn_len;
	m.accepted = c->accepted;
	m.refused = c->refused;
	m.policy = cf->digest_short;
	log_message(&m);
}

static sfsistat
rw_eom(SMFICTX *ctx)
{
	struct conn *c;
	char id[LOG_VALUE_MAX];

	enter();
	stats_message();
	c = smfi_getpriv(ctx);
	/* The MTA takes the message: its reservations are kept. */
	if (c != NULL && c->rate != NULL && ratelimit_commit(c->rate)) {
		escape_value(id, sizeof(id), smfi_getsymval(ctx, "i"));
		if (smfi_quarantine(ctx, c->rate->hold_why) == MI_SUCCESS)
			log_msg(LOG_NOTICE, "%s: held: %s", id,
			    c->rate->hold_why);
		else
			log_msg(LOG_ERR, "%s: could not hold the message (%s): "
			    "the MTA refused smfi_quarantine", id,
			    c->rate->hold_why);
	}
	log_end_of_message(ctx, c);
	end_transaction(ctx);
	return leave(SMFIS_CONTINUE);
}

static sfsistat
rw_abort(SMFICTX *ctx)
{
	struct conn *c = smfi_getpriv(ctx);

	/* No message: what the transaction reserved is given back. */
	if (c != NULL && c->rate != NULL)
		ratelimit_abort(&stores, c->rate);
	end_transaction(ctx);
	return SMFIS_CONTINUE;
}

static sfsistat
rw_close(SMFICTX *ctx)
{
	struct conn *c = smfi_getpriv(ctx);

	/* close may come with no state: connect failed or never came. */
	if (c != NULL) {
		if (c->rate != NULL) {
			ratelimit_abort(&stores, c->rate);
			free(c->rate);
		}
		snap_release(c->snap);
		free(c);
		(void)smfi_setpriv(ctx, NULL);
		stats_state_free();
	}
	return SMFIS_CONTINUE;
}

static struct smfiDesc filter = {
	.xxfi_name = "relaywarden",
	.xxfi_version = SMFI_VERSION,
	.xxfi_flags = SMFIF_QUARANTINE,
	.xxfi_connect = rw_connect,
	.xxfi_envfrom = rw_envfrom,
	.xxfi_envrcpt = rw_envrcpt,
	.xxfi_eom = rw_eom,
	.xxfi_abort = rw_abort,
	.xxfi_close = rw_close,
	.xxfi_negotiate = rw_negotiate,
};

bool
glue_open(const char *conn, char *err, size_t errlen)
{
	if (smfi_setconn((char *)conn) != MI_SUCCESS) {
		snprintf(err, errlen, "bad milter socket \"%s\"", conn);
		return false;
	}
	if (smfi_register(filter) != MI_SUCCESS) {
		snprintf(err, errlen, "smfi_register failed");
		return false;
	}
	if (smfi_opensocket(true) != MI_SUCCESS) {
		snprintf(err, errlen, "cannot open milter socket \"%s\" (in use, "
		    "or no permission?)", conn);
		return false;
	}
	return true;
}

bool
glue_limits(const struct config *c, char *err, size_t errlen)
{
	return ratelimit_stores_open(&c->rate, c->rate_max_keys, &stores, err,
	    errlen);
}

const struct rate_stores *
glue_rate_stores(void)
{
	return &stores;
}

int
glue_run(void)
{
	return smfi_main() == MI_SUCCESS ? 0 : 1;
}

void
glue_drain(unsigned seconds, unsigned long *open, unsigned *busy)
{
	const struct timespec tick = { 0, 10 * 1000 * 1000 };
	unsigned long n;

	for (n = 0; atomic_load(&running) > 0 && n < seconds * 100UL; n++)
		nanosleep(&tick, NULL);
	*busy = atomic_load(&running);
	*open = (unsigned long)stats_states();
}
