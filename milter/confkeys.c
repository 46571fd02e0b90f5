/*
 * confkeys - the key table and the setters. See confparse.h.
 *
 * One row per key. A key of a plain type (bool, enum, octal mode, path,
 * account) is parsed by its type's setter into the field the row names;
 * only keys with rules of their own (the lists, the socket, the syslog
 * ident) have a setter of their own. Every setter takes the key's value
 * from the file or its default, so that a default is parsed by exactly
 * the code that parses the file.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>

#include "confparse.h"

static conf_setter set_domains, set_networks, set_socket, set_ident;

static const char *const bool_words[] = { "no", "yes", NULL };
static const char *const facility_words[] = {
	"mail", "daemon", "user", "local0", "local1", "local2", "local3",
	"local4", "local5", "local6", "local7", NULL
};
static const int facility_values[] = {
	LOG_MAIL, LOG_DAEMON, LOG_USER, LOG_LOCAL0, LOG_LOCAL1, LOG_LOCAL2,
	LOG_LOCAL3, LOG_LOCAL4, LOG_LOCAL5, LOG_LOCAL6, LOG_LOCAL7
};

/* An enum setting is written through an int (set_enum()). */
_Static_assert(sizeof(enum policy_mode) == sizeof(int) &&
    sizeof(enum unknown_listener) == sizeof(int) &&
    sizeof(enum sender_check) == sizeof(int) &&
    sizeof(enum rate_action) == sizeof(int) &&
    sizeof(enum rate_down) == sizeof(int),
    "an enum setting is stored through an int");

#define C(field)	IN_CONFIG, offsetof(struct config, field)
#define P(field)	IN_POLICY, offsetof(struct policy, field)
#define NONE		IN_CONFIG, 0

