/*
 * tally - the counts of relaywarden-report. See tally.h.
 */
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "logline.h"
#include "tally.h"

struct tally *
tally_new(const struct tally_opts *opts)
{
	struct tally *t = calloc(1, sizeof(*t));
	uint64_t seed[2];
	size_t i;

	if (t == NULL)
		return NULL;
	t->opt = *opts;
	t->ident_len = strlen(opts->ident);
	names_init(&t->decisions, NAMES_MAX);
	names_init(&t->reasons, NAMES_MAX);
	names_init(&t->listeners, 9);
	names_init(&t->events, 17);
	t->npairs = 1;		/* series 0: "(other)" */
	hash_seed(seed);
	t->periods = periods_new(opts->hours);
	t->policies = policies_new();
	for (i = 0; i < TOP_N; i++)
		t->top[i] = topn_new(opts->cap, seed);
	if (t->periods == NULL || t->policies == NULL) {
		tally_free(t);
		return NULL;
	}
	for (i = 0; i < TOP_N; i++)
		if (t->top[i] == NULL) {
			tally_free(t);
			return NULL;
		}
	return t;
}

void
tally_free(struct tally *t)
{
	size_t i;

	if (t == NULL)
		return;
	periods_free(t->periods);
	policies_free(t->policies);
	for (i = 0; i < TOP_N; i++)
		topn_free(t->top[i]);
	free(t);
}

void
tally_too_long(struct tally *t)
{
	t->lines.read++;
	t->lines.too_long++;
}

static bool
is(struct ll_str v, const char *lit)
{
	size_t n = strlen(lit);

	return v.n == n && memcmp(v.p, lit, n) == 0;
}

static bool
dash(struct ll_str v)
{
	return v.p == NULL || (v.n == 1 && v.p[0] == '-');
}

bool
tally_refusal(const struct tally *t, size_t d)
{
	const char *w = t->decisions.name[d];

	return d != NAMES_OTHER && (strcmp(w, "reject") == 0 ||
	    strcmp(w, "tempfail") == 0 || strncmp(w, "would_", 6) == 0);
}

/* The series of a decision and reason for the period table. */
static unsigned
series(struct tally *t, size_t d, size_t r)
{
	unsigned char *id = &t->pair_id[d][r];

	if (*id == 0 && t->npairs < PERIODS_SERIES) {
		*id = (unsigned char)t->npairs;
		t->pair_dec[t->npairs] = (unsigned char)d;
		t->pair_reason[t->npairs] = (unsigned char)r;
		t->npairs++;
	}
	return *id;
}

/* The domain of a recipient as logged ("<user@Example.org>"), lower case,
 * into buf (at least 512 bytes); 0 when it has none. Escapes stay as
 * they are: relaywarden writes their hex digits in lower case. */
static size_t
rcpt_domain(struct ll_str rcpt, char *buf)
{
	const char *p = rcpt.p, *end = rcpt.p + rcpt.n, *at = NULL, *s;
	size_t n = 0;

	if (p < end && *p == '<')
		p++;
	if (end > p && end[-1] == '>')
		end--;
	for (s = p; s < end; s++)
		if (*s == '@')
			at = s;
	if (at == NULL)
		return 0;
	for (s = at + 1; s < end && n < 511; s++)
		buf[n++] = (*s >= 'A' && *s <= 'Z') ? (char)(*s - 'A' + 'a') : *s;
	return n;
}

static bool
add(struct tally *t, enum tally_top which, struct ll_str v)
{
	if (dash(v))
		return true;
	return topn_add(t->top[which], v.p, v.n);
}

