/*
 * logline: the parser of relaywarden-report. Every kind of line the daemon
 * writes, in each time stamp form syslog daemons and journalctl write,
 * and every way a line can be damaged, forged or cut. Each line is handed
 * over in a buffer of exactly its length, so that AddressSanitizer sees
 * any read past it.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "log.h"
#include "logline.h"
#include "testutil.h"

#define D64 "3f2a9c01d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f"
#define DEC "listener=smtp port=25 client=203.0.113.7 auth=- tls=- " \
	"from=<a@b.example> rcpt=<x@remote.example> decision=reject " \
	"reason=relay_denied code=554 dsn=5.7.1 policy=3f2a9c01d4e5"
#define WANT_DEC "NOQUEUE smtp 203.0.113.7 - <a@b.example> " \
	"<x@remote.example> reject relay_denied 554 3f2a9c01d4e5"

struct case_ {
	const char *name;
	const char *line;
	const char *want;	/* render() of the result */
};

static const struct case_ cases[] = {
	/* Time stamps and hosts. */
	{ "classic", "Nov 22 08:53:16 mx relaywarden[812]: NOQUEUE: " DEC,
	    "decision 0-11-22 08:53:16 " WANT_DEC },
	{ "classic, one-digit day", "Nov  2 08:53:16 mx relaywarden[812]: "
	    "NOQUEUE: " DEC, "decision 0-11-02 08:53:16 " WANT_DEC },
	{ "classic, zero-padded day", "Feb 02 23:59:60 mx relaywarden[1]: "
	    "NOQUEUE: " DEC, "decision 0-02-02 23:59:60 " WANT_DEC },
	{ "journalctl short-iso", "2026-11-22T08:53:16+0100 mx "
	    "relaywarden[812]: NOQUEUE: " DEC,
	    "decision 2026-11-22 08:53:16+60 " WANT_DEC },
	{ "rsyslog high precision", "2026-11-22T08:53:16.123456+01:00 mx "
	    "relaywarden[812]: NOQUEUE: " DEC,
	    "decision 2026-11-22 08:53:16+60 " WANT_DEC },
	{ "iso, negative zone", "2026-11-22T08:53:16-05:30 mx "
	    "relaywarden[812]: NOQUEUE: " DEC,
	    "decision 2026-11-22 08:53:16-330 " WANT_DEC },
	{ "iso, Z", "2026-11-22T08:53:16Z mx relaywarden[812]: NOQUEUE: " DEC,
	    "decision 2026-11-22 08:53:16+0 " WANT_DEC },
	{ "iso, no zone: local", "2026-11-22T08:53:16.5 mx relaywarden[812]: "
	    "NOQUEUE: " DEC, "decision 2026-11-22 08:53:16 " WANT_DEC },
	{ "no host", "Nov 22 08:53:16 relaywarden[812]: NOQUEUE: " DEC,
	    "decision 0-11-22 08:53:16 " WANT_DEC },
	{ "tag without pid", "Nov 22 08:53:16 mx relaywarden: NOQUEUE: " DEC,
	    "decision 0-11-22 08:53:16 " WANT_DEC },
	{ "CRLF", "Nov 22 08:53:16 mx relaywarden[812]: NOQUEUE: " DEC "\r",
	    "decision 0-11-22 08:53:16 " WANT_DEC },

	/* Decisions. */
	{ "queue id", "Nov 22 08:53:16 mx relaywarden[812]: 4XyZ1abc: "
	    "listener=submission port=587 client=2001:db8::1 "
	    "auth=user1@bluemind.loc tls=TLSv1.3 from=<> rcpt=<x@y.example> "
	    "decision=accept reason=authenticated code=- dsn=- "
	    "policy=3f2a9c01d4e5", "decision 0-11-22 08:53:16 4XyZ1abc "
	    "submission 2001:db8::1 user1@bluemind.loc <> <x@y.example> accept "
	    "authenticated - 3f2a9c01d4e5" },
	{ "escaped values stay escaped", "Nov 22 08:53:16 mx "
	    "relaywarden[812]: NOQUEUE: listener=smtp port=25 "
	    "client=203.0.113.7 auth=a\\x20b\\\"c tls=- "
	    "from=<jos\\xc3\\xa9@b.example> rcpt=<x\\\\y\\x0d\\x0a@z> "
	    "decision=reject reason=relay_denied code=554 dsn=5.7.1 "
	    "policy=3f2a9c01d4e5", "decision 0-11-22 08:53:16 NOQUEUE smtp "
	    "203.0.113.7 a\\x20b\\\"c <jos\\xc3\\xa9@b.example> "
	    "<x\\\\y\\x0d\\x0a@z> reject relay_denied 554 3f2a9c01d4e5" },
	{ "a cut value", "Nov 22 08:53:16 mx relaywarden[812]: NOQUEUE: "
	    "listener=smtp port=25 client=203.0.113.7 auth=- tls=- "
	    "from=<aaaa\\... rcpt=- decision=reject reason=bad_address "
	    "code=501 dsn=5.1.3 policy=3f2a9c01d4e5", "decision 0-11-22 "
	    "08:53:16 NOQUEUE smtp 203.0.113.7 - <aaaa\\... - reject "
	    "bad_address 501 3f2a9c01d4e5" },
	{ "monitor mode", "Nov 22 08:53:16 mx relaywarden[812]: NOQUEUE: "
	    "listener=submission port=587 client=198.51.100.9 auth=- "
	    "tls=TLSv1.3 from=<u@b> rcpt=- decision=would_reject "
	    "reason=auth_required code=530 dsn=5.7.0 policy=3f2a9c01d4e5",
	    "decision 0-11-22 08:53:16 NOQUEUE submission 198.51.100.9 - "
	    "<u@b> - would_reject auth_required 530 3f2a9c01d4e5" },
	{ "hold, a decision to come", "Nov 22 08:53:16 mx relaywarden[812]: "
	    "NOQUEUE: listener=smtp client=192.0.2.1 decision=hold "
	    "reason=rate_limit policy=3f2a9c01d4e5", "decision 0-11-22 "
	    "08:53:16 NOQUEUE smtp 192.0.2.1 (null) (null) (null) hold "
	    "rate_limit (null) 3f2a9c01d4e5" },
	{ "unknown keys are read past", "Nov 22 08:53:16 mx relaywarden[812]: "
	    "NOQUEUE: listener=smtp client=192.0.2.1 new_key=x decision=accept "
	    "reason=my_networks policy=3f2a9c01d4e5 later=y",
	    "decision 0-11-22 08:53:16 NOQUEUE smtp 192.0.2.1 (null) (null) "
	    "(null) accept my_networks (null) 3f2a9c01d4e5" },
	{ "event, a line to come", "Nov 22 08:53:16 mx relaywarden[812]: "
	    "NOQUEUE: listener=smtp client=192.0.2.1 event=limit_exceeded "
	    "limit=rcpt_per_hour", "event 0-11-22 08:53:16 limit_exceeded "
	    "192.0.2.1" },

	/* Messages: the end of each, with its queue id. */
	{ "message", "Nov 22 08:53:16 mx relaywarden[812]: 4XyZ1abc: "
	    "listener=smtp port=25 client=203.0.113.7 auth=- tls=- "
	    "from=<a@b.example> accepted=2 refused=1 policy=3f2a9c01d4e5",
	    "message 0-11-22 08:53:16 4XyZ1abc smtp 203.0.113.7 - "
	    "<a@b.example> 2 1 3f2a9c01d4e5" },
	{ "message without a queue id", "Nov 22 08:53:16 mx "
	    "relaywarden[812]: NOQUEUE: listener=submission port=587 "
	    "client=2001:db8::1 auth=u@b tls=TLSv1.3 from=<> accepted=0 "
	    "refused=0 policy=3f2a9c01d4e5", "message 0-11-22 08:53:16 NOQUEUE "
	    "submission 2001:db8::1 u@b <> 0 0 3f2a9c01d4e5" },
	{ "message, a count of 21 digits", "Nov 22 08:53:16 mx "
	    "relaywarden[812]: 4XyZ1abc: listener=smtp client=203.0.113.7 "
	    "accepted=100000000000000000000 refused=1 policy=3f2a9c01d4e5",
	    "damaged bad count" },
	{ "message, a count not a number", "Nov 22 08:53:16 mx "
	    "relaywarden[812]: 4XyZ1abc: listener=smtp client=203.0.113.7 "
	    "accepted=2x refused=1 policy=3f2a9c01d4e5", "damaged bad count" },
	{ "message, a count missing", "Nov 22 08:53:16 mx relaywarden[812]: "
	    "4XyZ1abc: listener=smtp client=203.0.113.7 accepted=2 "
	    "policy=3f2a9c01d4e5", "damaged key missing" },
	{ "message, cut before policy", "Nov 22 08:53:16 mx "
	    "relaywarden[812]: 4XyZ1abc: listener=smtp client=203.0.113.7 "
	    "accepted=2 refused=1", "damaged key missing" },
	{ "message, a count twice", "Nov 22 08:53:16 mx relaywarden[812]: "
	    "4XyZ1abc: listener=smtp client=203.0.113.7 accepted=2 refused=1 "
	    "accepted=9 policy=3f2a9c01d4e5", "damaged key twice" },

	/* The daemon's other lines. */
	{ "the counters (SIGUSR2)", "Nov 22 10:00:00 mx relaywarden[812]: "
	    "stats: started=2026-11-22T08:00:00Z sessions=12 open=0 "
	    "messages=4 internal_errors=0 reloads=1 reload_failures=0 "
	    "lines_lost=0 policy=3f2a9c01d4e5", "relaywarden 0-11-22 10:00:00" },
	{ "the counters by listener", "Nov 22 10:00:00 mx relaywarden[812]: "
	    "stats: listener=smtp accept/local_domain=3 reject/relay_denied=2",
	    "relaywarden 0-11-22 10:00:00" },
	{ "start", "Nov 22 08:00:00 mx relaywarden[812]: starting: "
	    "config=/etc/relaywarden/relay warden.conf sha256=" D64
	    " local_domains=1 my_networks=2 mode=enforce",
	    "start 0-11-22 08:00:00 " D64 " enforce" },
	{ "reload", "2026-11-22T09:00:00+00:00 mx relaywarden[812]: reloaded: "
	    "config=/etc/relaywarden/relaywarden.conf sha256=" D64
	    " local_domains=1 my_networks=2 mode=monitor",
	    "reload 2026-11-22 09:00:00+0 " D64 " monitor" },
	{ "stop", "Nov 22 10:00:00 mx relaywarden[812]: stopping: 3 session(s) "
	    "left open; the MTA applies its milter_default_action to their "
	    "next command", "stop 0-11-22 10:00:00" },
	{ "stop's pending answers are not the stop", "Nov 22 10:00:00 mx "
	    "relaywarden[812]: stopping: 2 answer(s) still pending after 10 s",
	    "relaywarden 0-11-22 10:00:00" },
	{ "reload refused", "Nov 22 10:00:00 mx relaywarden[812]: reload "
	    "refused: 2 error(s); the previous policy stays in force",
	    "reload_refused 0-11-22 10:00:00" },
	{ "a refused reload's error", "Nov 22 10:00:00 mx relaywarden[812]: "
	    "reload refused: /etc/relaywarden/relaywarden.conf:3: unknown key",
	    "relaywarden 0-11-22 10:00:00" },
	{ "lost lines", "Nov 22 10:00:00 mx relaywarden[812]: warning: the "
	    "syslog socket was unreachable: 42 line(s) lost",
	    "lost 0-11-22 10:00:00 42" },
	{ "listening", "Nov 22 10:00:00 mx relaywarden[812]: listening on "
	    "unix:/var/spool/postfix/relaywarden/relaywarden.sock as uid 110",
	    "relaywarden 0-11-22 10:00:00" },
	{ "a warning", "Nov 22 10:00:00 mx relaywarden[812]: warning: the MTA "
	    "sent no {daemon_port}", "relaywarden 0-11-22 10:00:00" },
	{ "empty message", "Nov 22 10:00:00 mx relaywarden[812]:",
	    "relaywarden 0-11-22 10:00:00" },

	/* Other programs, and relaywarden's -f copy. */
	{ "postfix", "Nov 22 08:53:16 mx postfix/smtpd[9]: connect from x",
	    "other 0-11-22 08:53:16" },
	{ "a longer name", "Nov 22 08:53:16 mx relaywarden-report[9]: x",
	    "other 0-11-22 08:53:16" },
	{ "a name that starts the same", "Nov 22 08:53:16 mx "
	    "relaywardens[9]: NOQUEUE: " DEC, "other 0-11-22 08:53:16" },
	{ "empty pid", "Nov 22 08:53:16 mx relaywarden[]: NOQUEUE: " DEC,
	    "other 0-11-22 08:53:16" },
	{ "pid not a number", "Nov 22 08:53:16 mx relaywarden[8a]: x",
	    "other 0-11-22 08:53:16" },
	{ "host only", "Nov 22 08:53:16 mx", "other 0-11-22 08:53:16" },
	{ "undated: the -f copy", "relaywarden[812]: NOQUEUE: " DEC,
	    "undated" },

	/* Damaged. */
	{ "empty line", "", "damaged no time stamp" },
	{ "garbage", "garbage", "damaged no time stamp" },
	{ "stamp with nothing after", "Nov 22 08:53:16",
	    "damaged no time stamp" },
	{ "no such month", "Foo 22 08:53:16 mx relaywarden[1]: x",
	    "damaged no time stamp" },
	{ "hour 24", "Nov 22 24:00:00 mx relaywarden[1]: x",
	    "damaged no time stamp" },
	{ "day 0", "Nov  0 08:00:00 mx relaywarden[1]: x",
	    "damaged no time stamp" },
	{ "iso zone over 18 h", "2026-11-22T08:53:16+19:00 mx "
	    "relaywarden[1]: x", "damaged no time stamp" },
	{ "iso month 13", "2026-13-22T08:53:16Z mx relaywarden[1]: x",
	    "damaged no time stamp" },
	{ "iso empty fraction", "2026-11-22T08:53:16.Z mx relaywarden[1]: x",
	    "damaged no time stamp" },
	{ "cut before policy", "Nov 22 08:53:16 mx relaywarden[812]: NOQUEUE: "
	    "listener=smtp port=25 client=203.0.113.7 auth=- tls=- "
	    "from=<a@b.example> rcpt=<x@remote.example> decision=reject "
	    "reason=relay_denied code=554 dsn=5.7.1",
	    "damaged key missing" },
	{ "cut in policy", "Nov 22 08:53:16 mx relaywarden[812]: NOQUEUE: "
	    "listener=smtp port=25 client=203.0.113.7 auth=- tls=- "
	    "from=<a@b.example> rcpt=<x@remote.example> decision=reject "
	    "reason=relay_denied code=554 dsn=5.7.1 policy=3f2a9c",
	    "damaged bad policy" },
	{ "cut in a key", "Nov 22 08:53:16 mx relaywarden[812]: NOQUEUE: "
	    "listener=smtp port=25 client=203.0.113.7 auth=- tls=- "
	    "from=<a@b.example> rcpt=<x@remote.example> decision=reject "
	    "reason=relay_denied code=554 dsn=5.7.1 pol",
	    "damaged word not key=value" },
	{ "cut after the queue id", "Nov 22 08:53:16 mx relaywarden[812]: "
	    "NOQUEUE: listener=", "damaged word not key=value" },
	{ "a control byte", "Nov 22 08:53:16 mx relaywarden[812]: NOQUEUE: "
	    "listener=smtp port=25 client=203.0.113.7 auth=- tls=- "
	    "from=<a\x1b[31m@b.example> rcpt=<x@remote.example> decision=reject "
	    "reason=relay_denied code=554 dsn=5.7.1 policy=3f2a9c01d4e5",
	    "damaged byte not printable" },
	{ "an 8-bit byte", "Nov 22 08:53:16 mx relaywarden[812]: NOQUEUE: "
	    "listener=smtp port=25 client=203.0.113.7 auth=- tls=- "
	    "from=<jos\xc3\xa9@b.example> rcpt=<x@remote.example> "
	    "decision=reject reason=relay_denied code=554 dsn=5.7.1 "
	    "policy=3f2a9c01d4e5", "damaged byte not printable" },
	{ "DEL", "Nov 22 08:53:16 mx relaywarden[812]: NOQUEUE: "
	    "listener=smtp client=1.2.3.4\x7f decision=accept "
	    "reason=my_networks policy=3f2a9c01d4e5",
	    "damaged byte not printable" },
	{ "a key added by a forger", "Nov 22 08:53:16 mx relaywarden[812]: "
	    "NOQUEUE: listener=smtp port=25 client=203.0.113.7 auth=- tls=- "
	    "from=<a@b.example> decision=accept rcpt=<x@remote.example> "
	    "decision=reject reason=relay_denied code=554 dsn=5.7.1 "
	    "policy=3f2a9c01d4e5", "damaged key twice" },
	{ "two spaces", "Nov 22 08:53:16 mx relaywarden[812]: NOQUEUE: "
	    "listener=smtp  client=1.2.3.4 decision=accept reason=my_networks "
	    "policy=3f2a9c01d4e5", "damaged empty word" },
	{ "a space at the end", "Nov 22 08:53:16 mx relaywarden[812]: NOQUEUE: "
	    "listener=smtp client=1.2.3.4 decision=accept reason=my_networks "
	    "policy=3f2a9c01d4e5 ", "damaged empty word" },
	{ "empty value", "Nov 22 08:53:16 mx relaywarden[812]: NOQUEUE: "
	    "listener=smtp client= decision=accept reason=my_networks "
	    "policy=3f2a9c01d4e5", "damaged word not key=value" },
	{ "a decision not ours", "Nov 22 08:53:16 mx relaywarden[812]: "
	    "NOQUEUE: listener=smtp client=1.2.3.4 decision=Reject "
	    "reason=my_networks policy=3f2a9c01d4e5", "damaged bad word" },
	{ "bad code", "Nov 22 08:53:16 mx relaywarden[812]: NOQUEUE: "
	    "listener=smtp client=1.2.3.4 decision=reject reason=relay_denied "
	    "code=5x4 dsn=5.7.1 policy=3f2a9c01d4e5", "damaged bad code" },
	{ "bad dsn", "Nov 22 08:53:16 mx relaywarden[812]: NOQUEUE: "
	    "listener=smtp client=1.2.3.4 decision=reject reason=relay_denied "
	    "code=554 dsn=5.7.x policy=3f2a9c01d4e5", "damaged bad code" },
	{ "upper-case policy", "Nov 22 08:53:16 mx relaywarden[812]: NOQUEUE: "
	    "listener=smtp client=1.2.3.4 decision=accept reason=my_networks "
	    "policy=3F2A9C01D4E5", "damaged bad policy" },
	{ "no queue id", "Nov 22 08:53:16 mx relaywarden[812]: NOQUEUE "
	    "listener=smtp client=1.2.3.4 decision=accept reason=my_networks "
	    "policy=3f2a9c01d4e5", "damaged no queue id" },
	{ "no decision or event", "Nov 22 08:53:16 mx relaywarden[812]: "
	    "NOQUEUE: listener=smtp client=1.2.3.4", "damaged no decision" },
	{ "bad event", "Nov 22 08:53:16 mx relaywarden[812]: NOQUEUE: "
	    "client=1.2.3.4 event=Limit", "damaged bad event" },
	{ "start with a short digest", "Nov 22 08:00:00 mx relaywarden[812]: "
	    "starting: config=/x sha256=3f2a9c01d4e5 mode=enforce",
	    "damaged bad sha256" },
	{ "start with a control byte", "Nov 22 08:00:00 mx relaywarden[812]: "
	    "starting: config=/x\x01 sha256=" D64 " mode=enforce",
	    "damaged byte not printable" },
	{ "start cut", "Nov 22 08:00:00 mx relaywarden[812]: starting: "
	    "config=/etc/relaywarden/relaywarden.conf sha256=3f2a",
	    "damaged bad sha256" },
};