const struct conf_row conf_rows[] = {
	{ { "milter_socket", CONF_SOCKET, "inet:8899@127.0.0.1", NULL, true,
	    "where the milter listens, in libmilter syntax: inet:PORT@HOST, "
	    "inet6:PORT@HOST or unix:/PATH" }, set_socket, C(milter_socket),
	    NULL, NULL },
	{ { "postfix_config_directory", CONF_DIR, "/etc/postfix", NULL, false,
	    "the Postfix instance (its main.cf) that postfix: and type:table "
	    "entries read" }, NULL, C(postfix_dir), NULL, NULL },
	{ { "allow_wide_networks", CONF_BOOL, "no", bool_words, false,
	    "let my_networks hold a network wider than /8 (IPv4) or /16 "
	    "(IPv6)" }, NULL, C(allow_wide), NULL, NULL },
	{ { "local_domains", CONF_LIST, "", NULL, false,
	    "the server's own domains; .example.org matches every subdomain "
	    "of example.org, !pattern excludes, the first match decides" },
	    set_domains, NONE, NULL, NULL },
	{ { "my_networks", CONF_LIST, "", NULL, false,
	    "clients that may relay without authentication on smtp "
	    "listeners, in Postfix mynetworks syntax" },
	    set_networks, NONE, NULL, NULL },
	{ { "smtp_ports", CONF_LIST, "25", NULL, false,
	    "listeners where unauthenticated mail from outside my_networks "
	    "may go to local domains only: port numbers or {daemon_name} "
	    "values" },
	    conf_set_smtp_ports, NONE, NULL, NULL },
	{ { "submission_ports", CONF_LIST, "465 587", NULL, false,
	    "listeners where authentication is required: port numbers or "
	    "{daemon_name} values" }, conf_set_sub_ports, NONE, NULL, NULL },
	{ { "submission_require_tls", CONF_BOOL, "yes", bool_words, false,
	    "refuse mail on submission listeners from sessions without TLS" },
	    NULL, P(submission_require_tls), NULL, NULL },
	{ { "unknown_listener", CONF_ENUM, "smtp", policy_unknown_words, false,
	    "the rule for a session whose listener is not listed" },
	    NULL, P(unknown_listener), NULL, NULL },
	{ { "sender_login_check", CONF_ENUM, "off", sender_check_words, false,
	    "refuse a sender address that the login does not own, as "
	    "Postfix's reject_*_sender_login_mismatch: off, authenticated, "
	    "known, unauthenticated or all" },
	    NULL, P(sender.check), NULL, NULL },
	{ { "sender_login_maps", CONF_LIST, "", NULL, false,
	    "who owns which sender address, as Postfix's "
	    "smtpd_sender_login_maps: map files, type:table, postfix:NAME" },
	    conf_set_login_maps, NONE, NULL, NULL },
	{ { "sender_login_self", CONF_BOOL, "no", bool_words, false,
	    "a login owns its own address (a login without a domain: at "
	    "sender_login_domain)" }, NULL, P(sender.self), NULL, NULL },
	{ { "sender_login_domain", CONF_WORD, "", NULL, false,
	    "the domain of a login or a sender address without one (as "
	    "Postfix's myorigin)" }, conf_set_login_domain, P(sender.domain), NULL,
	    NULL },
	{ { "sender_login_local_domains", CONF_LIST, "", NULL, false,
	    "the domains where a map key may be a bare user (Postfix: "
	    "$myorigin and $mydestination)" }, conf_set_login_domains, NONE, NULL,
	    NULL },
	{ { "recipient_delimiter", CONF_WORD, "", NULL, false,
	    "the characters that start an address extension (user+ext), as "
	    "Postfix's recipient_delimiter" }, conf_set_delimiters,
	    P(sender.delimiters), NULL, NULL },
	/* Rate limits (ratelimit.h): a list of windows per key kind. */
#define LIMITS(name, field, what)					\
	{ { name, CONF_LIST, "", NULL, false, what }, conf_set_limits,	\
	    C(rate.field), NULL, NULL }
	LIMITS("login_limits", rcpt[RATE_LOGIN], "accepted recipients per "
	    "SASL login, as windows COUNT/PERIOD (e.g. 100/1m, 1000/1h, "
	    "5000/1d)"),
	LIMITS("client_limits", rcpt[RATE_CLIENT], "accepted recipients per "
	    "client address, as windows COUNT/PERIOD"),
	LIMITS("network_limits", rcpt[RATE_NETWORK], "accepted recipients per "
	    "client network (IPv4 /24, IPv6 /64), as windows COUNT/PERIOD"),
	LIMITS("mynetworks_limits", rcpt[RATE_MYNETWORKS], "accepted "
	    "recipients per my_networks client without a login, as windows "
	    "COUNT/PERIOD"),
	LIMITS("listener_limits", rcpt[RATE_LISTENER], "accepted recipients "
	    "per listener (its port, or its daemon name), as windows "
	    "COUNT/PERIOD"),
	LIMITS("login_message_limits", msg[RATE_LOGIN], "accepted messages "
	    "per SASL login, as windows COUNT/PERIOD"),
	LIMITS("client_message_limits", msg[RATE_CLIENT], "accepted messages "
	    "per client address, as windows COUNT/PERIOD"),
	LIMITS("network_message_limits", msg[RATE_NETWORK], "accepted "
	    "messages per client network, as windows COUNT/PERIOD"),
	LIMITS("mynetworks_message_limits", msg[RATE_MYNETWORKS], "accepted "
	    "messages per my_networks client without a login, as windows "
	    "COUNT/PERIOD"),
	LIMITS("listener_message_limits", msg[RATE_LISTENER], "accepted "
	    "messages per listener, as windows COUNT/PERIOD"),
#undef LIMITS
	{ { "limit_overrides", CONF_LIST, "", NULL, false,
	    "other windows for some logins, login domains or client networks: "
	    "map files or tables of \"alice@example.org 5000/1d\", "
	    "\"@example.org off\" or \"192.0.2.0/24 50/1h\" lines" }, conf_set_overrides, NONE, NULL, NULL },
	{ { "limit_exempt", CONF_LIST, "postmaster null_sender", NULL, false,
	    "what no limit counts: recipients postmaster@any domain, mail "
	    "from the null sender" }, conf_set_exempt, NONE, NULL, NULL },
	{ { "ratelimit_action", CONF_ENUM, "tempfail", rate_action_words,
	    false, "when a limit is full: tempfail (451 4.7.1) or hold (the "
	    "message goes to Postfix's hold queue)" }, NULL, C(rate.action),
	    NULL, NULL },
	{ { "ratelimit_store", CONF_WORD, "embedded", NULL, true,
	    "where counts live: embedded (this daemon's memory) or "
	    "redis:unix:/PATH or redis:HOST:PORT (shared by a fleet)" },
	    conf_set_store, C(rate.store), NULL, NULL },
	{ { "ratelimit_store_down", CONF_ENUM, "local", rate_down_words,
	    false, "when Redis is down or slow: local (embedded counts at the "
	    "same limits), tempfail or accept" }, NULL, C(rate.down), NULL,
	    NULL },
	{ { "ratelimit_store_timeout", CONF_UINT, "200", NULL, true,
	    "the longest wait for Redis, in milliseconds (1 to 10000)" },
	    NULL, C(rate.timeout_ms), (const int[]){ 1, 10000 }, NULL },
	{ { "ratelimit_max_keys", CONF_UINT, "1000000", NULL, true,
	    "the most key windows the embedded store holds (then the one "
	    "nearest to empty goes)" }, NULL, C(rate_max_keys),
	    (const int[]){ 64, 100000000 }, NULL },
	{ { "control_socket", CONF_PATH, "", NULL, true,
	    "a unix socket (mode 0600) where \"relaywarden limits\" asks the "
	    "daemon for the embedded store's counts" }, NULL,
	    C(control_socket), NULL, NULL },
	{ { "alert_command", CONF_PATH, "", NULL, false,
	    "a program run (no shell) at each limit trip, at most one run "
	    "every 10 s, with RW_KEY, RW_WINDOW, RW_USED, RW_ACTION, "
	    "RW_LISTENER, RW_CLIENT in its environment" }, NULL,
	    C(rate.alert_command), NULL, NULL },
	{ { "mode", CONF_ENUM, "enforce", policy_mode_words, false,
	    "enforce refuses; monitor decides and logs decision=would_reject "
	    "but refuses nothing" },
	    NULL, P(mode), NULL, NULL },
	{ { "syslog_facility", CONF_ENUM, "mail", facility_words, true,
	    "the syslog facility: mail, daemon, user, or local0 to local7" },
	    NULL, C(syslog_facility), facility_values,
	    "mail, daemon, user or local0 to local7" },
	{ { "syslog_ident", CONF_WORD, "relaywarden", NULL, true,
	    "the program name on every log line" }, set_ident,
	    C(syslog_ident), NULL, NULL },
	{ { "log_accepts", CONF_BOOL, "yes", bool_words, false,
	    "log accepted recipients too, not only refusals" },
	    NULL, C(log_accepts), NULL, NULL },
	{ { "stats_file", CONF_PATH, "", NULL, false, "write the counters "
	    "here every stats_interval, in Prometheus's text format" }, NULL,
	    C(stats_file), NULL, NULL },
	{ { "stats_interval", CONF_UINT, "15", NULL, false, "seconds "
	    "between two writes of stats_file, 1 to 3600" }, NULL,
	    C(stats_interval), (const int[]){ 1, 3600 }, NULL },
	{ { "user", CONF_ACCOUNT, "", NULL, true,
	    "started as root, become this user (and its primary group) for "
	    "good once the socket and the pid file are open" }, NULL, C(user),
	    NULL, NULL },
	{ { "run_as_root", CONF_BOOL, "no", bool_words, true,
	    "allow running as root when no user is set (not recommended)" },
	    NULL, C(run_as_root), NULL, NULL },
	{ { "pid_file", CONF_PATH, "", NULL, true,
	    "write the daemon's pid here (e.g. /run/relaywarden/"
	    "relaywarden.pid); removed at stop" }, NULL, C(pid_file), NULL,
	    NULL },
	{ { "socket_group", CONF_ACCOUNT, "", NULL, true,
	    "group of a unix milter socket and of the directory created for "
	    "it, so that the MTA can reach it (for Postfix: postfix)" }, NULL,
	    C(socket_group), NULL, NULL },
	{ { "socket_mode", CONF_MODE, "0660", NULL, true,
	    "permissions of a unix milter socket" }, NULL, C(socket_mode),
	    NULL, NULL },
};
#define NROWS	(sizeof(conf_rows) / sizeof(conf_rows[0]))
const size_t conf_nrows = NROWS;

