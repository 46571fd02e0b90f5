/*
 * mload - a milter-protocol load generator that speaks to a milter's
 * socket the way Postfix 3.7's smtpd does (src/milter/milter8.c), checks
 * every answer against the expected decision, and prints figures.
 *
 * One process, one epoll loop, no thread per connection. Per session:
 *   SMFIC_OPTNEG (version 6, Postfix's actions and protocol steps);
 *   macros + CONNECT, macros + HELO, then M transactions of
 *   macros + MAIL, K x (macros + RCPT), [DATA ... end of message with -D,
 *   or DATA alone when the milter accepts the message there],
 *   ABORT; then QUIT and close.
 * As Postfix does, it honours what the milter negotiates: a step the
 * milter declines (SMFIP_NOCONNECT, NOHELO, ...) is not sent but its
 * macros still are; a step with a no-reply flag (SMFIP_NR_*) is sent and
 * not waited for; a stage's macro list set with smfi_setsymlist replaces
 * the MTA's list for that stage (an empty one leaves the MTA's list); a
 * macro is sent only when it has a value. Packets that need no answer
 * travel in the same write as the next command, as Postfix's buffered
 * stream does. The wire format and every constant come from libmilter's
 * own headers (mfdef.h, mfapi.h); nothing is linked from libmilter.
 *
 * The traffic is a fixed table of client kinds (listener port, TLS, SASL
 * login, client address inside or outside my_networks) and recipients
 * (local, remote, routing trick, <Postmaster>); -g writes the two
 * relaywarden configurations (A and B) whose answers for this traffic
 * the tables encode. Each MAIL and RCPT answer is checked, code and text:
 * an accept must be SMFIR_CONTINUE; a refusal SMFIR_REPLYCODE with the
 * exact reply. With -e continue (the do-nothing filter) every answer must
 * be SMFIR_CONTINUE. With -C ab a session may be answered by either
 * configuration, but by one of them throughout (a reload is in progress
 * and a session keeps the policy it started with).
 *
 * Closed loop by default: a slot starts its next session, and a
 * session sends its next command, as soon as the last one is done. With
 * -r, sessions start on a schedule instead (a Poisson stream at RATE a
 * second, from the deterministic generator, so every run offers the
 * same); with -p, a session pauses before each SMTP command, as smtpd
 * waits on its client. Timers have nanosecond resolution (epoll_pwait2).
 *
 * Input from the milter is untrusted: every packet length is bounded
 * before anything is buffered, every field is bounds-checked, and a bad
 * packet fails that session, never the process.
 *
 * Prints sessions/s, recipient decisions/s, RCPT latency percentiles
 * (from the write of the request to the parse of its answer), failed
 * sessions, the most connections open at once and the mean, with -r
 * how late sessions started against their schedule, the round trips per
 * session and per message with what each one is, and with -P the
 * daemon's CPU seconds per 1000 sessions and peak RSS (/proc). The last
 * line ("RESULT key=value ...") is for scripts. Exit 0 when no session
 * failed, 1 when some did, 2 on a usage or setup error.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <time.h>
#include <unistd.h>

#include <libmilter/mfapi.h>
#include <libmilter/mfdef.h>

/* ---------------------------------------------------------------------
 * What Postfix 3.7 offers (milter8.c: my_actions and the version 6
 * event mask) and its default macro lists (postconf -d milter_*_macros).
 */
#define PF_VERSION	6
#define PF_ACTIONS	(SMFIF_ADDHDRS | SMFIF_ADDRCPT | SMFIF_DELRCPT | \
	SMFIF_CHGHDRS | SMFIF_CHGBODY | SMFIF_QUARANTINE | SMFIF_CHGFROM | \
	SMFIF_ADDRCPT_PAR | SMFIF_SETSYMLIST)
#define PF_EVENTS	(SMFIP_NOCONNECT | SMFIP_NOHELO | SMFIP_NOMAIL | \
	SMFIP_NORCPT | SMFIP_NOBODY | SMFIP_NOHDRS | SMFIP_NOEOH | \
	SMFIP_NOUNKNOWN | SMFIP_NODATA | SMFIP_SKIP | SMFIP_RCPT_REJ | \
	SMFIP_NR_CONN | SMFIP_NR_HELO | SMFIP_NR_MAIL | SMFIP_NR_RCPT | \
	SMFIP_NR_DATA | SMFIP_NR_UNKN | SMFIP_NR_HDR | SMFIP_NR_EOH | \
	SMFIP_NR_BODY | SMFIP_HDR_LEADSPC)

#define NSTAGES		(SMFIM_LAST + 1)
static const char *stage_names[NSTAGES] = {
	"connect", "helo", "mail", "rcpt", "data", "eom", "eoh",
};
static char mta_lists[NSTAGES][512] = {
	[SMFIM_CONNECT] = "j {daemon_name} {daemon_addr} v _",
	[SMFIM_HELO] = "{tls_version} {cipher} {cipher_bits} {cert_subject} "
	    "{cert_issuer}",
	[SMFIM_ENVFROM] = "i {auth_type} {auth_authen} {auth_author} "
	    "{mail_addr} {mail_host} {mail_mailer}",
	[SMFIM_ENVRCPT] = "i {rcpt_addr} {rcpt_host} {rcpt_mailer}",
	[SMFIM_DATA] = "i",
	[SMFIM_EOM] = "i",
	[SMFIM_EOH] = "i",
};

/* Bounds on what a milter may send us. The largest answer of a filter
 * like ours is an OPTNEG with macro lists or a reply text, well under
 * this; a longer length field is refused before anything is buffered. */
#define IN_MAX		4096
#define OUT_MAX		8192
#define LIST_MAX	256

/* ---------------------------------------------------------------------
 * The traffic and the answers it must get.
 *
 * Configuration A: local_domains = local-a.test shared.test,
 *                  my_networks = 10.1.0.0/16 [2001:db8:a::]/48
 * Configuration B: local_domains = local-b.test shared.test,
 *                  my_networks = 10.2.0.0/16
 * Both: smtp_ports = 25, submission_ports = 465 587,
 *       submission_require_tls = yes.
 */
struct kind {
	const char	*name;
	const char	*addr;		/* as in the connect event */
	bool		v6;
	unsigned	port;		/* the listener: {daemon_port} */
	bool		tls;		/* {tls_version} present */
	bool		auth;		/* {auth_authen} present */
	bool		in_net[2];	/* in A's / B's my_networks */
	const char	*mail_refusal;	/* expected MAIL answer; NULL: continue */
};

static const struct kind kinds[] = {
	{ "smtp-outside", "192.0.2.10", false, 25, false, false,
	    { false, false }, NULL },
	{ "smtp-in-A-networks", "10.1.0.5", false, 25, false, false,
	    { true, false }, NULL },
	{ "smtp-in-B-networks-tls", "10.2.0.5", false, 25, true, false,
	    { false, true }, NULL },
	{ "smtp-auth-tls", "192.0.2.11", false, 25, true, true,
	    { false, false }, NULL },
	{ "587-auth-tls", "192.0.2.12", false, 587, true, true,
	    { false, false }, NULL },
	{ "smtp-ipv6-in-A-networks", "2001:db8:a::5", true, 25, false, false,
	    { true, false }, NULL },
	{ "465-auth-tls-ipv6", "2001:db8:ff::6", true, 465, true, true,
	    { false, false }, NULL },
	{ "smtp-outside-2", "198.51.100.7", false, 25, false, false,
	    { false, false }, NULL },
	/* Refused at MAIL FROM: only with -x (a do-nothing filter would
	 * see recipients these never reach, so the ratio runs leave them
	 * out). */
	{ "587-no-tls", "192.0.2.13", false, 587, false, false,
	    { false, false }, "530 5.7.0 Must issue a STARTTLS command first" },
	{ "465-tls-no-auth-in-A-networks", "10.1.0.6", false, 465, true, false,
	    { true, false }, "530 5.7.0 Authentication required" },
};
#define NKINDS_ACCEPTED	8
#define NKINDS		(sizeof(kinds) / sizeof(kinds[0]))

struct rcpt {
	const char	*arg;		/* the RCPT argument Postfix passes */
	bool		local[2];	/* in A's / B's local_domains */
	bool		routing;	/* %, ! or @ in the local part */
	bool		postmaster;	/* unqualified <Postmaster> */
};

