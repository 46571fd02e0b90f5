/*
 * redisbench - the Redis rate limit store's figures (make bench-redis):
 * round trips per take, time per take at 16 and 128 threads (p50, p99,
 * takes/s), and Redis's memory per key for 1M keys. It starts its own
 * redis-server on a unix socket in a directory of its own
 * (tests/redisrun.h) and ends it.
 *
 *   BENCH_TAKES	takes per concurrency (100000)
 *   BENCH_KEYS		keys for the memory figure (1000000)
 *
 * A take is one recipient's three cells: a login's 1h and 1d windows and
 * its client's 1h window, as the milter asks at RCPT. Figures, not a
 * test; it exits non-zero only when its own setup fails or a take
 * answers anything but OK (then the figures mean nothing).
 */
#include <ftw.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rateredis.h"
#include "redisrun.h"

#define TIMEOUT_MS	1000

static struct redisrun srv;

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static long
env_long(const char *name, long def)
{
	const char *v = getenv(name);

	return v != NULL && atol(v) > 0 ? atol(v) : def;
}

/* A field of INFO (e.g. "used_memory:", "cmdstat_evalsha:calls="), as
 * text into buf ("?" when absent). */
static char *
info_text(const char *section, const char *field, char *buf, size_t len)
{
	const char *argv[] = { "INFO", section };
	redisReply *r = redisrun_cmd(&srv, 2, argv);
	const char *p;

	snprintf(buf, len, "?");
	if (r != NULL && r->type == REDIS_REPLY_STRING &&
	    (p = strstr(r->str, field)) != NULL)
		snprintf(buf, len, "%.*s", (int)strcspn(p + strlen(field),
		    ",\r\n"), p + strlen(field));
	if (r != NULL)
		freeReplyObject(r);
	return buf;
}

static long long
info(const char *section, const char *field)
{
	char buf[64];

	return atoll(info_text(section, field, buf, sizeof(buf)));
}

/* Redis's own time in EVALSHA calls so far, in microseconds. */
static long long
evalsha_usec(void)
{
	char buf[64];
	long long calls = info("commandstats", "cmdstat_evalsha:calls=");

	snprintf(buf, sizeof(buf), "cmdstat_evalsha:calls=%lld,usec=", calls);
	return info("commandstats", buf);
}

static void
command(int argc, const char **argv)
{
	redisReply *r = redisrun_cmd(&srv, argc, argv);

	if (r == NULL || r->type == REDIS_REPLY_ERROR) {
		fprintf(stderr, "redisbench: %s failed\n", argv[0]);
		exit(1);
	}
	freeReplyObject(r);
}

struct worker {
	struct rate_store *s;
	int	id;
	long	takes;
	int64_t	*ns;		/* each take's time */
	long	bad;		/* answers other than OK */
};

static void *
work(void *arg)
{
	struct worker *w = arg;
	struct rate_cell c[3] = {
		{ .w = { 1000000, 3600 }, .cost = 1 },
		{ .w = { 10000000, 86400 }, .cost = 1 },
		{ .w = { 1000000, 3600 }, .cost = 1 },
	};
	struct rate_result r;
	int64_t t0;
	long i;

	for (i = 0; i < w->takes; i++) {
		long u = (long)w->id * 1000 + i % 1000;

		snprintf(c[0].key, sizeof(c[0].key), "login:user%ld@example.org", u);
		memcpy(c[1].key, c[0].key, sizeof(c[0].key));
		snprintf(c[2].key, sizeof(c[2].key), "client:10.%ld.%ld.%ld",
		    (u >> 16) & 255, (u >> 8) & 255, u & 255);
		t0 = now_ns();
		w->s->ops->take(w->s, c, 3, &r);
		w->ns[i] = now_ns() - t0;
		w->bad += r.answer != RATE_OK;
	}
	return NULL;
}

