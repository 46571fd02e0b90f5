/*
 * stats - the counters and their two texts. See stats.h.
 */
#include <stdarg.h>
#include <string.h>

#include "slog.h"
#include "stats.h"

atomic_ullong stats_decisions[STATS_LISTENERS][STATS_DECISIONS]
    [STATS_REASONS];
static atomic_ullong sessions, states_new, states_freed, messages;
static atomic_ullong internal_errors;
static atomic_ullong reloads, reload_failures, write_failures;
static time_t started;

static void
bump(atomic_ullong *c)
{
	atomic_fetch_add_explicit(c, 1, memory_order_relaxed);
}

void
stats_session(void)
{
	bump(&sessions);
}

void
stats_state_new(void)
{
	bump(&states_new);
}

void
stats_state_free(void)
{
	bump(&states_freed);
}

unsigned long long
stats_states(void)
{
	/* Freed first: a state freed between the two reads is then never
	 * counted as -1. */
	unsigned long long freed = atomic_load(&states_freed);
	unsigned long long made = atomic_load(&states_new);

	return made >= freed ? made - freed : 0;
}

void
stats_message(void)
{
	bump(&messages);
}

void
stats_internal_error(void)
{
	bump(&internal_errors);
}

void
stats_reload(bool took)
{
	bump(took ? &reloads : &reload_failures);
}

void
stats_write_failed(void)
{
	bump(&write_failures);
}

void
stats_init(time_t start)
{
	size_t l, d, r;

	started = start;
	for (l = 0; l < STATS_LISTENERS; l++)
		for (d = 0; d < STATS_DECISIONS; d++)
			for (r = 0; r < STATS_REASONS; r++)
				atomic_store(&stats_decisions[l][d][r], 0);
	atomic_store(&sessions, 0);
	atomic_store(&states_new, 0);
	atomic_store(&states_freed, 0);
	atomic_store(&messages, 0);
	atomic_store(&internal_errors, 0);
	atomic_store(&reloads, 0);
	atomic_store(&reload_failures, 0);
	atomic_store(&write_failures, 0);
}

void
stats_read(struct stats_figures *f)
{
	size_t l, d, r;

	memset(f, 0, sizeof(*f));
	f->start = started;
	/* Freed before made, as stats_states() reads them. */
	f->states_freed = atomic_load(&states_freed);
	f->states_new = atomic_load(&states_new);
	f->sessions = atomic_load(&sessions);
	f->messages = atomic_load(&messages);
	f->internal_errors = atomic_load(&internal_errors);
	f->reloads = atomic_load(&reloads);
	f->reload_failures = atomic_load(&reload_failures);
	f->lines_lost = slog_lost();
	f->write_failures = atomic_load(&write_failures);
	for (l = 0; l < STATS_LISTENERS; l++)
		for (d = 0; d < STATS_DECISIONS; d++)
			for (r = 0; r < STATS_REASONS; r++)
				f->decisions[l][d][r] =
				    atomic_load_explicit(&stats_decisions[l][d][r],
				    memory_order_relaxed);
}

/*
 * The words of a counter's indices, or NULL for an index that policy.h
 * has no word of its own for: its *_name() functions answer such a
 * value with another's word, and two samples with the same labels would
 * make the file invalid.
 */
static const char *
listener_word(size_t l)
{
	const char *w = policy_listener_name((enum listener)l);

	return l == LISTENER_SMTP || strcmp(w, "smtp") != 0 ? w : NULL;
}

static const char *
decision_word(size_t d)
{
	const char *w = policy_decision_name((enum decision)d);

	return d == DECISION_TEMPFAIL || strcmp(w, "tempfail") != 0 ? w : NULL;
}

static const char *
reason_word(size_t r)
{
	const char *w = policy_reason_name((enum reason)r);

	return r == REASON_INTERNAL_ERROR || strcmp(w, "internal_error") != 0 ?
	    w : NULL;
}

static unsigned long long
open_sessions(const struct stats_figures *f)
{
	return f->states_new >= f->states_freed ?
	    f->states_new - f->states_freed : 0;
}

/* "# HELP", "# TYPE" and one sample without labels. */
static void
metric(FILE *out, const char *name, const char *type, const char *help,
    unsigned long long v)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s %s\n%s %llu\n", name, help, name,
	    type, name, v);
}

