/*
 * rateredis: the Redis rate limit store's count against a real
 * redis-server (tests/redistest.h): the boundary, several cells at once,
 * give back, hold, show and reset, expiry, two stores sharing a count,
 * threads, and the embedded store's answers on the same calls. Its
 * failures are check_redisfail.c's.
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "redistest.h"

/* --- where and timeout -------------------------------------------------- */

#define HOWTO "write redis:unix:/run/redis/redis-server.sock or " \
	"redis:HOST:PORT (e.g. redis:127.0.0.1:6379)"

static const struct {
	const char *name, *spec;
	int timeout_ms;
	const char *want;	/* NULL: accepted; else the whole error */
} where_cases[] = {
	{ "socket", "unix:/run/redis/redis-server.sock", 100, NULL },
	{ "ipv4", "127.0.0.1:6379", 100, NULL },
	{ "ipv6", "[::1]:6379", 1, NULL },
	{ "name", "localhost:6379", 100, NULL },
	{ "port 65535", "127.0.0.1:65535", 100, NULL },
	{ "nothing", "", 100, "no server after \"redis:\": " HOWTO },
	{ "relative socket", "unix:run/redis.sock", 100,
	  "the socket path \"run/redis.sock\" is not absolute: " HOWTO },
	{ "socket path too long", "unix:/" "0123456789012345678901234567890123"
	  "4567890123456789012345678901234567890123456789012345678901234567"
	  "890123456789", 100, "the socket path \"/0123456789012345678901234"
	  "56789012345678901234567890123456789012...\" is longer than 107 "
	  "bytes, the most a unix socket address holds" },
	{ "no port", "localhost", 100, "\"localhost\" has no port: " HOWTO },
	{ "port 0", "localhost:0", 100,
	  "the port of \"localhost:0\" is not a number from 1 to 65535: " HOWTO },
	{ "port too big", "127.0.0.1:65536", 100, "the port of "
	  "\"127.0.0.1:65536\" is not a number from 1 to 65535: " HOWTO },
	{ "port not a number", "localhost:redis", 100, "the port of "
	  "\"localhost:redis\" is not a number from 1 to 65535: " HOWTO },
	{ "no host", ":6379", 100,
	  "\":6379\" has no host name or address before its port: " HOWTO },
	{ "bad host", "red_is:6379", 100,
	  "\"red_is:6379\" has no host name or address before its port: " HOWTO },
	{ "ipv6 without brackets", "::1:6379", 100, "\"::1:6379\": an IPv6 "
	  "address goes in brackets, e.g. redis:[::1]:6379" },
	{ "brackets without ipv6", "[localhost]:6379", 100, "\"[localhost]:6379\" "
	  "has no IPv6 address between its brackets: write e.g. "
	  "redis:[::1]:6379" },
	{ "control byte", "local\nhost:1", 100, "\"local\\x0ahost:1\" has no "
	  "host name or address before its port: " HOWTO },
	{ "timeout 0", "127.0.0.1:6379", 0, "a timeout of 0 ms: give 1 ms or "
	  "more" },
};

START_TEST(test_where)
{
	char err[512];
	struct rate_store *s;
	int i;

	for (i = 0; i < NCASES(where_cases); i++) {
		err[0] = '\0';
		s = rateredis_new(where_cases[i].spec, where_cases[i].timeout_ms,
		    err, sizeof(err));
		if (where_cases[i].want == NULL)
			ck_assert_msg(s != NULL && strcmp(s->name, "redis") == 0,
			    "%s: refused (%s), want accepted",
			    where_cases[i].name, err);
		else
			ck_assert_msg(s == NULL &&
			    strcmp(err, where_cases[i].want) == 0,
			    "%s: got %s \"%s\", want refused with \"%s\"",
			    where_cases[i].name, s != NULL ? "accepted" :
			    "refused", err, where_cases[i].want);
		rate_store_free(s);
	}
	/* Resolution failures: the resolver's own words in the middle. */
	s = rateredis_new("no-such-host.invalid:6379", 100, err, sizeof(err));
	ck_assert_msg(s == NULL && strncmp(err, "cannot resolve "
	    "\"no-such-host.invalid\" (", 38) == 0 && strstr(err, "): give an "
	    "address, or a name that resolves at start") != NULL,
	    "unknown name: got \"%s\"", err);
	rate_store_free(NULL);
}
END_TEST

/* --- the count ---------------------------------------------------------- */

