/*
 * fuzz_log - the escaping of everything a client can put into a log line
 * or an error message (log.c).
 *
 * Input: one byte choosing a buffer size, then the client-supplied values
 * of one decision line (queue id, port, client, SASL login, TLS, sender,
 * recipient; each a length byte and that many bytes).
 *
 * Properties:
 *   - escape_value() writes only printable ASCII other than space, within
 *     the buffer, NUL-terminated; unescaped, it gives back the value, or
 *     a prefix of it followed by the marker "\..." when the value was cut;
 *   - escape_show() writes only printable ASCII, within the buffer;
 *   - a decision line has exactly its thirteen fixed keys, in order, one
 *     space between them, whatever the values hold: no client can split
 *     the line, add a key or hide a byte.
 */
#include "fuzz.h"
#include "escape.h"
#include "log.h"

static const char *const keys[] = {
	"listener", "port", "client", "auth", "tls", "from", "rcpt",
	"decision", "reason", "code", "dsn", "policy",
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static void
check_escape(const char *src, size_t dstlen)
{
	char *dst = malloc(dstlen);
	const char *p;
	size_t n = 0, cut;
	bool marker;

	if (dst == NULL)
		abort();
	escape_value(dst, dstlen, src);
	FZ_CHECK(memchr(dst, '\0', dstlen) != NULL, "escape_value: no NUL in "
	    "%zu bytes", dstlen);
	for (p = dst; *p != '\0'; p++)
		FZ_CHECK((unsigned char)*p > ' ' && (unsigned char)*p < 0x7f,
		    "escape_value wrote 0x%02x", (unsigned char)*p);
	if (src[0] == '\0') {
		FZ_CHECK(strcmp(dst, "-") == 0, "\"\" escaped as \"%s\"", dst);
		free(dst);
		return;
	}
	cut = strlen(dst);
	marker = cut >= 4 && strcmp(dst + cut - 4, "\\...") == 0;
	if (marker)
		cut -= 4;
	/* Unescape and compare with the value, byte by byte. */
	for (p = dst; p < dst + cut; n++) {
		int c;

		if (*p != '\\') {
			c = (unsigned char)*p++;
		} else if (p[1] == '\\' || p[1] == '"') {
			c = (unsigned char)p[1];
			p += 2;
		} else {
			FZ_CHECK(p[1] == 'x' && hexval(p[2]) >= 0 &&
			    hexval(p[3]) >= 0, "bad escape in \"%s\"", dst);
			c = hexval(p[2]) * 16 + hexval(p[3]);
			p += 4;
		}
		FZ_CHECK(c == (unsigned char)src[n], "byte %zu: 0x%02x escaped "
		    "as 0x%02x", n, (unsigned char)src[n], c);
	}
	FZ_CHECK(marker ? src[n] != '\0' : src[n] == '\0',
	    "%zu of %zu bytes shown, marker %d", n, strlen(src), marker);
	free(dst);
}

static void
check_show(const char *src, size_t dstlen)
{
	char *dst = malloc(dstlen);
	const char *p;

	if (dst == NULL)
		abort();
	escape_show(dst, dstlen, src);
	FZ_CHECK(memchr(dst, '\0', dstlen) != NULL, "escape_show: no NUL");
	for (p = dst; *p != '\0'; p++)
		FZ_CHECK((unsigned char)*p >= ' ' && (unsigned char)*p < 0x7f &&
		    *p != '"', "escape_show wrote 0x%02x", (unsigned char)*p);
	free(dst);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	size_t dstlen = 12 + fz_u8(&f) * 3, i, k;
	char *v[7], line[LOG_LINE_MAX], line2[LOG_LINE_MAX], txn[LOG_TXN_MAX];
	struct log_decision d;
	const char *p;

	for (i = 0; i < 7; i++)
		v[i] = fz_str(&f, 255);
	for (i = 0; i < 7; i++) {
		check_escape(v[i], dstlen);
		check_escape(v[i], LOG_VALUE_MAX);
		check_show(v[i], dstlen);
	}

	memset(&d, 0, sizeof(d));
	d.queue_id = v[0][0] != '\0' ? v[0] : NULL;
	d.listener = "smtp";
	d.port = v[1];
	d.client = v[2];
	d.auth = v[3];
	d.tls = v[4];
	d.from = v[5];
	d.rcpt = v[6];
	d.decision = "reject";
	d.reason = "relay_denied";
	d.code = "554";
	d.dsn = "5.7.1";
	d.policy = "0123456789ab";
	log_format_decision(line, sizeof(line), &d);
	FZ_CHECK(strlen(line) < sizeof(line) - 1, "line of %zu bytes may be "
	    "cut", strlen(line));
	/* The transaction's part made once beforehand gives the same line. */
	d.txn_len = log_format_txn(txn, sizeof(txn), &d);
	d.txn = txn;
	FZ_CHECK(d.txn_len == strlen(txn) && d.txn_len < sizeof(txn) - 1,
	    "transaction part of %zu bytes may be cut", d.txn_len);
	log_format_decision(line2, sizeof(line2), &d);
	FZ_CHECK(strcmp(line, line2) == 0, "with the transaction part made "
	    "first: \"%s\", without: \"%s\"", line2, line);
	FZ_CHECK(fz_printable(line), "line holds a byte outside printable "
	    "ASCII");
	/* "QID: key=value key=value ...", exactly these keys. A value may
	 * hold '=' ("rcpt=<a=b@c>"): a key starts after a space, and no
	 * value holds one. */
	p = strchr(line, ' ');
	FZ_CHECK(p != NULL && p > line + 1 && p[-1] == ':',
	    "bad queue id field in \"%s\"", line);
	for (k = 0; k < NKEYS; k++) {
		size_t kl = strlen(keys[k]);
		const char *next;

		FZ_CHECK(*p == ' ' && strncmp(p + 1, keys[k], kl) == 0 &&
		    p[1 + kl] == '=', "key %zu is not %s= in \"%s\"", k,
		    keys[k], line);
		p += 1 + kl + 1;
		next = strchr(p, ' ');
		FZ_CHECK(next != p && *p != '\0', "empty %s in \"%s\"", keys[k],
		    line);
		p = next != NULL ? next : p + strlen(p);
	}
	FZ_CHECK(*p == '\0', "more after policy= in \"%s\"", line);
	for (i = 0; i < 7; i++)
		free(v[i]);
	return 0;
}