/* "(null)" for an absent value, else the value. */
static void
put(char *buf, size_t len, struct ll_str v)
{
	size_t o = strlen(buf);

	if (v.p == NULL)
		snprintf(buf + o, len - o, " (null)");
	else
		snprintf(buf + o, len - o, " %.*s", (int)v.n, v.p);
}

static void
render(char *buf, size_t len, const struct logline *l)
{
	const struct stamp *s = &l->stamp;
	size_t o;

	snprintf(buf, len, "%s", logline_kind_name(l->kind));
	if (l->kind == LL_DAMAGED) {
		o = strlen(buf);
		snprintf(buf + o, len - o, " %s", TU_S(l->why));
		return;
	}
	if (l->kind == LL_UNDATED)
		return;
	o = strlen(buf);
	o += (size_t)snprintf(buf + o, len - o, " %d-%02d-%02d %02d:%02d:%02d",
	    s->year, s->mon, s->mday, s->hour, s->min, s->sec);
	if (s->zoned)
		snprintf(buf + o, len - o, "%+d", s->off_min);
	switch (l->kind) {
	case LL_DECISION:
		put(buf, len, l->queue_id);
		put(buf, len, l->listener);
		put(buf, len, l->client);
		put(buf, len, l->auth);
		put(buf, len, l->from);
		put(buf, len, l->rcpt);
		put(buf, len, l->decision);
		put(buf, len, l->reason);
		put(buf, len, l->code);
		put(buf, len, l->policy);
		break;
	case LL_EVENT:
		put(buf, len, l->event);
		put(buf, len, l->client);
		break;
	case LL_MESSAGE:
		put(buf, len, l->queue_id);
		put(buf, len, l->listener);
		put(buf, len, l->client);
		put(buf, len, l->auth);
		put(buf, len, l->from);
		put(buf, len, l->accepted);
		put(buf, len, l->refused);
		put(buf, len, l->policy);
		break;
	case LL_START:
	case LL_RELOAD:
		put(buf, len, l->digest);
		put(buf, len, l->mode);
		break;
	case LL_LOST:
		o = strlen(buf);
		snprintf(buf + o, len - o, " %lu", l->lost);
		break;
	default:
		break;
	}
}

