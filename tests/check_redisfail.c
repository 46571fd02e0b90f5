/*
 * redisfail: the Redis rate limit store when Redis fails it, against a
 * real redis-server (tests/redistest.h) and a fake one: scripts flushed,
 * a key of ours overwritten by another program, Redis killed, hung and
 * restarted, and a server that answers garbage. Each makes a call answer
 * RATE_DOWN within its timeout (or recover), with one log line per
 * change, never one per call.
 */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "redistest.h"

static struct rate_result
take1(struct rate_store *s, const struct rate_cell *c)
{
	struct rate_result r;

	s->ops->take(s, c, 1, &r);
	return r;
}

/* SCRIPT FLUSH: the next call runs its script again with EVAL (the count
 * goes on), says so once, and the call after it is one EVALSHA again. */
START_TEST(test_noscript)
{
	struct rate_cell c = cell("login:kim@example.org", 100, 3600, 1);
	const char *flush[] = { "SCRIPT", "FLUSH" };
	struct rate_store *s;
	struct rate_result r;
	unsigned long trips;
	char *text;
	bool ok;

	NEED_REDIS();
	s = store();
	r = take1(s, &c);
	want_result("before", &r, RATE_OK, 0, false, 0);
	redis_do(2, flush);
	trips = rateredis_round_trips(s);
	r = take1(s, &c);
	want_result("after SCRIPT FLUSH", &r, RATE_OK, 0, false, 0);
	ck_assert_msg(rateredis_round_trips(s) - trips == 2, "after SCRIPT "
	    "FLUSH: %lu round trips, want 2 (NOSCRIPT, then EVAL)",
	    rateredis_round_trips(s) - trips);
	want_log("NOSCRIPT", "relaywarden's scripts were gone (SCRIPT FLUSH, "
	    "or a restart): loaded again");
	trips = rateredis_round_trips(s);
	r = take1(s, &c);
	want_result("the next", &r, RATE_OK, 0, false, 0);
	ck_assert_msg(rateredis_round_trips(s) - trips == 1, "the next take: "
	    "%lu round trips, want 1", rateredis_round_trips(s) - trips);
	text = shown(s, &c, 1, &ok);
	ck_assert_msg(ok && strcmp(text, "login:kim@example.org 100/1h: 3 used, "
	    "not held\n") == 0, "show: got \"%s\"", text);
	free(text);
	want_no_log("after the reload");
	rate_store_free(s);
}
END_TEST

/* Another program wrote at one of our keys: a call with that cell
 * answers DOWN (it cannot be counted) and takes nothing anywhere; the
 * log says which key, once; other keys go on. */
START_TEST(test_wrong_type)
{
	struct rate_cell c[2] = {
		cell("login:leo@example.org", 100, 3600, 1),
		cell("client:203.0.113.5", 100, 3600, 1),
	};
	char key[RATEREDIS_KEY_MAX], other[RATEREDIS_KEY_MAX];
	const char *list[] = { "RPUSH", key, "x" };
	const char *text[] = { "SET", key, "hello" };
	const char *del[] = { "DEL", key };
	struct rate_store *s;
	struct rate_result r;
	char *out;
	bool ok;

	NEED_REDIS();
	s = store();
	rateredis_key(&c[1], key, sizeof(key));
	rateredis_key(&c[0], other, sizeof(other));
	redis_do(3, list);
	s->ops->take(s, c, 2, &r);
	want_result("a list at the key", &r, RATE_DOWN, 0, false, 0);
	want_log("a list", "take: relaywarden:v1:client:203.0.113.5:3600 is not "
	    "a relaywarden cell: WRONGTYPE Operation against a key holding "
	    "the wrong kind of value (answered \"store down\")");
	ck_assert_msg(redis_int("EXISTS", other) == 0, "the other cell of a "
	    "call answered DOWN was taken");
	s->ops->take(s, c, 2, &r);
	want_result("again", &r, RATE_DOWN, 0, false, 0);
	want_no_log("the same error again");
	out = shown(s, c, 2, &ok);
	ck_assert_msg(!ok && out[0] == '\0', "show: got %d \"%s\", want "
	    "false and nothing", ok, out);
	free(out);
	want_log("show", "show: relaywarden:v1:client:203.0.113.5:3600 is not "
	    "a relaywarden cell: WRONGTYPE");
	r = take1(s, &c[0]);
	want_result("the other key alone", &r, RATE_OK, 0, false, 0);
	redis_do(3, text);
	r = take1(s, &c[1]);
	want_result("a string", &r, RATE_DOWN, 0, false, 0);
	want_log("a string", "take: relaywarden:v1:client:203.0.113.5:3600 holds "
	    "a value that is not a relaywarden cell (answered \"store down\")");
	redis_do(2, del);
	r = take1(s, &c[1]);
	want_result("deleted", &r, RATE_OK, 0, false, 0);
	want_no_log("recovered");
	rate_store_free(s);
}
END_TEST

