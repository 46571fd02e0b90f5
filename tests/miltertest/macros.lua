-- macros.lua - macros missing, empty, odd or long, as Postfix never sends
-- them (values up to miltertest's 1 kB; 10 kB ones: raw.lua). Every
-- session also carries {client_addr} 203.0.113.7 with the connect macros,
-- as Postfix sends it (client addresses: client.lua). Each gets the
-- decision the README promises, and the log line shows what came,
-- escaped, and marked "\..." when cut.
local rw = dofile(lib .. "/rw.lua")
local run_cases = dofile(lib .. "/cases.lua")

-- A decision line of this script's usual session (client 203.0.113.7,
-- MAIL FROM <a@remote.example>), with fields t on top.
local L = rw.liner({ listener = "smtp", client = "203.0.113.7",
    from = "<a@remote.example>" })
local function relay_denied(t)
	t.rcpt, t.decision, t.reason = "<x@remote.example>", "reject", "relay_denied"
	t.code, t.dsn = "554", "5.7.1"
	return L(t)
end
local function authenticated(t)
	t.rcpt, t.decision, t.reason = "<x@remote.example>", "accept", "authenticated"
	return L(t)
end
local function mail_refused(t, reason)
	t.listener, t.rcpt, t.decision, t.reason = "submission", "-", "reject", reason
	t.code, t.dsn = "530", "5.7.0"
	return L(t)
end

local A1000 = string.rep("a", 1000)
local TLS = { "{tls_version}", "TLSv1.3" }

