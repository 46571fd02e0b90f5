/*
 * daemon - process set-up. See daemon.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <malloc.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <unistd.h>

#include "daemon.h"

/* The unprivileged account user names, or false with a message. */
static bool
find_user(const char *user, uid_t *uid, gid_t *gid, char *err, size_t errlen)
{
	struct passwd pw, *pwp = NULL;
	char buf[4096];

	if (getpwnam_r(user, &pw, buf, sizeof(buf), &pwp) != 0 || pwp == NULL) {
		snprintf(err, errlen, "user \"%s\" does not exist: create it "
		    "(adduser --system --group %s) or set user in the "
		    "configuration", user, user);
		return false;
	}
	if (pw.pw_uid == 0) {
		snprintf(err, errlen, "user \"%s\" is root: name an "
		    "unprivileged user", user);
		return false;
	}
	*uid = pw.pw_uid;
	*gid = pw.pw_gid;
	return true;
}

static bool
find_group(const char *group, gid_t *gid, char *err, size_t errlen)
{
	struct group gr, *grp = NULL;
	char buf[4096];

	if (getgrnam_r(group, &gr, buf, sizeof(buf), &grp) != 0 || grp == NULL) {
		snprintf(err, errlen, "socket_group \"%s\" does not exist: "
		    "set it to the group the MTA runs as (postfix for "
		    "Postfix: is Postfix installed?)", group);
		return false;
	}
	*gid = gr.gr_gid;
	return true;
}

bool
daemon_ids(const char *user, const char *socket_group, bool run_as_root,
    struct daemon_ids *ids, char *err, size_t errlen)
{
	memset(ids, 0, sizeof(*ids));
	ids->uid = getuid();
	ids->gid = getgid();
	if (geteuid() == 0 && user[0] != '\0') {
		if (!find_user(user, &ids->uid, &ids->gid, err, errlen))
			return false;
		ids->drop = true;
	} else if (geteuid() == 0 && !run_as_root) {
		snprintf(err, errlen, "started as root with no user to become: "
		    "set user = relaywarden (an unprivileged account), or "
		    "run_as_root = yes if you really mean it");
		return false;
	}
	ids->socket_gid = ids->gid;
	return socket_group[0] == '\0' ||
	    find_group(socket_group, &ids->socket_gid, err, errlen);
}

bool
daemon_accounts(const char *user, const char *socket_group, char *err,
    size_t errlen)
{
	uid_t uid;
	gid_t gid;

	return (user[0] == '\0' || find_user(user, &uid, &gid, err, errlen)) &&
	    (socket_group[0] == '\0' ||
	    find_group(socket_group, &gid, err, errlen));
}

bool
daemon_parent_dir(const char *path, const char *fix,
    const struct daemon_ids *ids, char *err, size_t errlen)
{
	char dir[4096], ebuf[128];
	struct stat st;
	char *slash;
	int fd;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash == NULL || slash == dir)
		return true;		/* "/x": the root directory exists */
	*slash = '\0';
	if (mkdir(dir, 0700) != 0) {
		if (errno == EEXIST)
			return true;	/* the admin's directory: leave it */
		if (errno == ENOENT) {
			slash = strrchr(dir, '/');
			snprintf(err, errlen, "cannot create directory %s: %.*s "
			    "does not exist (only the last directory is made): %s",
			    dir, slash == dir ? 1 : (int)(slash - dir), dir, fix);
			return false;
		}
		snprintf(err, errlen, "cannot create directory %s: %s", dir,
		    strerror_r(errno, ebuf, sizeof(ebuf)));
		return false;
	}
	/*
	 * Set up through a descriptor, never by path: a user who may write
	 * to the parent could put a symbolic link in the new directory's
	 * place between mkdir() and a chown() by path, and have root give
	 * them a file of their choice. O_NOFOLLOW refuses a link, the owner
	 * check any directory but the one just made (still root's). 0750
	 * whatever the umask: the MTA's group must reach the socket.
	 */
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0 || st.st_uid != geteuid()) {
		snprintf(err, errlen, "directory %s was replaced while it was "
		    "made: check who may write to its parent", dir);
		if (fd >= 0)
			close(fd);
		return false;
	}
	if (fchmod(fd, 0750) != 0 ||
	    (geteuid() == 0 && fchown(fd, ids->uid, ids->socket_gid) != 0)) {
		snprintf(err, errlen, "cannot set up directory %s: %s", dir,
		    strerror_r(errno, ebuf, sizeof(ebuf)));
		close(fd);
		return false;
	}
	close(fd);
	return true;
}

