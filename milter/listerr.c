/*
 * listerr - messages about a list entry. See listerr.h.
 */
#include <stdio.h>

#include "escape.h"
#include "listerr.h"

bool
listerr_bad(char *err, size_t errlen, const char *what, const char *entry,
    const char *why)
{
	char buf[ESCAPE_SHOW_MAX];

	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "bad %s \"%s\": %s", what,
		    escape_show(buf, sizeof(buf), entry), why);
	return false;
}

bool
listerr_table(char *err, size_t errlen, const char *whats, const char *entry)
{
	char buf[ESCAPE_SHOW_MAX];

	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "lookup table \"%s\" is not supported: "
		    "list the %s, or put them in a file given by absolute path",
		    escape_show(buf, sizeof(buf), entry), whats);
	return false;
}

bool
listerr_plain(char *err, size_t errlen, const char *msg)
{
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "%s", msg);
	return false;
}
