/*
 * fuzz_policy - the engine as a whole: a random policy and random facts
 * in, policy_eval() out, and the relay rules asserted on the verdict.
 *
 * The input's bytes are read as choices (fz.h): the mode, the TLS rule,
 * unknown_listener, listeners by port and by name, local_domains entries
 * and my_networks patterns (often the familiar ones, sometimes any
 * bytes), then one request: {daemon_port}, {daemon_name}, the client
 * address, the SASL login, TLS, and a recipient (built from a listed
 * domain with tricks around it, or any bytes) or none (MAIL FROM).
 *
 * Properties (any violation aborts):
 *  S1 an unauthenticated client outside my_networks on an smtp listener
 *     is accepted only for the unqualified <Postmaster> or for a
 *     recipient whose destination (after the last '@', by the naive
 *     reading of ref.h) is a listed local domain with no '@', '%' or '!'
 *     before it;
 *  S2 a submission listener never accepts without a SASL login, nor
 *     without TLS when submission_require_tls = yes;
 *  S3 with unknown_listener = tempfail an unlisted listener never
 *     accepts;
 *  S4 a recipient is never accepted where the MAIL FROM stage refuses;
 *  M  mode = monitor changes only the decision word: it never rejects
 *     or tempfails, it accepts exactly what enforce accepts, and keeps
 *     the reason, code and text ("accept" means the recipient goes on;
 *     "would_reject" in monitor mode also lets it through, by design,
 *     and is logged as a refusal);
 *  V  a verdict is well formed: an accept has no code and an accept
 *     reason; a refusal a 3-digit code whose class matches (5xx reject,
 *     4xx tempfail), an enhanced code of the same class, a refusal
 *     reason, and a reply text with no control byte;
 *  C  the engine refuses nothing the rules allow: the whole decision is
 *     recomputed from the rules in policy.h with the reference models of
 *     ref.h for my_networks and local_domains.
 *
 * FUZZ_POLICY_SHOW=1 in the environment prints each request and its
 * verdict, to read a seed or a crash file. tests/fuzz/policy-seeds writes
 * the seeds in this file's byte layout.
 */
#include <stdio.h>

#include "addr.h"
#include "fuzz.h"
#include "policy.h"
#include "ref.h"

#define MAXLIST	8

struct world {
	struct policy	*p;
	ref_key		keys[MAXLIST];
	size_t		nkeys;
	struct ref_net	nets[MAXLIST];
	size_t		nnets;
};

static const char *const known_ports[] = { "25", "465", "587", "2525" };
static const char *const known_names[] = {
	"ORIGINATING", "smtpd", "MTA", "MSA"
};
static const char *const known_domains[] = {
	"bluemind.loc", ".bluemind.loc", "example.org", "Example.ORG.",
	"[192.0.2.1]", "[IPv6:2001:db8::1]", ".org", "xn--exmple-cua.fr",
	"!mx.bluemind.loc", "!.sub.bluemind.loc", "!example.org",
};
static const char *const known_locals[] = {
	"user", "postmaster", "Postmaster", "a%b", "a!b", "\"a@b\"",
	"\"john doe\"", "user@remote.example", "a.b+c", "",
};

#define PICK(f, a) ((a)[fz_u8(f) % (sizeof(a) / sizeof((a)[0]))])

static void
add_listener(struct world *w, struct fz *f)
{
	struct policy *p = w->p;
	struct listener_entry e, *grown;
	uint8_t how = fz_u8(f);

	e.kind = how & 1 ? LISTENER_SUBMISSION : LISTENER_SMTP;
	e.port = 0;
	e.name = NULL;
	switch ((how >> 1) % 4) {
	case 0:
		e.port = (unsigned)atoi(PICK(f, known_ports));
		break;
	case 1:
		e.port = fz_u16(f) | 1u;	/* 1..65535 */
		break;
	case 2:
		e.name = strdup(PICK(f, known_names));
		break;
	default:
		e.name = fz_str(f, 12);
		break;
	}
	if (e.port == 0 && e.name == NULL)
		abort();
	if ((grown = realloc(p->listeners, (p->nlisteners + 1) *
	    sizeof(*grown))) == NULL)
		abort();
	p->listeners = grown;
	p->listeners[p->nlisteners++] = e;
}

