/*
 * confsender - the sender check's settings' setters (sender_login_*,
 * recipient_delimiter) and the owner map's entries. See confparse.h and
 * sender.h.
 *
 * sender_login_maps: a key is "user@domain", "user" or "@domain"; owners
 * are logins separated by commas and/or white space.
 */
#include <stdlib.h>
#include <string.h>

#include "confparse.h"

#define WHAT	"sender_login_maps"

/* True when s (n bytes) holds a control byte. */
static bool
has_control(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < ' ' || s[i] == 0x7f)
			return true;
	return false;
}

static void
add_login_domain(struct parser *ps, const char *entry, const char *file,
    unsigned line)
{
	char err[CONF_ERR_MAX];

	if (!domset_add(ps->c->policy->sender.local_domains, entry, err,
	    sizeof(err)))
		conf_error_at(ps, file, line, "sender_login_local_domains: %s",
		    err);
}

void
conf_set_login_domains(struct parser *ps, size_t k, const char *value,
    const char *file, unsigned line)
{
	(void)k;
	conf_each_entry(ps, value, file, line, add_login_domain);
}

/* A domain, normalised as a sender's is, or "". */
void
conf_set_login_domain(struct parser *ps, size_t k, const char *value,
    const char *file, unsigned line)
{
	char domain[ADDR_DOMAIN_MAX + 1], shown[SHOWN_MAX];
	const char *why;

	if (*value != '\0' && (value[0] == '.' || value[0] == '[' ||
	    (why = addr_domain_normalize(value, strlen(value), domain)) !=
	    NULL)) {
		conf_error_at(ps, file, line, "sender_login_domain \"%s\" is "
		    "not a domain name", escape_show(shown, sizeof(shown),
		    value));
		return;
	}
	conf_set_string(ps, k, *value != '\0' ? domain : "");
}

/* Postfix's recipient_delimiter: a few printable bytes, none a letter or
 * a digit, or "". */
void
conf_set_delimiters(struct parser *ps, size_t k, const char *value,
    const char *file, unsigned line)
{
	const char *s;

	for (s = value; *s != '\0'; s++)
		if (*s <= ' ' || *s >= 0x7f || *s == '@' ||
		    (*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= 'A' && *s <= 'Z'))
			break;
	if (*s != '\0' || s - value > 16) {
		conf_error_at(ps, file, line, "recipient_delimiter must be at "
		    "most 16 printable characters, no letter, digit, '@' or "
		    "space (e.g. +)");
		return;
	}
	conf_set_string(ps, k, value);
}

/* Checks and adds one owner map entry: key, and owners (a string of its
 * own). An error is at file:line. */
static void
add_owners(struct parser *ps, const char *key, size_t klen, char *owners,
    const char *file, unsigned line)
{
	char shown[SHOWN_MAX], *k;
	const char *why = NULL;
	size_t i;

	for (i = 0; owners[i] != '\0'; i++)
		if (owners[i] == '\t' || owners[i] == '\n' || owners[i] == '\r')
			owners[i] = ' ';	/* continuation lines */
	if (klen == 0)
		why = "an empty key";
	else if (klen >= SENDER_KEY_MAX)
		why = "a key longer than an address (256 bytes)";
	else if (has_control(key, klen) || memchr(key, ' ', klen) != NULL)
		why = "a key with a space or a control byte";
	else if (klen == 1 && key[0] == '@')
		why = "\"@\" with no domain";
	else if (owners[strspn(owners, ", ")] == '\0')
		why = "no owner";
	else if (has_control(owners, strlen(owners)))
		why = "an owner with a control byte";
	if (why != NULL) {
		if ((k = strndup(key, klen < 256 ? klen : 256)) == NULL) {
			ps->oom = true;
			return;
		}
		conf_error_at(ps, file, line, WHAT ": \"%s\": %s", escape_show(
		    shown, sizeof(shown), k), why);
		free(k);
		return;
	}
	switch (sender_map_add(&ps->c->policy->sender, key, klen, owners)) {
	case STRMAP_ADDED:
	case STRMAP_DUPLICATE:		/* an earlier source has it */
		break;
	case STRMAP_TOOBIG:
		conf_error_at(ps, file, line, WHAT ": over 4 GB of entries");
		break;
	case STRMAP_NOMEM:
		ps->oom = true;
		break;
	}
}

void
conf_set_login_maps(struct parser *ps, size_t k, const char *value,
    const char *file, unsigned line)
{
	static const struct conf_map owners = {
		WHAT, "sender_login", add_owners
	};

	(void)k;
	conf_each_map_entry(ps, value, file, line, &owners);
}
