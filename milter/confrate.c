/*
 * confrate - the rate limit settings' setters: windows, overrides, the
 * store, the exemptions. See confparse.h and ratelimit.h.
 */
#include <stdlib.h>
#include <string.h>

#include "confparse.h"

/* The struct limits that row k names, in the config being built. */
static struct limits *
limits_of(struct parser *ps, size_t k)
{
	return (struct limits *)((char *)ps->c + conf_rows[k].off);
}

/* Windows as words of text into l; errors name what. */
static void
parse_windows(struct parser *ps, const char *what, const char *text,
    struct limits *l, const char *file, unsigned line)
{
	char *copy = strdup(text), *w, *save = NULL, shown[SHOWN_MAX];
	const char *why;
	struct limit_window win;

	if (copy == NULL) {
		ps->oom = true;
		return;
	}
	l->n = 0;
	for (w = strtok_r(copy, conf_seps, &save); w != NULL;
	    w = strtok_r(NULL, conf_seps, &save)) {
		escape_show(shown, sizeof(shown), w);
		if ((why = limit_parse(w, &win)) != NULL)
			conf_error_at(ps, file, line, "%s: \"%s\": %s", what,
			    shown, why);
		else if (l->n == LIMIT_WINDOWS_MAX)
			conf_error_at(ps, file, line, "%s: \"%s\": at most %d "
			    "windows", what, shown, LIMIT_WINDOWS_MAX);
		else
			l->w[l->n++] = win;
	}
	free(copy);
}

void
conf_set_limits(struct parser *ps, size_t k, const char *value,
    const char *file, unsigned line)
{
	parse_windows(ps, conf_rows[k].pub.name, value, limits_of(ps, k), file,
	    line);
}

/* One override: "alice@example.org 5000/1d", "@bulk.example off". */
static void
add_override(struct parser *ps, const char *key, size_t klen, char *value,
    const char *file, unsigned line)
{
	char k[RATE_KEY_MAX], shown[SHOWN_MAX];
	struct limits l = { .n = 0 };
	const char *why;
	size_t i;
	bool login = memchr(key, '@', klen) != NULL;

	if (klen == 0 || klen >= sizeof(k) - 8 || (klen == 1 && key[0] == '@')) {
		snprintf(k, sizeof(k), "%.*s", (int)(klen < 64 ? klen : 64), key);
		conf_error_at(ps, file, line, "limit_overrides: \"%s\": a key "
		    "is a login (alice@example.org), a login domain "
		    "(@example.org) or a network (192.0.2.0/24)",
		    escape_show(shown, sizeof(shown), k));
		return;
	}
	for (i = 0; i < klen; i++)	/* logins are counted folded */
		k[i] = login && key[i] >= 'A' && key[i] <= 'Z' ?
		    (char)(key[i] - 'A' + 'a') : key[i];
	k[klen] = '\0';
	if (strcmp(value, "off") != 0) {
		parse_windows(ps, "limit_overrides", value, &l, file, line);
		if (l.n == 0)
			return;		/* said, or empty: no owner */
	}
	if (!login) {
		if ((why = ratelimit_net_override_add(&ps->c->rate, k, &l)) != NULL)
			conf_error_at(ps, file, line, "limit_overrides: \"%s\": "
			    "%s", escape_show(shown, sizeof(shown), k), why);
		return;
	}
	if (ratelimit_override_add(&ps->c->rate, k, &l) == STRMAP_NOMEM)
		ps->oom = true;
}

void
conf_set_overrides(struct parser *ps, size_t k, const char *value,
    const char *file, unsigned line)
{
	static const struct conf_map overrides = {
		"limit_overrides", "limit_overrides", add_override
	};

	(void)k;
	conf_each_map_entry(ps, value, file, line, &overrides);
}

/* "embedded", or "redis:unix:/PATH" / "redis:HOST:PORT". */
void
conf_set_store(struct parser *ps, size_t k, const char *value,
    const char *file, unsigned line)
{
	char shown[SHOWN_MAX];
	const char *r = value + 6;

	if (strcmp(value, "embedded") != 0 && !(strncmp(value, "redis:", 6) ==
	    0 && ((strncmp(r, "unix:/", 6) == 0 && strlen(r) < 110) ||
	    (strchr(r, ':') != NULL && policy_port(strrchr(r, ':') + 1) != 0 &&
	    strchr(r, ':') > r)) && strpbrk(value, " \t\r\n") == NULL)) {
		conf_error_at(ps, file, line, "ratelimit_store \"%s\": write "
		    "embedded, redis:unix:/PATH or redis:HOST:PORT",
		    escape_show(shown, sizeof(shown), value));
		return;
	}
	conf_set_string(ps, k, value);
}

/* limit_exempt: "postmaster", "null_sender", both or neither. */
static void
add_exempt(struct parser *ps, const char *entry, const char *file,
    unsigned line)
{
	char shown[SHOWN_MAX];

	if (strcmp(entry, "postmaster") == 0)
		ps->c->rate.exempt_postmaster = true;
	else if (strcmp(entry, "null_sender") == 0)
		ps->c->rate.exempt_null_sender = true;
	else
		conf_error_at(ps, file, line, "limit_exempt: \"%s\": the "
		    "exemptions are postmaster and null_sender",
		    escape_show(shown, sizeof(shown), entry));
}

void
conf_set_exempt(struct parser *ps, size_t k, const char *value,
    const char *file, unsigned line)
{
	(void)k;
	ps->c->rate.exempt_postmaster = ps->c->rate.exempt_null_sender = false;
	conf_each_word(ps, value, file, line, add_exempt);
}