static void
add_domain(struct world *w, struct fz *f)
{
	char *entry = fz_u8(f) & 1 ? fz_str(f, 40) :
	    strdup(PICK(f, known_domains));
	bool got, want;

	if (entry == NULL)
		abort();
	got = domset_add(w->p->local_domains, entry, NULL, 0);
	want = ref_domain_key(entry, w->keys[w->nkeys]);
	FZ_CHECK(got == want, "domset_add(\"%s\") = %d, the rules say %d",
	    entry, got, want);
	if (got)
		w->nkeys++;
	free(entry);
}

/* A network written as an admin would, from raw bytes; or any text. */
static void
add_network(struct world *w, struct fz *f)
{
	uint8_t how = fz_u8(f), b[16];
	char text[128], addr[INET6_ADDRSTRLEN];
	unsigned plen, i, max;
	bool got, want;
	int fam;

	if ((how & 7) == 7) {
		char *raw = fz_str(f, 48);

		snprintf(text, sizeof(text), "%s", raw);
		free(raw);
	} else {
		fam = how & 1 ? AF_INET6 : AF_INET;
		max = fam == AF_INET ? 32 : 128;
		fz_bytes(f, b, 16);
		if (fam == AF_INET6 && (how & 2)) {	/* ::ffff:a.b.c.d */
			memcpy(b, ref_v4mapped, 12);
			plen = 96 + fz_u8(f) % 33;
		} else {
			plen = fz_u8(f) % (max + 1);
		}
		if (!(how & 4))		/* clear the host bits, usually */
			for (i = plen; i < max; i++)
				b[i / 8] &= (uint8_t)~(0x80u >> (i % 8));
		inet_ntop(fam, b, addr, sizeof(addr));
		snprintf(text, sizeof(text), "%s%s%s%s/%u",
		    how & 0x10 ? "!" : "", fam == AF_INET6 && (how & 0x20) ?
		    "[" : "", addr, fam == AF_INET6 && (how & 0x20) ? "]" : "",
		    plen);
	}
	got = netset_add(w->p->my_networks, text, NULL, 0);
	want = ref_net_parse(text, &w->nets[w->nnets]);
	FZ_CHECK(got == want, "netset_add(\"%s\") = %d, the strict reading "
	    "says %d", text, got, want);
	if (got)
		w->nnets++;
}

/* A client: inside or at the edge of a listed network, or anywhere. */
static const struct netaddr *
make_client(const struct world *w, struct fz *f, struct netaddr *a)
{
	uint8_t how = fz_u8(f), noise[16];
	size_t i;

	memset(a, 0, sizeof(*a));
	fz_bytes(f, noise, 16);
	switch (how % 5) {
	case 0:
		return NULL;
	case 1:
		a->family = AF_INET;
		memcpy(a->bytes, noise, 4);
		return a;
	case 2:
		a->family = AF_INET6;
		memcpy(a->bytes, noise, 16);
		return a;
	default:
		if (w->nnets == 0)
			return NULL;
		i = (how >> 3) % w->nnets;
		a->family = w->nets[i].fam;
		memcpy(a->bytes, w->nets[i].net, 16);
		/* Flip one bit, anywhere: inside the host part or not. */
		a->bytes[noise[0] % (a->family == AF_INET ? 4 : 16)] ^=
		    (uint8_t)(1u << (noise[1] % 8));
		if (a->family == AF_INET && (how & 0x80)) {
			/* As a hand-built ::ffff: client. */
			memmove(a->bytes + 12, a->bytes, 4);
			memcpy(a->bytes, ref_v4mapped, 12);
			a->family = AF_INET6;
		}
		return a;
	}
}

