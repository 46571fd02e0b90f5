/*
 * ratelimit - rate limits per login and per client. See ratelimit.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>

#include <openssl/evp.h>

#include "addr.h"
#include "alert.h"
#include "escape.h"
#include "log.h"
#include "ratelimit.h"
#include "rateredis.h"

const char *const rate_action_words[] = { "tempfail", "hold", NULL };
const char *const rate_down_words[] = {
	"local", "tempfail", "accept", NULL
};

static const char *const kind_prefix[RATE_KINDS] = {
	"login:", "client:", "network:", "mynetworks:", "listener:"
};

bool
ratelimit_on(const struct rate_rules *r)
{
	size_t k;

	for (k = 0; k < RATE_KINDS; k++)
		if (r->rcpt[k].n > 0 || r->msg[k].n > 0)
			return true;
	return r->overrides.tab.used > 0 || r->nnets > 0;
}

enum strmap_added
ratelimit_override_add(struct rate_rules *r, const char *key,
    const struct limits *l)
{
	return strmap_add(&r->overrides, key, strlen(key), l, sizeof(*l));
}

/* The bits of a under plen (host bits) are zero. */
static bool
host_bits_zero(const struct netaddr *a, unsigned plen)
{
	unsigned bits = a->family == AF_INET ? 32 : 128, i;

	for (i = plen; i < bits; i++)
		if (a->bytes[i / 8] & (0x80 >> (i % 8)))
			return false;
	return true;
}

static bool
in_net(const struct netaddr *a, const struct rate_net_override *o)
{
	unsigned i;

	if (a->family != o->net.family)
		return false;
	for (i = 0; i < o->plen; i++)
		if ((a->bytes[i / 8] ^ o->net.bytes[i / 8]) & (0x80 >> (i % 8)))
			return false;
	return true;
}

const char *
ratelimit_net_override_add(struct rate_rules *r, const char *net,
    const struct limits *l)
{
	char addr[64];
	const char *slash = strrchr(net, '/');
	size_t n = slash != NULL ? (size_t)(slash - net) : strlen(net), i;
	struct rate_net_override o, *grown;
	unsigned long plen;
	char *end;

	memset(&o, 0, sizeof(o));
	if (n >= sizeof(addr))
		return "not a network";
	if (n >= 2 && net[0] == '[' && net[n - 1] == ']')
		snprintf(addr, sizeof(addr), "%.*s", (int)n - 2, net + 1);
	else
		snprintf(addr, sizeof(addr), "%.*s", (int)n, net);
	if (!netaddr_parse(addr, &o.net))
		return "not a network: write 192.0.2.0/24, [2001:db8::]/48 or "
		    "an address";
	plen = o.net.family == AF_INET ? 32 : 128;
	if (slash != NULL) {
		plen = strtoul(slash + 1, &end, 10);
		if (slash[1] < '0' || slash[1] > '9' || *end != '\0' ||
		    plen > (o.net.family == AF_INET ? 32u : 128u))
			return "a bad prefix length";
	}
	o.plen = (unsigned)plen;
	if (!host_bits_zero(&o.net, o.plen))
		return "host bits set under the prefix length";
	for (i = 0; i < r->nnets; i++)
		if (r->nets[i].plen == o.plen && in_net(&o.net, &r->nets[i]))
			return NULL;	/* the first stays */
	o.l = *l;
	if ((grown = realloc(r->nets, (r->nnets + 1) * sizeof(*grown))) == NULL)
		return "out of memory";
	r->nets = grown;
	r->nets[r->nnets++] = o;
	return NULL;
}

/* The client's network override (the longest prefix), or NULL. */
static const struct limits *
net_windows(const struct rate_rules *r, const struct netaddr *client)
{
	const struct rate_net_override *best = NULL;
	size_t i;

	for (i = 0; client != NULL && i < r->nnets; i++)
		if (in_net(client, &r->nets[i]) &&
		    (best == NULL || r->nets[i].plen > best->plen))
			best = &r->nets[i];
	return best != NULL ? &best->l : NULL;
}

void
ratelimit_rules_free(struct rate_rules *r)
{
	free(r->nets);
	r->nets = NULL;
	r->nnets = 0;
	strmap_free(&r->overrides);
	free(r->store);
	free(r->alert_command);
	r->store = r->alert_command = NULL;
}

