/*
 * policy: every rule of issue 2 as a table of (listener, client, auth,
 * tls, recipient) -> (decision, reason, code, xcode, text), on policies
 * built from config text through conf_load(), the way an admin writes
 * them. The '%' in a reply text is raw here: glue.c doubles it.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netaddr.h"
#include "policy.h"
#include "testutil.h"

/* A BlueMind front MTA. 192.0.2.66 is carved out of 192.0.2.0/24. */
#define BASE \
	"# relaywarden.conf for mx.bluemind.loc\n" \
	"local_domains = bluemind.loc, .example.org,\n" \
	"    [192.0.2.25] [IPv6:2001:DB8:0::25]\n" \
	"my_networks = 127.0.0.0/8, [::1]/128, 10.0.0.0/8\n" \
	"    !192.0.2.66, 192.0.2.0/24\n" \
	"    [2001:db8:1::]/48\n" \
	"smtp_ports = 25, MTA\n" \
	"submission_ports = 465 587 ORIGINATING\n"

enum conf_id {
	C_BASE,		/* defaults for everything else */
	C_NO_TLS,	/* submission_require_tls = no */
	C_UNK_SUB,	/* unknown_listener = submission */
	C_UNK_TEMP,	/* unknown_listener = tempfail */
	C_MONITOR,	/* mode = monitor */
	C_MON_TEMP,	/* monitor and unknown_listener = tempfail */
	C_EMPTY,	/* an empty file: nothing configured */
};

static const char *const confs[] = {
	[C_BASE] = BASE,
	[C_NO_TLS] = BASE "submission_require_tls = no\n",
	[C_UNK_SUB] = BASE "unknown_listener = submission\n",
	[C_UNK_TEMP] = BASE "unknown_listener = tempfail\n",
	[C_MONITOR] = BASE "mode = monitor\n",
	[C_MON_TEMP] = BASE "mode = monitor\nunknown_listener = tempfail\n",
	[C_EMPTY] = "# nothing\n",
};

/* Clients. */
#define OUT4	"203.0.113.7"		/* not in my_networks */
#define IN4	"10.1.2.3"		/* in 10.0.0.0/8 */
#define OUTMAP	"::ffff:203.0.113.7"
#define INMAP	"::ffff:10.1.2.3"
#define IN6	"2001:db8:1::5"
#define OUT6	"2001:db8:2::5"
#define EXCL	"192.0.2.66"		/* excluded by !192.0.2.66 */
#define NEXT	"192.0.2.67"		/* in 192.0.2.0/24 */
#define LOOP6	"::1"
#define NOCLIENT NULL

#define TLS	"TLSv1.3"
#define AUTH	"alice@bluemind.loc"

#define ACC(r)		DECISION_ACCEPT, r, NULL, NULL, ""
#define RELAY(a)	DECISION_REJECT, REASON_RELAY_DENIED, "554", "5.7.1", \
			"<" a ">: Relay access denied"
#define TRICK(a)	DECISION_REJECT, REASON_ROUTING_TRICK, "554", "5.7.1", \
			"<" a ">: Relay access denied"
#define UNQUAL(a)	DECISION_REJECT, REASON_UNQUALIFIED, "504", "5.5.2", \
			"<" a ">: Recipient address rejected: need " \
			"fully-qualified address"
#define BADADDR		DECISION_REJECT, REASON_BAD_ADDRESS, "501", "5.1.3", \
			"Bad recipient address syntax"
#define NEEDTLS		DECISION_REJECT, REASON_TLS_REQUIRED, "530", "5.7.0", \
			"Must issue a STARTTLS command first"
#define NEEDAUTH	DECISION_REJECT, REASON_AUTH_REQUIRED, "530", "5.7.0", \
			"Authentication required"
#define UNKNOWN		DECISION_TEMPFAIL, REASON_UNKNOWN_LISTENER, "451", \
			"4.3.5", "Server configuration error"

struct pcase {
	const char	*name;
	enum conf_id	conf;
	const char	*port, *dname, *client, *auth, *tls, *rcpt;
	enum decision	decision;
	enum reason	reason;
	const char	*code, *xcode, *text;
};

