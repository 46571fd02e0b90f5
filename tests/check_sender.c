/*
 * sender: the sender ownership check (sender_login_*), through the
 * configuration loader and policy_eval(), as the daemon runs it. Each
 * case gives the exact verdict and the key that decided.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sender.h"
#include "testutil.h"
#include "verify.h"

#define MAP \
	"# address            owners\n" \
	"alice@example.org    alice@example.org\n" \
	"shared@example.org   alice@example.org, Bob@Example.org\n" \
	"  carol@example.org\n" \
	"@corp.example        printer@corp.example\n" \
	"info                 carol\n" \
	"owner@example.org    eve\n" \
	"bob+sales@example.org sales\n" \
	"@elsewhere.example   nobody\n"

#define BASE \
	"local_domains = example.org\n" \
	"sender_login_maps = @DIR@/map\n" \
	"sender_login_local_domains = example.org\n" \
	"recipient_delimiter = +-\n" \
	"sender_login_domain = example.org\n" \
	"submission_ports = 587\n"

enum conf_id { C_AUTH, C_KNOWN, C_UNAUTH, C_ALL, C_SELF, C_MONITOR };

static const char *const confs[] = {
	[C_AUTH] = BASE "sender_login_check = authenticated\n",
	[C_KNOWN] = BASE "sender_login_check = known\n",
	[C_UNAUTH] = BASE "sender_login_check = unauthenticated\n",
	[C_ALL] = BASE "sender_login_check = all\n",
	[C_SELF] = BASE "sender_login_check = authenticated\n"
	    "sender_login_self = yes\n",
	[C_MONITOR] = BASE "sender_login_check = all\nmode = monitor\n",
};

#define NOT_OWNED(a, l) "553 5.7.1 <" a ">: Sender address rejected: " \
	"not owned by user " l
#define NOT_LOGGED_IN(a) "553 5.7.1 <" a ">: Sender address rejected: " \
	"not logged in"

struct scase {
	const char	*name;
	enum conf_id	conf;
	const char	*port;
	const char	*login;
	const char	*from;
	const char	*decision;	/* "accept", "reject", "would_reject" */
	const char	*reason;
	const char	*reply;		/* "CODE DSN TEXT", or NULL */
	const char	*key;		/* the key that decided */
	const char	*owners;	/* its owners, or NULL */
};