/* Parses n bytes of text from a buffer of exactly n bytes; only the kind
 * and why of l may be read after (the values pointed into the buffer). */
static void
parse_exact(const char *text, size_t n, struct logline *l)
{
	char *copy = malloc(n > 0 ? n : 1);

	ck_assert(copy != NULL);
	memcpy(copy, text, n);
	logline_parse(copy, n, "relaywarden", 11, l);
	/* The values point into the line; check them before it goes. */
	free(copy);
}

START_TEST(test_parse)
{
	const struct case_ *c = &cases[_i];
	size_t n = strlen(c->line);
	char *copy = malloc(n > 0 ? n : 1), got[2048], shown[4096];
	struct logline l;

	ck_assert(copy != NULL);
	memcpy(copy, c->line, n);
	ck_assert_int_eq(logline_parse(copy, n, "relaywarden", 11, &l), l.kind);
	render(got, sizeof(got), &l);
	ck_assert_msg(strcmp(got, c->want) == 0, "%s: line %s\n got  %s\n want %s",
	    c->name, tu_show(c->line, shown, sizeof(shown)), got, c->want);
	free(copy);
}
END_TEST

/* A NUL byte is a byte like another: it damages a decision line and does
 * not end the line early. */
START_TEST(test_nul)
{
	static const char line[] = "Nov 22 08:53:16 mx relaywarden[812]: "
	    "NOQUEUE: listener=smtp client=1.2.3.4\0x decision=accept "
	    "reason=my_networks policy=3f2a9c01d4e5";
	static const char start[] = "Nov 22 08:00:00 mx relaywarden[812]: "
	    "starting: config=/x\0 sha256=" D64;
	struct logline l;

	parse_exact(line, sizeof(line) - 1, &l);
	ck_assert_int_eq(l.kind, LL_DAMAGED);
	ck_assert_str_eq(l.why, "byte not printable");
	parse_exact(start, sizeof(start) - 1, &l);
	ck_assert_int_eq(l.kind, LL_DAMAGED);
}
END_TEST

