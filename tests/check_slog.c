/*
 * slog: the exact datagram a line becomes (as glibc's syslog(3) writes
 * it), a stream socket, a syslog daemon that restarts, one that is not
 * there yet (lines lost, counted and reported), the stderr copy, a line
 * too long, and the pid after fork(). The socket is a real one bound in
 * a temporary directory; the clock is fixed, in UTC.
 */
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "slog.h"
#include "testutil.h"

/* 2026-11-22 08:53:16 UTC and 2027-01-05 00:00:09 UTC. */
#define T_NOV22	((time_t)1795337596)
#define T_JAN5	((time_t)1799107209)

static time_t fake_now;

static time_t
fake_clock(void)
{
	return fake_now;
}

static struct tu_dir dir;
static char path[sizeof(((struct sockaddr_un *)0)->sun_path)];

static void
setup(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	fake_now = T_NOV22;
	slog_set_clock(fake_clock);
	tu_dir_make(&dir);
	ck_assert((size_t)snprintf(path, sizeof(path), "%s/log", dir.path) <
	    sizeof(path));
}

static void
teardown(void)
{
	slog_close();
	slog_set_clock(NULL);
	tu_dir_remove(&dir);
}

/* A socket of type bound at path, reads timing out after 5 s. */
static int
listen_at(int type)
{
	struct sockaddr_un sa;
	struct timeval tv = { 5, 0 };
	int fd = socket(AF_UNIX, type, 0);

	ck_assert_int_ge(fd, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, sizeof(sa.sun_path));
	(void)unlink(path);
	ck_assert_msg(bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0,
	    "bind %s: %s", path, strerror(errno));
	ck_assert(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == 0);
	if (type == SOCK_STREAM)
		ck_assert(listen(fd, 4) == 0);
	return fd;
}

/* The next datagram, as a string; fails the test if none comes. */
static char *
next_dgram(int fd, char *buf, size_t len)
{
	ssize_t n = recv(fd, buf, len - 1, 0);

	ck_assert_msg(n >= 0, "no datagram: %s", strerror(errno));
	buf[n] = '\0';
	return buf;
}

/* True when nothing is waiting (a datagram send is queued before send()
 * returns, so this is not a race). */
static int
nothing_waiting(int fd)
{
	char c;

	return recv(fd, &c, 1, MSG_DONTWAIT) < 0 && errno == EAGAIN;
}

static void
want_case(const char *what, int fd, const char *want)
{
	char got[512];

	ck_assert_msg(strcmp(next_dgram(fd, got, sizeof(got)), want) == 0,
	    "%s: got \"%s\", want \"%s\"", what, got, want);
}

#define want_line(fd, want)	want_case(__func__, (fd), (want))

/* The next datagram must be head, the tag "rw-test[PID]: ", then msg. */
#define want_msg(fd, head, msg)	want_tagged(__func__, (fd), (head), (msg))

static void
want_tagged(const char *what, int fd, const char *head, const char *msg)
{
	char want[512];

	snprintf(want, sizeof(want), "%srw-test[%ld]: %s", head,
	    (long)getpid(), msg);
	want_case(what, fd, want);
}

START_TEST(test_format)
{
	static const struct {
		const char *name;
		time_t	when;
		int	facility, priority;
		const char *msg;
		const char *head, *tail;	/* the line: head, tag, tail */
	} cases[] = {
		{ "mail info", T_NOV22, LOG_MAIL, LOG_INFO, "hello",
		    "<22>Nov 22 08:53:16 ", "hello" },
		{ "mail notice", T_NOV22, LOG_MAIL, LOG_NOTICE, "a b=c",
		    "<21>Nov 22 08:53:16 ", "a b=c" },
		{ "day padded with a space", T_JAN5, LOG_MAIL, LOG_ERR, "x",
		    "<19>Jan  5 00:00:09 ", "x" },
		{ "facility bits of the priority ignored", T_NOV22, LOG_MAIL,
		    LOG_LOCAL7 | LOG_WARNING, "y",
		    "<20>Nov 22 08:53:16 ", "y" },
		{ "local7 debug (3 digits)", T_NOV22, LOG_LOCAL7, LOG_DEBUG,
		    "z", "<191>Nov 22 08:53:16 ", "z" },
		{ "kern emerg (1 digit)", T_NOV22, LOG_KERN, LOG_EMERG, "k",
		    "<0>Nov 22 08:53:16 ", "k" },
		{ "empty message", T_NOV22, LOG_DAEMON, LOG_INFO, "",
		    "<30>Nov 22 08:53:16 ", "" },
	};
	int fd = listen_at(SOCK_DGRAM), i;

	for (i = 0; i < NCASES(cases); i++) {
		slog_open(path, "rw-test", cases[i].facility, false);
		fake_now = cases[i].when;
		slog_write(cases[i].priority, cases[i].msg,
		    strlen(cases[i].msg));
		want_tagged(cases[i].name, fd, cases[i].head, cases[i].tail);
		slog_close();
	}
	ck_assert_int_eq(slog_lost(), 0);
	close(fd);
}
END_TEST

