/*
 * log - every line relaywarden writes to syslog (and to stderr with -f),
 * and the one function that formats a decision line.
 *
 * Values that come from clients are escaped by escape_value() (escape.h):
 * no client can split a line, add a key or hide a control byte.
 *
 * Threads: log_open() once before any thread starts; the rest may be
 * called from any thread (syslog(3) is thread-safe in glibc).
 */
#ifndef RW_LOG_H
#define RW_LOG_H

#include <stdbool.h>
#include <stddef.h>

/* Longest escaped value on a decision line, marker included. */
#define LOG_VALUE_MAX	512
/* Longest decision line. */
#define LOG_LINE_MAX	5120

/* ident is copied (64 bytes at most); syslog_ident and syslog_facility
 * changes take effect at the next start, not at a reload. */
void	log_open(const char *ident, int facility, bool to_stderr);
void	log_close(void);

/* A fixed-format message; never pass client data as fmt. */
void	log_msg(int priority, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* One decision. NULL fields are written as "-". */
struct log_decision {
	const char *queue_id;	/* NULL: "NOQUEUE" */
	const char *listener;
	const char *port;
	const char *client;
	const char *auth;
	const char *tls;
	const char *from;
	const char *rcpt;
	const char *decision;
	const char *reason;
	const char *code;	/* "554" or NULL */
	const char *dsn;	/* "5.7.1" or NULL */
	const char *policy;	/* short digest of the policy that decided */
	/* The transaction's part, the same for each of its recipients:
	 * made from listener .. from, or, when txn is not NULL, txn_len
	 * bytes that log_format_txn() made of them. */
	const char *txn;
	size_t	    txn_len;
	/* The sender ownership check at MAIL FROM: the key that decided
	 * ("" none) and its owners (NULL none); with sender_key NULL,
	 * neither is written. */
	const char *sender_key;
	const char *owners;
};

/* Longest transaction part: five escaped values and the listener. */
#define LOG_TXN_MAX	(5 * LOG_VALUE_MAX + 128)

/*
 * Formats the transaction's part of a line, " listener=.. port=..
 * client=.. auth=.. tls=.. from=..", from d's fields into buf (len bytes,
 * NUL included) and returns its length: made once per transaction, it
 * saves escaping the same values for every recipient.
 */
size_t	log_format_txn(char *buf, size_t len, const struct log_decision *d);

/* Formats the line (no trailing newline) into buf; returns buf. */
char	*log_format_decision(char *buf, size_t len,
	    const struct log_decision *d);

/* Formats and logs at LOG_INFO (LOG_NOTICE for refusals). */
void	log_decision(const struct log_decision *d, bool refusal);

/*
 * The end of a message: "QUEUEID: listener=.. port=.. client=.. auth=..
 * tls=.. from=.. accepted=N refused=M policy=..", with the transaction's
 * part of its decision lines, so that grep QUEUEID finds Postfix's lines
 * and this one together. accepted: the recipients told to go on (would_
 * reject ones too: the message goes to them); refused: 4xx and 5xx.
 */
struct log_message {
	const char *queue_id;	/* NULL: "NOQUEUE" */
	const char *txn;	/* log_format_txn()'s part, txn_len bytes */
	size_t	    txn_len;
	unsigned long accepted;
	unsigned long refused;
	const char *policy;
};

/* Formats the line (no trailing newline) into buf; returns buf. */
char	*log_format_message(char *buf, size_t len, const struct log_message *m);

/* Formats and logs at LOG_INFO. */
void	log_message(const struct log_message *m);

#endif
