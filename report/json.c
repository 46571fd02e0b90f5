/*
 * json - the JSON report. See json.h.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "json.h"
#include "quote.h"
#include "timefmt.h"

static void
str(FILE *fp, const char *s)
{
	quote_json(fp, s, strlen(s));
}

/* An ISO time, or null. */
static void
when(FILE *fp, bool known, time_t t)
{
	char buf[TIMEFMT_LEN];

	if (known)
		str(fp, timefmt(buf, t, TIMEFMT_ISO));
	else
		fputs("null", fp);
}

/* "key": n */
static void
num(FILE *fp, const char *key, uint64_t n, bool last)
{
	str(fp, key);
	fprintf(fp, ": %" PRIu64 "%s", n, last ? "" : ", ");
}

static void
lines(FILE *fp, const struct tally *t)
{
	const struct tally_lines *l = &t->lines;

	fputs("\"lines\": {", fp);
	num(fp, "read", l->read, false);
	num(fp, "decisions", l->decisions, false);
	num(fp, "messages", l->messages, false);
	num(fp, "events", l->events, false);
	num(fp, "starts", l->starts, false);
	num(fp, "reloads", l->reloads, false);
	num(fp, "stops", l->stops, false);
	num(fp, "reloads_refused", l->reload_refused, false);
	num(fp, "relaywarden_other", l->relaywarden, false);
	num(fp, "other_programs", l->other, false);
	num(fp, "damaged", l->damaged, false);
	num(fp, "undated", l->undated, false);
	num(fp, "out_of_range", l->out_of_range, false);
	num(fp, "too_long", l->too_long, true);
	fputs("},\n", fp);
}

static void
decisions(FILE *fp, const struct tally *t, const struct view *v)
{
	size_t i, j, n, r[NAMES_MAX];

	fputs("\"decisions\": [", fp);
	for (i = 0; i < v->ndec; i++) {
		size_t d = v->dec[i];

		fputs(i > 0 ? ",\n  {" : "\n  {", fp);
		fputs("\"decision\": ", fp);
		str(fp, t->decisions.name[d]);
		fputs(", ", fp);
		num(fp, "count", v->dec_total[d], false);
		fputs("\"reasons\": [", fp);
		n = view_reasons_of(t, d, r);
		for (j = 0; j < n; j++) {
			fputs(j > 0 ? ", {\"reason\": " : "{\"reason\": ", fp);
			str(fp, t->reasons.name[r[j]]);
			fprintf(fp, ", \"count\": %" PRIu64 "}",
			    t->by_pair[d][r[j]]);
		}
		fputs("]}", fp);
	}
	fputs("],\n", fp);
}

/* {"accept": n, ...} over the decisions shown, from counts by index. */
static void
by_decision(FILE *fp, const struct tally *t, const struct view *v,
    const uint64_t *counts)
{
	size_t i;

	putc('{', fp);
	for (i = 0; i < v->ndec; i++)
		num(fp, t->decisions.name[v->dec[i]], counts[v->dec[i]],
		    i + 1 == v->ndec);
	putc('}', fp);
}

static void
listeners(FILE *fp, const struct tally *t, const struct view *v)
{
	size_t i;

	fputs("\"listeners\": [", fp);
	for (i = 0; i < v->nlis; i++) {
		size_t l = v->lis[i];

		fputs(i > 0 ? ",\n  {\"listener\": " : "\n  {\"listener\": ", fp);
		if (l == NAMES_OTHER)
			fputs("null", fp);
		else
			str(fp, t->listeners.name[l]);
		fprintf(fp, ", \"count\": %" PRIu64 ", \"decisions\": ",
		    v->lis_total[l]);
		by_decision(fp, t, v, t->by_listener[l]);
		putc('}', fp);
	}
	fputs("],\n", fp);
}

static void
periods(FILE *fp, const struct tally *t, const struct view *v)
{
	struct view_period p;
	size_t i = 0, j, k = 0;

	fprintf(fp, "\"periods\": {\"unit\": \"%s\", \"cap_hours\": %zu, "
	    "\"not_in_a_period\": %" PRIu64 ", \"rows\": [",
	    v->daily ? "day" : "hour", periods_cap(t->periods), t->unperiodic);
	while (view_period(v, t, &i, &p)) {
		fputs(k++ > 0 ? ",\n  {\"start\": " : "\n  {\"start\": ", fp);
		when(fp, true, p.start);
		fprintf(fp, ", \"count\": %" PRIu64 ", \"decisions\": ", p.total);
		by_decision(fp, t, v, p.by_dec);
		fputs(", \"reasons\": {", fp);
		for (j = 0; j < v->nreason; j++)
			num(fp, t->reasons.name[v->reason[j]],
			    p.by_reason[v->reason[j]], j + 1 == v->nreason);
		fputs("}}", fp);
	}
	fputs("]},\n", fp);
}

