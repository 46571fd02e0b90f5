/*
 * relaywarden - options, the first config load, the socket, signals,
 * and libmilter's main loop. No policy here.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <syslog.h>
#include <unistd.h>

#include "conf.h"
#include "daemon.h"
#include "glue.h"
#include "log.h"
#include "query.h"
#include "snap.h"

#ifndef RW_CONF_DEFAULT
#define RW_CONF_DEFAULT "/etc/relaywarden/relaywarden.conf"
#endif

static const char *conf_path = RW_CONF_DEFAULT;

/* At stop, how long callbacks in progress get to give their answer. */
#define STOP_WAIT	10

static void
usage(void)
{
	fprintf(stderr,
	    "usage: relaywarden [-f] [-c file]      run the milter\n"
	    "       relaywarden -n [-c file]        check the configuration\n"
	    "       relaywarden -q [-c file] facts  what would the policy say?\n"
	    "       relaywarden -V                  print the version\n"
	    "facts: port= name= client= auth= tls= from= rcpt= (rcpt repeats)\n"
	    "default file: %s\n", RW_CONF_DEFAULT);
	exit(EX_USAGE);
}

/* How the first load reads the list files (conf_load_as()). */
struct first_load {
	bool		for_good;	/* -n, -q: drop root for good */
	struct daemon_user saved;
};

static bool
lists_as_user(const char *user, void *arg, char *err, size_t errlen)
{
	struct first_load *fl = arg;

	return daemon_user_begin(user, fl->for_good, &fl->saved, err, errlen);
}

/*
 * The first load, printing every error to stderr; NULL on failure. The
 * main file is read as we are (it names user), the list files as user
 * reads them at a reload: -n and -q drop root for good first; the
 * daemon switches its effective ids around them and is root again for
 * the socket and the pid file (no thread runs yet: reloads come after
 * the drop and need nothing of this).
 */
static struct policy *
load_or_print(bool for_good)
{
	struct conf_errors errs = { NULL, 0, 0 };
	struct first_load fl = { for_good, { false, 0, 0, NULL } };
	struct policy *p = conf_load_as(conf_path, &errs, lists_as_user, &fl);
	char err[256];
	size_t i;

	if (!daemon_user_end(&fl.saved, err, sizeof(err))) {
		fprintf(stderr, "relaywarden: %s\n", err);
		policy_free(p);
		p = NULL;
	}
	for (i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errs.msg[i]);
	if (errs.dropped > 0)
		fprintf(stderr, "%s: %zu more errors not shown\n", conf_path,
		    errs.dropped);
	conf_errors_free(&errs);
	return p;
}

static void
log_policy(const char *what, const struct policy *p)
{
	static const char hex[] = "0123456789abcdef";
	char digest[2 * sizeof(p->digest) + 1], path[1024];
	size_t i;

	for (i = 0; i < sizeof(p->digest); i++) {
		digest[2 * i] = hex[p->digest[i] >> 4];
		digest[2 * i + 1] = hex[p->digest[i] & 0xf];
	}
	digest[2 * i] = '\0';
	log_msg(LOG_INFO, "%s: config=%s sha256=%s local_domains=%zu "
	    "my_networks=%zu mode=%s", what,
	    log_show(path, sizeof(path), conf_path), digest,
	    domset_count(p->local_domains), netset_count(p->my_networks),
	    p->mode == MODE_MONITOR ? "monitor" : "enforce");
}

/* Set before the stop signal wakes the reload thread. */
static atomic_bool stopping;

/*
 * SIGUSR1 reloads (libmilter's own signal thread takes SIGHUP, SIGTERM
 * and SIGINT as "stop"). The new policy is built with no lock held; a
 * broken file keeps the old policy and logs every error. The thread is
 * stopped with "stopping" and a SIGUSR1 of its own, never cancelled:
 * cancelling it inside sigwait() is what AddressSanitizer trips on
 * (google/sanitizers#1399), and a cancel could cut a reload in half.
 * Between signals, every DAEMON_TRIM_SECONDS, it gives malloc's free
 * pages back (see daemon.h).
 */
