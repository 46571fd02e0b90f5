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

/* How long c's escaped form is: 1 (c itself), 2 (a backslash before a
 * backslash or '"'), or 4 (\xHH). */
static inline size_t
esc_len(unsigned char c)
{
	if (c == '\\' || c == '"')
		return 2;
	return c <= ' ' || c >= 0x7f ? 4 : 1;
}

/* Writes the escaped form of c (esc_len(c) bytes) at dst. */
static void
escape_byte(unsigned char c, char *dst)
{
	switch (esc_len(c)) {
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

char *
log_escape(char *dst, size_t dstlen, const char *src)
{
	static const char marker[] = "\\...";
	const unsigned char *s = (const unsigned char *)src, *t;
	size_t o, total = 0, room;

	if (src == NULL || *src == '\0') {
		memcpy(dst, "-", 2);
		return dst;
	}
	/* Does it all fit? Count no further than the buffer (bounded work
	 * for a hostile 10 MB value). Only a value that does not fit loses
	 * room to the marker. */
	for (t = s; *t != '\0' && total < dstlen; t++)
		total += esc_len(*t);
	room = (*t == '\0' && total < dstlen) ? dstlen :
	    dstlen - (sizeof(marker) - 1);
	for (o = 0; *s != '\0'; s++) {
		size_t n = esc_len(*s);

		if (o + n + 1 > room)
			break;
		escape_byte(*s, dst + o);
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

/* Appends text at *o, keeping buf (len bytes) NUL-terminated: what
 * snprintf() would keep of the whole line. */
static void
put(char *buf, size_t len, size_t *o, const char *text)
{
	size_t n = strlen(text);

	if (*o + 1 >= len)
		return;
	if (n > len - 1 - *o)
		n = len - 1 - *o;
	memcpy(buf + *o, text, n);
	*o += n;
	buf[*o] = '\0';
}

/* Appends a client-supplied value, escaped as log_escape() does. */
static void
put_value(char *buf, size_t len, size_t *o, const char *value)
{
	char v[LOG_VALUE_MAX];

	put(buf, len, o, log_escape(v, sizeof(v), value));
}

char *
log_format_decision(char *buf, size_t len, const struct log_decision *d)
{
	size_t o = 0;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	/* Every value the MTA or a client supplied goes through log_escape();
	 * the rest are our own fixed words. Built by appending: this runs
	 * for every recipient, and snprintf() cost more than the decision. */
	if (d->queue_id != NULL)
		put_value(buf, len, &o, d->queue_id);
	else
		put(buf, len, &o, "NOQUEUE");
	put(buf, len, &o, ": listener=");
	put(buf, len, &o, d->listener != NULL ? d->listener : "-");
	put(buf, len, &o, " port=");
	put_value(buf, len, &o, d->port);
	put(buf, len, &o, " client=");
	put_value(buf, len, &o, d->client);
	put(buf, len, &o, " auth=");
	put_value(buf, len, &o, d->auth);
	put(buf, len, &o, " tls=");
	put_value(buf, len, &o, d->tls);
	put(buf, len, &o, " from=");
	put_value(buf, len, &o, d->from);
	put(buf, len, &o, " rcpt=");
	put_value(buf, len, &o, d->rcpt);
	put(buf, len, &o, " decision=");
	put(buf, len, &o, d->decision != NULL ? d->decision : "-");
	put(buf, len, &o, " reason=");
	put(buf, len, &o, d->reason != NULL ? d->reason : "-");
	put(buf, len, &o, " code=");
	put(buf, len, &o, d->code != NULL ? d->code : "-");
	put(buf, len, &o, " dsn=");
	put(buf, len, &o, d->dsn != NULL ? d->dsn : "-");
	put(buf, len, &o, " policy=");
	put(buf, len, &o, d->policy != NULL ? d->policy : "-");
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