/* Room for a folded login in a key: one longer ends in its hash
 * (fold_login). */
#define LOGIN_TEXT_MAX	(RATE_KEY_MAX - 16)

/* The folded form of login (lower case, the local part cut at its
 * extension: the first of delims, "+" when none are set), by chunks to
 * put(arg, bytes, n). */
static void
each_folded(const char *login, const char *delims,
    void (*put)(void *, const char *, size_t), void *arg)
{
	const char *at = strrchr(login, '@'), *d = *delims ? delims : "+";
	size_t n = 0, i, cut = strcspn(login, d);
	char buf[256];

	for (i = 0; login[i] != '\0'; i++) {
		if (i >= cut && (at == NULL || login + i < at))
			continue;	/* the extension */
		buf[n++] = login[i] >= 'A' && login[i] <= 'Z' ?
		    (char)(login[i] - 'A' + 'a') : login[i];
		if (n == sizeof(buf)) {
			put(arg, buf, n);
			n = 0;
		}
	}
	if (n > 0)
		put(arg, buf, n);
}

struct fold_out {
	char	*out;
	size_t	len, n;		/* bytes wanted (may exceed len - 1) */
};

static void
fold_put(void *arg, const char *p, size_t n)
{
	struct fold_out *f = arg;
	size_t room = f->n < f->len - 1 ? f->len - 1 - f->n : 0;

	if (room > 0)		/* past the end: only counted */
		memcpy(f->out + f->n, p, n < room ? n : room);
	f->n += n;
}

static void
fold_hash(void *arg, const char *p, size_t n)
{
	(void)EVP_DigestUpdate(arg, p, n);
}

/* A login as one user: its folded form into out (len >= 64). One that
 * does not fit keeps its start and ends in "~" and 16 hex digits of the
 * SHA-256 of the whole folded form, so that two long logins with the
 * same start are still two keys. */
static void
fold_login(const char *login, const char *delims, char *out, size_t len)
{
	struct fold_out f = { out, len, 0 };
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *sha;
	size_t i, keep = len - 1 - 17;

	each_folded(login, delims, fold_put, &f);
	if (f.n < len) {
		out[f.n] = '\0';
		return;
	}
	if ((sha = EVP_MD_CTX_new()) != NULL &&
	    EVP_DigestInit_ex(sha, EVP_sha256(), NULL) == 1) {
		each_folded(login, delims, fold_hash, sha);
		if (EVP_DigestFinal_ex(sha, md, &mdlen) != 1)
			mdlen = 0;
	}
	EVP_MD_CTX_free(sha);
	if (mdlen < 8)		/* no digest (out of memory): the start */
		memset(md, 0, 8);
	out[keep] = '~';
	for (i = 0; i < 8; i++)
		snprintf(out + keep + 1 + 2 * i, 3, "%02x", md[i]);
}

/* prefix and text into a key (RATE_KEY_MAX bytes), text cut to fit:
 * without snprintf(), once per transaction and kind (callgrind). */
static void
put_key(char *key, const char *prefix, const char *text, size_t len)
{
	size_t plen = strlen(prefix);

	if (len > RATE_KEY_MAX - 1 - plen)
		len = RATE_KEY_MAX - 1 - plen;
	memcpy(key, prefix, plen);
	memcpy(key + plen, text, len);
	key[plen + len] = '\0';
}

/* "network:203.0.113.0/24" or "network:2001:db8::/64": the client's
 * network, as a key. */
static void
network_key(const struct netaddr *a, char *key)
{
	struct netaddr n = *a;
	char text[NETADDR_TEXT_MAX + 3];
	size_t len;

	if (n.family == AF_INET)
		n.bytes[3] = 0;
	else
		memset(n.bytes + 8, 0, 8);
	netaddr_format(&n, text, NETADDR_TEXT_MAX);
	len = strlen(text);
	memcpy(text + len, n.family == AF_INET ? "/24" : "/64", 3);
	put_key(key, "network:", text, len + 3);
}

/* The login's recipient windows: its override (the whole folded login:
 * fold_login() with room for any a map holds), its domain's, or the
 * default (an override is copied into buf: strmap's payloads are not
 * aligned). */
