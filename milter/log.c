/*
 * log - syslog output and the decision line. See log.h.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>

#include "log.h"
#include "slog.h"
#include "swar.h"

static const char hex[] = "0123456789abcdef";

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

/* How long each byte's escaped form is: 1 (itself), 2 (a backslash
 * before '\' or '"'), or 4 (\xHH for space, control and 8-bit bytes). A
 * table: this runs for every byte of every value of every decision line. */
static const unsigned char esc_len[256] = {
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
};

#define MARKER		"\\..."
#define MARKER_LEN	(sizeof(MARKER) - 1)

/* Writes the escaped form of c (esc_len[c] bytes) at dst. */
static inline void
escape_byte(unsigned char c, char *dst)
{
	switch (esc_len[c]) {
	case 1:
		dst[0] = (char)c;
		break;
	case 2:
		dst[0] = '\\';
		dst[1] = (char)c;
		break;
	default:
		dst[0] = '\\';
		dst[1] = 'x';
		dst[2] = hex[c >> 4];
		dst[3] = hex[c & 0xf];
		break;
	}
}

/* Non-zero when a byte of w needs escaping (esc_len[] > 1). */
static inline uint64_t
special8(uint64_t w)
{
	return swar_has_less(w, 0x21) | (w & SWAR_HIGHS) |
	    swar_has_byte(w, 0x7f) | swar_has_byte(w, '"') |
	    swar_has_byte(w, '\\');
}

/*
 * log_escape()'s work in one pass: writes the escaped form of s at dst
 * (dstlen bytes, NUL included, at least 8) and returns its length. It
 * writes whole escapes, eight plain bytes at a time where it can, while
 * they leave room for the marker; at the first one that does not, it
 * looks (a few bytes at most) whether the rest fits whole, and writes
 * either the rest or the marker. It reads no further than dstlen bytes
 * of s: a longer value cannot fit.
 */
static size_t
escape_into(char *dst, size_t dstlen, const unsigned char *s)
{
	size_t len = strnlen((const char *)s, dstlen), i = 0, o = 0, j, rest;
	size_t lim = dstlen - 1 - MARKER_LEN;
	uint64_t w;

	while (i < len) {
		if (len - i >= 8 && o + 8 <= lim &&
		    !special8(w = swar_load8(s + i))) {
			memcpy(dst + o, &w, 8);
			i += 8;
			o += 8;
			continue;
		}
		if (o + esc_len[s[i]] > lim)
			break;
		escape_byte(s[i], dst + o);
		o += esc_len[s[i]];
		i++;
	}
	if (i < len) {
		for (rest = 0, j = i; j < len && o + rest < dstlen; j++)
			rest += esc_len[s[j]];
		if (len < dstlen && j == len && o + rest <= dstlen - 1) {
			for (; i < len; i++) {
				escape_byte(s[i], dst + o);
				o += esc_len[s[i]];
			}
		} else {
			memcpy(dst + o, MARKER, MARKER_LEN);
			o += MARKER_LEN;
		}
	}
	dst[o] = '\0';
	return o;
}

char *
log_escape(char *dst, size_t dstlen, const char *src)
{
	if (src == NULL || *src == '\0') {
		memcpy(dst, "-", 2);
		return dst;
	}
	escape_into(dst, dstlen, (const unsigned char *)src);
	return dst;
}

const char *
log_show(char *dst, size_t dstlen, const char *text)
{
	size_t o = 0;

	for (; *text != '\0'; text++) {
		unsigned char c = (unsigned char)*text;

		if (o + 5 + 4 > dstlen) {
			memcpy(dst + o, "...", 3);
			o += 3;
			break;
		}
		if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
			dst[o++] = '\\';
			dst[o++] = 'x';
			dst[o++] = hex[c >> 4];
			dst[o++] = hex[c & 15];
		} else {
			dst[o++] = (char)c;
		}
	}
	dst[o] = '\0';
	return dst;
}

/* A line being built: buf (len bytes) stays NUL-terminated and keeps
 * what snprintf() would keep of the whole line. */
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

/* Appends a client-supplied value, escaped as log_escape() does: straight
 * into the line when a whole value fits, which it always does in a
 * LOG_LINE_MAX line. */
static void
put_value(struct line *l, const char *value)
{
	char v[LOG_VALUE_MAX];

	if (value == NULL || *value == '\0')
		PUT_LIT(l, "-");
	else if (l->len - l->o >= LOG_VALUE_MAX)
		l->o += escape_into(l->buf + l->o, LOG_VALUE_MAX,
		    (const unsigned char *)value);
	else
		put(l, log_escape(v, sizeof(v), value));
}

/* The transaction's part (log_format_txn()). */
static void
put_txn(struct line *l, const struct log_decision *d)
{
	PUT_LIT(l, " listener=");
	put(l, d->listener);
	PUT_LIT(l, " port=");
	put_value(l, d->port);
	PUT_LIT(l, " client=");
	put_value(l, d->client);
	PUT_LIT(l, " auth=");
	put_value(l, d->auth);
	PUT_LIT(l, " tls=");
	put_value(l, d->tls);
	PUT_LIT(l, " from=");
	put_value(l, d->from);
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
	PUT_LIT(&l, " rcpt=");
	put_value(&l, d->rcpt);
	PUT_LIT(&l, " decision=");
	put(&l, d->decision);
	PUT_LIT(&l, " reason=");
	put(&l, d->reason);
	PUT_LIT(&l, " code=");
	put(&l, d->code);
	PUT_LIT(&l, " dsn=");
	put(&l, d->dsn);
	PUT_LIT(&l, " policy=");
	put(&l, d->policy);
	return l.o;
}

char *
log_format_decision(char *buf, size_t len, const struct log_decision *d)
{
	format_decision(buf, len, d);
	return buf;
}

void
log_decision(const struct log_decision *d, bool refusal)
{
	char line[LOG_LINE_MAX];
	size_t n = format_decision(line, sizeof(line), d);

	slog_write(refusal ? LOG_NOTICE : LOG_INFO, line, n);
}

int
log_facility(const char *name)
{
	static const struct {
		const char *name;
		int facility;
	} table[] = {
		{ "mail", LOG_MAIL }, { "daemon", LOG_DAEMON },
		{ "user", LOG_USER }, { "local0", LOG_LOCAL0 },
		{ "local1", LOG_LOCAL1 }, { "local2", LOG_LOCAL2 },
		{ "local3", LOG_LOCAL3 }, { "local4", LOG_LOCAL4 },
		{ "local5", LOG_LOCAL5 }, { "local6", LOG_LOCAL6 },
		{ "local7", LOG_LOCAL7 },
	};
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (strcasecmp(name, table[i].name) == 0)
			return table[i].facility;
	return -1;
}