/* len counts, not the NUL: a message with bytes after len is cut there. */
START_TEST(test_len_not_nul)
{
	int fd = listen_at(SOCK_DGRAM);

	slog_open(path, "rw-test", LOG_MAIL, false);
	slog_write(LOG_INFO, "abcdef", 3);
	want_msg(fd, "<22>Nov 22 08:53:16 ", "abc");
	close(fd);
}
END_TEST

/* The ident is cut at 64 bytes. */
START_TEST(test_long_ident)
{
	int fd = listen_at(SOCK_DGRAM);
	char ident[100], want[256];

	memset(ident, 'i', sizeof(ident) - 1);
	ident[sizeof(ident) - 1] = '\0';
	slog_open(path, ident, LOG_MAIL, false);
	slog_write(LOG_INFO, "m", 1);
	snprintf(want, sizeof(want), "<22>Nov 22 08:53:16 %.64s[%ld]: m",
	    ident, (long)getpid());
	want_line(fd, want);
	close(fd);
}
END_TEST

/* A line longer than the writer's buffer is cut to 8192 bytes in all. */
START_TEST(test_long_line)
{
	int fd = listen_at(SOCK_DGRAM), big = 64 * 1024;
	char *msg = malloc(10000), *got = malloc(16384), head[128];
	size_t h;

	ck_assert(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big)) == 0);
	memset(msg, 'm', 10000);
	slog_open(path, "rw-test", LOG_MAIL, false);
	slog_write(LOG_INFO, msg, 10000);
	h = (size_t)snprintf(head, sizeof(head),
	    "<22>Nov 22 08:53:16 rw-test[%ld]: ", (long)getpid());
	next_dgram(fd, got, 16384);
	ck_assert_uint_eq(strlen(got), 8192);
	ck_assert(strncmp(got, head, h) == 0);
	ck_assert(strspn(got + h, "m") == 8192 - h);
	free(msg);
	free(got);
	close(fd);
}
END_TEST

