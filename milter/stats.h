/*
 * stats - the daemon's counters, for monitoring: milter sessions,
 * messages, decisions by listener, decision and reason, answers given
 * without a decision, reloads and refused reloads; with the syslog
 * writer's count of lost lines, the start time and the policy in force,
 * they are written as the Prometheus text exposition format
 * (stats_write_prom(), for node-exporter's textfile collector) and as a
 * few log lines (stats_log_lines(), on SIGUSR2).
 *
 * Counters are C11 atomics added to with relaxed order: a count orders
 * nothing, and an increment is one locked instruction, cheap on the
 * decision path. They live as long as the process: a reload does not
 * touch them. A figure read while callbacks run may be one behind.
 *
 * No label is ever a client's value: listener, decision and reason are
 * relaywarden's own words, the digest hex; no login, sender or address.
 *
 * Threads: stats_init() once before any thread starts; everything else
 * from any thread. stats_write_prom() and stats_log_lines() are pure (no
 * clock, no I/O but their output).
 */
#ifndef RW_STATS_H
#define RW_STATS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "policy.h"

/* Room for every enum value of policy.h, with a margin for values to
 * come (a value past it is not counted, never written out of bounds). */
#define STATS_LISTENERS	4
#define STATS_DECISIONS	8
#define STATS_REASONS	48
_Static_assert(LISTENER_SUBMISSION < STATS_LISTENERS &&
    DECISION_WOULD_HOLD < STATS_DECISIONS &&
    REASON_LIMIT_STORE_DOWN < STATS_REASONS,
    "every listener, decision and reason has a counter");

extern atomic_ullong stats_decisions[STATS_LISTENERS][STATS_DECISIONS]
    [STATS_REASONS];

/* One answer of policy_eval()'s, at MAIL FROM or RCPT TO. */
static inline void
stats_decision(enum listener l, enum decision d, enum reason r)
{
	if ((unsigned)l < STATS_LISTENERS && (unsigned)d < STATS_DECISIONS &&
	    (unsigned)r < STATS_REASONS)
		atomic_fetch_add_explicit(&stats_decisions[l][d][r], 1,
		    memory_order_relaxed);
}

/* What the counters count, each called once per event. */
void	stats_session(void);		/* the MTA opened a milter session */
/* A session's state (glue.c), from its first MAIL FROM to its close:
 * the sessions open that the open gauge and a stop count. (libmilter
 * calls close for a connection that never negotiated, too: a probe, a
 * port scan; so the gauge is not made of negotiations and closes.) */
void	stats_state_new(void);
void	stats_state_free(void);
unsigned long long stats_states(void);	/* held now */
void	stats_message(void);		/* a message reached its end */
void	stats_internal_error(void);	/* a 451 without a decision */
void	stats_reload(bool took);	/* a reload, taken or refused */
void	stats_write_failed(void);	/* stats_file could not be written */

/* Sets the start time (and every counter to 0, for tests). */
void	stats_init(time_t start);

/* The figures at one moment. */
struct stats_figures {
	time_t		start;
	unsigned long long sessions, states_new, states_freed, messages;
	unsigned long long internal_errors, reloads, reload_failures;
	unsigned long long lines_lost, write_failures;
	unsigned long long decisions[STATS_LISTENERS][STATS_DECISIONS]
	    [STATS_REASONS];
	/* The policy in force ("" when none): set by the caller. */
	char		digest[65];
	const char	*mode;		/* "enforce", "monitor" or NULL */
};

/* Reads every counter (and slog_lost()) into f; digest and mode empty. */
void	stats_read(struct stats_figures *f);

/* Writes f in the Prometheus text exposition format (0.0.4): HELP and
 * TYPE lines, then the samples; decisions only where counted. False
 * when out reports an error. */
bool	stats_write_prom(FILE *out, const struct stats_figures *f);

/* The figures as a few log lines ("stats: ..."), each handed to
 * emit(line, arg): one with the totals, one per listener that decided. */
typedef void stats_emit_fn(const char *line, void *arg);
void	stats_log_lines(const struct stats_figures *f, stats_emit_fn *emit,
	    void *arg);

#endif
