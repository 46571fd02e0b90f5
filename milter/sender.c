/*
 * sender - who may send as an envelope sender. See sender.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sender.h"

const char *const sender_check_words[] = {
	"off", "authenticated", "known", "unauthenticated", "all", NULL
};

/* Between owners, as Postfix's CHARS_COMMA_SP. */
static const char owner_seps[] = ", \t\r\n";

/* The keys of one sender, made once and looked up in Postfix's order. */
struct keys {
	char		full[SENDER_KEY_MAX];	/* local@domain, or local */
	size_t		llen;		/* the local part's length in full */
	size_t		blen;		/* its length without the extension;
					 * 0: no extension */
	const char	*domain;	/* "" when none */
	size_t		dlen;
	bool		local;		/* "user" keys apply */
};

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Postfix's split_addr(): the length of the local part before its
 * extension, 0 when it has none or must not be split. */
static size_t
bare_len(const char *local, size_t n, const char *delims)
{
	static const char *const whole[] = {
		"postmaster", "mailer-daemon", "double-bounce", NULL
	};
	size_t i, len;

	if (*delims == '\0')
		return 0;
	for (i = 0; whole[i] != NULL; i++)
		if (strlen(whole[i]) == n && memcmp(local, whole[i], n) == 0)
			return 0;
	if (strchr(delims, '-') != NULL && ((n >= 6 &&
	    memcmp(local, "owner-", 6) == 0) || (n > 8 &&
	    memcmp(local + n - 8, "-request", 8) == 0)))
		return 0;
	for (len = 0; len < n && strchr(delims, local[len]) == NULL; len++)
		;
	return len == 0 || len == n ? 0 : len;
}

/* Makes the keys of a parsed sender; false when they do not fit. */
static bool
make_keys(const struct sender_rules *r, const struct addr *a, struct keys *k)
{
	const char *own = r->domain != NULL ? r->domain : "";

	k->domain = a->qualified ? a->domain : own;
	k->dlen = strlen(k->domain);
	if (a->local_len + 1 + k->dlen >= sizeof(k->full))
		return false;
	k->llen = addr_unquote(a->local, a->local_len, k->full, true);
	k->blen = bare_len(k->full, k->llen, r->delimiters != NULL ?
	    r->delimiters : "");
	k->local = k->dlen == 0 || strcmp(k->domain, own) == 0 ||
	    domset_contains(r->local_domains, k->domain);
	if (k->dlen > 0) {
		k->full[k->llen] = '@';
		memcpy(k->full + k->llen + 1, k->domain, k->dlen + 1);
	} else {
		k->full[k->llen] = '\0';
	}
	return true;
}

struct lookup {
	const struct sender_rules *r;
	struct sender_found *f;
	sender_step_fn	*step;
	void		*arg;
};

/* One key (n bytes of key): its owners or NULL; a hit is kept in f. */
static const char *
try_key(const struct lookup *l, const char *key, size_t n)
{
	const char *owners = strmap_find(&l->r->owners, key, n);
	char shown[SENDER_KEY_MAX];

	if (l->step != NULL) {
		memcpy(shown, key, n);
		shown[n] = '\0';
		l->step(l->arg, shown, owners);
	}
	if (owners != NULL) {
		memcpy(l->f->key, key, n);
		l->f->key[n] = '\0';
	}
	return owners;
}

/* A key made of the local part's first llen bytes and, with at, the
 * domain. */
static const char *
try_local(const struct lookup *l, const struct keys *k, size_t llen, bool at)
{
	char key[SENDER_KEY_MAX];
	size_t n = llen;

	memcpy(key, k->full, llen);
	if (at) {
		key[n++] = '@';
		memcpy(key + n, k->domain, k->dlen);
		n += k->dlen;
	}
	return try_key(l, key, n);
}

/* mail_addr_find()'s order: user+ext@domain, user@domain, then for a
 * local domain user+ext and user, then @domain. */
static const char *
find(const struct lookup *l, const struct keys *k)
{
	const char *o = NULL;
	char key[SENDER_KEY_MAX];

	if (k->dlen > 0 && (o = try_local(l, k, k->llen, true)) != NULL)
		return o;
	if (k->dlen > 0 && k->blen > 0 &&
	    (o = try_local(l, k, k->blen, true)) != NULL)
		return o;
	if (k->local && ((o = try_local(l, k, k->llen, false)) != NULL ||
	    (k->blen > 0 && (o = try_local(l, k, k->blen, false)) != NULL)))
		return o;
	if (k->dlen > 0) {
		key[0] = '@';
		memcpy(key + 1, k->domain, k->dlen);
		o = try_key(l, key, k->dlen + 1);
	}
	return o;
}