static const struct rcpt rcpts[] = {
	{ "<user@local-a.test>", { true, false }, false, false },
	{ "<user@local-b.test>", { false, true }, false, false },
	{ "<user@shared.test>", { true, true }, false, false },
	{ "<user@remote.test>", { false, false }, false, false },
	{ "<user%remote.test@shared.test>", { true, true }, true, false },
	{ "<Postmaster>", { false, false }, false, true },
	{ "<Info@Shared.Test.>", { true, true }, false, false },
	{ "<other@remote.test>", { false, false }, false, false },
};
#define NRCPTS		(sizeof(rcpts) / sizeof(rcpts[0]))

/* The expected RCPT answer under configuration cfg (0 = A, 1 = B):
 * NULL for "continue", else the whole reply, as in README's table. */
static const char *
rcpt_refusal(const struct kind *k, const struct rcpt *r, int cfg, char *buf,
    size_t len)
{
	size_t n = strlen(r->arg);

	if (k->auth || k->in_net[cfg] || r->postmaster ||
	    (!r->routing && r->local[cfg]))
		return NULL;
	snprintf(buf, len, "554 5.7.1 <%.*s>: Relay access denied",
	    (int)(n - 2), r->arg + 1);
	return buf;
}

/* ---------------------------------------------------------------------
 * Options.
 */
static struct {
	const char	*sock;
	unsigned	conc;
	unsigned long	sessions;
	double		duration;	/* > 0: duration mode */
	unsigned	m, k;
	bool		expect_continue;
	unsigned	cfgmask;	/* bit 0: A, bit 1: B */
	bool		with_refused;	/* -x */
	bool		with_data;	/* -D */
	bool		ignore_symlist;	/* -i */
	bool		no_symlist;	/* -S */
	long		pid;		/* -P */
	unsigned	think_min, think_max;	/* ms, duration mode */
	double		hold_min, hold_max;	/* s, duration mode */
	double		rate;		/* -r: sessions/s offered; 0: closed loop */
	uint64_t	pace_ns;	/* -p: between a session's SMTP steps */
	double		reply_timeout;	/* s */
	double		hard_timeout;	/* s */
	const char	*gen_dir;	/* -g */
	bool		quiet;
} opt = {
	.conc = 16, .sessions = 1000, .m = 1, .k = 5, .cfgmask = 1,
	.reply_timeout = 30, .hard_timeout = 600,
};

/* ---------------------------------------------------------------------
 * Statistics.
 */
/* Latencies are kept whole (microseconds), so percentiles are exact;
 * past SAMPLES_MAX samples a run keeps every other one. */
#define SAMPLES_MAX	(16u * 1024 * 1024)

struct hist {
	uint32_t	*v;
	size_t		n, cap;
	unsigned	stride, skip;	/* keep one sample in stride */
	uint64_t	max_us;
};

enum rt {			/* what a round trip was for */
	RT_OPTNEG, RT_CONNECT, RT_HELO, RT_MAIL, RT_RCPT, RT_DATA, RT_HEADER,
	RT_EOH, RT_BODY, RT_EOM, RT_N
};
static const char *rt_names[RT_N] = {
	"optneg", "connect", "helo", "mail", "rcpt", "data", "header", "eoh",
	"body", "eom",
};

static struct {
	struct hist	rcpt_lat, mail_lat;
	struct hist	start_lag;	/* -r: schedule to session start */
	uint64_t	started, ok, failed;
	uint64_t	f_reply, f_proto, f_drop, f_connect, f_timeout;
	uint64_t	transactions, rcpt_decisions, accepts, refusals;
	uint64_t	mail_refusals;
	uint64_t	messages;	/* ends of message answered */
	uint64_t	refusal_codes[6];	/* by first digit */
	uint64_t	rt[RT_N];
	uint64_t	connect_retries;
	uint64_t	by_cfg[4];		/* sessions consistent with A|B */
	unsigned	open, max_open, min_open_steady;
	double		open_ns;	/* connections open x time, summed */
	uint64_t	open_at;	/* when open_ns was last brought up */
	bool		steady;
	unsigned	failures_shown;
} st;

