/*
 * redisconn - a pool of hiredis connections with bounded calls. See
 * redisconn.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>

#include "decimal.h"
#include "escape.h"
#include "log.h"
#include "redisconn.h"

#define US		INT64_C(1000000)
#define BACKOFF		US		/* after a failure, no try for 1 s */
#define QUIET		(60 * US)	/* the same complaint once a minute */
#define IDLE_MAX	1024		/* idle connections kept */
#define SHA_LEN		40

struct rconn {
	redisContext	*c;
	unsigned	gen;		/* rc->gen when it was made */
	struct rconn	*next;
	char		sha[REDISCONN_SCRIPTS_MAX][SHA_LEN + 1];
};

/* A complaint logged: its text's hash, when, and how often it came again
 * without a line. Several, so that two bad keys met in turn are not
 * logged at every call. */
#define SAID	8
struct said {
	uint64_t	hash;
	int64_t		at;
	unsigned long	repeats;
};

struct redisconn {
	char		where[REDISCONN_SPEC_MAX];	/* as written */
	char		path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char		host[INET6_ADDRSTRLEN];		/* numeric */
	int		port;				/* 0: path */
	int		timeout_ms;
	const char *const *scripts;
	size_t		nscripts;

	pthread_mutex_t	lock;		/* idle, nidle, down, said */
	struct rconn	*idle;
	size_t		nidle;
	bool		down;
	struct said	said[SAID];	/* the latest complaints */

	atomic_uint	gen;		/* bumped at each failure */
	atomic_bool	down_hint;	/* down, read without the lock */
	_Atomic int64_t	retry_at;	/* 0: up; else no try before */
	atomic_ulong	round_trips;
};

static int64_t
mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * US + ts.tv_nsec / 1000;
}

/* --- where ------------------------------------------------------------ */

#define HOWTO	"write redis:unix:/run/redis/redis-server.sock or " \
		"redis:HOST:PORT (e.g. redis:127.0.0.1:6379)"

static bool
parse_unix(struct redisconn *rc, const char *path, char *err, size_t errlen)
{
	char show[ESCAPE_SHOW_MAX];

	if (path[0] != '/') {
		snprintf(err, errlen, "the socket path \"%s\" is not absolute: "
		    HOWTO, escape_show(show, sizeof(show), path));
		return false;
	}
	if (strlen(path) >= sizeof(rc->path)) {
		snprintf(err, errlen, "the socket path \"%s\" is longer than "
		    "%zu bytes, the most a unix socket address holds",
		    escape_show(show, sizeof(show), path), sizeof(rc->path) - 1);
		return false;
	}
	memcpy(rc->path, path, strlen(path) + 1);
	return true;
}

/* PORT: 1 to 65535, digits only. */
static bool
parse_port(const char *s, int *port)
{
	long v = 0;
	const char *p;

	for (p = s; *p >= '0' && *p <= '9' && v <= 65535; p++)
		v = v * 10 + (*p - '0');
	if (p == s || *p != '\0' || v < 1 || v > 65535)
		return false;
	*port = (int)v;
	return true;
}

/* A host name's letters, digits, dots and hyphens, in non-empty labels. */
static bool
host_name(const char *s)
{
	size_t i, label = 0, n = strlen(s);

	if (n == 0 || n > 253)
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '.') {
			if (label == 0)
				return false;
			label = 0;
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-') {
			if (++label > 63)
				return false;
		} else
			return false;
	}
	return true;		/* a last dot ("example.org.") is allowed */
}

/* host (a name or an address) to a numeric address in rc->host. */
static bool
resolve(struct redisconn *rc, const char *host, char *err, size_t errlen)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai;
	char show[ESCAPE_SHOW_MAX];
	int e;

	if ((e = getaddrinfo(host, NULL, &hints, &ai)) != 0) {
		snprintf(err, errlen, "cannot resolve \"%s\" (%s): give an "
		    "address, or a name that resolves at start",
		    escape_show(show, sizeof(show), host), gai_strerror(e));
		return false;
	}
	e = getnameinfo(ai->ai_addr, ai->ai_addrlen, rc->host, sizeof(rc->host),
	    NULL, 0, NI_NUMERICHOST);
	freeaddrinfo(ai);
	if (e != 0) {
		snprintf(err, errlen, "cannot resolve \"%s\" (%s)",
		    escape_show(show, sizeof(show), host), gai_strerror(e));
		return false;
	}
	return true;
}

