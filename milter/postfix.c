/*
 * postfix - Postfix's own tools as a source. See postfix.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "escape.h"
#include "postfix.h"

/* What one run of a tool gave. */
struct run {
	char	*out;		/* standard output, NUL-terminated */
	size_t	len;
	char	errline[256];	/* the first line of standard error */
	size_t	errlen;
	int	status;		/* as waitpid() gives it; -1: not run */
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Where argv[0] is: /usr/sbin, else the first PATH directory that has
 * it; false when none does. */
static bool
find_tool(const char *name, char *path, size_t len)
{
	const char *dirs = getenv("PATH"), *d;

	snprintf(path, len, "/usr/sbin/%s", name);
	if (access(path, X_OK) == 0)
		return true;
	for (d = dirs; d != NULL && *d != '\0'; d += strcspn(d, ":") +
	    (d[strcspn(d, ":")] == ':')) {
		snprintf(path, len, "%.*s/%s", (int)strcspn(d, ":"), d, name);
		if (path[0] == '/' && access(path, X_OK) == 0)
			return true;
	}
	return false;
}

/*
 * Starts the tool with its output on pipes. In the child, only calls
 * that are safe after fork(2) in a threaded process: its signals back to
 * their defaults, and its real ids made its effective ones. At the
 * start, the list files are read with root's real ids and user's
 * effective ones; Postfix's tools take that for a set-uid program and
 * then honour "-c DIR" only when the default main.cf lists DIR in
 * alternate_config_directories.
 */
static int
spawn(char *const argv[], int out, int err, pid_t *pid)
{
	char path[4096];
	sigset_t none;
	uid_t uid = geteuid();
	gid_t gid = getegid();
	int sig;

	if (!find_tool(argv[0], path, sizeof(path)))
		return ENOENT;
	sigemptyset(&none);
	if ((*pid = fork()) < 0)
		return errno;
	if (*pid > 0)
		return 0;
	for (sig = 1; sig < NSIG; sig++)
		(void)signal(sig, SIG_DFL);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
	if (dup2(out, 1) < 0 || dup2(err, 2) < 0 ||
	    setresgid(gid, gid, gid) != 0 || setresuid(uid, uid, uid) != 0)
		_exit(127);
	(void)close(0);
	(void)open("/dev/null", O_RDONLY);
	execv(path, argv);
	_exit(127);
}

/* Appends what fd has to r (out) or keeps the first line (err); false
 * at its end. */
static bool
drain(int fd, struct run *r, bool is_out, bool *over)
{
	char buf[65536], *grown;
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n < 0)
		return errno == EINTR || errno == EAGAIN;
	if (n == 0)
		return false;
	if (!is_out) {
		size_t keep = sizeof(r->errline) - 1 - r->errlen;

		if ((size_t)n < keep)
			keep = (size_t)n;
		memcpy(r->errline + r->errlen, buf, keep);
		r->errlen += keep;
		r->errline[r->errlen] = '\0';
		return true;
	}
	if (r->len + (size_t)n > POSTFIX_OUTPUT_MAX) {
		*over = true;
		return false;
	}
	if ((grown = realloc(r->out, r->len + (size_t)n + 1)) == NULL) {
		*over = true;
		return false;
	}
	r->out = grown;
	memcpy(r->out + r->len, buf, (size_t)n);
	r->len += (size_t)n;
	r->out[r->len] = '\0';
	return true;
}

/* Reads both pipes until they end, the output is too big or the
 * deadline passes; false in the last two cases. */
static bool
collect(int out, int err, struct run *r, bool *timed_out)
{
	struct pollfd p[2] = { { out, POLLIN, 0 }, { err, POLLIN, 0 } };
	double deadline = now() + POSTFIX_TIMEOUT;
	bool over = false;
	int i;

	*timed_out = false;
	while ((p[0].fd >= 0 || p[1].fd >= 0) && !over) {
		double left = deadline - now();

		if (left <= 0) {
			*timed_out = true;
			return false;
		}
		if (poll(p, 2, (int)(left * 1000) + 1) < 0 && errno != EINTR)
			return false;
		for (i = 0; i < 2; i++)
			if (p[i].fd >= 0 && (p[i].revents & (POLLIN | POLLHUP |
			    POLLERR)) && !drain(p[i].fd, r, i == 0, &over))
				p[i].fd = -1;
	}
	return !over;
}

/* Runs argv; true when it ran to its end (whatever its status). */
static bool
run_tool(char *const argv[], struct run *r, char *err, size_t errlen)
{
	int po[2] = { -1, -1 }, pe[2] = { -1, -1 }, e;
	bool timed_out = false, ok;
	char ebuf[128];
	pid_t pid;

	memset(r, 0, sizeof(*r));
	r->status = -1;
	if (pipe2(po, O_CLOEXEC) != 0 || pipe2(pe, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "cannot run %s: %s", argv[0],
		    strerror_r(errno, ebuf, sizeof(ebuf)));
		goto fail;
	}
	if ((e = spawn(argv, po[1], pe[1], &pid)) != 0) {
		snprintf(err, errlen, "cannot run %s: %s%s", argv[0],
		    strerror_r(e, ebuf, sizeof(ebuf)), e == ENOENT ?
		    " (is Postfix installed?)" : "");
		goto fail;
	}
	close(po[1]);
	close(pe[1]);
	po[1] = pe[1] = -1;
	ok = collect(po[0], pe[0], r, &timed_out);
	if (!ok)
		kill(pid, SIGKILL);
	while (waitpid(pid, &r->status, 0) < 0 && errno == EINTR)
		;
	close(po[0]);
	close(pe[0]);
	if (!ok) {
		if (timed_out)
			snprintf(err, errlen, "%s did not finish within %d "
			    "seconds: stopped", argv[0], POSTFIX_TIMEOUT);
		else
			snprintf(err, errlen, "%s printed more than %d bytes "
			    "(or memory ran out): stopped", argv[0],
			    POSTFIX_OUTPUT_MAX);
		free(r->out);
		r->out = NULL;
	}
	return ok;
fail:
	for (e = 0; e < 2; e++) {
		if (po[e] >= 0)
			close(po[e]);
		if (pe[e] >= 0)
			close(pe[e]);
	}
	return false;
}

