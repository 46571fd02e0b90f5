/*
 * daemon - becoming a well-behaved system daemon: the directories of the
 * socket and the pid file, the pid file, detaching from the terminal,
 * reading the list files as user, dropping root for good, and giving
 * memory back to the system.
 *
 * Called from main() only, before any thread starts, except
 * daemon_trim_memory(). Each function that can fail returns false with
 * a message in err (errlen bytes) that says what to fix; nothing here
 * exits.
 */
#ifndef RW_DAEMON_H
#define RW_DAEMON_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct daemon_ids {
	bool	drop;		/* started as root with a user to become */
	uid_t	uid;
	gid_t	gid;		/* the user's primary group */
	gid_t	socket_gid;	/* socket_group, or gid */
};

/*
 * Resolves user and socket_group (either may be "" for none). As root,
 * a user is required unless run_as_root; not as root, both are ignored
 * (nothing to drop) except that socket_group must still exist.
 */
bool	daemon_ids(const char *user, const char *socket_group,
	    bool run_as_root, struct daemon_ids *ids, char *err, size_t errlen);

/*
 * For "relaywarden -n": user and socket_group ("" for none) name existing
 * accounts, user not root, whoever runs the check; the start as root
 * would refuse them otherwise.
 */
bool	daemon_accounts(const char *user, const char *socket_group, char *err,
	    size_t errlen);

/*
 * Creates the parent directory of path if missing (one level), owned by
 * ids->uid and socket_gid, mode 0750 whatever the umask, so that the
 * MTA's group can reach a socket in it and the daemon can remove its
 * files there after the drop. An existing directory is left as it is.
 * When the directory above it does not exist either, the error ends
 * with fix: what the administrator should do.
 */
bool	daemon_parent_dir(const char *path, const char *fix,
	    const struct daemon_ids *ids, char *err, size_t errlen);

/*
 * Refuses to start over a running instance: pid_file ("" for none)
 * naming a live process of this program. A stale file is no obstacle.
 */
bool	daemon_check_running(const char *pid_file, char *err, size_t errlen);

/*
 * The unix socket is created under the credentials it must end up with:
 * the umask that leaves mode (e.g. 0660), and as root the effective ids
 * of user and socket_group. bind(2) then gives the socket its owner,
 * group and mode, and nothing is done to its path as root afterwards:
 * the directory is the user's, and a chown() or chmod() by path could be
 * sent through a symbolic link swapped in after the bind. libmilter's
 * removal of a stale socket runs under the same credentials.
 * daemon_socket_end() switches back.
 */
struct daemon_saved {
	mode_t	umask;
	bool	switched;	/* the effective ids were changed */
};
bool	daemon_socket_begin(const struct daemon_ids *ids, unsigned mode,
	    struct daemon_saved *saved, char *err, size_t errlen);
void	daemon_socket_end(const struct daemon_saved *saved);

/*
 * True when a listener answers on the unix socket at path: a running
 * milter, whose socket libmilter would otherwise unlink and bind anew,
 * cutting it off from the MTA.
 */
bool	daemon_socket_in_use(const char *path);

/*
 * Not as root, gives the socket socket_group (one of the user's groups)
 * after the bind, with no more rights than the user has.
 */
bool	daemon_socket_group(const char *path, const struct daemon_ids *ids,
	    char *err, size_t errlen);

/*
 * Writes our pid to path: no symbolic link followed, no FIFO, nothing
 * truncated but a plain file with a single link.
 */
bool	daemon_pidfile(const char *path, char *err, size_t errlen);

/*
 * fork, setsid, chdir /. The parent waits until the child calls
 * daemon_ready(*ready) and exits 0, or, when the child dies first, exits
 * with its status: who started relaywarden learns whether it started,
 * and the child's errors still reach the terminal until it is ready.
 */
bool	daemon_detach(int *ready, char *err, size_t errlen);

/* The detached child is up: stdio to /dev/null, the parent released.
 * Nothing for ready < 0 (not detached). */
void	daemon_ready(int ready);

/* setgroups/setgid/setuid to ids, and checks that root cannot come back. */
bool	daemon_drop(const struct daemon_ids *ids, char *err, size_t errlen);

/*
 * List files are read with the rights the daemon has after the drop,
 * so that what -n and the start accept a reload accepts too, and a
 * file only root may read, named as a list file, shows none of itself.
 * Started as root with a user (not ""), daemon_user_begin() takes on
 * user's uid, its primary group and no other group, as daemon_drop()
 * does: for good when for_good (-n and -q, which need root no more),
 * else the effective ids only, until daemon_user_end() gives root's back
 * (the daemon's first load: the socket and the pid file still need
 * root). The ids are the whole process's, which is safe before any
 * thread starts, as here. Not root, or no user: nothing to do.
 * daemon_user_end(), called whatever begin returned, gives back and
 * frees what begin kept; it fails only when root's ids cannot be had
 * back.
 */
struct daemon_user {
	bool	switched;	/* the effective ids were changed */
	gid_t	egid;		/* root's, to give back */
	int	ngroups;
	gid_t	*groups;
};
bool	daemon_user_begin(const char *user, bool for_good,
	    struct daemon_user *saved, char *err, size_t errlen);
bool	daemon_user_end(struct daemon_user *saved, char *err, size_t errlen);

/*
 * Before any thread starts: fixes malloc's mmap threshold at
 * DAEMON_MMAP_THRESHOLD, so that a policy's large tables (hash slots,
 * bitmaps, the names) are mapped on their own and unmapped when a reload
 * replaces the policy. glibc's default raises the threshold after the
 * first such table is freed (up to 32 MB), and the next ones come from
 * the reload thread's heap, whose top malloc_trim does not give back:
 * with 1M domains RSS went from 57 to 104-120 MB over four reloads (53 MB
 * throughout with this). MALLOC_MMAP_THRESHOLD_ or
 * glibc.malloc.mmap_threshold in GLIBC_TUNABLES, when set, win. Under
 * another allocator (a sanitizer's) mallopt() may refuse: nothing to do.
 */
#define DAEMON_MMAP_THRESHOLD	(128 * 1024)
void	daemon_memory_init(void);

/*
 * Gives the pages malloc holds free back to the kernel (malloc_trim).
 * glibc gives threads up to eight arenas per CPU; libmilter runs a
 * worker thread per session being answered and frees a session's memory
 * from whichever worker holds it next, so under a steady load the arenas
 * fragment and RSS creeps up for minutes: 14 to 19 MB over 80 s of
 * tests/stress/run on 2 CPUs, flat at 13 MB when this runs every second.
 * Fewer arenas would also keep it flat, but the workers then wait on
 * each other's arena locks (at 1000 connections, two arenas made the
 * median RCPT answer 1.5x slower). Under that load a call takes about
 * 0.4 ms (2.4 ms at most), each arena locked only while it is trimmed.
 */
#define DAEMON_TRIM_SECONDS	1
void	daemon_trim_memory(void);

/*
 * True when stderr is systemd's journal ($JOURNAL_STREAM names its
 * device and inode, systemd.exec(5)): syslog lines reach the journal
 * anyway, so a stderr copy would show each line twice.
 */
bool	daemon_stderr_is_journal(void);

#endif
