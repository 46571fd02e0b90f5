/*
 * query - the what-if mode behind "relaywarden -q". See query.h.
 */
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "query.h"

static const char blanks[] = " \t\r\n";

struct facts {
	const char	*port, *name, *client, *auth, *tls, *from;
	const char	**rcpt;
	size_t		nrcpt;
};

/* Sets *slot from "key=value" words; false after a message on err. */
static bool
take(struct facts *f, char *word, FILE *err)
{
	static const char *const keys[] = {
		"port", "name", "client", "auth", "tls", "from", NULL
	};
	const char **slots[] = {
		&f->port, &f->name, &f->client, &f->auth, &f->tls, &f->from
	};
	char *eq = strchr(word, '=');
	size_t i;

	if (eq == NULL) {
		fprintf(err, "relaywarden: -q: \"%s\" is not key=value\n", word);
		return false;
	}
	*eq = '\0';
	if (strcmp(word, "rcpt") == 0) {
		f->rcpt[f->nrcpt++] = eq + 1;
		return true;
	}
	for (i = 0; keys[i] != NULL; i++) {
		if (strcmp(word, keys[i]) != 0)
			continue;
		if (*slots[i] != NULL) {
			fprintf(err, "relaywarden: -q: %s= given twice\n", word);
			return false;
		}
		*slots[i] = eq + 1;
		return true;
	}
	fprintf(err, "relaywarden: -q: unknown fact \"%s\"; the facts are "
	    "port= name= client= auth= tls= from= rcpt=\n", word);
	return false;
}

static void
print_verdict(FILE *out, const struct verdict *v)
{
	if (v->code == NULL)
		fprintf(out, "%s reason=%s\n", policy_decision_name(v->decision),
		    policy_reason_name(v->reason));
	else
		fprintf(out, "%s %s %s %s reason=%s\n",
		    policy_decision_name(v->decision), v->code, v->xcode,
		    v->text, policy_reason_name(v->reason));
}

/* Splits each argument into words and takes each fact; false after a
 * message. copies gets a copy of each argument (the facts point into
 * them). */
static bool
read_facts(struct facts *f, int argc, char *const argv[], char **copies,
    FILE *err)
{
	int n;

	for (n = 0; n < argc; n++) {
		char *s;

		if ((copies[n] = strdup(argv[n])) == NULL) {
			fprintf(err, "relaywarden: -q: out of memory\n");
			return false;
		}
		for (s = copies[n] + strspn(copies[n], blanks); *s != '\0';
		    s += strspn(s, blanks)) {
			size_t len = strcspn(s, blanks);
			bool more = s[len] != '\0';

			s[len] = '\0';
			if (!take(f, s, err))
				return false;
			s += len + more;
		}
	}
	return true;
}

static void
print_step(void *arg, const char *key, const char *owners)
{
	fprintf(arg, "lookup %s: %s\n", key, owners != NULL ? owners :
	    "not found");
}

/* The sender check's lookups, one line each, for -q to explain. */
static void
explain_sender(const struct policy *p, const struct policy_request *req,
    FILE *out)
{
	struct sender_found f;

	sender_judge(&p->sender, req->from, req->auth, &f, print_step, out);
	if (f.result == SENDER_SELF)
		fprintf(out, "self: %s is the login's own address\n", f.key);
	else if (f.result == SENDER_UNCHECKED)
		fprintf(out, "sender_login_check = %s does not look at this "
		    "sender\n", sender_check_words[p->sender.check]);
}

/* Judges the facts: the MAIL FROM stage alone, or each recipient. With
 * the sender check on, the MAIL FROM stage always, explained. */
/* The rate limits a recipient of the session counts against. */
static void
explain_limits(const struct config *c, const struct policy_request *req,
    FILE *out)
{
	struct rate_session s;
	char text[NETADDR_TEXT_MAX] = "";

	memset(&s, 0, sizeof(s));
	s.login = req->auth;
	s.sender = req->from;
	s.client = req->client;
	s.in_my_networks = req->client != NULL &&
	    netset_contains(c->policy->my_networks, req->client);
	if (req->client != NULL)
		netaddr_format(req->client, text, sizeof(text));
	s.client_text = text;
	/* As the daemon keys it: the port, else the daemon name. */
	s.listener_key = req->daemon_port != NULL && *req->daemon_port != '\0' ?
	    req->daemon_port : req->daemon_name;
	s.delimiters = c->policy->sender.delimiters;
	ratelimit_explain(&c->rate, &s, out);
}

static bool
judge(const struct config *c, const struct facts *f, FILE *out, FILE *err)
{
	const struct policy *p = c->policy;
	struct policy_request req;
	struct netaddr client;
	struct verdict v;
	size_t i;

	memset(&req, 0, sizeof(req));
	req.daemon_port = f->port;
	req.daemon_name = f->name;
	req.auth = f->auth;
	req.tls = f->tls;
	req.from = f->from;
	if (f->client != NULL && *f->client != '\0') {
		if (!netaddr_parse(f->client, &client)) {
			fprintf(err, "relaywarden: -q: client=%s is not an IPv4 "
			    "or IPv6 address\n", f->client);
			return false;
		}
		req.client = &client;
	}
	if (p->sender.check != SENDER_CHECK_OFF)
		explain_sender(p, &req, out);
	if (ratelimit_on(&c->rate))
		explain_limits(c, &req, out);
	if (f->nrcpt == 0 || p->sender.check != SENDER_CHECK_OFF) {
		policy_eval(p, &req, &v);
		print_verdict(out, &v);
	}
	for (i = 0; i < f->nrcpt; i++) {
		req.rcpt = f->rcpt[i];
		policy_eval(p, &req, &v);
		print_verdict(out, &v);
	}
	return true;
}

int
query_run(const struct config *c, int argc, char *const argv[], FILE *out,
    FILE *err)
{
	struct facts f;
	char **copies;
	size_t nwords = 0;
	int status = EX_USAGE, n;

	memset(&f, 0, sizeof(f));
	copies = calloc((size_t)argc + 1, sizeof(*copies));
	for (n = 0; copies != NULL && n < argc; n++)
		nwords += strlen(argv[n]) / 2 + 1;	/* words <= len/2 + 1 */
	f.rcpt = calloc(nwords + 1, sizeof(*f.rcpt));
	if (copies == NULL || f.rcpt == NULL)
		fprintf(err, "relaywarden: -q: out of memory\n");
	else if (read_facts(&f, argc, argv, copies, err) &&
	    judge(c, &f, out, err))
		status = 0;
	for (n = 0; copies != NULL && n < argc; n++)
		free(copies[n]);
	free(copies);
	free(f.rcpt);
	return status;
}
