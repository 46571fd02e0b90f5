/*
 * logline - the parser of one syslog line. See logline.h.
 */
#include <stdbool.h>
#include <string.h>

#include "logline.h"

#define WORD_MAX	32	/* decision, reason, listener, event, mode */
/* The longest value relaywarden writes: LOG_VALUE_MAX (milter/log.h) less
 * its NUL. */
#define VALUE_MAX	511

static bool
starts(const char *s, size_t n, const char *lit, size_t litn)
{
	return n >= litn && memcmp(s, lit, litn) == 0;
}
#define STARTS(s, n, lit)	starts((s), (n), (lit), sizeof(lit) - 1)

/*
 * The program's tag at s: "IDENT[digits]: " or "IDENT: " (a message may
 * also be empty: "IDENT[1]:" at the end). Returns its length, 0 if s
 * does not start with it.
 */
static size_t
tag_len(const char *s, size_t n, const char *ident, size_t ilen)
{
	size_t i = ilen;

	if (ilen == 0 || n <= ilen || memcmp(s, ident, ilen) != 0)
		return 0;
	if (s[i] == '[') {
		size_t d = ++i;

		while (i < n && s[i] >= '0' && s[i] <= '9' && i - d < 10)
			i++;
		if (i == d || i >= n || s[i] != ']')
			return 0;
		i++;
	}
	if (i >= n || s[i] != ':')
		return 0;
	i++;
	if (i < n) {
		if (s[i] != ' ')
			return 0;
		i++;
	}
	return i;
}

/* Our own words: [a-z_]{1,WORD_MAX}. */
static bool
is_word(struct ll_str v)
{
	size_t i;

	if (v.n == 0 || v.n > WORD_MAX)
		return false;
	for (i = 0; i < v.n; i++)
		if (!((v.p[i] >= 'a' && v.p[i] <= 'z') || v.p[i] == '_'))
			return false;
	return true;
}

static bool
is_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

static bool
is_dash(struct ll_str v)
{
	return v.n == 1 && v.p[0] == '-';
}

/* code: "-" or three digits. */
static bool
is_code(struct ll_str v)
{
	return is_dash(v) || (v.n == 3 && v.p[0] >= '2' && v.p[0] <= '5' &&
	    v.p[1] >= '0' && v.p[1] <= '9' && v.p[2] >= '0' && v.p[2] <= '9');
}

/* dsn: "-" or digits and dots, as "5.7.1" (RFC 3463: at most 3.3.3). */
static bool
is_dsn(struct ll_str v)
{
	size_t i;

	if (is_dash(v))
		return true;
	if (v.n < 5 || v.n > 11)
		return false;
	for (i = 0; i < v.n; i++)
		if (!((v.p[i] >= '0' && v.p[i] <= '9') || v.p[i] == '.'))
			return false;
	return true;
}

/* What a byte is on a decision line: printable, the space between words,
 * '=', or a byte relaywarden never writes there (control, 8-bit, DEL). */
enum { BC_BAD, BC_PLAIN, BC_SPACE, BC_EQ };
#define B	BC_BAD
#define P	BC_PLAIN
#define S	BC_SPACE
#define E	BC_EQ
static const unsigned char byte_class[256] = {
	B, B, B, B, B, B, B, B, B, B, B, B, B, B, B, B,
	B, B, B, B, B, B, B, B, B, B, B, B, B, B, B, B,
	S, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P,
	P, P, P, P, P, P, P, P, P, P, P, P, P, E, P, P,
	P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P,
	P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P,
	P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P,
	P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, B,
	B, B, B, B, B, B, B, B, B, B, B, B, B, B, B, B,
	B, B, B, B, B, B, B, B, B, B, B, B, B, B, B, B,
	B, B, B, B, B, B, B, B, B, B, B, B, B, B, B, B,
	B, B, B, B, B, B, B, B, B, B, B, B, B, B, B, B,
	B, B, B, B, B, B, B, B, B, B, B, B, B, B, B, B,
	B, B, B, B, B, B, B, B, B, B, B, B, B, B, B, B,
	B, B, B, B, B, B, B, B, B, B, B, B, B, B, B, B,
	B, B, B, B, B, B, B, B, B, B, B, B, B, B, B, B,
};
#undef B
#undef P
#undef S
#undef E

static enum logline_kind
damaged(struct logline *out, const char *why)
{
	out->why = why;
	return out->kind = LL_DAMAGED;
}

/* Bytes that relaywarden writes in a message: printable ASCII. */
static bool
printable(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return false;
	return true;
}

/* The field of a decision line's key, or NULL for a key we do not read. */
static struct ll_str *
field(struct logline *out, const char *k, size_t n)
{
#define KEY(name, f) \
	if (memcmp(k, name, sizeof(name) - 1) == 0) return &out->f
	switch (n) {
	case 3:
		KEY("tls", tls);
		KEY("dsn", dsn);
		break;
	case 4:
		KEY("port", port);
		KEY("auth", auth);
		KEY("from", from);
		KEY("rcpt", rcpt);
		KEY("code", code);
		break;
	case 5:
		KEY("event", event);
		break;
	case 7:
		KEY("refused", refused);
		break;
	case 6:
		KEY("client", client);
		KEY("reason", reason);
		KEY("policy", policy);
		break;
	case 8:
		KEY("listener", listener);
		KEY("decision", decision);
		KEY("accepted", accepted);
		break;
	}
	return NULL;
#undef KEY
}

