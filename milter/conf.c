/*
 * conf - the configuration file. See conf.h.
 *
 * Reading happens in two passes: the file is first split into settings
 * (name, value, where), then every key of the table is applied in table
 * order, from the file or from its default, so that a default is parsed
 * by exactly the code that parses the file. The errors of both passes
 * are then put in the order of the lines they are about (a list file's
 * at the line that names it), as an admin reads the file. A setting's
 * value keeps a '\n' for each line break of its continuation lines, so
 * that a list entry's error names the entry's own line.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "conf.h"
#include "log.h"

#define LOGICAL_MAX	(1024 * 1024)	/* one setting, continuations included */
#define ERR_MAX		512
/*
 * Every value an error message quotes goes through log_show(): the file's
 * bytes must not put a control byte (a line break, a terminal escape) or
 * an 8-bit byte into the terminal of "relaywarden -n" or into syslog.
 * A value, and anything read from a list file, is shown up to 64 bytes,
 * then "..." (LOG_SHOW_MAX); a path named in the main file up to ~290.
 */
#define SHOWN_MAX	LOG_SHOW_MAX
#define PATH_SHOWN_MAX	300

struct parser;
typedef void setter(struct parser *, const char *value, const char *file,
    unsigned line);

struct key {
	struct conf_key	pub;
	setter		*set;
};

struct setting {
	char		*value;
	unsigned	line;		/* 0: not in the file */
};

struct parser {
	const char	*path;
	struct conf_errors *errs;
	struct policy	*p;
	EVP_MD_CTX	*sha;
	struct setting	*settings;	/* one per key, table order */
	bool		oom;
	/* Where each error of this load goes in the file's order: the
	 * main file's line it is about (UINT_MAX: after every line). */
	size_t		first;		/* errs->n when the load began */
	unsigned	*order;		/* one per error from errs->msg[first] */
	unsigned	about;		/* second pass: the line every error is
					 * about; 0: the error's own line */
	bool		no_lists;	/* conf_load_as(): read no list file */
};

static int key_index(const char *name);
static setter set_domains, set_networks, set_smtp_ports, set_sub_ports,
    set_require_tls, set_unknown, set_mode, set_socket, set_facility,
    set_ident, set_log_accepts, set_user, set_run_as_root, set_pid_file,
    set_socket_group, set_socket_mode;

static const struct key keys[] = {
	{ { "milter_socket", "string", "inet:8899@127.0.0.1",
	    "where the milter listens, in libmilter syntax: inet:PORT@HOST, "
	    "inet6:PORT@HOST or unix:/PATH" }, set_socket },
	{ { "local_domains", "list", "",
	    "the server's own domains; \".example.org\" matches every "
	    "subdomain of example.org (\"!\" excludes, first match wins)" },
	    set_domains },
	{ { "my_networks", "list", "",
	    "clients that may relay without authentication, in Postfix "
	    "mynetworks syntax (\"!\" excludes, first match wins)" },
	    set_networks },
	{ { "smtp_ports", "list", "25",
	    "listeners (port numbers or {daemon_name} values) where "
	    "unauthenticated mail may go to local domains only" },
	    set_smtp_ports },
	{ { "submission_ports", "list", "465 587",
	    "listeners (port numbers or {daemon_name} values) where "
	    "authentication is required" }, set_sub_ports },
	{ { "submission_require_tls", "bool", "yes",
	    "refuse mail on submission listeners from sessions without TLS" },
	    set_require_tls },
	{ { "unknown_listener", "smtp|submission|tempfail", "smtp",
	    "the rule for a session whose listener is not listed" },
	    set_unknown },
	{ { "mode", "enforce|monitor", "enforce",
	    "monitor: decide and log (decision=would_reject), refuse nothing" },
	    set_mode },
	{ { "syslog_facility", "facility", "mail",
	    "mail, daemon, user or local0..local7" }, set_facility },
	{ { "syslog_ident", "string", "relaywarden",
	    "the program name on every log line" }, set_ident },
	{ { "log_accepts", "bool", "yes",
	    "log accepted recipients too, not only refusals" },
	    set_log_accepts },
	{ { "user", "string", "",
	    "started as root, become this user (and its group) for good "
	    "once the socket and the pid file are open" }, set_user },
	{ { "run_as_root", "bool", "no",
	    "allow running as root when no user is set (not recommended)" },
	    set_run_as_root },
	{ { "pid_file", "path", "",
	    "write the daemon's pid here (e.g. /run/relaywarden/"
	    "relaywarden.pid); removed at stop" }, set_pid_file },
	{ { "socket_group", "string", "",
	    "group of a unix milter socket and of the directory made for it "
	    "(e.g. postfix)" }, set_socket_group },
	{ { "socket_mode", "octal", "0660",
	    "permissions of a unix milter socket" }, set_socket_mode },
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

const struct conf_key *
conf_keys(void)
{
	static struct conf_key pub[NKEYS + 1];
	size_t i;

	/* Written once with the same values; harmless if two threads race. */
	for (i = 0; i < NKEYS; i++)
		pub[i] = keys[i].pub;
	return pub;
}

/* Appends "FILE:LINE: message" (or "FILE: message" when line is 0). */
static void
error_at(struct parser *ps, const char *file, unsigned line, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));

