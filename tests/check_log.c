/*
 * log: escape_value() byte by byte and at its bound, the decision line
 * exactly (a hostile recipient must not add a key or a line). The syslog
 * facility names are conf's (check_conf.c).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "escape.h"
#include "log.h"
#include "testutil.h"

struct esc_case {
	const char	*name;
	const char	*in;
	size_t		dstlen;		/* 0: LOG_VALUE_MAX */
	const char	*want;
};

static const struct esc_case esc_cases[] = {
	{ "NULL", NULL, 0, "-" },
	{ "empty", "", 0, "-" },
	{ "plain address", "user@bluemind.loc", 0, "user@bluemind.loc" },
	{ "brackets kept", "<user@bluemind.loc>", 0, "<user@bluemind.loc>" },
	{ "equals kept", "decision=accept", 0, "decision=accept" },
	{ "percent kept", "a%b@c", 0, "a%b@c" },
	{ "space", "a b", 0, "a\\x20b" },
	{ "CR", "a\rb", 0, "a\\x0db" },
	{ "LF", "a\nb", 0, "a\\x0ab" },
	{ "CRLF", "a\r\nb", 0, "a\\x0d\\x0ab" },
	{ "tab", "\t", 0, "\\x09" },
	{ "control bytes", "\x01\x1b\x1f", 0, "\\x01\\x1b\\x1f" },
	{ "DEL", "\x7f", 0, "\\x7f" },
	{ "8-bit", "jos\xc3\xa9", 0, "jos\\xc3\\xa9" },
	{ "byte 0xff", "\xff", 0, "\\xff" },
	{ "byte 0x80", "\x80", 0, "\\x80" },
	{ "quote", "say \"hi\"", 0, "say\\x20\\\"hi\\\"" },
	{ "backslash", "a\\b", 0, "a\\\\b" },
	{ "backslash x is not a hex escape", "\\x41", 0, "\\\\x41" },
	{ "marker text in the input", "a\\...", 0, "a\\\\..." },
	{ "dash alone", "-", 0, "-" },
	{ "tilde", "~", 0, "~" },

	/* The bound: dstlen 16 holds 15 bytes of text. A value whose
	 * escaped form fits is written whole; a longer one keeps the
	 * longest run of whole escapes that leaves room for "\...". */
	{ "11 bytes in 16", "abcdefghijk", 16, "abcdefghijk" },
	/* Regression (fixed in 408cd75): room for the marker was reserved
	 * even when the rest of the value fit, so values of dstlen-5 ..
	 * dstlen-1 escaped bytes came out cut. */
	{ "12 bytes in 16", "abcdefghijkl", 16, "abcdefghijkl" },
	{ "15 bytes in 16 (exactly full)", "abcdefghijklmno", 16,
	    "abcdefghijklmno" },
	{ "16 bytes in 16 (one over)", "abcdefghijklmnop", 16,
	    "abcdefghijk\\..." },
	{ "long value in 16", "abcdefghijklmnopqrstuvwxyz", 16,
	    "abcdefghijk\\..." },
	{ "escape ending exactly full", "abcdefghijk\n", 16,
	    "abcdefghijk\\x0a" },
	{ "escape one over", "abcdefghijkl\n", 16, "abcdefghijk\\..." },
	{ "escape not split", "abcdefgh\n\n\n", 16, "abcdefgh\\..." },
	{ "backslash pair not split", "abcdefghij\\\\\\", 16,
	    "abcdefghij\\..." },
	{ "4 bytes in the minimum 8", "abcd", 8, "abcd" },
	{ "7 bytes in the minimum 8", "abcdefg", 8, "abcdefg" },
	{ "8 bytes in the minimum 8", "abcdefgh", 8, "abc\\..." },
	{ "escape in the minimum 8", "\n\n", 8, "\\..." },
};