static const struct scase cases[] = {
	/* authenticated: the first key found decides. */
	{ "owner of its own address", C_AUTH, "587", "alice@example.org",
	    "<alice@example.org>", "accept", "sender_owned", NULL,
	    "alice@example.org", "alice@example.org" },
	{ "extension and case: the key without the extension", C_AUTH, "587",
	    "alice@example.org", "<Alice+tag@EXAMPLE.org>", "accept",
	    "sender_owned", NULL, "alice@example.org", "alice@example.org" },
	{ "second delimiter", C_AUTH, "587", "alice@example.org",
	    "<alice-x@example.org>", "accept", "sender_owned", NULL,
	    "alice@example.org", "alice@example.org" },
	{ "owners compare without case, continuation line", C_AUTH, "587",
	    "bob@example.org", "<shared@example.org>", "accept",
	    "sender_owned", NULL, "shared@example.org",
	    "alice@example.org, Bob@Example.org   carol@example.org" },
	{ "owner on the continuation line", C_AUTH, "587",
	    "CAROL@example.org", "<shared@example.org>", "accept",
	    "sender_owned", NULL, "shared@example.org",
	    "alice@example.org, Bob@Example.org   carol@example.org" },
	{ "not an owner", C_AUTH, "587", "mallory@example.org",
	    "<shared@example.org>", "reject", "sender_not_owned",
	    NOT_OWNED("shared@example.org", "mallory@example.org"),
	    "shared@example.org",
	    "alice@example.org, Bob@Example.org   carol@example.org" },
	{ "the reply echoes the sender as written", C_AUTH, "587",
	    "mallory@example.org", "<Shared@Example.ORG>", "reject",
	    "sender_not_owned",
	    NOT_OWNED("Shared@Example.ORG", "mallory@example.org"),
	    "shared@example.org",
	    "alice@example.org, Bob@Example.org   carol@example.org" },
	{ "bare user key in a local domain", C_AUTH, "587", "carol",
	    "<info@example.org>", "accept", "sender_owned", NULL, "info",
	    "carol" },
	{ "bare user key with an extension", C_AUTH, "587", "carol",
	    "<info+x@example.org>", "accept", "sender_owned", NULL, "info",
	    "carol" },
	{ "bare user key not for another domain", C_AUTH, "587", "carol",
	    "<info@remote.example>", "reject", "sender_not_owned",
	    NOT_OWNED("info@remote.example", "carol"), "", NULL },
	{ "@domain key", C_AUTH, "587", "printer@corp.example",
	    "<scan@corp.example>", "accept", "sender_owned", NULL,
	    "@corp.example", "printer@corp.example" },
	{ "@domain key, not its owner", C_AUTH, "587", "alice@example.org",
	    "<scan@corp.example>", "reject", "sender_not_owned",
	    NOT_OWNED("scan@corp.example", "alice@example.org"),
	    "@corp.example", "printer@corp.example" },
	{ "full key before the stripped one", C_AUTH, "587", "sales",
	    "<bob+sales@example.org>", "accept", "sender_owned", NULL,
	    "bob+sales@example.org", "sales" },
	{ "owner- is not split at '-'", C_AUTH, "587", "eve",
	    "<owner-list@example.org>", "reject", "sender_not_owned",
	    NOT_OWNED("owner-list@example.org", "eve"), "", NULL },
	{ "-request is not split at '-'", C_AUTH, "587", "eve",
	    "<owner-request@example.org>", "reject", "sender_not_owned",
	    NOT_OWNED("owner-request@example.org", "eve"), "", NULL },
	{ "postmaster is not split", C_AUTH, "587", "eve",
	    "<postmaster+x@example.org>", "reject", "sender_not_owned",
	    NOT_OWNED("postmaster+x@example.org", "eve"), "", NULL },
	{ "unknown sender refused", C_AUTH, "587", "alice@example.org",
	    "<someone@remote.example>", "reject", "sender_not_owned",
	    NOT_OWNED("someone@remote.example", "alice@example.org"), "",
	    NULL },
	{ "null sender never checked", C_AUTH, "587", "alice@example.org",
	    "<>", "accept", "sender_ok", NULL, "", NULL },
	{ "unparseable sender", C_AUTH, "587", "alice@example.org",
	    "<a b@example.org>", "reject", "bad_sender",
	    "501 5.1.7 Bad sender address syntax", "", NULL },
	{ "not logged in: authenticated does not look", C_AUTH, "25", NULL,
	    "<shared@example.org>", "accept", "sender_ok", NULL, "", NULL },
	{ "unqualified sender: at sender_login_domain", C_AUTH, "587", "carol",
	    "<info>", "accept", "sender_owned", NULL, "info", "carol" },
	{ "source route dropped", C_AUTH, "587", "alice@example.org",
	    "<@relay.example:alice@example.org>", "accept", "sender_owned",
	    NULL, "alice@example.org", "alice@example.org" },
	{ "the 553 shows the sender unquoted, as Postfix", C_AUTH, "587",
	    "mallory", "<\"Sha\\red\"@Example.org>", "reject",
	    "sender_not_owned", NOT_OWNED("Shared@Example.org", "mallory"),
	    "shared@example.org",
	    "alice@example.org, Bob@Example.org   carol@example.org" },
	{ "the 553 shows the sender without its route, as Postfix", C_AUTH,
	    "587", "mallory", "<@a.example,@b.example:x@remote.example>",
	    "reject", "sender_not_owned",
	    NOT_OWNED("x@remote.example", "mallory"), "", NULL },
	{ "quoted local part unquoted", C_AUTH, "587", "alice@example.org",
	    "<\"alice\"@example.org>", "accept", "sender_owned", NULL,
	    "alice@example.org", "alice@example.org" },
	{ "control bytes of a login shown as ?", C_AUTH, "587",
	    "ev\r\nil\xc3\xa9", "<shared@example.org>", "reject",
	    "sender_not_owned",
	    NOT_OWNED("shared@example.org", "ev??il??"), "shared@example.org",
	    "alice@example.org, Bob@Example.org   carol@example.org" },
	{ "'%' in the sender stays one '%' in the verdict", C_AUTH, "587",
	    "eve", "<a%b@example.org>", "reject", "sender_not_owned",
	    NOT_OWNED("a%b@example.org", "eve"), "", NULL },
	{ "submission checks come first", C_AUTH, "587", NULL,
	    "<shared@example.org>", "reject", "auth_required",
	    "530 5.7.0 Authentication required", "", NULL },

	/* known: only a key with other owners refuses. */
	{ "known: unknown sender passes", C_KNOWN, "587", "alice@example.org",
	    "<someone@remote.example>", "accept", "sender_unowned", NULL, "",
	    NULL },
	{ "known: other owners refuse", C_KNOWN, "587", "mallory@example.org",
	    "<alice@example.org>", "reject", "sender_not_owned",
	    NOT_OWNED("alice@example.org", "mallory@example.org"),
	    "alice@example.org", "alice@example.org" },
	{ "known: not logged in, owned address", C_KNOWN, "25", NULL,
	    "<alice@example.org>", "reject", "sender_not_logged_in",
	    NOT_LOGGED_IN("alice@example.org"), "alice@example.org",
	    "alice@example.org" },
	{ "known: not logged in, nobody's", C_KNOWN, "25", NULL,
	    "<x@remote.example>", "accept", "sender_unowned", NULL, "", NULL },

	/* unauthenticated: only sessions without a login. */
	{ "unauthenticated: owned address", C_UNAUTH, "25", NULL,
	    "<scan@corp.example>", "reject", "sender_not_logged_in",
	    NOT_LOGGED_IN("scan@corp.example"), "@corp.example",
	    "printer@corp.example" },
	{ "unauthenticated: logged in is not looked at", C_UNAUTH, "587",
	    "mallory@example.org", "<alice@example.org>", "accept",
	    "sender_ok", NULL, "", NULL },
	{ "unauthenticated: nobody's address", C_UNAUTH, "25", NULL,
	    "<x@remote.example>", "accept", "sender_unowned", NULL, "", NULL },

	/* all: both. */
	{ "all: logged in, unknown", C_ALL, "587", "alice@example.org",
	    "<x@remote.example>", "reject", "sender_not_owned",
	    NOT_OWNED("x@remote.example", "alice@example.org"), "", NULL },
	{ "all: not logged in, owned", C_ALL, "25", NULL,
	    "<info@example.org>", "reject", "sender_not_logged_in",
	    NOT_LOGGED_IN("info@example.org"), "info", "carol" },
	{ "all: logged in, owner", C_ALL, "25", "carol",
	    "<info@example.org>", "accept", "sender_owned", NULL, "info",
	    "carol" },

	/* The implicit owner. */
	{ "self: bare login at sender_login_domain", C_SELF, "587", "zed",
	    "<zed@example.org>", "accept", "sender_owned", NULL,
	    "zed@example.org", NULL },
	{ "self: with an extension", C_SELF, "587", "Zed",
	    "<zed+news@Example.org>", "accept", "sender_owned", NULL,
	    "zed+news@example.org", NULL },
	{ "self: a login with a domain", C_SELF, "587", "zed@elsewhere.example",
	    "<ZED@elsewhere.example>", "accept", "sender_owned", NULL,
	    "zed@elsewhere.example", NULL },
	{ "self: wins over the map", C_SELF, "587", "shared@example.org",
	    "<shared@example.org>", "accept", "sender_owned", NULL,
	    "shared@example.org", NULL },
	{ "self: another domain is not its own", C_SELF, "587", "zed",
	    "<zed@remote.example>", "reject", "sender_not_owned",
	    NOT_OWNED("zed@remote.example", "zed"), "", NULL },
	{ "self: the map still adds", C_SELF, "587", "alice@example.org",
	    "<shared@example.org>", "accept", "sender_owned", NULL,
	    "shared@example.org",
	    "alice@example.org, Bob@Example.org   carol@example.org" },

	/* Monitor mode refuses nothing. */
	{ "monitor: would_reject", C_MONITOR, "587", "mallory@example.org",
	    "<alice@example.org>", "would_reject", "sender_not_owned",
	    NOT_OWNED("alice@example.org", "mallory@example.org"),
	    "alice@example.org", "alice@example.org" },
};