static void
monitor(FILE *fp, const struct tally *t, const struct view *v)
{
	size_t i, k = 0;

	fputs("\"monitor\": {", fp);
	num(fp, "would", v->would, false);
	num(fp, "would_reject", v->would_reject, false);
	num(fp, "would_tempfail", v->would_tempfail, false);
	fputs("\"by_reason\": [", fp);
	for (i = 0; i < v->nreason; i++) {
		size_t r = v->reason[i];
		uint64_t enforced, would;

		view_refusals_of(t, r, &enforced, &would);
		if (enforced + would == 0)
			continue;
		fputs(k++ > 0 ? ", {\"reason\": " : "{\"reason\": ", fp);
		str(fp, t->reasons.name[r]);
		fprintf(fp, ", \"enforced\": %" PRIu64 ", \"would\": %" PRIu64
		    "}", enforced, would);
	}
	fputs("]},\n", fp);
}

/* {"cap": .., "keys": .., "evicted": .., "total": .., "rows": [...]}, the
 * rows with a count of at least min. */
static bool
table(FILE *fp, const struct topn *tab, size_t n, uint64_t min)
{
	struct topn_row *rows = NULL;
	size_t i, got = 0;

	if (n > 0 && (rows = calloc(n, sizeof(*rows))) == NULL)
		return false;
	if (n > 0)
		got = topn_rows(tab, rows, n);
	fprintf(fp, "{\"cap\": %zu, \"keys\": %zu, \"evicted\": %" PRIu64
	    ", \"total\": %" PRIu64 ", \"rows\": [", topn_cap(tab),
	    topn_size(tab), topn_evicted(tab), topn_total(tab));
	for (i = 0; i < got && rows[i].count >= min; i++) {
		fputs(i > 0 ? ", {\"key\": " : "{\"key\": ", fp);
		quote_json(fp, rows[i].key, rows[i].len);
		fprintf(fp, ", \"count\": %" PRIu64 ", \"error\": %" PRIu64 "}",
		    rows[i].count, rows[i].error);
	}
	fputs("]}", fp);
	free(rows);
	return true;
}

static bool
tops(FILE *fp, const struct tally *t, const struct view *v)
{
	bool ok = true;

	fputs("\"top\": {\n  \"clients\": ", fp);
	ok &= table(fp, t->top[TOP_CLIENTS], v->top_rows, 1);
	fputs(",\n  \"logins\": ", fp);
	ok &= table(fp, t->top[TOP_LOGINS], v->top_rows, 1);
	fputs(",\n  \"senders\": ", fp);
	ok &= table(fp, t->top[TOP_SENDERS], v->top_rows, 1);
	fputs(",\n  \"recipient_domains\": ", fp);
	ok &= table(fp, t->top[TOP_DOMAINS], v->top_rows, 1);
	fputs("},\n", fp);
	return ok;
}

static bool
worth(FILE *fp, const struct tally *t, const struct view *v)
{
	size_t e = names_find(&t->events, "limit_exceeded");
	bool ok = true;

	fputs("\"worth_a_look\": {\n  ", fp);
	num(fp, "relay_denied", view_reason_total(v, t, "relay_denied"), false);
	fputs("\"relay_denied_clients\": ", fp);
	ok &= table(fp, t->top[TOP_RELAY_CLIENTS], v->top_rows, 1);
	fputs(",\n  ", fp);
	num(fp, "guesses", v->guesses, false);
	num(fp, "tls_required_with_login", topn_total(t->top[TOP_TLS_LOGINS]),
	    false);
	fputs("\"tls_logins\": ", fp);
	ok &= table(fp, t->top[TOP_TLS_LOGINS], v->top_rows, v->guesses);
	fputs(",\n  ", fp);
	num(fp, "auth_required", view_reason_total(v, t, "auth_required"), false);
	fputs("\"auth_clients\": ", fp);
	ok &= table(fp, t->top[TOP_AUTH_CLIENTS], v->top_rows, v->guesses);
	fputs(",\n  ", fp);
	num(fp, "sender_not_owned", view_reason_total(v, t, "sender_not_owned"),
	    false);
	fputs("\"sender_logins\": ", fp);
	ok &= table(fp, t->top[TOP_SENDER_LOGINS], v->top_rows, v->guesses);
	fputs(",\n  ", fp);
	num(fp, "limit_exceeded", e == (size_t)-1 ? 0 : t->by_event[e], false);
	fputs("\"limit_clients\": ", fp);
	ok &= table(fp, t->top[TOP_LIMIT_CLIENTS], v->top_rows, 1);
	fputs(",\n  ", fp);
	num(fp, "held", v->held, false);
	num(fp, "internal_error", view_reason_total(v, t, "internal_error"), false);
	num(fp, "unknown_listener", view_reason_total(v, t, "unknown_listener"),
	    false);
	num(fp, "reloads_refused", t->lines.reload_refused, false);
	num(fp, "lines_lost", t->lost, true);
	fputs("},\n", fp);
	return ok;
}