START_TEST(test_escape)
{
	const struct esc_case *c = &esc_cases[_i];
	size_t len = c->dstlen ? c->dstlen : LOG_VALUE_MAX;
	char *buf = malloc(len + 16);
	char *ret;

	ck_assert(buf != NULL);
	/* Bytes past dstlen must stay untouched. */
	memset(buf, '#', len + 16);
	ret = escape_value(buf, len, c->in);
	ck_assert_msg(ret == buf, "%s: did not return dst", c->name);
	ck_assert_msg(memchr(buf, '\0', len) != NULL,
	    "%s: no NUL within %zu bytes", c->name, len);
	ck_assert_msg(strcmp(buf, c->want) == 0, "%s: got \"%s\", want \"%s\"",
	    c->name, buf, c->want);
	ck_assert_msg(buf[len] == '#', "%s: wrote past dstlen", c->name);
	free(buf);
}
END_TEST

/* At LOG_VALUE_MAX itself: 511 printable bytes fit whole, 512 do not. */
struct bound_case {
	const char	*name;
	size_t		in_len;		/* bytes of 'a' */
	size_t		want_a;		/* 'a' bytes kept */
	bool		marker;
};

static const struct bound_case bound_cases[] = {
	{ "506 bytes", 506, 506, false },
	{ "507 bytes", 507, 507, false },
	/* Regression (as above): 508..511 bytes fit in 512 but were cut. */
	{ "508 bytes", 508, 508, false },
	{ "511 bytes", 511, 511, false },
	{ "512 bytes", 512, 507, true },
	{ "2000 bytes", 2000, 507, true },
};

START_TEST(test_escape_bound)
{
	const struct bound_case *c = &bound_cases[_i];
	char in[2048], got[LOG_VALUE_MAX], want[LOG_VALUE_MAX + 8];

	memset(in, 'a', c->in_len);
	in[c->in_len] = '\0';
	memset(want, 'a', c->want_a);
	strcpy(want + c->want_a, c->marker ? "\\..." : "");
	escape_value(got, sizeof(got), in);
	ck_assert_msg(strcmp(got, want) == 0,
	    "%s: got %zu bytes ending \"%s\", want %zu bytes ending \"%s\"",
	    c->name, strlen(got), got + (strlen(got) > 8 ? strlen(got) - 8 : 0),
	    strlen(want), want + (strlen(want) > 8 ? strlen(want) - 8 : 0));
}
END_TEST

struct line_case {
	const char		*name;
	struct log_decision	d;
	const char		*want;
};