static void
error_at(struct parser *ps, const char *file, unsigned line, const char *fmt,
    ...)
{
	struct conf_errors *e = ps->errs;
	char msg[ERR_MAX], *full, **grown, *shown;
	unsigned *order;
	size_t flen = strlen(file);
	va_list ap;
	int n = -1;

	if (e->n >= CONF_ERRORS_MAX) {
		e->dropped++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* Room for every byte as \xHH: the name is never cut. */
	if ((shown = malloc(4 * flen + 12)) != NULL) {
		log_show(shown, 4 * flen + 12, file);
		if (line > 0)
			n = asprintf(&full, "%s:%u: %s", shown, line, msg);
		else
			n = asprintf(&full, "%s: %s", shown, msg);
		free(shown);
	}
	grown = n < 0 ? NULL : realloc(e->msg, (e->n + 1) * sizeof(*e->msg));
	order = grown == NULL ? NULL : realloc(ps->order,
	    (e->n + 1 - ps->first) * sizeof(*order));
	if (grown != NULL)
		e->msg = grown;
	if (order == NULL) {
		if (n >= 0)
			free(full);
		ps->oom = true;
		e->dropped++;
		return;
	}
	ps->order = order;
	order[e->n - ps->first] = ps->about != 0 ? ps->about : line;
	e->msg[e->n++] = full;
}

/* Puts this load's errors in line order; stable, so a line's errors (a
 * list file's among them) keep the order they were found in. At most
 * CONF_ERRORS_MAX of them: an insertion sort. */
static void
sort_errors(struct parser *ps)
{
	size_t n = ps->errs->n - ps->first, i, j;
	char **msg;

	if (n < 2)
		return;		/* and msg may be NULL: no offset on it */
	msg = ps->errs->msg + ps->first;
	for (i = 1; i < n; i++) {
		unsigned key = ps->order[i];
		char *m = msg[i];

		for (j = i; j > 0 && ps->order[j - 1] > key; j--) {
			ps->order[j] = ps->order[j - 1];
			msg[j] = msg[j - 1];
		}
		ps->order[j] = key;
		msg[j] = m;
	}
}

void
conf_errors_free(struct conf_errors *errs)
{
	size_t i;

	if (errs == NULL)
		return;
	for (i = 0; i < errs->n; i++)
		free(errs->msg[i]);
	free(errs->msg);
	errs->msg = NULL;
	errs->n = 0;
	errs->dropped = 0;
}

/* Reentrant strerror (GNU flavour under _GNU_SOURCE). */
static const char *
errstr(int err, char *buf, size_t len)
{
	return strerror_r(err, buf, len);
}

/*
 * Reads one physical line (without its newline) into buf, which has
 * CONF_LINE_MAX + 2 bytes. Returns its length, -1 at end of file, -2 when
 * longer than CONF_LINE_MAX (the rest of the line is read and dropped:
 * memory stays bounded whatever the file holds), -3 when it holds a NUL
 * byte, -4 on a read error (never taken for the end of the file).
 */
static long
read_line(FILE *fp, char *buf, EVP_MD_CTX *sha)
{
	size_t n = 0;
	bool nul = false, over = false;
	int c;

	while ((c = getc_unlocked(fp)) != EOF && c != '\n') {
		if (c == '\0')
			nul = true;
		if (n <= CONF_LINE_MAX)
			buf[n++] = (char)c;
		else
			over = true;
	}
	if (c == EOF && ferror(fp))
		return -4;
	if (c == EOF && n == 0)
		return -1;
	buf[n] = '\0';
	/* The digest is over the bytes as they are in the file, so that for a
	 * file without list files it equals sha256sum's. */
	if (sha != NULL) {
		EVP_DigestUpdate(sha, buf, n);
		if (c == '\n')
			EVP_DigestUpdate(sha, "\n", 1);
	}
	if (over || n > CONF_LINE_MAX)
		return -2;
	return nul ? -3 : (long)n;
}

static const char blanks[] = " \t\r\n\f\v";

static bool
blank_or_comment(const char *s)
{
	s += strspn(s, blanks);
	return *s == '\0' || *s == '#';
}

/*
 * Opens path to read it, a regular file only: a device or a FIFO could
 * feed us forever, and opening a FIFO with no writer would block "-n",
 * a reload, and the stop that waits on the reload. The open itself does
 * not block. NULL with errno set, or with *irregular set.
 */
static FILE *
open_regular(const char *path, bool *irregular)
{
	struct stat st;
	FILE *fp = NULL;
	int fd, flags, e;

	*irregular = false;
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0)
		goto fail;
	if (!S_ISREG(st.st_mode)) {
		*irregular = true;
		goto fail;
	}
	if ((flags = fcntl(fd, F_GETFL)) < 0 ||
	    fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0 ||
	    (fp = fdopen(fd, "r")) == NULL)
		goto fail;
	return fp;
fail:
	e = errno;
	close(fd);
	errno = e;
	return NULL;
}