static bool
parse_tcp(struct redisconn *rc, const char *spec, char *err, size_t errlen)
{
	char host[REDISCONN_SPEC_MAX], show[ESCAPE_SHOW_MAX];
	const char *colon = strrchr(spec, ':'), *h = spec;
	size_t hl;
	struct in6_addr a6;

	escape_show(show, sizeof(show), spec);
	if (colon == NULL) {
		snprintf(err, errlen, "\"%s\" has no port: " HOWTO, show);
		return false;
	}
	hl = (size_t)(colon - spec);
	if (hl > 1 && spec[0] == '[' && spec[hl - 1] == ']') {
		h = spec + 1;
		hl -= 2;
	}
	memcpy(host, h, hl);
	host[hl] = '\0';
	if (!parse_port(colon + 1, &rc->port)) {
		snprintf(err, errlen, "the port of \"%s\" is not a number from "
		    "1 to 65535: " HOWTO, show);
		return false;
	}
	if (h != spec) {
		if (inet_pton(AF_INET6, host, &a6) == 1)
			return resolve(rc, host, err, errlen);
		snprintf(err, errlen, "\"%s\" has no IPv6 address between its "
		    "brackets: write e.g. redis:[::1]:6379", show);
		return false;
	}
	if (strchr(host, ':') != NULL) {
		snprintf(err, errlen, "\"%s\": an IPv6 address goes in "
		    "brackets, e.g. redis:[::1]:6379", show);
		return false;
	}
	if (!host_name(host)) {
		snprintf(err, errlen, "\"%s\" has no host name or address "
		    "before its port: " HOWTO, show);
		return false;
	}
	return resolve(rc, host, err, errlen);
}

static bool
parse_where(struct redisconn *rc, const char *spec, char *err, size_t errlen)
{
	char show[ESCAPE_SHOW_MAX];

	if (spec == NULL || spec[0] == '\0') {
		snprintf(err, errlen, "no server after \"redis:\": " HOWTO);
		return false;
	}
	if (strlen(spec) >= sizeof(rc->where)) {
		snprintf(err, errlen, "\"%s\" is too long: " HOWTO,
		    escape_show(show, sizeof(show), spec));
		return false;
	}
	memcpy(rc->where, spec, strlen(spec) + 1);
	if (strncmp(spec, "unix:", 5) == 0)
		return parse_unix(rc, spec + 5, err, errlen);
	return parse_tcp(rc, spec, err, errlen);
}

/* --- I/O against a deadline ------------------------------------------- */

static bool
wait_fd(int fd, short events, int64_t deadline, char *err, size_t errlen)
{
	struct pollfd p = { .fd = fd, .events = events };
	int64_t left;
	int n;

	for (;;) {
		if ((left = deadline - mono_us()) <= 0) {
			snprintf(err, errlen, "no answer in time");
			return false;
		}
		n = poll(&p, 1, (int)((left + 999) / 1000));
		if (n > 0)
			return true;
		if (n < 0 && errno != EINTR) {
			snprintf(err, errlen, "poll: %m");
			return false;
		}
	}
}

/* Sends len bytes of buf, then reads n replies into out; false (out
 * freed) on a failure, with why in err: the connection is then unusable. */
static bool
exchange(struct redisconn *rc, redisContext *c, const char *buf, size_t len,
    redisReply **out, size_t n, int64_t deadline, char *err, size_t errlen)
{
	char show[sizeof(c->errstr)];
	size_t off = 0, got = 0;
	ssize_t w;
	void *r;

	atomic_fetch_add(&rc->round_trips, 1);
	while (off < len) {
		if (!wait_fd(c->fd, POLLOUT, deadline, err, errlen))
			goto fail;
		/* MSG_NOSIGNAL: a server gone is an error, not a SIGPIPE. */
		w = send(c->fd, buf + off, len - off, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w < 0 && errno != EAGAIN && errno != EINTR) {
			snprintf(err, errlen, "write: %m");
			goto fail;
		}
		off += w > 0 ? (size_t)w : 0;
	}
	while (got < n) {
		if (redisGetReplyFromReader(c, &r) != REDIS_OK) {
			snprintf(err, errlen, "not a Redis answer (%s)",
			    escape_show(show, sizeof(show), c->errstr));
			goto fail;
		}
		if (r != NULL) {
			out[got++] = r;
			continue;
		}
		if (!wait_fd(c->fd, POLLIN, deadline, err, errlen))
			goto fail;
		if (redisBufferRead(c) != REDIS_OK) {
			snprintf(err, errlen, "%s", c->err == REDIS_ERR_EOF ?
			    "connection closed by the server" :
			    escape_show(show, sizeof(show), c->errstr));
			goto fail;
		}
	}
	return true;
fail:
	while (got > 0)
		freeReplyObject(out[--got]);
	return false;
}