static bool
decision(struct tally *t, const struct logline *l, time_t when)
{
	size_t d = names_index(&t->decisions, l->decision.p, l->decision.n);
	size_t r = names_index(&t->reasons, l->reason.p, l->reason.n);
	size_t li = dash(l->listener) ? NAMES_OTHER :
	    names_index(&t->listeners, l->listener.p, l->listener.n);
	char dom[512];
	size_t dn;
	bool ok = true;

	t->lines.decisions++;
	t->by_pair[d][r]++;
	t->by_listener[li][d]++;
	if (!periods_add(t->periods, when >= 0 ? when / 3600 :
	    (when - 3599) / 3600, series(t, d, r)))
		t->unperiodic++;
	policies_decision(t->policies, when, l->policy.p);
	if (d != NAMES_OTHER && strncmp(t->decisions.name[d], "would_", 6) == 0)
		t->would[r][l->code.p != NULL && l->code.p[0] == '4']++;
	if (tally_refusal(t, d)) {
		ok &= add(t, TOP_CLIENTS, l->client);
		ok &= add(t, TOP_LOGINS, l->auth);
		ok &= add(t, TOP_SENDERS, l->from);
		if (!dash(l->rcpt) && (dn = rcpt_domain(l->rcpt, dom)) > 0)
			ok &= topn_add(t->top[TOP_DOMAINS], dom, dn);
	}
	if (is(l->reason, "relay_denied"))
		ok &= add(t, TOP_RELAY_CLIENTS, l->client);
	else if (is(l->reason, "tls_required"))
		ok &= add(t, TOP_TLS_LOGINS, l->auth);
	else if (is(l->reason, "auth_required"))
		ok &= add(t, TOP_AUTH_CLIENTS, l->client);
	else if (is(l->reason, "sender_not_owned"))
		ok &= add(t, TOP_SENDER_LOGINS, l->auth);
	return ok;
}

static bool
event(struct tally *t, const struct logline *l)
{
	t->lines.events++;
	t->by_event[names_index(&t->events, l->event.p, l->event.n)]++;
	if (is(l->event, "limit_exceeded"))
		return topn_add(t->top[TOP_LIMIT_CLIENTS],
		    dash(l->client) ? "-" : l->client.p,
		    dash(l->client) ? 1 : l->client.n);
	return true;
}

/* A start or a reload: the policy it put in force. */
static void
policy_line(struct tally *t, const struct logline *l, time_t when)
{
	char digest[65];

	if (l->kind == LL_START)
		t->lines.starts++;
	else
		t->lines.reloads++;
	memcpy(digest, l->digest.p, 64);
	digest[64] = '\0';
	policies_event(t->policies, when, l->kind == LL_START ?
	    POLICY_START : POLICY_RELOAD, digest, l->mode.p, l->mode.n);
}

bool
tally_line(struct tally *t, const char *line, size_t len)
{
	struct logline l;
	time_t when;

	t->lines.read++;
	switch (logline_parse(line, len, t->opt.ident, t->ident_len, &l)) {
	case LL_DAMAGED:
		t->lines.damaged++;
		return true;
	case LL_UNDATED:
		t->lines.undated++;
		return true;
	default:
		break;
	}
	if ((when = stamp_time(&l.stamp, &t->opt.year, &t->cache)) ==
	    (time_t)-1) {
		t->lines.damaged++;
		return true;
	}
	if ((t->opt.has_start && when < t->opt.start) ||
	    (t->opt.has_end && when >= t->opt.end)) {
		t->lines.out_of_range++;
		return true;
	}
	if (l.kind == LL_OTHER) {
		t->lines.other++;
		return true;
	}
	if (!t->have_time || when < t->first)
		t->first = when;
	if (!t->have_time || when > t->last)
		t->last = when;
	t->have_time = true;
	switch (l.kind) {
	case LL_DECISION:
		return decision(t, &l, when);
	case LL_EVENT:
		return event(t, &l);
	case LL_MESSAGE:
		t->lines.messages++;
		return true;
	case LL_START:
	case LL_RELOAD:
		policy_line(t, &l, when);
		return true;
	case LL_STOP:
		t->lines.stops++;
		policies_event(t->policies, when, POLICY_STOP, NULL, NULL, 0);
		return true;
	case LL_RELOAD_REFUSED:
		t->lines.reload_refused++;
		return true;
	case LL_LOST:
		t->lost += l.lost;
		t->lines.relaywarden++;
		return true;
	default:
		t->lines.relaywarden++;
		return true;
	}
}