/* syslog-ng's unix-stream socket: each line ends in a NUL, as glibc. */
START_TEST(test_stream)
{
	int lfd = listen_at(SOCK_STREAM), cfd;
	char got[256], want[256];
	size_t o = 0, total;
	ssize_t n;
	struct timeval tv = { 5, 0 };

	slog_open(path, "rw-test", LOG_MAIL, false);
	cfd = accept(lfd, NULL, NULL);
	ck_assert_int_ge(cfd, 0);
	ck_assert(setsockopt(cfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == 0);
	slog_write(LOG_INFO, "one", 3);
	slog_write(LOG_NOTICE, "two", 3);
	snprintf(want, sizeof(want), "<22>Nov 22 08:53:16 rw-test[%ld]: one%c"
	    "<21>Nov 22 08:53:16 rw-test[%ld]: two%c", (long)getpid(), 0,
	    (long)getpid(), 0);
	/* want holds two NUL-ended lines of the same length. */
	total = 2 * (strlen(want) + 1);
	while (o < total && (n = recv(cfd, got + o, sizeof(got) - o, 0)) > 0)
		o += (size_t)n;
	ck_assert_uint_eq(o, total);
	ck_assert(memcmp(got, want, o) == 0);
	close(cfd);
	close(lfd);
}
END_TEST

/* The syslog daemon restarts: a new socket at the same path. The next
 * line reconnects at once (the clock does not move) and nothing is lost. */
START_TEST(test_daemon_restarts)
{
	int fd = listen_at(SOCK_DGRAM);

	slog_open(path, "rw-test", LOG_MAIL, false);
	slog_write(LOG_INFO, "before", 6);
	want_msg(fd, "<22>Nov 22 08:53:16 ", "before");
	close(fd);
	fd = listen_at(SOCK_DGRAM);
	slog_write(LOG_INFO, "after", 5);
	want_msg(fd, "<22>Nov 22 08:53:16 ", "after");
	ck_assert_int_eq(slog_lost(), 0);
	ck_assert(nothing_waiting(fd));
	close(fd);
}
END_TEST

/* No syslog daemon yet: lines are lost and counted; within the same
 * second no reconnect is tried (a line then is lost although the socket
 * is back); a second later the line gets through after a warning with
 * the count. */
START_TEST(test_no_daemon_then_one)
{
	int fd;

	slog_open(path, "rw-test", LOG_MAIL, false);
	slog_write(LOG_INFO, "lost 1", 6);
	slog_write(LOG_INFO, "lost 2", 6);
	ck_assert_int_eq(slog_lost(), 2);
	fd = listen_at(SOCK_DGRAM);
	slog_write(LOG_INFO, "lost 3", 6);
	ck_assert_int_eq(slog_lost(), 3);
	ck_assert(nothing_waiting(fd));
	fake_now++;
	slog_write(LOG_INFO, "kept", 4);
	want_msg(fd, "<20>Nov 22 08:53:17 ",
	    "warning: the syslog socket was unreachable: 3 line(s) lost");
	want_msg(fd, "<22>Nov 22 08:53:17 ", "kept");
	ck_assert(nothing_waiting(fd));
	/* Counted once: the next line comes alone. */
	slog_write(LOG_INFO, "next", 4);
	want_msg(fd, "<22>Nov 22 08:53:17 ", "next");
	close(fd);
}
END_TEST

/* A path too long for a socket address: nothing is sent, lines are
 * counted as lost, nothing crashes. */
START_TEST(test_path_too_long)
{
	char longpath[200];

	memset(longpath, 'p', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	slog_open(longpath, "rw-test", LOG_MAIL, false);
	slog_write(LOG_INFO, "x", 1);
	ck_assert_int_eq(slog_lost(), 1);
}
END_TEST

/* With to_stderr, the line from the ident on and a newline reach stderr,
 * whether or not the socket is there. */
START_TEST(test_stderr_copy)
{
	int p[2], saved, fd = listen_at(SOCK_DGRAM);
	char got[256], want[256];
	ssize_t n;

	ck_assert(pipe(p) == 0);
	saved = dup(STDERR_FILENO);
	ck_assert(dup2(p[1], STDERR_FILENO) == STDERR_FILENO);
	slog_open(path, "rw-test", LOG_MAIL, true);
	slog_write(LOG_INFO, "to both", 7);
	close(fd);
	(void)unlink(path);
	slog_write(LOG_INFO, "to stderr", 9);
	ck_assert(dup2(saved, STDERR_FILENO) == STDERR_FILENO);
	close(saved);
	close(p[1]);
	n = read(p[0], got, sizeof(got) - 1);
	ck_assert_int_ge(n, 0);
	got[n] = '\0';
	snprintf(want, sizeof(want), "rw-test[%ld]: to both\nrw-test[%ld]: "
	    "to stderr\n", (long)getpid(), (long)getpid());
	ck_assert_msg(strcmp(got, want) == 0, "got \"%s\", want \"%s\"", got,
	    want);
	close(p[0]);
}
END_TEST

/* A forked child's lines carry the child's pid. */
START_TEST(test_fork_pid)
{
	int fd = listen_at(SOCK_DGRAM), status;
	char want[128];
	pid_t pid;

	slog_open(path, "rw-test", LOG_MAIL, false);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		slog_write(LOG_INFO, "child", 5);
		_exit(0);
	}
	ck_assert(waitpid(pid, &status, 0) == pid);
	snprintf(want, sizeof(want), "<22>Nov 22 08:53:16 rw-test[%ld]: child",
	    (long)pid);
	want_line(fd, want);
	close(fd);
}
END_TEST

#define WRITERS	4
#define LINES	250

static void *
writer(void *arg)
{
	int t = (int)(long)arg, i, n;
	char msg[64];

	for (i = 0; i < LINES; i++) {
		n = snprintf(msg, sizeof(msg), "writer %d line %d", t, i);
		slog_write(LOG_INFO, msg, (size_t)n);
	}
	return NULL;
}

/* Threads share the socket without a lock: every line arrives whole and
 * once, each thread's in its order. */
START_TEST(test_threads)
{
	int fd = listen_at(SOCK_DGRAM), i, t, line, next[WRITERS] = { 0 };
	pthread_t th[WRITERS];
	char got[256], head[128];
	size_t h;

	slog_open(path, "rw-test", LOG_MAIL, false);
	h = (size_t)snprintf(head, sizeof(head),
	    "<22>Nov 22 08:53:16 rw-test[%ld]: ", (long)getpid());
	for (t = 0; t < WRITERS; t++)
		ck_assert(pthread_create(&th[t], NULL, writer,
		    (void *)(long)t) == 0);
	for (i = 0; i < WRITERS * LINES; i++) {
		next_dgram(fd, got, sizeof(got));
		ck_assert_msg(strncmp(got, head, h) == 0 &&
		    sscanf(got + h, "writer %d line %d", &t, &line) == 2 &&
		    t >= 0 && t < WRITERS, "line %d: \"%s\"", i, got);
		ck_assert_msg(line == next[t], "writer %d: line %d, want %d",
		    t, line, next[t]);
		next[t]++;
	}
	for (t = 0; t < WRITERS; t++)
		ck_assert(pthread_join(th[t], NULL) == 0);
	ck_assert(nothing_waiting(fd));
	ck_assert_int_eq(slog_lost(), 0);
	close(fd);
}
END_TEST

Suite *
slog_suite(void)
{
	Suite *s = suite_create("slog");
	TCase *tc = tcase_create("slog");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_format);
	tcase_add_test(tc, test_len_not_nul);
	tcase_add_test(tc, test_long_ident);
	tcase_add_test(tc, test_long_line);
	tcase_add_test(tc, test_stream);
	tcase_add_test(tc, test_daemon_restarts);
	tcase_add_test(tc, test_no_daemon_then_one);
	tcase_add_test(tc, test_path_too_long);
	tcase_add_test(tc, test_stderr_copy);
	tcase_add_test(tc, test_fork_pid);
	tcase_add_test(tc, test_threads);
	suite_add_tcase(s, tc);
	return s;
}