static void
events(FILE *fp, const struct tally *t)
{
	size_t i;
	bool first = true;

	fputs("\"events\": {", fp);
	for (i = 0; i < t->events.n; i++) {
		if (t->by_event[i] == 0)
			continue;
		if (!first)
			fputs(", ", fp);
		first = false;
		str(fp, t->events.name[i]);
		fprintf(fp, ": %" PRIu64, t->by_event[i]);
	}
	fputs("},\n", fp);
}

static void
policies(FILE *fp, struct tally *t)
{
	const struct policy_row *p;
	size_t i, n;

	p = policies_rows(t->policies, t->last, &n);
	fprintf(fp, "\"policies\": {\"more\": %" PRIu64 ", \"events_dropped\": %"
	    PRIu64 ", \"rows\": [", policies_more(t->policies),
	    policies_events_dropped(t->policies));
	for (i = 0; i < n; i++) {
		fputs(i > 0 ? ",\n  {\"sha256\": " : "\n  {\"sha256\": ", fp);
		str(fp, p[i].digest);
		fprintf(fp, ", \"complete\": %s, \"mode\": ",
		    strlen(p[i].digest) == 64 ? "true" : "false");
		if (p[i].mode[0] != '\0')
			str(fp, p[i].mode);
		else
			fputs("null", fp);
		fputs(", ", fp);
		num(fp, "starts", p[i].starts, false);
		num(fp, "reloads", p[i].reloads, false);
		num(fp, "decisions", p[i].decisions, false);
		fprintf(fp, "\"in_force_seconds\": %" PRId64 ", ", p[i].seconds);
		num(fp, "spans", p[i].spans, false);
		fputs("\"from\": ", fp);
		when(fp, p[i].spans > 0, p[i].from);
		fputs(", \"to\": ", fp);
		when(fp, p[i].spans > 0, p[i].to);
		fputs(", \"first_decision\": ", fp);
		when(fp, p[i].decisions > 0, p[i].first_decision);
		fputs(", \"last_decision\": ", fp);
		when(fp, p[i].decisions > 0, p[i].last_decision);
		putc('}', fp);
	}
	fputs("]}\n", fp);
}

bool
json_write(FILE *fp, struct tally *t, const struct view *v)
{
	bool ok = true;

	fprintf(fp, "{\"report\": \"relaywarden-report\", \"version\": \"%s\", "
	    "\"schema\": %d,\n", RW_VERSION, JSON_SCHEMA);
	fprintf(fp, "\"inputs\": %zu, \"inputs_not_read_whole\": %zu, "
	    "\"line_max\": %d, \"ident\": ", v->inputs, v->inputs_failed,
	    INPUT_LINE_MAX);
	str(fp, t->opt.ident);
	fputs(",\n\"range\": {\"start\": ", fp);
	when(fp, t->opt.has_start, t->opt.start);
	fputs(", \"end\": ", fp);
	when(fp, t->opt.has_end, t->opt.end);
	fputs("},\n\"seen\": {\"first\": ", fp);
	when(fp, t->have_time, t->first);
	fputs(", \"last\": ", fp);
	when(fp, t->have_time, t->last);
	fputs("},\n", fp);
	lines(fp, t);
	decisions(fp, t, v);
	listeners(fp, t, v);
	periods(fp, t, v);
	monitor(fp, t, v);
	ok &= tops(fp, t, v);
	ok &= worth(fp, t, v);
	events(fp, t);
	policies(fp, t);
	fputs("}\n", fp);
	return ok;
}
