/*
 * scale - what the policy engine costs as the lists grow: load time,
 * memory per entry, CPU time and instructions per decision, with
 * generated local_domains and my_networks (bench/listgen) of every size
 * in the grid. No socket and no MTA: it links the core objects and calls
 * conf_load() and policy_eval() as the daemon does.
 *
 *   scale [-D SIZES] [-N SIZES] [--no-instr]
 *	the grid (SIZES: comma-separated, default 10,1000,100000,1000000
 *	domains and 10,1000,100000 networks), then the same grid again
 *	under valgrind --tool=callgrind for instructions per decision
 *   scale --gen DIR NDOMAINS NNETWORKS
 *	writes DIR/domains and DIR/networks (for other benchmarks)
 *
 * Figures:
 * - load: CPU and wall time of conf_load() on a config naming the two
 *   list files (read, SHA-256, parse, insert), in a fresh process per
 *   cell; the target is checked on the CPU time, which other jobs on
 *   the machine do not stretch;
 * - heap B/entry: bytes malloc holds after the load minus before
 *   (mallinfo2), over domains + networks; rss and peak: VmRSS after the
 *   load and VmHWM during it (reset through /proc/self/clear_refs), both
 *   minus VmRSS before it;
 * - ns: thread CPU time per policy_eval(), median of REPS runs of ITERS
 *   decisions each, per request class and for the weighted mix (CPU time
 *   rather than wall time: the machine is shared);
 * - instructions: policy_eval() and everything it calls, counted by
 *   callgrind (--toggle-collect=policy_eval, instrumentation switched on
 *   only around the decision loops), over each class's whole pool.
 *
 * Every request in a pool was checked, before timing, to get the verdict
 * of its class (a "hit" really hits). It prints figures and whether each
 * target holds; it exits non-zero only when the setup fails.
 */
#include <errno.h>
#include <ftw.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <valgrind/callgrind.h>

#include "conf.h"
#include "listgen.h"
#include "policy.h"

#define POOL	4096		/* requests per class, and in the mix */
#define ITERS	200000		/* decisions per timed run */
#define REPS	5		/* timed runs; the median is kept */
#define MAXSIZES 8

/* Targets from issue 5. */
#define TARGET_NS	1000.0
#define TARGET_INSTR	2000.0
#define TARGET_RATIO	2.0
#define TARGET_BYTES	150.0
#define TARGET_LOAD_S	2.0

enum cls {
	C_IN4_LOCAL, C_IN6_SUB, C_IN4_REMOTE, C_IN6_REMOTE, C_NET4, C_NET6,
	C_EXCL, C_AUTH, NCLS
};

/* The mix of an MX that also serves its users' submission. */
static const struct {
	const char	*name;
	unsigned	weight;		/* percent of the mix */
	enum reason	want;
	const char	*what;
} classes[NCLS] = {
	{ "in4_local", 35, REASON_LOCAL_DOMAIN,
	    "port 25, IPv4 client not listed, recipient in a listed domain" },
	{ "in6_sub", 10, REASON_LOCAL_DOMAIN,
	    "port 25, IPv6 client not listed, recipient under a .wildcard" },
	{ "in4_remote", 15, REASON_RELAY_DENIED,
	    "port 25, IPv4 client not listed, remote recipient (refused)" },
	{ "in6_remote", 5, REASON_RELAY_DENIED,
	    "port 25, IPv6 client not listed, remote recipient (refused)" },
	{ "net4", 10, REASON_MY_NETWORKS,
	    "port 25, IPv4 client in my_networks, remote recipient" },
	{ "net6", 5, REASON_MY_NETWORKS,
	    "port 25, IPv6 client in my_networks, remote recipient" },
	{ "excl", 5, REASON_RELAY_DENIED,
	    "port 25, client on a \"!\" exclusion, remote recipient" },
	{ "auth", 15, REASON_AUTHENTICATED,
	    "port 587, TLS and SASL login, remote recipient" },
};

