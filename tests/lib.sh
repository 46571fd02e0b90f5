# tests/lib.sh - the plumbing the shell suites share. Sourced (bash):
#
#   . "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
#
# Sourcing it only defines functions and sets the counters; it starts
# nothing and sets no trap until at_exit is called. tests/integration/
# postfix-bed sources it too, and bench/postfix-e2e sources the bed: no
# name here may clash with that script's own (die is the one it
# redefines, to the same effect).
#
#   reporting   pass, fail, check, relay_results, summary: one line per
#               check, "ok NAME" or "FAIL NAME: WHY", and the closing
#               "N passed, M failed", whose status is the suite's
#   exit        at_exit, scratch_dir, die
#   waiting     wait_until, file_size, tail_from, log_has
#   sockets     port_busy, port_listening, unix_listening,
#               socket_listening, first_free_port
#   the daemon  daemon_start, daemon_wait_exit, daemon_stop, rss_kb,
#               rss_figures, built_with, SAN_REPORT_RE
#   SMTP        smtp_open, smtp_reply, smtp_cmd, smtp_close
[ -z "${RW_TESTLIB:-}" ] || return 0
RW_TESTLIB=1

# --- reporting -------------------------------------------------------------
PASSED=0
FAILED=0
pass() { PASSED=$((PASSED + 1)); printf 'ok %s\n' "$1"; }
fail() { FAILED=$((FAILED + 1)); printf 'FAIL %s: %s\n' "$1" "$2"; }
check() { # NAME GOT WANT
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got '$2', want '$3'"; fi
}

# relay_results PREFIX FILE: the "ok NAME" and "FAIL NAME: WHY" lines
# that a script the suite ran wrote to FILE, counted and shown as the
# suite's own, each NAME as PREFIX/NAME. Sets RELAY_FAILED to the number
# of FAIL lines and RELAY_OTHER to the other lines, in order.
RELAY_FAILED=0
RELAY_OTHER=()
relay_results() {
	local line
	RELAY_FAILED=0
	RELAY_OTHER=()
	while IFS= read -r line; do
		case $line in
		'ok '*) pass "$1/${line#ok }" ;;
		'FAIL '*)
			FAILED=$((FAILED + 1)) RELAY_FAILED=$((RELAY_FAILED + 1))
			printf 'FAIL %s/%s\n' "$1" "${line#FAIL }"
			;;
		*) RELAY_OTHER+=("$line") ;;
		esac
	done <"$2"
}

# summary: the closing line; its status is 0 when nothing failed, so a
# suite ends with it.
summary() {
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" = 0 ]
}