static struct config *
load(enum conf_id id, struct tu_dir *d)
{
	char *text;
	struct config *c;

	tu_dir_make(d);
	free(tu_write(d, "map", MAP));
	text = tu_subst(confs[id], d->path);
	c = tu_config(text);
	free(text);
	return c;
}

START_TEST(test_judge)
{
	const struct scase *t = &cases[_i];
	struct tu_dir d;
	struct config *c = load(t->conf, &d);
	struct policy_request req;
	struct verdict v;
	char reply[VERDICT_TEXT_MAX + 32] = "";
	const char *key;

	memset(&req, 0, sizeof(req));
	req.daemon_port = t->port;
	req.auth = t->login;
	req.tls = "TLSv1.3";
	req.from = t->from;
	policy_eval(c->policy, &req, &v);
	if (v.code != NULL)
		snprintf(reply, sizeof(reply), "%s %s %s", v.code, v.xcode,
		    v.text);
	ck_assert_msg(strcmp(policy_decision_name(v.decision), t->decision)
	    == 0 && strcmp(policy_reason_name(v.reason), t->reason) == 0,
	    "%s: got %s %s, want %s %s", t->name,
	    policy_decision_name(v.decision), policy_reason_name(v.reason),
	    t->decision, t->reason);
	ck_assert_msg(strcmp(reply, t->reply != NULL ? t->reply : "") == 0,
	    "%s: reply \"%s\", want \"%s\"", t->name, reply, TU_S(t->reply));
	key = v.sender_checked ? v.sender.key : "";
	ck_assert_msg(strcmp(key, t->key) == 0, "%s: key \"%s\", want \"%s\"",
	    t->name, key, t->key);
	ck_assert_msg((v.sender.owners == NULL && t->owners == NULL) ||
	    (v.sender.owners != NULL && t->owners != NULL &&
	    strcmp(v.sender.owners, t->owners) == 0),
	    "%s: owners \"%s\", want \"%s\"", t->name, TU_S(v.sender.owners),
	    TU_S(t->owners));
	/* A recipient of a refused sender is refused the same way. */
	if (strcmp(t->decision, "accept") != 0) {
		struct verdict r;

		req.rcpt = "<x@example.org>";
		policy_eval(c->policy, &req, &r);
		ck_assert_msg(r.decision == v.decision && r.reason == v.reason,
		    "%s: a recipient after it: %s %s", t->name,
		    policy_decision_name(r.decision),
		    policy_reason_name(r.reason));
	}
	config_free(c);
	tu_dir_remove(&d);
}
END_TEST