/* The login's own address: the login itself when it has a domain, or
 * the login at rules' domain; compared with the sender with and without
 * its extension. */
static bool
is_self(const struct sender_rules *r, const struct keys *k, const char *login)
{
	const char *at = strrchr(login, '@');
	size_t ulen = at != NULL ? (size_t)(at - login) : strlen(login);
	const char *ldomain = at != NULL ? at + 1 : r->domain;

	if (ldomain == NULL || *ldomain == '\0' || k->dlen == 0 || strcasecmp(ldomain, k->domain))
		return false;
	return (ulen == k->llen && strncasecmp(login, k->full, ulen) == 0) ||
	    (k->blen > 0 && ulen == k->blen &&
	    strncasecmp(login, k->full, ulen) == 0);
}

/* Whether the mode looks at a session with (or without) a login. */
static bool
applies(enum sender_check check, bool logged_in)
{
	if (logged_in)
		return check == SENDER_CHECK_AUTHENTICATED ||
		    check == SENDER_CHECK_KNOWN || check == SENDER_CHECK_ALL;
	return check == SENDER_CHECK_UNAUTHENTICATED ||
	    check == SENDER_CHECK_KNOWN || check == SENDER_CHECK_ALL;
}

void
sender_judge(const struct sender_rules *r, const char *sender,
    const char *login, struct sender_found *f, sender_step_fn *step,
    void *arg)
{
	bool logged_in = login != NULL && *login != '\0';
	struct lookup l = { r, f, step, arg };
	struct keys k;
	struct addr a;
	const char *owners;

	f->result = SENDER_UNCHECKED;
	f->key[0] = '\0';
	f->owners = NULL;
	if (!applies(r->check, logged_in))
		return;
	switch (addr_parse(sender != NULL ? sender : "", &a)) {
	case ADDR_NULL:
		return;			/* the null sender is never checked */
	case ADDR_OK:
		break;
	case ADDR_BAD_SYNTAX:
	case ADDR_TOO_LONG:
		f->result = SENDER_BAD;
		return;
	}
	if (!make_keys(r, &a, &k)) {
		f->result = SENDER_BAD;
		return;
	}
	if (logged_in && r->self && is_self(r, &k, login)) {
		memcpy(f->key, k.full, strlen(k.full) + 1);
		f->result = SENDER_SELF;
		return;
	}
	owners = find(&l, &k);
	f->owners = owners;
	if (!logged_in)
		f->result = owners != NULL ? SENDER_NOT_LOGGED_IN :
		    SENDER_UNOWNED;
	else if (owners != NULL)
		f->result = sender_owner_in(owners, login) ? SENDER_OWNED :
		    SENDER_NOT_OWNED;
	else
		f->result = r->check == SENDER_CHECK_KNOWN ? SENDER_UNOWNED :
		    SENDER_NOT_OWNED;
}

bool
sender_owner_in(const char *owners, const char *login)
{
	size_t n = strlen(login), len;
	const char *s;

	for (s = owners + strspn(owners, owner_seps); *s != '\0';
	    s += strspn(s, owner_seps)) {
		len = strcspn(s, owner_seps);
		if (len == n && strncasecmp(s, login, n) == 0)
			return true;
		s += len;
	}
	return false;
}

enum strmap_added
sender_map_add(struct sender_rules *r, const char *key, size_t klen,
    const char *owners)
{
	char low[SENDER_KEY_MAX];
	size_t i;

	if (klen >= sizeof(low))
		return STRMAP_TOOBIG;
	for (i = 0; i < klen; i++)
		low[i] = lower(key[i]);
	return strmap_add(&r->owners, low, klen, owners, strlen(owners) + 1);
}

size_t
sender_map_count(const struct sender_rules *r)
{
	return r->owners.tab.used;
}

void
sender_rules_free(struct sender_rules *r)
{
	if (r == NULL)
		return;
	strmap_free(&r->owners);
	domset_free(r->local_domains);
	free(r->domain);
	free(r->delimiters);
	r->local_domains = NULL;
	r->domain = r->delimiters = NULL;
}
