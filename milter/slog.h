/*
 * slog - the syslog writer: one datagram per line to the local syslog
 * socket, in the format of glibc's syslog(3),
 *     <PRI>Mmm dd hh:mm:ss ident[pid]: message
 * and, when asked (-f outside systemd's journal), the same line from
 * "ident" on, with a newline, to stderr.
 *
 * Why not syslog(3): relaywarden logs a line per recipient, and glibc
 * formats the time, calls getpid() and (with LOG_PERROR) stdio for every
 * line, under one process-wide lock: about 7,000 instructions and up to
 * eight system calls a line, more than the decision costs. slog formats
 * the time once a second per thread and writes a line with one send(2).
 *
 * Failures: when the socket cannot be reached (no syslog daemon, or it
 * restarted), slog reconnects at once, then at most once a second; lines
 * written meanwhile are lost and counted, and the first line after the
 * connection comes back says how many. A socket of type SOCK_STREAM
 * (syslog-ng's unix-stream) is used as glibc does: each line ends in a
 * NUL. The stderr copy does not depend on the socket.
 *
 * Threads: slog_open() and slog_close() before and after every other
 * thread; slog_write() from any thread. A datagram send is atomic, so
 * writers share the socket without a lock; a reconnect, and every write
 * to a stream socket, takes a mutex. After fork(), the child's lines
 * carry its own pid.
 */
#ifndef RW_SLOG_H
#define RW_SLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define SLOG_PATH_DEFAULT	"/dev/log"

/*
 * path: the socket (NULL: SLOG_PATH_DEFAULT); ident: copied (64 bytes at
 * most); facility: LOG_MAIL and so on. Connects at once (so that a
 * process that later loses access to the path still logs), or at the
 * first line if it cannot.
 */
void	slog_open(const char *path, const char *ident, int facility,
	    bool to_stderr);

/* One line of len bytes (no newline, no NUL needed) at priority (LOG_INFO
 * and so on; the facility bits are ignored). */
void	slog_write(int priority, const char *msg, size_t len);

/* Lines lost since slog_open() because the socket could not be reached. */
unsigned long slog_lost(void);

void	slog_close(void);

/* For tests: the clock slog reads (NULL: time(2)). */
void	slog_set_clock(time_t (*now)(void));

#endif