/* The tool's complaint, escaped, for a message. */
static const char *
complaint(struct run *r, char *buf, size_t len)
{
	r->errline[strcspn(r->errline, "\n")] = '\0';
	return escape_show(buf, len, r->errline[0] != '\0' ? r->errline :
	    "no message");
}

/* Runs argv and wants status 0 (and, when warned is not NULL, no
 * warning that holds it); the output in *out. */
static bool
ask(char *const argv[], const char *warned, char **out, char *err,
    size_t errlen)
{
	struct run r;
	char why[300];

	*out = NULL;
	if (!run_tool(argv, &r, err, errlen))
		return false;
	if (!WIFEXITED(r.status) || WEXITSTATUS(r.status) != 0 ||
	    (warned != NULL && strstr(r.errline, warned) != NULL)) {
		snprintf(err, errlen, "%s failed: %s", argv[0],
		    complaint(&r, why, sizeof(why)));
		free(r.out);
		return false;
	}
	if (r.out == NULL && (r.out = strdup("")) == NULL) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	*out = r.out;
	return true;
}

bool
postfix_param(const char *confdir, const char *name, char **out, char *err,
    size_t errlen)
{
	char *const argv[] = { "postconf", "-c", (char *)confdir, "-hx",
	    (char *)name, NULL };

	/* postconf says "unknown parameter" as a warning, with status 0. */
	return ask(argv, "unknown parameter", out, err, errlen);
}

static int
line_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts the lines of text (each ending in '\n' once sorted) in place;
 * false when out of memory. */
static bool
sort_lines(char **text)
{
	char *s, *sorted, *o, **line;
	size_t n = 0, i, len = strlen(*text);

	for (s = *text; *s != '\0'; s += strcspn(s, "\n"), s += *s == '\n')
		n++;
	if (n < 2)
		return true;
	line = malloc(n * sizeof(*line));
	sorted = malloc(len + 2);
	if (line == NULL || sorted == NULL) {
		free(line);
		free(sorted);
		return false;
	}
	for (i = 0, s = *text; i < n; i++) {
		line[i] = s;
		s += strcspn(s, "\n");
		if (*s == '\n')
			*s++ = '\0';
	}
	qsort(line, n, sizeof(*line), line_cmp);
	for (i = 0, o = sorted; i < n; i++) {
		len = strlen(line[i]);
		memcpy(o, line[i], len);
		o += len;
		*o++ = '\n';
	}
	*o = '\0';
	free(line);
	free(*text);
	*text = sorted;
	return true;
}

bool
postfix_table(const char *confdir, const char *table, char **out, char *err,
    size_t errlen)
{
	char *const argv[] = { "postmap", "-c", (char *)confdir, "-s",
	    (char *)table, NULL };

	if (!ask(argv, NULL, out, err, errlen))
		return false;
	/* postmap lists a texthash: table in the order of Postfix's hash
	 * table, seeded at random in each process: sorted, the same table
	 * gives the same text, hence the same policy digest. */
	if (!sort_lines(out)) {
		free(*out);
		*out = NULL;
		snprintf(err, errlen, "out of memory");
		return false;
	}
	return true;
}

bool
postfix_services(const char *confdir, char **out, char *err, size_t errlen)
{
	char *const argv[] = { "postconf", "-c", (char *)confdir, "-M", NULL };

	return ask(argv, NULL, out, err, errlen);
}

static bool
in_list(const char *const *list, const char *type, size_t len)
{
	for (; *list != NULL; list++)
		if (strlen(*list) == len && strncmp(*list, type, len) == 0)
			return true;
	return false;
}

bool
postfix_can_list(const char *type, size_t len)
{
	static const char *const listable[] = {
		"hash", "btree", "texthash", "lmdb", "cdb", "dbm", "sdbm",
		NULL
	};

	return in_list(listable, type, len);
}

bool
postfix_is_table_type(const char *type, size_t len)
{
	/* postconf -m, and those Debian ships as extra packages. */
	static const char *const types[] = {
		"btree", "cdb", "cidr", "dbm", "environ", "fail", "hash",
		"inline", "internal", "ldap", "lmdb", "memcache", "mongodb",
		"mysql", "nis", "nisplus", "pcre", "pgsql", "pipemap", "proxy",
		"randmap", "regexp", "sdbm", "socketmap", "sqlite", "static",
		"tcp", "texthash", "unionmap", "unix", NULL
	};

	return in_list(types, type, len);
}
