/*
 * The README's configuration table must list every key of confkeys.c's
 * table, with the same default, and no key that does not exist.
 * Runs from tests/ (make check does cd tests).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

#define README "../README.md"
#define MAN5 "../conf/relaywarden.conf.5"

/* The table row for key, as README writes it: "| `key` | `default` |"
 * or "| `key` | (empty) |". */
static void
want_row(const char *text, const struct conf_key *k)
{
	char row[256];

	if (k->def[0] != '\0')
		snprintf(row, sizeof(row), "| `%s` | `%s` |", k->name, k->def);
	else
		snprintf(row, sizeof(row), "| `%s` | (empty) |", k->name);
	ck_assert_msg(strstr(text, row) != NULL,
	    "README.md has no row starting %s", row);
}

static char *
slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf;
	long n;

	ck_assert_msg(fp != NULL, "cannot open %s", path);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	ck_assert(buf != NULL);
	ck_assert_int_eq(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

START_TEST(readme_lists_every_key)
{
	const struct conf_key *k;
	char *text = slurp(README);

	for (k = conf_keys(); k->name != NULL; k++)
		want_row(text, k);
	free(text);
}
END_TEST

/* relaywarden.conf(5) has a ".BR key \" (default: X)\"" entry per key. */
START_TEST(man_page_lists_every_key)
{
	const struct conf_key *k;
	char *text = slurp(MAN5), row[256];

	for (k = conf_keys(); k->name != NULL; k++) {
		snprintf(row, sizeof(row), ".BR %s \" (default: %s)\"", k->name,
		    k->def[0] != '\0' ? k->def : "empty");
		ck_assert_msg(strstr(text, row) != NULL,
		    "relaywarden.conf.5 has no line %s", row);
	}
	free(text);
}
END_TEST

START_TEST(readme_lists_no_other_key)
{
	char *text = slurp(README), *s, *table, *end;
	const struct conf_key *k;
	size_t rows = 0, keys = 0;

	/* Every "| `name` |" row of the Configuration section is a key,
	 * and there is one row per key (so that no row is not a pass). */
	table = strstr(text, "## Configuration");
	ck_assert(table != NULL);
	end = strstr(table + 1, "\n## ");
	if (end != NULL)
		*end = '\0';
	for (s = strstr(table, "\n| `"); s != NULL; s = strstr(s + 1, "\n| `")) {
		char name[64];
		size_t n = strcspn(s + 4, "`");

		ck_assert(n < sizeof(name));
		memcpy(name, s + 4, n);
		name[n] = '\0';
		for (k = conf_keys(); k->name != NULL; k++)
			if (strcmp(k->name, name) == 0)
				break;
		ck_assert_msg(k->name != NULL,
		    "README.md documents \"%s\", which is no key", name);
		rows++;
	}
	for (k = conf_keys(); k->name != NULL; k++)
		keys++;
	ck_assert_msg(rows == keys, "README.md's configuration table has %zu "
	    "rows for %zu keys", rows, keys);
	free(text);
}
END_TEST

Suite *
docs_suite(void)
{
	Suite *s = suite_create("docs");
	TCase *tc = tcase_create("readme");

	tcase_add_test(tc, readme_lists_every_key);
	tcase_add_test(tc, readme_lists_no_other_key);
	tcase_add_test(tc, man_page_lists_every_key);
	suite_add_tcase(s, tc);
	return s;
}