/* A recipient: often "<local@listed-domain>" with a trick, or any bytes. */
static char *
make_rcpt(const struct world *w, struct fz *f)
{
	uint8_t how = fz_u8(f), k;
	char dom[ADDR_DOMAIN_MAX + 80], *out, *local;
	const char *d;

	if ((how & 3) == 0)
		return NULL;
	if ((how & 3) == 1)
		return fz_str(f, 255);	/* any bytes, up to 255 */
	if (w->nkeys > 0 && (how & 4)) {
		d = w->keys[fz_u8(f) % w->nkeys];
		d += d[0] == '.';	/* ".x" lists the subdomains of x */
		k = fz_u8(f);
		if ((k & 16) && strchr(d, '.') != NULL)	/* the parent */
			d = strchr(d, '.') + 1;
		snprintf(dom, sizeof(dom), "%s%s%s", k & 1 ? "sub." : "", d,
		    k & 2 ? "." : "");
		if (k & 4)
			for (char *c = dom; *c != '\0'; c++)
				if (*c >= 'a' && *c <= 'z')
					*c = (char)(*c - 'a' + 'A');
		if (k & 8)	/* "x.evil": a suffix trick */
			strcat(dom, ".evil.example");
	} else {
		char *raw = fz_str(f, 40);

		snprintf(dom, sizeof(dom), "%s", raw);
		free(raw);
	}
	local = (how & 8) ? fz_str(f, 70) : strdup(PICK(f, known_locals));
	if (local == NULL)
		abort();
	if (asprintf(&out, "%s%s%s%s%s%s", how & 16 ? "<" : "",
	    how & 32 ? "@relay.example,@b.example:" : "", local,
	    how & 64 ? "" : "@", how & 64 ? "" : dom, how & 16 ? ">" : "") < 0)
		abort();
	free(local);
	return out;
}

/* A macro value: none, empty, a familiar one, or any bytes. */
static char *
make_value(struct fz *f, const char *const *known, size_t nknown)
{
	uint8_t how = fz_u8(f);

	switch (how % 4) {
	case 0:
		return NULL;
	case 1:
		return strdup("");
	case 2:
		return strdup(known[(how >> 2) % nknown]);
	default:
		return fz_str(f, 16);
	}
}

static bool
present(const char *s)
{
	return s != NULL && *s != '\0';
}

static bool
is_accept_reason(enum reason r)
{
	return r == REASON_AUTHENTICATED || r == REASON_MY_NETWORKS ||
	    r == REASON_LOCAL_DOMAIN || r == REASON_POSTMASTER ||
	    r == REASON_SENDER_OK;
}

/* {daemon_port}: decimal 1..65535 (policy.h); 0 when not a port. */
static unsigned
ref_port(const char *s)
{
	unsigned long v = 0;
	size_t i;

	if (s == NULL || s[0] == '\0')
		return 0;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (unsigned long)(s[i] - '0');
		if (v > 65535)
			return 0;
	}
	return (unsigned)v;
}

/* The port first, then the name; the first entry that matches. */
static bool
ref_listener(const struct policy *p, const char *port, const char *name,
    enum listener *out)
{
	unsigned n = ref_port(port);
	size_t i;

	for (i = 0; n != 0 && i < p->nlisteners; i++)
		if (p->listeners[i].port == n) {
			*out = p->listeners[i].kind;
			return true;
		}
	for (i = 0; name != NULL && i < p->nlisteners; i++)
		if (p->listeners[i].name != NULL &&
		    strcmp(p->listeners[i].name, name) == 0) {
			*out = p->listeners[i].kind;
			return true;
		}
	return false;
}

static void
check_shape(const struct verdict *v, enum policy_mode mode, const char *ctx)
{
	const char *t;

	if (v->decision == DECISION_ACCEPT) {
		FZ_CHECK(v->code == NULL && v->xcode == NULL && v->text[0] ==
		    '\0', "%s: an accept with code %s", ctx,
		    v->code ? v->code : "(null)");
		FZ_CHECK(is_accept_reason(v->reason), "%s: accept for reason %s",
		    ctx, policy_reason_name(v->reason));
		return;
	}
	FZ_CHECK(mode == MODE_MONITOR ? v->decision == DECISION_WOULD_REJECT :
	    v->decision != DECISION_WOULD_REJECT, "%s: decision %s in %s mode",
	    ctx, policy_decision_name(v->decision),
	    mode == MODE_MONITOR ? "monitor" : "enforce");
	FZ_CHECK(!is_accept_reason(v->reason), "%s: refusal for reason %s", ctx,
	    policy_reason_name(v->reason));
	FZ_CHECK(v->code != NULL && v->xcode != NULL && strlen(v->code) == 3 &&
	    strspn(v->code, "0123456789") == 3 && v->xcode[0] == v->code[0] &&
	    v->xcode[1] == '.', "%s: codes %s %s", ctx,
	    v->code ? v->code : "(null)", v->xcode ? v->xcode : "(null)");
	FZ_CHECK(v->decision == DECISION_WOULD_REJECT ||
	    v->code[0] == (v->decision == DECISION_REJECT ? '5' : '4'),
	    "%s: %s with code %s", ctx, policy_decision_name(v->decision),
	    v->code);
	FZ_CHECK(v->code[0] == '4' || v->code[0] == '5', "%s: code %s", ctx,
	    v->code);
	FZ_CHECK(memchr(v->text, '\0', sizeof(v->text)) != NULL &&
	    v->text[0] != '\0', "%s: reply text empty or unterminated", ctx);
	for (t = v->text; *t != '\0'; t++)
		FZ_CHECK((unsigned char)*t >= 0x20 && *t != 0x7f,
		    "%s: control byte 0x%02x in the reply text", ctx,
		    (unsigned char)*t);
}