static const struct limits *
login_windows(const struct rate_rules *r, const char *login,
    const char *delims, struct limits *buf)
{
	const void *o = NULL;
	const char *at = strrchr(login, '@');
	char folded[1024], domain[256];
	size_t i;

	if (r->overrides.tab.used == 0)
		return &r->rcpt[RATE_LOGIN];
	fold_login(login, delims, folded, sizeof(folded));
	o = strmap_find(&r->overrides, folded, strlen(folded));
	if (o == NULL && at != NULL && strlen(at) < sizeof(domain)) {
		for (i = 0; at[i] != '\0'; i++)
			domain[i] = at[i] >= 'A' && at[i] <= 'Z' ?
			    (char)(at[i] - 'A' + 'a') : at[i];
		o = strmap_find(&r->overrides, domain, i);
	}
	if (o == NULL)
		return &r->rcpt[RATE_LOGIN];
	memcpy(buf, o, sizeof(*buf));
	return buf;
}

/* Appends a cell per window of l for key. */
static size_t
add_cells(struct rate_cell *cells, size_t n, const char *key,
    const struct limits *l)
{
	size_t i, len = strnlen(key, RATE_KEY_MAX - 1);

	for (i = 0; i < l->n && n < RATE_CELLS_MAX; i++, n++) {
		memcpy(cells[n].key, key, len);
		cells[n].key[len] = '\0';
		cells[n].w = l->w[i];
		cells[n].cost = 1;
	}
	return n;
}

/* The session's keys, by kind ("" when the kind does not apply). */
static void
session_keys(const struct rate_rules *r, const struct rate_session *s,
    char keys[RATE_KINDS][RATE_KEY_MAX])
{
	char text[LOGIN_TEXT_MAX];
	const char *client;
	bool login = s->login != NULL && *s->login != '\0';
	bool want[RATE_KINDS];
	size_t k;

	/* Only the kinds that can count: a login's override, a network's
	 * (the client kinds'), or windows of its own. */
	for (k = 0; k < RATE_KINDS; k++) {
		keys[k][0] = '\0';
		want[k] = r->rcpt[k].n > 0 || r->msg[k].n > 0 ||
		    (k == RATE_LOGIN ? r->overrides.tab.used > 0 :
		    k != RATE_LISTENER && r->nnets > 0);
	}
	if (want[RATE_LISTENER] && s->listener_key != NULL &&
	    *s->listener_key != '\0')
		put_key(keys[RATE_LISTENER], "listener:", s->listener_key,
		    strlen(s->listener_key));
	if (login && want[RATE_LOGIN]) {
		fold_login(s->login, s->delimiters != NULL ? s->delimiters : "",
		    text, sizeof(text));
		put_key(keys[RATE_LOGIN], "login:", text, strlen(text));
	}
	if (s->client == NULL)
		return;
	if ((client = s->client_text) == NULL) {	/* else the caller's */
		netaddr_format(s->client, text, sizeof(text));
		client = text;
	}
	if (want[RATE_CLIENT])
		put_key(keys[RATE_CLIENT], "client:", client, strlen(client));
	if (want[RATE_MYNETWORKS] && s->in_my_networks && !login)
		put_key(keys[RATE_MYNETWORKS], "mynetworks:", client,
		    strlen(client));
	if (want[RATE_NETWORK])
		network_key(s->client, keys[RATE_NETWORK]);
}

static void
build(const struct rate_rules *r, const struct rate_session *s,
    struct rate_txn *t)
{
	char keys[RATE_KINDS][RATE_KEY_MAX];
	const struct limits *l, *net = net_windows(r, s->client);
	struct limits buf;
	size_t k;

	session_keys(r, s, keys);
	t->nrc = t->nmc = 0;
	for (k = 0; k < RATE_KINDS; k++) {
		if (keys[k][0] == '\0')
			continue;
		/* A network's override is the client kinds'. */
		l = k == RATE_LOGIN ? login_windows(r, s->login,
		    s->delimiters != NULL ? s->delimiters : "", &buf) :
		    net != NULL && k != RATE_LISTENER ? net : &r->rcpt[k];
		t->nrc = add_cells(t->rc, t->nrc, keys[k], l);
		t->nmc = add_cells(t->mc, t->nmc, keys[k], &r->msg[k]);
	}
	t->built = true;
}

void
ratelimit_txn_init(struct rate_txn *t)
{
	t->built = false;
	t->nrc = t->nmc = 0;
	t->taken = 0;
	t->msg_taken = false;
	t->store = NULL;
	t->hold = false;
	t->hold_why[0] = '\0';
}

