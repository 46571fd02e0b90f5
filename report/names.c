/*
 * names - small word tables. See names.h.
 */
#include <string.h>

#include "names.h"

void
names_init(struct names *t, size_t cap)
{
	memset(t, 0, sizeof(*t));
	t->cap = cap > NAMES_MAX ? NAMES_MAX : cap < 1 ? 1 : cap;
	memcpy(t->name[0], "(other)", sizeof("(other)"));
	t->len[0] = sizeof("(other)") - 1;
	t->n = 1;
}

size_t
names_index(struct names *t, const char *p, size_t n)
{
	size_t i;

	/* A linear scan: a dozen words at most in a real log. */
	for (i = 1; i < t->n; i++)
		if (t->len[i] == n && memcmp(t->name[i], p, n) == 0)
			return i;
	if (t->n == t->cap || n > NAMES_LEN)
		return NAMES_OTHER;
	memcpy(t->name[t->n], p, n);
	t->name[t->n][n] = '\0';
	t->len[t->n] = (unsigned char)n;
	return t->n++;
}

size_t
names_find(const struct names *t, const char *word)
{
	size_t i, n = strlen(word);

	for (i = 1; i < t->n; i++)
		if (t->len[i] == n && memcmp(t->name[i], word, n) == 0)
			return i;
	return (size_t)-1;
}