/* A count: 1 to 20 digits (an unsigned long, as log.c writes it). */
static bool
is_count(struct ll_str v)
{
	size_t i;

	if (v.n == 0 || v.n > 20)
		return false;
	for (i = 0; i < v.n; i++)
		if (v.p[i] < '0' || v.p[i] > '9')
			return false;
	return true;
}

/* What a message line must hold, its words read. */
static enum logline_kind
message_line(struct logline *out)
{
	if (out->accepted.p == NULL || out->refused.p == NULL ||
	    out->listener.p == NULL || out->client.p == NULL ||
	    out->policy.p == NULL)
		return damaged(out, "key missing");
	if (!is_count(out->accepted) || !is_count(out->refused))
		return damaged(out, "bad count");
	if (!(is_word(out->listener) || is_dash(out->listener)))
		return damaged(out, "bad word");
	if (out->policy.n != 12 || !is_hex(out->policy.p, 12))
		return damaged(out, "bad policy");
	return out->kind = LL_MESSAGE;
}

/* What a line of key=value words is, its words read: a decision, an
 * event, a message, or damaged. */
static enum logline_kind
classify(struct logline *out)
{
	if (out->decision.p == NULL) {
		if (out->event.p == NULL && (out->accepted.p != NULL ||
		    out->refused.p != NULL))
			return message_line(out);
		if (out->event.p == NULL)
			return damaged(out, "no decision");
		if (!is_word(out->event))
			return damaged(out, "bad event");
		return out->kind = LL_EVENT;
	}
	if (out->listener.p == NULL || out->client.p == NULL ||
	    out->reason.p == NULL || out->policy.p == NULL)
		return damaged(out, "key missing");
	if (!is_word(out->decision) || !is_word(out->reason) ||
	    !(is_word(out->listener) || is_dash(out->listener)))
		return damaged(out, "bad word");
	if (out->policy.n != 12 || !is_hex(out->policy.p, 12))
		return damaged(out, "bad policy");
	if ((out->code.p != NULL && !is_code(out->code)) ||
	    (out->dsn.p != NULL && !is_dsn(out->dsn)))
		return damaged(out, "bad code");
	if (out->event.p != NULL && !is_word(out->event))
		return damaged(out, "bad event");
	return out->kind = LL_DECISION;
}

/* "QUEUEID: key=value key=value ..." */
static enum logline_kind
decision_line(const char *m, size_t n, struct logline *out)
{
	const char *end = m + n, *s, *sp;

	sp = memchr(m, ' ', n);
	if (sp == NULL || sp - m < 2 || sp[-1] != ':')
		return damaged(out, "no queue id");
	if ((size_t)(sp - m - 1) > VALUE_MAX)
		return damaged(out, "value too long");
	out->queue_id.p = m;
	out->queue_id.n = (size_t)(sp - m - 1);
	for (s = m; s < sp; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s > 0x7e)
			return damaged(out, "byte not printable");
	for (s = sp + 1; ; ) {
		const char *w = s, *eq;
		struct ll_str *f;

		/* A byte class table: this loop reads every byte of every
		 * decision line (1M lines/s target, bench-report). */
		while (s < end && byte_class[(unsigned char)*s] == BC_PLAIN)
			s++;
		if (s == end || *s == ' ' || byte_class[(unsigned char)*s] ==
		    BC_BAD)
			return damaged(out, s == w ? "empty word" :
			    s < end && *s != ' ' ? "byte not printable" :
			    "word not key=value");
		eq = s++;	/* the first '=' */
		while (s < end && byte_class[(unsigned char)*s] != BC_SPACE) {
			if (byte_class[(unsigned char)*s] == BC_BAD)
				return damaged(out, "byte not printable");
			s++;
		}
		if (eq == w || eq + 1 == s)
			return damaged(out, "word not key=value");
		if ((size_t)(s - eq - 1) > VALUE_MAX)
			return damaged(out, "value too long");
		if (!is_word((struct ll_str){ w, (size_t)(eq - w) }))
			return damaged(out, "bad key");
		if ((f = field(out, w, (size_t)(eq - w))) != NULL) {
			if (f->p != NULL)
				return damaged(out, "key twice");
			f->p = eq + 1;
			f->n = (size_t)(s - eq - 1);
		}
		if (s == end)
			break;
		s++;	/* the space */
	}
	return classify(out);
}

/* " key=VALUE" in m: VALUE, up to the next space. */
static struct ll_str
value_of(const char *m, size_t n, const char *key, size_t keyn)
{
	const char *end = m + n, *s = m, *v, *sp;
	struct ll_str r = { NULL, 0 };

	while ((s = memchr(s, ' ', (size_t)(end - s))) != NULL) {
		s++;
		if ((size_t)(end - s) > keyn && memcmp(s, key, keyn) == 0) {
			v = s + keyn;
			sp = memchr(v, ' ', (size_t)(end - v));
			r.p = v;
			r.n = sp != NULL ? (size_t)(sp - v) : (size_t)(end - v);
			return r;
		}
	}
	return r;
}

