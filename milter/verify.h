/*
 * verify - what "relaywarden -n" checks beyond the file itself: that the
 * start would not refuse it (root with no user to become, a socket
 * directory user cannot write to), which of Postfix's smtpd
 * listeners neither smtp_ports nor submission_ports names, and a sender
 * check that cannot work as meant.
 *
 * For -n only: it reads the file system and runs postconf; not for the
 * daemon, not thread-safe with itself.
 */
#ifndef RW_VERIFY_H
#define RW_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "config.h"

/*
 * False, with a message in err, where the start would stop: as_root
 * says whether relaywarden was started as root (-n has dropped to user
 * by now when user is set).
 */
bool	verify_start(const struct config *c, bool as_root, char *err,
	    size_t errlen);

/*
 * Writes one warning line to out for each smtpd service of Postfix's
 * master.cf (in postfix_config_directory) whose port and
 * milter_macro_daemon_name no listener list names: unknown_listener's
 * rule applies to its sessions. Nothing when Postfix has no master.cf
 * there. Returns the number of such services.
 */
size_t	verify_listeners(const struct config *c, FILE *out);

/*
 * Writes one warning line to out for a sender check that cannot work as
 * meant: on with no owner at all (every logged-in sender refused, or
 * none), or sender_login_self without the domain of bare logins.
 * Returns the number of warnings.
 */
size_t	verify_sender(const struct config *c, FILE *out);

#endif
