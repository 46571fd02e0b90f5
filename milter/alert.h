/*
 * alert - alert_command: a program the admin names, run once per rate
 * limit trip with the trip's fields in its environment (RW_KEY,
 * RW_WINDOW, RW_USED, RW_ACTION, RW_LISTENER, RW_CLIENT), without a
 * shell, from a thread of its own (a milter callback only queues it).
 *
 * It is rate limited itself: at most one run every ALERT_INTERVAL
 * seconds and one at a time; the trips in between are counted and the
 * next run gets their number in RW_SUPPRESSED (each trip has its own log
 * line anyway). A run that takes more than ALERT_TIMEOUT seconds is
 * killed. Failures are logged, never fatal.
 *
 * Threads: alert_send() from any thread; the worker starts at the first.
 */
#ifndef RW_ALERT_H
#define RW_ALERT_H

#define ALERT_INTERVAL	10
#define ALERT_TIMEOUT	30

/* Queues one run of command (NULL or "": nothing) with these fields. */
void	alert_send(const char *command, const char *key, const char *window,
	    const char *used, const char *action, const char *listener,
	    const char *client);

#endif