static const struct pcase cases[] = {
	/* smtp listener: auth x my_networks x local/remote recipient. */
	{ "smtp, outside, local rcpt", C_BASE, "25", NULL, OUT4, NULL, NULL,
	    "<user@bluemind.loc>", ACC(REASON_LOCAL_DOMAIN) },
	{ "smtp, outside, remote rcpt", C_BASE, "25", NULL, OUT4, NULL, NULL,
	    "<x@remote.example>", RELAY("x@remote.example") },
	{ "smtp, outside, auth, remote rcpt", C_BASE, "25", NULL, OUT4, AUTH,
	    NULL, "<x@remote.example>", ACC(REASON_AUTHENTICATED) },
	{ "smtp, outside, auth, local rcpt", C_BASE, "25", NULL, OUT4, AUTH,
	    NULL, "<user@bluemind.loc>", ACC(REASON_AUTHENTICATED) },
	{ "smtp, inside, local rcpt", C_BASE, "25", NULL, IN4, NULL, NULL,
	    "<user@bluemind.loc>", ACC(REASON_MY_NETWORKS) },
	{ "smtp, inside, remote rcpt", C_BASE, "25", NULL, IN4, NULL, NULL,
	    "<x@remote.example>", ACC(REASON_MY_NETWORKS) },
	{ "smtp, inside, auth, remote rcpt", C_BASE, "25", NULL, IN4, AUTH,
	    NULL, "<x@remote.example>", ACC(REASON_AUTHENTICATED) },
	{ "smtp, outside, empty auth is none", C_BASE, "25", NULL, OUT4, "",
	    "", "<x@remote.example>", RELAY("x@remote.example") },
	{ "smtp, TLS is not authentication", C_BASE, "25", NULL, OUT4, NULL,
	    TLS, "<x@remote.example>", RELAY("x@remote.example") },
	{ "smtp, no client address", C_BASE, "25", NULL, NOCLIENT, NULL, NULL,
	    "<x@remote.example>", RELAY("x@remote.example") },
	{ "smtp, no client address, local rcpt", C_BASE, "25", NULL, NOCLIENT,
	    NULL, NULL, "<user@bluemind.loc>", ACC(REASON_LOCAL_DOMAIN) },

	/* Client address families. */
	{ "smtp, ipv4-mapped inside", C_BASE, "25", NULL, INMAP, NULL, NULL,
	    "<x@remote.example>", ACC(REASON_MY_NETWORKS) },
	{ "smtp, ipv4-mapped outside", C_BASE, "25", NULL, OUTMAP, NULL, NULL,
	    "<x@remote.example>", RELAY("x@remote.example") },
	{ "smtp, ipv6 inside", C_BASE, "25", NULL, IN6, NULL, NULL,
	    "<x@remote.example>", ACC(REASON_MY_NETWORKS) },
	{ "smtp, ipv6 outside", C_BASE, "25", NULL, OUT6, NULL, NULL,
	    "<x@remote.example>", RELAY("x@remote.example") },
	{ "smtp, ipv6 loopback", C_BASE, "25", NULL, LOOP6, NULL, NULL,
	    "<x@remote.example>", ACC(REASON_MY_NETWORKS) },
	{ "smtp, Postfix IPv6: form", C_BASE, "25", NULL, "IPv6:" IN6, NULL,
	    NULL, "<x@remote.example>", ACC(REASON_MY_NETWORKS) },
	{ "smtp, excluded address", C_BASE, "25", NULL, EXCL, NULL, NULL,
	    "<x@remote.example>", RELAY("x@remote.example") },
	{ "smtp, excluded address, mapped", C_BASE, "25", NULL,
	    "::ffff:" EXCL, NULL, NULL, "<x@remote.example>",
	    RELAY("x@remote.example") },
	{ "smtp, next to the excluded address", C_BASE, "25", NULL, NEXT,
	    NULL, NULL, "<x@remote.example>", ACC(REASON_MY_NETWORKS) },

	/* submission: TLS first, then auth; my_networks does not exempt. */
	{ "587, no tls, no auth", C_BASE, "587", NULL, OUT4, NULL, NULL,
	    "<x@remote.example>", NEEDTLS },
	{ "587, no tls, auth", C_BASE, "587", NULL, OUT4, AUTH, NULL,
	    "<x@remote.example>", NEEDTLS },
	{ "587, tls, no auth", C_BASE, "587", NULL, OUT4, NULL, TLS,
	    "<x@remote.example>", NEEDAUTH },
	{ "587, tls, no auth, local rcpt", C_BASE, "587", NULL, OUT4, NULL,
	    TLS, "<user@bluemind.loc>", NEEDAUTH },
	{ "587, tls, auth, remote rcpt", C_BASE, "587", NULL, OUT4, AUTH, TLS,
	    "<x@remote.example>", ACC(REASON_AUTHENTICATED) },
	{ "587, tls, auth, local rcpt", C_BASE, "587", NULL, OUT4, AUTH, TLS,
	    "<user@bluemind.loc>", ACC(REASON_AUTHENTICATED) },
	{ "587, my_networks, tls, no auth", C_BASE, "587", NULL, IN4, NULL,
	    TLS, "<x@remote.example>", NEEDAUTH },
	{ "587, my_networks, no tls, no auth", C_BASE, "587", NULL, IN4, NULL,
	    NULL, "<user@bluemind.loc>", NEEDTLS },
	{ "587, loopback, tls, no auth", C_BASE, "587", NULL, "127.0.0.1",
	    NULL, TLS, "<x@remote.example>", NEEDAUTH },
	{ "465, no tls, no auth", C_BASE, "465", NULL, OUT4, NULL, NULL,
	    "<x@remote.example>", NEEDTLS },
	{ "465, tls, no auth", C_BASE, "465", NULL, OUT6, NULL, TLS,
	    "<x@remote.example>", NEEDAUTH },
	{ "465, tls, auth", C_BASE, "465", NULL, OUT6, AUTH, TLS,
	    "<x@remote.example>", ACC(REASON_AUTHENTICATED) },
	{ "587, empty tls is none", C_BASE, "587", NULL, OUT4, AUTH, "",
	    "<x@remote.example>", NEEDTLS },
	{ "587, tls, auth, bad rcpt", C_BASE, "587", NULL, OUT4, AUTH, TLS,
	    "<x@>", BADADDR },

	/* submission_require_tls = no */
	{ "no tls needed: 587, no tls, auth", C_NO_TLS, "587", NULL, OUT4,
	    AUTH, NULL, "<x@remote.example>", ACC(REASON_AUTHENTICATED) },
	{ "no tls needed: 587, no tls, no auth", C_NO_TLS, "587", NULL, OUT4,
	    NULL, NULL, "<x@remote.example>", NEEDAUTH },
	{ "no tls needed: 587, my_networks, no auth", C_NO_TLS, "587", NULL,
	    IN4, NULL, NULL, "<x@remote.example>", NEEDAUTH },
	{ "no tls needed: smtp unchanged", C_NO_TLS, "25", NULL, OUT4, NULL,
	    NULL, "<x@remote.example>", RELAY("x@remote.example") },

	/* The MAIL FROM stage (rcpt NULL). */
	{ "mail: smtp, outside", C_BASE, "25", NULL, OUT4, NULL, NULL, NULL,
	    ACC(REASON_SENDER_OK) },
	{ "mail: 587, no tls", C_BASE, "587", NULL, OUT4, AUTH, NULL, NULL,
	    NEEDTLS },
	{ "mail: 587, tls, no auth", C_BASE, "587", NULL, IN4, NULL, TLS, NULL,
	    NEEDAUTH },
	{ "mail: 587, tls, auth", C_BASE, "587", NULL, OUT4, AUTH, TLS, NULL,
	    ACC(REASON_SENDER_OK) },
	{ "mail: unknown, tempfail", C_UNK_TEMP, "2525", NULL, OUT4, AUTH, TLS,
	    NULL, UNKNOWN },
	{ "mail: unknown as submission", C_UNK_SUB, "2525", NULL, OUT4, NULL,
	    TLS, NULL, NEEDAUTH },
	{ "mail: monitor, 587, no tls", C_MONITOR, "587", NULL, OUT4, NULL,
	    NULL, NULL, DECISION_WOULD_REJECT, REASON_TLS_REQUIRED, "530",
	    "5.7.0", "Must issue a STARTTLS command first" },

	/* Unknown listener under each unknown_listener value. */
	{ "unknown port as smtp, remote", C_BASE, "2525", NULL, OUT4, NULL,
	    NULL, "<x@remote.example>", RELAY("x@remote.example") },
	{ "unknown port as smtp, local", C_BASE, "2525", NULL, OUT4, NULL,
	    NULL, "<user@bluemind.loc>", ACC(REASON_LOCAL_DOMAIN) },
	{ "no port, no name as smtp", C_BASE, NULL, NULL, IN4, NULL, NULL,
	    "<x@remote.example>", ACC(REASON_MY_NETWORKS) },
	{ "garbage port as smtp", C_BASE, "25x", NULL, OUT4, NULL, NULL,
	    "<x@remote.example>", RELAY("x@remote.example") },
	{ "port 0 as smtp", C_BASE, "0", NULL, OUT4, NULL, NULL,
	    "<x@remote.example>", RELAY("x@remote.example") },
	{ "port 65561 (25 + 65536) is unknown", C_UNK_SUB, "65561", NULL, OUT4,
	    NULL, TLS, "<x@remote.example>", NEEDAUTH },
	{ "unknown port as submission, no tls", C_UNK_SUB, "2525", NULL, IN4,
	    NULL, NULL, "<x@remote.example>", NEEDTLS },
	{ "unknown port as submission, tls, auth", C_UNK_SUB, "2525", NULL,
	    OUT4, AUTH, TLS, "<x@remote.example>", ACC(REASON_AUTHENTICATED) },
	{ "unknown name as submission", C_UNK_SUB, NULL, "mx.bluemind.loc",
	    OUT4, NULL, TLS, "<user@bluemind.loc>", NEEDAUTH },
	{ "unknown port as tempfail", C_UNK_TEMP, "2525", NULL, OUT4, NULL,
	    NULL, "<user@bluemind.loc>", UNKNOWN },
	{ "unknown port as tempfail, even authenticated", C_UNK_TEMP, "2525",
	    NULL, IN4, AUTH, TLS, "<x@remote.example>", UNKNOWN },
	{ "tempfail: known port still judged", C_UNK_TEMP, "25", NULL, OUT4,
	    NULL, NULL, "<x@remote.example>", RELAY("x@remote.example") },
	{ "nothing configured: remote refused", C_EMPTY, "25", NULL, IN4,
	    NULL, NULL, "<x@remote.example>", RELAY("x@remote.example") },
	{ "nothing configured: no local domain", C_EMPTY, "25", NULL, OUT4,
	    NULL, NULL, "<user@bluemind.loc>", RELAY("user@bluemind.loc") },
	{ "nothing configured: 587 is submission", C_EMPTY, "587", NULL, OUT4,
	    NULL, TLS, "<x@remote.example>", NEEDAUTH },

	/* {daemon_name} listeners; the port is tried first. */
	{ "name ORIGINATING, no port", C_BASE, NULL, "ORIGINATING", OUT4, NULL,
	    TLS, "<x@remote.example>", NEEDAUTH },
	{ "name ORIGINATING, empty port", C_BASE, "", "ORIGINATING", OUT4,
	    NULL, NULL, "<x@remote.example>", NEEDTLS },
	{ "name ORIGINATING, unlisted port", C_BASE, "2525", "ORIGINATING",
	    OUT4, AUTH, TLS, "<x@remote.example>", ACC(REASON_AUTHENTICATED) },
	{ "name MTA, no port", C_UNK_SUB, NULL, "MTA", OUT4, NULL, NULL,
	    "<x@remote.example>", RELAY("x@remote.example") },
	{ "port 25 wins over name ORIGINATING", C_BASE, "25", "ORIGINATING",
	    OUT4, NULL, NULL, "<x@remote.example>", RELAY("x@remote.example") },
	{ "port 587 wins over name MTA", C_BASE, "587", "MTA", OUT4, NULL, NULL,
	    "<user@bluemind.loc>", NEEDTLS },

	/* Address forms, for a client that may not relay (smtp, outside). */
	{ "case folded", C_BASE, "25", NULL, OUT4, NULL, NULL,
	    "<User@BlueMind.LOC>", ACC(REASON_LOCAL_DOMAIN) },
	{ "trailing dot", C_BASE, "25", NULL, OUT4, NULL, NULL,
	    "<user@bluemind.loc.>", ACC(REASON_LOCAL_DOMAIN) },
	{ "no brackets", C_BASE, "25", NULL, OUT4, NULL, NULL,
	    "user@bluemind.loc", ACC(REASON_LOCAL_DOMAIN) },
	{ "no brackets, remote", C_BASE, "25", NULL, OUT4, NULL, NULL,
	    "x@remote.example", RELAY("x@remote.example") },
	{ "quoted local part", C_BASE, "25", NULL, OUT4, NULL, NULL,
	    "<\"john doe\"@bluemind.loc>", ACC(REASON_LOCAL_DOMAIN) },
	{ "quoted, escaped quote", C_BASE, "25", NULL, OUT4, NULL, NULL,
	    "<\"a\\\"b\"@bluemind.loc>", ACC(REASON_LOCAL_DOMAIN) },
	{ "quoted @ to a local domain", C_BASE, "25", NULL, OUT4, NULL, NULL,
	    "<\"x@remote.example\"@bluemind.loc>",
	    /* Shown unquoted, as Postfix shows "john doe"@remote.example
	     * in its own 554: <john doe@remote.example>. */
	    TRICK("x@remote.example@bluemind.loc") },
	{ "percent hack to a local domain", C_BASE, "25", NULL, OUT4, NULL,
	    NULL, "<x%remote.example@bluemind.loc>",
	    TRICK("x%remote.example@bluemind.loc") },
	{ "bang path to a local domain", C_BASE, "25", NULL, OUT4, NULL, NULL,
	    "<remote.example!x@bluemind.loc>",
	    TRICK("remote.example!x@bluemind.loc") },
	{ "user@remote@local", C_BASE, "25", NULL, OUT4, NULL, NULL,
	    "<x@remote.example@bluemind.loc>",
	    TRICK("x@remote.example@bluemind.loc") },
	{ "percent hack, bare, to remote", C_BASE, "25", NULL, OUT4, NULL,
	    NULL, "x%bluemind.loc@remote.example",
	    TRICK("x%bluemind.loc@remote.example") },
	{ "percent hack, authenticated", C_BASE, "25", NULL, OUT4, AUTH, NULL,
	    "<x%remote.example@bluemind.loc>", ACC(REASON_AUTHENTICATED) },
	{ "quoted @, authenticated on 587", C_BASE, "587", NULL, OUT4, AUTH,
	    TLS, "<\"x@remote.example\"@bluemind.loc>",
	    ACC(REASON_AUTHENTICATED) },
	{ "bang path, my_networks", C_BASE, "25", NULL, IN4, NULL, NULL,
	    "<remote.example!x@bluemind.loc>", ACC(REASON_MY_NETWORKS) },
	{ "source route to local", C_BASE, "25", NULL, OUT4, NULL, NULL,
	    "<@relay.example:user@bluemind.loc>", ACC(REASON_LOCAL_DOMAIN) },
	{ "source route via local to remote", C_BASE, "25", NULL, OUT4, NULL,
	    NULL, "<@bluemind.loc,@mx.example.org:x@remote.example>",
	    /* Shown without the route, as Postfix's own 554. */
	    RELAY("x@remote.example") },
	{ "subdomain of .example.org", C_BASE, "25", NULL, OUT4, NULL, NULL,
	    "<user@mail.example.org>", ACC(REASON_LOCAL_DOMAIN) },
	{ "deep subdomain of .example.org", C_BASE, "25", NULL, OUT4, NULL,
	    NULL, "<user@a.b.Example.ORG.>", ACC(REASON_LOCAL_DOMAIN) },
	{ "example.org itself is not listed", C_BASE, "25", NULL, OUT4, NULL,
	    NULL, "<user@example.org>", RELAY("user@example.org") },
	{ "suffix without a dot does not match", C_BASE, "25", NULL, OUT4,
	    NULL, NULL, "<user@notexample.org>", RELAY("user@notexample.org") },
	{ "subdomain of an exact domain does not match", C_BASE, "25", NULL,
	    OUT4, NULL, NULL, "<user@sub.bluemind.loc>",
	    RELAY("user@sub.bluemind.loc") },
	{ "listed ipv4 literal", C_BASE, "25", NULL, OUT4, NULL, NULL,
	    "<user@[192.0.2.25]>", ACC(REASON_LOCAL_DOMAIN) },
	{ "unlisted ipv4 literal", C_BASE, "25", NULL, OUT4, NULL, NULL,
	    "<user@[192.0.2.26]>", RELAY("user@[192.0.2.26]") },
	{ "listed ipv6 literal", C_BASE, "25", NULL, OUT4, NULL, NULL,
	    "<user@[ipv6:2001:DB8::25]>", ACC(REASON_LOCAL_DOMAIN) },
	{ "listed ipv6 literal, long form", C_BASE, "25", NULL, OUT4, NULL,
	    NULL, "<user@[IPv6:2001:0db8:0:0:0:0:0:0025]>",
	    ACC(REASON_LOCAL_DOMAIN) },
	{ "unlisted ipv6 literal", C_BASE, "25", NULL, OUT4, NULL, NULL,
	    "<user@[IPv6:2001:db8::26]>", RELAY("user@[IPv6:2001:db8::26]") },
	{ "Postmaster", C_BASE, "25", NULL, OUT4, NULL, NULL, "<Postmaster>",
	    ACC(REASON_POSTMASTER) },
	{ "POSTMASTER", C_BASE, "25", NULL, OUT4, NULL, NULL, "<POSTMASTER>",
	    ACC(REASON_POSTMASTER) },
	{ "postmaster, bare", C_BASE, "25", NULL, OUT6, NULL, NULL,
	    "postmaster", ACC(REASON_POSTMASTER) },
	{ "Postmaster, nothing configured", C_EMPTY, "25", NULL, OUT4, NULL,
	    NULL, "<Postmaster>", ACC(REASON_POSTMASTER) },
	{ "postmaster at a remote domain", C_BASE, "25", NULL, OUT4, NULL,
	    NULL, "<postmaster@remote.example>",
	    RELAY("postmaster@remote.example") },
	{ "unqualified", C_BASE, "25", NULL, OUT4, NULL, NULL, "<root>",
	    UNQUAL("root") },
	{ "unqualified, bare", C_BASE, "25", NULL, OUT4, NULL, NULL, "root",
	    UNQUAL("root") },
	{ "unqualified, my_networks", C_BASE, "25", NULL, IN4, NULL, NULL,
	    "<root>", ACC(REASON_MY_NETWORKS) },
	{ "unqualified, authenticated", C_BASE, "25", NULL, OUT4, AUTH, NULL,
	    "<root>", ACC(REASON_AUTHENTICATED) },
	{ "null path as a recipient", C_BASE, "25", NULL, OUT4, NULL, NULL,
	    "<>", BADADDR },
	{ "empty domain", C_BASE, "25", NULL, OUT4, NULL, NULL,
	    "<user@>", BADADDR },
	{ "bad syntax, authenticated", C_BASE, "25", NULL, OUT4, AUTH, NULL,
	    "<\"user@bluemind.loc>", BADADDR },
	{ "bad syntax, my_networks", C_BASE, "25", NULL, IN4, NULL, NULL,
	    "<user name@bluemind.loc>", BADADDR },
	{ "CRLF in recipient", C_BASE, "25", NULL, OUT4, NULL, NULL,
	    "<user@bluemind.loc>\r\nRCPT TO:<x@remote.example>", BADADDR },
	/* Over RFC 5321's 64 octets, as VERP and SRS addresses are: Postfix
	 * takes them, so must we (a local part has no bound of its own). */
	{ "local part of 65 bytes", C_BASE, "25", NULL, OUT4, NULL, NULL,
	    "<aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "@bluemind.loc>", ACC(REASON_LOCAL_DOMAIN) },
#define LONG65	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	{ "local part of 65 bytes, remote", C_BASE, "25", NULL, OUT4, NULL,
	    NULL, "<" LONG65 "@remote.example>",
	    RELAY(LONG65 "@remote.example") },
	{ "path of 257 bytes", C_BASE, "25", NULL, OUT4, NULL, NULL,
	    "<" LONG65 LONG65 LONG65
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@bluemind.loc>",
	    BADADDR },

	/* Monitor mode: the refusal is computed and kept, not enforced. */
	{ "monitor: remote", C_MONITOR, "25", NULL, OUT4, NULL, NULL,
	    "<x@remote.example>", DECISION_WOULD_REJECT, REASON_RELAY_DENIED,
	    "554", "5.7.1", "<x@remote.example>: Relay access denied" },
	{ "monitor: local", C_MONITOR, "25", NULL, OUT4, NULL, NULL,
	    "<user@bluemind.loc>", ACC(REASON_LOCAL_DOMAIN) },
	{ "monitor: routing trick", C_MONITOR, "25", NULL, OUT4, NULL, NULL,
	    "<a%b@bluemind.loc>", DECISION_WOULD_REJECT, REASON_ROUTING_TRICK,
	    "554", "5.7.1", "<a%b@bluemind.loc>: Relay access denied" },
	{ "monitor: 587 no auth", C_MONITOR, "587", NULL, OUT4, NULL, TLS,
	    "<x@remote.example>", DECISION_WOULD_REJECT, REASON_AUTH_REQUIRED,
	    "530", "5.7.0", "Authentication required" },
	{ "monitor: bad address", C_MONITOR, "25", NULL, OUT4, NULL, NULL,
	    "<>", DECISION_WOULD_REJECT, REASON_BAD_ADDRESS, "501", "5.1.3",
	    "Bad recipient address syntax" },
	{ "monitor: unknown listener tempfail", C_MON_TEMP, "2525", NULL,
	    OUT4, NULL, NULL, "<x@remote.example>", DECISION_WOULD_REJECT,
	    REASON_UNKNOWN_LISTENER, "451", "4.3.5",
	    "Server configuration error" },
	{ "monitor: authenticated", C_MONITOR, "587", NULL, OUT4, AUTH, TLS,
	    "<x@remote.example>", ACC(REASON_AUTHENTICATED) },

	/* '%' in the echoed address stays single in the raw text. */
	{ "percent in reply text", C_BASE, "25", NULL, OUT4, NULL, NULL,
	    "<100%x@remote.example>", TRICK("100%x@remote.example") },
	{ "percent-s in reply text", C_BASE, "25", NULL, OUT4, NULL, NULL,
	    "<%s%n@remote.example>", TRICK("%s%n@remote.example") },
};