void
ratelimit_begin(const struct rate_stores *st, struct rate_txn *t)
{
	ratelimit_abort(st, t);
	t->built = false;
	t->hold = false;
	t->hold_why[0] = '\0';
}

/* Who a key is, for a reply: "alice@x", "client 192.0.2.1", ... */
static void
who(const char *key, char *out, size_t len)
{
	const char *colon = strchr(key, ':');

	if (strncmp(key, "login:", 6) == 0)
		snprintf(out, len, "%s", key + 6);
	else if (strncmp(key, "network:", 8) == 0)
		snprintf(out, len, "network %s", colon + 1);
	else if (strncmp(key, "listener:", 9) == 0)
		snprintf(out, len, "listener %s", colon + 1);
	else
		snprintf(out, len, "client %s", colon != NULL ? colon + 1 : key);
}

/* One event=limit_exceeded line for a trip, and the alert. */
static void
report_trip(const struct rate_rules *r, const struct rate_session *s,
    const struct rate_cell *c, bool message, const struct rate_result *res)
{
	char key[LOG_VALUE_MAX], listener[LOG_VALUE_MAX], client[LOG_VALUE_MAX];
	char w[32], used[16];
	const char *action = rate_action_words[r->action];

	escape_value(key, sizeof(key), c->key);
	escape_value(listener, sizeof(listener), s->listener);
	escape_value(client, sizeof(client), s->client_text);
	limit_format(&c->w, w, sizeof(w));
	snprintf(used, sizeof(used), "%u", res->used);
	log_msg(LOG_WARNING, "NOQUEUE: event=limit_exceeded key=%s window=%s "
	    "unit=%s used=%s action=%s%s listener=%s client=%s policy=%s", key,
	    w, message ? "messages" : "recipients", used,
	    s->mode == MODE_MONITOR ? "would_" : "", action, listener, client,
	    s->policy != NULL ? s->policy : "-");
	if (strncmp(c->key, "login:", 6) == 0 && r->action == RATE_HOLD &&
	    s->mode != MODE_MONITOR)
		log_msg(LOG_WARNING, "limit_exceeded: %s: its mail is held for "
		    "%us: see it with \"postqueue -j\" (\"postqueue -p\"), release "
		    "it with \"postsuper -H QUEUEID\" (or ALL), delete it with "
		    "\"postsuper -d QUEUEID\"; change its password if it was "
		    "not the user", key, c->w.period);
	alert_send(r->alert_command, c->key, w, used, action, s->listener,
	    s->client_text);
}

/* Takes the recipient's cells (and its message's, at its first) from
 * store; the answer in res. */
static void
take(struct rate_store *store, struct rate_txn *t, struct rate_cell *cells,
    size_t *n, struct rate_result *res)
{
	*n = 0;
	memcpy(cells, t->rc, t->nrc * sizeof(*cells));
	*n = t->nrc;
	if (!t->msg_taken) {
		memcpy(cells + *n, t->mc, t->nmc * sizeof(*cells));
		*n += t->nmc;
	}
	store->ops->take(store, cells, *n, res);
}

/* The store that answered, after ratelimit_store_down's fallback. A
 * transaction's reservations stay in one store: the fallback is taken
 * only before its first. */
static struct rate_store *
answered(const struct rate_rules *r, const struct rate_stores *st,
    struct rate_txn *t, struct rate_cell *cells, size_t *n,
    struct rate_result *res)
{
	struct rate_store *store = t->store != NULL ? t->store : st->main;

	take(store, t, cells, n, res);
	if (res->answer != RATE_DOWN || r->down != DOWN_LOCAL ||
	    store == st->local || t->store != NULL)
		return store;
	take(st->local, t, cells, n, res);
	return st->local;
}

static void
set(struct verdict *v, enum decision d, const char *code, const char *xcode)
{
	v->decision = d;
	v->reason = REASON_RATE_LIMIT;
	v->code = code;
	v->xcode = xcode;
}

/* A full cell: the verdict, the hold, the report. */
static void
full(const struct rate_rules *r, const struct rate_stores *st,
    struct rate_txn *t, const struct rate_session *s, const char *rcpt,
    const struct rate_cell *c, bool message, const struct rate_result *res,
    struct verdict *v)
{
	char name[RATE_KEY_MAX + 16];
	bool monitor = s->mode == MODE_MONITOR;
	size_t i;
	size_t n = strlen(rcpt);