/* The command in Redis's protocol, as redisFormatCommandArgv() writes it
 * but without its sprintf() per argument (half of a call's instructions
 * in relaywarden, callgrind, session 11): at buf when it fits in cap
 * bytes, else in memory of its own (*out tells which; buf may be NULL
 * with cap 0); its length, or -1 when out of memory. */
static long
format(char *buf, size_t cap, char **out, size_t argc, const char **argv,
    const size_t *argvlen)
{
	size_t need = 1 + DECIMAL_MAX + 2, i, o, len;
	char *p;

	for (i = 0; i < argc; i++)
		need += 1 + DECIMAL_MAX + 2 + argvlen[i] + 2;
	if ((p = need <= cap ? buf : malloc(need)) == NULL)
		return -1;
	p[0] = '*';
	o = 1 + decimal(p + 1, argc);
	p[o++] = '\r';
	p[o++] = '\n';
	for (i = 0; i < argc; i++) {
		len = argvlen[i];
		p[o++] = '$';
		o += decimal(p + o, len);
		p[o++] = '\r';
		p[o++] = '\n';
		memcpy(p + o, argv[i], len);
		o += len;
		p[o++] = '\r';
		p[o++] = '\n';
	}
	*out = p;
	return (long)o;
}

/* One command, formatted, exchanged. */
static redisReply *
command(struct redisconn *rc, redisContext *c, size_t argc, const char **argv,
    const size_t *argvlen, int64_t deadline, char *err, size_t errlen)
{
	redisReply *r = NULL;
	char stack[8192], *buf;
	long len;

	if ((len = format(stack, sizeof(stack), &buf, argc, argv,
	    argvlen)) < 0) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (!exchange(rc, c, buf, (size_t)len, &r, 1, deadline, err, errlen))
		r = NULL;
	if (buf != stack)
		free(buf);
	return r;
}

/* --- connections ------------------------------------------------------ */

static void
rconn_close(struct rconn *k)
{
	if (k != NULL) {
		redisFree(k->c);
		free(k);
	}
}

/* SCRIPT LOAD of every script, pipelined: one round trip. */
static bool
load_scripts(struct redisconn *rc, struct rconn *k, int64_t deadline,
    char *err, size_t errlen)
{
	redisReply *r[REDISCONN_SCRIPTS_MAX];
	char *all = NULL, *one, *grown, show[128];
	size_t i, len = 0, n;
	bool ok = true;
	long l;

	for (i = 0; i < rc->nscripts; i++) {
		const char *argv[] = { "SCRIPT", "LOAD", rc->scripts[i] };
		const size_t argvlen[] = { 6, 4, strlen(rc->scripts[i]) };

		/* format() with no room of its own: memory of its own. */
		if ((l = format(NULL, 0, &one, 3, argv, argvlen)) < 0 ||
		    (grown = realloc(all, len + (size_t)l)) == NULL) {
			if (l >= 0)
				free(one);
			free(all);
			snprintf(err, errlen, "out of memory");
			return false;
		}
		memcpy(grown + len, one, (size_t)l);
		free(one);
		all = grown;
		len += (size_t)l;
	}
	n = rc->nscripts;
	if (!exchange(rc, k->c, all, len, r, n, deadline, err, errlen)) {
		free(all);
		return false;
	}
	free(all);
	for (i = 0; i < n; i++) {
		if (ok && r[i]->type == REDIS_REPLY_ERROR) {
			snprintf(err, errlen, "SCRIPT LOAD: %s",
			    escape_show(show, sizeof(show), r[i]->str));
			ok = false;
		} else if (ok && (r[i]->type != REDIS_REPLY_STRING ||
		    r[i]->len != SHA_LEN ||
		    strspn(r[i]->str, "0123456789abcdef") != SHA_LEN)) {
			snprintf(err, errlen, "not a Redis answer to SCRIPT LOAD");
			ok = false;
		} else if (ok)
			memcpy(k->sha[i], r[i]->str, SHA_LEN + 1);
		freeReplyObject(r[i]);
	}
	return ok;
}