/* Calls each(ps, entry, file, line) for every entry of a list value,
 * reading absolute paths as list files. */
typedef void entry_fn(struct parser *, const char *entry, const char *file,
    unsigned line);

static void
read_list_file(struct parser *ps, const char *path, const char *file,
    unsigned line, entry_fn *each)
{
	char *buf, ebuf[128], spath[PATH_SHOWN_MAX];
	bool irregular;
	unsigned lineno = 0;
	long n;
	FILE *fp;

	if (ps->no_lists)
		return;		/* the load fails: see conf_load_as() */
	log_show(spath, sizeof(spath), path);
	if ((buf = malloc(CONF_LINE_MAX + 2)) == NULL) {
		ps->oom = true;
		return;
	}
	if ((fp = open_regular(path, &irregular)) == NULL) {
		free(buf);
		if (irregular)
			error_at(ps, file, line, "list file \"%s\" is not a "
			    "regular file", spath);
		else
			error_at(ps, file, line, "cannot read list file "
			    "\"%s\": %s", spath, errstr(errno, ebuf,
			    sizeof(ebuf)));
		return;
	}
	/* The digest covers what was read from where. */
	EVP_DigestUpdate(ps->sha, path, strlen(path) + 1);
	while ((n = read_line(fp, buf, ps->sha)) != -1) {
		char *s;
		size_t len;

		lineno++;
		if (n == -4)
			break;
		if (n == -2) {
			error_at(ps, path, lineno,
			    "line longer than %d bytes", CONF_LINE_MAX);
			continue;
		}
		if (n == -3) {
			error_at(ps, path, lineno, "NUL byte in line");
			continue;
		}
		if (blank_or_comment(buf))
			continue;
		/* Only the first field counts: "example.org OK" works. */
		s = buf + strspn(buf, blanks);
		len = strcspn(s, blanks);
		s[len] = '\0';
		if (s[0] == '/') {
			char nested[SHOWN_MAX];

			error_at(ps, path, lineno, "list files do not nest: "
			    "\"%s\" must be listed in the main file",
			    log_show(nested, sizeof(nested), s));
			continue;
		}
		each(ps, s, path, lineno);
	}
	if (ferror(fp))
		error_at(ps, file, line, "error reading list file \"%s\": %s",
		    spath, errstr(errno, ebuf, sizeof(ebuf)));
	free(buf);
	fclose(fp);
}