/* The same session with the check off: nothing looked at. */
START_TEST(test_off_looks_at_nothing)
{
	struct config *c = tu_config("sender_login_self = yes\n"
	    "submission_ports = 587\n");
	struct policy_request req;
	struct verdict v;

	memset(&req, 0, sizeof(req));
	req.daemon_port = "587";
	req.auth = "mallory";
	req.tls = "TLSv1.3";
	req.from = "<a b@example.org>";
	policy_eval(c->policy, &req, &v);
	ck_assert(v.decision == DECISION_ACCEPT &&
	    v.reason == REASON_SENDER_OK && !v.sender_checked);
	config_free(c);
}
END_TEST

struct steps {
	char	text[1024];
};

static void
step(void *arg, const char *key, const char *owners)
{
	struct steps *s = arg;
	size_t o = strlen(s->text);

	snprintf(s->text + o, sizeof(s->text) - o, "%s=%s;", key,
	    owners != NULL ? owners : "-");
}

/* Postfix's order, every key tried until one is found. */
START_TEST(test_lookup_order)
{
	static const struct { const char *from, *want; } o[] = {
		{ "<nobody+x@example.org>", "nobody+x@example.org=-;"
		    "nobody@example.org=-;nobody+x=-;nobody=-;@example.org=-;" },
		{ "<nobody@remote.example>", "nobody@remote.example=-;"
		    "@remote.example=-;" },
		{ "<x-y+z@elsewhere.example>", "x-y+z@elsewhere.example=-;"
		    "x@elsewhere.example=-;@elsewhere.example=nobody;" },
		{ "<info+a@example.org>", "info+a@example.org=-;"
		    "info@example.org=-;info+a=-;info=carol;" },
		{ "<solo>", "solo@example.org=-;solo=-;@example.org=-;" },
	};
	struct tu_dir d;
	struct config *c = load(C_AUTH, &d);
	struct sender_found f;
	struct steps s;
	size_t i;

	for (i = 0; i < sizeof(o) / sizeof(o[0]); i++) {
		s.text[0] = '\0';
		sender_judge(&c->policy->sender, o[i].from, "x", &f, step, &s);
		ck_assert_msg(strcmp(s.text, o[i].want) == 0, "%s: looked up "
		    "%s, want %s", o[i].from, s.text, o[i].want);
	}
	config_free(c);
	tu_dir_remove(&d);
}
END_TEST

START_TEST(test_owner_in)
{
	ck_assert(sender_owner_in("a, b c,,d", "C"));
	ck_assert(sender_owner_in("a, b c,,d", "d"));
	ck_assert(!sender_owner_in("a, b c,,d", "b c"));
	ck_assert(!sender_owner_in("ab", "a"));
	ck_assert(!sender_owner_in("a", "ab"));
	ck_assert(!sender_owner_in("", "a"));
}
END_TEST

