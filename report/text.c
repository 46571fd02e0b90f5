/*
 * text - the text report. See text.h.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "opts.h"
#include "text.h"
#include "timefmt.h"

#define LABEL	44	/* the width of a row's label */

static void
row(FILE *fp, const char *label, uint64_t n)
{
	fprintf(fp, "  %-*s %10" PRIu64 "\n", LABEL, label, n);
}

static void
lines(FILE *fp, const struct tally *t, const struct view *v)
{
	const struct tally_lines *l = &t->lines;
	char label[64];

	fprintf(fp, "\nLines\n");
	row(fp, "read", l->read);
	row(fp, "decisions", l->decisions);
	row(fp, "messages", l->messages);
	row(fp, "events", l->events);
	row(fp, "starts", l->starts);
	row(fp, "reloads", l->reloads);
	row(fp, "stops", l->stops);
	row(fp, "reloads refused", l->reload_refused);
	row(fp, "other relaywarden lines", l->relaywarden);
	row(fp, "other programs' lines", l->other);
	row(fp, "damaged (skipped)", l->damaged);
	row(fp, "without a time stamp (skipped)", l->undated);
	row(fp, "outside the time range (skipped)", l->out_of_range);
	snprintf(label, sizeof(label), "too long (over %d bytes, skipped)",
	    INPUT_LINE_MAX);
	row(fp, label, l->too_long);
	row(fp, "inputs not read whole", v->inputs_failed);
}

static void
by_reason(FILE *fp, const struct tally *t, const struct view *v)
{
	size_t i, j, n, r[NAMES_MAX];
	char label[64];

	fprintf(fp, "\nDecisions by reason\n");
	if (v->ndec == 0)
		fprintf(fp, "  none\n");
	for (i = 0; i < v->ndec; i++) {
		size_t d = v->dec[i];

		row(fp, t->decisions.name[d], v->dec_total[d]);
		n = view_reasons_of(t, d, r);
		for (j = 0; j < n; j++) {
			snprintf(label, sizeof(label), "  %s",
			    t->reasons.name[r[j]]);
			row(fp, label, t->by_pair[d][r[j]]);
		}
	}
}

/* A table header: the label column, "all", then each decision. */
static void
header(FILE *fp, const char *title, const struct tally *t,
    const struct view *v)
{
	size_t i;

	fprintf(fp, "\n%-*s %10s", LABEL + 2, title, "all");
	for (i = 0; i < v->ndec; i++)
		fprintf(fp, " %12s", t->decisions.name[v->dec[i]]);
	putc('\n', fp);
}

static void
by_listener(FILE *fp, const struct tally *t, const struct view *v)
{
	size_t i, j;

	header(fp, "Decisions by listener", t, v);
	if (v->nlis == 0)
		fprintf(fp, "  none\n");
	for (i = 0; i < v->nlis; i++) {
		size_t l = v->lis[i];

		fprintf(fp, "  %-*s %10" PRIu64, LABEL,
		    l == NAMES_OTHER ? "(none or other)" : t->listeners.name[l],
		    v->lis_total[l]);
		for (j = 0; j < v->ndec; j++)
			fprintf(fp, " %12" PRIu64, t->by_listener[l][v->dec[j]]);
		putc('\n', fp);
	}
}

static void
by_period(FILE *fp, const struct tally *t, const struct view *v)
{
	struct view_period p;
	char when[TIMEFMT_LEN];
	size_t i = 0, j;

	header(fp, v->daily ? "Decisions per day" : "Decisions per hour", t, v);
	if (v->nhours == 0)
		fprintf(fp, "  none\n");
	while (view_period(v, t, &i, &p)) {
		fprintf(fp, "  %-*s %10" PRIu64, LABEL, timefmt(when, p.start,
		    v->daily ? TIMEFMT_DAY : TIMEFMT_HOUR), p.total);
		for (j = 0; j < v->ndec; j++)
			fprintf(fp, " %12" PRIu64, p.by_dec[v->dec[j]]);
		putc('\n', fp);
	}
	if (t->unperiodic > 0)
		fprintf(fp, "  %" PRIu64 " decision(s) in hours past the table's "
		    "cap of %zu hours: in the totals, in no period\n",
		    t->unperiodic, periods_cap(t->periods));
}

