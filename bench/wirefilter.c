/*
 * wirefilter - the milter protocol's own floor: a do-nothing filter
 * without libmilter.
 *
 * One thread, one epoll loop, no per-connection thread or hand-off: it
 * speaks the milter wire protocol itself and asks for the same steps as
 * relaywarden (no CONNECT, HELO, DATA, headers, end of headers, body or
 * unknown commands) and answers each with "continue": MAIL FROM, RCPT TO
 * and the end of message, the same traffic as relaywarden and
 * "nullfilter -m". What Postfix loses with this filter attached is the
 * cost of the milter protocol on Postfix's side (smtpd's and cleanup's
 * milter client, the socket and round trips) plus the least a filter
 * process can cost; no libmilter filter can do better. bench/postfix-e2e
 * runs it as the "wire" variant.
 *
 *   wirefilter unix:/path/to/socket | inet:PORT@127.0.0.1
 *
 * A benchmark tool: packets over 64 kB, or a reply that does not fit the
 * socket at once, end the connection. Runs until SIGTERM or SIGINT.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sysexits.h>
#include <unistd.h>

#include <libmilter/mfdef.h>

#define BUF_MAX	65536

struct conn {
	int	fd;
	size_t	len;
	unsigned char buf[BUF_MAX];
};

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int
listen_on(const char *spec)
{
	struct sockaddr_un sun;
	struct sockaddr_in sin;
	unsigned port;
	int fd, one = 1;
	char host[64];

	if (strncmp(spec, "unix:", 5) == 0) {
		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		if (strlen(spec + 5) >= sizeof(sun.sun_path))
			return -1;
		strcpy(sun.sun_path, spec + 5);
		(void)unlink(sun.sun_path);
		if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0)) < 0 ||
		    bind(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0)
			return -1;
	} else if (sscanf(spec, "inet:%u@%63s", &port, host) == 2 &&
	    port > 0 && port < 65536) {
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_port = htons((uint16_t)port);
		if (inet_pton(AF_INET, host, &sin.sin_addr) != 1 ||
		    (fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)) < 0)
			return -1;
		(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0)
			return -1;
	} else
		return -1;
	return listen(fd, 1024) == 0 ? fd : -1;
}

/* Sends one packet; false when it did not go out whole. */
static bool
reply(int fd, char cmd, const void *data, uint32_t dlen)
{
	unsigned char p[32];
	uint32_t n = htonl(dlen + 1);

	memcpy(p, &n, 4);
	p[4] = (unsigned char)cmd;
	memcpy(p + 5, data, dlen);
	return write(fd, p, 5 + dlen) == (ssize_t)(5 + dlen);
}

/* Answers one packet; false ends the connection. */
static bool
packet(int fd, char cmd, const unsigned char *d, uint32_t dlen)
{
	uint32_t o[3];

	switch (cmd) {
	case SMFIC_OPTNEG:
		if (dlen < 12)
			return false;
		memcpy(o, d, 12);
		o[0] = htonl(SMFI_PROT_VERSION);
		o[1] = 0;
		o[2] = htonl(ntohl(o[2]) & (SMFIP_NOCONNECT | SMFIP_NOHELO |
		    SMFIP_NODATA | SMFIP_NOHDRS | SMFIP_NOEOH | SMFIP_NOBODY |
		    SMFIP_NOUNKNOWN));
		return reply(fd, SMFIC_OPTNEG, o, sizeof(o));
	case SMFIC_MACRO:
	case SMFIC_ABORT:
		return true;			/* no answer expected */
	case SMFIC_QUIT:
		return false;
	case SMFIC_QUIT_NC:
		return true;			/* a new connection follows */
	default:		/* MAIL, RCPT, end of message, anything else */
		return reply(fd, SMFIR_CONTINUE, "", 0);
	}
}

/* Reads what is there and answers every whole packet; false: close. */
static bool
readable(struct conn *c)
{
	ssize_t n;
	size_t at = 0;
	uint32_t plen;

	n = read(c->fd, c->buf + c->len, sizeof(c->buf) - c->len);
	if (n <= 0)
		return n < 0 && (errno == EAGAIN || errno == EINTR);
	c->len += (size_t)n;
	while (c->len - at >= 5) {
		memcpy(&plen, c->buf + at, 4);
		plen = ntohl(plen);
		if (plen == 0 || plen > BUF_MAX - 4)
			return false;
		if (c->len - at < 4 + (size_t)plen)
			break;
		if (!packet(c->fd, (char)c->buf[at + 4], c->buf + at + 5,
		    plen - 1))
			return false;
		at += 4 + plen;
	}
	memmove(c->buf, c->buf + at, c->len - at);
	c->len -= at;
	return true;
}

int
main(int argc, char *argv[])
{
	struct epoll_event ev, evs[64];
	struct sigaction sa;
	struct conn *c;
	int lfd, ep, n, i, fd;

	if (argc != 2) {
		fprintf(stderr, "usage: wirefilter unix:/path | inet:PORT@ADDR\n");
		return EX_USAGE;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	(void)sigaction(SIGTERM, &sa, NULL);
	(void)sigaction(SIGINT, &sa, NULL);
	(void)signal(SIGPIPE, SIG_IGN);
	if ((lfd = listen_on(argv[1])) < 0) {
		fprintf(stderr, "wirefilter: cannot listen on %s: %s\n", argv[1],
		    strerror(errno));
		return EX_UNAVAILABLE;
	}
	if ((ep = epoll_create1(0)) < 0)
		return EX_OSERR;
	ev.events = EPOLLIN;
	ev.data.ptr = NULL;			/* the listener */
	if (epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev) != 0)
		return EX_OSERR;
	while (!stop) {
		if ((n = epoll_wait(ep, evs, 64, -1)) < 0) {
			if (errno == EINTR)
				continue;
			return EX_OSERR;
		}
		for (i = 0; i < n; i++) {
			if ((c = evs[i].data.ptr) != NULL) {
				if (!readable(c)) {
					(void)close(c->fd);	/* leaves epoll too */
					free(c);
				}
				continue;
			}
			while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
				if ((c = malloc(sizeof(*c))) == NULL) {
					(void)close(fd);
					continue;
				}
				c->fd = fd;
				c->len = 0;
				ev.events = EPOLLIN;
				ev.data.ptr = c;
				if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) != 0) {
					(void)close(fd);
					free(c);
				}
			}
		}
	}
	return 0;
}
