/*
 * policy - the relay decision. See policy.h for the contract.
 *
 * The order of the checks follows Postfix's own relay restrictions
 * (permit_sasl_authenticated, permit_mynetworks, reject_unauth_destination
 * with allow_untrusted_routing = no), with the submission listener's
 * "authentication required" in front of everything.
 */
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "policy.h"

struct policy *
policy_new(void)
{
	struct policy *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	p->local_domains = domset_new();
	p->my_networks = netset_new();
	p->sender.local_domains = domset_new();
	if (p->local_domains == NULL || p->my_networks == NULL ||
	    p->sender.local_domains == NULL) {
		policy_free(p);
		return NULL;
	}
	p->submission_require_tls = true;
	p->unknown_listener = UNKNOWN_AS_SMTP;
	p->mode = MODE_ENFORCE;
	return p;
}

void
policy_free(struct policy *p)
{
	size_t i;

	if (p == NULL)
		return;
	domset_free(p->local_domains);
	netset_free(p->my_networks);
	sender_rules_free(&p->sender);
	for (i = 0; i < p->nlisteners; i++)
		free(p->listeners[i].name);
	free(p->listeners);
	free(p);
}

const char *const policy_mode_words[] = { "enforce", "monitor", NULL };
const char *const policy_unknown_words[] = {
	"smtp", "submission", "tempfail", NULL
};
_Static_assert(MODE_ENFORCE == 0 && MODE_MONITOR == 1,
    "policy_mode_words is indexed by enum policy_mode");
_Static_assert(UNKNOWN_AS_SMTP == 0 && UNKNOWN_AS_SUBMISSION == 1 &&
    UNKNOWN_TEMPFAIL == 2, "policy_unknown_words is indexed by its enum");

unsigned
policy_port(const char *s)
{
	unsigned v = 0;

	if (s == NULL || *s == '\0')
		return 0;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		v = v * 10 + (unsigned)(*s - '0');
		if (v > 65535)
			return 0;
	}
	return v;
}

bool
policy_listener(const struct policy *p, const char *daemon_port,
    const char *daemon_name, enum listener *out)
{
	unsigned port = policy_port(daemon_port);
	size_t i;

	/* The port is what the client dialled; the name is per-service
	 * configuration that may be left at its default: port first. */
	for (i = 0; port != 0 && i < p->nlisteners; i++) {
		if (p->listeners[i].port == port) {
			*out = p->listeners[i].kind;
			return true;
		}
	}
	for (i = 0; daemon_name != NULL && i < p->nlisteners; i++) {
		if (p->listeners[i].name != NULL &&
		    strcmp(p->listeners[i].name, daemon_name) == 0) {
			*out = p->listeners[i].kind;
			return true;
		}
	}
	return false;
}

static bool
present(const char *s)
{
	return s != NULL && *s != '\0';
}

/*
 * Copies n bytes of src to text + o, cut to fit VERDICT_TEXT_MAX with
 * its NUL; returns the new length. The verdict text is built with this
 * rather than snprintf(), which alone cost more than the lookups.
 */
static size_t
put(char *text, size_t o, const char *src, size_t n)
{
	if (o >= VERDICT_TEXT_MAX - 1)
		return o;
	if (n > VERDICT_TEXT_MAX - 1 - o)
		n = VERDICT_TEXT_MAX - 1 - o;
	memcpy(text + o, src, n);
	return o + n;
}

static void
permit(struct verdict *v, enum reason r)
{
	v->decision = DECISION_ACCEPT;
	v->reason = r;
	v->code = NULL;
	v->xcode = NULL;
	v->text[0] = '\0';
}

static void
refuse(struct verdict *v, enum decision d, enum reason r, const char *code,
    const char *xcode, const char *text)
{
	v->decision = d;
	v->reason = r;
	v->code = code;
	v->xcode = xcode;
	v->text[put(v->text, 0, text, strlen(text))] = '\0';
}

/* A byte of a login in a reply: printable ASCII, or '?' (it goes into
 * an SMTP reply line). */
static char
shown_byte(char c)
{
	return c > ' ' && c < 0x7f ? c : '?';
}

/* "<addr>: what" and then login (NULL: none), the address shown as
 * Postfix shows it in its own replies (addr_shown(): unquoted, without a
 * source route). */
