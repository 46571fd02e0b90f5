-- raw.lua - what miltertest cannot send, sent with lib/milter-raw: 10 kB
-- values, oversized and malformed packets, connect information that is
-- not an address (to an MTA that cannot take macro lists, the only one
-- relaywarden asks for the CONNECT event), events the milter declined.
-- Each gets the exact reply and log line, or, where libmilter itself
-- gives up on the session, the connection closed (the MTA then applies
-- milter_default_action = tempfail) and the daemon still serving.
-- milter-raw behaves as an MTA: a CONNECT or HELO event the milter
-- declined is not sent ("skipped"), its stage's macros are.
local rw = dofile(lib .. "/rw.lua")
local K10 = string.rep("a", 10240)
local CA10K = "192.0.2.10 " .. string.rep("a", 10240 - 11)
local MANY = {}
for i = 1, 1000 do MANY[i] = "NOTIFY=NEVER" end

local L = rw.liner({ listener = "smtp", client = "203.0.113.7",
    from = "<a@remote.example>" })

local NOACT = rw.ACTIONS_NO_SYMLIST
local CONNECT = { "connect", "client.example", "4", "4000", "203.0.113.7" }

-- A session as Postfix holds it: the connect macros cm, with {client_addr}
-- 203.0.113.7 unless cm has one, the connect event (skipped unless the MTA offers no
-- macro lists), HELO (always skipped), the mail macros mm, MAIL, then
-- the recipients.
local function session(cm, mm, from, rcpts, connect)
	local c = {}
	local m = { "macro", "C" }
	local has_client = false
	for i, v in ipairs(cm or {}) do
		m[#m + 1] = v
		if i % 2 == 1 and v == "{client_addr}" then has_client = true end
	end
	if not has_client then
		m[#m + 1] = "{client_addr}"
		m[#m + 1] = "203.0.113.7"
	end
	c[#c + 1] = m
	c[#c + 1] = connect or CONNECT
	c[#c + 1] = { "helo", "client.example" }
	if mm then c[#c + 1] = { "macro", "M", table.unpack(mm) } end
	c[#c + 1] = { "mail", from or "<a@remote.example>" }
	for _, r in ipairs(rcpts or {}) do c[#c + 1] = { "rcpt", r } end
	c[#c + 1] = { "quit" }
	return c
end

local cases = {
	-- What relaywarden asks for at negotiation. With macro lists on
	-- offer: those lists, and no CONNECT, HELO, DATA, headers, end of
	-- headers, body or unknown-command events (protocol 0x373 =
	-- SMFIP_NOCONNECT 0x1, NOHELO 0x2, NOBODY 0x10, NOHDRS 0x20, NOEOH
	-- 0x40, NOUNKNOWN 0x100, NODATA 0x200: data.lua says why); without:
	-- no list, and the CONNECT event too. The actions: SMFIF_SETSYMLIST
	-- 0x100 when offered, and SMFIF_QUARANTINE 0x20 (ratelimit_action =
	-- hold; an action, not an event: no round trip).
	{ name = "negotiation-with-setsymlist", cmds = { { "options" } },
		out = { "options actions=120 protocol=373",
		    "symlist 0 {daemon_port} {daemon_name} {client_addr}",
		    "symlist 1 {tls_version}", "symlist 2 j {auth_authen} {tls_version}",
		    "symlist 3 i" }, log = {} },
	{ name = "negotiation-without-setsymlist", actions = NOACT,
		cmds = { { "options" } },
		out = { "options actions=20 protocol=372" }, log = {} },
	{ name = "port-10k", cmds = session({ "{daemon_port}", K10 }, nil, nil,
		{ "<x@remote.example>" }),
		out = { "skipped", "skipped", "reply c",
		    "reply y 554 5.7.1 <x@remote.example>: Relay access denied" },
		log = {
		    "warning: listener port " .. string.rep("a", 507) .. "\\... "
		    .. "(daemon_name=-) is in neither smtp_ports nor submission_ports: "
		    .. "applying unknown_listener = smtp; add it to one of them in "
		    .. "the relaywarden configuration",
		    L({ port = string.rep("a", 507) .. "\\...", rcpt = "<x@remote.example>",
		    decision = "reject", reason = "relay_denied", code = "554",
		    dsn = "5.7.1" }) } },
	{ name = "name-10k", cmds = session({ "{daemon_port}", "25",
		"{daemon_name}", K10 }, nil, nil, { "<x@remote.example>" }),
		out = { "skipped", "skipped", "reply c",
		    "reply y 554 5.7.1 <x@remote.example>: Relay access denied" },
		log = { L({ port = "25", rcpt = "<x@remote.example>",
		    decision = "reject", reason = "relay_denied", code = "554",
		    dsn = "5.7.1" }) } },
	{ name = "auth-10k", cmds = session({ "{daemon_port}", "587" },
		{ "{auth_authen}", K10, "{tls_version}", "TLSv1.3" }, nil,
		{ "<x@remote.example>" }),
		out = { "skipped", "skipped", "reply c", "reply c" },
		log = { L({ listener = "submission", port = "587",
		    auth = string.rep("a", 507) .. "\\...", tls = "TLSv1.3",
		    rcpt = "<x@remote.example>", decision = "accept",
		    reason = "authenticated" }) } },
	{ name = "tls-10k", cmds = session({ "{daemon_port}", "587" },
		{ "{tls_version}", K10 }, nil, nil),
		out = { "skipped", "skipped",
		    "reply y 530 5.7.0 Authentication required" },
		log = { L({ listener = "submission", port = "587",
		    tls = string.rep("a", 507) .. "\\...", rcpt = "-",
		    decision = "reject", reason = "auth_required", code = "530",
		    dsn = "5.7.0" }) } },
	{ name = "queue-id-10k", cmds = {
		{ "macro", "C", "{daemon_port}", "25", "{client_addr}", "203.0.113.7" },
		CONNECT, { "helo", "client.example" }, { "mail", "<a@remote.example>" },
		{ "macro", "R", "i", K10 }, { "rcpt", "<x@remote.example>" },
		{ "quit" } },
		out = { "skipped", "skipped", "reply c",
		    "reply y 554 5.7.1 <x@remote.example>: Relay access denied" },
		log = { string.rep("a", 507) .. "\\...: listener=smtp port=25 "
		    .. "client=203.0.113.7 auth=- tls=- from=<a@remote.example> "
		    .. "rcpt=<x@remote.example> decision=reject reason=relay_denied "
		    .. "code=554 dsn=5.7.1 policy=" .. rw.policy() } },
	{ name = "rcpt-10k", cmds = session({ "{daemon_port}", "25" }, nil, nil,
		{ "<" .. K10 .. "@bluemind.loc>", "<u@bluemind.loc>" }),
		out = { "skipped", "skipped", "reply c",
		    "reply y 501 5.1.3 Bad recipient address syntax", "reply c" },
		log = {
		    L({ port = "25", rcpt = "<" .. string.rep("a", 506) .. "\\...",
		    decision = "reject", reason = "bad_address", code = "501",
		    dsn = "5.1.3" }),
		    L({ port = "25", rcpt = "<u@bluemind.loc>", decision = "accept",
		    reason = "local_domain" }) } },
	{ name = "from-10k", cmds = session({ "{daemon_port}", "25" }, nil,
		"<" .. K10 .. "@remote.example>", { "<u@bluemind.loc>" }),
		out = { "skipped", "skipped", "reply c", "reply c" },
		log = { L({ port = "25", from = "<" .. string.rep("a", 506) .. "\\...",
		    rcpt = "<u@bluemind.loc>", decision = "accept",
		    reason = "local_domain" }) } },
	-- 1000 ESMTP parameters in one RCPT packet: the first argument is
	-- the address, the rest are not looked at.
	{ name = "rcpt-1000-arguments", cmds = {
		{ "macro", "C", "{daemon_port}", "25", "{client_addr}", "203.0.113.7" },
		CONNECT, { "helo", "client.example" }, { "mail", "<a@remote.example>" },
		{ "rcpt", "<x@remote.example>", table.unpack(MANY) }, { "quit" } },
		out = { "skipped", "skipped", "reply c",
		    "reply y 554 5.7.1 <x@remote.example>: Relay access denied" },
		log = { L({ port = "25", rcpt = "<x@remote.example>",
		    decision = "reject", reason = "relay_denied", code = "554",
		    dsn = "5.7.1" }) } },
	-- A {client_addr} of 10 kB that starts as an address in my_networks:
	-- not an address; the first such value of the daemon's life is
	-- warned about (escaped, cut).
	{ name = "client-addr-10k", cmds = session({ "{daemon_port}", "25",
		"{client_addr}", CA10K }, nil, nil, { "<x@remote.example>" }),
		out = { "skipped", "skipped", "reply c",
		    "reply y 554 5.7.1 <x@remote.example>: Relay access denied" },
		log = {
		    "warning: {client_addr} is not an address (192.0.2.10\\x20"
		    .. string.rep("a", 493) .. "\\...): this client cannot relay "
		    .. "by my_networks",
		    L({ port = "25", client = "-", rcpt = "<x@remote.example>",
		    decision = "reject", reason = "relay_denied", code = "554",
		    dsn = "5.7.1" }) } },
	-- Events relaywarden declined, sent anyway: a HELO with a hostile
	-- name is answered (libmilter) and never logged.
	{ name = "helo-despite-nohelo", cmds = {
		{ "macro", "C", "{daemon_port}", "25", "{client_addr}", "203.0.113.7" },
		CONNECT, { "raw", "H", "a\r\nrelaywarden[1]: fake decision=accept\0" },
		{ "mail", "<a@remote.example>" }, { "rcpt", "<x@remote.example>" },
		{ "quit" } },
		out = { "skipped", "reply c", "reply c",
		    "reply y 554 5.7.1 <x@remote.example>: Relay access denied" },
		log = { L({ port = "25", rcpt = "<x@remote.example>",
		    decision = "reject", reason = "relay_denied", code = "554",
		    dsn = "5.7.1" }) } },
	-- To an MTA that offers no macro lists, relaywarden asks for the
	-- CONNECT event. Connect information that is not an address:
	-- libmilter itself drops the session (Postfix then applies
	-- milter_default_action). Postfix sends "unknown" as an IPv4 address
	-- for a client with none (XCLIENT ADDR=[UNAVAILABLE]).
	{ name = "connect-ipv4-unknown", actions = NOACT, cmds = {
		{ "macro", "C", "{daemon_port}", "25" },
		{ "connect", "client.example", "4", "4000", "unknown" },
		{ "mail", "<a@remote.example>" } },
		out = { "closed", "closed" },
		log = { "relaywarden: connect[0]: inet_aton failed" } },
	{ name = "connect-ipv6-not-an-address", actions = NOACT, cmds = {
		{ "macro", "C", "{daemon_port}", "25" },
		{ "connect", "client.example", "6", "4000", "zz::zz::1" },
		{ "mail", "<a@remote.example>" } },
		out = { "closed", "closed" },
		log = { "relaywarden: connect[0]: mi_inet_pton failed" } },
	{ name = "connect-family-unknown-letter", actions = NOACT, cmds = {
		{ "macro", "C", "{daemon_port}", "25" },
		{ "connect", "client.example", "Z", "4000", "192.0.2.10" },
		{ "mail", "<a@remote.example>" } },
		out = { "closed", "closed" },
		log = { "relaywarden: connect[0]: unknown family 90" } },
	-- A local (unix) client: no address, in no my_networks (no warning:
	-- client-addr-10k had it).
	{ name = "connect-family-unix", actions = NOACT, cmds = {
		{ "macro", "C", "{daemon_port}", "25" },
		{ "connect", "client.example", "L", "0", "/run/x.sock" },
		{ "helo", "client.example" }, { "mail", "<a@remote.example>" },
		{ "rcpt", "<x@remote.example>" }, { "rcpt", "<u@bluemind.loc>" },
		{ "quit" } },
		out = { "reply c", "skipped", "reply c",
		    "reply y 554 5.7.1 <x@remote.example>: Relay access denied",
		    "reply c" },
		log = { L({ port = "25", client = "-", rcpt = "<x@remote.example>",
		    decision = "reject", reason = "relay_denied", code = "554",
		    dsn = "5.7.1" }),
		    L({ port = "25", client = "-", rcpt = "<u@bluemind.loc>",
		    decision = "accept", reason = "local_domain" }) } },
	-- An MTA asked for the CONNECT event that skips it, with no
	-- {client_addr}: judged at MAIL FROM as a client with no address.
	{ name = "connect-path-mail-without-connect", actions = NOACT, cmds = {
		{ "macro", "C", "{daemon_port}", "25" },
		{ "mail", "<a@remote.example>" }, { "rcpt", "<x@remote.example>" },
		{ "rcpt", "<u@bluemind.loc>" }, { "quit" } },
		out = { "reply c",
		    "reply y 554 5.7.1 <x@remote.example>: Relay access denied",
		    "reply c" },
		log = { L({ port = "25", client = "-", rcpt = "<x@remote.example>",
		    decision = "reject", reason = "relay_denied", code = "554",
		    dsn = "5.7.1" }),
		    L({ port = "25", client = "-", rcpt = "<u@bluemind.loc>",
		    decision = "accept", reason = "local_domain" }) } },
	-- Packets libmilter refuses: it closes the session, logs nothing,
	-- and goes on serving others (lib/probe.lua checks after this script).
	{ name = "macro-packet-70k", cmds = {
		{ "macro", "C", "{daemon_port}", "25", "{client_addr}", "203.0.113.7" },
		CONNECT, { "macro", "M", "{auth_authen}", string.rep("a", 70000) },
		{ "helo", "client.example" }, { "mail", "<a@remote.example>" } },
		out = { "skipped", "skipped", "closed" }, log = {} },
	{ name = "rcpt-packet-70k", cmds = session({ "{daemon_port}", "25" }, nil,
		nil, { string.rep("a", 70000) }),
		out = { "skipped", "skipped", "reply c", "closed" }, log = {} },
	{ name = "mail-packet-empty", cmds = {
		{ "macro", "C", "{daemon_port}", "25", "{client_addr}", "203.0.113.7" },
		CONNECT, { "helo", "client.example" }, { "raw", "M", "" },
		{ "rcpt", "<x@remote.example>" } },
		out = { "skipped", "skipped", "closed", "closed" }, log = {} },
	{ name = "rcpt-packet-empty", cmds = {
		{ "macro", "C", "{daemon_port}", "25", "{client_addr}", "203.0.113.7" },
		CONNECT, { "helo", "client.example" }, { "mail", "<a@remote.example>" },
		{ "raw", "R", "" } },
		out = { "skipped", "skipped", "reply c", "closed" }, log = {} },
	{ name = "unknown-command", cmds = {
		{ "macro", "C", "{daemon_port}", "25", "{client_addr}", "203.0.113.7" },
		CONNECT, { "raw", "Z", "junk" }, { "mail", "<a@remote.example>" } },
		out = { "skipped", "closed", "closed" }, log = {} },
	-- A RCPT outside a transaction (after the MTA aborted it; libmilter
	-- passes it on): no transaction to judge it in, so 451 (fail closed).
	{ name = "rcpt-after-abort", cmds = {
		{ "macro", "C", "{daemon_port}", "25", "{client_addr}", "203.0.113.7" },
		CONNECT, { "mail", "<a@remote.example>" }, { "abort" },
		{ "rcpt", "<u@bluemind.loc>" }, { "quit" } },
		out = { "skipped", "reply c",
		    "reply y 451 4.3.0 Temporary failure in relay policy, try again later" },
		log = { "RCPT TO: no transaction (no MAIL FROM before it, or the MTA aborted it): answering 451" } },
	-- '%' in an echoed address travels as "%%" (the MTA reads the text as
	-- a format; the Postfix suite checks the client sees one '%').
	{ name = "percent-doubled-on-the-wire", cmds = session(
		{ "{daemon_port}", "25" }, nil, nil, { "<x%y@remote.example>" }),
		out = { "skipped", "skipped", "reply c",
		    "reply y 554 5.7.1 <x%%y@remote.example>: Relay access denied" },
		log = { L({ port = "25", rcpt = "<x%y@remote.example>",
		    decision = "reject", reason = "routing_trick", code = "554",
		    dsn = "5.7.1" }) } },
}

for _, c in ipairs(cases) do
	local off = rw.mark()
	local out = rw.raw(c.cmds, c.actions)
	rw.check(c.name .. "/replies", table.concat(out, " | "),
	    table.concat(c.out, " | "))
	rw.check_log(c.name .. "/log", off, c.log)
end
rw.done()
