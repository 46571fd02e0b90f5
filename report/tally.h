/*
 * tally - what relaywarden-report counts: every line is handed to
 * tally_line(), which parses it (logline.h) and adds it to the counts
 * below, read by the outputs (text.h, json.h, svg.h) once the input is
 * done.
 *
 * Memory: bounded whatever the input. The counts by decision, reason and
 * listener are fixed arrays (names.h); the top tables hold at most
 * opts.cap keys each (topn.h: Space-Saving at the cap); the periods at
 * most opts.hours hours (periods.h); the policies POLICIES_MAX digests
 * (policies.h). The tally owns them all; tally_free() frees them. One
 * thread.
 */
#ifndef RW_REPORT_TALLY_H
#define RW_REPORT_TALLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "names.h"
#include "periods.h"
#include "policies.h"
#include "stamp.h"
#include "topn.h"

struct tally_opts {
	const char *ident;	/* the syslog tag: "relaywarden" */
	bool	has_start, has_end;
	time_t	start, end;	/* lines at or after start, before end */
	struct stamp_year year;	/* how classic stamps are dated */
	size_t	cap;		/* keys of each top table */
	size_t	hours;		/* hours of the period table */
};

/* The top tables. Refusals are reject, tempfail and would_* decisions:
 * what relaywarden refused, or would refuse in monitor mode. */
enum tally_top {
	TOP_CLIENTS,		/* refusals by client */
	TOP_LOGINS,		/* refusals by SASL login (auth=) */
	TOP_SENDERS,		/* refusals by sender (from=) */
	TOP_DOMAINS,		/* refusals by recipient domain (lower case) */
	TOP_RELAY_CLIENTS,	/* reason=relay_denied, by client */
	TOP_TLS_LOGINS,		/* reason=tls_required with a login, by login */
	TOP_AUTH_CLIENTS,	/* reason=auth_required, by client */
	TOP_LIMIT_CLIENTS,	/* event=limit_exceeded, by client */
	TOP_SENDER_LOGINS,	/* reason=sender_not_owned, by login */
	TOP_N
};

/* Lines by what they are; read is their sum. */
struct tally_lines {
	uint64_t read;
	uint64_t decisions, messages, events, starts, reloads, stops;
	uint64_t reload_refused;
	uint64_t relaywarden;	/* relaywarden's other lines */
	uint64_t other;		/* other programs' lines */
	uint64_t undated;	/* relaywarden's tag with no time stamp */
	uint64_t damaged;	/* no stamp, no such date, a broken decision */
	uint64_t out_of_range;	/* dated outside -s/-e */
	uint64_t too_long;	/* over the longest line read (input.h) */
};

struct tally {
	struct tally_opts opt;
	struct tally_lines lines;
	uint64_t lost;		/* lines relaywarden said it lost */
	struct names decisions, reasons, listeners, events;
	uint64_t by_pair[NAMES_MAX][NAMES_MAX];		/* decision, reason */
	uint64_t by_listener[NAMES_MAX][NAMES_MAX];	/* listener, decision */
	uint64_t by_event[NAMES_MAX];
	/* would_* decisions by reason: [0] with a 5xx code (enforcing
	 * rejects), [1] a 4xx (enforcing defers). */
	uint64_t would[NAMES_MAX][2];
	/* Series of the period table: pair_id[d][r] is the series of a
	 * decision and reason (0: none yet, or "(other)" when the series are
	 * all taken); series s is pair_dec[s], pair_reason[s]. */
	unsigned char pair_id[NAMES_MAX][NAMES_MAX];
	unsigned char pair_dec[PERIODS_SERIES], pair_reason[PERIODS_SERIES];
	size_t	npairs;		/* series in use, series 0 included */
	uint64_t unperiodic;	/* decisions in hours past the table's cap */
	struct periods *periods;
	struct policies *policies;
	struct topn *top[TOP_N];
	bool	have_time;	/* first and last are set */
	time_t	first, last;	/* relaywarden's first and last line in range */
	struct stamp_cache cache;
	size_t	ident_len;
};

/* NULL when out of memory. opts is copied (ident is not: it must live as
 * long as the tally). */
struct tally *tally_new(const struct tally_opts *opts);
void	tally_free(struct tally *t);

/* One line, len bytes without its newline. False when out of memory (the
 * line is then counted only in part). */
bool	tally_line(struct tally *t, const char *line, size_t len);

/* A line too long to read whole. */
void	tally_too_long(struct tally *t);

/* Whether decision index d is a refusal (reject, tempfail, would_*). */
bool	tally_refusal(const struct tally *t, size_t d);

#endif