/* Two bad keys met in turn: one line each, not one per call. */
START_TEST(test_two_bad_keys)
{
	struct rate_cell c[2] = {
		cell("login:ray@example.org", 100, 3600, 1),
		cell("login:sam@example.org", 100, 3600, 1),
	};
	char key[2][RATEREDIS_KEY_MAX];
	const char *list[] = { "RPUSH", key[0], "x" };
	const char *text[] = { "SET", key[1], "12 34 56" };
	struct rate_store *s;
	struct rate_result r;
	int i;

	NEED_REDIS();
	s = store();
	rateredis_key(&c[0], key[0], sizeof(key[0]));
	rateredis_key(&c[1], key[1], sizeof(key[1]));
	redis_do(3, list);
	redis_do(3, text);
	for (i = 0; i < 10; i++) {
		r = take1(s, &c[i % 2]);
		want_result("a bad key", &r, RATE_DOWN, 0, false, 0);
	}
	want_log("the list", "take: relaywarden:v1:login:ray@example.org:3600 "
	    "is not a relaywarden cell: WRONGTYPE");
	want_log("the string", "take: relaywarden:v1:login:sam@example.org:3600 "
	    "holds a value that is not a relaywarden cell");
	want_no_log("ten calls in turn");
	rate_store_free(s);
}
END_TEST

/* Redis killed: DOWN at once (connection refused), logged once; then,
 * for a second, DOWN without a system call. */
START_TEST(test_killed)
{
	struct rate_cell c = cell("login:mia@example.org", 100, 3600, 1);
	struct rate_store *s;
	struct rate_result r;
	int64_t t0, took;
	char *out;
	bool ok;
	int i;

	NEED_REDIS();
	s = store();
	r = take1(s, &c);
	want_result("before", &r, RATE_OK, 0, false, 0);
	redisrun_end(&srv, SIGKILL);
	t0 = mono_us();
	r = take1(s, &c);
	took = mono_us() - t0;
	want_result("killed", &r, RATE_DOWN, 0, false, 0);
	ck_assert_msg(took < (TIMEOUT_MS + MARGIN_MS) * 1000, "killed: the "
	    "call took %lld us, want under %d ms", (long long)took,
	    TIMEOUT_MS + MARGIN_MS);
	want_log("killed", "cannot connect: Connection refused; rate limits "
	    "cannot be counted until it answers (tried again every second)");
	t0 = mono_us();
	for (i = 0; i < 1000; i++) {
		r = take1(s, &c);
		ck_assert_int_eq(r.answer, RATE_DOWN);
	}
	took = mono_us() - t0;
	ck_assert_msg(took < 200000, "1000 calls while down took %lld us, "
	    "want under 200 ms", (long long)took);
	s->ops->give_back(s, &c, 1);
	s->ops->hold(s, &c);
	out = shown(s, &c, 1, &ok);
	ck_assert_msg(!ok && out[0] == '\0', "show while down: got %d \"%s\"",
	    ok, out);
	free(out);
	ck_assert_msg(!s->ops->reset(s, &c, 1), "reset while down: true");
	want_no_log("while down");
	rate_store_free(s);
}
END_TEST

/* Redis hung (SIGSTOP): DOWN after the timeout, not later; after SIGCONT
 * and the second of back-off, it answers again, and the log says so. */
START_TEST(test_hung)
{
	struct rate_cell c = cell("login:nina@example.org", 100, 3600, 1);
	struct rate_store *s;
	struct rate_result r;
	int64_t t0, took;

	NEED_REDIS();
	s = store();
	r = take1(s, &c);
	want_result("before", &r, RATE_OK, 0, false, 0);
	redisrun_signal(&srv, SIGSTOP);
	t0 = mono_us();
	r = take1(s, &c);
	took = mono_us() - t0;
	want_result("hung", &r, RATE_DOWN, 0, false, 0);
	ck_assert_msg(took >= TIMEOUT_MS * 1000 - 1000 &&
	    took < (TIMEOUT_MS + MARGIN_MS) * 1000, "hung: the call took %lld "
	    "us, want %d ms and under %d ms more", (long long)took, TIMEOUT_MS,
	    MARGIN_MS);
	want_log("hung", "no answer in time; rate limits cannot be counted");
	redisrun_signal(&srv, SIGCONT);
	sleep_ms(1100);
	r = take1(s, &c);
	want_result("going on", &r, RATE_OK, 0, false, 0);
	want_log("going on", "answers again");
	want_no_log("up again");
	rate_store_free(s);
}
END_TEST