static struct config *configs[NCASES(confs)];

static void
setup(void)
{
	size_t i;

	for (i = 0; i < (size_t)NCASES(confs); i++)
		configs[i] = tu_config(confs[i]);
}

static void
teardown(void)
{
	size_t i;

	for (i = 0; i < (size_t)NCASES(confs); i++) {
		config_free(configs[i]);
		configs[i] = NULL;
	}
}

START_TEST(test_eval)
{
	const struct pcase *c = &cases[_i];
	struct policy_request req;
	struct netaddr client;
	struct verdict v;

	memset(&req, 0, sizeof(req));
	req.daemon_port = c->port;
	req.daemon_name = c->dname;
	req.auth = c->auth;
	req.tls = c->tls;
	req.rcpt = c->rcpt;
	if (c->client != NULL) {
		ck_assert_msg(netaddr_parse(c->client, &client),
		    "%s: netaddr_parse(\"%s\") failed", c->name, c->client);
		req.client = &client;
	}
	/* Poisoned, text included (terminated at its end only), so that a
	 * verdict that leaves any field unset shows. */
	memset(&v, 0x5a, sizeof(v));
	v.text[sizeof(v.text) - 1] = '\0';
	policy_eval(configs[c->conf]->policy, &req, &v);

	ck_assert_msg(v.decision == c->decision && v.reason == c->reason,
	    "%s: got %s reason=%s, want %s reason=%s", c->name,
	    policy_decision_name(v.decision), policy_reason_name(v.reason),
	    policy_decision_name(c->decision), policy_reason_name(c->reason));
	ck_assert_msg((v.code == NULL) == (c->code == NULL) &&
	    (c->code == NULL || strcmp(v.code, c->code) == 0),
	    "%s: code got %s, want %s", c->name, TU_S(v.code), TU_S(c->code));
	ck_assert_msg((v.xcode == NULL) == (c->xcode == NULL) &&
	    (c->xcode == NULL || strcmp(v.xcode, c->xcode) == 0),
	    "%s: xcode got %s, want %s", c->name, TU_S(v.xcode),
	    TU_S(c->xcode));
	ck_assert_msg(strcmp(v.text, c->text) == 0,
	    "%s: text got \"%s\", want \"%s\"", c->name, v.text, c->text);
}
END_TEST

