-- sendmail.lua - replays, with miltertest, the sessions a Sendmail built
-- from conf/sendmail.mc would hold with relaywarden: each stage carries
-- exactly the macros of the generated sendmail.cf (Milter.macros.*,
-- given by tests/sendmail/run as -D MACROS_CONNECT=... and so on) that
-- Sendmail has a value for in that session, with Sendmail's names and
-- values. Prints "ok NAME" or "FAIL NAME: ..." per step; run checks the
-- decision lines in relaywarden's log.
--
-- -D SOCK=unix:/path  the milter socket

local function split(list)
	local t = {}
	for w in string.gmatch(list or "", "[^,%s]+") do t[#t + 1] = w end
	return t
end

local stages = {
	{ SMFIC_CONNECT, split(MACROS_CONNECT) },
	{ SMFIC_HELO, split(MACROS_HELO) },
	{ SMFIC_MAIL, split(MACROS_ENVFROM) },
	{ SMFIC_RCPT, split(MACROS_ENVRCPT) },
}

-- Sends, in one packet as Sendmail does (libmilter keeps only the last
-- macro packet of a stage), the macros of the stage that the cf lists
-- and s defines.
local function macros(conn, stage, s)
	local args = {}
	for i = 1, #stages do
		if stages[i][1] == stage then
			for _, name in ipairs(stages[i][2]) do
				if s[name] ~= nil then
					args[#args + 1] = name
					args[#args + 1] = s[name]
				end
			end
		end
	end
	if #args > 0 then
		local err = mt.macro(conn, stage, (table.unpack or unpack)(args))
		if err ~= nil then error("mt.macro: " .. err) end
	end
end

local failed = 0
local function expect(name, conn, want)
	local got = mt.getreply(conn)
	if got == want then
		print("ok " .. name)
	else
		failed = failed + 1
		print(string.format("FAIL %s: got reply '%s', want '%s'", name,
		    string.char(math.floor(got)), string.char(math.floor(want))))
	end
end

-- One SMTP session as Sendmail sees it. s.rcpts: { {addr, reply}, ... };
-- s.mail_reply: the MAIL FROM reply (then no RCPT is sent if it refuses).
local function session(s)
	local conn = mt.connect(SOCK, 40, 0.25)
	if conn == nil then error("cannot connect to " .. SOCK) end
	local err = mt.negotiate(conn, nil, nil, nil)
	if err ~= nil then error("negotiate: " .. err) end
	local m = {
		["j"] = "mx.bluemind.loc",
		["_"] = "client.example [" .. s.ip .. "]",
		["{daemon_name}"] = s.daemon_name,
		["{daemon_port}"] = s.daemon_port,
		["{daemon_addr}"] = "127.0.0.1",
		["{if_name}"] = "mx.bluemind.loc",
		["{if_addr}"] = "127.0.0.1",
		["{client_addr}"] = s.ip,
		["{client_port}"] = "40001",
		["{client_name}"] = "client.example",
		["i"] = "5AMQ1x9N012345",
		["{mail_mailer}"] = "esmtp",
		["{mail_host}"] = "remote.example",
		["{mail_addr}"] = s.from,
		["{rcpt_mailer}"] = "esmtp",
	}
	if s.tls then
		m["{tls_version}"] = "TLSv1.3"
		m["{cipher}"] = "TLS_AES_256_GCM_SHA384"
		m["{cipher_bits}"] = "256"
	end
	if s.auth then
		m["{auth_type}"] = "PLAIN"
		m["{auth_authen}"] = s.auth
		m["{auth_ssf}"] = "0"
	end
	macros(conn, SMFIC_CONNECT, m)
	err = mt.conninfo(conn, "client.example", s.ip)
	if err ~= nil then error("conninfo: " .. err) end
	expect(s.name .. "/connect", conn, SMFIR_CONTINUE)
	macros(conn, SMFIC_HELO, m)
	err = mt.helo(conn, "client.example")
	if err ~= nil then error("helo: " .. err) end
	macros(conn, SMFIC_MAIL, m)
	err = mt.mailfrom(conn, "<" .. s.from .. ">")
	if err ~= nil then error("mailfrom: " .. err) end
	expect(s.name .. "/mail", conn, s.mail_reply or SMFIR_CONTINUE)
	if (s.mail_reply or SMFIR_CONTINUE) == SMFIR_CONTINUE then
		for _, r in ipairs(s.rcpts) do
			m["{rcpt_addr}"] = r[1]
			m["{rcpt_host}"] = string.match(r[1], "@(.*)$")
			macros(conn, SMFIC_RCPT, m)
			err = mt.rcptto(conn, "<" .. r[1] .. ">")
			if err ~= nil then error("rcptto: " .. err) end
			expect(s.name .. "/rcpt " .. r[1], conn, r[2])
		end
	end
	mt.disconnect(conn)
end

local C, Y = SMFIR_CONTINUE, SMFIR_REPLYCODE

-- miltertest exits 1 on an error without saying why: say it.
local function run(s)
	local good, err = pcall(session, s)
	if not good then
		failed = failed + 1
		print(string.format("FAIL %s: %s", s.name, tostring(err)))
	end
end

-- Sendmail's daemons: MTA on 25, MSA on 587 (its default names) and
-- TLSMTA on 465 (DAEMON_OPTIONS(`Port=465, Name=TLSMTA, M=s')).
run{ name = "mta-stranger", daemon_name = "MTA", daemon_port = "25",
    ip = "203.0.113.7", from = "s1@remote.example",
    rcpts = { { "u1@bluemind.loc", C }, { "x1@remote.example", Y } } }
run{ name = "mta-mynetworks", daemon_name = "MTA", daemon_port = "25",
    ip = "192.0.2.10", from = "s2@remote.example",
    rcpts = { { "x2@remote.example", C } } }
run{ name = "mta-authenticated", daemon_name = "MTA", daemon_port = "25",
    ip = "203.0.113.7", tls = true, auth = "user1@bluemind.loc",
    from = "user1@bluemind.loc", rcpts = { { "x3@remote.example", C } } }
run{ name = "msa-no-auth", daemon_name = "MSA", daemon_port = "587",
    ip = "203.0.113.7", tls = true, from = "s4@remote.example",
    mail_reply = Y, rcpts = {} }
run{ name = "msa-auth-tls", daemon_name = "MSA", daemon_port = "587",
    ip = "203.0.113.7", tls = true, auth = "user2@bluemind.loc",
    from = "user2@bluemind.loc", rcpts = { { "x5@remote.example", C } } }
run{ name = "msa-auth-no-tls", daemon_name = "MSA", daemon_port = "587",
    ip = "203.0.113.7", auth = "user2@bluemind.loc",
    from = "user2@bluemind.loc", mail_reply = Y, rcpts = {} }
run{ name = "smtps-auth", daemon_name = "TLSMTA", daemon_port = "465",
    ip = "203.0.113.7", tls = true, auth = "user1@bluemind.loc",
    from = "user1@bluemind.loc", rcpts = { { "x7@remote.example", C } } }

if failed > 0 then os.exit(1) end
