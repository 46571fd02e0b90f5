/*
 * daemon - process set-up. See daemon.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <malloc.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"

static const char *
errstr(int err, char *buf, size_t len)
{
	return strerror_r(err, buf, len);
}

bool
daemon_ids(const char *user, const char *socket_group, bool run_as_root,
    struct daemon_ids *ids, char *err, size_t errlen)
{
	struct passwd pw, *pwp = NULL;
	struct group gr, *grp = NULL;
	char buf[4096];

	memset(ids, 0, sizeof(*ids));
	ids->uid = getuid();
	ids->gid = getgid();
	if (geteuid() == 0 && user[0] != '\0') {
		if (getpwnam_r(user, &pw, buf, sizeof(buf), &pwp) != 0 ||
		    pwp == NULL) {
			snprintf(err, errlen, "user \"%s\" does not exist: create "
			    "it (adduser --system --group %s) or set user in the "
			    "configuration", user, user);
			return false;
		}
		if (pw.pw_uid == 0) {
			snprintf(err, errlen, "user \"%s\" is root: name an "
			    "unprivileged user", user);
			return false;
		}
		ids->drop = true;
		ids->uid = pw.pw_uid;
		ids->gid = pw.pw_gid;
	} else if (geteuid() == 0 && !run_as_root) {
		snprintf(err, errlen, "started as root with no user to become: "
		    "set user = relaywarden (an unprivileged account), or "
		    "run_as_root = yes if you really mean it");
		return false;
	}
	ids->socket_gid = ids->gid;
	if (socket_group[0] != '\0') {
		if (getgrnam_r(socket_group, &gr, buf, sizeof(buf), &grp) != 0 ||
		    grp == NULL) {
			snprintf(err, errlen, "socket_group \"%s\" does not exist",
			    socket_group);
			return false;
		}
		ids->socket_gid = gr.gr_gid;
	}
	return true;
}

bool
daemon_parent_dir(const char *path, const struct daemon_ids *ids, char *err,
    size_t errlen)
{
	char dir[4096], ebuf[128];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash == NULL || slash == dir)
		return true;		/* "/x": the root directory exists */
	*slash = '\0';
	if (mkdir(dir, 0750) != 0) {
		if (errno == EEXIST)
			return true;	/* the admin's directory: leave it */
		snprintf(err, errlen, "cannot create directory %s: %s", dir,
		    errstr(errno, ebuf, sizeof(ebuf)));
		return false;
	}
	if (geteuid() == 0 && chown(dir, ids->uid, ids->socket_gid) != 0) {
		snprintf(err, errlen, "cannot chown directory %s: %s", dir,
		    errstr(errno, ebuf, sizeof(ebuf)));
		return false;
	}
	return true;
}

bool
daemon_socket_perms(const char *path, const struct daemon_ids *ids,
    unsigned mode, char *err, size_t errlen)
{
	char ebuf[128];

	if (geteuid() == 0 && chown(path, ids->uid, ids->socket_gid) != 0) {
		snprintf(err, errlen, "cannot chown socket %s: %s", path,
		    errstr(errno, ebuf, sizeof(ebuf)));
		return false;
	}
	if (geteuid() != 0 && ids->socket_gid != getgid() &&
	    chown(path, (uid_t)-1, ids->socket_gid) != 0) {
		snprintf(err, errlen, "cannot give socket %s its group: %s",
		    path, errstr(errno, ebuf, sizeof(ebuf)));
		return false;
	}
	if (chmod(path, (mode_t)mode) != 0) {
		snprintf(err, errlen, "cannot chmod socket %s: %s", path,
		    errstr(errno, ebuf, sizeof(ebuf)));
		return false;
	}
	return true;
}

bool
daemon_pidfile(const char *path, char *err, size_t errlen)
{
	char buf[32], ebuf[128];
	int fd, n;
	FILE *fp;

	/* A pid file of a live process means another instance runs. */
	if ((fp = fopen(path, "r")) != NULL) {
		long old = 0;

		if (fscanf(fp, "%ld", &old) == 1 && old > 0 &&
		    kill((pid_t)old, 0) == 0 && old != (long)getpid()) {
			fclose(fp);
			snprintf(err, errlen, "%s: relaywarden already runs as "
			    "pid %ld", path, old);
			return false;
		}
		fclose(fp);
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
	    0644);
	if (fd < 0) {
		snprintf(err, errlen, "cannot write pid file %s: %s", path,
		    errstr(errno, ebuf, sizeof(ebuf)));
		return false;
	}
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (write(fd, buf, (size_t)n) != n) {
		snprintf(err, errlen, "cannot write pid file %s: %s", path,
		    errstr(errno, ebuf, sizeof(ebuf)));
		close(fd);
		return false;
	}
	close(fd);
	return true;
}

bool
daemon_detach(char *err, size_t errlen)
{
	char ebuf[128];
	pid_t pid = fork();
	int fd;

	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", errstr(errno, ebuf,
		    sizeof(ebuf)));
		return false;
	}
	if (pid > 0)
		_exit(0);
	(void)setsid();
	if (chdir("/") != 0) {
		snprintf(err, errlen, "chdir /: %s", errstr(errno, ebuf,
		    sizeof(ebuf)));
		return false;
	}
	if ((fd = open("/dev/null", O_RDWR)) >= 0) {
		(void)dup2(fd, STDIN_FILENO);
		(void)dup2(fd, STDOUT_FILENO);
		(void)dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	return true;
}

bool
daemon_drop(const struct daemon_ids *ids, char *err, size_t errlen)
{
	char ebuf[128];

	if (!ids->drop)
		return true;
	/* Groups first: after setuid() we could no longer change them. */
	if (setgroups(1, &ids->gid) != 0 || setgid(ids->gid) != 0 ||
	    setuid(ids->uid) != 0) {
		snprintf(err, errlen, "cannot drop privileges: %s",
		    errstr(errno, ebuf, sizeof(ebuf)));
		return false;
	}
	if (setuid(0) == 0 || geteuid() == 0) {
		snprintf(err, errlen, "privileges could be regained after the "
		    "drop: refusing to run");
		return false;
	}
	return true;
}

void
daemon_memory_init(void)
{
	const char *t = getenv("GLIBC_TUNABLES");

	if (getenv("MALLOC_MMAP_THRESHOLD_") != NULL ||
	    (t != NULL && strstr(t, "glibc.malloc.mmap_threshold") != NULL))
		return;		/* the administrator's choice */
	(void)mallopt(M_MMAP_THRESHOLD, DAEMON_MMAP_THRESHOLD);
}

void
daemon_trim_memory(void)
{
	(void)malloc_trim(0);
}

bool
daemon_stderr_is_journal(void)
{
	const char *v = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	int end = 0;

	if (v == NULL || sscanf(v, "%llu:%llu%n", &dev, &ino, &end) != 2 ||
	    v[end] != '\0' || fstat(STDERR_FILENO, &st) != 0)
		return false;
	return (unsigned long long)st.st_dev == dev &&
	    (unsigned long long)st.st_ino == ino;
}
