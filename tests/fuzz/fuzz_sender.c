/*
 * fuzz_sender - the sender ownership check: a random owner map and
 * rules, a random login and sender, sender_judge() out, and the rules
 * of README's "Sender ownership" asserted on what it found.
 *
 * The input's bytes are read as choices (fuzz.h): the mode, the implicit
 * owner, sender_login_domain, recipient_delimiter, up to 8 map entries
 * (a familiar key or any bytes, familiar owners or any bytes), then a
 * login (familiar, any bytes, or none) and a sender (a familiar local
 * part, an extension, a domain, or any bytes).
 *
 * Properties (any violation aborts):
 *  O1 a logged-in login, in a mode that checks logins (authenticated,
 *     known, all), is never accepted for an address whose first key in
 *     the map names other owners: such a sender is refused (not owned),
 *     unless it is the login's own address and sender_login_self = yes;
 *  O2 the key that decided is the first key looked up that the map has
 *     (reference: a linear scan of the entries, the first of a repeated
 *     key kept), and its owners are that entry's; the lookups stop there;
 *  O3 for a sender built from the familiar parts, the keys looked up
 *     are exactly Postfix's, in order, up to the first the map has:
 *     user+ext@domain, user@domain, then for a local domain user+ext and
 *     user, then @domain (the reference is built here);
 *  O4 without a login, in a mode that checks that (unauthenticated,
 *     known, all), a sender is refused exactly when a key was found;
 *  O5 a mode that does not look at the session, the null sender, and
 *     sender_login_check = off look nothing up.
 */
#include <ctype.h>
#include <stdio.h>

#include "fuzz.h"
#include "sender.h"

#define MAXMAP	8

static const char *const known_keys[] = {
	"alice@example.org", "@example.org", "info", "Bob+x@Example.org",
	"shared@example.org", "@corp.example", "alice", "owner-x@example.org",
	"postmaster", "a@b@c",
};
static const char *const known_owners[] = {
	"alice@example.org", "alice", "bob, carol", "ALICE@example.org, x",
	"", "printer@corp.example", "zed",
};
static const char *const known_logins[] = {
	"alice@example.org", "alice", "bob", "Carol", "zed", "printer@corp.example",
};
static const char *const known_locals[] = {
	"alice", "bob", "info", "shared", "Alice", "owner-x", "postmaster",
	"x-request", "a.b", "zed",
};
static const char *const known_domains[] = {
	"example.org", "EXAMPLE.org", "corp.example", "remote.example", "",
};
static const char *const known_delims[] = { "", "+", "+-", "-", "+." };

#define PICK(f, a) ((a)[fz_u8(f) % (sizeof(a) / sizeof((a)[0]))])

struct entry {
	char	key[SENDER_KEY_MAX];
	char	*owners;
};

struct world {
	struct sender_rules r;
	struct entry	map[MAXMAP];
	size_t		n;
	char		steps[8][SENDER_KEY_MAX];
	size_t		nsteps;
};

static void
lower_into(char *dst, const char *src, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		dst[i] = (char)tolower((unsigned char)src[i]);
	dst[n] = '\0';
}

/* The reference: the first entry with this key (keys are lower case). */
static const struct entry *
ref_find(const struct world *w, const char *key)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		if (strcmp(w->map[i].key, key) == 0)
			return &w->map[i];
	return NULL;
}

static bool
ref_owner_in(const char *owners, const char *login)
{
	char copy[512], *tok, *save;

	snprintf(copy, sizeof(copy), "%s", owners);
	for (tok = strtok_r(copy, ", \t\r\n", &save); tok != NULL;
	    tok = strtok_r(NULL, ", \t\r\n", &save))
		if (strcasecmp(tok, login) == 0)
			return true;
	return false;
}

static void
record(void *arg, const char *key, const char *owners)
{
	struct world *w = arg;

	(void)owners;
	FZ_CHECK(w->nsteps < 8, "more than 5 lookups for one sender");
	snprintf(w->steps[w->nsteps++], SENDER_KEY_MAX, "%s", key);
}

