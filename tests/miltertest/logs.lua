-- logs.lua - no client or MTA value can add a line, a key or a control
-- byte to relaywarden's log. Each hostile payload goes through every
-- field that reaches the decision line (sender, recipient, {auth_authen},
-- {daemon_port}, {tls_version}, {i}), through {client_addr} (not an
-- address: "client=-", and the value only in the warning) and through
-- the warnings; the test asserts the exact line: one line, the fixed keys
-- in their order, every byte outside printable ASCII, space, '"' and '\'
-- escaped. (The HELO name never reaches relaywarden: it asks for no HELO
-- event; raw.lua sends one anyway.)
local rw = dofile(lib .. "/rw.lua")
local run_cases = dofile(lib .. "/cases.lua")

-- { name, payload, as the log must show it }
local PAYLOADS = {
	{ "crlf-fake-line",
	  "a\r\nrelaywarden[1]: NOQUEUE: listener=smtp decision=accept",
	  "a\\x0d\\x0arelaywarden[1]:\\x20NOQUEUE:\\x20listener=smtp\\x20decision=accept" },
	{ "lf-only", "a\nb", "a\\x0ab" },
	{ "cr-only", "a\rb", "a\\x0db" },
	{ "fake-keys", "a decision=accept reason=local_domain",
	  "a\\x20decision=accept\\x20reason=local_domain" },
	{ "quotes-backslash", "\"q\" b\\s", "\\\"q\\\"\\x20b\\\\s" },
	{ "8bit", "\xe9\xff\x80\xc3\xa9", "\\xe9\\xff\\x80\\xc3\\xa9" },
	{ "escape-sequence", "\27[31mred\9\127", "\\x1b[31mred\\x09\\x7f" },
	{ "fake-escape", "\\x0a\\...", "\\\\x0a\\\\..." },
}

local L = rw.liner({ listener = "smtp", port = "25", client = "203.0.113.7",
    from = "<a@remote.example>", rcpt = "<x@remote.example>",
    decision = "reject", reason = "relay_denied", code = "554",
    dsn = "5.7.1" })
local P25 = { "{daemon_port}", "25" }
local R, C = SMFIR_REPLYCODE, SMFIR_CONTINUE

