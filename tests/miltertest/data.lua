-- data.lua - the end of a transaction. relaywarden does not ask for
-- DATA (SMFIP_NODATA) and answers at end of message: until the MTA has
-- the message, the client may add recipients (Postfix keeps the
-- transaction open when DATA is refused after the milters were shown
-- it: a later milter, an smtpd_proxy_filter), and each must be judged.
-- A DATA shown to a libmilter filter would make that impossible: its DATA
-- state leads only to headers, end of headers or abort, so libmilter
-- would drop such a RCPT unanswered. The answer at end of message ends
-- the transaction for relaywarden: the next transaction of the same
-- session, on the same milter connection, is judged afresh, with or
-- without an abort from the MTA in between.
local rw = dofile(lib .. "/rw.lua")

local P25 = { "{daemon_port}", "25" }
local P587 = { "{daemon_port}", "587" }
local R, C = SMFIR_REPLYCODE, SMFIR_CONTINUE

local L = rw.liner({ listener = "smtp", port = "25", client = "203.0.113.7",
    from = "<a@remote.example>" })
-- The line at a message's end: the same defaults.
local function M(t)
	local f = { listener = "smtp", port = "25", client = "203.0.113.7",
	    from = "<a@remote.example>" }
	for k, v in pairs(t) do f[k] = v end
	return rw.message_line(f)
end

-- End of message and its reply. (DATA, declined, is not sent: rw.session
-- checks that SMFIP_NODATA was negotiated.)
local function eom(conn)
	assert(mt.eom(conn) == nil, "eom failed")
	return mt.getreply(conn)
end

local function step(name, got, want) rw.check_reply(name, got, want) end

-- One message to its end, then a second transaction in the same
-- session: a remote recipient refused, a local one accepted, and the
-- message's end answered again. Postfix sends an abort after each
-- message.
do
	local name, off = "two-messages", rw.mark()
	local ok, err = pcall(function()
		local conn = rw.session(nil, P25)
		step(name .. "/mail-1", rw.mail(conn, "<a@remote.example>"), C)
		step(name .. "/rcpt-1", rw.rcpt(conn, "<u@bluemind.loc>"), C)
		step(name .. "/eom-1", eom(conn), C)
		assert(mt.abort(conn) == nil, "abort failed")
		step(name .. "/mail-2", rw.mail(conn, "<b@remote.example>"), C)
		step(name .. "/rcpt-2a", rw.rcpt(conn, "<x@remote.example>"), R)
		step(name .. "/rcpt-2b", rw.rcpt(conn, "<v@bluemind.loc>"), C)
		step(name .. "/eom-2", eom(conn), C)
		mt.disconnect(conn)
	end)
	if not ok then rw.fail(name .. "/session", tostring(err)) end
	rw.check_log(name .. "/log", off, {
	    L({ rcpt = "<u@bluemind.loc>", decision = "accept",
	    reason = "local_domain" }),
	    M({ accepted = 1, refused = 0 }),
	    L({ from = "<b@remote.example>", rcpt = "<x@remote.example>",
	    decision = "reject", reason = "relay_denied", code = "554",
	    dsn = "5.7.1" }),
	    L({ from = "<b@remote.example>", rcpt = "<v@bluemind.loc>",
	    decision = "accept", reason = "local_domain" }),
	    M({ from = "<b@remote.example>", accepted = 1, refused = 1 }) })
end

-- The same without the abort between the messages (an MTA need not send
-- one after a message): the second MAIL FROM still opens a new
-- transaction, judged with its own macros. Here an authenticated first
-- message, then an anonymous second one on a submission port: refused at
-- MAIL FROM.
do
	local name, off = "no-abort-between", rw.mark()
	local ok, err = pcall(function()
		local conn = rw.session(nil, P587)
		step(name .. "/mail-1", rw.mail(conn, "<a@remote.example>",
		    { "{auth_authen}", "user1@bluemind.loc", "{tls_version}",
		    "TLSv1.3" }), C)
		step(name .. "/rcpt-1", rw.rcpt(conn, "<x@remote.example>"), C)
		step(name .. "/eom-1", eom(conn), C)
		step(name .. "/mail-2", rw.mail(conn, "<a@remote.example>",
		    { "{tls_version}", "TLSv1.3" }), R)
		mt.disconnect(conn)
	end)
	if not ok then rw.fail(name .. "/session", tostring(err)) end
	rw.check_log(name .. "/log", off, {
	    L({ listener = "submission", port = "587",
	    auth = "user1@bluemind.loc", tls = "TLSv1.3",
	    rcpt = "<x@remote.example>", decision = "accept",
	    reason = "authenticated" }),
	    M({ listener = "submission", port = "587",
	    auth = "user1@bluemind.loc", tls = "TLSv1.3", accepted = 1,
	    refused = 0 }),
	    L({ listener = "submission", port = "587", tls = "TLSv1.3",
	    rcpt = "-", decision = "reject", reason = "auth_required",
	    code = "530", dsn = "5.7.0" }) })
end