static struct rconn *
rconn_open(struct redisconn *rc, int64_t deadline, char *err, size_t errlen)
{
	int64_t left = deadline - mono_us();
	struct timeval tv = { (time_t)(left / US), (suseconds_t)(left % US) };
	struct timeval whole = { rc->timeout_ms / 1000,
	    (suseconds_t)(rc->timeout_ms % 1000) * 1000 };
	char show[sizeof(((redisContext *)0)->errstr)];
	struct rconn *k;

	if (left <= 0) {
		snprintf(err, errlen, "no answer in time");
		return NULL;
	}
	if ((k = calloc(1, sizeof(*k))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	k->gen = atomic_load(&rc->gen);
	k->c = rc->port == 0 ? redisConnectUnixWithTimeout(rc->path, tv) :
	    redisConnectWithTimeout(rc->host, rc->port, tv);
	if (k->c == NULL || k->c->err != 0) {
		snprintf(err, errlen, "cannot connect: %s", k->c != NULL ?
		    escape_show(show, sizeof(show), k->c->errstr) :
		    "out of memory");
		rconn_close(k);
		return NULL;
	}
	/* Our own poll() bounds every call; the socket's timeouts only
	 * stand behind it. */
	(void)redisSetTimeout(k->c, whole);
	if (!load_scripts(rc, k, deadline, err, errlen)) {
		rconn_close(k);
		return NULL;
	}
	return k;
}

/* An idle connection made since the last failure, or NULL. */
static struct rconn *
pool_take(struct redisconn *rc)
{
	struct rconn *k, *stale = NULL;

	pthread_mutex_lock(&rc->lock);
	while ((k = rc->idle) != NULL) {
		rc->idle = k->next;
		rc->nidle--;
		if (k->gen == atomic_load(&rc->gen))
			break;
		k->next = stale;
		stale = k;
	}
	pthread_mutex_unlock(&rc->lock);
	while (stale != NULL) {
		struct rconn *next = stale->next;

		rconn_close(stale);
		stale = next;
	}
	return k;
}

static void
pool_put(struct redisconn *rc, struct rconn *k)
{
	pthread_mutex_lock(&rc->lock);
	if (k->gen == atomic_load(&rc->gen) && rc->nidle < IDLE_MAX) {
		k->next = rc->idle;
		rc->idle = k;
		rc->nidle++;
		k = NULL;
	}
	pthread_mutex_unlock(&rc->lock);
	rconn_close(k);
}

/* --- up and down ------------------------------------------------------ */

/* Whether a call may use the server now: not within a second of a
 * failure; after it, the one call that moves retry_at on tries. */
static bool
may_try(struct redisconn *rc, int64_t now)
{
	int64_t at = atomic_load(&rc->retry_at);

	if (at == 0)
		return true;
	if (now < at)
		return false;
	return atomic_compare_exchange_strong(&rc->retry_at, &at, now + BACKOFF);
}

static void
went_down(struct redisconn *rc, const char *why)
{
	bool was;

	atomic_fetch_add(&rc->gen, 1);		/* idle connections: stale */
	atomic_store(&rc->retry_at, mono_us() + BACKOFF);
	pthread_mutex_lock(&rc->lock);
	was = rc->down;
	rc->down = true;
	atomic_store(&rc->down_hint, true);
	pthread_mutex_unlock(&rc->lock);
	if (!was)
		log_msg(LOG_ERR, "ratelimit: redis %s: %s; rate limits cannot "
		    "be counted until it answers (tried again every second)",
		    rc->where, why);
}

static void
came_up(struct redisconn *rc)
{
	bool was;

	if (!atomic_load(&rc->down_hint))
		return;
	atomic_store(&rc->retry_at, 0);
	pthread_mutex_lock(&rc->lock);
	was = rc->down;
	rc->down = false;
	atomic_store(&rc->down_hint, false);
	pthread_mutex_unlock(&rc->lock);
	if (was)
		log_msg(LOG_NOTICE, "ratelimit: redis %s answers again",
		    rc->where);
}

/* --- calls ------------------------------------------------------------ */

/* Runs the call on k; NOSCRIPT runs the script once more with EVAL. */
static redisReply *
run(struct redisconn *rc, struct rconn *k, int script, size_t nkeys,
    size_t argc, const char **argv, const size_t *argvlen, int64_t deadline,
    char *err, size_t errlen)
{
	const char *av[REDISCONN_ARGS_MAX];
	size_t avlen[REDISCONN_ARGS_MAX];
	char nk[24];
	redisReply *r;

	if (script < 0)
		return command(rc, k->c, argc, argv, argvlen, deadline, err,
		    errlen);
	av[0] = "EVALSHA";
	av[1] = k->sha[script];
	av[2] = nk;
	avlen[0] = 7;
	avlen[1] = SHA_LEN;
	avlen[2] = decimal(nk, nkeys);
	memcpy(av + 3, argv, argc * sizeof(*argv));
	memcpy(avlen + 3, argvlen, argc * sizeof(*argvlen));
	r = command(rc, k->c, argc + 3, av, avlen, deadline, err, errlen);
	if (r == NULL || r->type != REDIS_REPLY_ERROR ||
	    strncmp(r->str, "NOSCRIPT", 8) != 0)
		return r;
	freeReplyObject(r);
	redisconn_complain(rc, LOG_NOTICE, "relaywarden's scripts were gone "
	    "(SCRIPT FLUSH, or a restart): loaded again");
	av[0] = "EVAL";
	avlen[0] = 4;
	av[1] = rc->scripts[script];
	avlen[1] = strlen(av[1]);
	return command(rc, k->c, argc + 3, av, avlen, deadline, err, errlen);
}

redisReply *
redisconn_call(struct redisconn *rc, int script, size_t nkeys, size_t argc,
    const char **argv, const size_t *argvlen)
{
	int64_t now = mono_us(), deadline = now + (int64_t)rc->timeout_ms * 1000;
	struct rconn *k;
	redisReply *r = NULL;
	char err[256] = "";
	bool fresh;

	if (argc + 3 > REDISCONN_ARGS_MAX || script >= (int)rc->nscripts) {
		redisconn_complain(rc, LOG_ERR, "a call with too many "
		    "arguments, not made");
		return NULL;
	}
	if (!may_try(rc, now))
		return NULL;
	k = pool_take(rc);
	do {
		/* A pooled connection may be dead (Redis restarted): one
		 * new one then, in the time left. */
		if ((fresh = k == NULL) &&
		    (k = rconn_open(rc, deadline, err, sizeof(err))) == NULL)
			break;
		r = run(rc, k, script, nkeys, argc, argv, argvlen, deadline,
		    err, sizeof(err));
		if (r == NULL) {
			rconn_close(k);
			k = NULL;
		}
	} while (r == NULL && !fresh && mono_us() < deadline);
	if (r == NULL) {
		went_down(rc, err);
		return NULL;
	}
	came_up(rc);
	pool_put(rc, k);
	return r;
}

void
redisconn_complain(struct redisconn *rc, int priority, const char *what)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	int64_t now = mono_us();
	unsigned long repeats = 0;
	struct said *old = &rc->said[0];
	const char *p;
	bool say = true;
	size_t i;

	for (p = what; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * UINT64_C(0x100000001b3);
	pthread_mutex_lock(&rc->lock);
	for (i = 0; i < SAID; i++) {
		if (rc->said[i].hash == h && rc->said[i].at != 0) {
			old = &rc->said[i];
			say = now - old->at >= QUIET;
			break;
		}
		if (rc->said[i].at < old->at)
			old = &rc->said[i];
	}
	if (say) {
		repeats = old->hash == h ? old->repeats : 0;
		*old = (struct said){ h, now, 0 };
	} else
		old->repeats++;
	pthread_mutex_unlock(&rc->lock);
	if (say && repeats > 0)
		log_msg(priority, "ratelimit: redis %s: %s (%lu times more "
		    "since the last such line)", rc->where, what, repeats);
	else if (say)
		log_msg(priority, "ratelimit: redis %s: %s", rc->where, what);
}

/* --- the server ------------------------------------------------------- */

struct redisconn *
redisconn_new(const char *spec, int timeout_ms, const char *const *scripts,
    size_t nscripts, char *err, size_t errlen)
{
	struct redisconn *rc;

	if (timeout_ms < 1) {
		snprintf(err, errlen, "a timeout of %d ms: give 1 ms or more",
		    timeout_ms);
		return NULL;
	}
	if (nscripts > REDISCONN_SCRIPTS_MAX) {
		snprintf(err, errlen, "more than %d scripts",
		    REDISCONN_SCRIPTS_MAX);
		return NULL;
	}
	if ((rc = calloc(1, sizeof(*rc))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (!parse_where(rc, spec, err, errlen)) {
		free(rc);
		return NULL;
	}
	rc->timeout_ms = timeout_ms;
	rc->scripts = scripts;
	rc->nscripts = nscripts;
	pthread_mutex_init(&rc->lock, NULL);
	atomic_init(&rc->gen, 0);
	atomic_init(&rc->down_hint, false);
	atomic_init(&rc->retry_at, 0);
	atomic_init(&rc->round_trips, 0);
	return rc;
}

void
redisconn_free(struct redisconn *rc)
{
	struct rconn *k;

	if (rc == NULL)
		return;
	while ((k = rc->idle) != NULL) {
		rc->idle = k->next;
		rconn_close(k);
	}
	pthread_mutex_destroy(&rc->lock);
	free(rc);
}

const char *
redisconn_where(const struct redisconn *rc)
{
	return rc->where;
}

unsigned long
redisconn_round_trips(const struct redisconn *rc)
{
	return atomic_load(&rc->round_trips);
}
