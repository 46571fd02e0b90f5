/*
 * fuzz_conf - the configuration parser (conf*.c) over whole files, list
 * files included.
 *
 * Input: the main file's text, then up to three list files, each after a
 * line "@@@@". "@DIR@" in any of them is the fuzzer's own directory, so
 * "local_domains = @DIR@/l0" reads the first list file ("@DIR@/d" is a
 * directory, "@DIR@/eacces" cannot be opened: Permission denied).
 *
 * The main file is loaded with conf_load_text(), its list files through
 * an opener that keeps them inside that directory: a path outside it
 * fails with ENOENT instead of reading the machine's files (a fuzzed
 * "/proc/kcore" must not be read for real). The main file is also
 * written there, so that an error can be checked against its lines.
 *
 * Properties:
 *   - a policy comes back exactly when no error was reported, and at
 *     most CONF_ERRORS_MAX errors are kept;
 *   - every error reads "FILE:LINE: message" (or "FILE: message") with
 *     FILE one of the files given and LINE one of its lines, and holds
 *     only printable ASCII: it goes to a terminal and to syslog, and the
 *     file's bytes must not be able to forge a line there;
 *   - a policy that loads is sane: socket, ident and digest set, no
 *     listener in both lists, a socket mode with no access for others;
 *   - loading the same files twice gives the same errors and digest.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "fuzz.h"

#define NLISTS	3

static char dir[64];
static size_t dirlen;

static FILE *
open_list(const char *path, bool *irregular, void *arg)
{
	(void)arg;
	*irregular = false;
	if (strncmp(path, dir, dirlen) != 0 || path[dirlen] != '/') {
		errno = ENOENT;
		return NULL;
	}
	if (strcmp(path + dirlen, "/eacces") == 0) {
		errno = EACCES;
		return NULL;
	}
	return conf_open_file(path, irregular);
}

static void
setup(void)
{
	const char *tmp = getenv("TMPDIR");
	char d[96];

	/* tmpfs when there is one: each run writes up to four files. */
	if (tmp == NULL || strlen(tmp) > 32)
		tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(dir, sizeof(dir), "%s/rw-fuzz-conf-XXXXXX", tmp);
	if (mkdtemp(dir) == NULL)
		abort();
	dirlen = strlen(dir);
	snprintf(d, sizeof(d), "%s/d", dir);
	if (mkdir(d, 0700) != 0)
		abort();
}

/* Removes what setup() made when the fuzzer exits. */
static void
cleanup(void)
{
	char path[128];
	int i;

	for (i = 0; i < NLISTS; i++) {
		snprintf(path, sizeof(path), "%s/l%d", dir, i);
		(void)unlink(path);
	}
	snprintf(path, sizeof(path), "%s/relaywarden.conf", dir);
	(void)unlink(path);
	snprintf(path, sizeof(path), "%s/d", dir);
	(void)rmdir(path);
	(void)rmdir(dir);
}

/* text with every "@DIR@" replaced by dir; len bytes in, *outlen out. */
static char *
subst(const char *text, size_t len, size_t *outlen)
{
	char *out = malloc(len * (dirlen + 1) / 5 + len + 1), *o = out;
	size_t i;

	if (out == NULL)
		abort();
	for (i = 0; i < len; ) {
		if (len - i >= 5 && memcmp(text + i, "@DIR@", 5) == 0) {
			memcpy(o, dir, dirlen);
			o += dirlen;
			i += 5;
		} else {
			*o++ = text[i++];
		}
	}
	*outlen = (size_t)(o - out);
	return out;
}

struct file {
	char	name[24];	/* "relaywarden.conf", "l0", ... */
	char	*text;
	size_t	len;
	unsigned nlines;
	ino_t	ino;
};

static void
write_file(struct file *f)
{
	char path[128];
	struct stat st;
	FILE *fp;
	size_t i;

	snprintf(path, sizeof(path), "%s/%s", dir, f->name);
	if ((fp = fopen(path, "w")) == NULL ||
	    fwrite(f->text, 1, f->len, fp) != f->len || fclose(fp) != 0 ||
	    stat(path, &st) != 0)
		abort();
	f->ino = st.st_ino;
	f->nlines = 0;
	for (i = 0; i < f->len; i++)
		f->nlines += f->text[i] == '\n';
	if (f->len > 0 && f->text[f->len - 1] != '\n')
		f->nlines++;
}

/* "FILE:LINE: message" or "FILE: message", FILE one of ours (by inode:
 * the text may name it "@DIR@//l0" or "@DIR@/d/../l0"). */
static void
check_error(const char *msg, const struct file *files, size_t nfiles)
{
	const char *p;
	char path[512];
	unsigned long line = 0;
	size_t i, nlen;
	struct stat st;

	FZ_CHECK(fz_printable(msg), "error with a byte outside printable "
	    "ASCII: \"%s\"", msg);
	FZ_CHECK(strncmp(msg, dir, dirlen) == 0 && msg[dirlen] == '/',
	    "error not about one of the files: \"%s\"", msg);
	nlen = strcspn(msg, ":");
	FZ_CHECK(nlen < sizeof(path), "file name of %zu bytes", nlen);
	memcpy(path, msg, nlen);
	path[nlen] = '\0';
	FZ_CHECK(stat(path, &st) == 0, "error names a file that is not there: "
	    "\"%s\"", msg);
	for (i = 0; i < nfiles; i++)
		if (files[i].ino == st.st_ino)
			break;
	FZ_CHECK(i < nfiles, "error names an unknown file: \"%s\"", msg);
	p = msg + nlen;
	FZ_CHECK(*p == ':', "no ':' after the file name: \"%s\"", msg);
	p++;
	if (*p >= '0' && *p <= '9') {
		line = strtoul(p, (char **)&p, 10);
		FZ_CHECK(*p == ':' && line >= 1 && line <= files[i].nlines,
		    "line %lu of %s, which has %u lines: \"%s\"", line,
		    files[i].name, files[i].nlines, msg);
		p++;
	}
	FZ_CHECK(p[0] == ' ' && p[1] != '\0', "no message: \"%s\"", msg);
}

