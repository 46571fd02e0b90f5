# relaywarden - one plain GNU Makefile.
PREFIX	?= /usr/local
DESTDIR	?=
SBINDIR	?= $(PREFIX)/sbin
MANDIR	?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
SYSTEMDDIR ?= /lib/systemd/system
TMPFILESDIR ?= /usr/lib/tmpfiles.d
VERSION	= 0.1.0

CC	?= cc
PKG_CONFIG ?= pkg-config
WERROR	?= -Werror
CFLAGS	?= -O2 -g
# The project's own flags, kept apart so that "make CFLAGS=..." adds to
# them instead of replacing them. CPPFLAGS is read too (Debian's
# dpkg-buildflags put _FORTIFY_SOURCE there).
RW_CFLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wformat=2 -Wshadow \
	   -Wstrict-prototypes -Wmissing-prototypes -Wvla $(WERROR) \
	   -DRW_VERSION='"$(VERSION)"'
MILTER_CFLAGS := $(shell $(PKG_CONFIG) --cflags milter)
MILTER_LIBS   := $(shell $(PKG_CONFIG) --libs milter)
CRYPTO_CFLAGS := $(shell $(PKG_CONFIG) --cflags libcrypto)
CRYPTO_LIBS   := $(shell $(PKG_CONFIG) --libs libcrypto)
# Check is a test tool ("make test-deps"): asked for only when a test is
# built, so that "make" says nothing of it.
CHECK_CFLAGS   = $(shell $(PKG_CONFIG) --cflags check)
CHECK_LIBS     = $(shell $(PKG_CONFIG) --libs check)
# libcidr ships no .pc file on Debian.
CIDR_LIBS     = -lcidr
LDLIBS	+= $(CIDR_LIBS) $(CRYPTO_LIBS) -lpthread
# The Redis rate limit store (milter/redisconn.c, rateredis.c).
HIREDIS_CFLAGS := $(shell $(PKG_CONFIG) --cflags hiredis)
HIREDIS_LIBS   := $(shell $(PKG_CONFIG) --libs hiredis)
LDLIBS	+= $(HIREDIS_LIBS)
# relaywarden-report reads .gz logs.
ZLIB_CFLAGS := $(shell $(PKG_CONFIG) --cflags zlib)
ZLIB_LIBS   := $(shell $(PKG_CONFIG) --libs zlib)

# B: where objects and binaries go ("." by default; the sanitizer build
# uses its own directory so that it never mixes with the normal one).
B	?= .
SAN_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all \
	    -fno-omit-frame-pointer