static void
refuse_addr(struct verdict *v, enum reason r, const char *code,
    const char *xcode, const char *addr, const char *what, const char *login)
{
	char shown[ADDR_SHOWN_MAX];
	size_t o;
	char c;

	addr_shown(addr, shown, sizeof(shown));
	v->decision = DECISION_REJECT;
	v->reason = r;
	v->code = code;
	v->xcode = xcode;
	o = put(v->text, 0, "<", 1);
	o = put(v->text, o, shown, strlen(shown));
	o = put(v->text, o, ">: ", 3);
	o = put(v->text, o, what, strlen(what));
	for (; login != NULL && *login != '\0'; login++) {
		c = shown_byte(*login);
		o = put(v->text, o, &c, 1);
	}
	v->text[o] = '\0';
}

static void
refuse_rcpt(struct verdict *v, enum reason r, const char *code,
    const char *xcode, const char *rcpt, const char *what)
{
	refuse_addr(v, r, code, xcode, rcpt, what, NULL);
}

/* The sender ownership check (sender_login_check); true when the
 * session may go on. */
static bool
eval_sender(const struct policy *p, const struct policy_request *req,
    struct verdict *v)
{
	if (p->sender.check == SENDER_CHECK_OFF)
		return true;
	v->sender_checked = true;
	sender_judge(&p->sender, req->from, req->auth, &v->sender, NULL, NULL);
	switch (v->sender.result) {
	case SENDER_BAD:
		refuse(v, DECISION_REJECT, REASON_BAD_SENDER, "501", "5.1.7",
		    "Bad sender address syntax");
		return false;
	case SENDER_NOT_OWNED:
		refuse_addr(v, REASON_SENDER_NOT_OWNED, "553", "5.7.1", req->from,
		    "Sender address rejected: not owned by user ", req->auth);
		return false;
	case SENDER_NOT_LOGGED_IN:
		refuse_addr(v, REASON_NOT_LOGGED_IN, "553", "5.7.1", req->from,
		    "Sender address rejected: not logged in", NULL);
		return false;
	case SENDER_UNCHECKED:
	case SENDER_OWNED:
	case SENDER_SELF:
	case SENDER_UNOWNED:
		break;
	}
	return true;
}

/* The reason of a MAIL FROM that may go on. */
static enum reason
sender_reason(const struct verdict *v)
{
	if (!v->sender_checked)
		return REASON_SENDER_OK;
	switch (v->sender.result) {
	case SENDER_OWNED:
	case SENDER_SELF:
		return REASON_SENDER_OWNED;
	case SENDER_UNOWNED:
		return REASON_SENDER_UNOWNED;
	default:
		return REASON_SENDER_OK;
	}
}

/* The listener's MAIL FROM checks; true when the session may go on. */
static bool
eval_mail(const struct policy *p, const struct policy_request *req,
    struct verdict *v)
{
	if (v->listener != LISTENER_SUBMISSION)
		return true;
	/* TLS first: Postfix refuses AUTH before STARTTLS on such a port, so
	 * the STARTTLS message is the one that tells the user the fix. */
	if (p->submission_require_tls && !present(req->tls)) {
		refuse(v, DECISION_REJECT, REASON_TLS_REQUIRED, "530", "5.7.0",
		    "Must issue a STARTTLS command first");
		return false;
	}
	if (!present(req->auth)) {
		refuse(v, DECISION_REJECT, REASON_AUTH_REQUIRED, "530", "5.7.0",
		    "Authentication required");
		return false;
	}
	return true;
}

/* Every MAIL FROM check; true when the session may go on. */
static bool
eval_sender_stage(const struct policy *p, const struct policy_request *req,
    struct verdict *v)
{
	return eval_mail(p, req, v) && eval_sender(p, req, v);
}

static void
eval_rcpt(const struct policy *p, const struct policy_request *req,
    struct verdict *v)
{
	struct addr a;

