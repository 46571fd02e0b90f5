-- ask.lua - one SMTP session on port 25 from 203.0.113.7 (not in
-- my_networks, no login, no TLS), as Postfix would show it to
-- relaywarden, with one RCPT per recipient. Prints "RCPT REPLY" per
-- recipient, REPLY being the milter's answer: continue, reject (a reply
-- code was set), tempfail, or the raw reply character.
--
-- -D SOCK=unix:/path   the milter socket
-- -D RCPTS=a@x,b@y     the recipients, in order

local names = {
	[SMFIR_CONTINUE] = "continue", [SMFIR_REPLYCODE] = "reject",
	[SMFIR_REJECT] = "reject", [SMFIR_TEMPFAIL] = "tempfail",
}

local function check(err, what)
	if err ~= nil then error(what .. ": " .. err) end
end

local conn = mt.connect(SOCK, 40, 0.25)
if conn == nil then error("cannot connect to " .. SOCK) end
check(mt.negotiate(conn, nil, nil, nil), "negotiate")
check(mt.macro(conn, SMFIC_CONNECT, "j", "mx.bluemind.loc",
    "{daemon_name}", "mx.bluemind.loc", "{daemon_port}", "25",
    "{client_addr}", "203.0.113.7"), "macro")
-- As Postfix does: the connect and HELO events only if relaywarden did
-- not decline them (it does, when macro lists are on offer: the client
-- then comes as {client_addr} above).
if not mt.test_option(conn, SMFIP_NOCONNECT) then
	check(mt.conninfo(conn, "client.example", "203.0.113.7"), "conninfo")
	if mt.getreply(conn) ~= SMFIR_CONTINUE then error("connect refused") end
end
if not mt.test_option(conn, SMFIP_NOHELO) then
	check(mt.helo(conn, "client.example"), "helo")
end
check(mt.mailfrom(conn, "<sender@remote.example>"), "mailfrom")
for rcpt in string.gmatch(RCPTS, "[^,]+") do
	check(mt.rcptto(conn, "<" .. rcpt .. ">"), "rcptto")
	local r = mt.getreply(conn)
	print(rcpt .. " " .. (names[r] or string.char(math.floor(r))))
end
mt.disconnect(conn)