static void
add_entry(struct world *w, struct fz *f)
{
	char *key = fz_u8(f) & 1 ? fz_str(f, 40) : strdup(PICK(f, known_keys));
	char *owners = fz_u8(f) & 1 ? fz_str(f, 40) :
	    strdup(PICK(f, known_owners));
	size_t klen = strlen(key);
	enum strmap_added a;

	if (key == NULL || owners == NULL)
		abort();
	if (klen > 0 && klen < SENDER_KEY_MAX) {
		a = sender_map_add(&w->r, key, klen, owners);
		lower_into(w->map[w->n].key, key, klen);
		FZ_CHECK((a == STRMAP_DUPLICATE) ==
		    (ref_find(w, w->map[w->n].key) != NULL),
		    "sender_map_add(\"%s\") = %d, the first of a key stays", key,
		    (int)a);
		if (a == STRMAP_ADDED) {
			w->map[w->n].owners = owners;
			w->n++;
			owners = NULL;
		}
	}
	free(key);
	free(owners);
}

/* Postfix's candidate keys for a familiar sender, in order. */
static size_t
candidates(const struct world *w, const char *sender, char out[5][600])
{
	const char *s = sender, *at, *own = w->r.domain, *d;
	char local[300], dom[300];
	size_t n = strlen(s), llen, blen = 0, k = 0;
	bool localdom;

	if (n >= 2 && s[0] == '<' && s[n - 1] == '>') {
		s++;
		n -= 2;
	}
	at = memrchr(s, '@', n);
	llen = at != NULL ? (size_t)(at - s) : n;
	if (llen >= sizeof(local) || n - llen >= sizeof(dom))
		return 0;
	lower_into(local, s, llen);
	if (at != NULL)
		lower_into(dom, at + 1, n - llen - 1);
	else
		snprintf(dom, sizeof(dom), "%s", own);
	d = dom;
	if (*w->r.delimiters != '\0' && strcmp(local, "postmaster") != 0 &&
	    strcmp(local, "mailer-daemon") != 0 &&
	    strcmp(local, "double-bounce") != 0 &&
	    !(strchr(w->r.delimiters, '-') != NULL &&
	    (strncmp(local, "owner-", 6) == 0 || (llen > 8 &&
	    strcmp(local + llen - 8, "-request") == 0)))) {
		blen = strcspn(local, w->r.delimiters);
		if (blen == llen)
			blen = 0;
	}
	localdom = *d == '\0' || strcmp(d, own) == 0 ||
	    domset_contains(w->r.local_domains, d);
	if (*d != '\0') {
		snprintf(out[k++], 600, "%s@%s", local, d);
		if (blen > 0)
			snprintf(out[k++], 600, "%.*s@%s", (int)blen, local, d);
	}
	if (localdom) {
		snprintf(out[k++], 600, "%s", local);
		if (blen > 0)
			snprintf(out[k++], 600, "%.*s", (int)blen, local);
	}
	if (*d != '\0')
		snprintf(out[k++], 600, "@%s", d);
	return k;
}

/* A sender; *familiar when built from the lists above (O3 applies). */
static char *
make_sender(struct fz *f, bool *familiar)
{
	char buf[200];

	*familiar = false;
	switch (fz_u8(f) % 4) {
	case 0:
		return fz_str(f, 80);
	case 1:
		return strdup("<>");
	default:
		*familiar = true;
		snprintf(buf, sizeof(buf), "<%s%s%s%s%s>", PICK(f, known_locals),
		    fz_u8(f) & 1 ? "+ext" : "", fz_u8(f) & 1 ? "-x" : "",
		    fz_u8(f) % 4 ? "@" : "", PICK(f, known_domains));
		return strdup(buf);
	}
}