static const struct line_case line_cases[] = {
	{ "reject with queue id",
	    { "4XyZ1Q2abcz", "smtp", "25", "203.0.113.7", NULL, NULL,
	      "<a@b.example>", "<x@remote.example>", "reject", "relay_denied",
	      "554", "5.7.1", "0123456789ab", NULL, 0, NULL, NULL },
	    "4XyZ1Q2abcz: listener=smtp port=25 client=203.0.113.7 auth=- "
	    "tls=- from=<a@b.example> rcpt=<x@remote.example> decision=reject "
	    "reason=relay_denied code=554 dsn=5.7.1 policy=0123456789ab" },
	{ "accept before the queue id is known",
	    { NULL, "submission", "587", "2001:db8::7", "alice", "TLSv1.3",
	      "<alice@bluemind.loc>", "<bob@remote.example>", "accept",
	      "authenticated", NULL, NULL, "0123456789ab", NULL, 0, NULL, NULL },
	    "NOQUEUE: listener=submission port=587 client=2001:db8::7 "
	    "auth=alice tls=TLSv1.3 from=<alice@bluemind.loc> "
	    "rcpt=<bob@remote.example> decision=accept reason=authenticated "
	    "code=- dsn=- policy=0123456789ab" },
	{ "every field NULL",
	    { NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	      NULL, NULL, NULL, NULL, 0, NULL, NULL },
	    "NOQUEUE: listener=- port=- client=- auth=- tls=- from=- rcpt=- "
	    "decision=- reason=- code=- dsn=- policy=-" },
	{ "empty strings are -",
	    { NULL, "smtp", "", "", "", "", "", "", "accept", "sender_ok",
	      NULL, NULL, "0123456789ab", NULL, 0, NULL, NULL },
	    "NOQUEUE: listener=smtp port=- client=- auth=- tls=- from=- rcpt=- "
	    "decision=accept reason=sender_ok code=- dsn=- policy=0123456789ab" },
	{ "null sender",
	    { NULL, "smtp", "25", "203.0.113.7", NULL, NULL, "<>",
	      "<Postmaster>", "accept", "postmaster", NULL, NULL, "abc", NULL, 0, NULL, NULL },
	    "NOQUEUE: listener=smtp port=25 client=203.0.113.7 auth=- tls=- "
	    "from=<> rcpt=<Postmaster> decision=accept reason=postmaster "
	    "code=- dsn=- policy=abc" },
	{ "hostile rcpt cannot add a key or a line",
	    { NULL, "smtp", "25", "203.0.113.7", NULL, NULL, "<a@b.example>",
	      "a@b decision=accept\nX", "reject", "bad_address", "501",
	      "5.1.3", "abc", NULL, 0, NULL, NULL },
	    "NOQUEUE: listener=smtp port=25 client=203.0.113.7 auth=- tls=- "
	    "from=<a@b.example> rcpt=a@b\\x20decision=accept\\x0aX "
	    "decision=reject reason=bad_address code=501 dsn=5.1.3 policy=abc" },
	{ "hostile login, tls and sender",
	    { NULL, "submission", "587", "192.0.2.1", "bob\" reason=x",
	      "TLS\r\n1.3", "<\"a b\"@c>", "<d@e>", "reject", "tls_required",
	      "530", "5.7.0", "abc", NULL, 0, NULL, NULL },
	    "NOQUEUE: listener=submission port=587 client=192.0.2.1 "
	    "auth=bob\\\"\\x20reason=x tls=TLS\\x0d\\x0a1.3 "
	    "from=<\\\"a\\x20b\\\"@c> rcpt=<d@e> decision=reject "
	    "reason=tls_required code=530 dsn=5.7.0 policy=abc" },
	{ "hostile queue id and port",
	    { "ABC DEF", "smtp", "25 x=y", "192.0.2.1", NULL, NULL, NULL,
	      NULL, "tempfail", "unknown_listener", "451", "4.3.5", "abc", NULL, 0, NULL, NULL },
	    "ABC\\x20DEF: listener=smtp port=25\\x20x=y client=192.0.2.1 "
	    "auth=- tls=- from=- rcpt=- decision=tempfail "
	    "reason=unknown_listener code=451 dsn=4.3.5 policy=abc" },
	{ "8-bit rcpt",
	    { NULL, "smtp", "25", "192.0.2.1", NULL, NULL, "<>",
	      "<jos\xc3\xa9@bluemind.loc>", "would_reject", "relay_denied",
	      "554", "5.7.1", "abc", NULL, 0, NULL, NULL },
	    "NOQUEUE: listener=smtp port=25 client=192.0.2.1 auth=- tls=- "
	    "from=<> rcpt=<jos\\xc3\\xa9@bluemind.loc> decision=would_reject "
	    "reason=relay_denied code=554 dsn=5.7.1 policy=abc" },
};

static int
count(const char *hay, const char *needle)
{
	int n = 0;

	for (; (hay = strstr(hay, needle)) != NULL; hay++)
		n++;
	return n;
}

/* Each byte value at each offset of a value, against a byte-by-byte
 * reference written apart from escape.c (no bound: these all fit). */
static size_t
ref_escape(char *dst, const unsigned char *s)
{
	size_t o = 0;

	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '"') {
			dst[o++] = '\\';
			dst[o++] = (char)*s;
		} else if (*s <= ' ' || *s >= 0x7f)
			o += (size_t)sprintf(dst + o, "\\x%02x", *s);
		else
			dst[o++] = (char)*s;
	}
	dst[o] = '\0';
	return o;
}

START_TEST(test_escape_every_byte_every_offset)
{
	unsigned char in[40];
	char got[LOG_VALUE_MAX], want[200];
	int c, at, len;

	for (len = 1; len <= 24; len++)
		for (at = 0; at < len; at++)
			for (c = 1; c < 256; c++) {
				memset(in, 'a' + len % 26, (size_t)len);
				in[at] = (unsigned char)c;
				in[len] = '\0';
				ref_escape(want, in);
				escape_value(got, sizeof(got), (const char *)in);
				ck_assert_msg(strcmp(got, want) == 0,
				    "byte 0x%02x at %d of %d: got \"%s\", want"
				    " \"%s\"", c, at, len, got, want);
			}
}
END_TEST