/* Which listener was applied, and whether it was known. */
struct lcase {
	const char	*name;
	enum conf_id	conf;
	const char	*port, *dname;
	bool		known;
	enum listener	listener;
};

static const struct lcase lcases[] = {
	{ "port 25", C_BASE, "25", NULL, true, LISTENER_SMTP },
	{ "port 465", C_BASE, "465", NULL, true, LISTENER_SUBMISSION },
	{ "port 587", C_BASE, "587", NULL, true, LISTENER_SUBMISSION },
	{ "name MTA", C_BASE, NULL, "MTA", true, LISTENER_SMTP },
	{ "name ORIGINATING", C_BASE, NULL, "ORIGINATING", true,
	    LISTENER_SUBMISSION },
	{ "port before name", C_BASE, "25", "ORIGINATING", true,
	    LISTENER_SMTP },
	{ "name after an unlisted port", C_BASE, "2525", "ORIGINATING", true,
	    LISTENER_SUBMISSION },
	{ "name is case-sensitive", C_BASE, NULL, "originating", false,
	    LISTENER_SMTP },
	{ "unlisted port", C_BASE, "2525", NULL, false, LISTENER_SMTP },
	{ "unlisted port and name", C_BASE, "2525", "mx.bluemind.loc", false,
	    LISTENER_SMTP },
	{ "nothing", C_BASE, NULL, NULL, false, LISTENER_SMTP },
	{ "unknown as submission", C_UNK_SUB, "2525", NULL, false,
	    LISTENER_SUBMISSION },
	{ "unknown as tempfail", C_UNK_TEMP, NULL, NULL, false,
	    LISTENER_SMTP },
	{ "defaults: 25", C_EMPTY, "25", NULL, true, LISTENER_SMTP },
	{ "defaults: 465", C_EMPTY, "465", NULL, true, LISTENER_SUBMISSION },
	{ "defaults: 587", C_EMPTY, "587", NULL, true, LISTENER_SUBMISSION },
	{ "defaults: 2525", C_EMPTY, "2525", NULL, false, LISTENER_SMTP },
};