/* What policy.h's rules decide: the reason (and so accept or not). */
static enum reason
ref_reason(const struct world *w, const struct policy_request *req,
    enum listener lst, bool known)
{
	const struct policy *p = w->p;
	struct addr a;

	if (!known && p->unknown_listener == UNKNOWN_TEMPFAIL)
		return REASON_UNKNOWN_LISTENER;
	if (lst == LISTENER_SUBMISSION) {
		if (p->submission_require_tls && !present(req->tls))
			return REASON_TLS_REQUIRED;
		if (!present(req->auth))
			return REASON_AUTH_REQUIRED;
	}
	if (req->rcpt == NULL)
		return REASON_SENDER_OK;
	if (addr_parse(req->rcpt, &a) != ADDR_OK)
		return REASON_BAD_ADDRESS;
	if (present(req->auth))
		return REASON_AUTHENTICATED;
	if (req->client != NULL && ref_net_contains(w->nets, w->nnets,
	    req->client))
		return REASON_MY_NETWORKS;
	if (!a.qualified)
		return a.postmaster ? REASON_POSTMASTER : REASON_UNQUALIFIED;
	if (a.routing)
		return REASON_ROUTING_TRICK;
	return ref_domain_match(w->keys, w->nkeys, a.domain) ?
	    REASON_LOCAL_DOMAIN : REASON_RELAY_DENIED;
}

