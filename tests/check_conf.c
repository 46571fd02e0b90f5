/*
 * conf: good files (every key, defaults, comments, continuations,
 * separators, list files) give exactly the policy they say; every kind
 * of bad input gives its exact "FILE:LINE: message" with the right
 * line, and no policy at all. Files live in a mkdtemp directory that
 * each test removes; "@DIR@" in a table stands for it.
 */
#include <check.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#include "conf.h"
#include "netaddr.h"
#include "testutil.h"

#define MAIN "relaywarden.conf"

/* ------------------------------------------------------------------ */
/* A policy as one line of text, so that a case states all of it.     */

static const char *
facility_name(int f)
{
	static const struct {
		int f;
		const char *name;
	} t[] = {
		{ LOG_MAIL, "mail" }, { LOG_DAEMON, "daemon" },
		{ LOG_USER, "user" }, { LOG_LOCAL0, "local0" },
		{ LOG_LOCAL1, "local1" }, { LOG_LOCAL2, "local2" },
		{ LOG_LOCAL3, "local3" }, { LOG_LOCAL4, "local4" },
		{ LOG_LOCAL5, "local5" }, { LOG_LOCAL6, "local6" },
		{ LOG_LOCAL7, "local7" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].f == f)
			return t[i].name;
	return "?";
}

static void
dump(const struct config *c, char *buf, size_t len)
{
	const struct policy *p = c->policy;
	static const char *const unknown[] = {
		[UNKNOWN_AS_SMTP] = "smtp", [UNKNOWN_AS_SUBMISSION] = "submission",
		[UNKNOWN_TEMPFAIL] = "tempfail",
	};
	char lst[1024] = "";
	size_t i;

	for (i = 0; i < p->nlisteners; i++) {
		const struct listener_entry *e = &p->listeners[i];
		char one[300];

		if (e->name != NULL)
			snprintf(one, sizeof(one), "%s%s/%s", i ? "," : "",
			    e->name, policy_listener_name(e->kind));
		else
			snprintf(one, sizeof(one), "%s%u/%s", i ? "," : "",
			    e->port, policy_listener_name(e->kind));
		strncat(lst, one, sizeof(lst) - strlen(lst) - 1);
	}
	snprintf(buf, len, "socket=%s domains=%zu networks=%zu listeners=%s "
	    "require_tls=%s unknown=%s mode=%s facility=%s ident=%s "
	    "log_accepts=%s", TU_S(c->milter_socket),
	    domset_count(p->local_domains), netset_count(p->my_networks), lst,
	    p->submission_require_tls ? "yes" : "no",
	    unknown[p->unknown_listener],
	    p->mode == MODE_MONITOR ? "monitor" : "enforce",
	    facility_name(c->syslog_facility), TU_S(c->syslog_ident),
	    c->log_accepts ? "yes" : "no");
}

/* The keys only the daemon's start-up reads. */
static void
dump_daemon(const struct config *p, char *buf, size_t len)
{
	snprintf(buf, len, "user=%s run_as_root=%s pid_file=%s "
	    "socket_group=%s socket_mode=%04o", TU_S(p->user),
	    p->run_as_root ? "yes" : "no", TU_S(p->pid_file),
	    TU_S(p->socket_group), p->socket_mode);
}

#define DAEMON_DEFAULTS "user= run_as_root=no pid_file= socket_group= " \
	"socket_mode=0660"

#define DEFAULTS "socket=inet:8899@127.0.0.1 domains=0 networks=0 " \
	"listeners=25/smtp,465/submission,587/submission require_tls=yes " \
	"unknown=smtp mode=enforce facility=mail ident=relaywarden " \
	"log_accepts=yes"

/*
 * A summary as a case states it: defaults ("key=value ..."), with each
 * key=value of fields in place of the default of that key. A field
 * whose key is not among the defaults is added at the end, so that a
 * misspelt key fails the case instead of vanishing.
 */
static void
with_fields(const char *defaults, const char *fields, char *out, size_t len)
{
	char *d = strdup(defaults), *f = strdup(fields), *w, *save = NULL;
	char *fw, *fsave = NULL, extra[512] = "";

	ck_assert(d != NULL && f != NULL && len > 0);
	out[0] = '\0';
	for (w = strtok_r(d, " ", &save); w != NULL;
	    w = strtok_r(NULL, " ", &save)) {
		size_t klen = strcspn(w, "=") + 1;
		const char *take = w;
		char *copy = strdup(f);

		ck_assert(copy != NULL);
		for (fw = strtok_r(copy, " ", &fsave); fw != NULL;
		    fw = strtok_r(NULL, " ", &fsave))
			if (strncmp(fw, w, klen) == 0)
				take = fields + (fw - copy);
		snprintf(out + strlen(out), len - strlen(out), "%s%.*s",
		    out[0] != '\0' ? " " : "", (int)strcspn(take, " "), take);
		free(copy);
	}
	for (fw = strtok_r(f, " ", &fsave); fw != NULL;
	    fw = strtok_r(NULL, " ", &fsave)) {
		char key[64];

		snprintf(key, sizeof(key), " %.*s=", (int)strcspn(fw, "="), fw);
		if (strncmp(defaults, key + 1, strlen(key) - 1) != 0 &&
		    strstr(defaults, key) == NULL)
			snprintf(extra + strlen(extra), sizeof(extra) -
			    strlen(extra), " %s", fw);
	}
	snprintf(out + strlen(out), len - strlen(out), "%s", extra);
	free(d);
	free(f);
}

/* Checks each blank-separated word of probes against the lists. */
static void
probe(const char *name, const struct config *c, const char *probes,
    bool domains, bool want)
{
	char *copy = strdup(probes), *w, *save = NULL;

	ck_assert(copy != NULL);
	for (w = strtok_r(copy, " ", &save); w != NULL;
	    w = strtok_r(NULL, " ", &save)) {
		bool got;

		if (domains) {
			got = domset_contains(c->policy->local_domains, w);
		} else {
			struct netaddr a;

			ck_assert_msg(netaddr_parse(w, &a), "%s: bad probe %s",
			    name, w);
			got = netset_contains(c->policy->my_networks, &a);
		}
		ck_assert_msg(got == want, "%s: %s %s: got %s, want %s", name,
		    domains ? "local_domains" : "my_networks", w,
		    got ? "contained" : "not contained",
		    want ? "contained" : "not contained");
	}
	free(copy);
}

/* ------------------------------------------------------------------ */
/* Good files.                                                        */

struct file {
	const char	*name;		/* NULL ends the list */
	const char	*text;
};

struct good_case {
	const char	*name;
	const char	*conf;
	struct file	lists[4];
	const char	*want;		/* dump(): DEFAULTS plus these fields */
	const char	*dom_in, *dom_out, *net_in, *net_out;
	const char	*daemon;	/* dump_daemon(): DAEMON_DEFAULTS plus
					 * these fields; NULL: none */
};

static const struct good_case good_cases[] = {
	{ "empty file: every default", "", { { NULL, NULL } }, "",
	    "", "bluemind.loc localhost", "", "127.0.0.1 ::1", NULL },
	{ "only comments and blank lines",
	    "# relaywarden\n\n   \n\t\n  # indented comment\n#mode = monitor\n",
	    { { NULL, NULL } }, "", "", "", "", "", NULL },
	{ "every key",
	    "# every key, once\n"
	    "milter_socket = unix:/run/relaywarden/relaywarden.sock\n"
	    "local_domains = bluemind.loc, .example.org\n"
	    "my_networks = 127.0.0.0/8 [::1]/128\n"
	    "smtp_ports = 25 2525\n"
	    "submission_ports = 465, 587, ORIGINATING\n"
	    "submission_require_tls = no\n"
	    "unknown_listener = tempfail\n"
	    "mode = monitor\n"
	    "syslog_facility = local3\n"
	    "syslog_ident = rw-test\n"
	    "log_accepts = no\n"
	    "user = relaywarden\n"
	    "run_as_root = yes\n"
	    "pid_file = /run/relaywarden/relaywarden.pid\n"
	    "socket_group = postfix\n"
	    "socket_mode = 0640\n",
	    { { NULL, NULL } },
	    "socket=unix:/run/relaywarden/relaywarden.sock domains=2 "
	    "networks=2 listeners=25/smtp,2525/smtp,465/submission,"
	    "587/submission,ORIGINATING/submission require_tls=no "
	    "unknown=tempfail mode=monitor facility=local3 ident=rw-test "
	    "log_accepts=no",
	    "bluemind.loc mail.example.org", "example.org sub.bluemind.loc",
	    "127.0.0.1 127.255.255.254 ::1", "128.0.0.1 ::2",
	    "user=relaywarden run_as_root=yes "
	    "pid_file=/run/relaywarden/relaywarden.pid socket_group=postfix "
	    "socket_mode=0640" },
	{ "every key at its documented default",
	    "milter_socket = inet:8899@127.0.0.1\nlocal_domains =\n"
	    "my_networks =\nsmtp_ports = 25\nsubmission_ports = 465 587\n"
	    "submission_require_tls = yes\nunknown_listener = smtp\n"
	    "mode = enforce\nsyslog_facility = mail\n"
	    "syslog_ident = relaywarden\nlog_accepts = yes\nuser =\n"
	    "run_as_root = no\npid_file =\nsocket_group =\n"
	    "socket_mode = 0660\n",
	    { { NULL, NULL } }, "", "", "", "", "", NULL },
	{ "other enum values",
	    "unknown_listener = submission\nsyslog_facility = daemon\n"
	    "submission_require_tls = yes\nmode = enforce\n",
	    { { NULL, NULL } },
	    "unknown=submission facility=daemon", "", "", "", "", NULL },
	{ "no blanks around =, trailing blanks",
	    "mode=monitor   \nsyslog_ident=rw\t\nlog_accepts =no\n",
	    { { NULL, NULL } },
	    "mode=monitor ident=rw log_accepts=no", "", "", "", "", NULL },
	{ "CRLF line ends",
	    "mode = monitor\r\nlocal_domains = bluemind.loc\r\n"
	    "  example.com\r\n",
	    { { NULL, NULL } },
	    "domains=2 mode=monitor", "bluemind.loc example.com", "", "", "", NULL },
	{ "continuations, commas and blanks, comments between",
	    "local_domains = a.example,b.example , c.example\n"
	    "\td.example,,e.example\n"
	    "# a comment inside the setting\n"
	    "\n"
	    "    .f.example\n"
	    "my_networks =\n"
	    "  10.0.0.0/8,\n"
	    "  192.0.2.0/24\n"
	    "mode = monitor\n",
	    { { NULL, NULL } },
	    "domains=6 networks=2 mode=monitor",
	    "a.example b.example c.example d.example e.example x.f.example",
	    "f.example", "10.9.8.7 192.0.2.200", "192.0.3.1", NULL },
	{ "list files as Postfix reads them: every entry, comments",
	    "# lists as Postfix's mynetworks reads them\n"
	    "local_domains = bluemind.loc, @DIR@/domains\n"
	    "my_networks = @DIR@/mynetworks [::1]/128\n",
	    { { "domains",
		"# written by hand\n"
		"example.com, example.net\n"
		"\n"
		"   Example.ORG\t.sub.example.org\n"
		"  # indented comment\n"
		"@DIR@/more\n"
		"crlf.example\r\n" },
	      { "mynetworks",
		"127.0.0.0/8\n"
		"# the office\n"
		"!192.0.2.66, 192.0.2.0/24\n" },
	      { "more", "nested.example\n" } },
	    "domains=7 networks=4",
	    "bluemind.loc example.com example.net example.org "
	    "a.sub.example.org nested.example crlf.example", "sub.example.org",
	    "127.0.0.1 192.0.2.1 ::1", "192.0.2.66 10.0.0.1", NULL },
	{ "listeners: repeats are harmless, lists may swap ports",
	    "smtp_ports = 587, 587 MTA MTA\nsubmission_ports = 465 25\n",
	    { { NULL, NULL } },
	    "listeners=587/smtp,MTA/smtp,465/submission,25/submission", "", "",
	    "", "", NULL },
	{ "listeners: both lists empty",
	    "smtp_ports =\nsubmission_ports =\n", { { NULL, NULL } },
	    "listeners=", "", "", "", "", NULL },
	{ "listeners: bounds 1 and 65535, names",
	    "smtp_ports = 1 65535 mx-in.example_1\n"
	    "submission_ports = 465 587 ORIGINATING\n", { { NULL, NULL } },
	    "listeners=1/smtp,65535/smtp,mx-in.example_1/smtp,465/submission,"
	    "587/submission,ORIGINATING/submission", "", "", "", "", NULL },
	{ "milter_socket inet6", "milter_socket = inet6:8899@[::1]\n",
	    { { NULL, NULL } },
	    "socket=inet6:8899@[::1]", "", "", "", "", NULL },
	{ "milter_socket inet without host", "milter_socket = inet:8899\n",
	    { { NULL, NULL } },
	    "socket=inet:8899", "", "", "", "", NULL },
	{ "milter_socket local:", "milter_socket = local:/run/rw.sock\n",
	    { { NULL, NULL } },
	    "socket=local:/run/rw.sock", "", "", "", "", NULL },
	{ "daemon keys: short octal mode, names with dots",
	    "user = relay.warden\nsocket_group = _postfix\nsocket_mode = 660\n"
	    "pid_file = /rw.pid\n", { { NULL, NULL } }, "", "", "", "",
	    "", "user=relay.warden pid_file=/rw.pid socket_group=_postfix" },
	{ "daemon keys: mode 0, user of 32 bytes",
	    "socket_mode = 0\nuser = aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
	    { { NULL, NULL } }, "", "", "", "", "",
	    "user=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa socket_mode=0000" },
	{ "an empty list file", "local_domains = @DIR@/empty\n",
	    { { "empty", "" }, { NULL, NULL } }, "", "", "", "", "", NULL },
	{ "a list file without final newline",
	    "local_domains = @DIR@/d\n",
	    { { "d", "a.example\nb.example" }, { NULL, NULL } },
	    "domains=2", "a.example b.example", "", "", "", NULL },
};