/* 100/1h: 100 pass, the 101st is refused ("first"), the 102nd too (not
 * "first"); one round trip per take once connected; the embedded store
 * answers the same. */
START_TEST(test_boundary)
{
	struct rate_cell c = cell("login:alice@example.org", 100, 3600, 1);
	struct rate_store *s, *m;
	struct rate_result r;
	unsigned long trips;
	char what[64];
	int i;

	NEED_REDIS();
	s = store();
	m = embedded();
	take_both("take 1", s, m, &c, 1, &r);
	want_result("take 1", &r, RATE_OK, 0, false, 0);
	trips = rateredis_round_trips(s);
	ck_assert_msg(trips == 2, "first take: %lu round trips, want 2 "
	    "(connect and SCRIPT LOAD, then EVALSHA)", trips);
	for (i = 2; i <= 102; i++) {
		snprintf(what, sizeof(what), "take %d", i);
		take_both(what, s, m, &c, 1, &r);
		if (i <= 100)
			want_result(what, &r, RATE_OK, 0, false, 0);
		else
			want_result(what, &r, RATE_OVER, 0, i == 101, 100);
	}
	/* T = 36 s: the 101st would fit 36 s after the first take. */
	ck_assert_msg(r.retry > 36000000 - RETRY_SLACK && r.retry <= 36000000,
	    "retry: got %lld us, want about 36 s", (long long)r.retry);
	trips = rateredis_round_trips(s) - trips;
	ck_assert_msg(trips == 101, "takes 2 to 102: %lu round trips, want "
	    "101", trips);
	rate_store_free(s);
	rate_store_free(m);
}
END_TEST

/* Several cells: all or none. The refused one is named, and the others
 * keep their count. */
START_TEST(test_all_or_nothing)
{
	struct rate_cell c[3] = {
		cell("login:bob@example.org", 100, 3600, 1),
		cell("login:bob@example.org", 1000, 86400, 1),
		cell("client:192.0.2.1", 3, 3600, 1),
	};
	struct rate_store *s, *m;
	struct rate_result r;
	bool ok;
	char *text;
	int i;

	NEED_REDIS();
	s = store();
	m = embedded();
	for (i = 0; i < 3; i++) {
		take_both("take", s, m, c, 3, &r);
		want_result("take", &r, RATE_OK, 0, false, 0);
	}
	take_both("4th", s, m, c, 3, &r);
	want_result("4th", &r, RATE_OVER, 2, true, 3);
	take_both("5th", s, m, c, 3, &r);
	want_result("5th", &r, RATE_OVER, 2, false, 3);
	text = shown(s, c, 2, &ok);
	ck_assert_msg(ok && strcmp(text, "login:bob@example.org 100/1h: 3 used, "
	    "not held\nlogin:bob@example.org 1000/1d: 3 used, not held\n") == 0,
	    "after two refusals: got \"%s\"", text);
	free(text);
	/* Cost 2 for a login and a client with 0 left: refused at the
	 * client, the login's count as it was. */
	c[0].cost = c[2].cost = 2;
	c[1] = c[2];
	take_both("cost 2", s, m, c, 2, &r);
	want_result("cost 2", &r, RATE_OVER, 1, false, 3);
	text = shown(s, c, 1, &ok);
	ck_assert_msg(ok && strcmp(text, "login:bob@example.org 100/1h: 3 used, "
	    "not held\n") == 0, "after a refusal at cost 2: got \"%s\"", text);
	free(text);
	rate_store_free(s);
	rate_store_free(m);
}
END_TEST

/* A reservation given back makes room again, and the next refusal is a
 * "first" one again since a unit went through. A cell Redis does not
 * have stays absent. */