const struct conf_key *
conf_keys(void)
{
	static struct conf_key pub[NROWS + 1];
	size_t i;

	/* Written with the same values each time; harmless if two threads
	 * race. */
	for (i = 0; i < NROWS; i++)
		pub[i] = conf_rows[i].pub;
	return pub;
}

int
conf_key_index(const char *name)
{
	size_t i;

	for (i = 0; i < conf_nrows; i++)
		if (strcmp(conf_rows[i].pub.name, name) == 0)
			return (int)i;
	return -1;
}

/* The field row k names, in the config being built. */
static void *
field(struct parser *ps, size_t k)
{
	char *base = conf_rows[k].in == IN_POLICY ? (char *)ps->c->policy :
	    (char *)ps->c;

	return base + conf_rows[k].off;
}

void
conf_set_string(struct parser *ps, size_t k, const char *value)
{
	char **out = field(ps, k);

	if ((*out = strdup(value)) == NULL)
		ps->oom = true;
}

/* --- lists ----------------------------------------------------------- */

static void
add_domain(struct parser *ps, const char *entry, const char *file,
    unsigned line)
{
	char err[CONF_ERR_MAX];

	if (!domset_add(ps->c->policy->local_domains, entry, err, sizeof(err)))
		conf_error_at(ps, file, line, "local_domains: %s", err);
}