struct query {
	struct netaddr	client;
	char		rcpt[LG_DOMAIN_MAX + 32];
	struct policy_request req;
};

struct pools {
	struct query	q[NCLS][POOL];
	const struct policy_request *cls[NCLS][POOL];
	const struct policy_request *mix[POOL];
};

/* One cell of the grid, as a child process reports it. */
struct result {
	int		ok;
	char		err[1200];
	double		load_s, load_cpu_s;	/* wall, process CPU */
	double		heap_bytes;
	double		rss_mb, peak_mb;
	double		ns[NCLS + 1];		/* [NCLS]: the mix */
	double		instr[NCLS + 1];
};

static unsigned long long dsizes[MAXSIZES] = { 10, 1000, 100000, 1000000 };
static unsigned long long nsizes[MAXSIZES] = { 10, 1000, 100000 };
static size_t ndsizes = 4, nnsizes = 3;

static void die(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

static void
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "scale: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(2);
}

static double
now(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A "VmXXX:" figure of /proc/self/status, in kB (-1 when absent). */
static long
status_kb(const char *key)
{
	char line[256];
	size_t klen = strlen(key);
	long v = -1;
	FILE *fp;

	if ((fp = fopen("/proc/self/status", "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL)
		if (strncmp(line, key, klen) == 0 && line[klen] == ':')
			v = strtol(line + klen + 1, NULL, 10);
	fclose(fp);
	return v;
}

static double
heap_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();

	return (double)mi.uordblks + (double)mi.hblkhd;
}

/* Resets VmHWM to the current RSS (Linux 4.0+); false if it cannot. */
static bool
reset_peak(void)
{
	FILE *fp = fopen("/proc/self/clear_refs", "w");
	bool ok;

	if (fp == NULL)
		return false;
	ok = fputs("5", fp) >= 0;
	return fclose(fp) == 0 && ok;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static bool
parse_sizes(const char *arg, unsigned long long *out, size_t *n)
{
	char *end;

	*n = 0;
	while (*arg != '\0' && *n < MAXSIZES) {
		errno = 0;
		out[*n] = strtoull(arg, &end, 10);
		if (errno != 0 || end == arg || (*end != ',' && *end != '\0'))
			return false;
		(*n)++;
		arg = *end == ',' ? end + 1 : end;
	}
	return *n > 0 && *arg == '\0';
}

static void
list_paths(const char *dir, unsigned long long nd, unsigned long long nn,
    char *dpath, char *npath, size_t len)
{
	snprintf(dpath, len, "%s/domains-%llu", dir, nd);
	snprintf(npath, len, "%s/networks-%llu", dir, nn);
}

/* Writes every list file of the grid, and one config per cell. */
static void
write_lists(const char *dir)
{
	char dpath[512], npath[512];
	size_t i;

	for (i = 0; i < ndsizes; i++) {
		list_paths(dir, dsizes[i], 0, dpath, npath, sizeof(dpath));
		if (!lg_write_domains(dpath, dsizes[i]))
			die("cannot write %s", dpath);
	}
	for (i = 0; i < nnsizes; i++) {
		list_paths(dir, 0, nsizes[i], dpath, npath, sizeof(dpath));
		if (!lg_write_networks(npath, nsizes[i]))
			die("cannot write %s", npath);
	}
}

static bool
write_conf(const char *path, const char *dpath, const char *npath)
{
	FILE *fp = fopen(path, "w");

	if (fp == NULL)
		return false;
	fprintf(fp, "# bench/scale\nlocal_domains = %s\nmy_networks = %s\n",
	    dpath, npath);
	return fclose(fp) == 0;
}

/* Fills q with candidate k of class c; the caller checks the verdict. */
static void
candidate(struct query *q, enum cls c, uint64_t k, unsigned long long nd,
    unsigned long long nn)
{
	char dom[LG_DOMAIN_MAX];
	struct lg_net net;
	uint64_t h = lg_hash(k * 8 + (uint64_t)c);
	bool wild = false, local = c == C_IN4_LOCAL || c == C_IN6_SUB;

	memset(q, 0, sizeof(*q));
	q->req.daemon_port = c == C_AUTH ? "587" : "25";
	q->req.daemon_name = "mx.example";
	q->req.client = &q->client;
	if (c == C_AUTH) {
		q->req.auth = "user@example.com";
		q->req.tls = "TLSv1.3";
	}
	if (local) {
		/* Draw entries until one of the wanted kind (bounded by the
		 * caller's attempt limit: each attempt draws once). */
		lg_domain(h % nd, dom, sizeof(dom), &wild);
		if (wild != (c == C_IN6_SUB)) {
			snprintf(q->rcpt, sizeof(q->rcpt), "<wrong-kind>");
			return;
		}
		if (wild)
			snprintf(q->rcpt, sizeof(q->rcpt), "<user%u@%s%s>",
			    (unsigned)(h >> 40) % 1000,
			    (h >> 32) % 4 == 0 ? "a.mx" : "mx", dom);
		else
			snprintf(q->rcpt, sizeof(q->rcpt), "<user%u@%s>",
			    (unsigned)(h >> 40) % 1000, dom);
	} else {
		lg_domain_miss(k, dom, sizeof(dom));
		snprintf(q->rcpt, sizeof(q->rcpt), "<user%u@%s>",
		    (unsigned)(h >> 40) % 1000, dom);
	}
	q->req.rcpt = q->rcpt;

	switch (c) {
	case C_IN4_LOCAL:
	case C_IN4_REMOTE:
	case C_AUTH:
		lg_addr_miss(k, false, &q->client);
		break;
	case C_IN6_SUB:
	case C_IN6_REMOTE:
		lg_addr_miss(k, true, &q->client);
		break;
	case C_NET4:
	case C_NET6:
		lg_network(h % nn, nn, &net);
		if (net.exclude || net.family != (c == C_NET4 ? AF_INET :
		    AF_INET6))
			q->req.client = NULL;	/* wrong kind: fails the check */
		else
			lg_net_host(&net, k, &q->client);
		break;
	case C_EXCL:
		lg_network(h % nn, nn, &net);
		if (!net.exclude)
			q->req.client = NULL;
		else
			lg_net_host(&net, k, &q->client);
		break;
	case NCLS:
		break;
	}
}

/* Builds every class pool and the mix; false when a class cannot be
 * filled (say, no wildcard among 3 domains). */
static bool
build_pools(const struct policy *p, struct pools *pl, unsigned long long nd,
    unsigned long long nn, char *err, size_t errlen)
{
	unsigned c, j, picked[NCLS] = { 0 };
	uint64_t k;

	for (c = 0; c < NCLS; c++) {
		unsigned n = 0;

		for (k = 0; n < POOL && k < (uint64_t)POOL * 1000; k++) {
			struct query *q = &pl->q[c][n];
			struct verdict v;

			candidate(q, (enum cls)c, k, nd, nn);
			if (q->req.client == NULL)
				continue;
			policy_eval(p, &q->req, &v);
			if (v.reason != classes[c].want)
				continue;
			/* The struct stays where it is: its pointers are
			 * into itself. */
			pl->cls[c][n++] = &q->req;
		}
		if (n < POOL) {
			snprintf(err, errlen, "could not find %u requests of "
			    "class %s with %llu domains and %llu networks",
			    POOL, classes[c].name, nd, nn);
			return false;
		}
	}
	for (j = 0; j < POOL; j++) {
		unsigned r = (unsigned)(lg_hash(j ^ UINT64_C(0x6d6978)) % 100),
		    acc = 0;

		for (c = 0; c < NCLS - 1; c++) {
			acc += classes[c].weight;
			if (r < acc)
				break;
		}
		pl->mix[j] = pl->cls[c][picked[c]++ % POOL];
	}
	return true;
}

static unsigned sink;	/* keeps the loops' results observable */

static void
run(const struct policy *p, const struct policy_request *const *reqs,
    unsigned long n)
{
	struct verdict v;
	unsigned long i;

	for (i = 0; i < n; i++) {
		policy_eval(p, reqs[i % POOL], &v);
		sink += (unsigned)v.decision;
	}
}

static double
time_ns(const struct policy *p, const struct policy_request *const *reqs)
{
	double t[REPS], t0;
	unsigned r;

	run(p, reqs, POOL);		/* warm the caches and the branch
					 * predictors, as a busy daemon is */
	for (r = 0; r < REPS; r++) {
		t0 = now(CLOCK_THREAD_CPUTIME_ID);
		run(p, reqs, ITERS);
		t[r] = (now(CLOCK_THREAD_CPUTIME_ID) - t0) * 1e9 / ITERS;
	}
	qsort(t, REPS, sizeof(t[0]), cmp_double);
	return t[REPS / 2];
}

/* The "totals:" figure of one callgrind dump file (-1 if unreadable). */
static double
dump_total(const char *path)
{
	char line[256];
	double v = -1;
	FILE *fp;

	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL)
		if (strncmp(line, "totals:", 7) == 0)
			v = strtod(line + 7, NULL);
	fclose(fp);
	return v;
}

/*
 * One cell: load, then time (instr == NULL) or count instructions
 * (instr: callgrind's output file prefix; dumps are PREFIX.1, .2, ...).
 */
static void
measure_cell(const char *dir, unsigned long long nd, unsigned long long nn,
    const char *instr, struct result *res)
{
	static unsigned dumps;
	char dpath[512], npath[512], cpath[512];
	struct conf_errors errs = { NULL, 0, 0 };
	struct pools *pl;
	struct config *cf;
	struct policy *p;
	double h0, t0, c0;
	long rss0, rss1, hwm;
	unsigned c;

	memset(res, 0, sizeof(*res));
	list_paths(dir, nd, nn, dpath, npath, sizeof(dpath));
	snprintf(cpath, sizeof(cpath), "%s/relaywarden-%llu-%llu.conf", dir,
	    nd, nn);
	if (!write_conf(cpath, dpath, npath)) {
		snprintf(res->err, sizeof(res->err), "cannot write %s", cpath);
		return;
	}
	if ((pl = calloc(1, sizeof(*pl))) == NULL) {
		snprintf(res->err, sizeof(res->err), "out of memory");
		return;
	}
	/* One-time library set-up (OpenSSL's providers, stdio) is not the
	 * lists' cost: load an empty configuration first. */
	snprintf(cpath, sizeof(cpath), "%s/empty.conf", dir);
	if (!write_conf(cpath, "", "") ||
	    (cf = conf_load(cpath, &errs)) == NULL) {
		snprintf(res->err, sizeof(res->err), "cannot load %s", cpath);
		conf_errors_free(&errs);
		free(pl);
		return;
	}
	config_free(cf);
	snprintf(cpath, sizeof(cpath), "%s/relaywarden-%llu-%llu.conf", dir,
	    nd, nn);
	rss0 = status_kb("VmRSS");
	if (instr == NULL && !reset_peak())
		rss0 = -1;
	h0 = heap_in_use();
	t0 = now(CLOCK_MONOTONIC);
	c0 = now(CLOCK_PROCESS_CPUTIME_ID);
	cf = conf_load(cpath, &errs);
	res->load_cpu_s = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
	res->load_s = now(CLOCK_MONOTONIC) - t0;
	if (cf == NULL) {
		snprintf(res->err, sizeof(res->err), "conf_load refused %s: %s",
		    cpath, errs.n > 0 ? errs.msg[0] : "?");
		conf_errors_free(&errs);
		free(pl);
		return;
	}
	p = cf->policy;
	res->heap_bytes = heap_in_use() - h0;
	rss1 = status_kb("VmRSS");
	hwm = status_kb("VmHWM");
	res->rss_mb = rss0 < 0 || rss1 < 0 ? -1 : (double)(rss1 - rss0) / 1024;
	res->peak_mb = rss0 < 0 || hwm < 0 ? -1 : (double)(hwm - rss0) / 1024;

	if (!build_pools(p, pl, nd, nn, res->err, sizeof(res->err))) {
		config_free(cf);
		free(pl);
		return;
	}
	for (c = 0; c <= NCLS; c++) {
		const struct policy_request *const *reqs =
		    c == NCLS ? pl->mix : pl->cls[c];

		if (instr == NULL) {
			res->ns[c] = time_ns(p, reqs);
			continue;
		}
		CALLGRIND_ZERO_STATS;
		CALLGRIND_START_INSTRUMENTATION;
		run(p, reqs, POOL);
		CALLGRIND_STOP_INSTRUMENTATION;
		CALLGRIND_DUMP_STATS_AT("scale cell");
		snprintf(cpath, sizeof(cpath), "%s.%u", instr, ++dumps);
		res->instr[c] = dump_total(cpath) / POOL;
		if (res->instr[c] < 0) {
			snprintf(res->err, sizeof(res->err), "cannot read "
			    "callgrind's dump %s", cpath);
			break;
		}
	}
	res->ok = res->err[0] == '\0';
	config_free(cf);
	free(pl);
}

/* Runs measure_cell() in a child, so that each cell's memory figures
 * start from a fresh heap. */
static void
measure_cell_child(const char *dir, unsigned long long nd,
    unsigned long long nn, struct result *res)
{
	int fds[2], status;
	pid_t pid;
	ssize_t got;

	if (pipe(fds) != 0)
		die("pipe: %s", strerror(errno));
	fflush(NULL);
	if ((pid = fork()) < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		close(fds[0]);
		measure_cell(dir, nd, nn, NULL, res);
		_exit(write(fds[1], res, sizeof(*res)) == (ssize_t)sizeof(*res) ?
		    0 : 1);
	}
	close(fds[1]);
	got = read(fds[0], res, sizeof(*res));
	close(fds[0]);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0 || got != (ssize_t)sizeof(*res)) {
		memset(res, 0, sizeof(*res));
		snprintf(res->err, sizeof(res->err), "the measuring process "
		    "died (status %d)", status);
	}
}

static int
find(const unsigned long long *sizes, size_t n, unsigned long long want)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (sizes[i] == want)
			return (int)i;
	return -1;
}

static const char *
verdict(bool ok)
{
	return ok ? "holds" : "MISSED";
}

static void
print_header(const char *unit)
{
	unsigned c;

	printf("%9s %9s %9s", "domains", "networks", "mix");
	for (c = 0; c < NCLS; c++)
		printf(" %10s", classes[c].name);
	printf("   (%s)\n", unit);
}

static void
print_row(unsigned long long nd, unsigned long long nn, const double *v)
{
	unsigned c;

	printf("%9llu %9llu %9.0f", nd, nn, v[NCLS]);
	for (c = 0; c < NCLS; c++)
		printf(" %10.0f", v[c]);
	printf("\n");
}

/*
 * Flat-with-size targets for one measure (ns or instructions). The
 * verdict is on the mix, as the targets are stated; the classes over a
 * limit are listed after it.
 */
static void
print_flat_targets(struct result res[][MAXSIZES], bool instr)
{
	int d100k = find(dsizes, ndsizes, 100000);
	int n100k = find(nsizes, nnsizes, 100000);
	int d10 = find(dsizes, ndsizes, 10), n10 = find(nsizes, nnsizes, 10);
	double limit = instr ? TARGET_INSTR : TARGET_NS;
	const char *unit = instr ? "instructions" : "ns";
	const double *big, *small;
	unsigned c, over = 0;
	double ratio;

	if (d100k < 0 || n100k < 0 || !res[d100k][n100k].ok) {
		printf("target  %s at 100k domains + 100k networks: not "
		    "measured\n", unit);
		return;
	}
	big = instr ? res[d100k][n100k].instr : res[d100k][n100k].ns;
	printf("target  %s per decision at 100k domains + 100k networks <= "
	    "%.0f: mix %.0f: %s\n", unit, limit, big[NCLS],
	    verdict(big[NCLS] <= limit));
	for (c = 0; c < NCLS; c++) {
		if (big[c] <= limit)
			continue;
		printf("%s %s %.0f", over++ ? "," : "        classes over it:",
		    classes[c].name, big[c]);
	}
	if (over > 0)
		printf("\n");
	if (d10 < 0 || n10 < 0 || !res[d10][n10].ok)
		return;
	small = instr ? res[d10][n10].instr : res[d10][n10].ns;
	ratio = big[NCLS] / small[NCLS];
	printf("target  %s at 100k+100k <= %.0fx at 10+10: mix %.0f vs %.0f "
	    "(%.2fx): %s\n", unit, TARGET_RATIO, big[NCLS], small[NCLS], ratio,
	    verdict(ratio <= TARGET_RATIO));
	printf("        per class:");
	for (c = 0; c < NCLS; c++)
		printf(" %s %.2fx", classes[c].name, big[c] / small[c]);
	printf("\n");
}

static void
print_machine(void)
{
	char line[256], model[128] = "?";
	FILE *fp = fopen("/proc/cpuinfo", "r");

	while (fp != NULL && fgets(line, sizeof(line), fp) != NULL) {
		if (strncmp(line, "model name", 10) == 0) {
			char *v = strchr(line, ':');

			if (v != NULL) {
				snprintf(model, sizeof(model), "%s", v + 2);
				model[strcspn(model, "\n")] = '\0';
			}
			break;
		}
	}
	if (fp != NULL)
		fclose(fp);
	printf("machine: %ld CPUs online, %s; load average at start: ",
	    sysconf(_SC_NPROCESSORS_ONLN), model);
	fp = fopen("/proc/loadavg", "r");
	if (fp != NULL && fgets(line, sizeof(line), fp) != NULL)
		printf("%.*s\n", (int)strcspn(line, " ") + 10, line);
	else
		printf("?\n");
	if (fp != NULL)
		fclose(fp);
}

static void
native(const char *dir)
{
	static struct result res[MAXSIZES][MAXSIZES];
	double worst_bytes = 0, worst_load = -1, worst_load_wall = -1;
	unsigned long long wb_d = 0, wb_n = 0;
	size_t i, j;
	unsigned c;

	printf("bench/scale: the policy engine alone (conf_load, "
	    "policy_eval), no socket\n");
	print_machine();
	printf("lists: bench/listgen (domains 5%% .wildcards; networks 70%% "
	    "IPv4 / 30%% IPv6, ~3%% \"!\" exclusions)\n");
	printf("classes (mix weight):\n");
	for (c = 0; c < NCLS; c++)
		printf("  %-10s %3u%%  %s\n", classes[c].name, classes[c].weight,
		    classes[c].what);

	for (i = 0; i < ndsizes; i++)
		for (j = 0; j < nnsizes; j++) {
			measure_cell_child(dir, dsizes[i], nsizes[j], &res[i][j]);
			if (!res[i][j].ok)
				die("%s", res[i][j].err);
		}

	printf("\nload and memory (load: conf_load's CPU and wall time; heap: "
	    "malloc'd bytes kept,\nper entry; rss/peak: resident MB after the "
	    "load / at its peak, minus before)\n");
	printf("%9s %9s %8s %8s %12s %8s %8s\n", "domains", "networks",
	    "load_cpu", "load_s", "heap_B/entry", "rss_MB", "peak_MB");
	for (i = 0; i < ndsizes; i++)
		for (j = 0; j < nnsizes; j++) {
			const struct result *r = &res[i][j];
			double per = r->heap_bytes / (double)(dsizes[i] +
			    nsizes[j]);

			printf("%9llu %9llu %8.3f %8.3f %12.1f %8.1f %8.1f\n",
			    dsizes[i], nsizes[j], r->load_cpu_s, r->load_s, per,
			    r->rss_mb, r->peak_mb);
			if (dsizes[i] + nsizes[j] >= 1000 && per > worst_bytes) {
				worst_bytes = per;
				wb_d = dsizes[i];
				wb_n = nsizes[j];
			}
			if (dsizes[i] == 1000000 && r->load_cpu_s > worst_load)
				worst_load = r->load_cpu_s;
			if (dsizes[i] == 1000000 && r->load_s > worst_load_wall)
				worst_load_wall = r->load_s;
		}

	printf("\nns per decision (thread CPU time, median of %d x %d)\n",
	    REPS, ITERS);
	print_header("ns");
	for (i = 0; i < ndsizes; i++)
		for (j = 0; j < nnsizes; j++)
			print_row(dsizes[i], nsizes[j],
			    res[i][j].ns);
	printf("\n");
	print_flat_targets(res, false);
	if (wb_d + wb_n == 0)
		printf("target  bytes per entry <= %.0f: not measured\n",
		    TARGET_BYTES);
	else
		printf("target  bytes per entry <= %.0f (lists of 1000+ "
		    "entries): worst %.1f at %llu domains + %llu networks: "
		    "%s\n", TARGET_BYTES, worst_bytes, wb_d, wb_n,
		    verdict(worst_bytes <= TARGET_BYTES));
	if (worst_load < 0)
		printf("target  1M domains load < %.0f s: not measured\n",
		    TARGET_LOAD_S);
	else
		printf("target  1M domains load < %.0f s: slowest %.3f s of CPU "
		    "(%.3f s wall on this machine's load): %s\n", TARGET_LOAD_S,
		    worst_load, worst_load_wall, verdict(worst_load <
		    TARGET_LOAD_S));
}

/* Under callgrind: the grid again, counting instructions. */
static void
instr(const char *dir, const char *prefix)
{
	static struct result res[MAXSIZES][MAXSIZES];
	size_t i, j;

	if (!RUNNING_ON_VALGRIND)
		die("%s", "--instr runs under valgrind --tool=callgrind "
		    "(plain \"scale\" starts it)");
	for (i = 0; i < ndsizes; i++)
		for (j = 0; j < nnsizes; j++) {
			measure_cell(dir, dsizes[i], nsizes[j], prefix,
			    &res[i][j]);
			if (!res[i][j].ok)
				die("%s", res[i][j].err);
		}
	printf("\ninstructions per decision (callgrind, policy_eval and "
	    "all it calls, whole pool of %d per class)\n", POOL);
	print_header("instructions");
	for (i = 0; i < ndsizes; i++)
		for (j = 0; j < nnsizes; j++)
			print_row(dsizes[i], nsizes[j],
			    res[i][j].instr);
	printf("\n");
	print_flat_targets(res, true);
}

static char *
join_sizes(const unsigned long long *s, size_t n)
{
	static char buf[2][160];
	static int which;
	size_t i, o = 0;
	char *b = buf[which ^= 1];

	b[0] = '\0';
	for (i = 0; i < n && o < sizeof(buf[0]); i++)
		o += (size_t)snprintf(b + o, sizeof(buf[0]) - o, "%s%llu",
		    i ? "," : "", s[i]);
	return b;
}

/* Starts this program again under callgrind, on the same lists. */
static int
run_callgrind(const char *dir)
{
	char prefix[512], self[512], ds[160], ns[160];
	ssize_t n;
	pid_t pid;
	int status;

	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) < 0)
		die("readlink /proc/self/exe: %s", strerror(errno));
	self[n] = '\0';
	snprintf(prefix, sizeof(prefix), "%s/callgrind.out", dir);
	snprintf(ds, sizeof(ds), "%s", join_sizes(dsizes, ndsizes));
	snprintf(ns, sizeof(ns), "%s", join_sizes(nsizes, nnsizes));
	fflush(NULL);
	if ((pid = fork()) < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		char out[600];

		snprintf(out, sizeof(out), "--callgrind-out-file=%s", prefix);
		execlp("valgrind", "valgrind", "-q", "--tool=callgrind",
		    "--instr-atstart=no", "--toggle-collect=policy_eval", out,
		    self, "--instr", prefix, "--dir", dir, "-D", ds, "-N", ns,
		    (char *)NULL);
		fprintf(stderr, "scale: cannot run valgrind: %s (apt-get "
		    "install valgrind)\n", strerror(errno));
		_exit(2);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return 2;
	return WEXITSTATUS(status);
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *f)
{
	(void)sb;
	(void)flag;
	(void)f;
	return remove(path);
}