static void
write_lists(const struct tu_dir *d, const struct file *lists)
{
	size_t i;

	for (i = 0; lists[i].name != NULL; i++)
		free(tu_write(d, lists[i].name, lists[i].text));
}

START_TEST(test_good)
{
	const struct good_case *c = &good_cases[_i];
	struct conf_errors errs = { NULL, 0, 0 };
	struct tu_dir d;
	struct config *p;
	char *path, *joined, got[2048], want[2048];

	tu_dir_make(&d);
	write_lists(&d, c->lists);
	path = tu_write(&d, MAIN, c->conf);
	p = conf_load(path, &errs);
	joined = tu_errors_join(&errs);
	conf_errors_free(&errs);
	free(path);
	tu_dir_remove(&d);

	ck_assert_msg(p != NULL && joined[0] == '\0',
	    "%s: refused, errors:\n%s", c->name, joined);
	dump(p, got, sizeof(got));
	with_fields(DEFAULTS, c->want, want, sizeof(want));
	ck_assert_msg(strcmp(got, want) == 0,
	    "%s:\n got %s\nwant %s", c->name, got, want);
	dump_daemon(p, got, sizeof(got));
	with_fields(DAEMON_DEFAULTS, c->daemon ? c->daemon : "", want,
	    sizeof(want));
	ck_assert_msg(strcmp(got, want) == 0,
	    "%s:\n got %s\nwant %s", c->name, got, want);
	probe(c->name, p, c->dom_in, true, true);
	probe(c->name, p, c->dom_out, true, false);
	probe(c->name, p, c->net_in, false, true);
	probe(c->name, p, c->net_out, false, false);
	free(joined);
	config_free(p);
}
END_TEST