static void
set_domains(struct parser *ps, size_t k, const char *value, const char *file,
    unsigned line)
{
	(void)k;
	conf_each_entry(ps, value, file, line, add_domain);
}

/* The prefix length of a network that is wider than /8 (IPv4) or /16
 * (IPv6), or -1: an entry netset took, so "a/n" or "[a]/n" or a host.
 * An exclusion only narrows the list. */
static int
wide(const char *entry)
{
	const char *slash = strrchr(entry, '/');
	long n;

	if (entry[0] == '!' || slash == NULL)
		return -1;
	n = strtol(slash + 1, NULL, 10);
	return n < (strchr(entry, ':') != NULL ? 16 : 8) ? (int)n : -1;
}

static void
add_network(struct parser *ps, const char *entry, const char *file,
    unsigned line)
{
	char err[CONF_ERR_MAX], shown[SHOWN_MAX];
	int n;

	if (!netset_add(ps->c->policy->my_networks, entry, err, sizeof(err)))
		conf_error_at(ps, file, line, "my_networks: %s", err);
	else if (!ps->c->allow_wide && (n = wide(entry)) >= 0)
		conf_error_at(ps, file, line, "my_networks: \"%s\" is a /%d: "
		    "every client in it may relay; a network wider than /8 "
		    "(IPv4) or /16 (IPv6) is refused unless allow_wide_networks "
		    "= yes", escape_show(shown, sizeof(shown), entry), n);
}

static void
set_networks(struct parser *ps, size_t k, const char *value, const char *file,
    unsigned line)
{
	(void)k;
	conf_each_entry(ps, value, file, line, add_network);
}

/* --- the typed setters ------------------------------------------------- */

/* Index of value in row k's words, or -1 after an error. */
static int
pick(struct parser *ps, size_t k, const char *value, const char *file,
    unsigned line)
{
	const struct conf_row *r = &conf_rows[k];
	const char *const *words = r->pub.words;
	char list[128] = "", shown[SHOWN_MAX];
	int i;

	/* Any case, as Postfix takes "Yes" for yes. */
	for (i = 0; words[i] != NULL; i++)
		if (strcasecmp(value, words[i]) == 0)
			return i;
	for (i = 0; r->expect == NULL && words[i] != NULL; i++) {
		strncat(list, i == 0 ? "" : words[i + 1] ? ", " : " or ",
		    sizeof(list) - strlen(list) - 1);
		strncat(list, words[i], sizeof(list) - strlen(list) - 1);
	}
	conf_error_at(ps, file, line, "%s must be %s, not \"%s\"", r->pub.name,
	    r->expect != NULL ? r->expect : list,
	    escape_show(shown, sizeof(shown), value));
	return -1;
}

static void
set_bool(struct parser *ps, size_t k, const char *value, const char *file,
    unsigned line)
{
	int i = pick(ps, k, value, file, line);

	if (i >= 0)
		*(bool *)field(ps, k) = i == 1;
}

static void
set_enum(struct parser *ps, size_t k, const char *value, const char *file,
    unsigned line)
{
	int i = pick(ps, k, value, file, line);

	if (i >= 0)
		*(int *)field(ps, k) = conf_rows[k].values != NULL ?
		    conf_rows[k].values[i] : i;
}

/* True when s holds a space or a control byte: no path or host of ours
 * does, and "inet:8899@127.0.0.1 junk" would otherwise pass -n and only
 * fail at start. */
static bool
has_blank(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f)
			return true;
	return false;
}

static void
set_path(struct parser *ps, size_t k, const char *value, const char *file,
    unsigned line)
{
	char shown[SHOWN_MAX];

	if (value[0] != '\0' && (value[0] != '/' || strlen(value) > 1024 ||
	    value[strlen(value) - 1] == '/' || has_blank(value))) {
		conf_error_at(ps, file, line, "%s must be an absolute file "
		    "path without spaces or control bytes, not \"%s\"",
		    conf_rows[k].pub.name,
		    escape_show(shown, sizeof(shown), value));
		return;
	}
	conf_set_string(ps, k, value);
}