static void
for_each_entry(struct parser *ps, const char *value, const char *file,
    unsigned line, entry_fn *each)
{
	static const char seps[] = " \t\r\n\f\v,";
	char *copy = strdup(value), *s;

	if (copy == NULL) {
		ps->oom = true;
		return;
	}
	/* A value from the main file holds a '\n' for each line break
	 * (see read_main): an entry's line is its setting's plus those. */
	for (s = copy; ; ) {
		size_t len;
		char sep;

		for (; *s != '\0' && strchr(seps, *s) != NULL; s++)
			line += *s == '\n';
		if (*s == '\0')
			break;
		len = strcspn(s, seps);
		sep = s[len];
		s[len] = '\0';
		if (s[0] == '/')
			read_list_file(ps, s, file, line, each);
		else
			each(ps, s, file, line);
		s += len;
		if (sep != '\0') {
			line += sep == '\n';
			s++;
		}
	}
	free(copy);
}

static void
add_domain(struct parser *ps, const char *entry, const char *file,
    unsigned line)
{
	char err[ERR_MAX];

	if (!domset_add(ps->p->local_domains, entry, err, sizeof(err)))
		error_at(ps, file, line, "local_domains: %s", err);
}

static void
set_domains(struct parser *ps, const char *value, const char *file,
    unsigned line)
{
	for_each_entry(ps, value, file, line, add_domain);
}

static void
add_network(struct parser *ps, const char *entry, const char *file,
    unsigned line)
{
	char err[ERR_MAX];

	if (!netset_add(ps->p->my_networks, entry, err, sizeof(err)))
		error_at(ps, file, line, "my_networks: %s", err);
}

static void
set_networks(struct parser *ps, const char *value, const char *file,
    unsigned line)
{
	for_each_entry(ps, value, file, line, add_network);
}

static bool
is_port(const char *s, unsigned *port)
{
	unsigned v = 0;

	if (*s < '0' || *s > '9')
		return false;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9' || v > 65535)
			return false;
		v = v * 10 + (unsigned)(*s - '0');
	}
	*port = v;
	return true;
}

static bool
is_daemon_name(const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_'))
			return false;
	}
	return true;
}

/*
 * A listener in both lists is the fault of the later of the two settings
 * (a default comes before every line), so the error goes there, under
 * that setting's name. The list being applied is always the second one
 * to meet the listener; the other's error place is its setting's line.
 */
static void
in_both_lists(struct parser *ps, const char *what, const char *shown,
    const char *file, unsigned line)
{
	const char *other = strcmp(what, "smtp_ports") == 0 ?
	    "submission_ports" : "smtp_ports";
	unsigned here = ps->settings[key_index(what)].line;
	unsigned there = ps->settings[key_index(other)].line;
	unsigned about = ps->about;
	char dflt[64] = "";

	if (there > here) {
		const char *t = what;

		what = other;
		other = t;
		file = ps->path;
		line = ps->about = there;
	}
	if (here == 0 || there == 0)
		snprintf(dflt, sizeof(dflt), " (%s by default: set both "
		    "lists)", other);
	error_at(ps, file, line, "%s: \"%s\" is listed in both smtp_ports "
	    "and submission_ports%s", what, shown, dflt);
	ps->about = about;
}

static void
add_listener(struct parser *ps, enum listener kind, const char *entry,
    const char *file, unsigned line)
{
	struct policy *p = ps->p;
	struct listener_entry e = { kind, 0, NULL }, *grown;
	const char *what = kind == LISTENER_SMTP ? "smtp_ports" :
	    "submission_ports";
	char shown[SHOWN_MAX];
	size_t i;

	log_show(shown, sizeof(shown), entry);
	if (entry[0] >= '0' && entry[0] <= '9') {
		if (!is_port(entry, &e.port) || e.port == 0 || e.port > 65535) {
			error_at(ps, file, line, "%s: bad port \"%s\": a port "
			    "is a number from 1 to 65535", what, shown);
			return;
		}
	} else if (!is_daemon_name(entry) || strlen(entry) > 255) {
		error_at(ps, file, line, "%s: bad listener \"%s\": give a "
		    "port number or a {daemon_name} value (letters, digits, "
		    "'.', '-', '_')", what, shown);
		return;
	}
	for (i = 0; i < p->nlisteners; i++) {
		const struct listener_entry *o = &p->listeners[i];

		if ((e.port != 0 && o->port == e.port) || (e.port == 0 &&
		    o->name != NULL && strcmp(o->name, entry) == 0)) {
			if (o->kind != kind)
				in_both_lists(ps, what, shown, file, line);
			return;		/* a repeat in one list is harmless */
		}
	}
	if (e.port == 0 && (e.name = strdup(entry)) == NULL) {
		ps->oom = true;
		return;
	}
	grown = realloc(p->listeners, (p->nlisteners + 1) * sizeof(*grown));
	if (grown == NULL) {
		free(e.name);
		ps->oom = true;
		return;
	}
	p->listeners = grown;
	p->listeners[p->nlisteners++] = e;
}