	if (res->first)
		report_trip(r, s, c, message, res);
	if (r->action == RATE_HOLD) {
		set(v, monitor ? DECISION_WOULD_HOLD : DECISION_HOLD, NULL, NULL);
		v->text[0] = '\0';
		if (!monitor) {
			(t->store != NULL ? t->store : st->main)->ops->hold(
			    t->store != NULL ? t->store : st->main, c);
			t->hold = true;
			/* It goes to the log and to Postfix's: escaped. */
			snprintf(t->hold_why, sizeof(t->hold_why), "relaywarden: "
			    "rate limit exceeded for %s", escape_value(name,
			    sizeof(name), c->key));
		}
		return;
	}
	who(c->key, name, sizeof(name));
	for (i = 0; name[i] != '\0'; i++)	/* an SMTP reply line */
		if ((unsigned char)name[i] < ' ' || (unsigned char)name[i] >= 0x7f)
			name[i] = '?';
	if (n >= 2 && rcpt[0] == '<' && rcpt[n - 1] == '>') {
		rcpt++;
		n -= 2;
	}
	set(v, monitor ? DECISION_WOULD_TEMPFAIL : DECISION_TEMPFAIL, "451",
	    "4.7.1");
	snprintf(v->text, sizeof(v->text), "<%.*s>: rate limit exceeded for "
	    "%s, try later", (int)(n < 300 ? n : 300), rcpt, name);
}

/* Recipients and senders that never count (limit_exempt). */
static bool
exempt(const struct rate_rules *r, const struct rate_session *s,
    const char *rcpt)
{
	struct addr a;
	const char *p;

	/* addr_parse()'s ADDR_NULL, without parsing. */
	if (r->exempt_null_sender && (s->sender == NULL ||
	    s->sender[0] == '\0' || strcmp(s->sender, "<>") == 0))
		return true;
	if (!r->exempt_postmaster)
		return false;
	/* Parsed only when "postmaster" is in it at all: most are not. */
	for (p = rcpt; *p != '\0'; p++)
		if ((*p == 'p' || *p == 'P') &&
		    strncasecmp(p, "postmaster", 10) == 0)
			return addr_parse(rcpt, &a) == ADDR_OK &&
			    a.local_len == 10 &&
			    strncasecmp(a.local, "postmaster", 10) == 0;
	return false;
}

void
ratelimit_rcpt(const struct rate_rules *r, const struct rate_stores *st,
    struct rate_txn *t, const struct rate_session *s, const char *rcpt,
    struct verdict *v)
{
	struct rate_cell cells[2 * RATE_CELLS_MAX];
	struct rate_result res;
	struct rate_store *store;
	size_t n;

	if (v->decision != DECISION_ACCEPT || !ratelimit_on(r) ||
	    exempt(r, s, rcpt))
		return;
	if (!t->built)
		build(r, s, t);
	if (t->nrc == 0 && (t->msg_taken || t->nmc == 0))
		return;
	store = answered(r, st, t, cells, &n, &res);
	switch (res.answer) {
	case RATE_OK:
		t->store = store;
		t->taken++;
		t->msg_taken = true;
		if (res.held && r->action == RATE_HOLD && s->mode != MODE_MONITOR &&
		    !t->hold) {
			t->hold = true;
			snprintf(t->hold_why, sizeof(t->hold_why), "relaywarden: "
			    "held after a rate limit was exceeded");
		}
		if (t->hold)
			set(v, DECISION_HOLD, NULL, NULL);
		return;
	case RATE_OVER:
		full(r, st, t, s, rcpt, &cells[res.which], res.which >= t->nrc,
		    &res, v);
		return;
	case RATE_DOWN:
		if (r->down == DOWN_TEMPFAIL) {
			set(v, s->mode == MODE_MONITOR ? DECISION_WOULD_TEMPFAIL :
			    DECISION_TEMPFAIL, "451", "4.3.0");
			v->reason = REASON_LIMIT_STORE_DOWN;
			snprintf(v->text, sizeof(v->text), "Temporary failure in "
			    "rate limiting, try again later");
		}
		return;		/* accept: counted nowhere */
	}
}

