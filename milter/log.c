/*
 * log - syslog output and the decision line. See log.h.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>

#include "decimal.h"
#include "escape.h"
#include "log.h"
#include "slog.h"


/* openlog(3) keeps the pointer it is given, and a reload frees the policy
 * that holds the configured ident: keep our own copy. */
static char ident_copy[65];

void
log_open(const char *ident, int facility, bool to_stderr)
{
	/* Our lines go through slog; libmilter's own messages (smi_log())
	 * go through syslog(3): the same ident, facility and stderr copy
	 * for those. */
	snprintf(ident_copy, sizeof(ident_copy), "%s", ident);
	openlog(ident_copy, LOG_PID | LOG_NDELAY | (to_stderr ? LOG_PERROR : 0),
	    facility);
	slog_open(NULL, ident, facility, to_stderr);
}

void
log_close(void)
{
	slog_close();
	closelog();
}

void
log_msg(int priority, const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);	/* %m reads errno */
	va_end(ap);
	if (n < 0)
		return;
	slog_write(priority, line,
	    (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

/* A line being built: buf (len bytes) stays NUL-terminated and keeps
 * what snprintf() would keep of the whole line. Appending instead of
 * snprintf() holds instructions per session <= 1.5x the do-nothing
 * filter (1.345x; 1.791x with snprintf; callgrind, session 9). */
struct line {
	char	*buf;
	size_t	len;
	size_t	o;
};

static void
put_n(struct line *l, const char *text, size_t n)
{
	if (l->o + 1 >= l->len)
		return;
	if (n > l->len - 1 - l->o)
		n = l->len - 1 - l->o;
	memcpy(l->buf + l->o, text, n);
	l->o += n;
	l->buf[l->o] = '\0';
}

/* Our own fixed words: a literal's length is known at compile time, so
 * the copy is a few moves. (o < len always holds.) */
#define PUT_LIT(l, lit) do {						\
	if ((l)->len - (l)->o > sizeof(lit) - 1) {			\
		memcpy((l)->buf + (l)->o, (lit), sizeof(lit) - 1);	\
		(l)->o += sizeof(lit) - 1;				\
		(l)->buf[(l)->o] = '\0';				\
	} else								\
		put_n((l), (lit), sizeof(lit) - 1);			\
} while (0)

static void
put(struct line *l, const char *text)
{
	put_n(l, text != NULL ? text : "-", text != NULL ? strlen(text) : 1);
}

/* " key=" then a value: one a client or the MTA supplied, escaped
 * (put_value()), or one of our own words (put()). */
#define PUT_VALUE(l, key, value) do {					\
	PUT_LIT((l), key);						\
	put_value((l), (value));					\
} while (0)
#define PUT_WORD(l, key, word) do {					\
	PUT_LIT((l), key);						\
	put((l), (word));						\
} while (0)

/* Appends a client-supplied value, escaped as escape_value() does: straight
 * into the line when a whole value fits, which it always does in a
 * LOG_LINE_MAX line. */
static void
put_value(struct line *l, const char *value)
{
	char v[LOG_VALUE_MAX];

	if (value == NULL || *value == '\0')
		PUT_LIT(l, "-");
	else if (l->len - l->o >= LOG_VALUE_MAX)
		l->o += escape_into(l->buf + l->o, LOG_VALUE_MAX, value);
	else
		put(l, escape_value(v, sizeof(v), value));
}

/* The transaction's part (log_format_txn()). */
static void
put_txn(struct line *l, const struct log_decision *d)
{
	PUT_WORD(l, " listener=", d->listener);
	PUT_VALUE(l, " port=", d->port);
	PUT_VALUE(l, " client=", d->client);
	PUT_VALUE(l, " auth=", d->auth);
	PUT_VALUE(l, " tls=", d->tls);
	PUT_VALUE(l, " from=", d->from);
}

size_t
log_format_txn(char *buf, size_t len, const struct log_decision *d)
{
	struct line l = { buf, len, 0 };

	if (len == 0)
		return 0;
	buf[0] = '\0';
	put_txn(&l, d);
	return l.o;
}

/* log_format_decision(), returning the line's length. */
static size_t
format_decision(char *buf, size_t len, const struct log_decision *d)
{
	struct line l = { buf, len, 0 };

	if (len == 0)
		return 0;
	buf[0] = '\0';
	/* Every value the MTA or a client supplied goes through the
	 * escaper; the rest are our own fixed words. Built by appending:
	 * this runs for every recipient. */
	if (d->queue_id != NULL)
		put_value(&l, d->queue_id);
	else
		PUT_LIT(&l, "NOQUEUE");
	PUT_LIT(&l, ":");
	if (d->txn != NULL)
		put_n(&l, d->txn, d->txn_len);
	else
		put_txn(&l, d);
	PUT_VALUE(&l, " rcpt=", d->rcpt);
	PUT_WORD(&l, " decision=", d->decision);
	PUT_WORD(&l, " reason=", d->reason);
	PUT_WORD(&l, " code=", d->code);
	PUT_WORD(&l, " dsn=", d->dsn);
	PUT_WORD(&l, " policy=", d->policy);
	if (d->sender_key != NULL) {
		PUT_VALUE(&l, " key=", d->sender_key);
		PUT_VALUE(&l, " owners=", d->owners);
	}
	return l.o;
}

char *
log_format_decision(char *buf, size_t len, const struct log_decision *d)
{
	format_decision(buf, len, d);
	return buf;
}

/* A count, in decimal. */
static void
put_count(struct line *l, unsigned long n)
{
	char digits[DECIMAL_MAX];
	const char *p = decimal_back(digits + sizeof(digits), n);

	put_n(l, p, (size_t)(digits + sizeof(digits) - p));
}

/* log_format_message(), returning the line's length. */
static size_t
format_message(char *buf, size_t len, const struct log_message *m)
{
	struct line l = { buf, len, 0 };

	if (len == 0)
		return 0;
	buf[0] = '\0';
	if (m->queue_id != NULL)
		put_value(&l, m->queue_id);
	else
		PUT_LIT(&l, "NOQUEUE");
	PUT_LIT(&l, ":");
	put_n(&l, m->txn, m->txn_len);
	PUT_LIT(&l, " accepted=");
	put_count(&l, m->accepted);
	PUT_LIT(&l, " refused=");
	put_count(&l, m->refused);
	PUT_WORD(&l, " policy=", m->policy);
	return l.o;
}

char *
log_format_message(char *buf, size_t len, const struct log_message *m)
{
	format_message(buf, len, m);
	return buf;
}

void
log_message(const struct log_message *m)
{
	char line[LOG_LINE_MAX];
	size_t n = format_message(line, sizeof(line), m);

	slog_write(LOG_INFO, line, n);
}

void
log_decision(const struct log_decision *d, bool refusal)
{
	char line[LOG_LINE_MAX];
	size_t n = format_decision(line, sizeof(line), d);

	slog_write(refusal ? LOG_NOTICE : LOG_INFO, line, n);
}