START_TEST(test_give_back)
{
	struct rate_cell c = cell("login:carol@example.org", 5, 3600, 1);
	struct rate_cell gone = cell("login:nobody@example.org", 5, 3600, 1);
	char key[RATEREDIS_KEY_MAX];
	struct rate_store *s, *m;
	struct rate_result r;
	int i;

	NEED_REDIS();
	s = store();
	m = embedded();
	for (i = 0; i < 5; i++)
		take_both("fill", s, m, &c, 1, &r);
	take_both("full", s, m, &c, 1, &r);
	want_result("full", &r, RATE_OVER, 0, true, 5);
	s->ops->give_back(s, &c, 1);
	m->ops->give_back(m, &c, 1);
	take_both("after give back", s, m, &c, 1, &r);
	want_result("after give back", &r, RATE_OK, 0, false, 0);
	take_both("full again", s, m, &c, 1, &r);
	want_result("full again", &r, RATE_OVER, 0, true, 5);
	/* All given back: the key is gone (it held no trip: let through). */
	c.cost = 5;
	s->ops->give_back(s, &c, 1);
	m->ops->give_back(m, &c, 1);
	rateredis_key(&c, key, sizeof(key));
	ck_assert_msg(redis_int("EXISTS", key) == 1, "a tripped cell given "
	    "back whole: the key is gone, want it kept for its trip");
	take_both("after all given back", s, m, &c, 1, &r);
	want_result("after all given back", &r, RATE_OK, 0, false, 0);
	s->ops->give_back(s, &c, 1);
	ck_assert_msg(redis_int("EXISTS", key) == 0, "given back whole: "
	    "the key is still there, want it gone");
	s->ops->give_back(s, &gone, 1);
	rateredis_key(&gone, key, sizeof(key));
	ck_assert_msg(redis_int("EXISTS", key) == 0, "a give back made a key");
	rate_store_free(s);
	rate_store_free(m);
}
END_TEST

/* hold(): take() says "held" for a call with that cell, for one period of
 * its window; show() says so; the key lives as long as the hold. */
START_TEST(test_hold)
{
	struct rate_cell c[2] = {
		cell("login:dave@example.org", 100, 3600, 1),
		cell("client:192.0.2.7", 1000, 86400, 1),
	};
	char key[RATEREDIS_KEY_MAX], *text;
	struct rate_store *s, *m;
	struct rate_result r;
	long long pttl;
	bool ok;

	NEED_REDIS();
	s = store();
	m = embedded();
	take_both("before", s, m, c, 2, &r);
	want_result("before", &r, RATE_OK, 0, false, 0);
	ck_assert_msg(!r.held, "before any hold: held");
	s->ops->hold(s, &c[0]);
	m->ops->hold(m, &c[0]);
	take_both("held", s, m, c, 2, &r);
	ck_assert_msg(r.answer == RATE_OK && r.held, "after hold: got %s "
	    "held %d, want OK held", answers[r.answer], r.held);
	take_both("the other cell", s, m, &c[1], 1, &r);
	ck_assert_msg(r.answer == RATE_OK && !r.held, "another cell: got %s "
	    "held %d, want OK not held", answers[r.answer], r.held);
	rateredis_key(&c[0], key, sizeof(key));
	pttl = redis_int("PTTL", key);
	ck_assert_msg(pttl > 3590000 && pttl <= 3600001, "held key: PTTL %lld "
	    "ms, want about an hour", pttl);
	text = shown(s, c, 2, &ok);
	ck_assert_msg(ok && strcmp(text, "login:dave@example.org 100/1h: 2 used, "
	    "held\nclient:192.0.2.7 1000/1d: 3 used, not held\n") == 0,
	    "show: got \"%s\"", text);
	free(text);
	rate_store_free(s);
	rate_store_free(m);
}
END_TEST

/* show() writes every window; reset() forgets them all (no key left). */
START_TEST(test_show_reset)
{
	struct rate_cell c[3] = {
		cell("login:erin@example.org", 100, 3600, 1),
		cell("login:erin@example.org", 2, 60, 1),
		cell("login:erin@example.org", 5000, 86400, 1),
	};
	char key[RATEREDIS_KEY_MAX], *text;
	struct rate_store *s;
	struct rate_result r;
	bool ok;
	int i;

	NEED_REDIS();
	s = store();
	text = shown(s, c, 3, &ok);
	ck_assert_msg(ok && strcmp(text, "login:erin@example.org 100/1h: 0 used, "
	    "not held\nlogin:erin@example.org 2/1m: 0 used, not held\n"
	    "login:erin@example.org 5000/1d: 0 used, not held\n") == 0,
	    "nothing yet: got \"%s\"", text);
	free(text);
	for (i = 0; i < 3; i++)
		s->ops->take(s, c, 3, &r);
	want_result("3rd", &r, RATE_OVER, 1, true, 2);
	text = shown(s, c, 3, &ok);
	ck_assert_msg(ok && strcmp(text, "login:erin@example.org 100/1h: 2 used, "
	    "not held\nlogin:erin@example.org 2/1m: 2 used, not held, refusing\n"
	    "login:erin@example.org 5000/1d: 2 used, not held\n") == 0,
	    "after a refusal: got \"%s\"", text);
	free(text);
	ck_assert(s->ops->reset(s, c, 3));
	for (i = 0; i < 3; i++) {
		rateredis_key(&c[i], key, sizeof(key));
		ck_assert_msg(redis_int("EXISTS", key) == 0, "after reset: %s "
		    "is still there", key);
	}
	s->ops->take(s, c, 3, &r);
	want_result("after reset", &r, RATE_OK, 0, false, 0);
	rate_store_free(s);
}
END_TEST