static void
hist_add(struct hist *h, uint64_t ns)
{
	uint64_t us = ns / 1000;

	if (us > h->max_us)
		h->max_us = us;
	if (h->stride == 0)
		h->stride = 1;
	if (++h->skip < h->stride)
		return;
	h->skip = 0;
	if (h->n == h->cap) {
		size_t i;

		if (h->cap >= SAMPLES_MAX) {
			/* Halve what we have, keep one in twice as many. */
			for (i = 0; i < h->n / 2; i++)
				h->v[i] = h->v[2 * i];
			h->n /= 2;
			h->stride *= 2;
		} else {
			uint32_t *nv;

			h->cap = h->cap ? h->cap * 2 : 65536;
			if ((nv = realloc(h->v, h->cap * sizeof(*nv))) == NULL) {
				perror("mload: realloc");
				exit(2);
			}
			h->v = nv;
		}
	}
	h->v[h->n++] = us > UINT32_MAX ? UINT32_MAX : (uint32_t)us;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static void
hist_sort(struct hist *h)
{
	if (h->n > 1)
		qsort(h->v, h->n, sizeof(*h->v), cmp_u32);
}

/* The smallest sample v such that at least q of the samples are <= v
 * (hist_sort() first). */
static uint64_t
hist_q(const struct hist *h, double q)
{
	size_t want;

	if (h->n == 0)
		return 0;
	want = (size_t)((double)h->n * q + 0.999999);
	if (want == 0)
		want = 1;
	if (want > h->n)
		want = h->n;
	return h->v[want - 1];
}

/* ---------------------------------------------------------------------
 * Time.
 */
static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* A deterministic generator (splitmix64), so that runs are repeatable. */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t
rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static uint64_t
rng_between(uint64_t lo, uint64_t hi)
{
	return hi <= lo ? lo : lo + rng() % (hi - lo + 1);
}

/* ---------------------------------------------------------------------
 * Connections.
 */
enum step {
	S_IDLE, S_CONNECTING, S_RETRY, S_OPTNEG, S_CONNECT, S_HELO, S_MAIL,
	S_RCPT, S_ENDTX, S_DATA, S_HEADERS, S_EOH, S_BODY, S_EOM, S_ABORT,
	S_THINK, S_QUIT, S_CLOSING,
};

struct conn {
	int		fd;
	unsigned	slot;
	enum step	step;
	uint64_t	session;
	const struct kind *kind;
	uint64_t	t_start, t_sent, t_hold_until, t_retry_until;
	uint64_t	timer_seq;
	bool		paused;		/* -p: the pause before step is taken */
	/* negotiated */
	uint32_t	version, actions, pflags;
	char		lists[NSTAGES][LIST_MAX];
	bool		has_list[NSTAGES];
	/* position */
	unsigned	tx, rc;
	unsigned	accepted_in_tx;
	/* the answer being waited for */
	bool		waiting;
	enum rt		want;
	const char	*want_text[2];	/* per config; NULL: continue */
	char		want_buf[2][600];
	unsigned	consistent;	/* configs every answer so far fits */
	uint64_t	rt[RT_N];
	/* buffers */
	uint8_t		out[OUT_MAX];
	size_t		outlen, outoff;
	uint8_t		in[IN_MAX];
	size_t		inlen;
	bool		epollout;
};

static struct conn *conns;
static int epfd;
static uint64_t t0, t_deadline, t_hard;
static bool stopping;		/* duration over: finish and quit */
static struct sockaddr_storage target;
static socklen_t target_len;
static uint64_t next_start;	/* -r: when the next session is due */

/* A pending timer: the connection's timer_seq must still match. */
struct timer {
	uint64_t	at, seq;
	unsigned	slot;
};
static struct timer *heap;
static size_t heap_n, heap_cap;
static uint64_t timer_seq_next = 1;

static void
heap_push(struct conn *c, uint64_t at)
{
	size_t i;

	if (heap_n == heap_cap) {
		heap_cap = heap_cap ? heap_cap * 2 : 1024;
		heap = realloc(heap, heap_cap * sizeof(*heap));
		if (heap == NULL) {
			perror("mload: realloc");
			exit(2);
		}
	}
	c->timer_seq = timer_seq_next++;
	i = heap_n++;
	while (i > 0 && heap[(i - 1) / 2].at > at) {
		heap[i] = heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	heap[i] = (struct timer){ at, c->timer_seq, c->slot };
}

static struct timer
heap_pop(void)
{
	struct timer top = heap[0], last = heap[--heap_n];
	size_t i = 0, ch;

	while ((ch = 2 * i + 1) < heap_n) {
		if (ch + 1 < heap_n && heap[ch + 1].at < heap[ch].at)
			ch++;
		if (heap[ch].at >= last.at)
			break;
		heap[i] = heap[ch];
		i = ch;
	}
	if (heap_n > 0)
		heap[i] = last;
	return top;
}

static void session_start(struct conn *c, bool retry);
static void advance(struct conn *c);

static void
conn_close(struct conn *c)
{
	if (c->fd >= 0) {
		close(c->fd);	/* also leaves the epoll set */
		c->fd = -1;
		st.open--;
	}
	c->step = S_IDLE;
	c->timer_seq = 0;
}

/* Ends a session that went wrong: counted, shown (the first few), and
 * the slot is free for the next session. */
static void
fail(struct conn *c, uint64_t *counter, const char *fmt, ...)
{
	va_list ap;

	(*counter)++;
	st.failed++;
	if (st.failures_shown < 10) {
		st.failures_shown++;
		fprintf(stderr, "mload: session %" PRIu64 " (%s, tx %u, rcpt %u): ",
		    c->session, c->kind != NULL ? c->kind->name : "-", c->tx,
		    c->rc);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	conn_close(c);
}

/* Appends one packet: 4-byte length (command byte included), command,
 * data. False (and the session failed) if it would overflow. */
static bool
put(struct conn *c, char cmd, const void *data, size_t len)
{
	uint32_t n = htonl((uint32_t)(len + 1));

	if (c->outlen + 5 + len > sizeof(c->out)) {
		fail(c, &st.f_proto, "mload's output buffer is full");
		return false;
	}
	memcpy(c->out + c->outlen, &n, 4);
	c->out[c->outlen + 4] = (uint8_t)cmd;
	if (len > 0)
		memcpy(c->out + c->outlen + 5, data, len);
	c->outlen += 5 + len;
	return true;
}

static void
want_events(struct conn *c, bool out)
{
	struct epoll_event ev = { .events = EPOLLIN | (out ? EPOLLOUT : 0),
	    .data.ptr = c };

	if (c->epollout != out) {
		c->epollout = out;
		(void)epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
	}
}

/* Writes what is buffered. False when the session failed. */
static bool
flush(struct conn *c)
{
	while (c->outoff < c->outlen) {
		ssize_t n = write(c->fd, c->out + c->outoff,
		    c->outlen - c->outoff);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			want_events(c, true);
			return true;
		}
		if (n < 0) {
			fail(c, &st.f_drop, "write: %s (the milter closed the "
			    "connection?)", strerror(errno));
			return false;
		}
		c->outoff += (size_t)n;
	}
	c->outoff = c->outlen = 0;
	want_events(c, false);
	return true;
}

/* ---------------------------------------------------------------------
 * Macros: the value Postfix would send for a name, or NULL for none.
 */
static const char *
macro_value(struct conn *c, int stage, const char *name, char *buf,
    size_t len)
{
	const struct kind *k = c->kind;
	const struct rcpt *r;
	char bare[64];
	size_t n = strlen(name);

	/* Postfix looks "j" and "{j}" up alike. */
	if (n >= 2 && name[0] == '{' && name[n - 1] == '}') {
		if (n - 2 >= sizeof(bare))
			return NULL;
		memcpy(bare, name + 1, n - 2);
		bare[n - 2] = '\0';
	} else {
		snprintf(bare, sizeof(bare), "%s", name);
	}
	r = &rcpts[(c->session * 7 + (uint64_t)c->tx * opt.k + c->rc) % NRCPTS];

	if (strcmp(bare, "j") == 0)
		return "mx.bench.test";
	if (strcmp(bare, "daemon_name") == 0)
		return k->port == 25 ? "mx.bench.test" : "ORIGINATING";
	if (strcmp(bare, "daemon_addr") == 0)
		return "127.0.0.1";
	if (strcmp(bare, "daemon_port") == 0) {
		snprintf(buf, len, "%u", k->port);
		return buf;
	}
	if (strcmp(bare, "v") == 0)
		return "Postfix 3.7.11";
	if (strcmp(bare, "_") == 0) {
		snprintf(buf, len, "unknown [%s]", k->addr);
		return buf;
	}
	if (strcmp(bare, "client_addr") == 0) {
		snprintf(buf, len, "%s%s", k->v6 ? "IPv6:" : "", k->addr);
		return buf;
	}
	if (strcmp(bare, "client_port") == 0) {
		snprintf(buf, len, "%u", 40000u + (unsigned)(c->session % 20000));
		return buf;
	}
	if (strcmp(bare, "client_name") == 0 || strcmp(bare, "client_ptr") == 0)
		return "unknown";
	if (strcmp(bare, "client_resolve") == 0)
		return "FAIL";
	if (strcmp(bare, "client_connections") == 0)
		return "1";
	if (k->tls && strcmp(bare, "tls_version") == 0)
		return "TLSv1.3";
	if (k->tls && strcmp(bare, "cipher") == 0)
		return "TLS_AES_256_GCM_SHA384";
	if (k->tls && strcmp(bare, "cipher_bits") == 0)
		return "256";
	/* The queue id exists once the first recipient was accepted; to
	 * send the same bytes to every filter, mload assumes it was. */
	if (strcmp(bare, "i") == 0) {
		if (stage == SMFIM_ENVFROM ||
		    (stage == SMFIM_ENVRCPT && c->rc == 0))
			return NULL;
		snprintf(buf, len, "4Xb%05" PRIX64 "z%02u",
		    c->session & 0xfffff, c->tx % 100);
		return buf;
	}
	if (k->auth && strcmp(bare, "auth_type") == 0)
		return "PLAIN";
	/* A login sends as itself (the sender check's map in milter-bench
	 * says so). */
	if (k->auth && (strcmp(bare, "auth_authen") == 0 ||
	    (stage >= SMFIM_ENVFROM && strcmp(bare, "mail_addr") == 0))) {
		snprintf(buf, len, "user%u@shared.test",
		    (unsigned)(c->session % 1000));
		return buf;
	}
	if (stage >= SMFIM_ENVFROM) {
		if (strcmp(bare, "mail_addr") == 0)
			return "sender@remote.test";
		if (strcmp(bare, "mail_host") == 0)
			return k->auth ? "shared.test" : "remote.test";
		if (strcmp(bare, "mail_mailer") == 0)
			return "smtp";
	}
	if (stage == SMFIM_ENVRCPT) {
		const char *at = strrchr(r->arg, '@');
		size_t al = strlen(r->arg);

		if (strcmp(bare, "rcpt_addr") == 0) {
			snprintf(buf, len, "%.*s", (int)(al - 2), r->arg + 1);
			return buf;
		}
		if (strcmp(bare, "rcpt_host") == 0) {
			if (at == NULL)
				return "mx.bench.test";
			snprintf(buf, len, "%.*s", (int)(r->arg + al - 1 - at - 1),
			    at + 1);
			return buf;
		}
		if (strcmp(bare, "rcpt_mailer") == 0)
			return "smtp";
	}
	return NULL;
}

/* Appends the macro packet for a stage: the command it belongs to, then
 * name/value pairs for the names in the list that have a value. */
static bool
put_macros(struct conn *c, int stage, char cmd)
{
	const char *list = c->has_list[stage] ? c->lists[stage] :
	    mta_lists[stage];
	uint8_t pkt[2048];
	size_t o = 0;

	pkt[o++] = (uint8_t)cmd;
	while (*list != '\0') {
		char name[64], vbuf[256];
		const char *v;
		size_t n = strcspn(list, ", \t\r\n"), vl;

		if (n == 0) {
			list++;
			continue;
		}
		if (n < sizeof(name)) {
			memcpy(name, list, n);
			name[n] = '\0';
			v = macro_value(c, stage, name, vbuf, sizeof(vbuf));
			if (v != NULL) {
				vl = strlen(v);
				if (o + n + vl + 2 > sizeof(pkt)) {
					fail(c, &st.f_proto, "macros too long");
					return false;
				}
				memcpy(pkt + o, name, n + 1);
				o += n + 1;
				memcpy(pkt + o, v, vl + 1);
				o += vl + 1;
			}
		}
		list += n;
	}
	return put(c, SMFIC_MACRO, pkt, o);
}

/* ---------------------------------------------------------------------
 * Sessions.
 */
static uint64_t
ms(uint64_t v)
{
	return v * 1000000u;
}

/* Postfix's actions, or without SMFIF_SETSYMLIST with -S (an MTA older
 * than Postfix 2.5 or Sendmail 8.14). */
static uint32_t
offered_actions(void)
{
	return (uint32_t)(opt.no_symlist ? PF_ACTIONS & ~SMFIF_SETSYMLIST :
	    PF_ACTIONS);
}

/* Sends what is buffered and waits for the answer to a request. */
static void
await(struct conn *c, enum rt what, const char *text_a, const char *text_b)
{
	c->waiting = true;
	c->want = what;
	c->want_text[0] = text_a;
	c->want_text[1] = text_b;
	c->rt[what]++;
	c->t_sent = now_ns();
	(void)flush(c);
}

/* Opens a connection for a new session (retry: the same session again,
 * after its connect found the backlog full). */
static void
session_start(struct conn *c, bool retry)
{
	int fd;
	uint64_t n = retry ? c->session : st.started++;
	const struct kind *k = &kinds[n % (opt.with_refused ? NKINDS :
	    NKINDS_ACCEPTED)];

	memset(c->rt, 0, sizeof(c->rt));
	memset(c->has_list, 0, sizeof(c->has_list));
	c->session = n;
	c->kind = k;
	c->tx = c->rc = 0;
	c->waiting = false;
	c->paused = false;
	c->outlen = c->outoff = c->inlen = 0;
	c->epollout = false;
	c->consistent = opt.cfgmask;
	c->t_start = now_ns();
	if (!retry)
		c->t_retry_until = c->t_start + ms(10000);
	if (opt.duration > 0)
		c->t_hold_until = c->t_start + (uint64_t)(1e9 *
		    (opt.hold_min + (opt.hold_max - opt.hold_min) *
		    (double)(rng() % 10001) / 10000.0));
again:
	fd = socket(target.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (fd < 0) {
		c->fd = -1;
		c->step = S_IDLE;
		st.failed++;
		st.f_connect++;
		fprintf(stderr, "mload: socket: %s\n", strerror(errno));
		return;
	}
	c->fd = fd;
	st.open++;
	if (st.open > st.max_open)
		st.max_open = st.open;
	if (connect(fd, (struct sockaddr *)&target, target_len) < 0) {
		if (errno == EINPROGRESS) {
			struct epoll_event ev = { .events = EPOLLOUT,
			    .data.ptr = c };

			c->step = S_CONNECTING;
			c->epollout = true;
			(void)epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
			return;
		}
		if (errno == EAGAIN || errno == ECONNREFUSED) {
			/* A unix socket's backlog is full (EAGAIN), or the
			 * milter is not listening yet: retry, bounded. */
			int e = errno;

			close(fd);
			c->fd = -1;
			st.open--;
			if (now_ns() < c->t_retry_until) {
				st.connect_retries++;
				c->step = S_RETRY;
				heap_push(c, now_ns() + ms(2));
				return;
			}
			st.failed++;
			st.f_connect++;
			c->step = S_IDLE;
			fprintf(stderr, "mload: connect: %s\n", strerror(e));
			return;
		}
		if (errno == EINTR)
			goto again;
		st.failed++;
		st.f_connect++;
		fprintf(stderr, "mload: connect: %s\n", strerror(errno));
		close(fd);
		c->fd = -1;
		st.open--;
		c->step = S_IDLE;
		return;
	}
	{
		struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };

		(void)epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
	}
	c->step = S_OPTNEG;
	advance(c);
}

/* The session ended well: count it. */
static void
session_done(struct conn *c)
{
	size_t i;

	st.ok++;
	for (i = 0; i < RT_N; i++)
		st.rt[i] += c->rt[i];
	st.by_cfg[c->consistent & 3]++;
}

/* With -r: the time from one session's start to the next's, drawn
 * from an exponential distribution (a Poisson stream of arrivals, as
 * independent SMTP clients make), in ns. */
static uint64_t
arrival_gap(void)
{
	/* u in (0, 1]: never log(0). */
	double u = ((double)(rng() >> 11) + 1.0) / 9007199254740992.0;

	return (uint64_t)(-log(u) / opt.rate * 1e9);
}

/* May a new session start now? Closed loop: while any is left. With -r:
 * when the next one is due; its delay (every slot busy, or mload late)
 * is recorded. */
static bool
may_start(uint64_t t)
{
	if (stopping || (opt.duration == 0 && st.started >= opt.sessions))
		return false;
	if (opt.rate == 0)
		return true;
	if (t < next_start)
		return false;
	hist_add(&st.start_lag, t - next_start);
	next_start += arrival_gap();
	return true;
}

/* One more transaction? */
static bool
more_tx(struct conn *c)
{
	if (opt.duration > 0)
		return !stopping && now_ns() < c->t_hold_until;
	return c->tx < opt.m;
}

/*
 * With -p: the SMTP client's pace. Before HELO, MAIL, each RCPT, the end
 * of the transaction and QUIT, the session pauses, as smtpd waits for
 * the client's next command; whatever the milter declined to see still
 * takes that time. True when the session pauses (or failed) now.
 */
static bool
pace(struct conn *c)
{
	if (opt.pace_ns == 0)
		return false;
	if (c->paused) {
		c->paused = false;
		return false;
	}
	if (!flush(c))
		return true;
	c->paused = true;
	heap_push(c, now_ns() + opt.pace_ns);
	return true;
}

static void
advance(struct conn *c)
{
	const struct kind *k = c->kind;
	const struct rcpt *r;
	uint8_t pkt[512];
	size_t o;

	while (c->fd >= 0 && !c->waiting) {
		switch (c->step) {
		case S_OPTNEG: {
			uint32_t v[3] = { htonl(PF_VERSION), htonl(offered_actions()),
			    htonl(PF_EVENTS) };

			if (!put(c, SMFIC_OPTNEG, v, sizeof(v)))
				return;
			c->step = S_CONNECT;
			await(c, RT_OPTNEG, NULL, NULL);
			return;
		}
		case S_CONNECT: {
			uint16_t port = htons((uint16_t)(40000 + c->session % 20000));

			if (!put_macros(c, SMFIM_CONNECT, SMFIC_CONNECT))
				return;
			c->step = S_HELO;
			if (c->pflags & SMFIP_NOCONNECT)
				break;
			/* Postfix writes an unknown client name as "[addr]". */
			o = (size_t)snprintf((char *)pkt, sizeof(pkt), "[%s]",
			    k->addr) + 1;
			pkt[o++] = k->v6 ? SMFIA_INET6 : SMFIA_INET;
			memcpy(pkt + o, &port, 2);
			o += 2;
			memcpy(pkt + o, k->addr, strlen(k->addr) + 1);
			o += strlen(k->addr) + 1;
			if (!put(c, SMFIC_CONNECT, pkt, o))
				return;
			if (!(c->pflags & SMFIP_NR_CONN)) {
				await(c, RT_CONNECT, NULL, NULL);
				return;
			}
			break;
		}
		case S_HELO:
			if (pace(c))
				return;
			if (!put_macros(c, SMFIM_HELO, SMFIC_HELO))
				return;
			c->step = more_tx(c) ? S_MAIL : S_QUIT;
			if (c->pflags & SMFIP_NOHELO)
				break;
			if (!put(c, SMFIC_HELO, "client.bench.test",
			    sizeof("client.bench.test")))
				return;
			if (!(c->pflags & SMFIP_NR_HELO)) {
				await(c, RT_HELO, NULL, NULL);
				return;
			}
			break;
		case S_MAIL: {
			char own[64];
			const char *from = "<sender@remote.test>";
			const char *want = opt.expect_continue ? NULL :
			    k->mail_refusal;

			if (pace(c))
				return;
			if (k->auth) {
				snprintf(own, sizeof(own), "<user%u@shared.test>",
				    (unsigned)(c->session % 1000));
				from = own;
			}
			c->rc = 0;
			c->accepted_in_tx = 0;
			if (!put_macros(c, SMFIM_ENVFROM, SMFIC_MAIL))
				return;
			c->step = want != NULL ? S_ENDTX : S_RCPT;
			if (c->pflags & SMFIP_NOMAIL)
				break;
			if (!put(c, SMFIC_MAIL, from, strlen(from) + 1))
				return;
			if (!(c->pflags & SMFIP_NR_MAIL)) {
				await(c, RT_MAIL, want, want);
				return;
			}
			break;
		}
		case S_RCPT:
			if (c->rc >= opt.k) {
				c->step = S_ENDTX;
				break;
			}
			if (pace(c))
				return;
			r = &rcpts[(c->session * 7 + (uint64_t)c->tx * opt.k +
			    c->rc) % NRCPTS];
			if (!put_macros(c, SMFIM_ENVRCPT, SMFIC_RCPT))
				return;
			if (c->pflags & SMFIP_NORCPT) {
				c->rc++;
				break;
			}
			if (!put(c, SMFIC_RCPT, r->arg, strlen(r->arg) + 1))
				return;
			if (!(c->pflags & SMFIP_NR_RCPT)) {
				const char *a = NULL, *b = NULL;

				if (!opt.expect_continue) {
					a = rcpt_refusal(k, r, 0, c->want_buf[0],
					    sizeof(c->want_buf[0]));
					b = rcpt_refusal(k, r, 1, c->want_buf[1],
					    sizeof(c->want_buf[1]));
				}
				await(c, RT_RCPT, a, b);
				return;
			}
			c->rc++;
			break;
		case S_ENDTX:
			if (pace(c))
				return;
			c->step = opt.with_data && c->accepted_in_tx > 0 ?
			    S_DATA : S_ABORT;
			break;
		case S_DATA:
			if (!put_macros(c, SMFIM_DATA, SMFIC_DATA))
				return;
			c->step = S_HEADERS;
			if (c->pflags & SMFIP_NODATA)
				break;
			if (!put(c, SMFIC_DATA, NULL, 0))
				return;
			if (!(c->pflags & SMFIP_NR_DATA)) {
				await(c, RT_DATA, NULL, NULL);
				return;
			}
			break;
		case S_HEADERS: {
			static const char hdr[] = "Subject\0mload\0";

			c->step = S_EOH;
			if (c->pflags & SMFIP_NOHDRS)
				break;
			if (!put_macros(c, SMFIM_EOH, SMFIC_HEADER) ||
			    !put(c, SMFIC_HEADER, hdr, sizeof(hdr) - 1))
				return;
			if (!(c->pflags & SMFIP_NR_HDR)) {
				await(c, RT_HEADER, NULL, NULL);
				return;
			}
			break;
		}
		case S_EOH:
			c->step = S_BODY;
			if (c->pflags & SMFIP_NOEOH)
				break;
			if (!put_macros(c, SMFIM_EOH, SMFIC_EOH) ||
			    !put(c, SMFIC_EOH, NULL, 0))
				return;
			if (!(c->pflags & SMFIP_NR_EOH)) {
				await(c, RT_EOH, NULL, NULL);
				return;
			}
			break;
		case S_BODY:
			c->step = S_EOM;
			if (c->pflags & SMFIP_NOBODY)
				break;
			if (!put_macros(c, SMFIM_EOM, SMFIC_BODY) ||
			    !put(c, SMFIC_BODY, "mload\r\n", 7))
				return;
			if (!(c->pflags & SMFIP_NR_BODY)) {
				await(c, RT_BODY, NULL, NULL);
				return;
			}
			break;
		case S_EOM:
			/* Always answered: no protocol step skips it. */
			if (!put_macros(c, SMFIM_EOM, SMFIC_BODYEOB) ||
			    !put(c, SMFIC_BODYEOB, NULL, 0))
				return;
			c->step = S_ABORT;
			await(c, RT_EOM, NULL, NULL);
			return;
		case S_ABORT:
			/* Postfix resets every transaction with an abort,
			 * answered or not (smtpd mail_reset()). */
			if (!put(c, SMFIC_ABORT, NULL, 0))
				return;
			st.transactions++;
			c->tx++;
			if (!more_tx(c)) {
				c->step = S_QUIT;
				break;
			}
			if (opt.duration > 0 && opt.think_max > 0) {
				if (!flush(c))
					return;
				c->step = S_THINK;
				heap_push(c, now_ns() + ms(rng_between(
				    opt.think_min, opt.think_max)));
				return;
			}
			c->step = S_MAIL;
			break;
		case S_QUIT:
			if (pace(c))
				return;
			if (!put(c, SMFIC_QUIT, NULL, 0))
				return;
			c->step = S_CLOSING;
			if (!flush(c))
				return;
			if (c->outlen == 0) {
				session_done(c);
				conn_close(c);
			}
			return;
		default:
			return;
		}
	}
}

/* Does the answer (cmd, data) say what text wants (NULL: continue)? */
static bool
answer_is(char cmd, const uint8_t *data, size_t len, const char *want)
{
	char got[IN_MAX + 1];
	size_t i, o = 0;

	if (want == NULL)
		return cmd == SMFIR_CONTINUE && len == 0;
	if (cmd != SMFIR_REPLYCODE)
		return false;
	/* Postfix reads the reply as a format string's output: "%%" is "%"
	 * (milter8.c); libmilter sends it NUL-terminated. */
	for (i = 0; i < len && data[i] != '\0'; i++) {
		got[o++] = (char)data[i];
		if (data[i] == '%' && i + 1 < len && data[i + 1] == '%')
			i++;
	}
	got[o] = '\0';
	return strcmp(got, want) == 0;
}

static void
describe(char *buf, size_t len, char cmd, const uint8_t *data, size_t dlen)
{
	size_t i, o;

	o = (size_t)snprintf(buf, len, "'%c'", cmd >= 32 && cmd < 127 ? cmd :
	    '?');
	if (dlen > 0 && o + 4 < len) {
		buf[o++] = ' ';
		buf[o++] = '"';
		for (i = 0; i < dlen && o + 6 < len; i++) {
			unsigned char ch = data[i];

			if (ch >= 32 && ch < 127 && ch != '"' && ch != '\\')
				buf[o++] = (char)ch;
			else
				o += (size_t)snprintf(buf + o, len - o, "\\x%02x", ch);
		}
		buf[o++] = '"';
		buf[o] = '\0';
	}
}

static void
on_optneg(struct conn *c, char cmd, const uint8_t *d, size_t len)
{
	uint32_t v[3];
	size_t off = 12;

	if (cmd != SMFIC_OPTNEG || len < 12) {
		fail(c, &st.f_proto, "bad OPTNEG answer (command '%c', %zu bytes)",
		    cmd, len);
		return;
	}
	memcpy(v, d, 12);
	c->version = ntohl(v[0]);
	c->actions = ntohl(v[1]);
	c->pflags = ntohl(v[2]);
	if (c->version < 2 || c->version > PF_VERSION) {
		fail(c, &st.f_proto, "milter protocol version %u", c->version);
		return;
	}
	if ((c->actions & ~offered_actions()) != 0) {
		fail(c, &st.f_proto, "milter asks for actions 0x%x Postfix does "
		    "not offer", c->actions);
		return;
	}
	/* Macro lists: (32-bit stage, NUL-terminated list) pairs. */
	while (off < len) {
		uint32_t stage;
		const uint8_t *nul;
		size_t n;

		if (len - off < 5) {
			fail(c, &st.f_proto, "truncated macro list in OPTNEG");
			return;
		}
		memcpy(&stage, d + off, 4);
		stage = ntohl(stage);
		off += 4;
		nul = memchr(d + off, '\0', len - off);
		if (nul == NULL) {
			fail(c, &st.f_proto, "unterminated macro list in OPTNEG");
			return;
		}
		n = (size_t)(nul - (d + off));
		if (stage < NSTAGES && !opt.ignore_symlist) {
			if (n >= LIST_MAX) {
				fail(c, &st.f_proto, "macro list of %zu bytes", n);
				return;
			}
			memcpy(c->lists[stage], d + off, n + 1);
			/* An empty list leaves the MTA's (milter.c). */
			c->has_list[stage] = n > 0;
		}
		off += n + 1;
	}
}

/* One complete packet from the milter. */
static void
on_packet(struct conn *c, char cmd, const uint8_t *d, size_t len)
{
	uint64_t t = now_ns();
	char what[200];
	unsigned fits = 0, i;

	if (!c->waiting) {
		describe(what, sizeof(what), cmd, d, len);
		fail(c, &st.f_proto, "unasked-for packet %s", what);
		return;
	}
	if (cmd == SMFIR_PROGRESS && len == 0)
		return;		/* still working: keep waiting */
	c->waiting = false;
	switch (c->want) {
	case RT_OPTNEG:
		on_optneg(c, cmd, d, len);
		break;
	case RT_MAIL:
	case RT_RCPT:
		if (c->want == RT_RCPT)
			hist_add(&st.rcpt_lat, t - c->t_sent);
		else
			hist_add(&st.mail_lat, t - c->t_sent);
		for (i = 0; i < 2; i++)
			if ((c->consistent & (1u << i)) &&
			    answer_is(cmd, d, len, c->want_text[i]))
				fits |= 1u << i;
		if (fits == 0) {
			describe(what, sizeof(what), cmd, d, len);
			fail(c, &st.f_reply, "%s answered %s, want %s%s%s",
			    rt_names[c->want], what,
			    c->want_text[0] ? c->want_text[0] : "continue",
			    opt.cfgmask == 3 ? " (A) or " : "",
			    opt.cfgmask == 3 ? (c->want_text[1] ?
			    c->want_text[1] : "continue (B)") : "");
			return;
		}
		c->consistent = fits;
		if (c->want == RT_RCPT) {
			st.rcpt_decisions++;
			if (cmd == SMFIR_CONTINUE) {
				st.accepts++;
				c->accepted_in_tx++;
			} else {
				st.refusals++;
				if (len > 0 && d[0] >= '0' && d[0] <= '5')
					st.refusal_codes[d[0] - '0']++;
			}
			c->rc++;
		} else if (cmd != SMFIR_CONTINUE) {
			st.mail_refusals++;
			c->step = S_ENDTX;	/* no RCPT after a refused MAIL */
		}
		break;
	default:
		/* connect, helo and the message steps: a filter goes on,
		 * or accepts the message at DATA or at its end (relaywarden
		 * and the bench filters decline DATA and answer "continue"
		 * at the end). */
		if (c->want == RT_DATA && cmd == SMFIR_ACCEPT && len == 0) {
			/* As Postfix: no more events for this message. */
			c->step = S_ABORT;
			break;
		}
		if (!(cmd == SMFIR_CONTINUE ||
		    (c->want == RT_EOM && cmd == SMFIR_ACCEPT)) || len != 0) {
			describe(what, sizeof(what), cmd, d, len);
			fail(c, &st.f_reply, "%s answered %s, want continue",
			    rt_names[c->want], what);
			return;
		}
		if (c->want == RT_EOM)
			st.messages++;
		break;
	}
	if (c->fd >= 0)
		advance(c);
}

static void
on_readable(struct conn *c)
{
	for (;;) {
		ssize_t n = read(c->fd, c->in + c->inlen, sizeof(c->in) - c->inlen);
		size_t off = 0;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			fail(c, &st.f_drop, "%s while %s", n == 0 ?
			    "the milter closed the connection" : strerror(errno),
			    c->waiting ? "waiting for an answer" : "idle");
			return;
		}
		c->inlen += (size_t)n;
		/* Every complete packet; the length is checked before use. */
		while (c->inlen - off >= 4) {
			uint32_t plen;

			memcpy(&plen, c->in + off, 4);
			plen = ntohl(plen);
			if (plen < 1 || plen > sizeof(c->in) - 4) {
				fail(c, &st.f_proto, "packet length %" PRIu32
				    " (limit %zu)", plen, sizeof(c->in) - 4);
				return;
			}
			if (c->inlen - off < 4 + (size_t)plen)
				break;
			on_packet(c, (char)c->in[off + 4], c->in + off + 5,
			    plen - 1);
			if (c->fd < 0 || c->step == S_IDLE)
				return;
			off += 4 + plen;
		}
		if (off > 0) {
			memmove(c->in, c->in + off, c->inlen - off);
			c->inlen -= off;
		}
	}
}

static void
on_event(struct conn *c, uint32_t events)
{
	if (c->fd < 0)
		return;
	if (c->step == S_CONNECTING) {
		int err = 0;
		socklen_t l = sizeof(err);

		if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &l) < 0 ||
		    err != 0) {
			fail(c, &st.f_connect, "connect: %s", strerror(err));
			return;
		}
		c->step = S_OPTNEG;
		want_events(c, false);
		advance(c);
		return;
	}
	if (events & EPOLLOUT) {
		if (!flush(c))
			return;
		if (c->step == S_CLOSING && c->outlen == 0) {
			session_done(c);
			conn_close(c);
			return;
		}
	}
	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
		on_readable(c);
}