# Everything but the libmilter glue and main() is testable without a socket.
CORE_SRCS = $(filter-out milter/main.c milter/glue.c,$(wildcard milter/*.c))
CORE_OBJS = $(CORE_SRCS:%.c=$(B)/%.o)
DAEMON_OBJS = $(CORE_OBJS) $(B)/milter/glue.o $(B)/milter/main.o
TEST_SRCS = $(sort $(wildcard tests/check_*.c))
SUITE_SRCS = $(filter-out tests/check_main.c,$(TEST_SRCS))
TEST_OBJS = $(TEST_SRCS:%.c=$(B)/%.o)
HEADERS = $(wildcard milter/*.h)
# relaywarden-report (report/): all but main() links into the Check
# runner too, beside the daemon's core.
REPORT_CORE_SRCS = $(filter-out report/main.c,$(wildcard report/*.c))
REPORT_CORE_OBJS = $(REPORT_CORE_SRCS:%.c=$(B)/%.o)
REPORT_OBJS = $(REPORT_CORE_OBJS) $(B)/report/main.o
REPORT_HEADERS = $(wildcard report/*.h)

all: $(B)/milter/relaywarden $(B)/report/relaywarden-report

$(B)/milter/relaywarden: $(DAEMON_OBJS)
	$(CC) $(RW_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $(DAEMON_OBJS) $(MILTER_LIBS) $(LDLIBS)

$(B)/milter/glue.o $(B)/milter/main.o: RW_CFLAGS += $(MILTER_CFLAGS)
$(B)/milter/main.o: RW_CFLAGS += \
	-DRW_CONF_DEFAULT='"$(SYSCONFDIR)/relaywarden/relaywarden.conf"'
$(B)/milter/conf%.o $(B)/milter/ratelimit.o: RW_CFLAGS += $(CRYPTO_CFLAGS)
$(B)/milter/redisconn.o $(B)/milter/rateredis.o: RW_CFLAGS += $(HIREDIS_CFLAGS)

$(B)/milter/%.o: milter/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(RW_CFLAGS) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/report/relaywarden-report: $(REPORT_OBJS)
	$(CC) $(RW_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $(REPORT_OBJS) $(ZLIB_LIBS)

$(B)/report/input.o: RW_CFLAGS += $(ZLIB_CFLAGS)
$(B)/report/%.o: report/%.c $(REPORT_HEADERS)
	@mkdir -p $(@D)
	$(CC) $(RW_CFLAGS) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# One Check runner; the suite list is made from the tests/check_*.c files.
$(B)/tests/suites.inc: $(SUITE_SRCS) Makefile
	@mkdir -p $(@D)
	@printf '%s\n' $(patsubst tests/check_%.c,'SUITE(%)',$(SUITE_SRCS)) > $@.tmp
	@mv $@.tmp $@

$(B)/tests/check_main.o: $(B)/tests/suites.inc
# A suite's constructor is declared only where the runner calls it.
$(B)/tests/%.o: tests/%.c $(HEADERS) $(REPORT_HEADERS) $(wildcard tests/*.h)
	@mkdir -p $(@D)
	$(CC) $(RW_CFLAGS) $(CFLAGS) -Wno-missing-prototypes $(CHECK_CFLAGS) \
	    $(HIREDIS_CFLAGS) -Imilter -Ireport -I$(B)/tests -c -o $@ $<

$(B)/tests/check_relaywarden: $(TEST_OBJS) $(CORE_OBJS) $(REPORT_CORE_OBJS)
	$(CC) $(RW_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $(TEST_OBJS) $(CORE_OBJS) \
	    $(REPORT_CORE_OBJS) $(CHECK_LIBS) $(LDLIBS) $(ZLIB_LIBS)

# Unit tests (Check): no socket, no MTA. They run from tests/.
check: $(B)/tests/check_relaywarden all
	cd tests && $(abspath $(B))/tests/check_relaywarden

# The same tests built with AddressSanitizer and UBSan (in build/san/),
# then the normal build under valgrind memcheck (and relaywarden-report
# under it, on tests/report/run's logs). CK_FORK=no: one process,
# so that leaks and errors are seen by the tool.
check-san:
	$(MAKE) B=build/san CFLAGS='-O1 -g $(SAN_FLAGS)' \
	    LDFLAGS='$(SAN_FLAGS)' check
# The milter-protocol tests, the Postfix suite and the counters' suite
# once more, against the daemon built with AddressSanitizer and UBSan
# (build/san/): each fails on any sanitizer report in the daemon's log; and the report's suite against
# relaywarden-report built so (a report aborts the run: its status fails).
check-san-integration:
	$(MAKE) B=build/san CFLAGS='-O1 -g $(SAN_FLAGS)' \
	    LDFLAGS='$(SAN_FLAGS)' all
	RW_BIN=$(CURDIR)/build/san/milter/relaywarden tests/miltertest/run
	BED_RW_BIN=$(CURDIR)/build/san/milter/relaywarden tests/integration/run
	BED_RW_BIN=$(CURDIR)/build/san/milter/relaywarden tests/stats/run
	REPORT_BIN=$(CURDIR)/build/san/report/relaywarden-report \
	    RW_REPORT_POSTFIX=0 tests/report/run
# ThreadSanitizer (clang, in build/tsan/): the unit tests, then the daemon
# under load, reloads and a syslog daemon that restarts (tests/tsan/run;
# as root, after bench-bins).
TSAN_FLAGS = -fsanitize=thread
check-tsan: bench-bins
	$(MAKE) B=build/tsan CC=clang CFLAGS='-O1 -g $(TSAN_FLAGS)' \
	    LDFLAGS='$(TSAN_FLAGS)' check
	TSAN_RW_BIN=$(CURDIR)/build/tsan/milter/relaywarden tests/tsan/run
REPORT_VALGRIND = valgrind -q --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite,indirect
check-valgrind: $(B)/tests/check_relaywarden all
	cd tests && CK_FORK=no valgrind -q --error-exitcode=1 \
	    --leak-check=full --errors-for-leak-kinds=definite,indirect \
	    $(abspath $(B))/tests/check_relaywarden
	REPORT_WRAP='$(REPORT_VALGRIND)' RW_REPORT_POSTFIX=0 tests/report/run

# Benchmarks (bench/). They print figures and are not pass/fail tests,
# but stop with an error when their own setup fails.
BENCH_HEADERS = $(wildcard bench/*.h)
$(B)/bench/%.o: bench/%.c $(HEADERS) $(BENCH_HEADERS)
	@mkdir -p $(@D)
	$(CC) $(RW_CFLAGS) $(CFLAGS) -Imilter -c -o $@ $<

$(B)/bench/scale: $(B)/bench/scale.o $(B)/bench/listgen.o $(CORE_OBJS)
	$(CC) $(RW_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Load time, memory, ns and instructions per decision, 10 to 1M entries;
# and the sender ownership check's lookups at 100k map entries.
bench-scale: $(B)/bench/scale $(B)/bench/senders $(B)/bench/ratekeys
	$(B)/bench/scale
	$(B)/bench/senders
	$(B)/bench/ratekeys

$(B)/bench/ratekeys: $(B)/bench/ratekeys.o $(CORE_OBJS)
	$(CC) $(RW_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/bench/senders: $(B)/bench/senders.o $(CORE_OBJS)
	$(CC) $(RW_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The Redis rate limit store: round trips and time per take at 16 and 128
# threads, Redis's memory per key for 1M keys (its own redis-server on a
# unix socket; BENCH_TAKES, BENCH_KEYS as bench/redisbench.c says).
$(B)/bench/redisbench.o: RW_CFLAGS += $(HIREDIS_CFLAGS) -Itests
$(B)/bench/redisbench.o: tests/redisrun.h
$(B)/bench/redisbench: $(B)/bench/redisbench.o $(CORE_OBJS)
	$(CC) $(RW_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)
bench-redis: $(B)/bench/redisbench
	$(B)/bench/redisbench

# smtp-source through a throw-away Postfix: alone, with relaywarden, with
# the do-nothing filter asking for the same events when
# bench/nullfilter.c is in the tree, with the libmilter-free one (on unix
# sockets), and relaywarden and that filter on TCP (as root; BED_PORT_*
# and E2E_* as bench/postfix-e2e says).
bench-postfix: all $(B)/bench/scale $(B)/bench/wirefilter \
    $(if $(wildcard bench/nullfilter.c),$(B)/bench/nullfilter)
	B=$(B) bench/postfix-e2e

# libFuzzer targets (tests/fuzz/fuzz_*.c), built by clang in build/fuzz/
# against the core objects, all with ASan and UBSan. "make fuzz" runs each
# for FUZZ_TIME seconds, "make fuzz-brief" for FUZZ_BRIEF_TIME (make test
# runs that one); tests/fuzz/run says how, and where crashes land.
FUZZ_TARGETS = $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_CC	?= clang
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=all \
	   -fno-omit-frame-pointer
FUZZ_TIME ?= 60
FUZZ_BRIEF_TIME ?= 5
FUZZ_OBJS = $(CORE_OBJS)

fuzz-build:
	$(MAKE) B=build/fuzz CC=$(FUZZ_CC) \
	    CFLAGS='-O1 -g $(FUZZ_SAN) -fsanitize=fuzzer-no-link' fuzz-bins
fuzz-bins: $(FUZZ_TARGETS:%=$(B)/tests/fuzz/fuzz_%)
$(B)/tests/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(wildcard tests/fuzz/*.h) $(FUZZ_OBJS) \
    $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(RW_CFLAGS) $(CRYPTO_CFLAGS) -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer \
	    -Imilter -o $@ $< $(FUZZ_OBJS) $(LDLIBS)
fuzz: fuzz-build
	tests/fuzz/run -t $(FUZZ_TIME) $(FUZZ_TARGETS)
fuzz-brief: fuzz-build
	tests/fuzz/run -t $(FUZZ_BRIEF_TIME) $(FUZZ_TARGETS)
# The fuzzers' properties can fail: each planted hole must be reported
# (tests/fuzz/mutants; a copy of the committed tree, clang).
fuzz-mutants:
	tests/fuzz/mutants

# Everything: unit tests (plain, ASan+UBSan, valgrind, TSan), the daemon
# under TSan with reloads and a syslog restart, a short fuzz of
# every target and the fuzzers' mutants, the rc files and reloads of bad list files against the
# real binary, the Debian package built, installed, run and purged, the
# milter-protocol tests, the Sendmail fragment, a real
# Postfix driven by swaks, the load test, then the milter-protocol tests
# and the Postfix suite again against the sanitizer build of the daemon.
# The test tools are installed first (as root), then a new make reads
# their pkg-config files.
test: test-deps
	$(MAKE) test-all
test-all: check check-san check-valgrind all fuzz-brief fuzz-mutants bench-bins \
    check-tsan test-bins
	tests/rc/run
	tests/deb/run
	tests/reload/run
	tests/miltertest/run
	tests/sendmail/run
	tests/integration/run
	tests/report/run
	tests/stats/run
	DATAGATE_BIN=$(abspath $(B))/tests/integration/datagate \
	    tests/integration/afterdata
	tests/integration/mynetworks
	tests/integration/senderlogin
	tests/integration/ratelimit
	tests/integration/drift
	tests/integration/stop
	tests/integration/failsafe
	B=$(B) tests/stress/run
	$(MAKE) check-san-integration

# Helpers of the Postfix suites: a libmilter filter that refuses the first
# DATA of each transaction (tests/integration/afterdata).
test-bins: $(B)/tests/integration/datagate
$(B)/tests/integration/datagate: tests/integration/datagate.c
	@mkdir -p $(@D)
	$(CC) $(RW_CFLAGS) $(CFLAGS) $(MILTER_CFLAGS) $(LDFLAGS) -o $@ $< \
	    $(MILTER_LIBS) -lpthread

# A throw-away Postfix with relaywarden attached, a few real mails through
# its three listeners, the decision lines (as root; see tests/integration).
demo: all
	tests/integration/demo

# Benchmarks and load tests (bench/): the milter-protocol load generator,
# the do-nothing libmilter filter (the floor relaywarden is measured
# against), a do-nothing filter without libmilter (the protocol's own
# floor) and a syslog sink. "make bench-milter" builds and runs them and
# prints the figures (bench/README.md explains them).
BENCH_BINS = $(B)/bench/mload $(B)/bench/nullfilter $(B)/bench/wirefilter \
	     $(B)/bench/logsink
bench-bins: $(BENCH_BINS)
$(B)/bench/mload: bench/mload.c
	@mkdir -p $(@D)
	$(CC) $(RW_CFLAGS) $(CFLAGS) $(MILTER_CFLAGS) $(LDFLAGS) -o $@ $< -lm
$(B)/bench/nullfilter: bench/nullfilter.c
	@mkdir -p $(@D)
	$(CC) $(RW_CFLAGS) $(CFLAGS) $(MILTER_CFLAGS) $(LDFLAGS) -o $@ $< \
	    $(MILTER_LIBS) -lpthread
$(B)/bench/wirefilter: bench/wirefilter.c
	@mkdir -p $(@D)
	$(CC) $(RW_CFLAGS) $(CFLAGS) $(MILTER_CFLAGS) $(LDFLAGS) -o $@ $<
$(B)/bench/logsink: bench/logsink.c
	@mkdir -p $(@D)
	$(CC) $(RW_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $<
bench-milter: all $(BENCH_BINS)
	bench/milter-bench

# relaywarden-report over a generated 10-million-line mail.log: lines/s
# and peak RSS (bench/report-bench; about 1.8 GB in BENCH_TMPDIR).
$(B)/bench/loggen: bench/loggen.c
	@mkdir -p $(@D)
	$(CC) $(RW_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $<
bench-report: all $(B)/bench/loggen
	B=$(B) bench/report-bench

# Every benchmark (as root): figures, not pass/fail.
bench: bench-milter bench-scale bench-postfix bench-report bench-redis

# Debian packages, as root. "make deps": what building and running need.
# Postfix is among them: the shipped configuration puts the milter socket
# in Postfix's queue directory with group postfix, and relaywarden has
# nothing to do without an MTA. It is preseeded to "No configuration"
# when it is not installed yet, so that installing it starts no mail
# server; the tests run their own throw-away instance. "make test-deps":
# the test tools, and what dpkg-buildpackage and lintian need ("make
# test" runs it first). Each installs only what is missing, and runs
# apt-get update only then. Sendmail itself is never installed (its
# sendmail-bin would remove Postfix): tests/sendmail/run fetches its
# packages with apt-get download into its scratch directory and runs them
# from there, in namespaces made with unshare and mount (util-linux,
# mount) and an ip-configured loopback (iproute2).
BUILD_DEPS = build-essential pkg-config libmilter-dev libcidr-dev libssl-dev \
	     zlib1g-dev libhiredis-dev
RUN_DEPS = postfix adduser
TEST_DEPS = check valgrind systemd swaks sasl2-bin libsasl2-modules openssl \
	    libnet-ssleay-perl miltertest sendmail-cf m4 \
	    perl procps iproute2 util-linux mount git python3 \
	    python3-prometheus-client libxml2-utils time \
	    clang libclang-rt-dev llvm redis-server
DEB_DEPS = debhelper dpkg-dev lintian
# $(call apt_install,PACKAGES): those of PACKAGES not installed yet.
apt_install = missing=$$(for p in $(1); do \
	    dpkg-query -W -f='$${db:Status-Status}\n' $$p 2>/dev/null | \
	    grep -qx installed || echo $$p; done); \
	if [ -z "$$missing" ]; then echo "installed already: $(strip $(1))"; \
	else apt-get update && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; fi
deps:
	dpkg -s postfix >/dev/null 2>&1 || echo \
	    'postfix postfix/main_mailer_type select No configuration' | \
	    debconf-set-selections
	@$(call apt_install,$(BUILD_DEPS) $(RUN_DEPS))
	getent passwd relaywarden >/dev/null || adduser --system --group \
	    --no-create-home --home /nonexistent relaywarden
test-deps: deps
	@$(call apt_install,$(TEST_DEPS) $(DEB_DEPS))

# The Debian package (debian/), built by dpkg-buildpackage in a copy of
# the tree, build/deb/src, since it writes its results to the directory
# above: build/deb/relaywarden_$(VERSION)_ARCH.deb (tests/deb/run
# installs it).
deb:
	rm -rf build/deb
	mkdir -p build/deb/src
	tar --exclude=./build --exclude=./.git -cf - . | tar -xf - -C build/deb/src
	cd build/deb/src && dpkg-buildpackage -us -uc -b

# The package's unit under a real systemd, for hosts where systemd is not
# PID 1 (tests/deb/systemd: a debootstrap'd Debian 12 booted with
# systemd-nspawn). Not in "make test": it needs the Debian archive and
# takes minutes the first time.
SYSTEMD_TEST_DEPS = debootstrap systemd-container
test-systemd: test-deps
	@$(call apt_install,$(SYSTEMD_TEST_DEPS))
	tests/deb/systemd

# An existing configuration or defaults file is never overwritten.
install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(SYSCONFDIR)/relaywarden \
	    $(DESTDIR)$(SYSCONFDIR)/default $(DESTDIR)$(SYSCONFDIR)/init.d \
	    $(DESTDIR)$(SYSTEMDDIR) $(DESTDIR)$(TMPFILESDIR)
	install -m 755 $(B)/milter/relaywarden $(DESTDIR)$(SBINDIR)/relaywarden
	install -m 755 $(B)/report/relaywarden-report \
	    $(DESTDIR)$(SBINDIR)/relaywarden-report
	install -m 644 milter/relaywarden.8 report/relaywarden-report.8 \
	    $(DESTDIR)$(MANDIR)/man8/
	install -m 644 conf/relaywarden.conf.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 644 conf/relaywarden.conf \
	    $(DESTDIR)$(SYSCONFDIR)/relaywarden/relaywarden.conf.example
	install -m 644 conf/postfix-main.cf.snippet \
	    $(DESTDIR)$(SYSCONFDIR)/relaywarden/postfix-main.cf.snippet
	install -m 644 conf/sendmail.mc \
	    $(DESTDIR)$(SYSCONFDIR)/relaywarden/sendmail.mc
	[ -e $(DESTDIR)$(SYSCONFDIR)/relaywarden/relaywarden.conf ] || \
	    install -m 644 conf/relaywarden.conf \
	    $(DESTDIR)$(SYSCONFDIR)/relaywarden/relaywarden.conf
	[ -e $(DESTDIR)$(SYSCONFDIR)/default/relaywarden ] || \
	    install -m 644 rc/relaywarden.default \
	    $(DESTDIR)$(SYSCONFDIR)/default/relaywarden
	sed 's,@SBINDIR@,$(SBINDIR),g' rc/relaywarden.service > \
	    $(DESTDIR)$(SYSTEMDDIR)/relaywarden.service
	sed 's,@SBINDIR@,$(SBINDIR),g' rc/relaywarden.init > \
	    $(DESTDIR)$(SYSCONFDIR)/init.d/relaywarden
	chmod 755 $(DESTDIR)$(SYSCONFDIR)/init.d/relaywarden
	install -m 644 rc/relaywarden.tmpfiles \
	    $(DESTDIR)$(TMPFILESDIR)/relaywarden.conf

# Leaves the configuration and defaults file, as dpkg's "remove" does.
uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/relaywarden \
	    $(DESTDIR)$(SBINDIR)/relaywarden-report \
	    $(DESTDIR)$(MANDIR)/man8/relaywarden.8 \
	    $(DESTDIR)$(MANDIR)/man8/relaywarden-report.8 \
	    $(DESTDIR)$(MANDIR)/man5/relaywarden.conf.5 \
	    $(DESTDIR)$(SYSCONFDIR)/relaywarden/relaywarden.conf.example \
	    $(DESTDIR)$(SYSCONFDIR)/relaywarden/postfix-main.cf.snippet \
	    $(DESTDIR)$(SYSCONFDIR)/relaywarden/sendmail.mc \
	    $(DESTDIR)$(SYSTEMDDIR)/relaywarden.service \
	    $(DESTDIR)$(SYSCONFDIR)/init.d/relaywarden \
	    $(DESTDIR)$(TMPFILESDIR)/relaywarden.conf

clean:
	rm -rf build milter/*.o milter/relaywarden report/*.o \
	      report/relaywarden-report tests/*.o tests/suites.inc \
	      tests/check_relaywarden $(BENCH_BINS) bench/*.o bench/scale \
	      bench/senders bench/loggen bench/redisbench \
	      tests/integration/datagate

.PHONY: all check check-san check-san-integration check-valgrind check-tsan fuzz \
	fuzz-build fuzz-bins fuzz-brief fuzz-mutants test test-all test-bins demo deps \
	test-deps deb test-systemd install uninstall clean \
	bench bench-bins bench-milter bench-scale bench-postfix bench-report \
	bench-redis