static void
add_smtp(struct parser *ps, const char *entry, const char *file,
    unsigned line)
{
	add_listener(ps, LISTENER_SMTP, entry, file, line);
}

static void
add_submission(struct parser *ps, const char *entry, const char *file,
    unsigned line)
{
	add_listener(ps, LISTENER_SUBMISSION, entry, file, line);
}

static void
set_smtp_ports(struct parser *ps, const char *value, const char *file,
    unsigned line)
{
	for_each_entry(ps, value, file, line, add_smtp);
}

static void
set_sub_ports(struct parser *ps, const char *value, const char *file,
    unsigned line)
{
	for_each_entry(ps, value, file, line, add_submission);
}

/* Index of value in words (NULL-terminated), or -1 after an error. */
static int
pick(struct parser *ps, const char *name, const char *value,
    const char *const words[], const char *file, unsigned line)
{
	char list[128] = "", shown[SHOWN_MAX];
	int i;

	/* Any case, as Postfix takes "Yes" for yes. */
	for (i = 0; words[i] != NULL; i++)
		if (strcasecmp(value, words[i]) == 0)
			return i;
	for (i = 0; words[i] != NULL; i++) {
		strncat(list, i == 0 ? "" : words[i + 1] ? ", " : " or ",
		    sizeof(list) - strlen(list) - 1);
		strncat(list, words[i], sizeof(list) - strlen(list) - 1);
	}
	error_at(ps, file, line, "%s must be %s, not \"%s\"", name, list,
	    log_show(shown, sizeof(shown), value));
	return -1;
}

static bool
get_bool(struct parser *ps, const char *name, const char *value,
    const char *file, unsigned line, bool *out)
{
	static const char *const words[] = { "no", "yes", NULL };
	int i = pick(ps, name, value, words, file, line);

	if (i >= 0)
		*out = i == 1;
	return i >= 0;
}

static void
set_require_tls(struct parser *ps, const char *value, const char *file,
    unsigned line)
{
	get_bool(ps, "submission_require_tls", value, file, line,
	    &ps->p->submission_require_tls);
}

static void
set_log_accepts(struct parser *ps, const char *value, const char *file,
    unsigned line)
{
	get_bool(ps, "log_accepts", value, file, line, &ps->p->log_accepts);
}

static void
set_unknown(struct parser *ps, const char *value, const char *file,
    unsigned line)
{
	static const char *const words[] = {
		"smtp", "submission", "tempfail", NULL
	};
	static const enum unknown_listener vals[] = {
		UNKNOWN_AS_SMTP, UNKNOWN_AS_SUBMISSION, UNKNOWN_TEMPFAIL
	};
	int i = pick(ps, "unknown_listener", value, words, file, line);

	if (i >= 0)
		ps->p->unknown_listener = vals[i];
}

static void
set_mode(struct parser *ps, const char *value, const char *file,
    unsigned line)
{
	static const char *const words[] = { "enforce", "monitor", NULL };
	int i = pick(ps, "mode", value, words, file, line);

	if (i >= 0)
		ps->p->mode = i == 1 ? MODE_MONITOR : MODE_ENFORCE;
}

static void
set_facility(struct parser *ps, const char *value, const char *file,
    unsigned line)
{
	int f = log_facility(value);
	char shown[SHOWN_MAX];

	if (f < 0)
		error_at(ps, file, line, "syslog_facility must be mail, daemon, "
		    "user or local0 to local7, not \"%s\"",
		    log_show(shown, sizeof(shown), value));
	else
		ps->p->syslog_facility = f;
}

