/*
 * senders - the sender ownership check alone (issue 19's figures): an
 * owner map of N entries (100k by default) written as a map file and
 * loaded by conf_load(), as the daemon loads it; then sender_judge() on
 * a pool of senders, timed in thread CPU time (the median of 5 runs of
 * 200,000 lookups), with the load time and the heap bytes per entry.
 *
 *   senders [N]
 *
 * The pool (4096 senders, for logins that own them): 50% an address
 * that is a key, 20% one with a "+extension" (found on the second key),
 * 15% one in a domain with an "@domain" key (found on the fifth), 15%
 * nobody's (five keys looked up, none found). Target: at most 1 us per
 * lookup at 100k entries.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "sender.h"

#define POOL	4096
#define ITERS	200000
#define REPS	5
#define TARGET_NS	1000.0

static double
now(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
heap_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();

	return (double)mi.uordblks + (double)mi.hblkhd;
}

/* Entry i of the map: user<i>@d<i % 997>.example, owned by u<i>; every
 * tenth domain has an "@domain" key of its own instead. */
static void
write_map(const char *path, unsigned long n)
{
	FILE *fp = fopen(path, "w");
	unsigned long i;

	if (fp == NULL) {
		perror(path);
		exit(2);
	}
	fprintf(fp, "# %lu entries\n", n);
	for (i = 0; i < n; i++) {
		if (i % 997 % 10 == 0 && i < 997)
			fprintf(fp, "@d%lu.example  admin%lu, u%lu\n", i, i, i);
		else
			fprintf(fp, "user%lu@d%lu.example  u%lu\n", i, i % 997, i);
	}
	if (fclose(fp) != 0) {
		perror(path);
		exit(2);
	}
}

struct req {
	char	sender[80];
	char	login[24];
};

static void
build_pool(struct req *pool, unsigned long n)
{
	unsigned long i, k;

	srand(1);
	for (i = 0; i < POOL; i++) {
		unsigned r = (unsigned)rand() % 100;

		k = (unsigned long)rand() % n;
		while (r < 70 && k % 997 % 10 == 0 && k < 997)
			k = (k + 1) % n;	/* an @domain entry, not a key */
		if (r < 50)
			snprintf(pool[i].sender, 80, "<user%lu@d%lu.example>", k,
			    k % 997);
		else if (r < 70)
			snprintf(pool[i].sender, 80, "<user%lu+tag@d%lu.example>",
			    k, k % 997);
		else if (r < 85)
			snprintf(pool[i].sender, 80, "<someone@d%lu.example>",
			    k % 100 * 10 % 997);
		else
			snprintf(pool[i].sender, 80, "<nobody%lu@remote.example>",
			    k);
		if (r < 70)
			snprintf(pool[i].login, 24, "u%lu", k);
		else if (r < 85)
			snprintf(pool[i].login, 24, "u%lu", k % 100 * 10 % 997);
		else
			snprintf(pool[i].login, 24, "u%lu", k);
	}
}

int
main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
	char dir[] = "/tmp/rw-senders.XXXXXX", map[64], conf[64];
	struct conf_errors errs = { NULL, 0, 0 };
	static struct req pool[POOL];
	double t[REPS], t0, load_s, heap0, heap, ns;
	struct sender_found f;
	struct config *c;
	unsigned long i, found = 0, owned = 0;
	int rep;
	FILE *fp;

	if (n == 0 || mkdtemp(dir) == NULL) {
		fprintf(stderr, "usage: senders [N > 0]\n");
		return 2;
	}
	snprintf(map, sizeof(map), "%s/map", dir);
	snprintf(conf, sizeof(conf), "%s/rw.conf", dir);
	write_map(map, n);
	if ((fp = fopen(conf, "w")) == NULL)
		return 2;
	fprintf(fp, "sender_login_check = authenticated\n"
	    "sender_login_maps = %s\nrecipient_delimiter = +\n", map);
	fclose(fp);
	heap0 = heap_in_use();
	t0 = now(CLOCK_PROCESS_CPUTIME_ID);
	c = conf_load(conf, &errs);
	load_s = now(CLOCK_PROCESS_CPUTIME_ID) - t0;
	heap = heap_in_use() - heap0;
	if (c == NULL) {
		for (i = 0; i < errs.n; i++)
			fprintf(stderr, "%s\n", errs.msg[i]);
		return 2;
	}
	build_pool(pool, n);
	for (i = 0; i < POOL; i++) {
		sender_judge(&c->policy->sender, pool[i].sender, pool[i].login,
		    &f, NULL, NULL);
		found += f.owners != NULL;
		owned += f.result == SENDER_OWNED;
	}
	for (rep = 0; rep < REPS; rep++) {
		t0 = now(CLOCK_THREAD_CPUTIME_ID);
		for (i = 0; i < ITERS; i++)
			sender_judge(&c->policy->sender, pool[i % POOL].sender,
			    pool[i % POOL].login, &f, NULL, NULL);
		t[rep] = (now(CLOCK_THREAD_CPUTIME_ID) - t0) * 1e9 / ITERS;
	}
	qsort(t, REPS, sizeof(t[0]), cmp_double);
	ns = t[REPS / 2];
	printf("== sender ownership check: %lu map entries (%zu keys), pool of "
	    "%d senders: %lu found a key, %lu owned by their login\n", n,
	    sender_map_count(&c->policy->sender), POOL, found, owned);
	printf("load %.3f s of CPU, heap %.1f bytes per entry\n", load_s,
	    heap / (double)n);
	printf("ns per lookup (thread CPU time, median of %d x %d): %.0f "
	    "(runs %.0f .. %.0f)\n", REPS, ITERS, ns, t[0], t[REPS - 1]);
	printf("target  ns per lookup at %lu entries <= %.0f: %.0f: %s\n", n,
	    TARGET_NS, ns, ns <= TARGET_NS ? "holds" : "MISSED");
	config_free(c);
	unlink(conf);
	unlink(map);
	rmdir(dir);
	return 0;
}
