/*
 * log - syslog output and the decision line. See log.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>

#include "log.h"

static const char hex[] = "0123456789abcdef";

/* openlog(3) keeps the pointer it is given, and a reload frees the policy
 * that holds the configured ident: keep our own copy. */
static char ident_copy[65];

void
log_open(const char *ident, int facility, bool to_stderr)
{
	snprintf(ident_copy, sizeof(ident_copy), "%s", ident);
	/* LOG_PERROR: with -f the same lines, same format, reach stderr. */
	openlog(ident_copy, LOG_PID | LOG_NDELAY | (to_stderr ? LOG_PERROR : 0),
	    facility);
}

void
log_close(void)
{
	closelog();
}

void
log_msg(int priority, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsyslog(priority, fmt, ap);
	va_end(ap);
}

/* Writes the escaped form of c into enc; returns its length (1, 2 or 4). */
static size_t
escape_byte(unsigned char c, char enc[4])
{
	if (c == '\\' || c == '"') {
		enc[0] = '\\';
		enc[1] = (char)c;
		return 2;
	}
	if (c <= ' ' || c >= 0x7f) {
		enc[0] = '\\';
		enc[1] = 'x';
		enc[2] = hex[c >> 4];
		enc[3] = hex[c & 0xf];
		return 4;
	}
	enc[0] = (char)c;
	return 1;
}

char *
log_escape(char *dst, size_t dstlen, const char *src)
{
	static const char marker[] = "\\...";
	const unsigned char *s = (const unsigned char *)src, *t;
	size_t o, total = 0, room;
	char enc[4];

	if (src == NULL || *src == '\0') {
		snprintf(dst, dstlen, "-");
		return dst;
	}
	/* Does it all fit? Count no further than the buffer (bounded work
	 * for a hostile 10 MB value). Only a value that does not fit loses
	 * room to the marker. */
	for (t = s; *t != '\0' && total < dstlen; t++)
		total += escape_byte(*t, enc);
	room = (*t == '\0' && total < dstlen) ? dstlen :
	    dstlen - (sizeof(marker) - 1);
	for (o = 0; *s != '\0'; s++) {
		size_t n = escape_byte(*s, enc);

		if (o + n + 1 > room)
			break;
		memcpy(dst + o, enc, n);
		o += n;
	}
	if (*s != '\0')
		memcpy(dst + o, marker, sizeof(marker));	/* NUL too */
	else
		dst[o] = '\0';
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

char *
log_format_decision(char *buf, size_t len, const struct log_decision *d)
{
	char client[LOG_VALUE_MAX], auth[LOG_VALUE_MAX], tls[LOG_VALUE_MAX];
	char from[LOG_VALUE_MAX], rcpt[LOG_VALUE_MAX], qid[LOG_VALUE_MAX];
	char port[LOG_VALUE_MAX];

	/* Every value the MTA or a client supplied goes through log_escape();
	 * the rest are our own fixed words. */
	snprintf(buf, len,
	    "%s: listener=%s port=%s client=%s auth=%s tls=%s from=%s rcpt=%s "
	    "decision=%s reason=%s code=%s dsn=%s policy=%s",
	    d->queue_id != NULL ? log_escape(qid, sizeof(qid), d->queue_id) :
	    "NOQUEUE",
	    d->listener != NULL ? d->listener : "-",
	    log_escape(port, sizeof(port), d->port),
	    log_escape(client, sizeof(client), d->client),
	    log_escape(auth, sizeof(auth), d->auth),
	    log_escape(tls, sizeof(tls), d->tls),
	    log_escape(from, sizeof(from), d->from),
	    log_escape(rcpt, sizeof(rcpt), d->rcpt),
	    d->decision != NULL ? d->decision : "-",
	    d->reason != NULL ? d->reason : "-",
	    d->code != NULL ? d->code : "-",
	    d->dsn != NULL ? d->dsn : "-",
	    d->policy != NULL ? d->policy : "-");
	return buf;
}

void
log_decision(const struct log_decision *d, bool refusal)
{
	char line[LOG_LINE_MAX];

	log_format_decision(line, sizeof(line), d);
	syslog(refusal ? LOG_NOTICE : LOG_INFO, "%s", line);
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