static void
set_ident(struct parser *ps, const char *value, const char *file,
    unsigned line)
{
	const char *s;

	for (s = value; *s != '\0'; s++) {
		if (*s <= ' ' || *s >= 0x7f || *s == ':' || *s == '[') {
			error_at(ps, file, line, "syslog_ident must be one word "
			    "of printable characters without ':' or '['");
			return;
		}
	}
	if (s == value || s - value > 64) {
		error_at(ps, file, line, "syslog_ident must be 1 to 64 bytes");
		return;
	}
	if ((ps->p->syslog_ident = strdup(value)) == NULL)
		ps->oom = true;
}

/* inet:PORT[@HOST], inet6:PORT[@HOST], unix:/PATH, local:/PATH, as
 * smfi_setconn(3) takes them. */
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
set_socket(struct parser *ps, const char *value, const char *file,
    unsigned line)
{
	const char *rest = NULL;
	char shown[SHOWN_MAX];
	unsigned port;

	log_show(shown, sizeof(shown), value);
	if (strncmp(value, "unix:", 5) == 0 || strncmp(value, "local:", 6) == 0) {
		rest = strchr(value, ':') + 1;
		if (rest[0] != '/' || strlen(rest) > 100 || has_blank(rest)) {
			error_at(ps, file, line, "milter_socket \"%s\": a unix "
			    "socket needs an absolute path of at most 100 "
			    "bytes, without spaces or control bytes", shown);
			return;
		}
	} else if (strncmp(value, "inet:", 5) == 0 ||
	    strncmp(value, "inet6:", 6) == 0) {
		char num[8];
		size_t n;

		rest = strchr(value, ':') + 1;
		n = strcspn(rest, "@");
		if (n == 0 || n >= sizeof(num)) {
			n = 0;
		} else {
			memcpy(num, rest, n);
			num[n] = '\0';
		}
		if (n == 0 || !is_port(num, &port) || port == 0 ||
		    port > 65535 || (rest[n] == '@' && rest[n + 1] == '\0') ||
		    has_blank(rest)) {
			error_at(ps, file, line, "milter_socket \"%s\": write "
			    "inet:PORT@HOST, e.g. inet:8899@127.0.0.1", shown);
			return;
		}
	} else {
		error_at(ps, file, line, "milter_socket \"%s\" must start with "
		    "inet:, inet6: or unix:", shown);
		return;
	}
	if ((ps->p->milter_socket = strdup(value)) == NULL)
		ps->oom = true;
}

/* A user or group name as useradd(8) accepts it; "" means none. */
static bool
is_account_name(const char *s)
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
set_name(struct parser *ps, const char *key, const char *value,
    const char *file, unsigned line, char **out)
{
	char shown[SHOWN_MAX];

	if (!is_account_name(value)) {
		error_at(ps, file, line, "%s \"%s\" is not a user or group "
		    "name", key, log_show(shown, sizeof(shown), value));
		return;
	}
	if ((*out = strdup(value)) == NULL)
		ps->oom = true;
}

static void
set_user(struct parser *ps, const char *value, const char *file,
    unsigned line)
{
	set_name(ps, "user", value, file, line, &ps->p->user);
}

static void
set_socket_group(struct parser *ps, const char *value, const char *file,
    unsigned line)
{
	set_name(ps, "socket_group", value, file, line, &ps->p->socket_group);
}

static void
set_run_as_root(struct parser *ps, const char *value, const char *file,
    unsigned line)
{
	get_bool(ps, "run_as_root", value, file, line, &ps->p->run_as_root);
}

static void
set_pid_file(struct parser *ps, const char *value, const char *file,
    unsigned line)
{
	char shown[SHOWN_MAX];

	if (value[0] != '\0' && (value[0] != '/' || strlen(value) > 1024 ||
	    value[strlen(value) - 1] == '/' || has_blank(value))) {
		error_at(ps, file, line, "pid_file must be an absolute file "
		    "path without spaces or control bytes, not \"%s\"",
		    log_show(shown, sizeof(shown), value));
		return;
	}
	if ((ps->p->pid_file = strdup(value)) == NULL)
		ps->oom = true;
}