bool
ratelimit_commit(struct rate_txn *t)
{
	bool hold = t->hold;

	t->taken = 0;
	t->msg_taken = false;
	t->store = NULL;
	t->built = false;
	t->hold = false;
	return hold;
}

void
ratelimit_abort(const struct rate_stores *st, struct rate_txn *t)
{
	struct rate_cell cells[2 * RATE_CELLS_MAX];
	size_t i, n = 0;

	(void)st;
	if (t->store != NULL && (t->taken > 0 || t->msg_taken)) {
		for (i = 0; i < t->nrc; i++) {
			cells[n] = t->rc[i];
			cells[n++].cost = t->taken;
		}
		for (i = 0; t->msg_taken && i < t->nmc; i++)
			cells[n++] = t->mc[i];
		if (n > 0)
			t->store->ops->give_back(t->store, cells, n);
	}
	t->taken = 0;
	t->msg_taken = false;
	t->store = NULL;
	t->built = false;
	t->hold = false;
}

size_t
ratelimit_key_cells(const struct rate_rules *r, const char *key,
    const char *delimiters, struct rate_cell *out, size_t max)
{
	const struct limits *l = NULL;
	struct limits buf;
	char name[RATE_KEY_MAX];
	size_t k, n = 0, i, plen;

	for (k = 0; k < RATE_KINDS; k++)
		if (strncmp(key, kind_prefix[k], strlen(kind_prefix[k])) == 0)
			break;
	/* A login of any length: fold_login() bounds it as the daemon
	 * does. */
	if (k == RATE_KINDS || (plen = strlen(kind_prefix[k]),
	    key[plen] == '\0') ||
	    (k != RATE_LOGIN && strlen(key) >= RATE_KEY_MAX - 16))
		return 0;
	memcpy(name, key, plen);
	if (k == RATE_LOGIN)	/* as the daemon counts it: one user */
		fold_login(key + plen, delimiters != NULL ? delimiters : "",
		    name + plen, LOGIN_TEXT_MAX);
	else
		memcpy(name + plen, key + plen, strlen(key + plen) + 1);
	l = &r->rcpt[k];
	if (k == RATE_LOGIN) {
		l = login_windows(r, key + plen,
		    delimiters != NULL ? delimiters : "", &buf);
	} else if (k != RATE_LISTENER) {	/* a network's override */
		char addr[64];
		struct netaddr a;
		const struct limits *o;

		snprintf(addr, sizeof(addr), "%.*s", (int)strcspn(name + plen,
		    "/"), name + plen);
		if (netaddr_parse(addr, &a) && (o = net_windows(r, &a)) != NULL)
			l = o;
	}
	for (i = 0; i < l->n + r->msg[k].n && n < max; i++, n++) {
		memcpy(out[n].key, name, strlen(name) + 1);
		out[n].w = i < l->n ? l->w[i] : r->msg[k].w[i - l->n];
		out[n].cost = 0;
	}
	return n;
}

void
ratelimit_explain(const struct rate_rules *r, const struct rate_session *s,
    FILE *out)
{
	struct rate_txn t;
	char w[32];
	size_t i;

	memset(&t, 0, sizeof(t));
	build(r, s, &t);
	if (t.nrc + t.nmc == 0)
		fprintf(out, "limits: none\n");
	for (i = 0; i < t.nrc; i++)
		fprintf(out, "limit %s %s recipients\n", t.rc[i].key,
		    limit_format(&t.rc[i].w, w, sizeof(w)));
	for (i = 0; i < t.nmc; i++)
		fprintf(out, "limit %s %s messages\n", t.mc[i].key,
		    limit_format(&t.mc[i].w, w, sizeof(w)));
}

bool
ratelimit_stores_open(const struct rate_rules *r, unsigned max_keys,
    struct rate_stores *st, char *err, size_t errlen)
{
	st->main = st->local = ratemem_new(max_keys);
	if (st->local == NULL) {
		snprintf(err, errlen, "out of memory for the rate limit store");
		return false;
	}
	if (r->store == NULL || strcmp(r->store, "embedded") == 0)
		return true;
	st->main = rateredis_new(r->store + 6, (int)r->timeout_ms, err, errlen);
	if (st->main == NULL) {
		rate_store_free(st->local);
		st->local = NULL;
		return false;
	}
	return true;
}
