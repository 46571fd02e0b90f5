/*
 * verify - what -n checks beyond the file. See verify.h.
 */
#include <errno.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "daemon.h"
#include "escape.h"
#include "postfix.h"
#include "verify.h"

/* The unix socket's directory must be one user can make the socket in:
 * it exists and user may write to it (-n runs as user by now), or the
 * start can make it (its parent exists). */
static bool
socket_dir(const struct config *c, char *err, size_t errlen)
{
	const char *path = conf_unix_path(c->milter_socket);
	char dir[256], shown[300];
	struct stat st;
	char *slash;

	if (path == NULL || strlen(path) >= sizeof(dir))
		return true;
	snprintf(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')) == NULL || slash == dir)
		return true;
	*slash = '\0';
	escape_show(shown, sizeof(shown), dir);
	if (stat(dir, &st) == 0) {
		if (access(dir, W_OK | X_OK) == 0)
			return true;
		snprintf(err, errlen, "milter_socket: user %s cannot make the "
		    "socket in %s: make the directory writable by it (owner "
		    "user, group socket_group, mode 0750), or remove it and "
		    "let the start make it", c->user[0] != '\0' ? c->user :
		    "(none)", shown);
		return false;
	}
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir)
		*slash = '\0';
	else
		snprintf(dir, sizeof(dir), "/");
	if (stat(dir, &st) == 0)
		return true;	/* the start makes the last directory */
	snprintf(err, errlen, "milter_socket: the directory above %s does not "
	    "exist: a socket for Postfix belongs in its queue directory "
	    "(postconf -h queue_directory): install Postfix first, or set "
	    "milter_socket to another path", shown);
	return false;
}

bool
verify_start(const struct config *c, bool as_root, char *err, size_t errlen)
{
	struct daemon_ids ids;

	if (!daemon_accounts(c->user, c->socket_group, err, errlen))
		return false;
	/* Still root here: no user was set, which the start refuses unless
	 * run_as_root says otherwise. */
	if (geteuid() == 0 && !daemon_ids(c->user, c->socket_group,
	    c->run_as_root, &ids, err, errlen))
		return false;
	return !as_root || socket_dir(c, err, errlen);
}

/* The port a master.cf service name listens on ("25", "127.0.0.1:25",
 * "[::1]:25", "smtp"), as text; "" when it has none. */
static void
service_port(const char *service, char *port, size_t len)
{
	const char *p = strrchr(service, ':');
	struct servent se, *res = NULL;
	char buf[1024];

	p = p != NULL ? p + 1 : service;
	if (policy_port(p) != 0) {
		snprintf(port, len, "%u", policy_port(p));
		return;
	}
	port[0] = '\0';
	if (getservbyname_r(p, "tcp", &se, buf, sizeof(buf), &res) == 0 &&
	    res != NULL)
		snprintf(port, len, "%d", ntohs((unsigned short)res->s_port));
}

/* The value of "-o milter_macro_daemon_name=X" in a service's line. */
static void
daemon_name(char *line, char *name, size_t len)
{
	static const char key[] = "milter_macro_daemon_name=";
	char *s = strstr(line, key);

	name[0] = '\0';
	if (s != NULL)
		snprintf(name, len, "%.*s", (int)strcspn(s + sizeof(key) - 1,
		    " \t"), s + sizeof(key) - 1);
}

/* One line of "postconf -M": a warning when it is an smtpd listener no
 * list names. */
static bool
uncovered(const struct config *c, char *line, FILE *out)
{
	char service[256], type[16], command[64], port[16], name[256];
	char s1[300], s2[300];
	enum listener kind;

	if (sscanf(line, "%255s %15s %*s %*s %*s %*s %*s %63s", service, type,
	    command) != 3 || strcmp(type, "inet") != 0 ||
	    strcmp(command, "smtpd") != 0)
		return false;
	service_port(service, port, sizeof(port));
	daemon_name(line, name, sizeof(name));
	if (policy_listener(c->policy, port, name[0] != '\0' ? name : NULL,
	    &kind))
		return false;
	fprintf(out, "warning: Postfix's smtpd service \"%s\" (port %s%s%s) "
	    "is in neither smtp_ports nor submission_ports: unknown_listener "
	    "= %s applies to its sessions\n", escape_show(s1, sizeof(s1),
	    service), port[0] != '\0' ? port : "unknown", name[0] != '\0' ?
	    ", daemon_name " : "", escape_show(s2, sizeof(s2), name),
	    policy_unknown_words[c->policy->unknown_listener]);
	return true;
}

size_t
verify_listeners(const struct config *c, FILE *out)
{
	char master[1100], err[512], *text, *line, *save = NULL;
	size_t n = 0;

	snprintf(master, sizeof(master), "%s/master.cf", c->postfix_dir);
	if (access(master, R_OK) != 0)
		return 0;
	if (!postfix_services(c->postfix_dir, &text, err, sizeof(err))) {
		fprintf(out, "warning: cannot read Postfix's services: %s\n",
		    err);
		return 0;
	}
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		n += uncovered(c, line, out);
	free(text);
	return n;
}

size_t
verify_sender(const struct config *c, FILE *out)
{
	const struct sender_rules *r = &c->policy->sender;
	const char *mode = sender_check_words[r->check];
	bool empty = sender_map_count(r) == 0;
	size_t n = 0;

	if (r->check == SENDER_CHECK_OFF)
		return 0;
	if (empty && !r->self && (r->check == SENDER_CHECK_AUTHENTICATED ||
	    r->check == SENDER_CHECK_ALL)) {
		fprintf(out, "warning: sender_login_check = %s with no owner "
		    "(sender_login_maps has no entry, sender_login_self = no): "
		    "every logged-in client's sender is refused\n", mode);
		n++;
	} else if (empty && r->check != SENDER_CHECK_AUTHENTICATED &&
	    (r->check != SENDER_CHECK_ALL || r->self)) {
		fprintf(out, "warning: sender_login_check = %s with no entry in "
		    "sender_login_maps: %s\n", mode, r->check ==
		    SENDER_CHECK_ALL ? "no sender is refused to a client "
		    "without a login" : "no sender is refused");
		n++;
	}
	if (r->self && (r->domain == NULL || r->domain[0] == '\0')) {
		fprintf(out, "warning: sender_login_self = yes without "
		    "sender_login_domain: a login without '@' owns no "
		    "address\n");
		n++;
	}
	return n;
}
