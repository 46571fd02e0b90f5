-- data.lua - DATA. relaywarden answers it with SMFIS_ACCEPT: every
-- recipient has been judged by then, and a milter that accepted the
-- message gets no further event for it, so Postfix's cleanup server gets
-- no milter for the message (no socket handed over, no end-of-message
-- round trip). The accept ends the transaction for relaywarden alone:
-- the next transaction of the same session, on the same milter
-- connection, is judged afresh, and its remote recipients refused as
-- before, with or without an abort from the MTA in between.
local rw = dofile(lib .. "/rw.lua")

local P25 = { "{daemon_port}", "25" }
local P587 = { "{daemon_port}", "587" }
local R, C, A = SMFIR_REPLYCODE, SMFIR_CONTINUE, SMFIR_ACCEPT

local L = rw.liner({ listener = "smtp", port = "25", client = "203.0.113.7",
    from = "<a@remote.example>" })

-- DATA and its reply. (Postfix sends DATA-stage macros first; miltertest
-- cannot send a macro packet for that stage, and relaywarden reads none.)
local function data(conn)
	assert(mt.data(conn) == nil, "data failed")
	return mt.getreply(conn)
end

local function step(name, got, want) rw.check_reply(name, got, want) end

-- One message accepted at DATA, then a second transaction in the same
-- session: a remote recipient refused, a local one accepted, and DATA
-- accepted again. Postfix sends an abort after each message.
do
	local name, off = "two-messages", rw.mark()
	local ok, err = pcall(function()
		local conn = rw.session(nil, P25)
		step(name .. "/mail-1", rw.mail(conn, "<a@remote.example>"), C)
		step(name .. "/rcpt-1", rw.rcpt(conn, "<u@bluemind.loc>"), C)
		step(name .. "/data-1", data(conn), A)
		assert(mt.abort(conn) == nil, "abort failed")
		step(name .. "/mail-2", rw.mail(conn, "<b@remote.example>"), C)
		step(name .. "/rcpt-2a", rw.rcpt(conn, "<x@remote.example>"), R)
		step(name .. "/rcpt-2b", rw.rcpt(conn, "<v@bluemind.loc>"), C)
		step(name .. "/data-2", data(conn), A)
		mt.disconnect(conn)
	end)
	if not ok then rw.fail(name .. "/session", tostring(err)) end
	rw.check_log(name .. "/log", off, {
	    L({ rcpt = "<u@bluemind.loc>", decision = "accept",
	    reason = "local_domain" }),
	    L({ from = "<b@remote.example>", rcpt = "<x@remote.example>",
	    decision = "reject", reason = "relay_denied", code = "554",
	    dsn = "5.7.1" }),
	    L({ from = "<b@remote.example>", rcpt = "<v@bluemind.loc>",
	    decision = "accept", reason = "local_domain" }) })
end

-- The same without the abort between the messages (an MTA need not send
-- one after an accepted message): the second MAIL FROM still opens a new
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
		step(name .. "/data-1", data(conn), A)
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

rw.done()
