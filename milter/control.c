/*
 * control - "relaywarden limits show|reset KEY". See control.h.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sysexits.h>
#include <syslog.h>
#include <unistd.h>

#include "control.h"
#include "escape.h"
#include "log.h"
#include "snap.h"

#define REQUEST_MAX	(RATE_KEY_MAX + 16)
#define TIMEOUT_MS	5000

static const struct rate_stores *served;
static int listener = -1;

bool
control_answer(const struct config *c, const struct rate_stores *st,
    const char *verb, const char *key, FILE *out)
{
	struct rate_cell cells[2 * LIMIT_WINDOWS_MAX];
	char shown[ESCAPE_SHOW_MAX + 8];
	size_t n = ratelimit_key_cells(&c->rate, key,
	    c->policy->sender.delimiters, cells, 2 * LIMIT_WINDOWS_MAX);
	bool ok;

	if (n == 0) {
		fprintf(out, "error: \"%s\" is not a key with limits: write "
		    "login:USER, client:ADDRESS, network:NETWORK/LENGTH, "
		    "mynetworks:ADDRESS or listener:PORT, of a kind with limits "
		    "set\n",
		    escape_show(shown, sizeof(shown), key));
		return false;
	}
	if (strcmp(verb, "show") == 0)
		ok = st->main->ops->show(st->main, cells, n, out);
	else if (strcmp(verb, "reset") == 0)
		ok = st->main->ops->reset(st->main, cells, n);
	else {
		fprintf(out, "error: \"%s\": the requests are show and reset\n",
		    escape_show(shown, sizeof(shown), verb));
		return false;
	}
	fprintf(out, ok ? "ok\n" : "error: the %s store did not answer\n",
	    st->main->name);
	return ok;
}

/* Reads one line (at most REQUEST_MAX bytes, TIMEOUT_MS) into buf. */
static bool
read_line(int fd, char *buf, size_t len)
{
	struct pollfd p = { fd, POLLIN, 0 };
	size_t o = 0;
	ssize_t r;

	while (o + 1 < len) {
		if (poll(&p, 1, TIMEOUT_MS) != 1 ||
		    (r = read(fd, buf + o, len - 1 - o)) <= 0)
			return false;
		o += (size_t)r;
		buf[o] = '\0';
		if (strchr(buf, '\n') != NULL) {
			*strchr(buf, '\n') = '\0';
			return true;
		}
	}
	return false;
}

static void
serve_one(int fd)
{
	char req[REQUEST_MAX + 2], *key;
	struct snap *s;
	FILE *out;

	if (!read_line(fd, req, sizeof(req)) || (out = fdopen(fd, "w")) == NULL) {
		close(fd);
		return;
	}
	key = strchr(req, ' ');
	if (key == NULL) {
		fprintf(out, "error: write \"show KEY\" or \"reset KEY\"\n");
	} else {
		*key++ = '\0';
		s = snap_acquire();
		if (s == NULL)
			fprintf(out, "error: no configuration loaded\n");
		else if (control_answer(snap_config(s), served, req, key, out) &&
		    strcmp(req, "reset") == 0) {
			char shown[ESCAPE_SHOW_MAX + 8];

			log_msg(LOG_NOTICE, "limits: %s reset by the admin",
			    escape_show(shown, sizeof(shown), key));
		}
		snap_release(s);
	}
	fclose(out);
}

static void *
server(void *arg)
{
	int fd;

	(void)arg;
	for (;;) {
		if ((fd = accept4(listener, NULL, NULL, SOCK_CLOEXEC)) < 0) {
			if (errno != EINTR && errno != ECONNABORTED)
				sleep(1);
			continue;
		}
		serve_one(fd);
	}
	return NULL;
}

bool
control_start(const char *path, const struct rate_stores *st, char *err,
    size_t errlen)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	sigset_t all, old;
	pthread_t t;
	mode_t mask;
	int e;

	if (path == NULL || *path == '\0')
		return true;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(err, errlen, "control_socket: the path is too long");
		return false;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	(void)unlink(path);
	mask = umask(077);
	if ((listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    bind(listener, (struct sockaddr *)&sun, sizeof(sun)) != 0 ||
	    listen(listener, 8) != 0) {
		e = errno;
		umask(mask);
		snprintf(err, errlen, "control_socket %s: %s", path, strerror(e));
		return false;
	}
	umask(mask);
	served = st;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	e = pthread_create(&t, NULL, server, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (e != 0) {
		snprintf(err, errlen, "control_socket: no thread: %s",
		    strerror(e));
		return false;
	}
	pthread_detach(t);
	return true;
}

/* Asks the daemon on its control socket; an exit status. */
static int
ask_daemon(const char *path, const char *verb, const char *key, FILE *out,
    FILE *err)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char buf[4096];
	ssize_t n;
	int fd, status = EX_SOFTWARE;

	if (strlen(path) >= sizeof(sun.sun_path))
		return EX_USAGE;
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		fprintf(err, "relaywarden: limits: cannot reach the daemon on "
		    "%s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return EX_UNAVAILABLE;
	}
	dprintf(fd, "%s %s\n", verb, key);
	while ((n = read(fd, buf, sizeof(buf) - 1)) > 0) {
		buf[n] = '\0';
		fputs(buf, out);
		if (strstr(buf, "ok\n") != NULL)
			status = 0;
	}
	close(fd);
	return status;
}

int
control_command(const struct config *c, const char *verb, const char *key,
    FILE *out, FILE *err)
{
	struct rate_stores st;
	char why[512];
	int status;

	if (strcmp(verb, "show") != 0 && strcmp(verb, "reset") != 0) {
		fprintf(err, "relaywarden: limits: the requests are show and "
		    "reset\n");
		return EX_USAGE;
	}
	if (strncmp(c->rate.store, "redis:", 6) != 0) {
		if (c->control_socket[0] == '\0') {
			fprintf(err, "relaywarden: limits: the counts are in the "
			    "daemon's memory: set control_socket (e.g. "
			    "/run/relaywarden/control.sock) and restart it\n");
			return EX_CONFIG;
		}
		return ask_daemon(c->control_socket, verb, key, out, err);
	}
	if (!ratelimit_stores_open(&c->rate, 64, &st, why, sizeof(why))) {
		fprintf(err, "relaywarden: limits: %s\n", why);
		return EX_UNAVAILABLE;
	}
	status = control_answer(c, &st, verb, key, out) ? 0 : EX_SOFTWARE;
	if (st.main != st.local)
		rate_store_free(st.main);
	rate_store_free(st.local);
	return status;
}
