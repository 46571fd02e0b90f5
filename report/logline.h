/*
 * logline - one line of a syslog file, as relaywarden-report reads it:
 * the time stamp, the host, the program's tag and, for relaywarden's own
 * lines, what the message says. Every line relaywarden writes is one of
 * (milter/log.c, milter/reload.c, milter/main.c, milter/slog.c):
 *
 *   QUEUEID: listener=.. port=.. client=.. auth=.. tls=.. from=.. rcpt=..
 *       decision=.. reason=.. code=.. dsn=.. policy=..       a decision
 *   QUEUEID: listener=.. port=.. client=.. auth=.. tls=.. from=..
 *       accepted=N refused=N policy=..                       a message
 *   starting: config=PATH sha256=HEX64 local_domains=N my_networks=N
 *       mode=MODE                                           a start
 *   reloaded: config=PATH sha256=HEX64 ...                  a reload
 *   stopping: N session(s) left open; ...                   a stop
 *   reload refused: N error(s); the previous policy ...     a refused reload
 *   warning: the syslog socket was unreachable: N line(s) lost
 *   stats: key=value ...                     the counters, on SIGUSR2
 *   anything else (warnings, "listening on", libmilter's own)
 *
 * and, for lines to come (issue #21's rate limits), a line of key=value
 * words with an "event=" key instead of "decision=" is an event.
 *
 * A decision line is taken only whole: every word after the queue id is
 * key=value, each value printable ASCII without a space (relaywarden
 * escapes every other byte) and at most 511 bytes long, no key twice, and listener, client,
 * decision, reason and policy (12 hex digits, the last word relaywarden
 * writes, so a cut line lacks it) present. Otherwise it is damaged, as is
 * a line with no time stamp. A message line likewise, with accepted and
 * refused (counts) instead of decision and reason. Values are handed out
 * as written: escaped.
 *
 * Pure: no allocation, no clock; out points into line. Any thread.
 */
#ifndef RW_REPORT_LOGLINE_H
#define RW_REPORT_LOGLINE_H

#include <stddef.h>

#include "stamp.h"

enum logline_kind {
	LL_DECISION,
	LL_MESSAGE,		/* the end of a message: accepted=, refused= */
	LL_EVENT,		/* event=WORD, no decision */
	LL_START,
	LL_RELOAD,
	LL_STOP,
	LL_RELOAD_REFUSED,
	LL_LOST,		/* the syslog writer's count of lost lines */
	LL_RELAYWARDEN,		/* another line of relaywarden's */
	LL_OTHER,		/* another program's line */
	LL_UNDATED,		/* relaywarden's tag with no stamp (its -f copy) */
	LL_DAMAGED
};

/* A piece of the line: n bytes at p; p NULL when absent. */
struct ll_str {
	const char *p;
	size_t	n;
};

struct logline {
	enum logline_kind kind;
	struct stamp stamp;		/* all but LL_UNDATED, LL_DAMAGED */
	/* LL_DECISION, LL_EVENT, LL_MESSAGE: the values, as written. */
	struct ll_str queue_id, listener, port, client, auth, tls, from, rcpt,
	    decision, reason, code, dsn, policy, event, accepted, refused;
	/* LL_START, LL_RELOAD: the digest (64 hex) and mode= (or absent). */
	struct ll_str digest, mode;
	/* LL_LOST: the number of lines lost. */
	unsigned long lost;
	/* LL_DAMAGED: why, in a few words (for tests and -v). */
	const char *why;
};

/*
 * Parses line (len bytes, no newline; it may hold any byte, NUL too) for
 * the program whose syslog tag is ident ("relaywarden": "relaywarden[PID]:"
 * or "relaywarden:") and returns its kind, also left in out->kind.
 */
enum logline_kind logline_parse(const char *line, size_t len,
	    const char *ident, size_t ident_len, struct logline *out);

/* The kind's name, for messages and tests: "decision", "start", ... */
const char *logline_kind_name(enum logline_kind k);

#endif