static void
set_dir(struct parser *ps, size_t k, const char *value, const char *file,
    unsigned line)
{
	char shown[SHOWN_MAX];

	if (value[0] != '/' || strlen(value) > 1024 || has_blank(value)) {
		conf_error_at(ps, file, line, "%s must be an absolute directory "
		    "path without spaces or control bytes, not \"%s\"",
		    conf_rows[k].pub.name,
		    escape_show(shown, sizeof(shown), value));
		return;
	}
	conf_set_string(ps, k, value);
}

/* A user or group name as useradd(8) accepts it; "" means none. */
bool
conf_is_account_name(const char *s)
{
	size_t n = 0;

	for (; s[n] != '\0'; n++) {
		unsigned char c = (unsigned char)s[n];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '-' ||
		    (c == '.' && n > 0)))
			return false;
	}
	return n <= 32 && s[0] != '-';
}

static void
set_account(struct parser *ps, size_t k, const char *value, const char *file,
    unsigned line)
{
	char shown[SHOWN_MAX];

	if (!conf_is_account_name(value)) {
		conf_error_at(ps, file, line, "%s \"%s\" is not a user or group "
		    "name", conf_rows[k].pub.name,
		    escape_show(shown, sizeof(shown), value));
		return;
	}
	conf_set_string(ps, k, value);
}

/* A whole number within the row's bounds (values: { min, max }). */
static void
set_uint(struct parser *ps, size_t k, const char *value, const char *file,
    unsigned line)
{
	const int *b = conf_rows[k].values;
	unsigned long v = 0;
	const char *s;
	char shown[SHOWN_MAX];

	for (s = value; *s >= '0' && *s <= '9' && v <= (unsigned long)b[1]; s++)
		v = v * 10 + (unsigned long)(*s - '0');
	if (s == value || *s != '\0' || v < (unsigned long)b[0] ||
	    v > (unsigned long)b[1]) {
		conf_error_at(ps, file, line, "%s must be a whole number from "
		    "%d to %d, not \"%s\"", conf_rows[k].pub.name, b[0], b[1],
		    escape_show(shown, sizeof(shown), value));
		return;
	}
	*(unsigned *)field(ps, k) = (unsigned)v;
}

/* A unix socket's mode: no access for others, who are not the MTA. */
static void
set_mode(struct parser *ps, size_t k, const char *value, const char *file,
    unsigned line)
{
	unsigned v = 0;
	const char *s;
	char shown[SHOWN_MAX];

	for (s = value; *s >= '0' && *s <= '7' && s - value < 4; s++)
		v = v * 8 + (unsigned)(*s - '0');
	if (s == value || *s != '\0' || (v & 0007) != 0) {
		conf_error_at(ps, file, line, "%s must be octal, at most 4 "
		    "digits, with no access for others (e.g. 0660), not \"%s\"",
		    conf_rows[k].pub.name,
		    escape_show(shown, sizeof(shown), value));
		return;
	}
	*(unsigned *)field(ps, k) = v;
}

/* --- keys with rules of their own -------------------------------------- */

static void
set_ident(struct parser *ps, size_t k, const char *value, const char *file,
    unsigned line)
{
	const char *s;

	for (s = value; *s != '\0'; s++) {
		if (*s <= ' ' || *s >= 0x7f || *s == ':' || *s == '[') {
			conf_error_at(ps, file, line, "syslog_ident must be one "
			    "word of printable characters without ':' or '['");
			return;
		}
	}
	if (s == value || s - value > 64) {
		conf_error_at(ps, file, line, "syslog_ident must be 1 to 64 "
		    "bytes");
		return;
	}
	conf_set_string(ps, k, value);
}

const char *
conf_unix_path(const char *socket)
{
	if (strncmp(socket, "unix:", 5) == 0)
		return socket + 5;
	if (strncmp(socket, "local:", 6) == 0)
		return socket + 6;
	return NULL;
}

/* inet:PORT[@HOST] or inet6:PORT[@HOST]: true when well formed. */
static bool
inet_socket(const char *rest)
{
	char num[8];
	size_t n = strcspn(rest, "@");

	if (n == 0 || n >= sizeof(num))
		return false;
	memcpy(num, rest, n);
	num[n] = '\0';
	return policy_port(num) != 0 &&
	    !(rest[n] == '@' && rest[n + 1] == '\0') && !has_blank(rest);
}