-- A login does not outlive its transaction. Postfix sends the MAIL-stage
-- macro packet before every MAIL FROM with the values of the macros
-- asked for, empty when none has one (no login, no TLS), and libmilter
-- keeps the previous packet's values when a packet is empty. So the list
-- relaywarden asks for holds a macro that always has a value (j): an
-- anonymous second transaction on port 25 may not relay on the first
-- one's login. The MTA's macros: what Postfix has at MAIL FROM.
-- Played at the protocol level, not through Postfix: no SMTP client can
-- make Postfix drop a login within one milter connection (XCLIENT opens
-- a new one), so the integration suite cannot reach this; the empty
-- packet is what Postfix's milter8.c sends (it sends each stage's macro
-- packet, whatever it holds), and libmilter's st_macros() keeps the old
-- values when it cannot decode an empty one.
do
	local name = "login-not-kept"
	local mta = { "j", "mx.bluemind.loc", "{daemon_name}", "mx.bluemind.loc",
	    "{mail_addr}", "b@remote.example" }
	local out = rw.raw({
	    { "asked", "C", "{daemon_port}", "25", "{daemon_name}",
	      "mx.bluemind.loc", "{client_addr}", "203.0.113.7" },
	    { "asked", "M", "{auth_authen}", "user1@bluemind.loc",
	      table.unpack(mta) },
	    { "mail", "<a@remote.example>" },
	    { "rcpt", "<x@remote.example>" },
	    { "abort" },
	    { "asked", "M", table.unpack(mta) },
	    { "mail", "<b@remote.example>" },
	    { "rcpt", "<y@remote.example>" },
	    { "quit" } })
	rw.check(name .. "/replies", table.concat(out, "|"), table.concat({
	    "reply c", "reply c", "reply c",
	    "reply y 554 5.7.1 <y@remote.example>: Relay access denied" },
	    "|"))
end

-- Recipients after a refused DATA, as Postfix sends them when a milter
-- after relaywarden (or an smtpd_proxy_filter) refused DATA: DATA's
-- macros (Postfix sends a stage's macros even when its event is
-- skipped), no DATA event, then more RCPT TO in the same transaction,
-- each judged, and the end of message. Then a new transaction, whose
-- first RCPT has no queue id yet (Postfix sends an empty packet, and
-- libmilter cleared the old one at MAIL FROM).
do
	local name, off = "rcpt-after-data", rw.mark()
	local mta = { "j", "mx.bluemind.loc", "{mail_addr}", "a@remote.example" }
	local out = rw.raw({
	    { "asked", "C", "{daemon_port}", "25", "{daemon_name}",
	      "mx.bluemind.loc", "{client_addr}", "203.0.113.7" },
	    { "asked", "M", table.unpack(mta) },
	    { "mail", "<a@remote.example>" },
	    { "rcpt", "<x@remote.example>" },
	    { "rcpt", "<u@bluemind.loc>" },
	    { "asked", "T", "i", "4Q1D" },
	    { "data" },
	    { "asked", "R", "i", "4Q1D" },
	    { "rcpt", "<x@remote.example>" },
	    { "asked", "R", "i", "4Q1D" },
	    { "rcpt", "<y@remote.example>" },
	    { "asked", "R", "i", "4Q1D" },
	    { "rcpt", "<v@bluemind.loc>" },
	    { "asked", "T", "i", "4Q1D" },
	    { "data" },
	    { "asked", "E", "i", "4Q1D" },
	    { "eom" },
	    { "asked", "M", table.unpack(mta) },
	    { "mail", "<a@remote.example>" },
	    { "asked", "R" },
	    { "rcpt", "<z@remote.example>" },
	    { "quit" } })
	local deny = function(a)
		return "reply y 554 5.7.1 " .. a .. ": Relay access denied"
	end
	rw.check(name .. "/replies", table.concat(out, "|"), table.concat({
	    "reply c", deny("<x@remote.example>"), "reply c", "skipped",
	    deny("<x@remote.example>"), deny("<y@remote.example>"), "reply c",
	    "skipped", "reply c", "reply c", deny("<z@remote.example>") }, "|"))
	local function refused(qid, rcpt)
		return L({ qid = qid, rcpt = rcpt, decision = "reject",
		    reason = "relay_denied", code = "554", dsn = "5.7.1" })
	end
	local function accepted(qid, rcpt)
		return L({ qid = qid, rcpt = rcpt, decision = "accept",
		    reason = "local_domain" })
	end
	rw.check_log(name .. "/log", off, {
	    refused(nil, "<x@remote.example>"), accepted(nil, "<u@bluemind.loc>"),
	    refused("4Q1D", "<x@remote.example>"),
	    refused("4Q1D", "<y@remote.example>"),
	    accepted("4Q1D", "<v@bluemind.loc>"),
	    -- The message's end: its queue id, and all five recipients of
	    -- the transaction, before and after the refused DATA.
	    M({ qid = "4Q1D", accepted = 2, refused = 3 }),
	    refused(nil, "<z@remote.example>") })
end

rw.done()