/* Every key expires when its cell is empty again; a cell's value is an
 * integer (Redis keeps it inside the key: no allocation of its own). */
START_TEST(test_expiry)
{
	struct rate_cell c[3] = {
		cell("login:frank@example.org", 100, 3600, 1),
		cell("login:frank@example.org", 1000, 86400, 3),
		cell("client:192.0.2.9", 2, 1, 1),
	};
	static const long long want_ms[3] = { 36000, 3 * 86400, 500 };
	char key[RATEREDIS_KEY_MAX];
	const char *argv[] = { "OBJECT", "ENCODING", key };
	struct rate_store *s;
	struct rate_result r;
	redisReply *rep;
	long long pttl;
	int i;

	NEED_REDIS();
	s = store();
	s->ops->take(s, c, 3, &r);
	want_result("take", &r, RATE_OK, 0, false, 0);
	for (i = 0; i < 3; i++) {
		rateredis_key(&c[i], key, sizeof(key));
		pttl = redis_int("PTTL", key);
		/* PXAT is the end rounded up to a millisecond. */
		ck_assert_msg(pttl > want_ms[i] - 2000 && pttl <= want_ms[i] + 1,
		    "%s: PTTL %lld ms, want about %lld", key, pttl, want_ms[i]);
		rep = redisrun_cmd(&srv, 3, argv);
		ck_assert_msg(rep != NULL && rep->type == REDIS_REPLY_STRING &&
		    strcmp(rep->str, "int") == 0, "%s: encoding \"%s\", want "
		    "int", key, rep != NULL && rep->str != NULL ? rep->str : "?");
		freeReplyObject(rep);
	}
	sleep_ms(700);
	ck_assert_msg(redis_int("EXISTS", key) == 0, "%s: still there after "
	    "its cell is empty", key);
	rate_store_free(s);
}
END_TEST

/* Two stores, two pools of connections: two relaywarden servers. They
 * share one count, and one refusal is "first" for both. */
START_TEST(test_two_stores)
{
	struct rate_cell c = cell("login:grace@example.org", 100, 3600, 1);
	struct rate_store *s[2];
	struct rate_result r;
	int i;

	NEED_REDIS();
	s[0] = store();
	s[1] = store();
	for (i = 0; i < 100; i++) {
		s[i % 2]->ops->take(s[i % 2], &c, 1, &r);
		want_result("shared", &r, RATE_OK, 0, false, 0);
	}
	s[1]->ops->take(s[1], &c, 1, &r);
	want_result("101st on the second", &r, RATE_OVER, 0, true, 100);
	s[0]->ops->take(s[0], &c, 1, &r);
	want_result("102nd on the first", &r, RATE_OVER, 0, false, 100);
	s[0]->ops->give_back(s[0], &c, 1);
	s[1]->ops->take(s[1], &c, 1, &r);
	want_result("given back on the first, taken on the second", &r,
	    RATE_OK, 0, false, 0);
	rate_store_free(s[0]);
	rate_store_free(s[1]);
}
END_TEST

#define THREADS	8
#define TAKES	100

struct taker {
	struct rate_store *s;
	int	ok, over, down;
};

static void *
take_many(void *arg)
{
	struct rate_cell c[2] = {
		cell("login:heidi@example.org", 600, 3600, 1),
		cell("login:heidi@example.org", 100000, 86400, 1),
	};
	struct taker *t = arg;
	struct rate_result r;
	int i;

	for (i = 0; i < TAKES; i++) {
		t->s->ops->take(t->s, c, 2, &r);
		t->ok += r.answer == RATE_OK;
		t->over += r.answer == RATE_OVER;
		t->down += r.answer == RATE_DOWN;
	}
	return NULL;
}

/* 8 threads on one store (a connection each at a time) take 800 units
 * of a window of 600: exactly 600 pass. */
