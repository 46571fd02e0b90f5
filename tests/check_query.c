/*
 * query: "relaywarden -q" end to end through query_run(), with the
 * output and error streams in memory. Exact lines, exact messages.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "query.h"
#include "testutil.h"

#define BASE \
	"local_domains = bluemind.loc .example.org\n" \
	"my_networks = 127.0.0.0/8 [::1]/128 10.0.0.0/8\n" \
	"submission_ports = 465 587 ORIGINATING\n"

enum conf_id { Q_BASE, Q_MONITOR, Q_TEMPFAIL, Q_SENDER };

static const char *const confs[] = {
	[Q_BASE] = BASE,
	[Q_MONITOR] = BASE "mode = monitor\n",
	[Q_TEMPFAIL] = BASE "unknown_listener = tempfail\n",
	[Q_SENDER] = BASE "sender_login_check = authenticated\n"
	    "sender_login_self = yes\nsender_login_domain = bluemind.loc\n"
	    "recipient_delimiter = +\n",
};

#define RELAY(a) "reject 554 5.7.1 <" a ">: Relay access denied " \
	"reason=relay_denied\n"
#define USAGE_FACTS "the facts are port= name= client= auth= tls= from= rcpt="

struct qcase {
	const char	*name;
	enum conf_id	conf;
	const char	*argv[8];	/* NULL-terminated */
	int		status;
	const char	*out;
	const char	*err;
};

