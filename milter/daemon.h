/*
 * daemon - becoming a well-behaved system daemon: the directories of the
 * socket and the pid file, the pid file, detaching from the terminal,
 * dropping root for good, and giving memory back to the system.
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
 * Creates the parent directory of path if missing (one level), owned by
 * ids->uid and socket_gid, mode 0750, so that the MTA's group can reach a
 * socket in it and the daemon can remove its files there after the drop.
 */
bool	daemon_parent_dir(const char *path, const struct daemon_ids *ids,
	    char *err, size_t errlen);

/* Gives a unix socket its group and mode (e.g. 0660). */
bool	daemon_socket_perms(const char *path, const struct daemon_ids *ids,
	    unsigned mode, char *err, size_t errlen);

/* Writes our pid to path (refusing to replace one of a live process). */
bool	daemon_pidfile(const char *path, char *err, size_t errlen);

/* fork, setsid, chdir /, stdio to /dev/null. The parent exits 0. */
bool	daemon_detach(char *err, size_t errlen);

/* setgroups/setgid/setuid to ids, and checks that root cannot come back. */
bool	daemon_drop(const struct daemon_ids *ids, char *err, size_t errlen);

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