/* Values of 511 bytes are taken (relaywarden's longest), 512 are not. */
START_TEST(test_value_length)
{
	char line[1200], v[600];
	struct logline l;
	int n;

	memset(v, 'a', sizeof(v));
	for (int len = 511; len <= 512; len++) {
		n = snprintf(line, sizeof(line), "Nov 22 08:53:16 mx "
		    "relaywarden[1]: NOQUEUE: listener=smtp client=1.2.3.4 "
		    "from=<%.*s> decision=reject reason=relay_denied "
		    "policy=3f2a9c01d4e5", len - 2, v);
		parse_exact(line, (size_t)n, &l);
		ck_assert_msg(l.kind == (len == 511 ? LL_DECISION : LL_DAMAGED),
		    "a value of %d bytes: %s", len, logline_kind_name(l.kind));
	}
}
END_TEST

/* Another ident (-t): only its lines are relaywarden's. */
START_TEST(test_ident)
{
	static const char line[] = "Nov 22 08:53:16 mx rw-test[812]: "
	    "NOQUEUE: " DEC;
	struct logline l;

	logline_parse(line, sizeof(line) - 1, "rw-test", 7, &l);
	ck_assert_int_eq(l.kind, LL_DECISION);
	logline_parse(line, sizeof(line) - 1, "relaywarden", 11, &l);
	ck_assert_int_eq(l.kind, LL_OTHER);
}
END_TEST