static void
monitor(FILE *fp, const struct tally *t, const struct view *v)
{
	size_t i;

	fprintf(fp, "\nMonitor mode: refusals enforced and would-be refusals "
	    "(decision=would_*), by reason\n");
	if (v->would == 0) {
		fprintf(fp, "  no decision in monitor mode\n");
		return;
	}
	fprintf(fp, "  %-*s %10s %10s\n", LABEL - 11, "reason", "enforced",
	    "would");
	for (i = 0; i < v->nreason; i++) {
		size_t r = v->reason[i];
		uint64_t enforced, would;

		view_refusals_of(t, r, &enforced, &would);
		if (enforced + would > 0)
			fprintf(fp, "  %-*s %10" PRIu64 " %10" PRIu64 "\n",
			    LABEL - 11, t->reasons.name[r], enforced, would);
	}
	fprintf(fp, "  enforcing would refuse %" PRIu64 " more: %" PRIu64
	    " rejected (5xx), %" PRIu64 " deferred (4xx)\n", v->would,
	    v->would_reject, v->would_tempfail);
}

/* Rows of a top table with a count of at least min. */
static bool
top_rows(FILE *fp, const struct topn *tab, size_t n, uint64_t min)
{
	struct topn_row *rows;
	size_t i, got;

	if (n == 0)
		return true;
	if ((rows = calloc(n, sizeof(*rows))) == NULL)
		return false;
	got = topn_rows(tab, rows, n);
	for (i = 0; i < got && rows[i].count >= min; i++) {
		fprintf(fp, "    %10" PRIu64 "  %s", rows[i].count, rows[i].key);
		if (rows[i].error > 0)
			fprintf(fp, "  (over by %" PRIu64 " at most)",
			    rows[i].error);
		putc('\n', fp);
	}
	if (i == 0)
		fprintf(fp, "    none\n");
	if (topn_evicted(tab) > 0)
		fprintf(fp, "    (the table holds %zu keys: %" PRIu64
		    " evicted; a count may be over by the error shown)\n",
		    topn_cap(tab), topn_evicted(tab));
	free(rows);
	return true;
}

static bool
tops(FILE *fp, const struct tally *t, const struct view *v)
{
	static const struct {
		enum tally_top which;
		const char *what;
	} tabs[] = {
		{ TOP_CLIENTS, "clients" },
		{ TOP_LOGINS, "logins" },
		{ TOP_SENDERS, "senders" },
		{ TOP_DOMAINS, "recipient domains" },
	};
	size_t i;

	for (i = 0; i < sizeof(tabs) / sizeof(tabs[0]); i++) {
		fprintf(fp, "\nTop %zu %s refused (or that would be, in monitor "
		    "mode)\n", v->top_rows, tabs[i].what);
		if (!top_rows(fp, t->top[tabs[i].which], v->top_rows, 1))
			return false;
	}
	return true;
}

static bool
worth(FILE *fp, const struct tally *t, const struct view *v)
{
	const struct topn *relay = t->top[TOP_RELAY_CLIENTS];
	size_t e;

	fprintf(fp, "\nWorth a look\n");
	row(fp, "relay_denied refusals", view_reason_total(v, t, "relay_denied"));
	if (topn_total(relay) > 0) {
		fprintf(fp, "    Postfix's own restrictions let these relay "
		    "attempts through; relaywarden refused\n    them. Clients:\n");
		if (!top_rows(fp, relay, v->top_rows, 1))
			return false;
	}
	row(fp, "tls_required refusals with a login",
	    topn_total(t->top[TOP_TLS_LOGINS]));
	fprintf(fp, "    logins refused %" PRIu64 " times or more for want of "
	    "TLS:\n", v->guesses);
	if (!top_rows(fp, t->top[TOP_TLS_LOGINS], v->top_rows, v->guesses))
		return false;
	row(fp, "auth_required refusals", view_reason_total(v, t, "auth_required"));
	fprintf(fp, "    clients refused %" PRIu64 " times or more for want of "
	    "authentication:\n", v->guesses);
	if (!top_rows(fp, t->top[TOP_AUTH_CLIENTS], v->top_rows, v->guesses))
		return false;
	row(fp, "sender_not_owned refusals",
	    view_reason_total(v, t, "sender_not_owned"));
	fprintf(fp, "    logins refused %" PRIu64 " times or more for senders "
	    "they do not own (a stolen password?):\n", v->guesses);
	if (!top_rows(fp, t->top[TOP_SENDER_LOGINS], v->top_rows, v->guesses))
		return false;
	e = names_find(&t->events, "limit_exceeded");
	row(fp, "limit trips (event=limit_exceeded)",
	    e == (size_t)-1 ? 0 : t->by_event[e]);
	if (topn_total(t->top[TOP_LIMIT_CLIENTS]) > 0 &&
	    !top_rows(fp, t->top[TOP_LIMIT_CLIENTS], v->top_rows, 1))
		return false;
	row(fp, "held (decision=hold)", v->held);
	row(fp, "internal errors (reason=internal_error)",
	    view_reason_total(v, t, "internal_error"));
	row(fp, "unknown listeners (reason=unknown_listener)",
	    view_reason_total(v, t, "unknown_listener"));
	row(fp, "reloads refused", t->lines.reload_refused);
	row(fp, "lines relaywarden could not log", t->lost);
	return true;
}