/* ---------------------------------------------------------------------
 * The daemon's resource figures, from /proc.
 */
struct daemon_stat {
	bool		ok;
	double		cpu_s;
	long		hwm_kb, rss_kb, fds;
};

static struct daemon_stat
daemon_stat(long pid)
{
	struct daemon_stat ds = { 0 };
	char path[64], buf[4096], *p;
	FILE *f;
	size_t n;
	int i;
	unsigned long long ut = 0, stt = 0;
	DIR *dir;
	struct dirent *de;

	if (pid <= 0)
		return ds;
	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return ds;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* Fields after the ")" that ends the command name: the 12th and
	 * 13th are utime and stime (fields 14 and 15 of proc(5)). */
	if ((p = strrchr(buf, ')')) == NULL)
		return ds;
	for (i = 0, p++; i < 12 && p != NULL; i++)
		p = strchr(p + 1, ' ');
	if (p == NULL || sscanf(p, " %llu %llu", &ut, &stt) != 2)
		return ds;
	ds.cpu_s = (double)(ut + stt) / (double)sysconf(_SC_CLK_TCK);
	snprintf(path, sizeof(path), "/proc/%ld/status", pid);
	if ((f = fopen(path, "r")) == NULL)
		return ds;
	while (fgets(buf, sizeof(buf), f) != NULL) {
		(void)sscanf(buf, "VmHWM: %ld", &ds.hwm_kb);
		(void)sscanf(buf, "VmRSS: %ld", &ds.rss_kb);
	}
	fclose(f);
	snprintf(path, sizeof(path), "/proc/%ld/fd", pid);
	if ((dir = opendir(path)) != NULL) {
		while ((de = readdir(dir)) != NULL)
			if (de->d_name[0] != '.')
				ds.fds++;
		closedir(dir);
	}
	ds.ok = true;
	return ds;
}