START_TEST(test_listener)
{
	const struct lcase *c = &lcases[_i];
	struct policy_request req;
	struct verdict v;
	enum listener got = LISTENER_SMTP;
	bool known;

	known = policy_listener(configs[c->conf]->policy, c->port, c->dname, &got);
	ck_assert_msg(known == c->known, "%s: policy_listener got %s, want %s",
	    c->name, known ? "known" : "unknown",
	    c->known ? "known" : "unknown");
	if (known)
		ck_assert_msg(got == c->listener,
		    "%s: policy_listener got %s, want %s", c->name,
		    policy_listener_name(got),
		    policy_listener_name(c->listener));

	memset(&req, 0, sizeof(req));
	req.daemon_port = c->port;
	req.daemon_name = c->dname;
	req.rcpt = "<user@bluemind.loc>";
	policy_eval(configs[c->conf]->policy, &req, &v);
	ck_assert_msg(v.listener_known == c->known && v.listener == c->listener,
	    "%s: verdict got %s %s, want %s %s", c->name,
	    v.listener_known ? "known" : "unknown",
	    policy_listener_name(v.listener), c->known ? "known" : "unknown",
	    policy_listener_name(c->listener));
}
END_TEST

/* Later recipients of one transaction are judged one by one: a
 * verdict depends on nothing but its own request. */