/* Every prefix of a decision line is damaged or another line, never a
 * decision but the whole; none reads past its end (ASan, valgrind). */
START_TEST(test_every_cut)
{
	static const char line[] = "2026-11-22T08:53:16.123456+01:00 mx "
	    "relaywarden[812]: 4XyZ1: " DEC;
	size_t n;
	struct logline l;

	for (n = 0; n < sizeof(line) - 1; n++) {
		parse_exact(line, n, &l);
		ck_assert_msg(l.kind != LL_DECISION, "cut at %zu: a decision", n);
	}
	parse_exact(line, sizeof(line) - 1, &l);
	ck_assert_int_eq(l.kind, LL_DECISION);
}
END_TEST

/*
 * What the daemon's own writer (log.c) makes of hostile values, read
 * back: a decision, each value exactly as escape_value() wrote it.
 */
START_TEST(test_round_trip)
{
	static char big[2000];
	static const char *const values[] = {
		"a b", "a\"b", "a\\b", "x\r\nNov 22 08:53:16 mx relaywarden[1]: "
		"NOQUEUE: decision=accept", "jos\xc3\xa9@b.example",
		"\x1b[31mred", "policy=000000000000", "ends in \\...",
		"<user@remote.example> decision=accept", big,
	};
	char line[LOG_LINE_MAX + 64], want[LOG_VALUE_MAX];
	struct log_decision d = { 0 };
	struct logline l;
	size_t i, h;

	memset(big, 'x', sizeof(big) - 1);
	for (i = 0; i < NCASES(values); i++) {
		d.queue_id = values[i];
		d.listener = "smtp";
		d.port = "25";
		d.client = values[i];
		d.auth = values[i];
		d.tls = NULL;
		d.from = values[i];
		d.rcpt = values[i];
		d.decision = "reject";
		d.reason = "relay_denied";
		d.code = "554";
		d.dsn = "5.7.1";
		d.policy = "3f2a9c01d4e5";
		h = (size_t)snprintf(line, sizeof(line),
		    "Nov 22 08:53:16 mx relaywarden[812]: ");
		log_format_decision(line + h, sizeof(line) - h, &d);
		logline_parse(line, strlen(line), "relaywarden", 11, &l);
		ck_assert_msg(l.kind == LL_DECISION, "value %zu: %s (%s)", i,
		    logline_kind_name(l.kind), TU_S(l.why));
		escape_value(want, sizeof(want), values[i]);
		ck_assert_msg(strlen(want) == l.client.n &&
		    strlen(want) == l.rcpt.n && strlen(want) == l.queue_id.n,
		    "value %zu: lengths %zu %zu %zu, want %zu", i, l.client.n,
		    l.rcpt.n, l.queue_id.n, strlen(want));
		ck_assert(memcmp(l.client.p, want, l.client.n) == 0 &&
		    memcmp(l.rcpt.p, want, l.rcpt.n) == 0 &&
		    memcmp(l.queue_id.p, want, l.queue_id.n) == 0);
		ck_assert(l.tls.n == 1 && l.tls.p[0] == '-');
	}
}
END_TEST