START_TEST(test_threads)
{
	struct taker t[THREADS];
	pthread_t th[THREADS];
	struct rate_store *s;
	int i, ok = 0, over = 0, down = 0;

	NEED_REDIS();
	s = store();
	for (i = 0; i < THREADS; i++) {
		t[i] = (struct taker){ s, 0, 0, 0 };
		ck_assert(pthread_create(&th[i], NULL, take_many, &t[i]) == 0);
	}
	for (i = 0; i < THREADS; i++) {
		ck_assert(pthread_join(th[i], NULL) == 0);
		ok += t[i].ok;
		over += t[i].over;
		down += t[i].down;
	}
	ck_assert_msg(ok == 600 && over == THREADS * TAKES - 600 && down == 0,
	    "got %d OK, %d OVER, %d DOWN; want 600, %d, 0", ok, over, down,
	    THREADS * TAKES - 600);
	rate_store_free(s);
}
END_TEST

/* Each line the embedded store shows, Redis shows too; Redis's other
 * lines are windows it has nothing for (ratemem writes only those it
 * has, when it has any). */
static void
want_shown_alike(const char *what, struct rate_store *s, struct rate_store *m,
    const struct rate_cell *c, size_t n)
{
	char *rt, *mt, *line, *save = NULL;
	bool ok;

	rt = shown(s, c, n, &ok);
	ck_assert_msg(ok, "%s: show failed", what);
	mt = shown(m, c, n, &ok);
	for (line = strtok_r(mt, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		ck_assert_msg(strstr(rt, line) != NULL, "%s: redis shows \"%s\","
		    " without the embedded store's \"%s\"", what, rt, line);
	free(rt);
	free(mt);
}

/* A few hundred calls drawn at random (a fixed seed) on both stores, on
 * overlapping cells: the same answers, and alike show() output. */
START_TEST(test_like_embedded)
{
	struct rate_cell pool[5] = {
		cell("login:ivan@example.org", 5, 3600, 1),
		cell("login:ivan@example.org", 12, 86400, 1),
		cell("client:198.51.100.4", 8, 7200, 1),
		cell("network:198.51.100.0/24", 20, 3600, 1),
		cell("login:judy@example.org", 3, 1800, 1),
	};
	struct rate_cell c[4];
	struct rate_store *s, *m;
	struct rate_result r;
	uint32_t seed = 12345;
	char what[64];
	size_t n, i, first;
	int step, op, seen[3] = { 0, 0, 0 };

	NEED_REDIS();
	s = store();
	m = embedded();
	for (step = 0; step < 400; step++) {
		seed = seed * 1103515245u + 12345u;
		op = (int)(seed >> 16) % 20;
		first = (seed >> 8) % 5;
		n = 1 + (seed >> 4) % 4;
		for (i = 0; i < n; i++) {
			c[i] = pool[(first + i) % 5];
			c[i].cost = 1 + (uint32_t)((seed >> (20 + i)) % 3);
		}
		snprintf(what, sizeof(what), "step %d (op %d, %zu cells)",
		    step, op, n);
		if (op < 14) {
			take_both(what, s, m, c, n, &r);
			seen[r.answer]++;
		} else if (op < 17) {
			s->ops->give_back(s, c, n);
			m->ops->give_back(m, c, n);
		} else if (op < 18) {
			s->ops->hold(s, &c[0]);
			m->ops->hold(m, &c[0]);
		} else
			want_shown_alike(what, s, m, c, n);
	}
	want_shown_alike("at the end", s, m, pool, 5);
	ck_assert_msg(seen[RATE_OK] >= 50 && seen[RATE_OVER] >= 50 &&
	    seen[RATE_DOWN] == 0, "the draw: %d OK, %d OVER, %d DOWN; want "
	    "50 or more of each of OK and OVER", seen[RATE_OK],
	    seen[RATE_OVER], seen[RATE_DOWN]);
	rate_store_free(s);
	rate_store_free(m);
}
END_TEST

Suite *
rateredis_suite(void)
{
	Suite *s = suite_create("rateredis");
	TCase *where = tcase_create("where"), *tc = tcase_create("count");

	tcase_add_test(where, test_where);
	suite_add_tcase(s, where);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_boundary);
	tcase_add_test(tc, test_all_or_nothing);
	tcase_add_test(tc, test_give_back);
	tcase_add_test(tc, test_hold);
	tcase_add_test(tc, test_show_reset);
	tcase_add_test(tc, test_expiry);
	tcase_add_test(tc, test_two_stores);
	tcase_add_test(tc, test_threads);
	tcase_add_test(tc, test_like_embedded);
	suite_add_tcase(s, tc);
	return s;
}