START_TEST(test_recipients_independent)
{
	static const struct {
		const char *rcpt;
		enum decision d;
		enum reason r;
	} seq[] = {
		{ "<x@remote.example>", DECISION_REJECT, REASON_RELAY_DENIED },
		{ "<user@bluemind.loc>", DECISION_ACCEPT, REASON_LOCAL_DOMAIN },
		{ "<a%b@bluemind.loc>", DECISION_REJECT, REASON_ROUTING_TRICK },
		{ "<Postmaster>", DECISION_ACCEPT, REASON_POSTMASTER },
		{ "<y@remote.example>", DECISION_REJECT, REASON_RELAY_DENIED },
		{ "<user@mail.example.org>", DECISION_ACCEPT,
		    REASON_LOCAL_DOMAIN },
	};
	struct policy_request req;
	struct netaddr client;
	struct verdict v;
	size_t i;

	ck_assert(netaddr_parse(OUT4, &client));
	memset(&req, 0, sizeof(req));
	req.daemon_port = "25";
	req.client = &client;
	for (i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
		req.rcpt = seq[i].rcpt;
		policy_eval(configs[C_BASE]->policy, &req, &v);
		ck_assert_msg(v.decision == seq[i].d && v.reason == seq[i].r,
		    "rcpt %zu %s: got %s reason=%s, want %s reason=%s", i,
		    seq[i].rcpt, policy_decision_name(v.decision),
		    policy_reason_name(v.reason),
		    policy_decision_name(seq[i].d),
		    policy_reason_name(seq[i].r));
	}
}
END_TEST