/* "starting: config=PATH sha256=HEX64 ... mode=MODE" (reload.c). The
 * path is escape_show()'s: it may hold spaces, so keys are looked for. */
static enum logline_kind
policy_line(const char *m, size_t n, enum logline_kind kind,
    struct logline *out)
{
	if (!printable(m, n))
		return damaged(out, "byte not printable");
	out->digest = value_of(m, n, "sha256=", 7);
	if (out->digest.n != 64 || !is_hex(out->digest.p, 64))
		return damaged(out, "bad sha256");
	out->mode = value_of(m, n, "mode=", 5);
	if (out->mode.p != NULL && !is_word(out->mode))
		return damaged(out, "bad mode");
	return out->kind = kind;
}

/* A number of at most 18 digits at s, followed by what. */
static bool
number_then(const char *s, size_t n, const char *what, unsigned long *v)
{
	size_t i = 0, wn = strlen(what);
	unsigned long x = 0;

	while (i < n && i < 18 && s[i] >= '0' && s[i] <= '9')
		x = x * 10 + (unsigned long)(s[i++] - '0');
	if (i == 0 || n - i < wn || memcmp(s + i, what, wn) != 0)
		return false;
	*v = x;
	return true;
}

/* "WORD: key=..." at m: a decision line's shape, found without searching
 * the whole message. */
static bool
key_value_after_word(const char *m, size_t n)
{
	const char *sp = memchr(m, ' ', n < 600 ? n : 600), *s, *end = m + n;

	if (sp == NULL || sp == m || sp[-1] != ':')
		return false;
	for (s = sp + 1; s < end && *s != ' '; s++)
		if (*s == '=')
			return s > sp + 1;
	return false;
}

static enum logline_kind
message(const char *m, size_t n, struct logline *out)
{
	static const char lost[] = "warning: the syslog socket was "
	    "unreachable: ";
	static const char refused[] = "reload refused: ";
	unsigned long v;

	if (STARTS(m, n, "starting: "))
		return policy_line(m, n, LL_START, out);
	if (STARTS(m, n, "reloaded: "))
		return policy_line(m, n, LL_RELOAD, out);
	if (STARTS(m, n, "stopping: ") && number_then(m + 10, n - 10,
	    " session(s) left open", &v))
		return out->kind = LL_STOP;
	if (STARTS(m, n, refused) && number_then(m + sizeof(refused) - 1,
	    n - (sizeof(refused) - 1), " error(s); ", &v))
		return out->kind = LL_RELOAD_REFUSED;
	if (STARTS(m, n, lost) && number_then(m + sizeof(lost) - 1,
	    n - (sizeof(lost) - 1), " line(s) lost", &out->lost))
		return out->kind = LL_LOST;
	/* The counters (SIGUSR2): key=value words, but no decision. */
	if (STARTS(m, n, "stats: "))
		return out->kind = LL_RELAYWARDEN;
	if (key_value_after_word(m, n) ||
	    memmem(m, n, " decision=", 10) != NULL ||
	    memmem(m, n, " event=", 7) != NULL)
		return decision_line(m, n, out);
	return out->kind = LL_RELAYWARDEN;
}

enum logline_kind
logline_parse(const char *line, size_t len, const char *ident,
    size_t ident_len, struct logline *out)
{
	const char *s, *sp;
	size_t n, t;

	memset(out, 0, sizeof(*out));
	if (len > 0 && line[len - 1] == '\r')	/* a file copied with CRLF */
		len--;
	if ((n = stamp_parse(line, len, &out->stamp)) == 0) {
		if (tag_len(line, len, ident, ident_len) != 0)
			return out->kind = LL_UNDATED;
		return damaged(out, "no time stamp");
	}
	s = line + n;
	len -= n;
	/* The host, unless the tag follows the stamp at once. */
	if ((t = tag_len(s, len, ident, ident_len)) == 0) {
		sp = memchr(s, ' ', len);
		if (sp == NULL || sp == s)
			return out->kind = LL_OTHER;
		len -= (size_t)(sp + 1 - s);
		s = sp + 1;
		if ((t = tag_len(s, len, ident, ident_len)) == 0)
			return out->kind = LL_OTHER;
	}
	return message(s + t, len - t, out);
}

const char *
logline_kind_name(enum logline_kind k)
{
	switch (k) {
	case LL_DECISION:	return "decision";
	case LL_MESSAGE:	return "message";
	case LL_EVENT:		return "event";
	case LL_START:		return "start";
	case LL_RELOAD:		return "reload";
	case LL_STOP:		return "stop";
	case LL_RELOAD_REFUSED:	return "reload_refused";
	case LL_LOST:		return "lost";
	case LL_RELAYWARDEN:	return "relaywarden";
	case LL_OTHER:		return "other";
	case LL_UNDATED:	return "undated";
	case LL_DAMAGED:	return "damaged";
	}
	return "damaged";
}
