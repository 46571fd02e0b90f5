/*
 * policies - the policy digests a log shows, and when each was in force.
 *
 * A start or a reload line carries the whole SHA-256 digest of the
 * configuration; each decision line its first 12 hex digits. A policy is
 * in force from its start or reload line to the next start, reload or
 * stop line, or, for the last one, to the last line of the log in range.
 * Lines may come in any order (several files): the events are sorted at
 * the end.
 *
 * Bounded: at most POLICIES_MAX digests (decisions of others are counted
 * in policies_more()) and POLICIES_EVENTS start, reload and stop lines
 * (later ones are counted and left out of the times in force).
 *
 * Memory: owned by the table, freed by policies_free(). One thread.
 */
#ifndef RW_REPORT_POLICIES_H
#define RW_REPORT_POLICIES_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define POLICIES_MAX	64
#define POLICIES_EVENTS	65536

enum policy_event { POLICY_START, POLICY_RELOAD, POLICY_STOP };

struct policy_row {
	char	digest[65];	/* all 64 hex digits, or the 12 of decisions */
	char	mode[33];	/* from its start or reload line, or "" */
	uint64_t starts, reloads, decisions;
	time_t	first_decision, last_decision;	/* when decisions > 0 */
	time_t	from, to;	/* first and last moment in force */
	int64_t	seconds;	/* in force, in all */
	uint64_t spans;		/* how many times it came into force */
};

struct policies;

struct policies *policies_new(void);
void	policies_free(struct policies *p);

/* A start or reload line (digest: 64 hex; mode may be NULL), or a stop
 * (digest NULL), at t. */
void	policies_event(struct policies *p, time_t t, enum policy_event e,
	    const char *digest, const char *mode, size_t mode_len);

/* A decision at t by the policy whose digest starts with short12. */
void	policies_decision(struct policies *p, time_t t, const char *short12);

/*
 * Works out the times in force, with last as the end of the log, and
 * returns the rows, first in force first (those never seen in force by
 * their first decision); *n is set. Valid until policies_free().
 */
const struct policy_row *policies_rows(struct policies *p, time_t last,
	    size_t *n);

/* Decisions of digests past POLICIES_MAX; events past POLICIES_EVENTS. */
uint64_t policies_more(const struct policies *p);
uint64_t policies_events_dropped(const struct policies *p);

#endif