static const struct qcase cases[] = {
	/* The README's example: several facts in one argument. */
	{ "issue example", Q_BASE,
	    { "port=25 client=203.0.113.7 auth= tls= from=a@b.example "
	      "rcpt=x@remote.example rcpt=y@bluemind.loc" }, 0,
	    RELAY("x@remote.example") "accept reason=local_domain\n", "" },
	{ "facts spread over arguments", Q_BASE,
	    { "port=25", "client=10.1.2.3", "rcpt=x@remote.example" }, 0,
	    "accept reason=my_networks\n", "" },
	{ "facts mixed", Q_BASE,
	    { "port=587 tls=TLSv1.3", "auth=alice",
	      "rcpt=<\"a@b\"@remote.example> rcpt=<root>" }, 0,
	    "accept reason=authenticated\naccept reason=authenticated\n", "" },
	{ "recipients in order", Q_BASE,
	    { "port=25 client=203.0.113.7", "rcpt=<a@bluemind.loc>",
	      "rcpt=<b@remote.example>", "rcpt=<Postmaster>",
	      "rcpt=<c%d@bluemind.loc>", "rcpt=<root>", "rcpt=<>" }, 0,
	    "accept reason=local_domain\n"
	    RELAY("b@remote.example")
	    "accept reason=postmaster\n"
	    "reject 554 5.7.1 <c%d@bluemind.loc>: Relay access denied "
	    "reason=routing_trick\n"
	    "reject 504 5.5.2 <root>: Recipient address rejected: need "
	    "fully-qualified address reason=unqualified\n"
	    "reject 501 5.1.3 Bad recipient address syntax "
	    "reason=bad_address\n", "" },
	{ "same rcpt twice", Q_BASE,
	    { "port=25 rcpt=x@remote.example rcpt=x@remote.example" }, 0,
	    RELAY("x@remote.example") RELAY("x@remote.example"), "" },
	{ "white space of every kind", Q_BASE,
	    { "  port=25\tclient=203.0.113.7\n", "\trcpt=x@sub.example.org  " },
	    0, "accept reason=local_domain\n", "" },
	{ "value containing '='", Q_BASE,
	    { "port=587 tls=a=b auth=c=d rcpt=x@remote.example" }, 0,
	    "accept reason=authenticated\n", "" },

	/* No rcpt: the MAIL FROM stage, one line. */
	{ "mail stage, smtp", Q_BASE, { "port=25 client=203.0.113.7" }, 0,
	    "accept reason=sender_ok\n", "" },
	{ "mail stage, 587 without tls", Q_BASE,
	    { "port=587 client=10.1.2.3 auth=alice" }, 0,
	    "reject 530 5.7.0 Must issue a STARTTLS command first "
	    "reason=tls_required\n", "" },
	{ "mail stage, 587 without auth", Q_BASE,
	    { "port=587", "tls=TLSv1.2" }, 0,
	    "reject 530 5.7.0 Authentication required reason=auth_required\n",
	    "" },
	{ "no facts at all", Q_BASE, { NULL }, 0,
	    "accept reason=sender_ok\n", "" },
	{ "only blanks", Q_BASE, { " ", "" }, 0,
	    "accept reason=sender_ok\n", "" },

	/* Listener by name, and the client forms. */
	{ "name ORIGINATING", Q_BASE,
	    { "name=ORIGINATING tls=TLSv1.3 rcpt=x@remote.example" }, 0,
	    "reject 530 5.7.0 Authentication required reason=auth_required\n",
	    "" },
	{ "ipv4-mapped client", Q_BASE,
	    { "port=25 client=::ffff:10.1.2.3 rcpt=x@remote.example" }, 0,
	    "accept reason=my_networks\n", "" },
	{ "ipv6 client", Q_BASE,
	    { "port=25 client=::1 rcpt=x@remote.example" }, 0,
	    "accept reason=my_networks\n", "" },
	{ "ipv6 client, outside", Q_BASE,
	    { "port=25 client=2001:db8::7 rcpt=x@remote.example" }, 0,
	    RELAY("x@remote.example"), "" },
	{ "empty client is none", Q_BASE,
	    { "port=25 client= rcpt=x@remote.example" }, 0,
	    RELAY("x@remote.example"), "" },

	/* Modes. */
	{ "monitor", Q_MONITOR,
	    { "port=25 client=203.0.113.7 rcpt=x@remote.example "
	      "rcpt=y@bluemind.loc" }, 0,
	    "would_reject 554 5.7.1 <x@remote.example>: Relay access denied "
	    "reason=relay_denied\naccept reason=local_domain\n", "" },
	{ "tempfail", Q_TEMPFAIL, { "port=2525 rcpt=y@bluemind.loc" }, 0,
	    "tempfail 451 4.3.5 Server configuration error "
	    "reason=unknown_listener\n", "" },
	/* The sender check explains itself, then the MAIL FROM verdict,
	 * then the recipients'. */
	{ "sender: the login's own address", Q_SENDER,
	    { "port=587 auth=zed tls=TLSv1.3 from=<Zed+x@bluemind.loc>" }, 0,
	    "self: zed+x@bluemind.loc is the login's own address\n"
	    "accept reason=sender_owned\n", "" },
	{ "sender: each key looked up", Q_SENDER,
	    { "port=587 auth=zed tls=TLSv1.3 from=bob+y@bluemind.loc "
	      "rcpt=x@remote.example" }, 0,
	    "lookup bob+y@bluemind.loc: not found\n"
	    "lookup bob@bluemind.loc: not found\n"
	    "lookup bob+y: not found\nlookup bob: not found\n"
	    "lookup @bluemind.loc: not found\n"
	    "reject 553 5.7.1 <bob+y@bluemind.loc>: Sender address rejected: "
	    "not owned by user zed reason=sender_not_owned\n"
	    "reject 553 5.7.1 <bob+y@bluemind.loc>: Sender address rejected: "
	    "not owned by user zed reason=sender_not_owned\n", "" },
	{ "sender: a session the mode does not look at", Q_SENDER,
	    { "port=25 client=203.0.113.7 from=a@b.example "
	      "rcpt=x@bluemind.loc" }, 0,
	    "sender_login_check = authenticated does not look at this "
	    "sender\naccept reason=sender_ok\naccept reason=local_domain\n",
	    "" },
	{ "percent kept single", Q_BASE,
	    { "port=25 rcpt=100%@remote.example" }, 0,
	    "reject 554 5.7.1 <100%@remote.example>: Relay access denied "
	    "reason=routing_trick\n", "" },

	/* Usage errors: a message on err, nothing on out. */
	{ "not key=value", Q_BASE, { "port=25 rcpt" }, EX_USAGE, "",
	    "relaywarden: -q: \"rcpt\" is not key=value\n" },
	{ "unknown key", Q_BASE, { "port=25", "colour=red" }, EX_USAGE, "",
	    "relaywarden: -q: unknown fact \"colour\"; " USAGE_FACTS "\n" },
	{ "key in upper case", Q_BASE, { "PORT=25" }, EX_USAGE, "",
	    "relaywarden: -q: unknown fact \"PORT\"; " USAGE_FACTS "\n" },
	{ "empty key", Q_BASE, { "=25" }, EX_USAGE, "",
	    "relaywarden: -q: unknown fact \"\"; " USAGE_FACTS "\n" },
	{ "duplicate port", Q_BASE, { "port=25 port=587" }, EX_USAGE, "",
	    "relaywarden: -q: port= given twice\n" },
	{ "duplicate auth across arguments", Q_BASE,
	    { "auth=", "rcpt=x@remote.example", "auth=bob" }, EX_USAGE, "",
	    "relaywarden: -q: auth= given twice\n" },
	{ "duplicate from", Q_BASE, { "from=a@b from=<>" }, EX_USAGE, "",
	    "relaywarden: -q: from= given twice\n" },
	{ "bad client", Q_BASE,
	    { "port=25 client=10.1 rcpt=x@remote.example" }, EX_USAGE, "",
	    "relaywarden: -q: client=10.1 is not an IPv4 or IPv6 address\n" },
	{ "client with a prefix", Q_BASE,
	    { "client=10.0.0.0/8 rcpt=x@remote.example" }, EX_USAGE, "",
	    "relaywarden: -q: client=10.0.0.0/8 is not an IPv4 or IPv6 "
	    "address\n" },
	{ "client host name", Q_BASE, { "client=localhost" }, EX_USAGE, "",
	    "relaywarden: -q: client=localhost is not an IPv4 or IPv6 "
	    "address\n" },
	{ "error after good recipients prints nothing", Q_BASE,
	    { "port=25 rcpt=a@bluemind.loc rcpt=b@bluemind.loc", "bogus" },
	    EX_USAGE, "", "relaywarden: -q: \"bogus\" is not key=value\n" },
};