# --- exit ----------------------------------------------------------------------
# at_exit COMMAND: COMMAND (a string, evaluated then) runs when the suite
# exits, the last registered first, as a stack of clean-ups: register a
# directory before the daemon that writes in it. The first call sets the
# EXIT trap; the suite's exit status is kept.
LIB_AT_EXIT=()
at_exit() {
	[ "${#LIB_AT_EXIT[@]}" -gt 0 ] || trap lib_on_exit EXIT
	LIB_AT_EXIT+=("$1")
}
lib_on_exit() {
	local i
	for ((i = ${#LIB_AT_EXIT[@]} - 1; i >= 0; i--)); do
		eval "${LIB_AT_EXIT[$i]}"
	done
}

# scratch_dir NAME [PARENT]: makes PARENT/relaywarden-NAME.XXXXXX
# (PARENT: /tmp), mode 755 so that a daemon that has dropped root can read
# what the suite writes there, sets SCRATCH_DIR to its path, and removes
# it at exit; KEEP=1 keeps it and says where.
SCRATCH_DIR=
scratch_dir() {
	SCRATCH_DIR=$(mktemp -d "${2:-/tmp}/relaywarden-$1.XXXXXX") ||
	    die "mktemp failed"
	chmod 755 "$SCRATCH_DIR"
	at_exit "scratch_remove $(printf %q "$SCRATCH_DIR")"
}
scratch_remove() {
	if [ "${KEEP:-0}" = 1 ]; then echo "# kept $1"; else rm -rf "$1"; fi
}

# The suite's name for messages: the directory of a "run", else the file.
LIB_SUITE=${0##*/}
[ "$LIB_SUITE" != run ] || LIB_SUITE=$(basename "$(dirname "$0")")

# die MESSAGE...: the suite cannot run (its set-up failed): exit 2.
die() { printf '%s: %s\n' "$LIB_SUITE" "$*" >&2; exit 2; }

# --- waiting -------------------------------------------------------------------
# wait_until SECONDS COMMAND...: runs COMMAND every 0.1 s until it
# succeeds (status 0) or SECONDS have passed (status 1). A wait with a
# bound, on a fact rather than a guess of how long something takes.
wait_until() {
	local lib_deadline=$((SECONDS + $1))
	shift
	until "$@"; do
		[ "$SECONDS" -lt "$lib_deadline" ] || return 1
		sleep 0.1
	done
}

# file_size FILE: its size in bytes, 0 when it is missing: a mark from
# which tail_from and log_has read what came after.
file_size() { stat -c %s "$1" 2>/dev/null || echo 0; }
# tail_from FILE OFFSET: what was written to FILE after byte OFFSET.
tail_from() { tail -c +"$(($2 + 1))" "$1"; }
# log_has FILE OFFSET STRING: a line written after OFFSET holds STRING.
log_has() { tail_from "$1" "$2" | grep -q -F -- "$3"; }

# --- sockets -------------------------------------------------------------------
# port_busy PORT: something accepts connections on 127.0.0.1:PORT.
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# port_listening PORT [PID]: a socket listens on 127.0.0.1:PORT or any
# address's PORT (that PID's, when PID is given: another job on the port
# is not ours). Read from /proc/net/tcp: looking opens no session.
port_listening() {
	local inode
	inode=$(awk -v p=":$(printf '%04X' "$1")" \
	    '($2 == "0100007F" p || $2 == "00000000" p) && $4 == "0A" {
		print $10; exit }' /proc/net/tcp)
	[ -n "$inode" ] || return 1
	[ -z "${2:-}" ] || ls -l "/proc/$2/fd" 2>/dev/null |
	    grep -qF "socket:[$inode]"
}

# unix_listening PATH [PID]: a unix socket listens at PATH (that PID's,
# when PID is given), read from /proc/net/unix.
unix_listening() {
	local inode
	inode=$(awk -v p="$1" '$4 == "00010000" && $8 == p { print $7; exit }' \
	    /proc/net/unix)
	[ -n "$inode" ] || return 1
	[ -z "${2:-}" ] || ls -l "/proc/$2/fd" 2>/dev/null |
	    grep -qF "socket:[$inode]"
}

# socket_listening SOCKET [PID]: SOCKET as relaywarden.conf's
# milter_socket writes it (unix:PATH, local:PATH, inet:PORT@HOST, or a
# path) listens (PID's socket, when PID is given).
socket_listening() {
	case $1 in
	inet:*) local p=${1#inet:}; port_listening "${p%%@*}" "${2:-}" ;;
	unix:* | local:*) unix_listening "${1#*:}" "${2:-}" ;;
	/*) unix_listening "$1" "${2:-}" ;;
	*) return 1 ;;
	esac
}

# first_free_port FROM [COUNT]: the first of the COUNT (50) ports from
# FROM on that nothing uses; status 1 when there is none.
first_free_port() {
	local p
	for ((p = $1; p < $1 + ${2:-50}; p++)); do
		if ! port_busy "$p" && ! port_listening "$p"; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# --- the daemon ------------------------------------------------------------------
# daemon_start LOG CONF COMMAND...: starts "COMMAND... -f -c CONF" in the
# background (COMMAND ends with the daemon's path; it may start with a
# wrapper such as valgrind), stdin /dev/null, stdout and stderr appended
# to LOG, and waits, DAEMON_WAIT seconds at most (15), until that process
# listens on CONF's milter_socket. Sets DAEMON_PID. Status 1 when it did
# not: DAEMON_PID is then empty and DAEMON_STATUS says why (its exit
# status, or "not listening after N s", when it is stopped).
DAEMON_PID=
DAEMON_STATUS=
daemon_start() {
	local log=$1 conf=$2 sock wait=${DAEMON_WAIT:-15}
	shift 2
	sock=$(sed -n 's/^milter_socket[ \t]*=[ \t]*//p' "$conf" | tail -n 1)
	"$@" -f -c "$conf" </dev/null >>"$log" 2>&1 &
	DAEMON_PID=$!
	if wait_until "$wait" daemon_up "$sock" "$DAEMON_PID"; then
		socket_listening "$sock" "$DAEMON_PID" && return 0
		wait "$DAEMON_PID"
		DAEMON_STATUS=$?
	else
		daemon_stop "$DAEMON_PID" 5
		DAEMON_STATUS="not listening after $wait s"
	fi
	DAEMON_PID=
	return 1
}
# daemon_up SOCKET PID: done waiting: PID listens on SOCKET, or is gone.
daemon_up() { socket_listening "$1" "$2" || ! kill -0 "$2" 2>/dev/null; }

# daemon_wait_exit PID SECONDS: waits up to SECONDS for PID, a child of
# this shell, to exit. Then sets DAEMON_STATUS to its exit status;
# otherwise DAEMON_STATUS=running and status 1. Not in a $(...): only this
# shell can reap its child.
daemon_wait_exit() {
	if ! wait_until "$2" lib_gone "$1"; then
		DAEMON_STATUS=running
		return 1
	fi
	wait "$1"
	DAEMON_STATUS=$?
}
lib_gone() { ! kill -0 "$1" 2>/dev/null; }

# daemon_stop PID [SECONDS [SIGNAL]]: SIGNAL (TERM) to PID, a child of
# this shell, then SECONDS (20) for it to exit (libmilter lets its workers
# finish first), SIGKILL after that. Sets DAEMON_STATUS to its exit
# status, or "killed" when it needed the SIGKILL. Status 0 only for a
# clean stop (exit status 0); no PID, nothing to stop: 0.
daemon_stop() {
	DAEMON_STATUS=
	[ -n "${1:-}" ] || return 0
	kill "-${3:-TERM}" "$1" 2>/dev/null
	if ! daemon_wait_exit "$1" "${2:-20}"; then
		kill -KILL "$1" 2>/dev/null
		wait "$1" 2>/dev/null
		DAEMON_STATUS=killed
	fi
	[ "$DAEMON_STATUS" = 0 ]
}

# rss_kb PID [FIELD]: PID's resident set (VmRSS), in kB; FIELD VmHWM
# gives its peak so far (the kernel's high-water mark).
rss_kb() {
	awk -v f="${2:-VmRSS}:" '$1 == f { print $2 }' "/proc/$1/status" 2>/dev/null
}
# rss_figures PID START: PID's resident set at its start (START kB, as
# rss_kb said then), at its peak, and now, as a comment line of figures.
rss_figures() {
	echo "# RSS: start ${2:-?} kB, peak $(rss_kb "$1" VmHWM) kB, end $(rss_kb "$1") kB"
}

# built_with BIN asan|tsan...: BIN carries one of these sanitizers' run
# time (linked in, or asked of the loader).
built_with() {
	local bin=$1 re=
	shift
	re=$(printf '|__%s_init' "$@")
	grep -q -a -E "${re#|}" "$bin"
}

# A sanitizer's report, in a log.
# shellcheck disable=SC2034 # for the suites
SAN_REPORT_RE='ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:|WARNING: ThreadSanitizer|SUMMARY: [A-Za-z]*Sanitizer'

# --- SMTP: one held session on fd SMTP_FD -----------------------------------------
SMTP_FD=
# smtp_open [PORT]: connects to 127.0.0.1:PORT (BED_PORT_SMTP, the test
# bed's port 25) and prints the greeting's last line.
smtp_open() {
	exec {SMTP_FD}<>"/dev/tcp/127.0.0.1/${1:-$BED_PORT_SMTP}" || return 1
	smtp_reply
}
# smtp_reply: the last line of one (possibly multi-line) reply, CR
# removed; "timeout" when none comes within 30 s.
smtp_reply() {
	local line
	while IFS= read -r -t 30 -u "$SMTP_FD" line; do
		line=${line%$'\r'}
		if [[ $line =~ ^[0-9]{3}( |$) ]]; then
			printf '%s\n' "$line"
			return 0
		fi
	done
	echo timeout
}
# smtp_cmd LINE: sends LINE and prints the reply's last line.
smtp_cmd() {
	printf '%s\r\n' "$1" >&"$SMTP_FD"
	smtp_reply
}
smtp_close() {
	[ -z "$SMTP_FD" ] || exec {SMTP_FD}>&-
	SMTP_FD=
}