static void
set_socket_mode(struct parser *ps, const char *value, const char *file,
    unsigned line)
{
	unsigned v = 0;
	const char *s;
	char shown[SHOWN_MAX];

	for (s = value; *s >= '0' && *s <= '7' && s - value < 4; s++)
		v = v * 8 + (unsigned)(*s - '0');
	if (s == value || *s != '\0' || (v & 0007) != 0) {
		error_at(ps, file, line, "socket_mode must be octal, at most "
		    "4 digits, with no access for others (e.g. 0660), not "
		    "\"%s\"", log_show(shown, sizeof(shown), value));
		return;
	}
	ps->p->socket_mode = v;
}

static int
key_index(const char *name)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].pub.name, name) == 0)
			return (int)i;
	return -1;
}

/* One logical line "name = value" that started at line. */
static void
take_setting(struct parser *ps, char *text, unsigned line)
{
	char *name = text + strspn(text, blanks), *eq, *value, *end;
	size_t nlen = strcspn(name, " \t=");
	int k;

	eq = name + nlen + strspn(name + nlen, " \t");
	if (*eq != '=') {
		error_at(ps, ps->path, line, "expected \"name = value\"");
		return;
	}
	name[nlen] = '\0';
	value = eq + 1 + strspn(eq + 1, blanks);
	end = value + strlen(value);
	while (end > value && strchr(blanks, end[-1]) != NULL)
		*--end = '\0';
	if ((k = key_index(name)) < 0) {
		char shown[SHOWN_MAX];

		error_at(ps, ps->path, line, "unknown setting \"%s\"",
		    log_show(shown, sizeof(shown), name));
		return;
	}
	if (ps->settings[k].line != 0) {
		error_at(ps, ps->path, line, "%s is set twice (first at line %u)",
		    name, ps->settings[k].line);
		return;
	}
	if ((ps->settings[k].value = strdup(value)) == NULL) {
		ps->oom = true;
		return;
	}
	/* Only a list counts its entries' lines; anything else reads its
	 * continuation lines' breaks as spaces, as before. */
	if (strcmp(keys[k].pub.type, "list") != 0)
		for (end = ps->settings[k].value; *end != '\0'; end++)
			if (*end == '\n')
				*end = ' ';
	ps->settings[k].line = line;
}

static void
read_main(struct parser *ps, FILE *fp)
{
	char *buf = malloc(CONF_LINE_MAX + 2), *logical = NULL;
	size_t llen = 0, breaks;
	unsigned lineno = 0, start = 0, last = 0;
	bool skip = false;	/* the current logical line is already in error */
	long n;

	if (buf == NULL) {
		ps->oom = true;
		return;
	}
	for (;;) {
		n = read_line(fp, buf, ps->sha);
		if (n == -4)
			break;		/* reported below: ferror() */
		if (n != -1)
			lineno++;
		if (n >= 0 && blank_or_comment(buf))
			continue;
		if (n >= 0 && (buf[0] == ' ' || buf[0] == '\t')) {
			/* A continuation, as in main.cf. */
			if (start == 0) {
				error_at(ps, ps->path, lineno, "continuation line "
				    "(it starts with white space) with no "
				    "setting before it");
				continue;
			}
			if (skip)
				continue;
			/* One '\n' per line break since the last line
			 * taken, comments and blank lines included, so that
			 * an entry's error names its own line. */
			breaks = lineno - last;
			if (llen + breaks + (size_t)n > LOGICAL_MAX) {
				error_at(ps, ps->path, start, "setting longer than "
				    "%d bytes: put long lists in a file",
				    LOGICAL_MAX);
				skip = true;
				continue;
			}
			char *grown = realloc(logical, llen + breaks +
			    (size_t)n + 1);

			if (grown == NULL) {
				ps->oom = true;
				break;
			}
			logical = grown;
			memset(logical + llen, '\n', breaks);
			llen += breaks;
			memcpy(logical + llen, buf, (size_t)n + 1);
			llen += (size_t)n;
			last = lineno;
			continue;
		}
		/* Anything else ends the logical line before it. */
		if (start != 0 && !skip)
			take_setting(ps, logical, start);
		start = 0;
		skip = false;
		llen = 0;
		if (n == -1)
			break;
		start = last = lineno;
		if (n == -2 || n == -3) {
			if (n == -2)
				error_at(ps, ps->path, lineno,
				    "line longer than %d bytes", CONF_LINE_MAX);
			else
				error_at(ps, ps->path, lineno, "NUL byte in line");
			skip = true;
			continue;
		}
		free(logical);
		if ((logical = strdup(buf)) == NULL) {
			ps->oom = true;
			break;
		}
		llen = (size_t)n;
	}
	if (ferror(fp))
		error_at(ps, ps->path, 0, "read error");
	free(buf);
	free(logical);
}

