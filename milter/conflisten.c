/*
 * conflisten - the listener lists' setters (smtp_ports,
 * submission_ports): a port number or a {daemon_name} value per entry,
 * and a listener in both lists is an error at the later of the two
 * settings. See confparse.h.
 */
#include <stdlib.h>
#include <string.h>

#include "confparse.h"

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
	unsigned here = ps->settings[conf_key_index(what)].line;
	unsigned there = ps->settings[conf_key_index(other)].line;
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
	conf_error_at(ps, file, line, "%s: \"%s\" is listed in both smtp_ports "
	    "and submission_ports%s", what, shown, dflt);
	ps->about = about;
}

/* The entry as a listener of kind, or false after an error. */
static bool
listener_entry(struct parser *ps, enum listener kind, const char *entry,
    const char *file, unsigned line, struct listener_entry *e)
{
	const char *what = kind == LISTENER_SMTP ? "smtp_ports" :
	    "submission_ports";
	char shown[SHOWN_MAX];

	e->kind = kind;
	e->port = 0;
	e->name = NULL;
	escape_show(shown, sizeof(shown), entry);
	if (entry[0] >= '0' && entry[0] <= '9') {
		if ((e->port = policy_port(entry)) == 0) {
			conf_error_at(ps, file, line, "%s: bad port \"%s\": a "
			    "port is a number from 1 to 65535", what, shown);
			return false;
		}
	} else if (!is_daemon_name(entry) || strlen(entry) > 255) {
		conf_error_at(ps, file, line, "%s: bad listener \"%s\": give a "
		    "port number or a {daemon_name} value (letters, digits, "
		    "'.', '-', '_')", what, shown);
		return false;
	}
	return true;
}

static void
add_listener(struct parser *ps, enum listener kind, const char *entry,
    const char *file, unsigned line)
{
	struct policy *p = ps->c->policy;
	struct listener_entry e, *grown;
	char shown[SHOWN_MAX];
	size_t i;

	if (!listener_entry(ps, kind, entry, file, line, &e))
		return;
	for (i = 0; i < p->nlisteners; i++) {
		const struct listener_entry *o = &p->listeners[i];

		if ((e.port != 0 && o->port == e.port) || (e.port == 0 &&
		    o->name != NULL && strcmp(o->name, entry) == 0)) {
			if (o->kind != kind)
				in_both_lists(ps, kind == LISTENER_SMTP ?
				    "smtp_ports" : "submission_ports",
				    escape_show(shown, sizeof(shown), entry),
				    file, line);
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

void
conf_set_smtp_ports(struct parser *ps, size_t k, const char *value,
    const char *file, unsigned line)
{
	(void)k;
	conf_each_entry(ps, value, file, line, add_smtp);
}

void
conf_set_sub_ports(struct parser *ps, size_t k, const char *value,
    const char *file, unsigned line)
{
	(void)k;
	conf_each_entry(ps, value, file, line, add_submission);
}