/* Redis restarted (empty, its counts lost): the next call replaces the
 * dead pooled connection at once, with no DOWN. Restarted after a while
 * down: a call answers again a second after the failure. */
START_TEST(test_restart)
{
	struct rate_cell c = cell("login:olga@example.org", 3, 3600, 1);
	struct rate_store *s;
	struct rate_result r;
	int i;

	NEED_REDIS();
	s = store();
	for (i = 0; i < 3; i++)
		r = take1(s, &c);
	want_result("3rd", &r, RATE_OK, 0, false, 0);
	redisrun_end(&srv, SIGTERM);
	ck_assert(redisrun_start(&srv, dir.path));
	r = take1(s, &c);
	want_result("after a restart", &r, RATE_OK, 0, false, 0);
	want_no_log("after a restart");
	redisrun_end(&srv, SIGKILL);
	r = take1(s, &c);
	want_result("down", &r, RATE_DOWN, 0, false, 0);
	want_log("down", "cannot connect");
	ck_assert(redisrun_start(&srv, dir.path));
	r = take1(s, &c);
	want_result("within the second", &r, RATE_DOWN, 0, false, 0);
	sleep_ms(1100);
	r = take1(s, &c);
	want_result("a second later", &r, RATE_OK, 0, false, 0);
	want_log("up", "answers again");
	rate_store_free(s);
}
END_TEST

/* --- a fake server ------------------------------------------------------ */

#define SHA	"0123456789abcdef0123456789abcdef01234567"
#define SHAS	"$40\r\n" SHA "\r\n$40\r\n" SHA "\r\n$40\r\n" SHA "\r\n$40\r\n" \
		SHA "\r\n"

/* What the fake server answers to each read, in turn; after the last it
 * closes the connection (with none, at the first read); drip: the last
 * answer is a few bytes, then nothing for a second. */
static const struct {
	const char *name;
	const char *answers[3];
	bool drip;
	const char *want;	/* part of the log line */
} fakes[] = {
	{ "not RESP", { "HTTP/1.1 400 Bad Request\r\n\r\n", NULL }, false,
	  ": not a Redis answer (Protocol error, got \\x22H\\x22 as reply "
	  "type byte); rate limits cannot be counted" },
	{ "closed at once", { NULL }, false,
	  ": connection closed by the server; rate limits cannot be counted" },
	{ "SCRIPT LOAD answered OK", { "+OK\r\n+OK\r\n+OK\r\n+OK\r\n", NULL },
	  false, ": not a Redis answer to SCRIPT LOAD; rate limits" },
	{ "SCRIPT LOAD refused", { "-NOAUTH Authentication required.\r\n"
	  "-NOAUTH Authentication required.\r\n-NOAUTH Authentication "
	  "required.\r\n-NOAUTH Authentication required.\r\n", NULL }, false,
	  ": SCRIPT LOAD: NOAUTH Authentication required.; rate limits" },
	{ "take answered an integer", { SHAS, ":7\r\n", NULL }, false,
	  ": take: an answer that is not the script's (answered \"store "
	  "down\")" },
	{ "take: no such cell", { SHAS, "*5\r\n:0\r\n:9\r\n:1\r\n:1\r\n:1\r\n",
	  NULL }, false, ": take: an answer that is not the script's" },
	{ "take: used over count", { SHAS, "*5\r\n:0\r\n:0\r\n:1\r\n:101\r\n"
	  ":1\r\n", NULL }, false, ": take: an answer that is not the "
	  "script's" },
	{ "take: an error", { SHAS, "-BUSY Redis is busy running a script.\r\n",
	  NULL }, false, ": take: BUSY Redis is busy running a script. "
	  "(answered \"store down\")" },
	{ "dripping", { SHAS, "*5\r\n:0", NULL }, true,
	  ": no answer in time; rate limits cannot be counted" },
};

struct fake {
	int		lfd;
	const char *const *answers;	/* 3 */
	bool		drip;
};

/* Waits up to 3 s for fd to be readable. */
static bool
readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 3000) == 1;
}