static void
set_digest(struct policy *p, EVP_MD_CTX *sha)
{
	static const char hex[] = "0123456789abcdef";
	unsigned len = 0;
	size_t i;

	EVP_DigestFinal_ex(sha, p->digest, &len);
	for (i = 0; i < sizeof(p->digest_short) - 1; i++)
		p->digest_short[i] = hex[(p->digest[i / 2] >> (i % 2 ? 0 : 4)) & 0xf];
	p->digest_short[i] = '\0';
}

/* The caller's say over the list files, before any is opened. */
static void
before_lists(struct parser *ps, conf_user_fn *as_user, void *arg)
{
	int k = key_index("user");
	const char *user = ps->settings[k].line != 0 ? ps->settings[k].value :
	    keys[k].pub.def;
	char why[ERR_MAX];

	if (!is_account_name(user)) {
		ps->no_lists = true;	/* set_user() reports it */
	} else if (!as_user(user, arg, why, sizeof(why))) {
		ps->no_lists = true;
		ps->about = UINT_MAX;
		error_at(ps, ps->path, 0, "%s", why);
	}
}

struct policy *
conf_load(const char *path, struct conf_errors *errs)
{
	return conf_load_as(path, errs, NULL, NULL);
}

struct policy *
conf_load_as(const char *path, struct conf_errors *errs,
    conf_user_fn *as_user, void *arg)
{
	struct parser ps;
	char ebuf[128];
	size_t before = errs->n + errs->dropped, i;
	bool irregular;
	FILE *fp;

	memset(&ps, 0, sizeof(ps));
	ps.path = path;
	ps.errs = errs;
	ps.first = errs->n;
	ps.p = policy_new();
	ps.sha = EVP_MD_CTX_new();
	ps.settings = calloc(NKEYS, sizeof(*ps.settings));
	if (ps.p == NULL || ps.sha == NULL || ps.settings == NULL ||
	    EVP_DigestInit_ex(ps.sha, EVP_sha256(), NULL) != 1) {
		error_at(&ps, path, 0, "out of memory");
		goto out;
	}
	if ((fp = open_regular(path, &irregular)) == NULL) {
		if (irregular)
			error_at(&ps, path, 0, "not a regular file");
		else
			error_at(&ps, path, 0, "cannot open: %s",
			    errstr(errno, ebuf, sizeof(ebuf)));
		goto out;
	}
	read_main(&ps, fp);
	fclose(fp);
	if (as_user != NULL)
		before_lists(&ps, as_user, arg);
	for (i = 0; i < NKEYS; i++) {
		const struct setting *s = &ps.settings[i];

		/* A default's errors go after every line. */
		ps.about = s->line != 0 ? s->line : UINT_MAX;
		keys[i].set(&ps, s->line != 0 ? s->value : keys[i].pub.def,
		    path, s->line);
	}
	ps.about = UINT_MAX;
	set_digest(ps.p, ps.sha);
	if (ps.oom)
		error_at(&ps, path, 0, "out of memory");
out:
	sort_errors(&ps);
	free(ps.order);
	for (i = 0; ps.settings != NULL && i < NKEYS; i++)
		free(ps.settings[i].value);
	free(ps.settings);
	EVP_MD_CTX_free(ps.sha);
	/* Skipped list files always come with an error; never a policy
	 * without them, even so. */
	if (errs->n + errs->dropped != before || ps.no_lists) {
		policy_free(ps.p);
		return NULL;
	}
	return ps.p;
}