static char *
joined(const struct conf_errors *e)
{
	size_t i, len = 32;
	char *out;

	for (i = 0; i < e->n; i++)
		len += strlen(e->msg[i]) + 1;
	if ((out = malloc(len)) == NULL)
		abort();
	out[0] = '\0';
	for (i = 0; i < e->n; i++) {
		strcat(out, e->msg[i]);
		strcat(out, "\n");
	}
	snprintf(out + strlen(out), 32, "(%zu dropped)", e->dropped);
	return out;
}

static void
check_config(const struct config *c)
{
	const struct policy *p = c->policy;
	size_t i, j;

	FZ_CHECK(c->milter_socket != NULL && c->syslog_ident != NULL &&
	    c->user != NULL && c->pid_file != NULL && c->socket_group != NULL,
	    "a string setting is NULL");
	FZ_CHECK((c->socket_mode & 07) == 0, "socket_mode %o", c->socket_mode);
	FZ_CHECK(strlen(c->digest) == 64 &&
	    strspn(c->digest, "0123456789abcdef") == 64 &&
	    strncmp(c->digest_short, c->digest, 12) == 0 &&
	    strlen(c->digest_short) == 12, "digest \"%s\", short \"%s\"",
	    c->digest, c->digest_short);
	for (i = 0; i < p->nlisteners; i++) {
		const struct listener_entry *a = &p->listeners[i];

		/* A word that starts with a digit is a port, never a name. */
		FZ_CHECK((a->port >= 1 && a->port <= 65535 && a->name == NULL) ||
		    (a->port == 0 && a->name != NULL && a->name[0] != '\0' &&
		    !(a->name[0] >= '0' && a->name[0] <= '9')),
		    "listener %zu: port %u name %s", i, a->port,
		    a->name ? a->name : "(null)");
		for (j = 0; j < i; j++) {
			const struct listener_entry *b = &p->listeners[j];

			FZ_CHECK(a->port != 0 ? a->port != b->port :
			    (b->name == NULL || strcmp(a->name, b->name) != 0),
			    "listener listed twice");
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	struct file files[1 + NLISTS];
	struct conf_errors e1 = { NULL, 0, 0 }, e2 = { NULL, 0, 0 };
	struct config *p1, *p2;
	const char *s = (const char *)data, *end = s + size, *sep;
	char main_path[128], *j1, *j2;
	size_t nfiles = 0, i;

	if (!ready) {
		setup();
		atexit(cleanup);
		ready = true;
	}
	/* Split at lines "@@@@"; remove list files of an earlier run. */
	while (nfiles < 1 + NLISTS) {
		struct file *f = &files[nfiles];
		size_t len;

		sep = nfiles < NLISTS ? memmem(s, (size_t)(end - s),
		    "\n@@@@\n", 6) : NULL;
		len = sep != NULL ? (size_t)(sep - s) + 1 : (size_t)(end - s);
		if (nfiles == 0)
			snprintf(f->name, sizeof(f->name), "relaywarden.conf");
		else
			snprintf(f->name, sizeof(f->name), "l%zu", nfiles - 1);
		f->text = subst(s, len, &f->len);
		write_file(f);
		nfiles++;
		if (sep == NULL)
			break;
		s = sep + 6;
	}
	for (i = nfiles - 1; i < NLISTS; i++) {
		char path[128];

		snprintf(path, sizeof(path), "%s/l%zu", dir, i);
		(void)unlink(path);
	}

	snprintf(main_path, sizeof(main_path), "%s/relaywarden.conf", dir);
	p1 = conf_load_text(main_path, files[0].text, files[0].len, &e1,
	    open_list, NULL);
	FZ_CHECK((p1 != NULL) == (e1.n == 0 && e1.dropped == 0),
	    "config %p with %zu errors, %zu dropped", (void *)p1, e1.n,
	    e1.dropped);
	FZ_CHECK(e1.n <= CONF_ERRORS_MAX, "%zu errors kept", e1.n);
	for (i = 0; i < e1.n; i++)
		check_error(e1.msg[i], files, nfiles);
	if (p1 != NULL)
		check_config(p1);

	p2 = conf_load_text(main_path, files[0].text, files[0].len, &e2,
	    open_list, NULL);
	j1 = joined(&e1);
	j2 = joined(&e2);
	FZ_CHECK(strcmp(j1, j2) == 0, "two loads differ:\n%s\n----\n%s", j1, j2);
	FZ_CHECK((p1 == NULL) == (p2 == NULL) && (p1 == NULL ||
	    strcmp(p1->digest, p2->digest) == 0),
	    "two loads differ in their policy or digest");

	free(j1);
	free(j2);
	config_free(p1);
	config_free(p2);
	conf_errors_free(&e1);
	conf_errors_free(&e2);
	for (i = 0; i < nfiles; i++)
		free(files[i].text);
	return 0;
}