static void *
reload_thread(void *arg)
{
	const sigset_t *set = arg;
	const struct timespec tick = { DAEMON_TRIM_SECONDS, 0 };

	for (;;) {
		struct conf_errors errs = { NULL, 0, 0 };
		struct policy *p;
		size_t i;

		if (sigtimedwait(set, NULL, &tick) < 0) {
			if (errno == EAGAIN)
				daemon_trim_memory();
			continue;
		}
		if (atomic_load(&stopping))
			break;
		p = conf_load(conf_path, &errs);
		if (p == NULL) {
			for (i = 0; i < errs.n; i++)
				log_msg(LOG_ERR, "reload refused: %s", errs.msg[i]);
			log_msg(LOG_ERR, "reload refused: %zu error(s); the "
			    "previous policy stays in force", errs.n + errs.dropped);
			conf_errors_free(&errs);
			continue;
		}
		log_policy("reloaded", p);
		if (!snap_publish(p))
			log_msg(LOG_ERR, "reload: out of memory; the previous "
			    "policy stays in force");
	}
	return NULL;
}

/* The path of a unix milter socket ("unix:/x", "local:/x"), or NULL. */
static const char *
unix_socket_path(const char *conn)
{
	if (strncmp(conn, "unix:", 5) == 0)
		return conn + 5;
	if (strncmp(conn, "local:", 6) == 0)
		return conn + 6;
	return NULL;
}

/* conf_path made absolute; false (and a message) when that fails. */
static bool
absolute_conf_path(void)
{
	static char *abs;
	char *cwd = getcwd(NULL, 0);

	if (cwd == NULL || asprintf(&abs, "%s/%s", cwd, conf_path) < 0) {
		fprintf(stderr, "relaywarden: cannot tell the working directory "
		    "of %s: give the configuration's full path\n", conf_path);
		free(cwd);
		return false;
	}
	free(cwd);
	conf_path = abs;
	return true;
}

static bool
fail(const char *what)
{
	fprintf(stderr, "relaywarden: %s\n", what);
	log_msg(LOG_ERR, "%s", what);
	return false;
}

/*
 * Checks for a running instance, opens the socket, detaches, writes the
 * pid file and drops root, in that order: the socket and the pid file
 * may need root, nothing after them does. *ready is for daemon_ready()
 * once the daemon is up (-1 in the foreground).
 */
static bool
start_daemon(const struct policy *p, bool foreground, const char **unix_path,
    bool *pid_written, int *ready)
{
	struct daemon_ids ids;
	struct daemon_saved saved;
	char err[512];
	bool opened;

	*ready = -1;
	if (!daemon_ids(p->user, p->socket_group, p->run_as_root, &ids, err,
	    sizeof(err)))
		return fail(err);
	if (!daemon_check_running(p->pid_file, err, sizeof(err)))
		return fail(err);
	*unix_path = unix_socket_path(p->milter_socket);
	if (*unix_path != NULL && !daemon_parent_dir(*unix_path,
	    "a socket for Postfix belongs in its queue directory (postconf -h "
	    "queue_directory): install Postfix first, or set milter_socket to "
	    "another path", &ids, err, sizeof(err)))
		return fail(err);
	if (p->pid_file[0] != '\0' && !daemon_parent_dir(p->pid_file,
	    "create it, or set pid_file to another path", &ids, err,
	    sizeof(err)))
		return fail(err);
	if (*unix_path == NULL) {
		if (!glue_open(p->milter_socket, err, sizeof(err)))
			return fail(err);
	} else {
		if (!daemon_socket_begin(&ids, p->socket_mode, &saved, err,
		    sizeof(err)))
			return fail(err);
		if (daemon_socket_in_use(*unix_path)) {
			daemon_socket_end(&saved);
			snprintf(err, sizeof(err), "milter socket %s is in use: "
			    "a milter answers on it (stop it first)", *unix_path);
			return fail(err);
		}
		opened = glue_open(p->milter_socket, err, sizeof(err));
		daemon_socket_end(&saved);
		if (!opened) {
			char why[sizeof(err) + 128];

			snprintf(why, sizeof(why), "%s; it is made by user, "
			    "who must be able to write to its directory", err);
			return fail(why);
		}
		if (!daemon_socket_group(*unix_path, &ids, err, sizeof(err)))
			goto made;
	}
	if (!foreground && !daemon_detach(ready, err, sizeof(err)))
		goto made;
	if (p->pid_file[0] != '\0') {
		if (!daemon_pidfile(p->pid_file, err, sizeof(err)))
			goto made;
		*pid_written = true;
	}
	if (!daemon_drop(&ids, err, sizeof(err)))
		goto made;
	return true;
made:
	/* The socket made above goes with us: no one will answer on it. */
	if (*unix_path != NULL)
		(void)unlink(*unix_path);
	return fail(err);
}