/* inet:PORT[@HOST], inet6:PORT[@HOST], unix:/PATH, local:/PATH, as
 * smfi_setconn(3) takes them. */
static void
set_socket(struct parser *ps, size_t k, const char *value, const char *file,
    unsigned line)
{
	const char *path = conf_unix_path(value);
	char shown[SHOWN_MAX];

	escape_show(shown, sizeof(shown), value);
	if (path != NULL) {
		if (path[0] != '/' || strlen(path) > 100 || has_blank(path)) {
			conf_error_at(ps, file, line, "milter_socket \"%s\": a "
			    "unix socket needs an absolute path of at most 100 "
			    "bytes, without spaces or control bytes", shown);
			return;
		}
	} else if (strncmp(value, "inet:", 5) == 0 ||
	    strncmp(value, "inet6:", 6) == 0) {
		if (!inet_socket(strchr(value, ':') + 1)) {
			conf_error_at(ps, file, line, "milter_socket \"%s\": "
			    "write inet:PORT@HOST, e.g. inet:8899@127.0.0.1",
			    shown);
			return;
		}
	} else {
		conf_error_at(ps, file, line, "milter_socket \"%s\" must start "
		    "with inet:, inet6: or unix:", shown);
		return;
	}
	conf_set_string(ps, k, value);
}

void
conf_apply(struct parser *ps, size_t k, const char *value, const char *file,
    unsigned line)
{
	static conf_setter *const by_type[] = {
		[CONF_BOOL] = set_bool, [CONF_ENUM] = set_enum,
		[CONF_MODE] = set_mode, [CONF_PATH] = set_path,
		[CONF_ACCOUNT] = set_account, [CONF_DIR] = set_dir,
		[CONF_UINT] = set_uint,
	};
	conf_setter *set = conf_rows[k].set != NULL ? conf_rows[k].set :
	    by_type[conf_rows[k].pub.type];

	set(ps, k, value, file, line);
}

/* --- the effective value ----------------------------------------------- */

/* Row k's field in c. */
static void *
field_of(const struct config *c, size_t k)
{
	const char *base = conf_rows[k].in == IN_POLICY ?
	    (const char *)c->policy : (const char *)c;

	return (void *)(base + conf_rows[k].off);
}

/* Lists have no field of their own: only keys with one are copied. */
bool
conf_copy(const struct config *from, struct config *to, size_t k)
{
	char *text = NULL;
	void *dst = field_of(to, k);
	const void *src = field_of(from, k);

	if (from->text[k] != NULL && (text = strdup(from->text[k])) == NULL)
		return false;
	switch (conf_rows[k].pub.type) {
	case CONF_BOOL:
		*(bool *)dst = *(const bool *)src;
		break;
	case CONF_ENUM:
		*(int *)dst = *(const int *)src;
		break;
	case CONF_MODE:
	case CONF_UINT:
		*(unsigned *)dst = *(const unsigned *)src;
		break;
	case CONF_LIST:
		free(text);
		return false;
	default: {
		char *copy = strdup(*(char *const *)src);

		if (copy == NULL) {
			free(text);
			return false;
		}
		free(*(char **)dst);
		*(char **)dst = copy;
		break;
	}
	}
	free(to->text[k]);
	to->text[k] = text;
	return true;
}

void
conf_format(const struct config *c, size_t k, char *buf, size_t len)
{
	const struct conf_row *r = &conf_rows[k];
	const void *f = field_of(c, k);
	int i;

	switch (r->pub.type) {
	case CONF_BOOL:
		snprintf(buf, len, "%s", r->pub.words[*(const bool *)f]);
		break;
	case CONF_ENUM:
		for (i = 0; r->pub.words[i] != NULL; i++)
			if ((r->values != NULL ? r->values[i] : i) ==
			    *(const int *)f)
				break;
		snprintf(buf, len, "%s", r->pub.words[i] != NULL ?
		    r->pub.words[i] : "?");
		break;
	case CONF_MODE:
		snprintf(buf, len, "%04o", *(const unsigned *)f);
		break;
	case CONF_UINT:
		snprintf(buf, len, "%u", *(const unsigned *)f);
		break;
	case CONF_LIST:
		snprintf(buf, len, "%s", c->text[k] != NULL ? c->text[k] :
		    r->pub.def);
		break;
	default:
		snprintf(buf, len, "%s", *(char *const *)f != NULL ?
		    *(char *const *)f : "");
		break;
	}
}