/* The command name of pid ("relaywarden"), or "" when unknown. */
static void
comm_of(const char *pid, char *buf, size_t len)
{
	char path[64];
	ssize_t n = -1;
	int fd;

	snprintf(path, sizeof(path), "/proc/%s/comm", pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
		n = read(fd, buf, len - 1);
		close(fd);
	}
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

/*
 * The pid a pid file names when that process runs this program, else 0
 * (no file, not a number, a dead process, another program: stale). The
 * file is read without following a symbolic link or blocking on a FIFO.
 * Without /proc the program cannot be told: a live process counts.
 */
static long
pidfile_live(const char *path)
{
	char buf[32], mine[32], theirs[32];
	struct stat st;
	char *end;
	ssize_t n = -1;
	long pid;
	int fd;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	errno = 0;
	pid = strtol(buf, &end, 10);
	if (errno != 0 || end == buf || (*end != '\n' && *end != '\0') ||
	    pid <= 1 || pid == (long)getpid() || pid > INT_MAX ||
	    (kill((pid_t)pid, 0) != 0 && errno != EPERM))
		return 0;
	snprintf(buf, sizeof(buf), "%ld", pid);
	comm_of("self", mine, sizeof(mine));
	comm_of(buf, theirs, sizeof(theirs));
	if (mine[0] != '\0' && strcmp(mine, theirs) != 0)
		return 0;
	return pid;
}

bool
daemon_check_running(const char *pid_file, char *err, size_t errlen)
{
	long pid;

	if (pid_file[0] != '\0' && (pid = pidfile_live(pid_file)) != 0) {
		snprintf(err, errlen, "%s: relaywarden already runs as pid %ld",
		    pid_file, pid);
		return false;
	}
	return true;
}

bool
daemon_socket_begin(const struct daemon_ids *ids, unsigned mode,
    struct daemon_saved *saved, char *err, size_t errlen)
{
	char ebuf[128];

	saved->umask = umask((mode_t)(~mode & 0777));
	saved->switched = false;
	if (geteuid() != 0)
		return true;
	if (setegid(ids->socket_gid) != 0 || seteuid(ids->uid) != 0) {
		snprintf(err, errlen, "cannot switch to user and socket_group to "
		    "create the socket: %s", strerror_r(errno, ebuf, sizeof(ebuf)));
		saved->switched = true;	/* whatever half was done */
		daemon_socket_end(saved);
		return false;
	}
	saved->switched = true;
	return true;
}

void
daemon_socket_end(const struct daemon_saved *saved)
{
	(void)umask(saved->umask);
	/* Root's ids are the saved ones, so this does not fail short of the
	 * kernel refusing it; then stop rather than go on half switched. */
	if (saved->switched && (seteuid(0) != 0 || setegid(getgid()) != 0))
		abort();
}

bool
daemon_socket_in_use(const char *path)
{
	struct sockaddr_un sa;
	bool answers;
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return false;	/* libmilter refuses such a path itself */
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	/* A full backlog (EAGAIN) is a live listener too. */
	answers = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 ||
	    errno == EAGAIN;
	close(fd);
	return answers;
}

bool
daemon_socket_group(const char *path, const struct daemon_ids *ids,
    char *err, size_t errlen)
{
	char ebuf[128];

	/* As root the socket was created with its group; otherwise the
	 * owner may give it one of its own groups (its own rights only). */
	if (geteuid() == 0 || ids->socket_gid == getegid())
		return true;
	if (chown(path, (uid_t)-1, ids->socket_gid) != 0) {
		snprintf(err, errlen, "cannot give socket %s its group: %s",
		    path, strerror_r(errno, ebuf, sizeof(ebuf)));
		return false;
	}
	return true;
}

bool
daemon_pidfile(const char *path, char *err, size_t errlen)
{
	char buf[32], ebuf[128];
	struct stat st;
	int fd, n;

	/*
	 * Its directory may be the user's: no symbolic link followed, no
	 * blocking on a FIFO, nothing truncated but a plain file with one
	 * name (a hard link to another file would have two).
	 */
	fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(err, errlen, "cannot write pid file %s: %s", path,
		    strerror_r(errno, ebuf, sizeof(ebuf)));
		return false;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1) {
		snprintf(err, errlen, "pid file %s is not a plain file: remove "
		    "it", path);
		close(fd);
		return false;
	}
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || write(fd, buf, (size_t)n) != n) {
		snprintf(err, errlen, "cannot write pid file %s: %s", path,
		    strerror_r(errno, ebuf, sizeof(ebuf)));
		close(fd);
		return false;
	}
	close(fd);
	return true;
}