static void
decisions(FILE *out, const struct stats_figures *f)
{
	static const char name[] = "relaywarden_decisions_total";
	const char *lw, *dw, *rw;
	size_t l, d, r;

	fprintf(out, "# HELP %s Answers to MAIL FROM and RCPT TO, by "
	    "listener, decision and reason.\n# TYPE %s counter\n", name, name);
	for (l = 0; l < STATS_LISTENERS; l++)
		for (d = 0; d < STATS_DECISIONS; d++)
			for (r = 0; r < STATS_REASONS; r++) {
				if (f->decisions[l][d][r] == 0 ||
				    (lw = listener_word(l)) == NULL ||
				    (dw = decision_word(d)) == NULL ||
				    (rw = reason_word(r)) == NULL)
					continue;
				fprintf(out, "%s{listener=\"%s\",decision=\"%s\","
				    "reason=\"%s\"} %llu\n", name, lw, dw, rw,
				    f->decisions[l][d][r]);
			}
}

bool
stats_write_prom(FILE *out, const struct stats_figures *f)
{
	metric(out, "relaywarden_start_time_seconds", "gauge", "When the "
	    "daemon started, in seconds since the Unix epoch.",
	    (unsigned long long)f->start);
	fprintf(out, "# HELP relaywarden_policy_info The policy in force: its "
	    "SHA-256 digest (the log's policy= is its first 12 digits) and "
	    "mode.\n# TYPE relaywarden_policy_info gauge\n");
	if (f->digest[0] != '\0')
		fprintf(out, "relaywarden_policy_info{digest=\"%s\",mode=\"%s\"}"
		    " 1\n", f->digest, f->mode != NULL ? f->mode : "");
	metric(out, "relaywarden_sessions_total", "counter", "Milter sessions "
	    "the MTA opened (one per SMTP session).", f->sessions);
	metric(out, "relaywarden_sessions_open", "gauge", "Milter sessions "
	    "open now that have begun a transaction (from their first MAIL "
	    "FROM on).", open_sessions(f));
	metric(out, "relaywarden_messages_total", "counter", "Messages that "
	    "reached their end (a QUEUEID line each).", f->messages);
	decisions(out, f);
	metric(out, "relaywarden_internal_errors_total", "counter", "Commands "
	    "answered 451 with no decision (no connection state, no policy, "
	    "no transaction).", f->internal_errors);
	metric(out, "relaywarden_reloads_total", "counter", "Reloads that "
	    "put a new policy in force.", f->reloads);
	metric(out, "relaywarden_reload_failures_total", "counter", "Reloads "
	    "refused (a broken file, or out of memory): the policy in force "
	    "stayed.", f->reload_failures);
	metric(out, "relaywarden_syslog_lines_lost_total", "counter", "Log "
	    "lines lost while the syslog socket could not be reached.",
	    f->lines_lost);
	metric(out, "relaywarden_stats_write_failures_total", "counter",
	    "Writes of this file that failed (said once in the log).",
	    f->write_failures);
	return !ferror(out);
}

/* Appends to a log line; a line that would be too long is cut. */
static void append(char *buf, size_t len, size_t *o, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
append(char *buf, size_t len, size_t *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*o + 1 >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *o, len - *o, fmt, ap);
	va_end(ap);
	if (n > 0)
		*o = *o + (size_t)n < len ? *o + (size_t)n : len - 1;
}

/* One listener's line: "stats: listener=smtp accept/local_domain=3 ...";
 * false when it decided nothing. */
static bool
listener_line(const struct stats_figures *f, size_t l, char *buf,
    size_t len)
{
	const char *dw, *rw;
	size_t o = 0, d, r;
	bool any = false;

	append(buf, len, &o, "stats: listener=%s", listener_word(l));
	for (d = 0; d < STATS_DECISIONS; d++)
		for (r = 0; r < STATS_REASONS; r++) {
			if (f->decisions[l][d][r] == 0 ||
			    (dw = decision_word(d)) == NULL ||
			    (rw = reason_word(r)) == NULL)
				continue;
			append(buf, len, &o, " %s/%s=%llu", dw, rw,
			    f->decisions[l][d][r]);
			any = true;
		}
	return any;
}

void
stats_log_lines(const struct stats_figures *f, stats_emit_fn *emit,
    void *arg)
{
	char line[4096], when[32] = "-";
	struct tm tm;
	size_t l;

	if (f->start > 0 && gmtime_r(&f->start, &tm) != NULL)
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(line, sizeof(line), "stats: started=%s sessions=%llu "
	    "open=%llu messages=%llu internal_errors=%llu reloads=%llu "
	    "reload_failures=%llu lines_lost=%llu stats_write_failures=%llu "
	    "policy=%.12s", when, f->sessions, open_sessions(f), f->messages,
	    f->internal_errors, f->reloads, f->reload_failures, f->lines_lost,
	    f->write_failures,
	    f->digest[0] != '\0' ? f->digest : "-");
	emit(line, arg);
	for (l = 0; l < STATS_LISTENERS; l++)
		if (listener_word(l) != NULL &&
		    listener_line(f, l, line, sizeof(line)))
			emit(line, arg);
}
