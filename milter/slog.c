/*
 * slog - the syslog writer. See slog.h.
 *
 * Target held: instructions per session <= 1.5x the do-nothing filter
 * (1.345x with it, 2.077x with syslog(3); callgrind, session 9).
 *
 * The datagram socket is made once and never closed before slog_close():
 * a writer that has read its descriptor without a lock must never find
 * it closed and reused by another thread for an MTA connection (a log
 * line sent into the milter protocol). Reconnecting is a second
 * connect(2) on the same socket, which re-targets an AF_UNIX datagram
 * socket to whatever is bound at the path now.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <syslog.h>
#include <unistd.h>

#include "slog.h"

/* The longest line sent; longer messages are cut (the decision lines of
 * log.c are at most LOG_LINE_MAX, 5120 bytes). */
#define SLOG_LINE_MAX	8192
/* "<191>" */
#define PRI_MAX		6
/* "Mmm dd hh:mm:ss " */
#define STAMP_LEN	16
/* "ident[pid]: " */
#define TAG_MAX		(64 + 24)

enum mode { NONE, DGRAM, STREAM };

static struct sockaddr_un addr;
static socklen_t addr_len;
static char ident_copy[65];
static int facility_bits;
static bool copy_stderr;
static char tag[TAG_MAX];
static size_t tag_len;

static int dgram_fd = -1;	/* made at open, closed at close only */
static _Atomic int mode = NONE;
static int stream_fd = -1;	/* under lock */
static time_t retry_at;		/* under lock: no connect before this */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_ulong lost;
static unsigned long lost_told;	/* under lock */
static time_t (*clock_fn)(void);
static bool atfork_set;

/* Each thread formats the time stamp at most once a second. */
static _Thread_local struct {
	time_t	sec;
	bool	valid;
	char	text[STAMP_LEN + 1];
} stamp;

static time_t
now(void)
{
	return clock_fn != NULL ? clock_fn() : time(NULL);
}

void
slog_set_clock(time_t (*fn)(void))
{
	clock_fn = fn;
}

static void
make_tag(void)
{
	int n = snprintf(tag, sizeof(tag), "%s[%ld]: ", ident_copy,
	    (long)getpid());

	tag_len = n < 0 ? 0 : (size_t)n < sizeof(tag) ? (size_t)n :
	    sizeof(tag) - 1;
}

/* The child of a fork() logs with its own pid (glibc's LOG_PID reads
 * getpid() at every line; we read it once per process). */
static void
atfork_child(void)
{
	make_tag();
}

/* "Mmm dd hh:mm:ss " in the C locale, as glibc's "%h %e %T ". */
static const char *
stamp_text(time_t t)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	struct tm tm;
	char *s = stamp.text;

	if (stamp.valid && stamp.sec == t)
		return s;
	if (localtime_r(&t, &tm) == NULL || tm.tm_mon < 0 || tm.tm_mon > 11)
		memset(&tm, 0, sizeof(tm));
	memcpy(s, months + 3 * tm.tm_mon, 3);
	s[3] = ' ';
	s[4] = tm.tm_mday >= 10 ? (char)('0' + tm.tm_mday / 10) : ' ';
	s[5] = (char)('0' + tm.tm_mday % 10);
	s[6] = ' ';
	s[7] = (char)('0' + tm.tm_hour / 10);
	s[8] = (char)('0' + tm.tm_hour % 10);
	s[9] = ':';
	s[10] = (char)('0' + tm.tm_min / 10);
	s[11] = (char)('0' + tm.tm_min % 10);
	s[12] = ':';
	s[13] = (char)('0' + tm.tm_sec / 10);	/* 60: a leap second */
	s[14] = (char)('0' + tm.tm_sec % 10);
	s[15] = ' ';
	s[16] = '\0';
	stamp.sec = t;
	stamp.valid = true;
	return s;
}

/* Tries the path once; lock held, mode NONE. */
static bool
connect_locked(void)
{
	int fd;

	if (addr_len == 0 || dgram_fd < 0)
		return false;
	if (connect(dgram_fd, (struct sockaddr *)&addr, addr_len) == 0) {
		atomic_store(&mode, DGRAM);
		return true;
	}
	/* EPROTOTYPE: the daemon listens on a stream socket (glibc tries
	 * the same). */
	if (errno != EPROTOTYPE)
		return false;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return false;
	if (connect(fd, (struct sockaddr *)&addr, addr_len) != 0) {
		close(fd);
		return false;
	}
	stream_fd = fd;
	atomic_store(&mode, STREAM);
	return true;
}

/* Sends one whole line: a datagram, or on a stream socket the line and
 * the NUL after it (which the caller has put there). Lock held for a
 * stream. */
