-- raw.lua - what miltertest cannot send, sent with lib/milter-raw: 10 kB
-- values, oversized and malformed packets, connect information that is
-- not an address. Each gets the exact reply and log line, or, where libmilter
-- itself gives up on the session, the connection closed (the MTA then
-- applies milter_default_action = tempfail) and the daemon still serving.
local rw = dofile(lib .. "/rw.lua")
local K10 = string.rep("a", 10240)
local MANY = {}
for i = 1, 1000 do MANY[i] = "NOTIFY=NEVER" end

local function L(t)
	local f = { listener = "smtp", client = "203.0.113.7",
	    from = "<a@remote.example>" }
	for k, v in pairs(t) do f[k] = v end
	return rw.line(f)
end

-- A session: connect macros, connect from 203.0.113.7 port 4000, HELO,
-- mail macros, MAIL, then the recipients.
local function session(cm, mm, from, rcpts, connect)
	local c = {}
	if cm then c[#c + 1] = { "macro", "C", table.unpack(cm) } end
	c[#c + 1] = connect or { "connect", "client.example", "4", "4000", "203.0.113.7" }
	c[#c + 1] = { "helo", "client.example" }
	if mm then c[#c + 1] = { "macro", "M", table.unpack(mm) } end
	c[#c + 1] = { "mail", from or "<a@remote.example>" }
	for _, r in ipairs(rcpts or {}) do c[#c + 1] = { "rcpt", r } end
	c[#c + 1] = { "quit" }
	return c
end

local cases = {
	{ name = "port-10k", cmds = session({ "{daemon_port}", K10 }, nil, nil,
		{ "<x@remote.example>" }),
		out = { "reply c", "reply c", "reply c",
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
		out = { "reply c", "reply c", "reply c",
		    "reply y 554 5.7.1 <x@remote.example>: Relay access denied" },
		log = { L({ port = "25", rcpt = "<x@remote.example>",
		    decision = "reject", reason = "relay_denied", code = "554",
		    dsn = "5.7.1" }) } },
	{ name = "auth-10k", cmds = session({ "{daemon_port}", "587" },
		{ "{auth_authen}", K10, "{tls_version}", "TLSv1.3" }, nil,
		{ "<x@remote.example>" }),
		out = { "reply c", "reply c", "reply c", "reply c" },
		log = { L({ listener = "submission", port = "587",
		    auth = string.rep("a", 507) .. "\\...", tls = "TLSv1.3",
		    rcpt = "<x@remote.example>", decision = "accept",
		    reason = "authenticated" }) } },
	{ name = "tls-10k", cmds = session({ "{daemon_port}", "587" },
		{ "{tls_version}", K10 }, nil, nil),
		out = { "reply c", "reply c",
		    "reply y 530 5.7.0 Authentication required" },
		log = { L({ listener = "submission", port = "587",
		    tls = string.rep("a", 507) .. "\\...", rcpt = "-",
		    decision = "reject", reason = "auth_required", code = "530",
		    dsn = "5.7.0" }) } },
	{ name = "queue-id-10k", cmds = {
		{ "macro", "C", "{daemon_port}", "25" },
		{ "connect", "client.example", "4", "4000", "203.0.113.7" },
		{ "helo", "client.example" }, { "mail", "<a@remote.example>" },
		{ "macro", "R", "i", K10 }, { "rcpt", "<x@remote.example>" },
		{ "quit" } },
		out = { "reply c", "reply c", "reply c",
		    "reply y 554 5.7.1 <x@remote.example>: Relay access denied" },
		log = { string.rep("a", 507) .. "\\...: listener=smtp port=25 "
		    .. "client=203.0.113.7 auth=- tls=- from=<a@remote.example> "
		    .. "rcpt=<x@remote.example> decision=reject reason=relay_denied "
		    .. "code=554 dsn=5.7.1 policy=" .. rw.policy() } },
	{ name = "rcpt-10k", cmds = session({ "{daemon_port}", "25" }, nil, nil,
		{ "<" .. K10 .. "@bluemind.loc>", "<u@bluemind.loc>" }),
		out = { "reply c", "reply c", "reply c",
		    "reply y 501 5.1.3 Bad recipient address syntax", "reply c" },
		log = {
		    L({ port = "25", rcpt = "<" .. string.rep("a", 506) .. "\\...",
		    decision = "reject", reason = "bad_address", code = "501",
		    dsn = "5.1.3" }),
		    L({ port = "25", rcpt = "<u@bluemind.loc>", decision = "accept",
		    reason = "local_domain" }) } },
	{ name = "from-10k", cmds = session({ "{daemon_port}", "25" }, nil,
		"<" .. K10 .. "@remote.example>", { "<u@bluemind.loc>" }),
		out = { "reply c", "reply c", "reply c", "reply c" },
		log = { L({ port = "25", from = "<" .. string.rep("a", 506) .. "\\...",
		    rcpt = "<u@bluemind.loc>", decision = "accept",
		    reason = "local_domain" }) } },
	-- 1000 ESMTP parameters in one RCPT packet: the first argument is
	-- the address, the rest are not looked at.
	{ name = "rcpt-1000-arguments", cmds = {
		{ "macro", "C", "{daemon_port}", "25" },
		{ "connect", "client.example", "4", "4000", "203.0.113.7" },
		{ "helo", "client.example" }, { "mail", "<a@remote.example>" },
		{ "rcpt", "<x@remote.example>", table.unpack(MANY) }, { "quit" } },
		out = { "reply c", "reply c", "reply c",
		    "reply y 554 5.7.1 <x@remote.example>: Relay access denied" },
		log = { L({ port = "25", rcpt = "<x@remote.example>",
		    decision = "reject", reason = "relay_denied", code = "554",
		    dsn = "5.7.1" }) } },
	-- Connect information that is not an address. libmilter itself
	-- drops the session (Postfix then applies milter_default_action);
	-- an unknown or local family is a client with no address: it is in
	-- no my_networks.
	{ name = "connect-ipv4-not-an-address", cmds = {
		{ "macro", "C", "{daemon_port}", "25" },
		{ "connect", "client.example", "4", "4000", "not-an-address" },
		{ "helo", "client.example" } },
		out = { "closed", "closed" },
		log = { "relaywarden: connect[0]: inet_aton failed" } },
	{ name = "connect-ipv6-not-an-address", cmds = {
		{ "macro", "C", "{daemon_port}", "25" },
		{ "connect", "client.example", "6", "4000", "zz::zz::1" },
		{ "helo", "client.example" } },
		out = { "closed", "closed" },
		log = { "relaywarden: connect[0]: mi_inet_pton failed" } },
	{ name = "connect-family-unknown-letter", cmds = {
		{ "macro", "C", "{daemon_port}", "25" },
		{ "connect", "client.example", "Z", "4000", "192.0.2.10" },
		{ "helo", "client.example" } },
		out = { "closed", "closed" },
		log = { "relaywarden: connect[0]: unknown family 90" } },
	{ name = "connect-family-unix", cmds = session({ "{daemon_port}", "25" },
		nil, nil, { "<x@remote.example>", "<u@bluemind.loc>" },
		{ "connect", "client.example", "L", "0", "/run/x.sock" }),
		out = { "reply c", "reply c", "reply c",
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
		{ "macro", "C", "{daemon_port}", "25" },
		{ "connect", "client.example", "4", "4000", "203.0.113.7" },
		{ "macro", "M", "{auth_authen}", string.rep("a", 70000) },
		{ "helo", "client.example" }, { "mail", "<a@remote.example>" } },
		out = { "reply c", "closed", "closed" }, log = {} },
	{ name = "rcpt-packet-70k", cmds = session({ "{daemon_port}", "25" }, nil,
		nil, { string.rep("a", 70000) }),
		out = { "reply c", "reply c", "reply c", "closed" }, log = {} },
	{ name = "mail-packet-empty", cmds = {
		{ "macro", "C", "{daemon_port}", "25" },
		{ "connect", "client.example", "4", "4000", "203.0.113.7" },
		{ "helo", "client.example" }, { "raw", "M", "" },
		{ "rcpt", "<x@remote.example>" } },
		out = { "reply c", "reply c", "closed", "closed" }, log = {} },
	{ name = "rcpt-packet-empty", cmds = {
		{ "macro", "C", "{daemon_port}", "25" },
		{ "connect", "client.example", "4", "4000", "203.0.113.7" },
		{ "helo", "client.example" }, { "mail", "<a@remote.example>" },
		{ "raw", "R", "" } },
		out = { "reply c", "reply c", "reply c", "closed" }, log = {} },
	{ name = "unknown-command", cmds = {
		{ "connect", "client.example", "4", "4000", "203.0.113.7" },
		{ "raw", "Z", "junk" }, { "mail", "<a@remote.example>" } },
		out = { "reply c", "closed", "closed" }, log = {} },
	-- MAIL with no connect before it: no state, so 451 (fail closed).
	{ name = "mail-without-connect", cmds = {
		{ "macro", "C", "{daemon_port}", "25" },
		{ "helo", "client.example" }, { "mail", "<a@remote.example>" },
		{ "quit" } },
		out = { "reply c",
		    "reply y 451 4.3.0 Temporary failure in relay policy, try again later" },
		log = { "MAIL FROM: no connection state (out of memory at connect?): "
		    .. "answering 451" } },
	-- '%' in an echoed address travels as "%%" (the MTA reads the text as
	-- a format; the Postfix suite checks the client sees one '%').
	{ name = "percent-doubled-on-the-wire", cmds = session(
		{ "{daemon_port}", "25" }, nil, nil, { "<x%y@remote.example>" }),
		out = { "reply c", "reply c", "reply c",
		    "reply y 554 5.7.1 <x%%y@remote.example>: Relay access denied" },
		log = { L({ port = "25", rcpt = "<x%y@remote.example>",
		    decision = "reject", reason = "routing_trick", code = "554",
		    dsn = "5.7.1" }) } },
}

for _, c in ipairs(cases) do
	local off = rw.mark()
	local out = rw.raw(c.cmds)
	rw.check(c.name .. "/replies", table.concat(out, " | "),
	    table.concat(c.out, " | "))
	rw.check_log(c.name .. "/log", off, c.log)
end
rw.done()