START_TEST(test_query)
{
	const struct qcase *c = &cases[_i];
	struct config *cf = tu_config(confs[c->conf]);
	char *out = NULL, *err = NULL, *argv[8];
	size_t outlen = 0, errlen = 0;
	FILE *fo, *fe;
	int argc, status;

	for (argc = 0; c->argv[argc] != NULL; argc++) {
		argv[argc] = strdup(c->argv[argc]);
		ck_assert(argv[argc] != NULL);
	}
	argv[argc] = NULL;
	fo = open_memstream(&out, &outlen);
	fe = open_memstream(&err, &errlen);
	ck_assert(fo != NULL && fe != NULL);
	status = query_run(cf, argc, argv, fo, fe);
	fclose(fo);
	fclose(fe);

	ck_assert_msg(status == c->status, "%s: status got %d, want %d",
	    c->name, status, c->status);
	ck_assert_msg(strcmp(out, c->out) == 0,
	    "%s: output\n got \"%s\"\nwant \"%s\"", c->name, out, c->out);
	ck_assert_msg(strcmp(err, c->err) == 0,
	    "%s: errors\n got \"%s\"\nwant \"%s\"", c->name, err, c->err);
	/* The arguments are the caller's: query_run() must not edit them. */
	for (argc = 0; c->argv[argc] != NULL; argc++) {
		ck_assert_msg(strcmp(argv[argc], c->argv[argc]) == 0,
		    "%s: argv[%d] changed to \"%s\"", c->name, argc,
		    argv[argc]);
		free(argv[argc]);
	}
	free(out);
	free(err);
	config_free(cf);
}
END_TEST

/* Many recipients in one argument: the rcpt array is sized right. */
START_TEST(test_many_rcpts)
{
	struct config *cf = tu_config(confs[Q_BASE]);
	char *arg, *out = NULL, *err = NULL, *argv[2];
	size_t outlen = 0, errlen = 0, i, n = 1000, o = 0;
	FILE *fo, *fe;
	int status;

	/* Shortest recipient words: "rcpt=" with an empty value. */
	arg = malloc(n * 6 + 16);
	ck_assert(arg != NULL);
	o += (size_t)sprintf(arg, "port=25");
	for (i = 0; i < n; i++)
		o += (size_t)sprintf(arg + o, " rcpt=");
	argv[0] = arg;
	argv[1] = NULL;
	fo = open_memstream(&out, &outlen);
	fe = open_memstream(&err, &errlen);
	ck_assert(fo != NULL && fe != NULL);
	status = query_run(cf, 1, argv, fo, fe);
	fclose(fo);
	fclose(fe);
	ck_assert_msg(status == 0, "1000 empty rcpts: status got %d, want 0; "
	    "errors \"%s\"", status, err);
	for (i = 0, o = 0; out[o] != '\0'; i++) {
		static const char line[] = "reject 501 5.1.3 Bad recipient "
		    "address syntax reason=bad_address\n";

		ck_assert_msg(strncmp(out + o, line, sizeof(line) - 1) == 0,
		    "1000 empty rcpts: line %zu got \"%.60s\", want \"%s\"", i,
		    out + o, line);
		o += sizeof(line) - 1;
	}
	ck_assert_msg(i == n, "1000 empty rcpts: got %zu lines, want %zu", i, n);
	free(arg);
	free(out);
	free(err);
	config_free(cf);
}
END_TEST

Suite *
query_suite(void)
{
	Suite *s = suite_create("query");
	TCase *tc = tcase_create("query_run");

	tcase_add_loop_test(tc, test_query, 0, NCASES(cases));
	tcase_add_test(tc, test_many_rcpts);
	suite_add_tcase(s, tc);
	return s;
}