static void *
fake_serve(void *arg)
{
	const struct fake *f = arg;
	char buf[65536];
	const char *a;
	size_t i;
	int fd;

	if (!readable(f->lfd) || (fd = accept(f->lfd, NULL, NULL)) < 0)
		return NULL;
	for (i = 0; i < 3; i++) {
		if (!readable(fd) || read(fd, buf, sizeof(buf)) <= 0)
			break;
		if ((a = f->answers[i]) == NULL)
			break;
		if (write(fd, a, strlen(a)) != (ssize_t)strlen(a))
			break;
		if (i == 2 || f->answers[i + 1] == NULL) {
			if (f->drip)
				sleep_ms(1000);
			break;
		}
	}
	close(fd);
	return NULL;
}

/* Each garbage: DOWN within the timeout, the log says what, no crash. */
START_TEST(test_garbage)
{
	struct rate_cell c = cell("login:pat@example.org", 100, 3600, 1);
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct fake f;
	struct rate_store *s;
	struct rate_result r;
	char err[512];
	pthread_t th;
	int64_t t0, took;
	int i;

	NEED_REDIS();
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/fake.sock", dir.path);
	f.lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert(f.lfd >= 0);
	ck_assert(bind(f.lfd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
	ck_assert(listen(f.lfd, 4) == 0);
	snprintf(err, sizeof(err), "unix:%s", sa.sun_path);
	for (i = 0; i < NCASES(fakes); i++) {
		f.answers = fakes[i].answers;
		f.drip = fakes[i].drip;
		ck_assert(pthread_create(&th, NULL, fake_serve, &f) == 0);
		s = rateredis_new(err, TIMEOUT_MS, err + 200, sizeof(err) - 200);
		ck_assert(s != NULL);
		t0 = mono_us();
		r = take1(s, &c);
		took = mono_us() - t0;
		ck_assert_msg(r.answer == RATE_DOWN, "%s: got %s, want DOWN",
		    fakes[i].name, answers[r.answer]);
		ck_assert_msg(took < (TIMEOUT_MS + MARGIN_MS) * 1000, "%s: the "
		    "call took %lld us", fakes[i].name, (long long)took);
		want_log(fakes[i].name, fakes[i].want);
		ck_assert(pthread_join(th, NULL) == 0);
		rate_store_free(s);
		want_no_log(fakes[i].name);
	}
	close(f.lfd);
}
END_TEST

/* redis:HOST:PORT: the same calls over TCP (to the fake server on an
 * ephemeral loopback port: no redis-server listens on TCP here). */
START_TEST(test_tcp)
{
	static const char *const ok[3] = { SHAS, "*2\r\n:1\r\n:1\r\n", NULL };
	struct rate_cell c = cell("login:quinn@example.org", 100, 3600, 1);
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	struct fake f = { -1, ok, false };
	struct rate_store *s;
	struct rate_result r;
	char spec[64], err[512];
	pthread_t th;

	NEED_REDIS();
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	f.lfd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert(f.lfd >= 0);
	ck_assert(bind(f.lfd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
	ck_assert(getsockname(f.lfd, (struct sockaddr *)&sa, &len) == 0);
	ck_assert(listen(f.lfd, 4) == 0);
	snprintf(spec, sizeof(spec), "127.0.0.1:%u", ntohs(sa.sin_port));
	ck_assert(pthread_create(&th, NULL, fake_serve, &f) == 0);
	s = rateredis_new(spec, TIMEOUT_MS, err, sizeof(err));
	ck_assert_msg(s != NULL, "%s: %s", spec, err);
	r = take1(s, &c);
	ck_assert_msg(r.answer == RATE_OK && r.held, "over TCP: got %s held "
	    "%d, want OK held", answers[r.answer], r.held);
	ck_assert(pthread_join(th, NULL) == 0);
	want_no_log("over TCP");
	rate_store_free(s);
	close(f.lfd);
}
END_TEST

Suite *
redisfail_suite(void)
{
	Suite *s = suite_create("redisfail");
	TCase *tc = tcase_create("redisfail");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_noscript);
	tcase_add_test(tc, test_wrong_type);
	tcase_add_test(tc, test_two_bad_keys);
	tcase_add_test(tc, test_killed);
	tcase_add_test(tc, test_hung);
	tcase_add_test(tc, test_restart);
	tcase_add_test(tc, test_garbage);
	tcase_add_test(tc, test_tcp);
	suite_add_tcase(s, tc);
	return s;
}