/* The shipped example loads (make check runs from tests/). */
START_TEST(test_shipped)
{
	struct conf_errors errs = { NULL, 0, 0 };
	struct config *p = conf_load("../conf/relaywarden.conf", &errs);
	char *joined = tu_errors_join(&errs), got[2048];

	conf_errors_free(&errs);
	ck_assert_msg(p != NULL, "conf/relaywarden.conf refused:\n%s", joined);
	dump(p, got, sizeof(got));
	ck_assert_msg(strcmp(got, "socket=unix:/var/spool/postfix/relaywarden/"
	    "relaywarden.sock domains=1 networks=2 listeners=25/smtp,"
	    "465/submission,587/submission require_tls=yes unknown=smtp "
	    "mode=enforce facility=mail ident=relaywarden log_accepts=yes") == 0,
	    "conf/relaywarden.conf: got %s", got);
	dump_daemon(p, got, sizeof(got));
	ck_assert_msg(strcmp(got, "user=relaywarden run_as_root=no "
	    "pid_file=/run/relaywarden/relaywarden.pid socket_group=postfix "
	    "socket_mode=0660") == 0, "conf/relaywarden.conf: got %s", got);
	free(joined);
	config_free(p);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Bad files: the exact errors, and no policy.                        */

struct bad_case {
	const char	*name;
	const char	*conf;
	struct file	lists[4];
	const char	*want;	/* the errors, one per line; @DIR@ expanded */
};

#define F "@DIR@/" MAIN

static const struct bad_case bad_cases[] = {
	{ "unknown key", "mode = monitor\n\ncolour = red\n", { { NULL, NULL } },
	    F ":3: unknown setting \"colour\"\n" },
	{ "key in the wrong case", "Mode=monitor\n", { { NULL, NULL } },
	    F ":1: unknown setting \"Mode\"\n" },
	{ "Postfix key", "# from main.cf\nmynetworks = 10.0.0.0/8\n",
	    { { NULL, NULL } }, F ":2: unknown setting \"mynetworks\"\n" },
	{ "missing =", "# x\nmode monitor\n", { { NULL, NULL } },
	    F ":2: expected \"name = value\"\n" },
	{ "name alone", "log_accepts\n", { { NULL, NULL } },
	    F ":1: expected \"name = value\"\n" },
	{ "duplicate key", "mode = enforce\nlog_accepts = yes\n\nmode = monitor\n",
	    { { NULL, NULL } }, F ":4: mode is set twice (first at line 1)\n" },
	{ "duplicate key, same value", "# a\nlocal_domains = a.example\n"
	    "local_domains = a.example\n", { { NULL, NULL } },
	    F ":3: local_domains is set twice (first at line 2)\n" },
	{ "bad network", "my_networks = 10.0.0.0/8 172.16.1.3/21\n",
	    { { NULL, NULL } },
	    F ":1: my_networks: non-null host address bits in "
	    "\"172.16.1.3/21\", perhaps you mean \"172.16.0.0/21\"\n" },
	{ "bad network on a continuation line",
	    "my_networks = 10.0.0.0/8,\n    172.16.1.3/21\n",
	    { { NULL, NULL } },
	    F ":2: my_networks: non-null host address bits in "
	    "\"172.16.1.3/21\", perhaps you mean \"172.16.0.0/21\"\n" },
	/* An entry's error is at its own line, comments and blank lines
	 * between continuations counted; a value that is not a list reads
	 * its continuation as a space. */
	{ "errors at the continuation line of the entry",
	    "local_domains = a.example,\n# a comment\n\n    bad..example\n"
	    "    b.example @DIR@/missing\nmode =\n  warn\n",
	    { { NULL, NULL } },
	    F ":4: local_domains: bad domain \"bad..example\": empty label in "
	    "domain\n"
	    F ":5: cannot read list file \"@DIR@/missing\": No such file or "
	    "directory\n"
	    F ":6: mode must be enforce or monitor, not \"warn\"\n" },
	{ "bad domain", "local_domains = bluemind.loc bad..example\n",
	    { { NULL, NULL } },
	    F ":1: local_domains: bad domain \"bad..example\": empty label in "
	    "domain\n" },
	{ "address as domain", "local_domains = user@bluemind.loc\n",
	    { { NULL, NULL } },
	    F ":1: local_domains: bad domain \"user@bluemind.loc\": a domain, "
	    "not an address\n" },
	{ "bad port 0", "smtp_ports = 25 0\n", { { NULL, NULL } },
	    F ":1: smtp_ports: bad port \"0\": a port is a number from 1 to "
	    "65535\n" },
	{ "bad port 65536", "submission_ports = 465 65536\n",
	    { { NULL, NULL } },
	    F ":1: submission_ports: bad port \"65536\": a port is a number "
	    "from 1 to 65535\n" },
	{ "bad port, huge", "smtp_ports = 99999999999999999999\n",
	    { { NULL, NULL } },
	    F ":1: smtp_ports: bad port \"99999999999999999999\": a port is a "
	    "number from 1 to 65535\n" },
	{ "bad port with letters", "smtp_ports = 25smtp\n", { { NULL, NULL } },
	    F ":1: smtp_ports: bad port \"25smtp\": a port is a number from 1 "
	    "to 65535\n" },
	{ "bad listener name", "submission_ports = 587 smtpd/submission\n",
	    { { NULL, NULL } },
	    F ":1: submission_ports: bad listener \"smtpd/submission\": give a "
	    "port number or a {daemon_name} value (letters, digits, '.', '-', "
	    "'_')\n" },
	{ "port in both lists", "smtp_ports = 25 587\n"
	    "submission_ports = 465 587\n", { { NULL, NULL } },
	    F ":2: submission_ports: \"587\" is listed in both smtp_ports and "
	    "submission_ports\n" },
	{ "name in both lists", "submission_ports = 587 ORIGINATING\n"
	    "smtp_ports = 25\n  ORIGINATING\n", { { NULL, NULL } },
	    F ":2: smtp_ports: \"ORIGINATING\" is listed in both "
	    "smtp_ports and submission_ports\n" },
	{ "port in both lists by default", "smtp_ports = 25 465\n",
	    { { NULL, NULL } },
	    F ":1: smtp_ports: \"465\" is listed in both smtp_ports and "
	    "submission_ports (submission_ports by default: set both "
	    "lists)\n" },
	{ "default smtp_ports meets submission_ports",
	    "\nsubmission_ports = 465 25\n", { { NULL, NULL } },
	    F ":2: submission_ports: \"25\" is listed in both smtp_ports and "
	    "submission_ports (smtp_ports by default: set both lists)\n" },
	{ "bad bool", "submission_require_tls = maybe\n", { { NULL, NULL } },
	    F ":1: submission_require_tls must be no or yes, not \"maybe\"\n" },
	{ "bad bool true", "\nlog_accepts = true\n", { { NULL, NULL } },
	    F ":2: log_accepts must be no or yes, not \"true\"\n" },
	{ "empty bool", "log_accepts =\n", { { NULL, NULL } },
	    F ":1: log_accepts must be no or yes, not \"\"\n" },
	{ "bad unknown_listener", "unknown_listener = reject\n",
	    { { NULL, NULL } },
	    F ":1: unknown_listener must be smtp, submission or tempfail, not "
	    "\"reject\"\n" },
	{ "bad mode", "mode = warn\n", { { NULL, NULL } },
	    F ":1: mode must be enforce or monitor, not \"warn\"\n" },
	{ "bad facility", "syslog_facility = kern\n", { { NULL, NULL } },
	    F ":1: syslog_facility must be mail, daemon, user or local0 to "
	    "local7, not \"kern\"\n" },
	{ "bad ident", "syslog_ident = relay warden\n", { { NULL, NULL } },
	    F ":1: syslog_ident must be one word of printable characters "
	    "without ':' or '['\n" },
	{ "empty ident", "syslog_ident =\n", { { NULL, NULL } },
	    F ":1: syslog_ident must be 1 to 64 bytes\n" },
	{ "ident of 65 bytes", "syslog_ident = "
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
	    { { NULL, NULL } }, F ":1: syslog_ident must be 1 to 64 bytes\n" },
	{ "milter_socket without type", "milter_socket = 8899\n",
	    { { NULL, NULL } },
	    F ":1: milter_socket \"8899\" must start with inet:, inet6: or "
	    "unix:\n" },
	{ "milter_socket Postfix spelling",
	    "milter_socket = inet:127.0.0.1:8899\n", { { NULL, NULL } },
	    F ":1: milter_socket \"inet:127.0.0.1:8899\": write inet:PORT@HOST, "
	    "e.g. inet:8899@127.0.0.1\n" },
	{ "milter_socket port 0", "milter_socket = inet:0@127.0.0.1\n",
	    { { NULL, NULL } },
	    F ":1: milter_socket \"inet:0@127.0.0.1\": write inet:PORT@HOST, "
	    "e.g. inet:8899@127.0.0.1\n" },
	{ "milter_socket port 65536", "milter_socket = inet6:65536@::1\n",
	    { { NULL, NULL } },
	    F ":1: milter_socket \"inet6:65536@::1\": write inet:PORT@HOST, "
	    "e.g. inet:8899@127.0.0.1\n" },
	{ "milter_socket empty host", "milter_socket = inet:8899@\n",
	    { { NULL, NULL } },
	    F ":1: milter_socket \"inet:8899@\": write inet:PORT@HOST, e.g. "
	    "inet:8899@127.0.0.1\n" },
	{ "milter_socket relative path", "milter_socket = unix:rw.sock\n",
	    { { NULL, NULL } },
	    F ":1: milter_socket \"unix:rw.sock\": a unix socket needs an "
	    "absolute path of at most 100 bytes, without spaces or control "
	    "bytes\n" },
	/* Found by an audit: these passed -n and failed only at start. */
	{ "milter_socket host with junk",
	    "milter_socket = inet:8899@127.0.0.1 junk\n", { { NULL, NULL } },
	    F ":1: milter_socket \"inet:8899@127.0.0.1 junk\": write "
	    "inet:PORT@HOST, e.g. inet:8899@127.0.0.1\n" },
	{ "milter_socket path with a space",
	    "milter_socket = unix:/run/rw.sock junk\n", { { NULL, NULL } },
	    F ":1: milter_socket \"unix:/run/rw.sock junk\": a unix socket "
	    "needs an absolute path of at most 100 bytes, without spaces or "
	    "control bytes\n" },
	{ "pid_file with a control byte", "pid_file = /run/rw\x1b.pid\n",
	    { { NULL, NULL } },
	    F ":1: pid_file must be an absolute file path without spaces or "
	    "control bytes, not \"/run/rw\\x1b.pid\"\n" },
	{ "milter_socket empty", "milter_socket =\n", { { NULL, NULL } },
	    F ":1: milter_socket \"\" must start with inet:, inet6: or unix:\n" },
	{ "bad user", "user = -relay\n", { { NULL, NULL } },
	    F ":1: user \"-relay\" is not a user or group name\n" },
	{ "user of 33 bytes", "user = aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
	    { { NULL, NULL } },
	    F ":1: user \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\" is not a user or "
	    "group name\n" },
	{ "bad socket_group", "socket_group = post fix\n", { { NULL, NULL } },
	    F ":1: socket_group \"post fix\" is not a user or group name\n" },
	{ "bad run_as_root", "run_as_root = 1\n", { { NULL, NULL } },
	    F ":1: run_as_root must be no or yes, not \"1\"\n" },
	{ "relative pid_file", "pid_file = run/rw.pid\n", { { NULL, NULL } },
	    F ":1: pid_file must be an absolute file path without spaces or "
	    "control bytes, not \"run/rw.pid\"\n" },
	{ "pid_file is a directory", "pid_file = /run/relaywarden/\n",
	    { { NULL, NULL } },
	    F ":1: pid_file must be an absolute file path without spaces or "
	    "control bytes, not "
	    "\"/run/relaywarden/\"\n" },
	{ "socket_mode open to others", "socket_mode = 0666\n",
	    { { NULL, NULL } },
	    F ":1: socket_mode must be octal, at most 4 digits, with no access "
	    "for others (e.g. 0660), not \"0666\"\n" },
	{ "socket_mode not octal", "socket_mode = 0680\n", { { NULL, NULL } },
	    F ":1: socket_mode must be octal, at most 4 digits, with no access "
	    "for others (e.g. 0660), not \"0680\"\n" },
	{ "socket_mode of 5 digits", "socket_mode = 00660\n",
	    { { NULL, NULL } },
	    F ":1: socket_mode must be octal, at most 4 digits, with no access "
	    "for others (e.g. 0660), not \"00660\"\n" },
	{ "socket_mode empty", "socket_mode =\n", { { NULL, NULL } },
	    F ":1: socket_mode must be octal, at most 4 digits, with no access "
	    "for others (e.g. 0660), not \"\"\n" },
	{ "list file missing", "# x\nlocal_domains = @DIR@/missing\n",
	    { { NULL, NULL } },
	    F ":2: cannot read list file \"@DIR@/missing\": No such file or "
	    "directory\n" },
	{ "list file is a directory", "my_networks = 127.0.0.1 @DIR@\n",
	    { { NULL, NULL } },
	    F ":1: list file \"@DIR@\" is not a regular file\n" },
	/* A device would feed the parser forever. */
	{ "list file is a device", "local_domains = a.example\n"
	    "my_networks = /dev/zero\n", { { NULL, NULL } },
	    F ":2: list file \"/dev/zero\" is not a regular file\n" },
	{ "a lookup table's source named as a list file",
	    "local_domains = @DIR@/domains\n",
	    { { "domains", "a.example OK\n" }, { NULL, NULL } },
	    "@DIR@/domains:1: \"OK\" is a lookup table's source (KEY VALUE "
	    "lines), not a list: name it texthash:@DIR@/domains to read its "
	    "keys\n" },
	{ "list files nest, a loop ends",
	    "local_domains = @DIR@/domains\n",
	    { { "domains", "a.example\n@DIR@/domains\n" }, { NULL, NULL } },
	    "@DIR@/domains:2: \"@DIR@/domains\": lists nest deeper than 8 "
	    "levels (a loop?)\n" },
	{ "a table Postfix cannot list",
	    "local_domains = a.example, pcre:/etc/postfix/domains.pcre\n",
	    { { NULL, NULL } },
	    F ":1: lookup table \"pcre:/etc/postfix/domains.pcre\" cannot be "
	    "listed (Postfix can only ask it one key at a time): write its "
	    "entries in a file, or use a hash:, texthash:, lmdb: or cdb: "
	    "table\n" },
	{ "a network wider than /8",
	    "my_networks = 10.0.0.0/8, 0.0.0.0/0, !0.0.0.0/1, [2000::]/15\n",
	    { { NULL, NULL } },
	    F ":1: my_networks: \"0.0.0.0/0\" is a /0: every client in it may "
	    "relay; a network wider than /8 (IPv4) or /16 (IPv6) is refused "
	    "unless allow_wide_networks = yes\n"
	    F ":1: my_networks: \"[2000::]/15\" is a /15: every client in "
	    "it may relay; a network wider than /8 (IPv4) or /16 (IPv6) is "
	    "refused unless allow_wide_networks = yes\n" },
	{ "list file entry errors name the list file",
	    "mode = monitor\nlocal_domains = @DIR@/domains\n"
	    "my_networks = @DIR@/nets\n",
	    { { "domains", "# BlueMind\na.example\nbad..example\n" },
	      { "nets", "10.0.0.0/8\n10.0.0.1/8\n" }, { NULL, NULL } },
	    "@DIR@/domains:3: local_domains: bad domain \"bad..example\": "
	    "empty label in domain\n"
	    "@DIR@/nets:2: my_networks: non-null host address bits in "
	    "\"10.0.0.1/8\", perhaps you mean \"10.0.0.0/8\"\n" },
	{ "continuation with nothing before",
	    "  bluemind.loc\nmode = monitor\n", { { NULL, NULL } },
	    F ":1: continuation line (it starts with white space) with no "
	    "setting before it\n" },
	{ "continuation after only comments",
	    "# relaywarden\n\n\tbluemind.loc\n", { { NULL, NULL } },
	    F ":3: continuation line (it starts with white space) with no "
	    "setting before it\n" },
	{ "NUL byte", "mode = monitor\nsyslog_ident = rw\n", { { NULL, NULL } },
	    NULL },	/* written with a NUL by test_bad, see there */
	{ "several errors, all reported",
	    "# broken on purpose\n"
	    "colour = red\n"
	    "mode monitor\n"
	    "  continued\n"
	    "milter_socket = 8899\n"
	    "local_domains = bad..example\n"
	    "my_networks = 172.16.1.3/21\n"
	    "smtp_ports = 0\n"
	    "submission_ports = smtp/submission\n"
	    "submission_require_tls = maybe\n"
	    "unknown_listener = never\n"
	    "mode = warn\n"
	    "syslog_facility = kern\n"
	    "syslog_ident = a b\n"
	    "log_accepts = sometimes\n"
	    "user = root:root\n"
	    "run_as_root = maybe\n"
	    "pid_file = rw.pid\n"
	    "socket_group = -\n"
	    "socket_mode = 0777\n"
	    "mode = enforce\n",
	    { { NULL, NULL } },
	    F ":2: unknown setting \"colour\"\n"
	    F ":3: expected \"name = value\"\n"
	    F ":5: milter_socket \"8899\" must start with inet:, inet6: or "
	    "unix:\n"
	    F ":6: local_domains: bad domain \"bad..example\": empty label in "
	    "domain\n"
	    F ":7: my_networks: non-null host address bits in "
	    "\"172.16.1.3/21\", perhaps you mean \"172.16.0.0/21\"\n"
	    F ":8: smtp_ports: bad port \"0\": a port is a number from 1 to "
	    "65535\n"
	    F ":9: submission_ports: bad listener \"smtp/submission\": give a "
	    "port number or a {daemon_name} value (letters, digits, '.', '-', "
	    "'_')\n"
	    F ":10: submission_require_tls must be no or yes, not \"maybe\"\n"
	    F ":11: unknown_listener must be smtp, submission or tempfail, not "
	    "\"never\"\n"
	    F ":12: mode must be enforce or monitor, not \"warn\"\n"
	    F ":13: syslog_facility must be mail, daemon, user or local0 to "
	    "local7, not \"kern\"\n"
	    F ":14: syslog_ident must be one word of printable characters "
	    "without ':' or '['\n"
	    F ":15: log_accepts must be no or yes, not \"sometimes\"\n"
	    F ":16: user \"root:root\" is not a user or group name\n"
	    F ":17: run_as_root must be no or yes, not \"maybe\"\n"
	    F ":18: pid_file must be an absolute file path without spaces or "
	    "control bytes, not \"rw.pid\"\n"
	    F ":19: socket_group \"-\" is not a user or group name\n"
	    F ":20: socket_mode must be octal, at most 4 digits, with no access "
	    "for others (e.g. 0660), not \"0777\"\n"
	    F ":21: mode is set twice (first at line 12)\n" },
	/* The keys are applied in table order, after the file is read; the
	 * errors still come in the file's line order, a list file's at the
	 * line that names it, and a listener in both lists at the line of
	 * the list set in the file, though the default list meets it. */
	{ "errors in line order, not key order",
	    "socket_mode = 0777\n"
	    "log_accepts = sometimes\n"
	    "colour = red\n"
	    "my_networks = @DIR@/nets, 10.0.0.1/8\n"
	    "smtp_ports = 587\n"
	    "mode = warn\n"
	    "mode = enforce\n",
	    { { "nets", "# nets\n192.0.2.1/24\n" }, { NULL, NULL } },
	    F ":1: socket_mode must be octal, at most 4 digits, with no access "
	    "for others (e.g. 0660), not \"0777\"\n"
	    F ":2: log_accepts must be no or yes, not \"sometimes\"\n"
	    F ":3: unknown setting \"colour\"\n"
	    "@DIR@/nets:2: my_networks: non-null host address bits in "
	    "\"192.0.2.1/24\", perhaps you mean \"192.0.2.0/24\"\n"
	    F ":4: my_networks: non-null host address bits in "
	    "\"10.0.0.1/8\", perhaps you mean \"10.0.0.0/8\"\n"
	    F ":5: smtp_ports: \"587\" is listed in both smtp_ports and "
	    "submission_ports (submission_ports by default: set both "
	    "lists)\n"
	    F ":6: mode must be enforce or monitor, not \"warn\"\n"
	    F ":7: mode is set twice (first at line 6)\n" },
	/* Found by fuzz_conf: the file's bytes were echoed raw, so a
	 * config error could carry a terminal escape or a line break into
	 * the terminal of "relaywarden -n" or into syslog. Every quoted
	 * value is now shown with control and 8-bit bytes, '"' and '\' as
	 * \xHH. */
	{ "control byte in an unknown key", "mo\x1b" "de = monitor\n",
	    { { NULL, NULL } }, F ":1: unknown setting \"mo\\x1bde\"\n" },
	{ "8-bit bytes in an enum", "mode = \xc3\xa9nforce\n", { { NULL, NULL } },
	    F ":1: mode must be enforce or monitor, not \"\\xc3\\xa9nforce\"\n" },
	{ "quotes in a bool", "log_accepts = \"yes\"\n", { { NULL, NULL } },
	    F ":1: log_accepts must be no or yes, not \"\\x22yes\\x22\"\n" },
	{ "escape sequence in a port", "smtp_ports = 2\x1b[2J5\n",
	    { { NULL, NULL } },
	    F ":1: smtp_ports: bad port \"2\\x1b[2J5\": a port is a number from "
	    "1 to 65535\n" },
	{ "control byte in a listener name", "submission_ports = 587 "
	    "ORIG\x01INATING\n", { { NULL, NULL } },
	    F ":1: submission_ports: bad listener \"ORIG\\x01INATING\": give a "
	    "port number or a {daemon_name} value (letters, digits, '.', '-', "
	    "'_')\n" },
	{ "DEL in a facility", "syslog_facility = mail\x7f\n",
	    { { NULL, NULL } },
	    F ":1: syslog_facility must be mail, daemon, user or local0 to "
	    "local7, not \"mail\\x7f\"\n" },
	{ "control byte in milter_socket", "milter_socket = inet:88\x01" "99\n",
	    { { NULL, NULL } },
	    F ":1: milter_socket \"inet:88\\x0199\": write inet:PORT@HOST, e.g. "
	    "inet:8899@127.0.0.1\n" },
	{ "8-bit byte in user", "user = r\xffoot\n", { { NULL, NULL } },
	    F ":1: user \"r\\xffoot\" is not a user or group name\n" },
	{ "control byte in pid_file", "pid_file = rw\x01.pid\n",
	    { { NULL, NULL } },
	    F ":1: pid_file must be an absolute file path without spaces or "
	    "control bytes, not \"rw\\x01.pid\"\n" },
	{ "control byte in socket_mode", "socket_mode = 06\x01" "60\n",
	    { { NULL, NULL } },
	    F ":1: socket_mode must be octal, at most 4 digits, with no access "
	    "for others (e.g. 0660), not \"06\\x0160\"\n" },
	{ "control byte in a list file path",
	    "local_domains = @DIR@/no\x1b" "ne\n", { { NULL, NULL } },
	    F ":1: cannot read list file \"@DIR@/no\\x1bne\": No such file or "
	    "directory\n" },
	{ "control byte in a nested list file path",
	    "local_domains = @DIR@/domains\n",
	    { { "domains", "a.example\n/etc/\x01x\n" }, { NULL, NULL } },
	    "@DIR@/domains:2: cannot read list file \"/etc/\\x01x\": No such "
	    "file or directory\n" },
	{ "8-bit bytes in a list file name",
	    "local_domains = @DIR@/dom\xc3\xa9" "s\n",
	    { { "dom\xc3\xa9" "s", "a.example\nbad..example\n" },
	      { NULL, NULL } },
	    "@DIR@/dom\\xc3\\xa9s:2: local_domains: bad domain \"bad..example\": "
	    "empty label in domain\n" },
	{ "a long bad value is cut", "mode = "
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\n",
	    { { NULL, NULL } },
	    F ":1: mode must be enforce or monitor, not "
	    "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "...\"\n" },
	/*
	 * A list file's errors may reach a terminal or the journal whose
	 * readers could not read the file: an entry is quoted up to 64
	 * octets, enough with FILE:LINE to find it, then "..." (the first
	 * fields of /etc/shadow came out whole). domset and netset quote
	 * main-file entries the same way.
	 */
	{ "a long bad domain in a list file is cut (a shadow line)",
	    "local_domains = @DIR@/domains\n",
	    { { "domains", "a.example\n"
	    "root:$y$j9T$aaaaaaaaaaaaaaaaaaaaaa$bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	    "bbbbbbbb:19000:0:99999:7:::\n" }, { NULL, NULL } },
	    "@DIR@/domains:2: local_domains: lookup table "
	    "\"root:$y$j9T$aaaaaaaaaaaaaaaaaaaaaa$bbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	    "...\" is not supported: list the domains, or put them in a file "
	    "given by absolute path\n" },
	{ "a long bad network in a list file is cut",
	    "my_networks = @DIR@/nets\n",
	    { { "nets", "10.0.0.0/8\n"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "secret\n" }, { NULL, NULL } },
	    "@DIR@/nets:2: my_networks: bad network "
	    "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "...\": not an IPv4 or IPv6 address\n" },
	{ "a long lookup table in a list file is cut",
	    "my_networks = @DIR@/nets\n",
	    { { "nets", "regexp:/etc/postfix/"
	    "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn\n" },
	      { NULL, NULL } },
	    "@DIR@/nets:1: lookup table \"regexp:/etc/postfix/"
	    "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn...\" cannot be listed "
	    "(Postfix can only ask it one key at a time): write its entries "
	    "in a file, or use a hash:, texthash:, lmdb: or cdb: "
	    "table\n" },
	{ "a long nested path in a list file is cut",
	    "local_domains = @DIR@/domains\n",
	    { { "domains", "/etc/"
	    "ssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssss\n" },
	      { NULL, NULL } },
	    "@DIR@/domains:1: cannot read list file \"/etc/"
	    "sssssssssssssssssssssssssssssssssssssssssssssssssssssssssss...\": "
	    "No such file or directory\n" },
	/* Escapes count in the 64: 16 escaped octets are shown. */
	{ "a long 8-bit entry in a list file is cut",
	    "local_domains = @DIR@/domains\n",
	    { { "domains", "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9!.example\n" },
	      { NULL, NULL } },
	    "@DIR@/domains:1: local_domains: bad domain "
	    "\"\\xc3\\xa9\\xc3\\xa9\\xc3\\xa9\\xc3\\xa9\\xc3\\xa9\\xc3\\xa9"
	    "\\xc3\\xa9\\xc3\\xa9...\": bad character in domain\n" },
	{ "a long bad entry in the main file is cut too",
	    "local_domains = a.example\n"
	    "    zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"
	    "@b.example\n", { { NULL, NULL } },
	    F ":2: local_domains: bad domain "
	    "\"zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"
	    "...\": a domain, not an address\n" },
	/* 64 octets exactly are shown whole. */
	{ "a bad entry of 64 octets is not cut",
	    "local_domains = @DIR@/domains\n",
	    { { "domains", "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghij"
	    "abcdefghi@.org\n" }, { NULL, NULL } },
	    "@DIR@/domains:1: local_domains: bad domain "
	    "\"abcdefghijabcdefghijabcdefghijabcdefghijabcdefghij"
	    "abcdefghi@.org\": a domain, not an address\n" },
	{ "a list file error beside main file errors",
	    "local_domains = @DIR@/domains\nnope = 1\n",
	    { { "domains", "ok.example\nbad!domain\n" }, { NULL, NULL } },
	    "@DIR@/domains:2: local_domains: bad domain \"bad!domain\": bad "
	    "character in domain\n"
	    F ":2: unknown setting \"nope\"\n" },
	/* sender_login_maps and the keys around it. */
	{ "sender map: entries with no owner, bad keys, bad owners",
	    "sender_login_maps = @DIR@/map\n",
	    { { "map", "lonely@example.org\n"
	        "ok@example.org a, b\n"
	        "@ somebody\n"
	        "two@example.org  ,  ,\n"
	        "ctl@example.org a\x01" "b\n"
	        "  continued\x7f\n" }, { NULL, NULL } },
	    "@DIR@/map:1: sender_login_maps: \"lonely@example.org\": no owner\n"
	    "@DIR@/map:3: sender_login_maps: \"@\": \"@\" with no domain\n"
	    "@DIR@/map:4: sender_login_maps: \"two@example.org\": no owner\n"
	    "@DIR@/map:5: sender_login_maps: \"ctl@example.org\": an owner "
	    "with a control byte\n" },
	{ "sender map: a key twice in one file, in any case",
	    "sender_login_maps = @DIR@/map\n",
	    { { "map", "# owners\nA@Example.org alice\n\nb@example.org bob\n"
	        "a@example.ORG mallory\n" }, { NULL, NULL } },
	    "@DIR@/map:5: sender_login_maps: duplicate key \"a@example.org\" "
	    "(first at line 2; Postfix would use the first): remove one\n" },
	{ "sender map: a continuation line first",
	    "sender_login_maps = @DIR@/map\n",
	    { { "map", " alice\nx@y a\n" }, { NULL, NULL } },
	    "@DIR@/map:1: continuation line (it starts with white space) "
	    "with no map entry before it\n" },
	{ "sender map: not a map, a missing file, a table that cannot be "
	    "listed",
	    "sender_login_maps = owners, @DIR@/none,\n"
	    "  regexp:/etc/postfix/senders\n",
	    { { NULL, NULL } },
	    F ":1: sender_login_maps: \"owners\" is not a map: write "
	    "/path/to/file, type:table (e.g. hash:/etc/postfix/sender_login) "
	    "or postfix:NAME\n"
	    F ":1: cannot read map file \"@DIR@/none\": No such file or "
	    "directory\n"
	    F ":2: lookup table \"regexp:/etc/postfix/senders\" cannot be "
	    "listed (Postfix can only ask it one key at a time): write its "
	    "entries in a file, or use a hash:, texthash:, lmdb: or cdb: "
	    "table\n" },
	{ "sender keys: check, domain, delimiter, local domains",
	    "sender_login_check = strict\nsender_login_domain = exa mple\n"
	    "recipient_delimiter = a\nsender_login_local_domains = a@b\n"
	    "sender_login_self = maybe\n",
	    { { NULL, NULL } },
	    F ":1: sender_login_check must be off, authenticated, known, "
	    "unauthenticated or all, not \"strict\"\n"
	    F ":2: sender_login_domain \"exa mple\" is not a domain name\n"
	    F ":3: recipient_delimiter must be at most 16 printable "
	    "characters, no letter, digit, '@' or space (e.g. +)\n"
	    F ":4: sender_login_local_domains: bad domain \"a@b\": a domain, "
	    "not an address\n"
	    F ":5: sender_login_self must be no or yes, not \"maybe\"\n" },
};

START_TEST(test_bad)
{
	const struct bad_case *c = &bad_cases[_i];
	struct conf_errors errs = { NULL, 0, 0 };
	struct tu_dir d;
	struct config *p;
	char *path, *joined, *want;

	tu_dir_make(&d);
	write_lists(&d, c->lists);
	if (c->want == NULL) {
		/* "NUL byte": line 2 holds a NUL. */
		static const char text[] = "mode = monitor\nsyslog_\0ident = rw\n";

		free(tu_write_n(&d, MAIN, text, sizeof(text) - 1));
		path = NULL;
		ck_assert(asprintf(&path, "%s/%s", d.path, MAIN) > 0);
		want = tu_subst(F ":2: NUL byte in line\n", d.path);
	} else {
		path = tu_write(&d, MAIN, c->conf);
		want = tu_subst(c->want, d.path);
	}
	p = conf_load(path, &errs);
	joined = tu_errors_join(&errs);
	conf_errors_free(&errs);
	free(path);
	tu_dir_remove(&d);

	ck_assert_msg(strcmp(joined, want) == 0,
	    "%s: errors\n got:\n%s\nwant:\n%s", c->name, joined, want);
	ck_assert_msg(p == NULL, "%s: got a policy, want NULL", c->name);
	free(joined);
	free(want);
}
END_TEST

/* A bad entry in a list file: the lines around it were read but
 * nothing is kept, because a file is accepted whole or refused whole. */
START_TEST(test_bad_list_refuses_all)
{
	static const struct file lists[] = {
		{ "domains", "a.example\nb.example\nc..example\nd.example\n" },
		{ NULL, NULL },
	};
	struct conf_errors errs = { NULL, 0, 0 };
	struct tu_dir d;
	struct config *p;
	char *path;

	tu_dir_make(&d);
	write_lists(&d, lists);
	path = tu_write(&d, MAIN, "local_domains = @DIR@/domains\n");
	p = conf_load(path, &errs);
	free(path);
	tu_dir_remove(&d);
	ck_assert_msg(p == NULL && errs.n == 1 && errs.dropped == 0,
	    "bad list entry: got policy %p, %zu errors, %zu dropped; want "
	    "NULL, 1, 0", (void *)p, errs.n, errs.dropped);
	conf_errors_free(&errs);
}
END_TEST

/* Lines at and over CONF_LINE_MAX, in the main file and a list file. */
struct long_case {
	const char	*name;
	bool		list;		/* the long line is in a list file */
	size_t		len;		/* bytes before the newline */
	bool		ok;
};

static const struct long_case long_cases[] = {
	{ "main line of CONF_LINE_MAX bytes", false, CONF_LINE_MAX, true },
	{ "main line of CONF_LINE_MAX + 1 bytes", false, CONF_LINE_MAX + 1,
	    false },
	{ "main line of 1 MB", false, 1024 * 1024, false },
	{ "list line of CONF_LINE_MAX bytes", true, CONF_LINE_MAX, true },
	{ "list line of CONF_LINE_MAX + 1 bytes", true, CONF_LINE_MAX + 1,
	    false },
	{ "list line of 1 MB", true, 1024 * 1024, false },
};

START_TEST(test_long_line)
{
	const struct long_case *c = &long_cases[_i];
	struct conf_errors errs = { NULL, 0, 0 };
	struct tu_dir d;
	struct config *p;
	char *text, *path, *joined, *want, *lpath;
	size_t o;

	/* "mode = monitor" padded with blanks (ignored at the end of a
	 * value), or a list line "a.example" padded the same way. */
	text = malloc(c->len + 64);
	ck_assert(text != NULL);
	o = (size_t)sprintf(text, "%s", c->list ? "a.example" : "mode = monitor");
	memset(text + o, ' ', c->len - o);
	strcpy(text + c->len, "\nsyslog_ident = rw\n");

	tu_dir_make(&d);
	if (c->list) {
		lpath = tu_write_n(&d, "domains", text, c->len + 1);
		free(lpath);
		path = tu_write(&d, MAIN, "# long list\nlocal_domains = "
		    "@DIR@/domains\n");
	} else {
		path = tu_write_n(&d, MAIN, text, strlen(text));
	}
	p = conf_load(path, &errs);
	joined = tu_errors_join(&errs);
	conf_errors_free(&errs);
	free(path);
	if (c->ok)
		want = strdup("");
	else if (c->list)
		want = tu_subst("@DIR@/domains:1: line longer than 65536 bytes\n",
		    d.path);
	else
		want = tu_subst(F ":1: line longer than 65536 bytes\n", d.path);
	tu_dir_remove(&d);

	ck_assert_msg(strcmp(joined, want) == 0,
	    "%s: errors\n got:\n%s\nwant:\n%s", c->name, joined, want);
	ck_assert_msg((p != NULL) == c->ok, "%s: got %s, want %s", c->name,
	    p ? "a policy" : "NULL", c->ok ? "a policy" : "NULL");
	if (p != NULL && !c->list)
		ck_assert_msg(p->policy->mode == MODE_MONITOR && p->syslog_ident != NULL &&
		    strcmp(p->syslog_ident, "rw") == 0,
		    "%s: the settings around the long line were lost", c->name);
	if (p != NULL && c->list)
		ck_assert_msg(domset_count(p->policy->local_domains) == 1 &&
		    domset_contains(p->policy->local_domains, "a.example"),
		    "%s: the long list line was not read", c->name);
	config_free(p);
	free(joined);
	free(want);
	free(text);
}
END_TEST

/* One setting over 1 MiB through continuation lines. */
START_TEST(test_long_setting)
{
	struct conf_errors errs = { NULL, 0, 0 };
	struct tu_dir d;
	struct config *p;
	char *text, *path, *joined, *want;
	size_t o = 0, i;

	text = malloc(20 * 60010 + 256);
	ck_assert(text != NULL);
	o += (size_t)sprintf(text, "# big\nlocal_domains = a.example\n");
	for (i = 0; i < 20; i++) {
		text[o++] = ' ';
		memset(text + o, 'x', 60000);	/* one 60000-byte label would be
						 * bad; never reached */
		o += 60000;
		text[o++] = '\n';
	}
	o += (size_t)sprintf(text + o, "mode = monitor\n");
	tu_dir_make(&d);
	path = tu_write_n(&d, MAIN, text, o);
	p = conf_load(path, &errs);
	joined = tu_errors_join(&errs);
	conf_errors_free(&errs);
	free(path);
	want = tu_subst(F ":2: setting longer than 1048576 bytes: put long "
	    "lists in a file\n", d.path);
	tu_dir_remove(&d);
	ck_assert_msg(strcmp(joined, want) == 0,
	    "long setting: errors\n got:\n%s\nwant:\n%s", joined, want);
	ck_assert_msg(p == NULL, "long setting: got a policy, want NULL");
	free(joined);
	free(want);
	free(text);
}
END_TEST

/* More than CONF_ERRORS_MAX errors: the first ones kept, the rest
 * counted. */
START_TEST(test_too_many_errors)
{
	struct conf_errors errs = { NULL, 0, 0 };
	struct tu_dir d;
	struct config *p;
	char *text, *path, *want, *joined;
	size_t o = 0, w = 0, i, n = CONF_ERRORS_MAX + 7;

	text = malloc(n * 32);
	want = malloc(n * 128);
	ck_assert(text != NULL && want != NULL);
	tu_dir_make(&d);
	for (i = 1; i <= n; i++) {
		o += (size_t)sprintf(text + o, "bogus_%zu = %zu\n", i, i);
		if (i <= CONF_ERRORS_MAX)
			w += (size_t)sprintf(want + w, "%s/%s:%zu: unknown setting "
			    "\"bogus_%zu\"\n", d.path, MAIN, i, i);
	}
	sprintf(want + w, "(%d dropped)\n", 7);
	path = tu_write_n(&d, MAIN, text, o);
	p = conf_load(path, &errs);
	joined = tu_errors_join(&errs);
	free(path);
	tu_dir_remove(&d);
	ck_assert_msg(errs.n == CONF_ERRORS_MAX && errs.dropped == 7,
	    "got %zu errors and %zu dropped, want %d and 7", errs.n,
	    errs.dropped, CONF_ERRORS_MAX);
	ck_assert_msg(strcmp(joined, want) == 0,
	    "errors:\n got:\n%s\nwant:\n%s", joined, want);
	ck_assert(p == NULL);
	conf_errors_free(&errs);
	ck_assert_msg(errs.n == 0 && errs.dropped == 0 && errs.msg == NULL,
	    "conf_errors_free left n=%zu dropped=%zu", errs.n, errs.dropped);
	conf_errors_free(NULL);
	free(joined);
	free(want);
	free(text);
}
END_TEST

/* Errors are appended: a second load adds to the first one's. */
START_TEST(test_errors_append)
{
	struct conf_errors errs = { NULL, 0, 0 };
	struct tu_dir d;
	struct config *p1, *p2, *p3;
	char *bad, *good, *joined, *want;

	tu_dir_make(&d);
	bad = tu_write(&d, "bad.conf", "mode = warn\n");
	good = tu_write(&d, "good.conf", "mode = monitor\n");
	p1 = conf_load(bad, &errs);
	p2 = conf_load(good, &errs);	/* earlier errors do not fail it */
	p3 = conf_load(bad, &errs);
	joined = tu_errors_join(&errs);
	want = tu_subst("@DIR@/bad.conf:1: mode must be enforce or monitor, "
	    "not \"warn\"\n@DIR@/bad.conf:1: mode must be enforce or monitor, "
	    "not \"warn\"\n", d.path);
	conf_errors_free(&errs);
	free(bad);
	free(good);
	tu_dir_remove(&d);
	ck_assert_msg(p1 == NULL && p2 != NULL && p3 == NULL,
	    "bad, good, bad: got %s, %s, %s", p1 ? "policy" : "NULL",
	    p2 ? "policy" : "NULL", p3 ? "policy" : "NULL");
	ck_assert_msg(strcmp(joined, want) == 0,
	    "errors:\n got:\n%s\nwant:\n%s", joined, want);
	config_free(p2);
	free(joined);
	free(want);
}
END_TEST

START_TEST(test_missing_file)
{
	struct conf_errors errs = { NULL, 0, 0 };
	struct tu_dir d;
	struct config *p;
	char *path, *joined, *want;

	tu_dir_make(&d);
	ck_assert(asprintf(&path, "%s/none.conf", d.path) > 0);
	p = conf_load(path, &errs);
	joined = tu_errors_join(&errs);
	want = tu_subst("@DIR@/none.conf: cannot open: No such file or "
	    "directory\n", d.path);
	conf_errors_free(&errs);
	free(path);
	tu_dir_remove(&d);
	ck_assert_msg(strcmp(joined, want) == 0,
	    "missing file: got \"%s\", want \"%s\"", joined, want);
	ck_assert(p == NULL);
	free(joined);
	free(want);
}
END_TEST

/*
 * A FIFO in place of the main file or a list file is refused at once:
 * opening one with no writer used to block "-n", a reload, and the stop
 * that waits on the reload (Check's timeout fails the test then). A
 * device as the main file is refused as a list file is.
 */
struct irregular_case {
	const char	*name;
	const char	*main;		/* the main file's text, or NULL: the
					 * main file is the FIFO "fifo" */
	const char	*main_path;	/* or this path as the main file */
	const char	*want;
};

static const struct irregular_case irregular_cases[] = {
	{ "FIFO as list file", "local_domains = a.example\n"
	    "my_networks = @DIR@/fifo\n", NULL,
	    "@DIR@/" MAIN ":2: list file \"@DIR@/fifo\" is not a regular "
	    "file\n" },
	{ "FIFO as main file", NULL, NULL,
	    "@DIR@/fifo: not a regular file\n" },
	{ "device as main file", NULL, "/dev/zero",
	    "/dev/zero: not a regular file\n" },
};

START_TEST(test_irregular)
{
	const struct irregular_case *c = &irregular_cases[_i];
	struct conf_errors errs = { NULL, 0, 0 };
	struct tu_dir d;
	struct config *p;
	char *fifo, *path, *joined, *want;

	tu_dir_make(&d);
	ck_assert(asprintf(&fifo, "%s/fifo", d.path) > 0);
	ck_assert(mkfifo(fifo, 0600) == 0);
	if (c->main != NULL)
		path = tu_write(&d, MAIN, c->main);
	else
		path = strdup(c->main_path != NULL ? c->main_path : fifo);
	p = conf_load(path, &errs);
	joined = tu_errors_join(&errs);
	want = tu_subst(c->want, d.path);
	conf_errors_free(&errs);
	free(path);
	free(fifo);
	tu_dir_remove(&d);
	ck_assert_msg(p == NULL && strcmp(joined, want) == 0,
	    "%s: got \"%s\", want \"%s\"", c->name, joined, want);
	free(joined);
	free(want);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Big files: 100000 entries, as a large BlueMind writes them.        */

#define BIG 100000

/* The list files: BIG "hostI.zoneJ.example" lines and BIG networks
 * 10.a.b.c/32, with a comment every 1000 lines; line bad (1-based, 0:
 * none) holds what is given instead. Returns the number of lines. */
static unsigned
write_big_lists(const struct tu_dir *d, unsigned bad, const char *badtext)
{
	char *path;
	FILE *dom, *net;
	unsigned i, line = 0;

	ck_assert(asprintf(&path, "%s/domains", d->path) > 0);
	dom = fopen(path, "w");
	free(path);
	ck_assert(asprintf(&path, "%s/nets", d->path) > 0);
	net = fopen(path, "w");
	free(path);
	ck_assert(dom != NULL && net != NULL);
	for (i = 0; i < BIG; i++) {
		if (i % 1000 == 0) {
			fprintf(dom, "# zone %u\n", i / 1000);
			fprintf(net, "# block %u\n", i / 1000);
			line++;
		}
		line++;
		if (line == bad)
			fprintf(dom, "%s\n", badtext);
		else
			fprintf(dom, "host%u.zone%u.example\n", i, i / 1000);
		fprintf(net, "10.%u.%u.%u/32\n", i >> 16, (i >> 8) & 255,
		    i & 255);
	}
	ck_assert(fclose(dom) == 0 && fclose(net) == 0);
	return line;
}

static const char big_main[] =
    "local_domains = bluemind.loc, @DIR@/domains\n"
    "my_networks = 127.0.0.0/8, @DIR@/nets\n";

START_TEST(test_big_lists)
{
	static const struct {
		const char *domain;
		bool want;
	} dprobes[] = {
		{ "bluemind.loc", true }, { "host0.zone0.example", true },
		{ "host99999.zone99.example", true },
		{ "host100000.zone100.example", false },
		{ "host99999.zone98.example", false },
	};
	static const struct {
		const char *client;
		bool want;
	} nprobes[] = {
		{ "127.0.0.1", true }, { "10.0.0.0", true },
		{ "10.1.134.159", true }, { "10.1.134.160", false },
		{ "::ffff:10.0.200.1", true }, { "11.0.0.0", false },
	};
	struct conf_errors errs = { NULL, 0, 0 };
	struct tu_dir d;
	struct config *p;
	struct netaddr a;
	char *path, *joined;
	size_t i;

	tu_dir_make(&d);
	ck_assert_msg(write_big_lists(&d, 0, NULL) == BIG + BIG / 1000,
	    "the generator wrote an unexpected number of lines");
	path = tu_write(&d, MAIN, big_main);
	p = conf_load(path, &errs);
	joined = tu_errors_join(&errs);
	conf_errors_free(&errs);
	free(path);
	tu_dir_remove(&d);
	ck_assert_msg(p != NULL && joined[0] == '\0', "refused:\n%s", joined);
	ck_assert_msg(domset_count(p->policy->local_domains) == BIG + 1 &&
	    netset_count(p->policy->my_networks) == BIG + 1,
	    "got %zu domains and %zu networks, want %d of each",
	    domset_count(p->policy->local_domains),
	    netset_count(p->policy->my_networks), BIG + 1);
	for (i = 0; i < sizeof(dprobes) / sizeof(dprobes[0]); i++)
		ck_assert_msg(domset_contains(p->policy->local_domains,
		    dprobes[i].domain) == dprobes[i].want, "%s: got %d, want %d",
		    dprobes[i].domain, !dprobes[i].want, dprobes[i].want);
	for (i = 0; i < sizeof(nprobes) / sizeof(nprobes[0]); i++) {
		ck_assert(netaddr_parse(nprobes[i].client, &a));
		ck_assert_msg(netset_contains(p->policy->my_networks, &a) ==
		    nprobes[i].want, "%s: got %d, want %d", nprobes[i].client,
		    !nprobes[i].want, nprobes[i].want);
	}
	free(joined);
	config_free(p);
}
END_TEST

/* One bad line deep in a big list file: its own path and line, and the
 * 199999 good entries around it are not kept. */
START_TEST(test_big_one_bad)
{
	struct conf_errors errs = { NULL, 0, 0 };
	struct tu_dir d;
	struct config *p;
	char *path, *joined, *want;

	tu_dir_make(&d);
	write_big_lists(&d, 73457, "host73.zone72..example");
	path = tu_write(&d, MAIN, big_main);
	p = conf_load(path, &errs);
	joined = tu_errors_join(&errs);
	conf_errors_free(&errs);
	free(path);
	want = tu_subst("@DIR@/domains:73457: local_domains: bad domain "
	    "\"host73.zone72..example\": empty label in domain\n", d.path);
	tu_dir_remove(&d);
	ck_assert_msg(strcmp(joined, want) == 0,
	    "errors\n got:\n%s\nwant:\n%s", joined, want);
	ck_assert_msg(p == NULL, "got a policy, want NULL");
	free(joined);
	free(want);
}
END_TEST

/* 100000 bad entries: the first CONF_ERRORS_MAX errors are kept and the
 * rest counted, so memory stays bounded. */
START_TEST(test_big_all_bad)
{
	struct conf_errors errs = { NULL, 0, 0 };
	struct tu_dir d;
	struct config *p;
	char *path, *want_first, *want_last;
	FILE *fp;
	unsigned i;

	tu_dir_make(&d);
	ck_assert(asprintf(&path, "%s/domains", d.path) > 0);
	ck_assert((fp = fopen(path, "w")) != NULL);
	free(path);
	for (i = 1; i <= BIG; i++)
		fprintf(fp, "bad%u..example\n", i);
	ck_assert(fclose(fp) == 0);
	path = tu_write(&d, MAIN, "local_domains = @DIR@/domains\n");
	p = conf_load(path, &errs);
	free(path);
	want_first = tu_subst("@DIR@/domains:1: local_domains: bad domain "
	    "\"bad1..example\": empty label in domain", d.path);
	want_last = tu_subst("@DIR@/domains:100: local_domains: bad domain "
	    "\"bad100..example\": empty label in domain", d.path);
	tu_dir_remove(&d);
	ck_assert_msg(p == NULL && errs.n == CONF_ERRORS_MAX &&
	    errs.dropped == BIG - CONF_ERRORS_MAX,
	    "got %s, %zu errors, %zu dropped; want NULL, %d, %d",
	    p ? "a policy" : "NULL", errs.n, errs.dropped, CONF_ERRORS_MAX,
	    BIG - CONF_ERRORS_MAX);
	ck_assert_msg(strcmp(errs.msg[0], want_first) == 0 &&
	    strcmp(errs.msg[errs.n - 1], want_last) == 0,
	    "first and last errors:\n got:\n%s\n%s\nwant:\n%s\n%s",
	    errs.msg[0], errs.msg[errs.n - 1], want_first, want_last);
	conf_errors_free(&errs);
	free(want_first);
	free(want_last);
}
END_TEST

/* 100000 networks written in the main file itself, 100 a line on
 * continuation lines: 1.3 MB for one setting is refused, with the fix. */
START_TEST(test_big_inline)
{
	struct conf_errors errs = { NULL, 0, 0 };
	struct tu_dir d;
	struct config *p;
	char *path, *joined, *want;
	FILE *fp;
	unsigned i;

	tu_dir_make(&d);
	ck_assert(asprintf(&path, "%s/%s", d.path, MAIN) > 0);
	ck_assert((fp = fopen(path, "w")) != NULL);
	fprintf(fp, "# all inline\nmy_networks =");
	for (i = 0; i < BIG; i++)
		fprintf(fp, "%s10.%u.%u.%u", i % 100 == 0 ? "\n    " : " ",
		    i >> 16, (i >> 8) & 255, i & 255);
	fprintf(fp, "\nmode = monitor\n");
	ck_assert(fclose(fp) == 0);
	p = conf_load(path, &errs);
	joined = tu_errors_join(&errs);
	conf_errors_free(&errs);
	free(path);
	want = tu_subst("@DIR@/" MAIN ":2: setting longer than 1048576 bytes: "
	    "put long lists in a file\n", d.path);
	tu_dir_remove(&d);
	ck_assert_msg(strcmp(joined, want) == 0,
	    "errors\n got:\n%s\nwant:\n%s", joined, want);
	ck_assert_msg(p == NULL, "got a policy, want NULL");
	free(joined);
	free(want);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Files the daemon cannot read.                                      */

/*
 * The daemon reads its files as the unprivileged user it became, so a
 * file only root may read loads at start and fails at the next reload.
 * This loads in a child that is not root (nobody, 65534, when the test
 * runs as root; chmod 000 is ignored by root) and hands the errors back
 * through a pipe.
 */
static char *
load_unprivileged(const char *path)
{
	struct conf_errors errs = { NULL, 0, 0 };
	char *joined, buf[4096];
	size_t n = 0;
	ssize_t r;
	int fd[2], status;
	pid_t pid;

	ck_assert(pipe(fd) == 0);
	ck_assert((pid = fork()) >= 0);
	if (pid == 0) {
		struct config *p;

		close(fd[0]);
		if (geteuid() == 0 && (setgroups(0, NULL) != 0 ||
		    setgid(65534) != 0 || setuid(65534) != 0))
			_exit(3);
		p = conf_load(path, &errs);
		joined = tu_errors_join(&errs);
		if (write(fd[1], joined, strlen(joined)) < 0)
			_exit(4);
		_exit(p == NULL ? 1 : 0);
	}
	close(fd[1]);
	while (n < sizeof(buf) - 1 &&
	    (r = read(fd[0], buf + n, sizeof(buf) - 1 - n)) > 0)
		n += (size_t)r;
	buf[n] = '\0';
	close(fd[0]);
	ck_assert(waitpid(pid, &status, 0) == pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 1,
	    "the child loaded a policy or failed (status %d): %s", status, buf);
	ck_assert((joined = strdup(buf)) != NULL);
	return joined;
}

struct unreadable_case {
	const char	*name;
	const char	*conf;
	const char	*list;		/* "domains" written with this, or NULL */
	const char	*chmod;		/* file (in @DIR@) made mode 000 */
	const char	*want;
};

static const struct unreadable_case unreadable_cases[] = {
	{ "list file", "local_domains = @DIR@/domains\n", "a.example\n",
	    "domains",
	    F ":1: cannot read list file \"@DIR@/domains\": Permission "
	    "denied\n" },
	{ "main file", "local_domains = a.example\n", NULL, MAIN,
	    F ": cannot open: Permission denied\n" },
};

START_TEST(test_unreadable)
{
	const struct unreadable_case *c = &unreadable_cases[_i];
	struct tu_dir d;
	char *path, *joined, *want, *target;

	tu_dir_make(&d);
	ck_assert(chmod(d.path, 0755) == 0);	/* the child must get in */
	if (c->list != NULL)
		free(tu_write(&d, "domains", c->list));
	path = tu_write(&d, MAIN, c->conf);
	ck_assert(asprintf(&target, "%s/%s", d.path, c->chmod) > 0);
	ck_assert(chmod(path, 0644) == 0 && chmod(target, 0) == 0);
	joined = load_unprivileged(path);
	want = tu_subst(c->want, d.path);
	free(target);
	free(path);
	tu_dir_remove(&d);
	ck_assert_msg(strcmp(joined, want) == 0,
	    "%s: errors\n got:\n%s\nwant:\n%s", c->name, joined, want);
	free(joined);
	free(want);
}
END_TEST

/* ------------------------------------------------------------------ */
/* conf_load_as(): the caller's say over the list files.               */

/*
 * The hook writes the list file "domains" when it is called, so a list
 * file read before it would be missing; it says no when the case asks.
 */
struct as_user_case {
	const char	*name;
	const char	*conf;
	const char	*refuse;	/* the hook's "no", or NULL for yes */
	const char	*want_user;	/* the value it was given; NULL: not
					 * called */
	const char	*want;		/* errors; NULL: a policy of 2 domains */
};

static const struct as_user_case as_user_cases[] = {
	{ "called with user, before the list files",
	    "user = relaywarden\nlocal_domains = a.example, @DIR@/domains\n",
	    NULL, "relaywarden", NULL },
	{ "called with \"\" when user is unset",
	    "local_domains = @DIR@/domains\n    a.example\n", NULL, "", NULL },
	{ "called with \"\" when user is empty",
	    "user =\nlocal_domains = @DIR@/domains a.example\n", NULL, "",
	    NULL },
	/* Its "no" is an error after every line, and no list file is read
	 * (the one written holds a bad entry, whose error would show). */
	{ "its no fails the load, no list file read",
	    "user = nobody\nlocal_domains = a.example @DIR@/domains\n"
	    "mode = warn\n", "user \"nobody\" may not", "nobody",
	    F ":3: mode must be enforce or monitor, not \"warn\"\n"
	    F ": user \"nobody\" may not\n" },
	{ "a bad user value: not called, no list file read",
	    "local_domains = @DIR@/domains\nuser = -x\n", NULL, NULL,
	    F ":2: user \"-x\" is not a user or group name\n" },
};

struct as_user_seen {
	const struct as_user_case *c;
	const char	*dir;
	char		user[64];
	int		calls;
};

static bool
as_user_hook(const char *user, void *arg, char *err, size_t errlen)
{
	struct as_user_seen *seen = arg;
	struct tu_dir d;

	snprintf(seen->user, sizeof(seen->user), "%s", user);
	seen->calls++;
	snprintf(d.path, sizeof(d.path), "%s", seen->dir);
	free(tu_write(&d, "domains", seen->c->refuse != NULL ?
	    "bad..example\n" : "b.example\n"));
	if (seen->c->refuse != NULL) {
		snprintf(err, errlen, "%s", seen->c->refuse);
		return false;
	}
	return true;
}

START_TEST(test_as_user)
{
	const struct as_user_case *c = &as_user_cases[_i];
	struct conf_errors errs = { NULL, 0, 0 };
	struct as_user_seen seen = { c, NULL, "", 0 };
	struct tu_dir d;
	struct config *p;
	char *path, *joined, *want;

	tu_dir_make(&d);
	seen.dir = d.path;
	path = tu_write(&d, MAIN, c->conf);
	p = conf_load_as(path, &errs, as_user_hook, &seen);
	joined = tu_errors_join(&errs);
	want = tu_subst(c->want != NULL ? c->want : "", d.path);
	conf_errors_free(&errs);
	free(path);
	tu_dir_remove(&d);

	ck_assert_msg(strcmp(joined, want) == 0,
	    "%s: errors\n got:\n%s\nwant:\n%s", c->name, joined, want);
	ck_assert_msg(seen.calls == (c->want_user != NULL ? 1 : 0),
	    "%s: the hook was called %d times", c->name, seen.calls);
	ck_assert_msg(c->want_user == NULL || strcmp(seen.user,
	    c->want_user) == 0, "%s: the hook got user \"%s\", want \"%s\"",
	    c->name, seen.user, TU_S(c->want_user));
	if (c->want == NULL)
		ck_assert_msg(p != NULL && domset_count(p->policy->local_domains) == 2 &&
		    domset_contains(p->policy->local_domains, "b.example"),
		    "%s: want a policy with the list file's domain", c->name);
	else
		ck_assert_msg(p == NULL, "%s: got a policy, want NULL", c->name);
	config_free(p);
	free(joined);
	free(want);
}
END_TEST

/* ------------------------------------------------------------------ */
/* The digest.                                                        */

static struct config *
load_in(const struct tu_dir *d, const char *text)
{
	struct conf_errors errs = { NULL, 0, 0 };
	struct config *p;
	char *path = tu_write(d, MAIN, text), *joined;

	p = conf_load(path, &errs);
	joined = tu_errors_join(&errs);
	conf_errors_free(&errs);
	free(path);
	ck_assert_msg(p != NULL, "refused:\n%s", joined);
	free(joined);
	return p;
}

/* Known values: with no list file the digest is the file's SHA-256. */
START_TEST(test_digest_known)
{
	static const struct {
		const char *text, *hex;
	} known[] = {
		{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b"
		    "7852b855" },
		{ "mode = monitor\n", "80d26716e64ea5670e7b1b0dd73bf4dd57c63590"
		    "838339d061eafb7c4355374f" },
	};
	struct tu_dir d;
	size_t i;

	tu_dir_make(&d);
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		struct config *p = load_in(&d, known[i].text);

		ck_assert_msg(strcmp(p->digest, known[i].hex) == 0,
		    "\"%s\": digest got %s, want %s", known[i].text, p->digest,
		    known[i].hex);
		ck_assert_msg(strlen(p->digest_short) == 12 &&
		    strncmp(p->digest_short, known[i].hex, 12) == 0,
		    "\"%s\": short digest got %s, want %.12s", known[i].text,
		    p->digest_short, known[i].hex);
		config_free(p);
	}
	tu_dir_remove(&d);
}
END_TEST

START_TEST(test_digest_changes)
{
	static const char conf[] = "local_domains = @DIR@/domains\n";
	struct tu_dir d;
	struct config *a, *b, *c, *e;

	tu_dir_make(&d);
	free(tu_write(&d, "domains", "a.example\n"));
	a = load_in(&d, conf);
	b = load_in(&d, conf);
	free(tu_write(&d, "domains", "a.example\nb.example\n"));
	c = load_in(&d, conf);
	free(tu_write(&d, "domains", "a.example\n"));
	e = load_in(&d, "# a comment changes the file\n"
	    "local_domains = @DIR@/domains\n");
	tu_dir_remove(&d);

	ck_assert_msg(strcmp(a->digest, b->digest) == 0 &&
	    strcmp(a->digest_short, b->digest_short) == 0,
	    "same files: digests %s and %s differ", a->digest_short,
	    b->digest_short);
	ck_assert_msg(strcmp(a->digest, c->digest) != 0 &&
	    strcmp(a->digest_short, c->digest_short) != 0,
	    "list file changed: digest stayed %s", a->digest_short);
	ck_assert_msg(strcmp(a->digest, e->digest) != 0,
	    "main file changed: digest stayed %s", a->digest_short);
	config_free(a);
	config_free(b);
	config_free(c);
	config_free(e);
}
END_TEST

/* ------------------------------------------------------------------ */
/* The key table.                                                     */

START_TEST(test_keys)
{
	static const char *const want[] = {
		"milter_socket", "local_domains", "my_networks", "smtp_ports",
		"submission_ports", "submission_require_tls",
		"unknown_listener", "mode", "syslog_facility", "syslog_ident",
		"log_accepts", "user", "run_as_root", "pid_file",
		"socket_group", "socket_mode", "postfix_config_directory",
		"allow_wide_networks", "sender_login_check",
		"sender_login_maps", "sender_login_self", "sender_login_domain",
		"sender_login_local_domains", "recipient_delimiter",
		"login_limits", "client_limits", "network_limits",
		"mynetworks_limits", "listener_limits", "login_message_limits",
		"client_message_limits", "network_message_limits",
		"mynetworks_message_limits", "listener_message_limits",
		"limit_overrides", "limit_exempt",
		"ratelimit_action", "ratelimit_store", "ratelimit_store_down",
		"ratelimit_store_timeout", "ratelimit_max_keys", "alert_command",
		"control_socket",
		"stats_file", "stats_interval",
	};
	const size_t nwant = sizeof(want) / sizeof(want[0]);
	const struct conf_key *k = conf_keys();
	size_t n, i, j, seen;

	for (n = 0; k[n].name != NULL; n++) {
		ck_assert_msg(strcmp(conf_type_name(k[n].type), "?") != 0 &&
		    k[n].def != NULL && k[n].help != NULL &&
		    k[n].help[0] != '\0',
		    "key %s: type, default or help missing", k[n].name);
		for (j = 0; j < n; j++)
			ck_assert_msg(strcmp(k[j].name, k[n].name) != 0,
			    "key %s listed twice", k[n].name);
	}
	ck_assert_msg(n == nwant, "conf_keys: got %zu keys, want %zu", n,
	    nwant);
	for (i = 0; i < nwant; i++) {
		for (seen = 0, j = 0; j < n; j++)
			seen += strcmp(k[j].name, want[i]) == 0;
		ck_assert_msg(seen == 1, "key %s: listed %zu times, want once",
		    want[i], seen);
	}
}
END_TEST

/* Every key written with its own default loads, and gives the same
 * policy as an empty file: the table and the parser agree. */
START_TEST(test_keys_defaults_parse)
{
	const struct conf_key *k = conf_keys();
	char text[4096] = "", got[2048];
	struct config *p;
	size_t i;

	for (i = 0; k[i].name != NULL; i++) {
		strcat(text, k[i].name);
		strcat(text, " = ");
		strcat(text, k[i].def);
		strcat(text, "\n");
	}
	p = tu_config(text);
	dump(p, got, sizeof(got));
	ck_assert_msg(strcmp(got, DEFAULTS) == 0,
	    "defaults written out:\n got %s\nwant %s", got, DEFAULTS);
	dump_daemon(p, got, sizeof(got));
	ck_assert_msg(strcmp(got, DAEMON_DEFAULTS) == 0,
	    "defaults written out:\n got %s\nwant %s", got, DAEMON_DEFAULTS);
	config_free(p);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Postfix as a source: its own postconf and postmap, on an instance   */
/* of the test's own (main.cf and a hash table in the test directory). */

/* Writes the instance's main.cf and tables in the test's directory. */
static void
postfix_instance(const struct tu_dir *d)
{
	char *cmd;

	free(tu_write(d, "main.cf",
	    "myhostname = mx.example.org\n"
	    "mydomain = example.org\n"
	    "mydestination = $myhostname, localhost.$mydomain, localhost\n"
	    "mynetworks = !192.0.2.7, 192.0.2.0/24, [2001:db8::]/32\n"
	    "virtual_mailbox_domains = hash:@DIR@/vd, texthash:@DIR@/vd2\n"));
	free(tu_write(d, "master.cf", ""));
	free(tu_write(d, "vd", "a.example OK\nb.example OK\n"));
	free(tu_write(d, "vd2", "c.example OK\n"));
	ck_assert(asprintf(&cmd, "postmap -c %s hash:%s/vd", d->path,
	    d->path) > 0);
	ck_assert_msg(system(cmd) == 0, "cannot set up the instance: %s", cmd);
	free(cmd);
}

static struct config *
load_errors(const struct tu_dir *d, const char *text, char **joined)
{
	struct conf_errors errs = { NULL, 0, 0 };
	char *path = tu_write(d, MAIN, text);
	struct config *c = conf_load(path, &errs);

	*joined = tu_errors_join(&errs);
	conf_errors_free(&errs);
	free(path);
	return c;
}

START_TEST(test_postfix_sources)
{
	struct tu_dir d;
	struct config *c;
	char *text, *joined;

	tu_dir_make(&d);
	postfix_instance(&d);
	ck_assert(asprintf(&text, "postfix_config_directory = %s\n"
	    "local_domains = postfix:mydestination,\n"
	    "    postfix:virtual_mailbox_domains\n"
	    "my_networks = postfix:mynetworks\n", d.path) > 0);
	c = load_errors(&d, text, &joined);
	ck_assert_msg(c != NULL && joined[0] == '\0', "refused:\n%s", joined);
	probe("postfix", c, "mx.example.org localhost.example.org localhost "
	    "a.example b.example c.example", true, true);
	probe("postfix", c, "example.org ok d.example", true, false);
	probe("postfix", c, "192.0.2.1 2001:db8::1", false, true);
	probe("postfix", c, "192.0.2.7 198.51.100.1", false, false);
	ck_assert_msg(domset_count(c->policy->local_domains) == 6 &&
	    netset_count(c->policy->my_networks) == 3,
	    "got %zu domains, %zu networks",
	    domset_count(c->policy->local_domains),
	    netset_count(c->policy->my_networks));
	ck_assert_msg(c->nsources >= 3, "%zu sources", c->nsources);
	config_free(c);
	free(text);
	free(joined);
	tu_dir_remove(&d);
}
END_TEST

/* The same table gives the same digest: postmap lists a texthash:
 * table in the order of a hash table that Postfix seeds at random in
 * each process, so the listing is sorted before it is digested. */
START_TEST(test_postfix_table_digest)
{
	struct tu_dir d;
	struct config *a, *b;
	char *text, *list, *o;
	int i, n;

	tu_dir_make(&d);
	postfix_instance(&d);
	list = malloc(40 * 32);
	ck_assert(list != NULL);
	for (i = 0, o = list; i < 40; i++)
		o += sprintf(o, "d%d.example OK\n", i);
	free(tu_write(&d, "many", list));
	free(list);
	ck_assert(asprintf(&text, "postfix_config_directory = %s\n"
	    "local_domains = texthash:%s/many\n", d.path, d.path) > 0);
	a = load_in(&d, text);
	/* Unsorted, two listings of 40 keys are all but never in the same
	 * order. */
	for (n = 0; n < 2; n++) {
		b = load_in(&d, text);
		ck_assert_msg(strcmp(a->digest, b->digest) == 0,
		    "load %d: digest %s, first load %s", n + 2,
		    b->digest_short, a->digest_short);
		config_free(b);
	}
	config_free(a);
	free(text);
	tu_dir_remove(&d);
}
END_TEST

/* What goes wrong is said at the line that named the source, with
 * Postfix's own words. */
struct pf_bad_case {
	const char	*name;
	const char	*lists;		/* @DIR@: the instance's directory */
	const char	*want;		/* the errors, @DIR@ expanded */
};

static const struct pf_bad_case pf_bad_cases[] = {
	{ "an unknown parameter", "local_domains = postfix:no_such_param\n",
	    "@DIR@/" MAIN ":2: \"postfix:no_such_param\": postconf failed: postconf: "
	    "warning: no_such_param: unknown parameter\n" },
	{ "not a parameter name", "local_domains = postfix:-e, postfix:\n",
	    "@DIR@/" MAIN ":2: \"postfix:-e\": not a Postfix parameter name "
	    "(letters, digits, '_')\n"
	    "@DIR@/" MAIN ":2: \"postfix:\": not a Postfix parameter name "
	    "(letters, digits, '_')\n" },
	{ "a table with no .db", "local_domains = hash:@DIR@/vd2\n",
	    "@DIR@/" MAIN ":2: \"hash:@DIR@/vd2\": postmap failed: postmap: fatal: open "
	    "database @DIR@/vd2.db: No such file or directory\n" },
	{ "a bad entry in Postfix's value",
	    "local_domains = postfix:mynetworks\n",
	    "@DIR@/" MAIN ":2: local_domains: bad domain \"192.0.2.0/24\": bad "
	    "character in domain\n"
	    "@DIR@/" MAIN ":2: local_domains: bad domain \"[2001:db8::]/32\": "
	    "unterminated address literal\n" },
};

START_TEST(test_postfix_bad)
{
	const struct pf_bad_case *pc = &pf_bad_cases[_i];
	struct tu_dir d;
	struct config *c;
	char *text, *want, *joined;

	tu_dir_make(&d);
	postfix_instance(&d);
	ck_assert(asprintf(&text, "postfix_config_directory = @DIR@\n%s",
	    pc->lists) > 0);
	want = tu_subst(pc->want, d.path);
	c = load_errors(&d, text, &joined);
	ck_assert_msg(c == NULL && strcmp(joined, want) == 0,
	    "%s:\n got %s\nwant %s", pc->name, joined, want);
	free(text);
	free(want);
	free(joined);
	tu_dir_remove(&d);
}
END_TEST

/* syslog_facility's words, in any case, and nothing else. */
struct fac_case {
	const char	*name;
	int		want;	/* -1: refused */
};

static const struct fac_case fac_cases[] = {
	{ "mail", LOG_MAIL },
	{ "daemon", LOG_DAEMON },
	{ "user", LOG_USER },
	{ "local0", LOG_LOCAL0 },
	{ "local1", LOG_LOCAL1 },
	{ "local2", LOG_LOCAL2 },
	{ "local3", LOG_LOCAL3 },
	{ "local4", LOG_LOCAL4 },
	{ "local5", LOG_LOCAL5 },
	{ "local6", LOG_LOCAL6 },
	{ "local7", LOG_LOCAL7 },
	{ "MAIL", LOG_MAIL },
	{ "Local3", LOG_LOCAL3 },
	{ "local8", -1 },
	{ "auth", -1 },
	{ "kern", -1 },
	{ "mai", -1 },
	{ "mailx", -1 },
	{ "mail,", -1 },
};

START_TEST(test_facility)
{
	const struct fac_case *c = &fac_cases[_i];
	struct conf_errors errs = { NULL, 0, 0 };
	char text[64], want[160];
	struct config *cf;

	snprintf(text, sizeof(text), "syslog_facility = %s\n", c->name);
	cf = conf_load_text(MAIN, text, strlen(text), &errs, NULL, NULL);
	if (c->want >= 0) {
		ck_assert_msg(cf != NULL && errs.n == 0 &&
		    cf->syslog_facility == c->want, "\"%s\": got %d, want %d",
		    c->name, cf != NULL ? cf->syslog_facility : -1, c->want);
	} else {
		snprintf(want, sizeof(want), MAIN ":1: syslog_facility must be "
		    "mail, daemon, user or local0 to local7, not \"%s\"",
		    c->name);
		ck_assert_msg(cf == NULL && errs.n == 1 &&
		    strcmp(errs.msg[0], want) == 0, "\"%s\": got %s, want %s",
		    c->name, errs.n > 0 ? errs.msg[0] : "no error", want);
	}
	config_free(cf);
	conf_errors_free(&errs);
}
END_TEST

/* -n: the settings the file makes, sorted, in their effective form; -a:
 * every key. */
START_TEST(test_print)
{
	static const char text[] = "mode = Monitor\n"
	    "local_domains = a.example,\n"
	    "   # a comment between continuation lines\n"
	    "   b.example\n"
	    "socket_mode = 660\n"
	    "log_accepts = NO\n";
	struct conf_errors errs = { NULL, 0, 0 };
	const struct conf_key *k;
	struct config *c;
	char *out = NULL;
	size_t len = 0, lines = 0, nkeys = 0, i;
	FILE *fp;

	c = conf_load_text(MAIN, text, strlen(text), &errs, NULL, NULL);
	ck_assert_msg(c != NULL, "refused: %s", errs.n ? errs.msg[0] : "?");
	fp = open_memstream(&out, &len);
	conf_print(fp, c, false);
	fclose(fp);
	ck_assert_msg(strcmp(out, "local_domains = a.example, b.example\n"
	    "log_accepts = no\nmode = monitor\nsocket_mode = 0660\n") == 0,
	    "-n printed:\n%s", out);
	free(out);
	fp = open_memstream(&out, &len);
	conf_print(fp, c, true);
	fclose(fp);
	for (i = 0; out[i] != '\0'; i++)
		lines += out[i] == '\n';
	for (k = conf_keys(); k->name != NULL; k++)
		nkeys++;
	ck_assert_msg(lines == nkeys &&
	    strstr(out, "\nmilter_socket = inet:8899@127.0.0.1\n") != NULL &&
	    strstr(out, "\nlocal_domains = a.example, b.example\n") != NULL,
	    "-n -a printed:\n%s", out);
	free(out);
	config_free(c);
	conf_errors_free(&errs);
}
END_TEST

struct changed_log {
	char	lines[512];
};

static void
log_changed(const char *name, const char *running, const char *in_file,
    void *arg)
{
	struct changed_log *l = arg;
	size_t n = strlen(l->lines);

	snprintf(l->lines + n, sizeof(l->lines) - n, "%s %s->%s;", name,
	    running, in_file);
}

/* A reload keeps what only the start reads, and says so once per key;
 * the rest comes from the file. */
START_TEST(test_keep_start_keys)
{
	static const char a[] = "syslog_ident = first\nsocket_mode = 0660\n"
	    "log_accepts = yes\n";
	static const char b[] = "syslog_ident = second\nsocket_mode = 0640\n"
	    "log_accepts = no\nmode = monitor\n";
	struct changed_log l = { "" };
	struct config *run = tu_config(a), *got = tu_config(b);

	ck_assert(conf_keep_start_keys(run, got, log_changed, &l));
	ck_assert_msg(strcmp(l.lines, "syslog_ident first->second;"
	    "socket_mode 0660->0640;") == 0, "changed: %s", l.lines);
	ck_assert_msg(strcmp(got->syslog_ident, "first") == 0 &&
	    got->socket_mode == 0660 && !got->log_accepts &&
	    got->policy->mode == MODE_MONITOR,
	    "kept ident %s mode %04o, took log_accepts %d mode %d",
	    got->syslog_ident, got->socket_mode, got->log_accepts,
	    got->policy->mode);
	/* What is in force, so the next reload compares with it. */
	l.lines[0] = '\0';
	ck_assert(conf_keep_start_keys(got, run, log_changed, &l));
	ck_assert_msg(l.lines[0] == '\0', "changed again: %s", l.lines);
	config_free(run);
	config_free(got);
}
END_TEST

Suite *
conf_suite(void)
{
	Suite *s = suite_create("conf");
	TCase *tc = tcase_create("good");

	tcase_add_loop_test(tc, test_good, 0, NCASES(good_cases));
	tcase_add_test(tc, test_shipped);
	tcase_add_loop_test(tc, test_facility, 0, NCASES(fac_cases));
	tcase_add_test(tc, test_print);
	tcase_add_test(tc, test_postfix_sources);
	tcase_add_loop_test(tc, test_postfix_bad, 0, NCASES(pf_bad_cases));
	tcase_add_test(tc, test_keep_start_keys);
	suite_add_tcase(s, tc);

	tc = tcase_create("bad");
	tcase_add_loop_test(tc, test_bad, 0, NCASES(bad_cases));
	tcase_add_test(tc, test_bad_list_refuses_all);
	tcase_add_loop_test(tc, test_long_line, 0, NCASES(long_cases));
	tcase_add_test(tc, test_long_setting);
	tcase_add_test(tc, test_too_many_errors);
	tcase_add_test(tc, test_errors_append);
	tcase_add_test(tc, test_missing_file);
	tcase_add_loop_test(tc, test_irregular, 0,
	    (int)(sizeof(irregular_cases) / sizeof(irregular_cases[0])));
	tcase_add_loop_test(tc, test_unreadable, 0, NCASES(unreadable_cases));
	tcase_add_loop_test(tc, test_as_user, 0, NCASES(as_user_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("big");
	tcase_set_timeout(tc, 300);	/* valgrind and sanitizer builds */
	tcase_add_test(tc, test_big_lists);
	tcase_add_test(tc, test_big_one_bad);
	tcase_add_test(tc, test_big_all_bad);
	tcase_add_test(tc, test_big_inline);
	suite_add_tcase(s, tc);

	tc = tcase_create("table digest");
	tcase_set_timeout(tc, 60);	/* each load runs postmap */
	tcase_add_test(tc, test_postfix_table_digest);
	suite_add_tcase(s, tc);

	tc = tcase_create("digest and keys");
	tcase_add_test(tc, test_digest_known);
	tcase_add_test(tc, test_digest_changes);
	tcase_add_test(tc, test_keys);
	tcase_add_test(tc, test_keys_defaults_parse);
	suite_add_tcase(s, tc);
	return s;
}