/* The message line the daemon writes (log_format_message()), read back:
 * a message, with the transaction's part of its decision lines. */
START_TEST(test_message_round_trip)
{
	struct log_decision d = { 0 };
	struct log_message m = { 0 };
	char txn[LOG_TXN_MAX], line[LOG_LINE_MAX + 64];
	struct logline l;
	size_t h;

	d.listener = "submission";
	d.port = "587";
	d.client = "2001:db8::1";
	d.auth = "o\"brien decision=accept@b";
	d.tls = "TLSv1.3";
	d.from = "<a b@c>";
	m.queue_id = "4XyZ1abc";
	m.txn = txn;
	m.txn_len = log_format_txn(txn, sizeof(txn), &d);
	m.accepted = 18446744073709551615UL;
	m.refused = 0;
	m.policy = "3f2a9c01d4e5";
	h = (size_t)snprintf(line, sizeof(line),
	    "Nov 22 08:53:16 mx relaywarden[812]: ");
	log_format_message(line + h, sizeof(line) - h, &m);
	ck_assert_str_eq(line + h, "4XyZ1abc: listener=submission port=587 "
	    "client=2001:db8::1 auth=o\\\"brien\\x20decision=accept@b "
	    "tls=TLSv1.3 from=<a\\x20b@c> accepted=18446744073709551615 "
	    "refused=0 policy=3f2a9c01d4e5");
	logline_parse(line, strlen(line), "relaywarden", 11, &l);
	ck_assert_msg(l.kind == LL_MESSAGE, "20 digits: %s (%s)",
	    logline_kind_name(l.kind), TU_S(l.why));
	m.accepted = 3;
	m.queue_id = NULL;
	log_format_message(line + h, sizeof(line) - h, &m);
	logline_parse(line, strlen(line), "relaywarden", 11, &l);
	ck_assert_msg(l.kind == LL_MESSAGE, "%s (%s)",
	    logline_kind_name(l.kind), TU_S(l.why));
	ck_assert(l.queue_id.n == 7 && memcmp(l.queue_id.p, "NOQUEUE", 7) == 0);
	ck_assert(l.accepted.n == 1 && l.accepted.p[0] == '3');
	ck_assert(l.decision.p == NULL && l.reason.p == NULL);
}
END_TEST

Suite *
logline_suite(void)
{
	Suite *s = suite_create("logline");
	TCase *tc = tcase_create("logline");

	tcase_add_loop_test(tc, test_parse, 0, NCASES(cases));
	tcase_add_test(tc, test_nul);
	tcase_add_test(tc, test_value_length);
	tcase_add_test(tc, test_ident);
	tcase_add_test(tc, test_every_cut);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_message_round_trip);
	suite_add_tcase(s, tc);
	return s;
}