local cases = {}
local function add(c) cases[#cases + 1] = c end
for _, p in ipairs(PAYLOADS) do
	local name, raw, shown = p[1], p[2], p[3]
	-- The sender (not judged, logged whole).
	add({ name = "from-" .. name, connect = P25, from = "<" .. raw .. ">",
	    rcpts = { { "<x@remote.example>", R } },
	    log = { L({ from = "<" .. shown .. ">" }) } })
	-- A recipient: unparseable when it carries a control byte or a
	-- space outside quotes, judged otherwise; logged escaped either way.
	add({ name = "rcpt-" .. name, connect = P25,
	    rcpts = { { "<" .. raw .. "@remote.example>", R } },
	    log = { L({ rcpt = "<" .. shown .. "@remote.example>",
	    reason = p.rcpt_reason or (raw:find("[%c ]") and "bad_address" or
	    "relay_denied"), code = raw:find("[%c ]") and "501" or "554",
	    dsn = raw:find("[%c ]") and "5.1.3" or "5.7.1" }) } })
	-- The SASL login: any non-empty value is a login.
	add({ name = "auth-" .. name, connect = P25,
	    mail = { "{auth_authen}", raw },
	    rcpts = { { "<x@remote.example>", C } },
	    log = { L({ auth = shown, decision = "accept", reason = "authenticated",
	    code = "-", dsn = "-" }) } })
	-- TLS version: any non-empty value is TLS.
	add({ name = "tls-" .. name, connect = P25,
	    mail = { "{tls_version}", raw },
	    rcpts = { { "<x@remote.example>", R } },
	    log = { L({ tls = shown }) } })
	-- The listener port: not a port, so unknown_listener (smtp).
	add({ name = "port-" .. name, connect = { "{daemon_port}", raw },
	    rcpts = { { "<x@remote.example>", R } },
	    log = { L({ port = shown }) } })
	-- The queue id, first word of the line.
	add({ name = "queue-id-" .. name, connect = P25,
	    rcpts = { { "<x@remote.example>", R, { "i", raw } } },
	    log = { L({ qid = shown }) } })
	-- {client_addr}: not an address, so no client address, no match.
	add({ name = "client-addr-" .. name, connect = P25, client_addr = raw,
	    rcpts = { { "<x@remote.example>", R } }, log = { L({ client = "-" }) } })
end

-- The first unknown-listener session also logs the warning (at most once
-- every ten minutes); take it here, with its own escaped port value.
local off = rw.mark()
local conn = rw.session("203.0.113.7", { "{daemon_port}", "2\r\n5",
    "{daemon_name}", "a b\r\nc" })
rw.check_reply("warning-escaped/mail", rw.mail(conn, "<a@remote.example>"), C)
rw.check_reply("warning-escaped/rcpt", rw.rcpt(conn, "<x@remote.example>"), R)
mt.disconnect(conn)
rw.check_log("warning-escaped/log", off, {
	"warning: listener port 2\\x0d\\x0a5 (daemon_name=a\\x20b\\x0d\\x0ac) is "
	.. "in neither smtp_ports nor submission_ports: applying "
	.. "unknown_listener = smtp; add it to one of them in the relaywarden "
	.. "configuration",
	L({ port = "2\\x0d\\x0a5" }) })

-- Likewise the first unusable {client_addr}, whose warning shows it.
off = rw.mark()
conn = rw.session(nil, P25, { client_addr =
    "a\r\nrelaywarden[1]: NOQUEUE: listener=smtp client=192.0.2.1 decision=accept" })
rw.check_reply("client-warning-escaped/mail", rw.mail(conn, "<a@remote.example>"), C)
rw.check_reply("client-warning-escaped/rcpt", rw.rcpt(conn, "<x@remote.example>"), R)
mt.disconnect(conn)
rw.check_log("client-warning-escaped/log", off, {
	"warning: {client_addr} is not an address (a\\x0d\\x0arelaywarden[1]:"
	.. "\\x20NOQUEUE:\\x20listener=smtp\\x20client=192.0.2.1\\x20"
	.. "decision=accept): this client cannot relay by my_networks",
	L({ client = "-" }) })

-- Two transactions on one connection: each line shows its own
-- transaction's sender and login (the part of the line that is the same
-- for every recipient is made once per transaction, not per connection).
off = rw.mark()
conn = rw.session(nil, P25)
rw.check_reply("two-transactions/mail-1", rw.mail(conn, "<a@remote.example>"), C)
rw.check_reply("two-transactions/rcpt-1", rw.rcpt(conn, "<x@remote.example>"), R)
assert(mt.abort(conn) == nil, "abort failed")
rw.check_reply("two-transactions/mail-2", rw.mail(conn, "<b@remote.example>",
    { "{auth_authen}", "bob", "{tls_version}", "TLSv1.3" }), C)
rw.check_reply("two-transactions/rcpt-2", rw.rcpt(conn, "<y@remote.example>"), C)
rw.check_reply("two-transactions/rcpt-3", rw.rcpt(conn, "<z@remote.example>"), C)
mt.disconnect(conn)
rw.check_log("two-transactions/log", off, { L({}),
	L({ from = "<b@remote.example>", auth = "bob", tls = "TLSv1.3",
	    rcpt = "<y@remote.example>", decision = "accept",
	    reason = "authenticated", code = "-", dsn = "-" }),
	L({ from = "<b@remote.example>", auth = "bob", tls = "TLSv1.3",
	    rcpt = "<z@remote.example>", decision = "accept",
	    reason = "authenticated", code = "-", dsn = "-" }) })

run_cases(rw, cases)
rw.done()
