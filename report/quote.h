/*
 * quote - a value written into JSON or XML text. The values are the log's
 * as relaywarden escaped them ("\x20", "\\"): they stay escaped; quoting
 * only makes them safe in the output's own syntax, so that a client's
 * address can neither end a JSON string nor open an XML tag.
 *
 * Stateless; any thread.
 */
#ifndef RW_REPORT_QUOTE_H
#define RW_REPORT_QUOTE_H

#include <stddef.h>
#include <stdio.h>

/* A JSON string, quotes included: '"' and '\' escaped, control bytes and
 * bytes over 0x7e (never in a value relaywarden writes) as \u00XX. */
void	quote_json(FILE *fp, const char *p, size_t n);

/* XML character data or an attribute's value (no quotes added): & < > "
 * and ' as entities; bytes XML 1.0 cannot hold and bytes over 0x7e as
 * the text "\xHH", as relaywarden would have escaped them. */
void	quote_xml(FILE *fp, const char *p, size_t n);

#endif
