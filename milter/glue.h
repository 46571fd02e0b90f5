/*
 * glue - the only module that speaks libmilter. It turns callbacks into
 * policy requests, asks policy_eval(), turns the verdict into an sfsistat
 * and an SMTP reply, and logs the decision.
 *
 * Per-connection state lives behind smfi_setpriv(): created at the first
 * MAIL FROM (at CONNECT when the MTA cannot take macro lists and that
 * event is asked for), its transaction part reset at MAIL FROM and
 * abort, freed at close. Each connection holds a reference to the policy
 * snapshot in force when its state was created (snap.h), and decides on
 * it until it closes.
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

/* Opens the rate limit stores that c names (once, at start: they
 * outlive reloads); false with a message in err. */
struct config;
bool	glue_limits(const struct config *c, char *err, size_t errlen);
/* Those stores, for the control socket. */
struct rate_stores;
const struct rate_stores *glue_rate_stores(void);

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