static void
policies(FILE *fp, struct tally *t)
{
	const struct policy_row *p;
	char a[TIMEFMT_LEN], b[TIMEFMT_LEN];
	size_t i, n;

	p = policies_rows(t->policies, t->last, &n);
	fprintf(fp, "\nPolicies\n");
	if (n == 0)
		fprintf(fp, "  none\n");
	for (i = 0; i < n; i++) {
		fprintf(fp, "  sha256=%s%s%s%s\n", p[i].digest,
		    strlen(p[i].digest) < 64 ? "... (no start or reload line)" :
		    "", p[i].mode[0] != '\0' ? " mode=" : "", p[i].mode);
		fprintf(fp, "    starts %" PRIu64 ", reloads %" PRIu64
		    ", decisions %" PRIu64 "\n", p[i].starts, p[i].reloads,
		    p[i].decisions);
		if (p[i].spans > 0)
			fprintf(fp, "    in force %" PRId64 " s, %" PRIu64
			    " time(s), from %s to %s\n", p[i].seconds,
			    p[i].spans, timefmt(a, p[i].from, TIMEFMT_TEXT),
			    timefmt(b, p[i].to, TIMEFMT_TEXT));
		if (p[i].decisions > 0)
			fprintf(fp, "    decisions from %s to %s\n",
			    timefmt(a, p[i].first_decision, TIMEFMT_TEXT),
			    timefmt(b, p[i].last_decision, TIMEFMT_TEXT));
	}
	if (policies_more(t->policies) > 0)
		fprintf(fp, "  %" PRIu64 " line(s) of more policies than the "
		    "table holds (%d)\n", policies_more(t->policies),
		    POLICIES_MAX);
	if (policies_events_dropped(t->policies) > 0)
		fprintf(fp, "  %" PRIu64 " start, reload or stop line(s) past "
		    "the %d the table holds: left out of the times in force\n",
		    policies_events_dropped(t->policies), POLICIES_EVENTS);
}

bool
text_write(FILE *fp, struct tally *t, const struct view *v)
{
	char a[TIMEFMT_LEN], b[TIMEFMT_LEN];

	fprintf(fp, "relaywarden-report %s: %zu input(s), times in %s\n",
	    RW_VERSION, v->inputs, timefmt(a, t->have_time ? t->first : 0,
	    TIMEFMT_ZONE));
	if (t->opt.has_start || t->opt.has_end)
		fprintf(fp, "Range: %s to %s (end excluded)\n",
		    t->opt.has_start ? timefmt(a, t->opt.start, TIMEFMT_TEXT) :
		    "the start", t->opt.has_end ? timefmt(b, t->opt.end,
		    TIMEFMT_TEXT) : "the end");
	else
		fprintf(fp, "Range: all lines\n");
	if (t->have_time)
		fprintf(fp, "Seen: %s to %s\n", timefmt(a, t->first,
		    TIMEFMT_TEXT), timefmt(b, t->last, TIMEFMT_TEXT));
	else
		fprintf(fp, "Seen: no line of relaywarden's in range\n");
	lines(fp, t, v);
	by_reason(fp, t, v);
	by_listener(fp, t, v);
	by_period(fp, t, v);
	monitor(fp, t, v);
	if (!tops(fp, t, v) || !worth(fp, t, v))
		return false;
	policies(fp, t);
	return true;
}