	switch (addr_parse(req->rcpt, &a)) {
	case ADDR_OK:
		break;
	case ADDR_NULL:
	case ADDR_BAD_SYNTAX:
	case ADDR_TOO_LONG:
		refuse(v, DECISION_REJECT, REASON_BAD_ADDRESS, "501", "5.1.3",
		    "Bad recipient address syntax");
		return;
	}
	if (present(req->auth)) {
		permit(v, REASON_AUTHENTICATED);
		return;
	}
	if (req->client != NULL &&
	    netset_contains(p->my_networks, req->client)) {
		permit(v, REASON_MY_NETWORKS);
		return;
	}
	/* From here on the client may not relay. */
	if (!a.qualified) {
		if (a.postmaster) {
			permit(v, REASON_POSTMASTER);
			return;
		}
		refuse_rcpt(v, REASON_UNQUALIFIED, "504", "5.5.2", req->rcpt,
		    "Recipient address rejected: need fully-qualified address");
		return;
	}
	if (a.routing) {
		refuse_rcpt(v, REASON_ROUTING_TRICK, "554", "5.7.1", req->rcpt,
		    "Relay access denied");
		return;
	}
	if (domset_contains(p->local_domains, a.domain)) {
		permit(v, REASON_LOCAL_DOMAIN);
		return;
	}
	refuse_rcpt(v, REASON_RELAY_DENIED, "554", "5.7.1", req->rcpt,
	    "Relay access denied");
}

void
policy_eval(const struct policy *p, const struct policy_request *req,
    struct verdict *v)
{
	v->sender_checked = false;
	v->sender.key[0] = '\0';
	v->sender.owners = NULL;
	v->listener_known = policy_listener(p, req->daemon_port,
	    req->daemon_name, &v->listener);
	if (!v->listener_known) {
		switch (p->unknown_listener) {
		case UNKNOWN_AS_SMTP:
			v->listener = LISTENER_SMTP;
			break;
		case UNKNOWN_AS_SUBMISSION:
			v->listener = LISTENER_SUBMISSION;
			break;
		case UNKNOWN_TEMPFAIL:
			v->listener = LISTENER_SMTP;
			refuse(v, DECISION_TEMPFAIL, REASON_UNKNOWN_LISTENER,
			    "451", "4.3.5", "Server configuration error");
			goto mode;
		}
	}
	if (eval_sender_stage(p, req, v)) {
		if (req->rcpt == NULL)
			permit(v, sender_reason(v));
		else
			eval_rcpt(p, req, v);
	}
mode:
	if (p->mode == MODE_MONITOR && v->decision != DECISION_ACCEPT)
		v->decision = DECISION_WOULD_REJECT;
}

const char *
policy_reason_name(enum reason r)
{
	switch (r) {
	case REASON_AUTHENTICATED:	return "authenticated";
	case REASON_MY_NETWORKS:	return "my_networks";
	case REASON_LOCAL_DOMAIN:	return "local_domain";
	case REASON_POSTMASTER:		return "postmaster";
	case REASON_SENDER_OK:		return "sender_ok";
	case REASON_SENDER_OWNED:	return "sender_owned";
	case REASON_SENDER_UNOWNED:	return "sender_unowned";
	case REASON_SENDER_NOT_OWNED:	return "sender_not_owned";
	case REASON_NOT_LOGGED_IN:	return "sender_not_logged_in";
	case REASON_BAD_SENDER:		return "bad_sender";
	case REASON_RELAY_DENIED:	return "relay_denied";
	case REASON_ROUTING_TRICK:	return "routing_trick";
	case REASON_UNQUALIFIED:	return "unqualified";
	case REASON_BAD_ADDRESS:	return "bad_address";
	case REASON_AUTH_REQUIRED:	return "auth_required";
	case REASON_TLS_REQUIRED:	return "tls_required";
	case REASON_UNKNOWN_LISTENER:	return "unknown_listener";
	case REASON_INTERNAL_ERROR:	return "internal_error";
	case REASON_RATE_LIMIT:		return "rate_limit";
	case REASON_LIMIT_STORE_DOWN:	return "limit_store_down";
	}
	return "internal_error";
}

const char *
policy_decision_name(enum decision d)
{
	switch (d) {
	case DECISION_ACCEPT:		return "accept";
	case DECISION_REJECT:		return "reject";
	case DECISION_TEMPFAIL:		return "tempfail";
	case DECISION_WOULD_REJECT:	return "would_reject";
	case DECISION_HOLD:		return "hold";
	case DECISION_WOULD_TEMPFAIL:	return "would_tempfail";
	case DECISION_WOULD_HOLD:	return "would_hold";
	}
	return "tempfail";
}

const char *
policy_listener_name(enum listener l)
{
	return l == LISTENER_SUBMISSION ? "submission" : "smtp";
}