START_TEST(test_line)
{
	const struct line_case *c = &line_cases[_i];
	char buf[LOG_LINE_MAX];
	char *ret;

	ret = log_format_decision(buf, sizeof(buf), &c->d);
	ck_assert_msg(ret == buf, "%s: did not return buf", c->name);
	ck_assert_msg(strcmp(buf, c->want) == 0,
	    "%s:\n got \"%s\"\nwant \"%s\"", c->name, buf, c->want);
	/* Whatever the values: one line, each key exactly once. */
	ck_assert_msg(strchr(buf, '\n') == NULL && strchr(buf, '\r') == NULL,
	    "%s: line break in \"%s\"", c->name, buf);
	ck_assert_msg(count(buf, " decision=") == 1 &&
	    count(buf, " reason=") == 1 && count(buf, " rcpt=") == 1,
	    "%s: a key appears twice in \"%s\"", c->name, buf);
}
END_TEST

/* The same lines with the transaction's part made once beforehand, as
 * glue does for the recipients of a transaction. */
START_TEST(test_line_txn)
{
	const struct line_case *c = &line_cases[_i];
	struct log_decision d = c->d;
	char txn[LOG_TXN_MAX], buf[LOG_LINE_MAX];
	size_t n = log_format_txn(txn, sizeof(txn), &c->d);

	ck_assert_uint_eq(n, strlen(txn));
	/* Whatever the fields say now, the line takes the part made. */
	d.txn = txn;
	d.txn_len = n;
	d.listener = d.port = d.client = d.auth = d.tls = d.from = "IGNORED";
	log_format_decision(buf, sizeof(buf), &d);
	ck_assert_msg(strcmp(buf, c->want) == 0, "%s: got \"%s\", want \"%s\"",
	    c->name, buf, c->want);
}
END_TEST

/* The longest possible values still give the whole line, every key. */
START_TEST(test_line_all_long)
{
	char big[3000], buf[LOG_LINE_MAX], want[LOG_LINE_MAX], v[LOG_VALUE_MAX];
	struct log_decision d = { big, "submission", big, big, big, big, big,
	    big, "would_reject", "unknown_listener", "451", "4.3.5",
	    "0123456789ab", NULL, 0, big, big };

	/* Each byte escapes to 4, so every value is cut. */
	memset(big, '\x01', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memset(v, 0, sizeof(v));
	{
		size_t o = 0;

		while (o + 4 + 4 < sizeof(v)) {
			memcpy(v + o, "\\x01", 4);
			o += 4;
		}
		memcpy(v + o, "\\...", 5);
	}
	snprintf(want, sizeof(want), "%s: listener=submission port=%s "
	    "client=%s auth=%s tls=%s from=%s rcpt=%s decision=would_reject "
	    "reason=unknown_listener code=451 dsn=4.3.5 policy=0123456789ab "
	    "key=%s owners=%s", v, v, v, v, v, v, v, v, v);
	log_format_decision(buf, sizeof(buf), &d);
	ck_assert_msg(strcmp(buf, want) == 0,
	    "long values: got %zu bytes, want %zu; got ends \"%s\"",
	    strlen(buf), strlen(want), buf + strlen(buf) - 40);
}
END_TEST

Suite *
log_suite(void)
{
	Suite *s = suite_create("log");
	TCase *tc = tcase_create("escape");

	tcase_add_loop_test(tc, test_escape, 0, NCASES(esc_cases));
	tcase_add_loop_test(tc, test_escape_bound, 0, NCASES(bound_cases));
	tcase_add_test(tc, test_escape_every_byte_every_offset);
	suite_add_tcase(s, tc);

	tc = tcase_create("decision line");
	tcase_add_loop_test(tc, test_line, 0, NCASES(line_cases));
	tcase_add_loop_test(tc, test_line_txn, 0, NCASES(line_cases));
	tcase_add_test(tc, test_line_all_long);
	suite_add_tcase(s, tc);
	return s;
}