run_cases(rw, {
	-- No listener macro at all: unknown_listener (smtp) applies, and the
	-- first time a warning names the setting to add.
	{ name = "port-and-name-absent", rcpts = {
		{ "<x@remote.example>", SMFIR_REPLYCODE } }, log = {
		"warning: the MTA sent no {daemon_port} (daemon_name=-): "
		.. "applying unknown_listener = smtp. Postfix before 3.2 or an "
		.. "MTA that ignores smfi_setsymlist needs, in main.cf: "
		.. "milter_connect_macros = j {daemon_name} {daemon_addr} "
		.. "{daemon_port} {client_addr} v _ (Sendmail: "
		.. "confMILTER_MACROS_CONNECT); see conf/postfix-main.cf.snippet",
		relay_denied({}) } },
	{ name = "port-empty", connect = { "{daemon_port}", "" }, rcpts = {
		{ "<x@remote.example>", SMFIR_REPLYCODE } },
		log = { relay_denied({}) } },
	{ name = "port-25", connect = { "{daemon_port}", "25" }, rcpts = {
		{ "<x@remote.example>", SMFIR_REPLYCODE },
		{ "<u@bluemind.loc>", SMFIR_CONTINUE } }, log = {
		relay_denied({ port = "25" }),
		L({ port = "25", rcpt = "<u@bluemind.loc>", decision = "accept",
		    reason = "local_domain" }) } },
	-- Ports that would be 587 if read loosely: never a listener.
	{ name = "port-587-wrapped-16-bit", connect = { "{daemon_port}", "66123" },
		rcpts = { { "<x@remote.example>", SMFIR_REPLYCODE } },
		log = { relay_denied({ port = "66123" }) } },
	{ name = "port-587-wrapped-32-bit",
		connect = { "{daemon_port}", "4294967883" },
		rcpts = { { "<x@remote.example>", SMFIR_REPLYCODE } },
		log = { relay_denied({ port = "4294967883" }) } },
	{ name = "port-587-trailing-space", connect = { "{daemon_port}", "587 " },
		rcpts = { { "<x@remote.example>", SMFIR_REPLYCODE } },
		log = { relay_denied({ port = "587\\x20" }) } },
	{ name = "port-587-signed", connect = { "{daemon_port}", "+587" },
		rcpts = { { "<x@remote.example>", SMFIR_REPLYCODE } },
		log = { relay_denied({ port = "+587" }) } },
	{ name = "port-587-crlf", connect = { "{daemon_port}", "587\r\n" },
		rcpts = { { "<x@remote.example>", SMFIR_REPLYCODE } },
		log = { relay_denied({ port = "587\\x0d\\x0a" }) } },
	-- (960 bytes: with {client_addr}, the packet stays within
	-- miltertest's 1 kB; raw.lua sends 10 kB.)
	{ name = "port-960-digits", connect = { "{daemon_port}",
		string.rep("0", 957) .. "587" },
		rcpts = { { "<x@remote.example>", SMFIR_REPLYCODE } },
		log = { relay_denied({ port = string.rep("0", 507) .. "\\..." }) } },
	-- Submission by port: TLS, then authentication, are required; an
	-- empty {auth_authen} or {tls_version} is no login and no TLS.
	{ name = "submission-no-tls", connect = { "{daemon_port}", "587" },
		mail_reply = SMFIR_REPLYCODE,
		log = { mail_refused({ port = "587" }, "tls_required") } },
	{ name = "submission-tls-empty", connect = { "{daemon_port}", "587" },
		mail = { "{tls_version}", "", "{auth_authen}", "user1" },
		mail_reply = SMFIR_REPLYCODE,
		log = { mail_refused({ port = "587", auth = "user1" }, "tls_required") } },
	{ name = "submission-auth-absent", connect = { "{daemon_port}", "587" },
		mail = TLS, mail_reply = SMFIR_REPLYCODE,
		log = { mail_refused({ port = "587", tls = "TLSv1.3" }, "auth_required") } },
	{ name = "submission-auth-empty", connect = { "{daemon_port}", "587" },
		mail = { "{tls_version}", "TLSv1.3", "{auth_authen}", "" },
		mail_reply = SMFIR_REPLYCODE,
		log = { mail_refused({ port = "587", tls = "TLSv1.3" }, "auth_required") } },
	{ name = "submission-auth-ok", connect = { "{daemon_port}", "587" },
		mail = { "{tls_version}", "TLSv1.3", "{auth_authen}", "user1@bluemind.loc" },
		rcpts = { { "<x@remote.example>", SMFIR_CONTINUE } },
		log = { authenticated({ listener = "submission", port = "587",
		    tls = "TLSv1.3", auth = "user1@bluemind.loc" }) } },
	-- TLS as the HELO macros say it (no HELO event is asked for: they are
	-- read at MAIL FROM), for a client that sent STARTTLS and EHLO, and
	-- as the MAIL macros say it, for one that sent no second EHLO.
	{ name = "submission-tls-at-helo", connect = { "{daemon_port}", "587" },
		helo = TLS, mail = { "{auth_authen}", "user1" },
		rcpts = { { "<x@remote.example>", SMFIR_CONTINUE } },
		log = { authenticated({ listener = "submission", port = "587",
		    tls = "TLSv1.3", auth = "user1" }) } },
	{ name = "submission-tls-at-mail-only",
		connect = { "{daemon_port}", "587" },
		mail = { "{tls_version}", "TLSv1.2", "{auth_authen}", "user1" },
		rcpts = { { "<x@remote.example>", SMFIR_CONTINUE } },
		log = { authenticated({ listener = "submission", port = "587",
		    tls = "TLSv1.2", auth = "user1" }) } },
	{ name = "submission-tls-at-helo-no-auth",
		connect = { "{daemon_port}", "587" }, helo = TLS,
		mail_reply = SMFIR_REPLYCODE,
		log = { mail_refused({ port = "587", tls = "TLSv1.3" }, "auth_required") } },
	-- Any non-empty {tls_version} is TLS (the MTA did the handshake).
	{ name = "tls-version-odd", connect = { "{daemon_port}", "465" },
		mail = { "{tls_version}", "SSLv2 \"odd\"", "{auth_authen}", "u" },
		rcpts = { { "<x@remote.example>", SMFIR_CONTINUE } },
		log = { authenticated({ listener = "submission", port = "465",
		    tls = "SSLv2\\x20\\\"odd\\\"", auth = "u" }) } },
	{ name = "tls-version-900", connect = { "{daemon_port}", "465" },
		mail = { "{tls_version}", string.rep("a", 900), "{auth_authen}", "u" },
		rcpts = { { "<x@remote.example>", SMFIR_CONTINUE } },
		log = { authenticated({ listener = "submission", port = "465",
		    tls = string.rep("a", 507) .. "\\...", auth = "u" }) } },
	-- A 1 kB login is a login; the log shows it cut, and says so.
	{ name = "auth-1000", connect = { "{daemon_port}", "25" },
		mail = { "{auth_authen}", A1000 },
		rcpts = { { "<x@remote.example>", SMFIR_CONTINUE } },
		log = { authenticated({ port = "25",
		    auth = string.rep("a", 507) .. "\\..." }) } },
	-- Listener by {daemon_name}: exact match only.
	{ name = "name-originating", connect = { "{daemon_name}", "ORIGINATING" },
		mail_reply = SMFIR_REPLYCODE,
		log = { mail_refused({}, "tls_required") } },
	{ name = "name-originating-crlf",
		connect = { "{daemon_name}", "ORIGINATING\r\n" },
		rcpts = { { "<x@remote.example>", SMFIR_REPLYCODE } },
		log = { relay_denied({}) } },
	{ name = "name-originating-case",
		connect = { "{daemon_name}", "originating" },
		rcpts = { { "<x@remote.example>", SMFIR_REPLYCODE } },
		log = { relay_denied({}) } },
	{ name = "name-960", connect = { "{daemon_name}",
		"ORIGINATING" .. string.rep("x", 949) },
		rcpts = { { "<x@remote.example>", SMFIR_REPLYCODE } },
		log = { relay_denied({}) } },
	-- The port is tried first; a garbled port falls back to the name.
	{ name = "port-garbled-name-originating",
		connect = { "{daemon_port}", "25x", "{daemon_name}", "ORIGINATING" },
		mail_reply = SMFIR_REPLYCODE,
		log = { mail_refused({ port = "25x" }, "tls_required") } },
})
rw.done()
