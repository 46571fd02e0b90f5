/*
 * fuzz_domset - the local_domains parser and lookup (domset.c).
 *
 * Input: text, one item a line. A line starting with '?' is a recipient
 * domain to look up; any other line is an entry for domset_add(). All
 * entries are added first, in order.
 *
 * Checked against a plain list of the accepted entries, scanned linearly:
 *   - an entry is accepted exactly when the documented rules accept it
 *     (not empty, at most one "!" and something after it, no '@', not
 *     "type:table", a leading dot only before a domain that is not a
 *     literal, and a domain addr_domain_normalize() takes);
 *   - domset_count() is the number of distinct normalised entries, an
 *     exclusion and an inclusion of the same pattern counting once;
 *   - every lookup (of the domains asked, and of each entry, a subdomain
 *     of it, its parent and, for a wildcard, the bare domain) answers
 *     what the linear scan answers: "x" matches "x", ".x" matches any
 *     "a.x" and never "x" itself, and the first entry that matches
 *     decides ("!" excludes). A false "yes" here is an open relay.
 */
#include "addr.h"
#include "domset.h"
#include "fuzz.h"
#include "ref.h"

#define MAXLINES	1024
#define MAXEDGES	128	/* entries whose neighbours are asked about */

/* Looks up text as a recipient's domain would be: normalised first. */
static void
check_lookup(const struct domset *set, const ref_key *keys,
    size_t n, const char *text)
{
	char d[ADDR_DOMAIN_MAX + 1];
	bool got, want;

	if (addr_domain_normalize(text, strlen(text), d) != NULL)
		return;
	got = domset_contains(set, d);
	want = ref_domain_match(keys, n, d);
	FZ_CHECK(got == want, "domset_contains(\"%s\") = %d, the list says %d",
	    d, got, want);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static ref_key keys[MAXLINES];
	struct fz f = { data, size };
	char *text = fz_rest(&f), *lines[MAXLINES], err[512], buf[600];
	struct domset *set = domset_new();
	size_t n = fz_lines(text, lines, MAXLINES), nkeys = 0, distinct = 0;
	size_t i, j;

	if (set == NULL)
		abort();
	for (i = 0; i < n; i++) {
		bool got, want;

		if (lines[i][0] == '?')
			continue;
		err[0] = '\0';
		got = domset_add(set, lines[i], err, sizeof(err));
		want = ref_domain_key(lines[i], keys[nkeys]);
		FZ_CHECK(got == want, "domset_add(\"%s\") = %d, the rules say "
		    "%d (error: %s)", lines[i], got, want, err);
		if (!got) {
			FZ_CHECK(err[0] != '\0' && fz_printable(err),
			    "refused \"%s\" with a bad message \"%s\"",
			    lines[i], err);
			continue;
		}
		for (j = 0; j < nkeys && strcmp(ref_domain_name(keys[j]),
		    ref_domain_name(keys[nkeys])) != 0; j++)
			;
		distinct += j == nkeys;
		nkeys++;
	}
	FZ_CHECK(domset_count(set) == distinct, "count %zu, want %zu",
	    domset_count(set), distinct);

	for (i = 0; i < n; i++)
		if (lines[i][0] == '?')
			check_lookup(set, keys, nkeys, lines[i] + 1);
	for (i = 0; i < nkeys && i < MAXEDGES; i++) {
		const char *k = ref_domain_name(keys[i]);
		const char *body = k + (k[0] == '.'), *dot;

		check_lookup(set, keys, nkeys, body);
		snprintf(buf, sizeof(buf), "sub.%s", body);
		check_lookup(set, keys, nkeys, buf);
		snprintf(buf, sizeof(buf), "a.b.%s", body);
		check_lookup(set, keys, nkeys, buf);
		if ((dot = strchr(body, '.')) != NULL)
			check_lookup(set, keys, nkeys, dot + 1);
	}
	domset_free(set);
	free(text);
	return 0;
}