static void
check(struct world *w, const struct policy_request *req)
{
	struct policy *p = w->p;
	struct policy_request mail = *req;
	struct verdict v, again, other, vm;
	enum policy_mode mode = p->mode;
	enum listener lst = LISTENER_SMTP;
	bool known, accepted, auth = present(req->auth), in_nets;
	char ctx[300], cl[NETADDR_TEXT_MAX] = "(null)";
	enum reason want;

	if (req->client != NULL)
		netaddr_format(req->client, cl, sizeof(cl));
	snprintf(ctx, sizeof(ctx), "port=%s name=%s client=%s auth=%s tls=%s "
	    "rcpt=%.80s", req->daemon_port ? req->daemon_port : "(null)",
	    req->daemon_name ? req->daemon_name : "(null)", cl,
	    req->auth ? req->auth : "(null)", req->tls ? req->tls : "(null)",
	    req->rcpt ? req->rcpt : "(null)");
	memset(&v, 0, sizeof(v));
	memset(&again, 0, sizeof(again));
	policy_eval(p, req, &v);
	/* For reading a seed or a crash file: what it asked, what came out. */
	if (getenv("FUZZ_POLICY_SHOW") != NULL)
		fprintf(stderr, "%s %s: %s %s %s\n", mode == MODE_MONITOR ?
		    "monitor" : "enforce", ctx, policy_decision_name(v.decision),
		    policy_reason_name(v.reason), v.text);
	check_shape(&v, mode, ctx);
	accepted = v.decision == DECISION_ACCEPT;

	/* The same answer twice. */
	policy_eval(p, req, &again);
	FZ_CHECK(again.decision == v.decision && again.reason == v.reason &&
	    strcmp(again.text, v.text) == 0, "%s: two evaluations differ", ctx);

	/* Listener. */
	known = ref_listener(p, req->daemon_port, req->daemon_name, &lst);
	FZ_CHECK(v.listener_known == known && (!known || v.listener == lst),
	    "%s: listener %s known=%d, want %s known=%d", ctx,
	    policy_listener_name(v.listener), v.listener_known,
	    policy_listener_name(lst), known);
	if (!known)
		lst = p->unknown_listener == UNKNOWN_AS_SUBMISSION ?
		    LISTENER_SUBMISSION : LISTENER_SMTP;

	in_nets = req->client != NULL && ref_net_contains(w->nets, w->nnets,
	    req->client);

	/* S1..S4 */
	if (accepted && lst == LISTENER_SMTP && req->rcpt != NULL && !auth &&
	    !in_nets)
		FZ_CHECK(ref_rcpt_postmaster(req->rcpt) ||
		    ref_rcpt_local(w->keys, w->nkeys, req->rcpt),
		    "S1 open relay: %s accepted (%s) on smtp without auth, "
		    "client not in my_networks", ctx,
		    policy_reason_name(v.reason));
	if (accepted && lst == LISTENER_SUBMISSION)
		FZ_CHECK(auth && (!p->submission_require_tls ||
		    present(req->tls)), "S2 submission accepted without "
		    "auth or TLS: %s", ctx);
	if (!known && p->unknown_listener == UNKNOWN_TEMPFAIL)
		FZ_CHECK(!accepted && v.reason == REASON_UNKNOWN_LISTENER &&
		    strcmp(v.code, "451") == 0, "S3 unknown listener: %s %s",
		    ctx, policy_reason_name(v.reason));
	if (req->rcpt != NULL) {
		mail.rcpt = NULL;
		policy_eval(p, &mail, &vm);
		FZ_CHECK(!accepted || vm.decision == DECISION_ACCEPT,
		    "S4 %s accepted but MAIL FROM refused (%s)", ctx,
		    policy_reason_name(vm.reason));
	}

	/* M: the other mode. */
	p->mode = mode == MODE_MONITOR ? MODE_ENFORCE : MODE_MONITOR;
	memset(&other, 0, sizeof(other));
	policy_eval(p, req, &other);
	p->mode = mode;
	check_shape(&other, mode == MODE_MONITOR ? MODE_ENFORCE : MODE_MONITOR,
	    ctx);
	FZ_CHECK((other.decision == DECISION_ACCEPT) == accepted &&
	    other.reason == v.reason && strcmp(other.text, v.text) == 0 &&
	    (accepted || strcmp(other.code, v.code) == 0),
	    "M %s: enforce and monitor disagree: %s/%s and %s/%s", ctx,
	    policy_decision_name(v.decision), policy_reason_name(v.reason),
	    policy_decision_name(other.decision),
	    policy_reason_name(other.reason));

	/* C: the reason the rules give, and so the decision. */
	want = ref_reason(w, req, lst, known);
	FZ_CHECK(v.reason == want, "C %s: reason %s, the rules say %s", ctx,
	    policy_reason_name(v.reason), policy_reason_name(want));
	FZ_CHECK(accepted == is_accept_reason(want), "C %s: decision %s",
	    ctx, policy_decision_name(v.decision));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	struct world w;
	struct policy_request req;
	struct netaddr client;
	char *port, *name, *auth, *tls, *rcpt;
	uint8_t flags, n, i;

	memset(&w, 0, sizeof(w));
	if ((w.p = policy_new()) == NULL)
		abort();
	flags = fz_u8(&f);
	w.p->mode = flags & 1 ? MODE_MONITOR : MODE_ENFORCE;
	w.p->submission_require_tls = !(flags & 2);
	w.p->unknown_listener = (enum unknown_listener)((flags >> 2) % 3);
	n = fz_u8(&f) % 7;
	for (i = 0; i < n; i++)
		add_listener(&w, &f);
	n = fz_u8(&f) % (MAXLIST + 1);
	for (i = 0; i < n; i++)
		add_domain(&w, &f);
	n = fz_u8(&f) % (MAXLIST + 1);
	for (i = 0; i < n; i++)
		add_network(&w, &f);

	memset(&req, 0, sizeof(req));
	port = make_value(&f, known_ports, 4);
	name = make_value(&f, known_names, 4);
	req.daemon_port = port;
	req.daemon_name = name;
	req.client = make_client(&w, &f, &client);
	{
		static const char *const logins[] = { "user", "user@realm" };
		static const char *const tlsv[] = { "TLSv1.3", "TLSv1.2" };

		auth = make_value(&f, logins, 2);
		tls = make_value(&f, tlsv, 2);
	}
	req.auth = auth;
	req.tls = tls;
	rcpt = make_rcpt(&w, &f);
	req.rcpt = rcpt;
	check(&w, &req);

	free(port);
	free(name);
	free(auth);
	free(tls);
	free(rcpt);
	policy_free(w.p);
	return 0;
}