static int
by_value(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* threads threads, takes takes between them: prints a line of figures
 * (quiet: none, a warm-up that opens the threads' connections). */
static void
run(struct rate_store *s, int threads, long takes, bool quiet)
{
	struct worker *w = calloc((size_t)threads, sizeof(*w));
	pthread_t *th = calloc((size_t)threads, sizeof(*th));
	int64_t *all = calloc((size_t)takes, sizeof(*all)), t0, wall;
	unsigned long trips = rateredis_round_trips(s);
	long long evals = info("commandstats", "cmdstat_evalsha:calls=");
	long long usec = evalsha_usec();
	long i, per = takes / threads, n = 0, bad = 0;

	if (w == NULL || th == NULL || all == NULL)
		exit(1);
	t0 = now_ns();
	for (i = 0; i < threads; i++) {
		w[i] = (struct worker){ s, (int)i, per, all + i * per, 0 };
		if (pthread_create(&th[i], NULL, work, &w[i]) != 0)
			exit(1);
	}
	for (i = 0; i < threads; i++) {
		pthread_join(th[i], NULL);
		n += w[i].takes;
		bad += w[i].bad;
	}
	wall = now_ns() - t0;
	if (quiet)
		goto out;
	qsort(all, (size_t)n, sizeof(*all), by_value);
	printf("%4d threads: %ld takes, p50 %.1f us, p99 %.1f us, %.0f takes/s; "
	    "round trips per take %.3f (EVALSHA per take %.3f, Redis's time "
	    "in it %.1f us)\n", threads, n, all[n / 2] / 1e3,
	    all[n * 99 / 100] / 1e3, n / (wall / 1e9),
	    (double)(rateredis_round_trips(s) - trips) / (double)n,
	    (double)(info("commandstats", "cmdstat_evalsha:calls=") - evals) /
	    (double)n, (double)(evalsha_usec() - usec) / (double)n);
	if (bad != 0) {
		fprintf(stderr, "redisbench: %ld takes were not OK\n", bad);
		exit(1);
	}
out:
	free(w);
	free(th);
	free(all);
}

struct filler {
	struct rate_store *s;
	long	from, to;
};

static void *
fill(void *arg)
{
	struct filler *f = arg;
	struct rate_cell c = { .w = { 10, 86400 }, .cost = 1 };
	struct rate_result r;
	long i;

	for (i = f->from; i < f->to; i++) {
		snprintf(c.key, sizeof(c.key), "login:user%07ld@example.org", i);
		f->s->ops->take(f->s, &c, 1, &r);
		if (r.answer != RATE_OK) {
			fprintf(stderr, "redisbench: fill: a take not OK\n");
			exit(1);
		}
	}
	return NULL;
}

/* keys one-cell keys (49-byte names, 1 unit of a 10/1d window). */
static void
memory(struct rate_store *s, long keys)
{
	const char *flush[] = { "FLUSHALL" };
	struct filler f[8];
	pthread_t th[8];
	long long before, after;
	char key[RATEREDIS_KEY_MAX];
	int i;

	command(1, flush);
	before = info("memory", "used_memory:");
	for (i = 0; i < 8; i++) {
		f[i] = (struct filler){ s, keys * i / 8, keys * (i + 1) / 8 };
		pthread_create(&th[i], NULL, fill, &f[i]);
	}
	for (i = 0; i < 8; i++)
		pthread_join(th[i], NULL);
	after = info("memory", "used_memory:");
	snprintf(key, sizeof(key), "relaywarden:v1:login:user%07d@example.org:"
	    "86400", 0);
	printf("memory: %ld keys (names of %zu bytes, e.g. %s): used_memory "
	    "+%lld bytes, %.1f bytes per key; dbsize %lld\n", keys, strlen(key),
	    key, after - before, (double)(after - before) / (double)keys,
	    info("keyspace", "db0:keys="));
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *f)
{
	(void)sb;
	(void)flag;
	(void)f;
	return remove(path);
}

int
main(void)
{
	char dir[] = "/tmp/rw-redisbench-XXXXXX", err[512];
	long takes = env_long("BENCH_TAKES", 100000);
	long keys = env_long("BENCH_KEYS", 1000000);
	struct rate_store *s;

	if (!redisrun_available() || mkdtemp(dir) == NULL ||
	    !redisrun_start(&srv, dir)) {
		fprintf(stderr, "redisbench: cannot start %s in a temporary "
		    "directory (make test-deps installs redis-server)\n",
		    REDISRUN_BIN);
		return 1;
	}
	if ((s = rateredis_new(srv.spec, TIMEOUT_MS, err, sizeof(err))) == NULL) {
		fprintf(stderr, "redisbench: %s\n", err);
		return 1;
	}
	printf("redis-server %s on a unix socket; a take = 3 cells; after a "
	    "warm-up at each concurrency (its connections open)\n",
	    info_text("server", "redis_version:", err, sizeof(err)));
	run(s, 1, takes / 10, false);
	run(s, 16, takes / 10, true);
	run(s, 16, takes, false);
	run(s, 128, takes / 10, true);
	run(s, 128, takes, false);
	memory(s, keys);
	rate_store_free(s);
	redisrun_end(&srv, SIGTERM);
	nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
	return 0;
}