/* ---------------------------------------------------------------------
 * The configurations (-g).
 */
static int
write_conf(const char *dir, const char *name, const char *domains,
    const char *networks)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL) {
		fprintf(stderr, "mload: %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(f,
	    "# Written by mload -g: the answers mload expects for its traffic\n"
	    "# follow from these lines (see bench/mload.c).\n"
	    "milter_socket = %s\n"
	    "local_domains = %s\n"
	    "my_networks = %s\n"
	    "smtp_ports = 25\n"
	    "submission_ports = 465 587\n"
	    "submission_require_tls = yes\n"
	    "unknown_listener = tempfail\n"
	    "mode = enforce\n"
	    "log_accepts = yes\n"
	    "syslog_ident = relaywarden-mload\n"
	    "run_as_root = yes\n", opt.sock, domains, networks);
	if (fclose(f) != 0) {
		fprintf(stderr, "mload: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * Main.
 */
static void
usage(void)
{
	fprintf(stderr,
"usage: mload -s SOCKET [options]\n"
"  -s unix:PATH | inet:PORT@127.0.0.1   the milter\n"
"  -c N     concurrent sessions (16)\n"
"  -n N     sessions in all (1000)\n"
"  -d SEC   run for SEC seconds instead, keeping -c sessions open\n"
"  -H A:B   with -d: each session lasts A..B seconds (1:3)\n"
"  -w A:B   with -d: A..B ms between transactions (0:0)\n"
"  -r RATE  start sessions at RATE a second on average (a Poisson\n"
"           stream), not as soon as one ends; -c bounds how many run\n"
"  -p MS    pause MS ms before each HELO, MAIL, RCPT, end of transaction\n"
"           and QUIT (the SMTP client's pace)\n"
"  -m M     transactions per session (1; 0: connect, negotiate, quit)\n"
"  -k K     recipients per transaction (5)\n"
"  -x       include sessions refused at MAIL FROM (465/587 without TLS\n"
"           or login)\n"
"  -D       send DATA .. end of message for transactions with an\n"
"           accepted recipient\n"
"  -e MODE  policy (the configuration's answers, default) | continue\n"
"           (every answer is \"continue\": the do-nothing filter)\n"
"  -C CFG   a | b | ab: the configuration(s) answering (a); ab: either,\n"
"           one per session (a reload is in progress)\n"
"  -i       ignore the milter's macro lists (an MTA that does not honour\n"
"           smfi_setsymlist)\n"
"  -S       do not offer SMFIF_SETSYMLIST (an MTA older than Postfix 2.5\n"
"           or Sendmail 8.14)\n"
"  -l STAGE=LIST  the MTA's own macro list for a stage (connect helo\n"
"           mail rcpt data eoh eom); default Postfix 3.7's\n"
"  -P PID   the milter's pid: print its CPU time and peak RSS\n"
"  -t SEC   fail a session whose answer takes longer (30)\n"
"  -T SEC   stop everything after SEC seconds (600)\n"
"  -g DIR   write DIR/a.conf and DIR/b.conf for relaywarden and exit\n"
"  -q       print only the RESULT line\n");
	exit(2);
}

static void
parse_range(const char *s, double *a, double *b)
{
	char *end;

	*a = strtod(s, &end);
	*b = *a;
	if (*end == ':')
		*b = strtod(end + 1, &end);
	if (*end != '\0' || *a < 0 || *b < *a)
		usage();
}

static bool
set_target(const char *s)
{
	if (strncmp(s, "unix:", 5) == 0 || strncmp(s, "local:", 6) == 0) {
		struct sockaddr_un *sun = (struct sockaddr_un *)&target;
		const char *path = strchr(s, ':') + 1;

		if (strlen(path) >= sizeof(sun->sun_path))
			return false;
		sun->sun_family = AF_UNIX;
		strcpy(sun->sun_path, path);
		target_len = sizeof(*sun);
		return true;
	}
	if (strncmp(s, "inet:", 5) == 0) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&target;
		char host[64];
		const char *at = strchr(s, '@');
		long port = strtol(s + 5, NULL, 10);

		if (at == NULL || port < 1 || port > 65535 ||
		    strlen(at + 1) >= sizeof(host))
			return false;
		strcpy(host, at + 1);
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
			return false;
		target_len = sizeof(*sin);
		return true;
	}
	return false;
}

static void
raise_nofile(unsigned want)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < want + 64) {
		rl.rlim_cur = want + 64 > rl.rlim_max ? rl.rlim_max : want + 64;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static void
report(double elapsed, const struct daemon_stat *d0,
    const struct daemon_stat *d1)
{
	double sps = elapsed > 0 ? (double)st.ok / elapsed : 0;
	double rps = elapsed > 0 ? (double)st.rcpt_decisions / elapsed : 0;
	double rt_total = 0, sessions = (double)(st.ok > 0 ? st.ok : 1);
	double msgs = (double)(st.transactions > 0 ? st.transactions : 1);
	double cpu1000 = -1;
	size_t i;

	for (i = 0; i < RT_N; i++)
		rt_total += (double)st.rt[i];
	hist_sort(&st.rcpt_lat);
	hist_sort(&st.mail_lat);
	hist_sort(&st.start_lag);
	if (d0->ok && d1->ok && st.ok > 0)
		cpu1000 = (d1->cpu_s - d0->cpu_s) / (double)st.ok * 1000;
	if (!opt.quiet) {
		printf("mload: %s, concurrency %u, M=%u K=%u, expect %s%s%s\n",
		    opt.sock, opt.conc, opt.m, opt.k,
		    opt.expect_continue ? "continue" : opt.cfgmask == 3 ?
		    "config A or B" : opt.cfgmask == 2 ? "config B" : "config A",
		    opt.with_refused ? ", with MAIL refusals" : "",
		    opt.with_data ? ", with DATA" : "");
		printf("  elapsed           %.3f s\n", elapsed);
		if (opt.rate > 0)
			printf("  offered           %.1f sessions/s (Poisson), %.3f ms "
			    "between SMTP steps; start lag p50 %" PRIu64 " us, p99 %"
			    PRIu64 " us, max %" PRIu64 " us\n", opt.rate,
			    (double)opt.pace_ns / 1e6, hist_q(&st.start_lag, 0.50),
			    hist_q(&st.start_lag, 0.99), st.start_lag.max_us);
		else if (opt.pace_ns > 0)
			printf("  pace              %.3f ms between SMTP steps\n",
			    (double)opt.pace_ns / 1e6);
		printf("  sessions          %" PRIu64 " ok, %" PRIu64 " failed "
		    "(bad answer %" PRIu64 ", protocol %" PRIu64 ", dropped %"
		    PRIu64 ", connect %" PRIu64 ", timeout %" PRIu64 ")\n",
		    st.ok, st.failed, st.f_reply, st.f_proto, st.f_drop,
		    st.f_connect, st.f_timeout);
		printf("  sessions/s        %.1f\n", sps);
		printf("  rcpt decisions/s  %.1f (%" PRIu64 " accepted, %" PRIu64
		    " refused)\n", rps, st.accepts, st.refusals);
		printf("  RCPT latency      p50 %" PRIu64 " us, p99 %" PRIu64
		    " us, max %" PRIu64 " us\n", hist_q(&st.rcpt_lat, 0.50),
		    hist_q(&st.rcpt_lat, 0.99), st.rcpt_lat.max_us);
		if (st.mail_lat.max_us > 0)
			printf("  MAIL latency      p50 %" PRIu64 " us, p99 %"
			    PRIu64 " us\n", hist_q(&st.mail_lat, 0.50),
			    hist_q(&st.mail_lat, 0.99));
		printf("  connections       %u open at most, %.0f on average",
		    st.max_open, elapsed > 0 ? st.open_ns / 1e9 / elapsed : 0);
		if (opt.duration > 0 && st.steady)
			printf(", at least %u once all were open",
			    st.min_open_steady);
		printf("; %" PRIu64 " connect retries\n", st.connect_retries);
		printf("  round trips       %.2f per session, %.2f per message:",
		    rt_total / sessions, rt_total / msgs);
		for (i = 0; i < RT_N; i++)
			if (st.rt[i] > 0)
				printf(" %s %.2f", rt_names[i],
				    (double)st.rt[i] / sessions);
		printf(" (per session)\n");
		if (opt.cfgmask == 3)
			printf("  policy per session  A only %" PRIu64 ", B only %"
			    PRIu64 ", either %" PRIu64 "\n", st.by_cfg[1],
			    st.by_cfg[2], st.by_cfg[3]);
		if (d1->ok)
			printf("  milter pid %ld     %.3f CPU s in all, %.3f per 1000 "
			    "sessions; peak RSS (VmHWM) %ld kB, RSS %ld kB, %ld fds\n",
			    opt.pid, d1->cpu_s - d0->cpu_s, cpu1000, d1->hwm_kb,
			    d1->rss_kb, d1->fds);
	}
	printf("RESULT sessions=%" PRIu64 " failed=%" PRIu64 " elapsed=%.3f "
	    "sps=%.1f rps=%.1f p50_us=%" PRIu64 " p99_us=%" PRIu64
	    " max_open=%u mean_open=%.0f rt_session=%.2f rt_msg=%.2f "
	    "cpu_per_1000=%.4f hwm_kb=%ld rss_kb=%ld fds=%ld by_a=%" PRIu64
	    " by_b=%" PRIu64 " min_open=%u accepts=%" PRIu64 " refusals=%" PRIu64
	    " mail_refusals=%" PRIu64 " bad_answers=%" PRIu64 " protocol=%"
	    PRIu64 " dropped=%" PRIu64 " connect_failed=%" PRIu64 " timeouts=%"
	    PRIu64 " connect_retries=%" PRIu64 " start_lag_p99_us=%" PRIu64
	    " messages=%" PRIu64 "\n",
	    st.ok, st.failed, elapsed, sps, rps, hist_q(&st.rcpt_lat, 0.50),
	    hist_q(&st.rcpt_lat, 0.99), st.max_open,
	    elapsed > 0 ? st.open_ns / 1e9 / elapsed : 0, rt_total / sessions,
	    rt_total / msgs, cpu1000, d1->hwm_kb, d1->rss_kb, d1->fds,
	    st.by_cfg[1], st.by_cfg[2], st.steady ? st.min_open_steady : 0,
	    st.accepts, st.refusals, st.mail_refusals, st.f_reply, st.f_proto,
	    st.f_drop, st.f_connect, st.f_timeout, st.connect_retries,
	    hist_q(&st.start_lag, 0.99), st.messages);
}

int
main(int argc, char *argv[])
{
	struct epoll_event evs[256];
	struct daemon_stat d0, d1;
	uint64_t t_sweep;
	unsigned i;
	int ch;

	while ((ch = getopt(argc, argv, "s:c:n:d:H:w:r:p:m:k:xDe:C:iSl:P:t:T:g:q"))
	    != -1) {
		switch (ch) {
		case 's': opt.sock = optarg; break;
		case 'c': opt.conc = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'n': opt.sessions = strtoul(optarg, NULL, 10); break;
		case 'd': opt.duration = strtod(optarg, NULL); break;
		case 'H': parse_range(optarg, &opt.hold_min, &opt.hold_max); break;
		case 'w': {
			double a, b;

			parse_range(optarg, &a, &b);
			opt.think_min = (unsigned)a;
			opt.think_max = (unsigned)b;
			break;
		}
		case 'r':
			opt.rate = strtod(optarg, NULL);
			if (!(opt.rate > 0 && opt.rate <= 1e7))
				usage();
			break;
		case 'p': {
			double p = strtod(optarg, NULL);

			if (!(p >= 0 && p <= 1e6))	/* NaN fails too */
				usage();
			opt.pace_ns = (uint64_t)(p * 1e6);
			break;
		}
		case 'm': opt.m = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'k': opt.k = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'x': opt.with_refused = true; break;
		case 'D': opt.with_data = true; break;
		case 'e':
			if (strcmp(optarg, "continue") == 0)
				opt.expect_continue = true;
			else if (strcmp(optarg, "policy") != 0)
				usage();
			break;
		case 'C':
			opt.cfgmask = strcmp(optarg, "a") == 0 ? 1 :
			    strcmp(optarg, "b") == 0 ? 2 :
			    strcmp(optarg, "ab") == 0 ? 3 : 0;
			if (opt.cfgmask == 0)
				usage();
			break;
		case 'i': opt.ignore_symlist = true; break;
		case 'S': opt.no_symlist = true; break;
		case 'l': {
			const char *eq = strchr(optarg, '=');
			size_t s;

			for (s = 0; eq != NULL && s < NSTAGES; s++)
				if (strlen(stage_names[s]) == (size_t)(eq - optarg) &&
				    strncmp(optarg, stage_names[s],
				    (size_t)(eq - optarg)) == 0)
					break;
			if (eq == NULL || s == NSTAGES ||
			    strlen(eq + 1) >= sizeof(mta_lists[s]))
				usage();
			strcpy(mta_lists[s], eq + 1);
			break;
		}
		case 'P': opt.pid = strtol(optarg, NULL, 10); break;
		case 't': opt.reply_timeout = strtod(optarg, NULL); break;
		case 'T': opt.hard_timeout = strtod(optarg, NULL); break;
		case 'g': opt.gen_dir = optarg; break;
		case 'q': opt.quiet = true; break;
		default: usage();
		}
	}
	if (optind != argc || opt.sock == NULL || !set_target(opt.sock) ||
	    opt.conc == 0 || opt.k == 0 || (opt.rate > 0 && opt.duration > 0))
		usage();
	if (opt.gen_dir != NULL) {
		if (write_conf(opt.gen_dir, "a.conf", "local-a.test shared.test",
		    "10.1.0.0/16 [2001:db8:a::]/48") != 0 ||
		    write_conf(opt.gen_dir, "b.conf", "local-b.test shared.test",
		    "10.2.0.0/16") != 0)
			return 2;
		return 0;
	}
	if (opt.duration > 0 && opt.hold_max == 0) {
		opt.hold_min = 1;
		opt.hold_max = 3;
	}
	signal(SIGPIPE, SIG_IGN);
	raise_nofile(opt.conc);
	if ((epfd = epoll_create1(EPOLL_CLOEXEC)) < 0 ||
	    (conns = calloc(opt.conc, sizeof(*conns))) == NULL) {
		perror("mload");
		return 2;
	}
	for (i = 0; i < opt.conc; i++) {
		conns[i].fd = -1;
		conns[i].slot = i;
		conns[i].step = S_IDLE;
	}
	d0 = daemon_stat(opt.pid);
	if (opt.pid > 0 && !d0.ok) {
		fprintf(stderr, "mload: no process %ld\n", opt.pid);
		return 2;
	}
	t0 = now_ns();
	next_start = t0;
	st.open_at = t0;
	t_deadline = opt.duration > 0 ? t0 + (uint64_t)(opt.duration * 1e9) : 0;
	t_hard = t0 + (uint64_t)(opt.hard_timeout * 1e9);
	t_sweep = t0 + ms(500);
	st.min_open_steady = UINT_MAX;

	for (;;) {
		uint64_t t = now_ns(), next = t + ms(100);
		bool busy = false;
		struct timespec timeout;
		int n, e;

		st.open_ns += (double)st.open * (double)(t - st.open_at);
		st.open_at = t;
		if (t_deadline != 0 && t >= t_deadline)
			stopping = true;
		/* Fill idle slots with new sessions. */
		for (i = 0; i < opt.conc; i++) {
			struct conn *c = &conns[i];

			if (c->step == S_IDLE && may_start(t))
				session_start(c, false);
			if (c->step != S_IDLE)
				busy = true;
		}
		/* Done when nothing runs and nothing is left to start (a
		 * session that failed at connect left its slot idle). */
		if (!busy && (opt.duration > 0 ? stopping :
		    st.started >= opt.sessions))
			break;
		if (opt.duration > 0 && !stopping) {
			if (!st.steady && st.open >= opt.conc)
				st.steady = true;
			if (st.steady && st.open < st.min_open_steady)
				st.min_open_steady = st.open;
		}
		if (t >= t_hard) {
			for (i = 0; i < opt.conc; i++)
				if (conns[i].step != S_IDLE)
					fail(&conns[i], &st.f_timeout, "still running "
					    "at the -T limit");
			break;
		}
		if (heap_n > 0 && heap[0].at < next)
			next = heap[0].at;
		if (t_deadline != 0 && !stopping && t_deadline < next)
			next = t_deadline;
		if (opt.rate > 0 && st.started < opt.sessions && next_start < next)
			next = next_start;
		/* Nanoseconds: -p and -r pace below a millisecond. */
		timeout.tv_sec = next > t ? (time_t)((next - t) / 1000000000u) : 0;
		timeout.tv_nsec = next > t ? (long)((next - t) % 1000000000u) : 0;
		n = epoll_pwait2(epfd, evs, sizeof(evs) / sizeof(evs[0]), &timeout,
		    NULL);
		if (n < 0 && errno != EINTR) {
			perror("mload: epoll_pwait2");
			return 2;
		}
		for (e = 0; e < n; e++)
			on_event(evs[e].data.ptr, evs[e].events);
		t = now_ns();
		while (heap_n > 0 && heap[0].at <= t) {
			struct timer tm = heap_pop();
			struct conn *c = &conns[tm.slot];

			if (c->timer_seq != tm.seq)
				continue;
			c->timer_seq = 0;
			if (c->step == S_RETRY && stopping) {
				c->step = S_IDLE;	/* never started after all */
				st.started--;
			} else if (c->step == S_RETRY) {
				session_start(c, true);
			} else if (c->step == S_THINK) {
				c->step = more_tx(c) ? S_MAIL : S_QUIT;
				advance(c);
			} else if (c->paused && c->fd >= 0) {
				advance(c);
			}
		}
		t = now_ns();	/* the timers above may have sent requests */
		if (t >= t_sweep) {
			t_sweep = t + ms(500);
			for (i = 0; i < opt.conc; i++) {
				struct conn *c = &conns[i];

				if (c->fd >= 0 && c->waiting && t > c->t_sent &&
				    t - c->t_sent > (uint64_t)(opt.reply_timeout * 1e9))
					fail(c, &st.f_timeout, "no answer to %s "
					    "within %.0f s", rt_names[c->want],
					    opt.reply_timeout);
			}
		}
	}
	d1 = daemon_stat(opt.pid);
	report((double)(now_ns() - t0) / 1e9, &d0, &d1);
	return st.failed == 0 && st.ok > 0 ? 0 : 1;
}