bool
daemon_detach(int *ready, char *err, size_t errlen)
{
	char ebuf[128], byte;
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror_r(errno, ebuf,
		    sizeof(ebuf)));
		return false;
	}
	if ((pid = fork()) < 0) {
		snprintf(err, errlen, "fork: %s", strerror_r(errno, ebuf,
		    sizeof(ebuf)));
		close(fds[0]);
		close(fds[1]);
		return false;
	}
	if (pid > 0) {
		/* The child's word, or its exit status if it dies first. */
		close(fds[1]);
		do
			n = read(fds[0], &byte, 1);
		while (n < 0 && errno == EINTR);
		if (n == 1)
			_exit(0);
		while (waitpid(pid, &status, 0) < 0)
			if (errno != EINTR)
				_exit(EX_SOFTWARE);
		_exit(WIFEXITED(status) ? WEXITSTATUS(status) : EX_SOFTWARE);
	}
	close(fds[0]);
	*ready = fds[1];
	(void)setsid();
	if (chdir("/") != 0) {
		snprintf(err, errlen, "chdir /: %s", strerror_r(errno, ebuf,
		    sizeof(ebuf)));
		return false;
	}
	return true;
}

void
daemon_ready(int ready)
{
	int fd;

	if (ready < 0)
		return;
	if ((fd = open("/dev/null", O_RDWR)) >= 0) {
		(void)dup2(fd, STDIN_FILENO);
		(void)dup2(fd, STDOUT_FILENO);
		(void)dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	if (write(ready, "", 1) != 1)
		return;		/* the parent is gone: no one to tell */
	close(ready);
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
		    strerror_r(errno, ebuf, sizeof(ebuf)));
		return false;
	}
	if (setuid(0) == 0 || geteuid() == 0) {
		snprintf(err, errlen, "privileges could be regained after the "
		    "drop: refusing to run");
		return false;
	}
	return true;
}

bool
daemon_user_begin(const char *user, bool for_good, struct daemon_user *saved,
    char *err, size_t errlen)
{
	struct daemon_ids ids;
	char ebuf[128];
	int n;

	memset(saved, 0, sizeof(*saved));
	if (geteuid() != 0 || user[0] == '\0')
		return true;
	memset(&ids, 0, sizeof(ids));
	ids.drop = true;
	if (!find_user(user, &ids.uid, &ids.gid, err, errlen))
		return false;
	if (for_good)
		return daemon_drop(&ids, err, errlen);
	/* Root's groups, to give back: the start goes on with them. */
	saved->egid = getegid();
	if ((n = getgroups(0, NULL)) < 0 ||
	    (saved->groups = malloc(((size_t)n + 1) * sizeof(gid_t))) == NULL ||
	    (saved->ngroups = getgroups(n, saved->groups)) < 0) {
		snprintf(err, errlen, "cannot read root's groups: %s",
		    strerror_r(errno, ebuf, sizeof(ebuf)));
		free(saved->groups);
		saved->groups = NULL;
		return false;
	}
	saved->switched = true;	/* from here, whatever half is done */
	if (setgroups(1, &ids.gid) != 0 || setegid(ids.gid) != 0 ||
	    seteuid(ids.uid) != 0) {
		snprintf(err, errlen, "cannot switch to user to read the list "
		    "files: %s", strerror_r(errno, ebuf, sizeof(ebuf)));
		return false;
	}
	return true;
}

bool
daemon_user_end(struct daemon_user *saved, char *err, size_t errlen)
{
	char ebuf[128];
	bool ok = true;

	if (saved->switched && (seteuid(0) != 0 ||
	    setegid(saved->egid) != 0 ||
	    setgroups((size_t)saved->ngroups, saved->groups) != 0)) {
		snprintf(err, errlen, "cannot switch back to root after "
		    "reading the list files: %s", strerror_r(errno, ebuf,
		    sizeof(ebuf)));
		ok = false;
	}
	saved->switched = false;
	free(saved->groups);
	saved->groups = NULL;
	return ok;
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

/* Holds RSS flat under load (tests/stress/run: 5% + 1 MB); without it,
 * glibc's arenas grew it from 14 to 19 MB in 80 s (e05c392). */
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