/* The map file is followed for reloads (a source of the config), and
 * its bytes are in the policy's digest. */
START_TEST(test_map_is_a_source)
{
	struct tu_dir d;
	struct config *c = load(C_AUTH, &d), *c2;
	char *map, *text, digest[65];
	size_t i;
	bool found = false;

	ck_assert(asprintf(&map, "%s/map", d.path) > 0);
	for (i = 0; i < c->nsources; i++)
		found |= strcmp(c->sources[i], map) == 0;
	ck_assert_msg(found, "%s is not among the config's sources", map);
	memcpy(digest, c->digest, sizeof(digest));
	free(tu_write(&d, "map", MAP "extra@example.org alice\n"));
	text = tu_subst(confs[C_AUTH], d.path);
	c2 = tu_config(text);
	ck_assert_msg(strcmp(c2->digest, digest) != 0,
	    "a changed map left the digest as it was");
	free(text);
	free(map);
	config_free(c);
	config_free(c2);
	tu_dir_remove(&d);
}
END_TEST

/* -n's warnings about a check that cannot work as meant. */
START_TEST(test_verify_warnings)
{
	static const struct { const char *conf, *want; } w[] = {
		{ "sender_login_check = authenticated\n",
		    "warning: sender_login_check = authenticated with no owner "
		    "(sender_login_maps has no entry, sender_login_self = no): "
		    "every logged-in client's sender is refused\n" },
		{ "sender_login_check = known\n", "warning: sender_login_check "
		    "= known with no entry in sender_login_maps: no sender is "
		    "refused\n" },
		{ "sender_login_check = all\nsender_login_self = yes\n"
		    "sender_login_domain = example.org\n", "warning: "
		    "sender_login_check = all with no entry in sender_login_maps:"
		    " no sender is refused to a client without a login\n" },
		{ "sender_login_check = authenticated\nsender_login_self = yes\n",
		    "warning: sender_login_self = yes without "
		    "sender_login_domain: a login without '@' owns no address\n" },
		{ "sender_login_check = authenticated\nsender_login_self = yes\n"
		    "sender_login_domain = example.org\n", "" },
		{ "sender_login_self = yes\n", "" },
	};
	size_t i, len;
	char *buf;
	FILE *fp;

	for (i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		struct config *c = tu_config(w[i].conf);

		fp = open_memstream(&buf, &len);
		ck_assert(fp != NULL);
		verify_sender(c, fp);
		fclose(fp);
		ck_assert_msg(strcmp(buf, w[i].want) == 0, "%s: got \"%s\"",
		    w[i].conf, buf);
		free(buf);
		config_free(c);
	}
}
END_TEST

/* A map file with a 1 MB line: an error at its line, memory bounded,
 * and the entries around it are not taken (the file is refused whole). */
START_TEST(test_map_long_line)
{
	struct tu_dir d;
	struct conf_errors errs = { NULL, 0, 0 };
	size_t n = 1024 * 1024, o;
	char *text = malloc(n + 64), *conf, *path, *want, *got;
	struct config *c;

	ck_assert(text != NULL);
	tu_dir_make(&d);
	o = (size_t)sprintf(text, "a@example.org alice\nb@example.org ");
	memset(text + o, 'x', n);
	o += n;
	o += (size_t)sprintf(text + o, "\nc@example.org carol\n");
	path = tu_write_n(&d, "map", text, o);
	conf = tu_write(&d, "rw.conf", "sender_login_maps = @DIR@/map\n");
	c = conf_load(conf, &errs);
	got = tu_errors_join(&errs);
	ck_assert(asprintf(&want, "%s:2: line longer than 65536 bytes\n",
	    path) > 0);
	ck_assert_msg(c == NULL && strcmp(got, want) == 0, "got \"%s\"", got);
	conf_errors_free(&errs);
	free(got);
	free(want);
	free(conf);
	free(path);
	free(text);
	tu_dir_remove(&d);
}
END_TEST

Suite *
sender_suite(void)
{
	Suite *s = suite_create("sender");
	TCase *tc = tcase_create("judge");

	tcase_add_loop_test(tc, test_judge, 0, NCASES(cases));
	tcase_add_test(tc, test_off_looks_at_nothing);
	tcase_add_test(tc, test_lookup_order);
	tcase_add_test(tc, test_owner_in);
	tcase_add_test(tc, test_verify_warnings);
	tcase_add_test(tc, test_map_is_a_source);
	tcase_add_test(tc, test_map_long_line);
	suite_add_tcase(s, tc);
	return s;
}