static bool
send_line(int m, const char *line, size_t len)
{
	size_t off = 0;
	ssize_t n;

	if (m == DGRAM) {
		do
			n = send(dgram_fd, line, len, MSG_NOSIGNAL);
		while (n < 0 && errno == EINTR);
		return n == (ssize_t)len;
	}
	len++;		/* the NUL */
	while (off < len) {
		n = send(stream_fd, line + off, len - off, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		off += (size_t)n;
	}
	return true;
}

/* Builds "<PRI>stamp tag" at buf; returns its length. */
static size_t
header(char *buf, int priority)
{
	int pri = facility_bits | (priority & LOG_PRIMASK);
	size_t o = 0;

	buf[o++] = '<';
	if (pri >= 100)
		buf[o++] = (char)('0' + pri / 100);
	if (pri >= 10)
		buf[o++] = (char)('0' + pri / 10 % 10);
	buf[o++] = (char)('0' + pri % 10);
	buf[o++] = '>';
	memcpy(buf + o, stamp_text(now()), STAMP_LEN);
	o += STAMP_LEN;
	memcpy(buf + o, tag, tag_len);
	return o + tag_len;
}

/* After the socket came back: says how many lines were lost. Lock held,
 * connected. */
static void
tell_lost_locked(void)
{
	char line[PRI_MAX + STAMP_LEN + TAG_MAX + 96];
	unsigned long n = atomic_load(&lost);
	size_t h;
	int k;

	if (n == lost_told)
		return;
	h = header(line, LOG_WARNING);
	k = snprintf(line + h, sizeof(line) - h, "warning: the syslog "
	    "socket was unreachable: %lu line(s) lost", n - lost_told);
	if (k > 0 && (size_t)k < sizeof(line) - h &&
	    send_line(atomic_load(&mode), line, h + (size_t)k))
		lost_told = n;
}

/* The path when the lock-free datagram send did not do: a stream
 * socket, a first failure (reconnect at once), or no socket (reconnect
 * at most once a second). */
static void
write_locked_path(const char *line, size_t len)
{
	int m;
	time_t t = now();

	pthread_mutex_lock(&lock);
	m = atomic_load(&mode);
	if (m != NONE) {
		/* Another thread may have reconnected since our send failed. */
		if (send_line(m, line, len))
			goto out;
		if (m == STREAM) {
			close(stream_fd);
			stream_fd = -1;
		}
		atomic_store(&mode, NONE);
		retry_at = 0;	/* it was up: try again at once */
	}
	if (t < retry_at || !connect_locked()) {
		if (t >= retry_at)
			retry_at = t + 1;
		atomic_fetch_add(&lost, 1);
		goto out;
	}
	tell_lost_locked();
	if (!send_line(atomic_load(&mode), line, len))
		atomic_fetch_add(&lost, 1);
out:
	pthread_mutex_unlock(&lock);
}

void
slog_write(int priority, const char *msg, size_t len)
{
	char line[SLOG_LINE_MAX + 1];
	size_t h = header(line, priority), t;
	ssize_t w;

	if (len > SLOG_LINE_MAX - h)
		len = SLOG_LINE_MAX - h;
	memcpy(line + h, msg, len);
	line[h + len] = '\0';	/* a stream socket's line end */
	if (copy_stderr) {
		/* From the tag on, as glibc's LOG_PERROR writes it. */
		t = h - tag_len;
		line[h + len] = '\n';
		w = write(STDERR_FILENO, line + t, h + len + 1 - t);
		(void)w;	/* nowhere to say that stderr failed */
		line[h + len] = '\0';
	}
	if (atomic_load_explicit(&mode, memory_order_acquire) == DGRAM &&
	    send_line(DGRAM, line, h + len))
		return;
	write_locked_path(line, h + len);
}

unsigned long
slog_lost(void)
{
	return atomic_load(&lost);
}

void
slog_open(const char *path, const char *ident, int facility, bool to_stderr)
{
	if (path == NULL)
		path = SLOG_PATH_DEFAULT;
	memset(&addr, 0, sizeof(addr));
	addr.sun_family = AF_UNIX;
	addr_len = 0;
	if (strlen(path) < sizeof(addr.sun_path)) {
		memcpy(addr.sun_path, path, strlen(path) + 1);
		addr_len = (socklen_t)sizeof(addr);
	}
	snprintf(ident_copy, sizeof(ident_copy), "%s", ident);
	facility_bits = facility & LOG_FACMASK;
	copy_stderr = to_stderr;
	make_tag();
	if (!atfork_set && pthread_atfork(NULL, NULL, atfork_child) == 0)
		atfork_set = true;
	if (dgram_fd < 0)
		dgram_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	pthread_mutex_lock(&lock);
	retry_at = 0;	/* if this fails, the first line tries again */
	atomic_store(&lost, 0);
	lost_told = 0;
	if (atomic_load(&mode) == NONE)
		(void)connect_locked();
	pthread_mutex_unlock(&lock);
}

void
slog_close(void)
{
	pthread_mutex_lock(&lock);
	atomic_store(&mode, NONE);
	if (stream_fd >= 0)
		close(stream_fd);
	stream_fd = -1;
	if (dgram_fd >= 0)
		close(dgram_fd);
	dgram_fd = -1;
	pthread_mutex_unlock(&lock);
}