/* policy_new(): safe defaults, nothing relays. */
START_TEST(test_new_defaults)
{
	struct policy *p = policy_new();
	struct policy_request req;
	struct netaddr client;
	struct verdict v;

	ck_assert(p != NULL);
	ck_assert_msg(p->submission_require_tls &&
	    p->unknown_listener == UNKNOWN_AS_SMTP && p->mode == MODE_ENFORCE &&
	    p->nlisteners == 0 && domset_count(p->local_domains) == 0 &&
	    netset_count(p->my_networks) == 0,
	    "policy_new: defaults are not the safe ones");
	ck_assert(netaddr_parse("127.0.0.1", &client));
	memset(&req, 0, sizeof(req));
	req.daemon_port = "25";
	req.client = &client;
	req.rcpt = "<x@remote.example>";
	policy_eval(p, &req, &v);
	ck_assert_msg(v.decision == DECISION_REJECT &&
	    v.reason == REASON_RELAY_DENIED && !v.listener_known,
	    "empty policy: got %s reason=%s, want reject reason=relay_denied",
	    policy_decision_name(v.decision), policy_reason_name(v.reason));
	policy_free(p);
	policy_free(NULL);
}
END_TEST

struct name_case {
	const char	*got;
	const char	*want;
};

START_TEST(test_names)
{
	const struct name_case names[] = {
		{ policy_reason_name(REASON_AUTHENTICATED), "authenticated" },
		{ policy_reason_name(REASON_MY_NETWORKS), "my_networks" },
		{ policy_reason_name(REASON_LOCAL_DOMAIN), "local_domain" },
		{ policy_reason_name(REASON_POSTMASTER), "postmaster" },
		{ policy_reason_name(REASON_SENDER_OK), "sender_ok" },
		{ policy_reason_name(REASON_RELAY_DENIED), "relay_denied" },
		{ policy_reason_name(REASON_ROUTING_TRICK), "routing_trick" },
		{ policy_reason_name(REASON_UNQUALIFIED), "unqualified" },
		{ policy_reason_name(REASON_BAD_ADDRESS), "bad_address" },
		{ policy_reason_name(REASON_AUTH_REQUIRED), "auth_required" },
		{ policy_reason_name(REASON_TLS_REQUIRED), "tls_required" },
		{ policy_reason_name(REASON_UNKNOWN_LISTENER),
		    "unknown_listener" },
		{ policy_reason_name(REASON_INTERNAL_ERROR), "internal_error" },
		{ policy_decision_name(DECISION_ACCEPT), "accept" },
		{ policy_decision_name(DECISION_REJECT), "reject" },
		{ policy_decision_name(DECISION_TEMPFAIL), "tempfail" },
		{ policy_decision_name(DECISION_WOULD_REJECT), "would_reject" },
		{ policy_listener_name(LISTENER_SMTP), "smtp" },
		{ policy_listener_name(LISTENER_SUBMISSION), "submission" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		ck_assert_msg(strcmp(names[i].got, names[i].want) == 0,
		    "name %zu: got \"%s\", want \"%s\"", i, names[i].got,
		    names[i].want);
}
END_TEST

Suite *
policy_suite(void)
{
	Suite *s = suite_create("policy");
	TCase *tc = tcase_create("eval");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_eval, 0, NCASES(cases));
	tcase_add_loop_test(tc, test_listener, 0, NCASES(lcases));
	tcase_add_test(tc, test_recipients_independent);
	suite_add_tcase(s, tc);

	tc = tcase_create("basics");
	tcase_add_test(tc, test_new_defaults);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	return s;
}
