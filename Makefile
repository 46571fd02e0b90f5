# relaywarden - one plain GNU Makefile.
PREFIX	?= /usr/local
DESTDIR	?=
VERSION	= 0.1.0

CC	?= cc
PKG_CONFIG ?= pkg-config
WERROR	?= -Werror
CFLAGS	?= -O2 -g
CFLAGS	+= -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wformat=2 -Wshadow \
	   -Wstrict-prototypes -Wmissing-prototypes -Wvla $(WERROR) \
	   -DRW_VERSION='"$(VERSION)"'
MILTER_CFLAGS := $(shell $(PKG_CONFIG) --cflags milter)
MILTER_LIBS   := $(shell $(PKG_CONFIG) --libs milter)
CRYPTO_CFLAGS := $(shell $(PKG_CONFIG) --cflags libcrypto)
CRYPTO_LIBS   := $(shell $(PKG_CONFIG) --libs libcrypto)
CHECK_CFLAGS  := $(shell $(PKG_CONFIG) --cflags check)
CHECK_LIBS    := $(shell $(PKG_CONFIG) --libs check)
# libcidr ships no .pc file on Debian.
CIDR_LIBS     = -lcidr
LDLIBS	+= $(CIDR_LIBS) $(CRYPTO_LIBS) -lpthread

# Everything but the libmilter glue and main() is testable without a socket.
CORE_SRCS = $(filter-out milter/main.c milter/glue.c,$(wildcard milter/*.c))
CORE_OBJS = $(CORE_SRCS:.c=.o)
DAEMON_OBJS = $(CORE_OBJS) milter/glue.o milter/main.o
TEST_SRCS = $(sort $(wildcard tests/check_*.c))
SUITE_SRCS = $(filter-out tests/check_main.c,$(TEST_SRCS))
TEST_OBJS = $(TEST_SRCS:.c=.o)

all: milter/relaywarden

milter/relaywarden: $(DAEMON_OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(DAEMON_OBJS) $(MILTER_LIBS) $(LDLIBS)

milter/glue.o milter/main.o: CFLAGS += $(MILTER_CFLAGS)
milter/conf.o: CFLAGS += $(CRYPTO_CFLAGS)

milter/%.o: milter/%.c $(wildcard milter/*.h)
	$(CC) $(CFLAGS) -c -o $@ $<

# One Check runner; the suite list is made from the tests/check_*.c files.
tests/suites.inc: $(SUITE_SRCS) Makefile
	@printf '%s\n' $(patsubst tests/check_%.c,'SUITE(%)',$(SUITE_SRCS)) > $@.tmp
	@mv $@.tmp $@

tests/check_main.o: tests/suites.inc
# A suite's constructor is declared only where the runner calls it.
tests/%.o: tests/%.c $(wildcard milter/*.h tests/*.h)
	$(CC) $(CFLAGS) -Wno-missing-prototypes $(CHECK_CFLAGS) -Imilter -c -o $@ $<

tests/check_relaywarden: $(TEST_OBJS) $(CORE_OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(TEST_OBJS) $(CORE_OBJS) $(CHECK_LIBS) $(LDLIBS)

# Unit tests (Check): no socket, no MTA.
check: tests/check_relaywarden milter/relaywarden
	cd tests && ./check_relaywarden

# Everything: the unit tests, then a real Postfix driven by swaks.
test: check
	tests/integration/run

# Debian packages to build, run and test (as root: "sudo make deps").
# Postfix is preseeded to "No configuration" when it is not installed yet,
# so that installing it starts no mail server; the tests run their own
# throw-away instance.
BUILD_DEPS = build-essential pkg-config libmilter-dev libcidr-dev libssl-dev
TEST_DEPS = check postfix swaks sasl2-bin libsasl2-modules openssl perl \
	    procps iproute2
deps:
	apt-get update
	dpkg -s postfix >/dev/null 2>&1 || echo \
	    'postfix postfix/main_mailer_type select No configuration' | \
	    debconf-set-selections
	DEBIAN_FRONTEND=noninteractive apt-get install -y $(BUILD_DEPS) $(TEST_DEPS)

clean:
	rm -f milter/*.o milter/relaywarden tests/*.o tests/suites.inc \
	      tests/check_relaywarden

.PHONY: all check test deps clean
