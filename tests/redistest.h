/*
 * redistest - what the Redis store's suites share (check_rateredis.c,
 * check_redisfail.c): a real redis-server per test on a unix socket in
 * the test's own directory (redisrun.h), the log lines read back from a
 * datagram socket that slog writes to, and the embedded store on a clock
 * that stands still, to compare answers with.
 *
 * Redis's clock is real: windows are long (100/1h and more), so that a
 * test's own run time changes no answer; retry times are compared with a
 * tolerance of RETRY_SLACK.
 *
 * Without /usr/bin/redis-server (make test-deps installs it) each test
 * says so and passes: the suites must build and run anywhere.
 */
#ifndef RW_REDISTEST_H
#define RW_REDISTEST_H

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>

#include "rateredis.h"
#include "redisrun.h"
#include "slog.h"
#include "testutil.h"

#define TIMEOUT_MS	300
/* What valgrind and a busy machine may add to a call's timeout. */
#define MARGIN_MS	250
#define RETRY_SLACK	INT64_C(10000000)	/* 10 s, in microseconds */

static struct tu_dir dir;
static struct redisrun srv;
static int logfd = -1;
static bool have_redis;

static inline int64_t
mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static inline void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Log lines go to a datagram socket in dir, read with a 2 s timeout. */
static inline void
log_to_dir(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { 2, 0 };

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/log", dir.path);
	logfd = socket(AF_UNIX, SOCK_DGRAM, 0);
	ck_assert(logfd >= 0);
	ck_assert(bind(logfd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
	ck_assert(setsockopt(logfd, SOL_SOCKET, SO_RCVTIMEO, &tv,
	    sizeof(tv)) == 0);
	slog_open(sa.sun_path, "rw-test", LOG_MAIL, false);
}

static inline void
setup(void)
{
	have_redis = redisrun_available();
	if (!have_redis) {
		fprintf(stderr, "check_rateredis: no %s (make test-deps "
		    "installs redis-server): the Redis store is not tested\n",
		    REDISRUN_BIN);
		return;
	}
	tu_dir_make(&dir);
	log_to_dir();
	ck_assert_msg(redisrun_start(&srv, dir.path),
	    "redis-server does not start in %s (see its redis.log)", dir.path);
}

static inline void
teardown(void)
{
	if (!have_redis)
		return;
	redisrun_signal(&srv, SIGCONT);
	redisrun_end(&srv, SIGKILL);
	slog_close();
	if (logfd >= 0)
		close(logfd);
	logfd = -1;
	tu_dir_remove(&dir);
}

#define NEED_REDIS() do { if (!have_redis) return; } while (0)

/* The next log line, from its message on; fails when none comes. */
static inline const char *
next_log(char *buf, size_t len)
{
	ssize_t n = recv(logfd, buf, len - 1, 0);
	char *msg;

	ck_assert_msg(n >= 0, "no log line came: %s", strerror(errno));
	buf[n] = '\0';
	msg = strstr(buf, "]: ");
	return msg != NULL ? msg + 3 : buf;
}

static inline void
want_log(const char *what, const char *part)
{
	char buf[2048];
	const char *got = next_log(buf, sizeof(buf));

	ck_assert_msg(strstr(got, part) != NULL,
	    "%s: got log line \"%s\", want one with \"%s\"", what, got, part);
}

static inline void
want_no_log(const char *what)
{
	char buf[2048];
	ssize_t n = recv(logfd, buf, sizeof(buf) - 1, MSG_DONTWAIT);

	if (n >= 0)
		buf[n] = '\0';
	ck_assert_msg(n < 0, "%s: got log line \"%s\", want none", what,
	    n >= 0 ? buf : "");
}

static inline struct rate_store *
store(void)
{
	char err[512];
	struct rate_store *s = rateredis_new(srv.spec, TIMEOUT_MS, err,
	    sizeof(err));

	ck_assert_msg(s != NULL, "rateredis_new(%s): %s", srv.spec, err);
	return s;
}

static inline struct rate_cell
cell(const char *key, uint32_t count, uint32_t period, uint32_t cost)
{
	struct rate_cell c = { .w = { count, period }, .cost = cost };

	snprintf(c.key, sizeof(c.key), "%s", key);
	return c;
}

static const char *const answers[] = { "OK", "OVER", "DOWN" };

static inline void
want_result(const char *what, const struct rate_result *got,
    enum rate_answer answer, size_t which, bool first, uint32_t used)
{
	ck_assert_msg(got->answer == answer, "%s: got %s, want %s", what,
	    answers[got->answer], answers[answer]);
	if (answer == RATE_OVER)
		ck_assert_msg(got->which == which && got->first == first &&
		    got->used == used, "%s: got which %zu first %d used %u, "
		    "want which %zu first %d used %u", what, got->which,
		    got->first, got->used, which, first, used);
}

/* A command's integer answer (PTTL, EXISTS...); fails on any other. */
static inline long long
redis_int(const char *cmd, const char *key)
{
	const char *argv[] = { cmd, key };
	redisReply *r = redisrun_cmd(&srv, 2, argv);
	long long v;

	ck_assert_msg(r != NULL && r->type == REDIS_REPLY_INTEGER,
	    "%s %s: no integer answer", cmd, key);
	v = r->integer;
	freeReplyObject(r);
	return v;
}

/* A command that must not fail. */
static inline void
redis_do(int argc, const char **argv)
{
	redisReply *r = redisrun_cmd(&srv, argc, argv);

	ck_assert_msg(r != NULL && r->type != REDIS_REPLY_ERROR,
	    "%s: %s", argv[0], r != NULL ? r->str : "no answer");
	freeReplyObject(r);
}

/* What show() writes, as one string. */
static inline char *
shown(struct rate_store *s, const struct rate_cell *cells, size_t n,
    bool *ok)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	ck_assert(f != NULL);
	*ok = s->ops->show(s, cells, n, f);
	ck_assert(fclose(f) == 0);
	return text;
}

/* --- the embedded store on a clock that stands still ------------------- */

static inline int64_t
still_clock(void)
{
	return INT64_C(1000000000000);
}

static inline struct rate_store *
embedded(void)
{
	struct rate_store *m = ratemem_new(10000);

	ck_assert(m != NULL);
	ratemem_set_clock(m, still_clock);
	return m;
}

/* Redis's answer is the embedded store's (retry: within RETRY_SLACK). */
static inline void
want_same(const char *what, const struct rate_result *r,
    const struct rate_result *m)
{
	ck_assert_msg(r->answer == m->answer, "%s: redis %s, embedded %s",
	    what, answers[r->answer], answers[m->answer]);
	if (m->answer == RATE_OK)
		ck_assert_msg(r->held == m->held, "%s: redis held %d, "
		    "embedded %d", what, r->held, m->held);
	if (m->answer != RATE_OVER)
		return;
	ck_assert_msg(r->which == m->which && r->first == m->first &&
	    r->used == m->used, "%s: redis which %zu first %d used %u, "
	    "embedded which %zu first %d used %u", what, r->which, r->first,
	    r->used, m->which, m->first, m->used);
	ck_assert_msg(r->retry <= m->retry && r->retry > m->retry - RETRY_SLACK,
	    "%s: redis retry %lld us, embedded %lld us", what,
	    (long long)r->retry, (long long)m->retry);
}

/* take() on both stores; the two answers must agree. */
static inline void
take_both(const char *what, struct rate_store *s, struct rate_store *m,
    const struct rate_cell *cells, size_t n, struct rate_result *r)
{
	struct rate_result mr;

	s->ops->take(s, cells, n, r);
	m->ops->take(m, cells, n, &mr);
	want_same(what, r, &mr);
}

#endif
