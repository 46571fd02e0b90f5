/*
 * topn: exact counts below the cap; Space-Saving at the cap (the evicted
 * key is one of the least count, the new key inherits it as its error);
 * and, over a long skewed stream, the algorithm's guarantees against an
 * exact count: every count is over by at most its error, never under, the
 * counts add up to the total, and every key seen more than total / cap
 * times is held.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "topn.h"

static const uint64_t seed[2] = { 1, 2 };

static void
add(struct topn *t, const char *key)
{
	ck_assert(topn_add(t, key, strlen(key)));
}

/* The rows as "key=count/error ...". */
static void
rows(const struct topn *t, size_t n, char *buf, size_t len)
{
	struct topn_row r[16];
	size_t i, got = topn_rows(t, r, n), o = 0;

	buf[0] = '\0';
	for (i = 0; i < got; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%s=%llu/%llu",
		    i > 0 ? " " : "", r[i].key, (unsigned long long)r[i].count,
		    (unsigned long long)r[i].error);
}

START_TEST(test_exact_below_cap)
{
	struct topn *t = topn_new(10, seed);
	char got[256];

	add(t, "b");
	add(t, "a");
	add(t, "b");
	add(t, "c");
	add(t, "b");
	add(t, "a");
	rows(t, 16, got, sizeof(got));
	ck_assert_str_eq(got, "b=3/0 a=2/0 c=1/0");
	rows(t, 2, got, sizeof(got));
	ck_assert_str_eq(got, "b=3/0 a=2/0");
	ck_assert_uint_eq(topn_total(t), 6);
	ck_assert_uint_eq(topn_size(t), 3);
	ck_assert_uint_eq(topn_evicted(t), 0);
	topn_free(t);
}
END_TEST

START_TEST(test_evict_least)
{
	struct topn *t = topn_new(2, seed);
	char got[256];

	add(t, "a");
	add(t, "a");
	add(t, "b");
	add(t, "c");	/* b (1) goes: c = 2, error 1 */
	rows(t, 16, got, sizeof(got));
	ck_assert_str_eq(got, "a=2/0 c=2/1");
	add(t, "d");	/* a or c (2) goes: d = 3, error 2 */
	ck_assert_uint_eq(topn_evicted(t), 2);
	ck_assert_uint_eq(topn_size(t), 2);
	rows(t, 1, got, sizeof(got));
	ck_assert_str_eq(got, "d=3/2");
	topn_free(t);
}
END_TEST

/* Keys with a NUL or any byte are keys like others. */
START_TEST(test_binary_keys)
{
	struct topn *t = topn_new(4, seed);
	struct topn_row r[4];

	ck_assert(topn_add(t, "a\0b", 3));
	ck_assert(topn_add(t, "a\0c", 3));
	ck_assert(topn_add(t, "a\0b", 3));
	ck_assert_uint_eq(topn_rows(t, r, 4), 2);
	ck_assert_uint_eq(r[0].count, 2);
	ck_assert_uint_eq(r[0].len, 3);
	ck_assert(memcmp(r[0].key, "a\0b", 3) == 0);
	topn_free(t);
}
END_TEST

#define KEYS	5000
#define STREAM	200000
#define CAP	200

START_TEST(test_guarantees)
{
	struct topn *t = topn_new(CAP, seed);
	static uint64_t truth[KEYS];
	struct topn_row *r = calloc(CAP, sizeof(*r));
	uint64_t x = 88172645463325252ULL, sum = 0;
	char key[16];
	size_t i, n, k;

	ck_assert(r != NULL);
	memset(truth, 0, sizeof(truth));
	for (i = 0; i < STREAM; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		/* Skewed: key k about twice as often as key 2k. */
		k = (size_t)(x % KEYS);
		k = k * (x >> 40 & 7) / 8 + (x >> 50 & 1) * (k % 16);
		k %= KEYS;
		truth[k]++;
		snprintf(key, sizeof(key), "k%zu", k);
		add(t, key);
	}
	n = topn_rows(t, r, CAP);
	ck_assert_uint_eq(n, CAP);
	for (i = 0; i < n; i++) {
		k = (size_t)strtoul(r[i].key + 1, NULL, 10);
		ck_assert_msg(r[i].count >= truth[k] &&
		    r[i].count - r[i].error <= truth[k],
		    "%s: count %llu error %llu, truly %llu", r[i].key,
		    (unsigned long long)r[i].count,
		    (unsigned long long)r[i].error,
		    (unsigned long long)truth[k]);
		ck_assert(i == 0 || r[i].count <= r[i - 1].count);
		sum += r[i].count;
	}
	ck_assert_uint_eq(sum, STREAM);
	ck_assert_uint_eq(topn_total(t), STREAM);
	for (k = 0; k < KEYS; k++) {
		if (truth[k] <= STREAM / CAP)
			continue;
		snprintf(key, sizeof(key), "k%zu", k);
		for (i = 0; i < n && strcmp(r[i].key, key) != 0; i++)
			;
		ck_assert_msg(i < n, "%s seen %llu times is not held", key,
		    (unsigned long long)truth[k]);
	}
	free(r);
	topn_free(t);
}
END_TEST

START_TEST(test_free_null)
{
	topn_free(NULL);
	ck_assert(topn_new(0, seed) == NULL);
}
END_TEST

Suite *
topn_suite(void)
{
	Suite *s = suite_create("topn");
	TCase *tc = tcase_create("topn");

	tcase_add_test(tc, test_exact_below_cap);
	tcase_add_test(tc, test_evict_least);
	tcase_add_test(tc, test_binary_keys);
	tcase_add_test(tc, test_guarantees);
	tcase_add_test(tc, test_free_null);
	suite_add_tcase(s, tc);
	return s;
}
