/*
 * glue - the only module that speaks libmilter. It turns callbacks into
 * policy requests, asks policy_eval(), turns the verdict into an sfsistat
 * and an SMTP reply, and logs the decision.
 *
 * Per-connection state lives behind smfi_setpriv(): created at connect,
 * its transaction part reset at MAIL FROM and abort, freed at close.
 * Each connection holds a reference to the policy snapshot it started
 * with (snap.h).
 */
#ifndef RW_GLUE_H
#define RW_GLUE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Registers the filter and opens the listening socket (a stale unix
 * socket is removed). Returns false with a message in err.
 */
bool	glue_open(const char *conn, char *err, size_t errlen);

/* Runs libmilter's main loop until SIGTERM/SIGINT/SIGHUP; returns 0 on a
 * clean stop. */
int	glue_run(void);

/*
 * After glue_run(): waits up to seconds for the callbacks in progress to
 * answer. Returns in *open the sessions libmilter left open (their MTA
 * applies its milter_default_action to their next command) and in *busy
 * the callbacks still running.
 */
void	glue_drain(unsigned seconds, unsigned long *open, unsigned *busy);

#endif