static void
judge(struct world *w, const char *login, const char *sender, bool familiar)
{
	struct sender_found sf;
	const struct entry *e = NULL;
	char cand[5][600];
	bool logged = login != NULL && *login != '\0';
	size_t i, j, k;

	w->nsteps = 0;
	sender_judge(&w->r, sender, login, &sf, record, w);
	if (getenv("FUZZ_SENDER_SHOW") != NULL)
		fprintf(stderr, "login=%s sender=%s -> %d key=%s owners=%s\n",
		    login != NULL ? login : "-", sender, (int)sf.result, sf.key,
		    sf.owners != NULL ? sf.owners : "-");
	/* O5 */
	if (sf.result == SENDER_UNCHECKED || sf.result == SENDER_BAD) {
		FZ_CHECK(w->nsteps == 0, "%zu lookups for an unchecked sender",
		    w->nsteps);
		return;
	}
	FZ_CHECK(w->r.check != SENDER_CHECK_OFF, "checked with the check off");
	FZ_CHECK(strcmp(sender, "<>") != 0, "the null sender was checked");
	/* O2 */
	for (i = 0; i < w->nsteps; i++) {
		e = ref_find(w, w->steps[i]);
		FZ_CHECK(e == NULL || i + 1 == w->nsteps, "lookups went on after "
		    "\"%s\", a key of the map", w->steps[i]);
	}
	if (sf.result == SENDER_SELF) {
		FZ_CHECK(w->r.self && logged && w->nsteps == 0,
		    "SELF without sender_login_self, a login, or after lookups");
		return;
	}
	FZ_CHECK((e != NULL) == (sf.owners != NULL) && (e == NULL ||
	    (strcmp(e->key, sf.key) == 0 && strcmp(e->owners, sf.owners) == 0)),
	    "key \"%s\" owners \"%s\"; the map's first hit is \"%s\"", sf.key,
	    sf.owners != NULL ? sf.owners : "-", e != NULL ? e->key : "-");
	/* O3 */
	if (familiar) {
		k = candidates(w, sender, cand);
		for (j = 0; j < k && ref_find(w, cand[j]) == NULL; j++)
			;
		j = j < k ? j + 1 : k;	/* up to the first hit */
		FZ_CHECK(w->nsteps == j, "%s: %zu lookups, Postfix's order "
		    "makes %zu", sender, w->nsteps, j);
		for (i = 0; i < j; i++)
			FZ_CHECK(strcmp(cand[i], w->steps[i]) == 0, "%s: lookup "
			    "%zu is \"%s\", Postfix's is \"%s\"", sender, i,
			    w->steps[i], cand[i]);
	}
	if (logged) {
		/* O1 */
		FZ_CHECK(w->r.check != SENDER_CHECK_UNAUTHENTICATED,
		    "unauthenticated mode looked at a login");
		if (e != NULL && !ref_owner_in(e->owners, login))
			FZ_CHECK(sf.result == SENDER_NOT_OWNED, "login \"%s\" "
			    "accepted for %s, which \"%s\" gives to \"%s\"",
			    login, sender, e->key, e->owners);
		if (e != NULL && ref_owner_in(e->owners, login))
			FZ_CHECK(sf.result == SENDER_OWNED, "an owner refused");
		if (e == NULL)
			FZ_CHECK(sf.result == (w->r.check == SENDER_CHECK_KNOWN ?
			    SENDER_UNOWNED : SENDER_NOT_OWNED),
			    "nobody's sender: %d", (int)sf.result);
	} else {
		/* O4 */
		FZ_CHECK(w->r.check != SENDER_CHECK_AUTHENTICATED,
		    "authenticated mode looked at a session with no login");
		FZ_CHECK(sf.result == (e != NULL ? SENDER_NOT_LOGGED_IN :
		    SENDER_UNOWNED), "no login: %d with key %s", (int)sf.result,
		    e != NULL ? e->key : "-");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	struct world *w = calloc(1, sizeof(*w));
	char *login, *sender;
	size_t i, n;
	bool familiar;

	if (w == NULL || (w->r.local_domains = domset_new()) == NULL)
		abort();
	w->r.check = (enum sender_check)(fz_u8(&f) % 5);
	w->r.self = fz_u8(&f) & 1;
	w->r.domain = strdup(fz_u8(&f) & 1 ? "example.org" : "");
	w->r.delimiters = strdup(PICK(&f, known_delims));
	if (w->r.domain == NULL || w->r.delimiters == NULL)
		abort();
	if (fz_u8(&f) & 1)
		(void)domset_add(w->r.local_domains, "corp.example", NULL, 0);
	for (n = fz_u8(&f) % (MAXMAP + 1), i = 0; i < n; i++)
		add_entry(w, &f);
	switch (fz_u8(&f) % 4) {
	case 0:
		login = NULL;
		break;
	case 1:
		login = fz_str(&f, 40);
		break;
	default:
		login = strdup(PICK(&f, known_logins));
		break;
	}
	sender = make_sender(&f, &familiar);
	if (sender == NULL)
		abort();
	judge(w, login, sender, familiar);
	free(login);
	free(sender);
	for (i = 0; i < w->n; i++)
		free(w->map[i].owners);
	sender_rules_free(&w->r);
	free(w);
	return 0;
}
