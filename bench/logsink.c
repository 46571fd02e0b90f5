/*
 * logsink - a syslog daemon that keeps nothing: binds a unix datagram
 * socket, reads and counts what arrives, and on SIGTERM/SIGINT, once it
 * has read what was queued, prints
 *   logsink: N lines, D decision lines, M message lines, B bytes, L lost
 * and exits (M: the lines of the end of a message, "QUEUEID: ...
 * accepted=N refused=N ...", which are not decisions; L: the sum of the
 * counts in relaywarden's "the syslog
 * socket was unreachable: L line(s) lost" warnings). Each relaywarden
 * "reloaded:" line it gets is also told at once, as
 *   logsink: reload lines R
 * so that a test can wait for a reload to be over. The benchmark points
 * a daemon's /dev/log at it (in a private mount namespace), so that the
 * daemon logs as it would in production (one datagram per line to a
 * running syslogd) and the run can check that every decision was logged.
 *
 *   logsink PATH          (PATH must not exist; removed at exit)
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int
main(int argc, char *argv[])
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct sigaction sa;
	struct timeval tick = { .tv_sec = 0, .tv_usec = 200000 };
	static const char lost_text[] = "syslog socket was unreachable: ";
	unsigned long long lines = 0, decisions = 0, bytes = 0, lost = 0;
	unsigned long long messages = 0;
	unsigned long long reloads = 0;
	const char *p;
	char buf[8192];
	int fd;

	if (argc != 2 || strlen(argv[1]) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "usage: logsink PATH\n");
		return 2;
	}
	strcpy(sun.sun_path, argv[1]);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: recv() returns */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0 ||
	    bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		fprintf(stderr, "logsink: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	(void)chmod(argv[1], 0666);
	/* A signal that lands between the test of stop and a blocking recv()
	 * would leave the sink waiting for a datagram that never comes: the
	 * timeout bounds that wait, and the loop looks at stop again. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tick, sizeof(tick)) < 0) {
		fprintf(stderr, "logsink: SO_RCVTIMEO: %s\n", strerror(errno));
		return 1;
	}
	for (;;) {
		/* After the signal, what is already queued is still read (a
		 * sender's datagram is queued before its send() returns), then
		 * the counts are final. */
		ssize_t n = recv(fd, buf, sizeof(buf) - 1,
		    stop ? MSG_DONTWAIT : 0);

		if (n < 0 && stop && errno != EINTR)
			break;		/* EAGAIN: nothing left */
		if (n < 0)
			continue;	/* EINTR, or the tick: look at stop */
		buf[n] = '\0';
		lines++;
		bytes += (unsigned long long)n;
		if (strstr(buf, " decision=") != NULL)
			decisions++;
		else if (strstr(buf, " accepted=") != NULL &&
		    strstr(buf, " refused=") != NULL)
			messages++;
		else if ((p = strstr(buf, lost_text)) != NULL)
			lost += strtoull(p + sizeof(lost_text) - 1, NULL, 10);
		else if (strstr(buf, ": reloaded: ") != NULL) {
			printf("logsink: reload lines %llu\n", ++reloads);
			fflush(stdout);
		}
	}
	unlink(argv[1]);
	printf("logsink: %llu lines, %llu decision lines, %llu message lines, "
	    "%llu bytes, %llu lost\n", lines, decisions, messages, bytes, lost);
	return 0;
}