/* The lists' directory, removed at exit by the process that made it. */
static char tmpdir[] = "/tmp/rw-scale.XXXXXX";
static pid_t tmpdir_owner;

static void
rm_tmpdir(void)
{
	if (getpid() == tmpdir_owner &&
	    nftw(tmpdir, rm_one, 8, FTW_DEPTH | FTW_PHYS) != 0)
		fprintf(stderr, "scale: could not remove %s\n", tmpdir);
}

static void
usage(void)
{
	fprintf(stderr, "usage: scale [-D SIZES] [-N SIZES] [--no-instr]\n"
	    "       scale --gen DIR NDOMAINS NNETWORKS\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	char path[512];
	const char *prefix = NULL, *dir = NULL;
	bool do_instr = true;
	int i, rc = 0;

	if (argc == 5 && strcmp(argv[1], "--gen") == 0) {
		unsigned long long nd, nn;
		size_t one;

		if (!parse_sizes(argv[3], &nd, &one) ||
		    !parse_sizes(argv[4], &nn, &one))
			usage();
		snprintf(path, sizeof(path), "%s/domains", argv[2]);
		if (!lg_write_domains(path, nd))
			die("cannot write %s", path);
		snprintf(path, sizeof(path), "%s/networks", argv[2]);
		if (!lg_write_networks(path, nn))
			die("cannot write %s", path);
		return 0;
	}
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-D") == 0 && i + 1 < argc) {
			if (!parse_sizes(argv[++i], dsizes, &ndsizes))
				usage();
		} else if (strcmp(argv[i], "-N") == 0 && i + 1 < argc) {
			if (!parse_sizes(argv[++i], nsizes, &nnsizes))
				usage();
		} else if (strcmp(argv[i], "--no-instr") == 0) {
			do_instr = false;
		} else if (strcmp(argv[i], "--instr") == 0 && i + 1 < argc) {
			prefix = argv[++i];
		} else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc) {
			dir = argv[++i];
		} else {
			usage();
		}
	}
	if (prefix != NULL) {
		if (dir == NULL)
			usage();
		instr(dir, prefix);
		return 0;
	}
	if (mkdtemp(tmpdir) == NULL)
		die("mkdtemp: %s", strerror(errno));
	tmpdir_owner = getpid();
	atexit(rm_tmpdir);
	write_lists(tmpdir);
	native(tmpdir);
	if (do_instr && (rc = run_callgrind(tmpdir)) != 0)
		fprintf(stderr, "scale: the callgrind run failed (status %d)\n",
		    rc);
	return rc;
}