int
main(int argc, char *argv[])
{
	enum { RUN, CHECK, QUERY } mode = RUN;
	bool foreground = false;
	struct policy *p;
	pthread_t reloader;
	sigset_t set, stops;
	const char *unix_path = NULL;
	char *unix_file = NULL, *pid_file = NULL;
	bool pid_written = false;
	unsigned long open;
	unsigned busy;
	int ch, status, ready;

	while ((ch = getopt(argc, argv, "c:fnqVh")) != -1) {
		switch (ch) {
		case 'c':
			conf_path = optarg;
			break;
		case 'f':
			foreground = true;
			break;
		case 'n':
			mode = CHECK;
			break;
		case 'q':
			mode = QUERY;
			break;
		case 'V':
			printf("relaywarden %s\n", RW_VERSION);
			return 0;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if ((mode != QUERY && argc > 0) || (mode == QUERY && argc == 0))
		usage();

	/*
	 * The daemon's signals are blocked from the start, so that only
	 * sigwait() sees them: SIGUSR1 in the reload thread, the stop
	 * signals in libmilter's own signal thread. One sent while the
	 * first load runs (systemctl reload or stop just after start)
	 * waits for its thread instead of killing the daemon with the
	 * default action, and so does one sent to a thread started later.
	 */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigemptyset(&stops);
	sigaddset(&stops, SIGHUP);
	sigaddset(&stops, SIGTERM);
	sigaddset(&stops, SIGINT);
	sigaddset(&stops, SIGUSR1);
	if (mode == RUN)
		pthread_sigmask(SIG_BLOCK, &stops, NULL);
	/* Reloads read the same file after the detach's chdir("/"). */
	if (mode == RUN && conf_path[0] != '/' && !absolute_conf_path())
		return EX_OSERR;
	daemon_memory_init();	/* before the first policy is built */
	p = load_or_print(mode != RUN);
	if (p == NULL)
		return mode == RUN ? EX_CONFIG : 1;
	if (mode == CHECK) {
		char err[512], path[1024];

		if (!daemon_accounts(p->user, p->socket_group, err,
		    sizeof(err))) {
			fprintf(stderr, "%s: %s\n", log_show(path, sizeof(path),
			    conf_path), err);
			policy_free(p);
			return 1;
		}
		printf("%s: ok: %zu local domains, %zu networks, policy %s\n",
		    conf_path, domset_count(p->local_domains),
		    netset_count(p->my_networks), p->digest_short);
		policy_free(p);
		return 0;
	}
	if (mode == QUERY) {
		status = query_run(p, argc, argv, stdout, stderr);
		policy_free(p);
		return status;
	}

	/* -f copies each line to stderr, except into systemd's journal,
	 * which has them from syslog already. */
	log_open(p->syslog_ident, p->syslog_facility,
	    foreground && !daemon_stderr_is_journal());
	if (!start_daemon(p, foreground, &unix_path, &pid_written, &ready)) {
		policy_free(p);
		return EX_CONFIG;
	}
	log_policy("starting", p);
	log_msg(LOG_INFO, "listening on %s as uid %ld", p->milter_socket,
	    (long)geteuid());
	/* Our own copies: a reload frees the policy they come from. */
	if ((pid_file = strdup(p->pid_file)) == NULL ||
	    (unix_path != NULL && (unix_file = strdup(unix_path)) == NULL) ||
	    !snap_publish(p)) {
		log_msg(LOG_ERR, "out of memory");
		return EX_OSERR;
	}

	if (pthread_create(&reloader, NULL, reload_thread, &set) != 0) {
		log_msg(LOG_ERR, "cannot start the reload thread");
		return EX_OSERR;
	}
	daemon_ready(ready);

	status = glue_run();
	glue_drain(STOP_WAIT, &open, &busy);
	if (busy > 0)
		log_msg(LOG_WARNING, "stopping: %u answer(s) still pending after "
		    "%d s", busy, STOP_WAIT);
	log_msg(LOG_INFO, "stopping: %lu session(s) left open; the MTA applies "
	    "its milter_default_action to their next command", open);
	atomic_store(&stopping, true);
	pthread_kill(reloader, SIGUSR1);
	pthread_join(reloader, NULL);
	snap_shutdown();
	/* libmilter leaves a unix socket behind in some builds; the files
	 * are ours to remove (their directory is ours after the drop). */
	if (unix_file != NULL && unlink(unix_file) != 0 && errno != ENOENT)
		log_msg(LOG_WARNING, "cannot remove %s: %m", unix_file);
	if (pid_written && unlink(pid_file) != 0 && errno != ENOENT)
		log_msg(LOG_WARNING, "cannot remove %s: %m (put pid_file in a "
		    "directory of its own, which is then made for user)", pid_file);
	free(unix_file);
	free(pid_file);
	log_close();
	return status;
}
