-- rw.lua - helpers for the miltertest scripts of relaywarden.
--   local rw = dofile(lib .. "/rw.lua")
-- Globals set by tests/miltertest/run: socket, log, lib.
--
-- A script says one "ok CASE" or "FAIL CASE: why" line per check (the
-- runner counts them) and should end with rw.done().
--
-- miltertest limits (see README.md here): one mt.macro() or mt.rcptto()
-- call carries at most 1024 bytes, a string stops at its first NUL (pass
-- several arguments to put a NUL between them), and the reply text of
-- SMFIR_REPLYCODE is not shown to the script: the exact decision line in
-- relaywarden's log (code, dsn, reason) is what the scripts assert.
local rw = { failed = 0, passed = 0 }

-- Shows a string with every byte outside printable ASCII as \xHH.
function rw.show(s)
	if s == nil then return "nil" end
	return (string.gsub(s, "[^\32-\126]", function(c)
		return string.format("\\x%02x", string.byte(c))
	end))
end

function rw.ok(name)
	rw.passed = rw.passed + 1
	print("ok " .. name)
end

function rw.fail(name, why)
	rw.failed = rw.failed + 1
	print("FAIL " .. name .. ": " .. rw.show(why))
end

-- Exact comparison; the failure says what came and what was wanted.
function rw.check(name, got, want)
	if got == want then
		rw.ok(name)
	else
		rw.fail(name, "got [" .. rw.show(tostring(got)) .. "] want [" ..
		    rw.show(tostring(want)) .. "]")
	end
	return got == want
end

-- --- the log ------------------------------------------------------------
-- Byte offset of the end of the log: lines after it belong to what
-- follows.
function rw.mark()
	local f = assert(io.open(log, "rb"))
	local n = f:seek("end")
	f:close()
	return n
end

-- Complete lines written after offset off, without the "ident[pid]: "
-- prefix (a line without that prefix is kept whole, so that a split line
-- shows). Waits, up to 5 seconds, until at least want lines are there.
function rw.lines(off, want)
	want = want or 0
	local lines
	for _ = 1, 100 do
		local f = assert(io.open(log, "rb"))
		f:seek("set", off)
		local data = f:read("a") or ""
		f:close()
		lines = {}
		for l in string.gmatch(data, "([^\n]*)\n") do
			lines[#lines + 1] = string.gsub(l, "^relaywarden%[%d+%]: ", "", 1)
		end
		if #lines >= want then break end
		mt.sleep(0.05)
	end
	return lines
end

-- The short policy digest of the running daemon ("policy=" on every line).
function rw.policy()
	for _, l in ipairs(rw.lines(0, 1)) do
		local d = string.match(l, "^starting: .* sha256=(%x+)")
		if d then return string.sub(d, 1, 12) end
	end
	error("no 'starting:' line with sha256= in " .. log)
end

-- A decision line as relaywarden writes it. f: qid (default NOQUEUE),
-- listener, port, client, auth, tls, from, rcpt, decision, reason, code,
-- dsn (each already escaped as the log shows it; "-" by default).
function rw.line(f)
	local function v(k) return f[k] or "-" end
	return string.format("%s: listener=%s port=%s client=%s auth=%s tls=%s "
	    .. "from=%s rcpt=%s decision=%s reason=%s code=%s dsn=%s policy=%s",
	    f.qid or "NOQUEUE", v("listener"), v("port"), v("client"), v("auth"),
	    v("tls"), v("from"), v("rcpt"), v("decision"), v("reason"),
	    v("code"), v("dsn"), rw.policy())
end

-- The line of a message's end as relaywarden writes it: f as rw.line's,
-- without rcpt and the decision's keys, with accepted and refused.
function rw.message_line(f)
	local function v(k) return f[k] or "-" end
	return string.format("%s: listener=%s port=%s client=%s auth=%s tls=%s "
	    .. "from=%s accepted=%d refused=%d policy=%s", f.qid or "NOQUEUE",
	    v("listener"), v("port"), v("client"), v("auth"), v("tls"),
	    v("from"), f.accepted, f.refused, rw.policy())
end

-- A function that makes decision lines (rw.line) from these defaults,
-- each key of its argument taking the place of a default.
function rw.liner(defaults)
	return function(t)
		local f = {}
		for k, v in pairs(defaults) do f[k] = v end
		for k, v in pairs(t) do f[k] = v end
		return rw.line(f)
	end
end

-- --- the sentinel -------------------------------------------------------
-- relaywarden writes each log line before it answers the command that
-- made it. So when a session that starts after a case's last answer has
-- had its own line written, every line of the case is in the log, and
-- the lines before the sentinel's are all of them: "exactly these lines"
-- is exact, with no time left for an extra line to show up. The sentinel
-- is a refused remote recipient with an address of its own, from a client
-- and port no case uses.
rw.sentinels = 0
local SENTINEL_CLIENT = "203.0.113.250"

-- Runs one sentinel session; returns its recipient, unique in the log,
-- or nil and why the session failed.
local function sentinel()
	rw.sentinels = rw.sentinels + 1
	local rcpt = string.format("<sentinel-%d-%d@remote.example>", os.time(),
	    rw.sentinels)
	local ok, err = pcall(function()
		local conn = rw.session(SENTINEL_CLIENT, { "{daemon_port}", "25" })
		local r = rw.mail(conn, "<sentinel@remote.example>")
		if r ~= SMFIR_CONTINUE then
			error("MAIL FROM answered " .. rw.reply_name(r))
		end
		rw.rcpt(conn, rcpt)
		mt.disconnect(conn)
	end)
	if not ok then return nil, tostring(err) end
	return rcpt
end

-- The lines logged after off and before the sentinel's (up to 10 s for
-- it to show), or nil and why.
local function lines_before_sentinel(off)
	local rcpt, err = sentinel()
	if not rcpt then return nil, "sentinel session: " .. err end
	local mark = "rcpt=" .. rcpt .. " "
	for _ = 1, 100 do
		local lines = rw.lines(off)
		for i, l in ipairs(lines) do
			if string.find(l, mark, 1, true) then
				return { table.unpack(lines, 1, i - 1) }
			end
		end
		mt.sleep(0.1)
	end
	return nil, "no line for the sentinel " .. rcpt .. " within 10 s"
end

-- The lines logged after off by a daemon that is gone (a case that kills
-- it): once nothing listens on its socket, no process of it is left to
-- write. nil and why when it still accepts connections after 5 s.
local function lines_of_gone_daemon(off)
	for _ = 1, 50 do
		local ok, conn = pcall(mt.connect, socket, 1, 0)
		if not ok then return rw.lines(off) end
		mt.disconnect(conn, false)
		mt.sleep(0.1)
	end
	return nil, "the daemon still accepts connections"
end

-- Checks that exactly the lines in want (a list) were logged after off.
-- o.daemon_gone: the case killed the daemon (no sentinel can run).
function rw.check_log(name, off, want, o)
	local got, why
	if o and o.daemon_gone then
		got, why = lines_of_gone_daemon(off)
	else
		got, why = lines_before_sentinel(off)
	end
	if not got then
		rw.fail(name, why .. "; want " .. #want .. " [" ..
		    table.concat(want, " | ") .. "]")
		return false
	end
	if #got ~= #want then
		rw.fail(name, "got " .. #got .. " log line(s) [" ..
		    table.concat(got, " | ") .. "] want " .. #want .. " [" ..
		    table.concat(want, " | ") .. "]")
		return false
	end
	for i = 1, #want do
		if got[i] ~= want[i] then
			rw.fail(name, "log line " .. i .. ": got [" .. got[i] ..
			    "] want [" .. want[i] .. "]")
			return false
		end
	end
	rw.ok(name)
	return true
end

-- --- sessions -----------------------------------------------------------
-- Actions an MTA offers at negotiation: all (miltertest's default, with
-- SMFIF_SETSYMLIST: Postfix 2.5+, Sendmail 8.14+), or all but
-- SMFIF_SETSYMLIST (an MTA that cannot take macro lists; relaywarden
-- then asks for the CONNECT event).
rw.ACTIONS_NO_SYMLIST = 0xFF

-- The client address as Postfix writes {client_addr}: IPv6 as
-- "IPv6:...", IPv4 as is.
function rw.client_addr(ip)
	if string.find(ip, ":", 1, true) then return "IPv6:" .. ip end
	return ip
end

-- Opens a milter session as an MTA does, and raises an error when the
-- milter does not answer or negotiates other steps than it should.
--   ip              the client address (default 203.0.113.7)
--   connect_macros  connect-stage macros (a list name, value, ...; nil:
--                   none)
--   o.client_addr   the {client_addr} sent with them: a string as is,
--                   false for none; by default rw.client_addr(ip), as
--                   Postfix sends it, except on the CONNECT path
--   o.helo_macros   HELO-stage macros (sent even with no HELO event)
--   o.connect_path  true: offer no SMFIF_SETSYMLIST, so that relaywarden
--                   asks for CONNECT; ip then goes in the connect event
--                   ("unspec": no known address family)
-- With SMFIF_SETSYMLIST offered, relaywarden must decline the CONNECT
-- and HELO events (SMFIP_NOCONNECT, SMFIP_NOHELO): the MTA then sends
-- only the stages' macros, as here. Without it, it must decline HELO
-- only. (Debian's miltertest takes mt.negotiate(conn, version, steps,
-- actions), in that order, whatever its man page says.)
function rw.session(ip, connect_macros, o)
	o = o or {}
	ip = ip or "203.0.113.7"
	local conn = mt.connect(socket, 20, 0.1)
	if conn == nil then error("mt.connect(" .. socket .. ") failed") end
	local actions = o.connect_path and rw.ACTIONS_NO_SYMLIST or nil
	assert(mt.negotiate(conn, nil, nil, actions) == nil, "negotiate failed")
	if mt.test_option(conn, SMFIP_NOCONNECT) ~= not o.connect_path then
		error("SMFIP_NOCONNECT " .. (o.connect_path and "" or "not ") ..
		    "negotiated")
	end
	if not mt.test_option(conn, SMFIP_NOHELO) then
		error("SMFIP_NOHELO not negotiated")
	end
	if not mt.test_option(conn, SMFIP_NODATA) then
		error("SMFIP_NODATA not negotiated: DATA must not be asked for "
		    .. "(data.lua)")
	end
	local cm = {}
	for _, v in ipairs(connect_macros or {}) do cm[#cm + 1] = v end
	local ca = o.client_addr
	if ca == nil and not o.connect_path then ca = rw.client_addr(ip) end
	if ca then
		cm[#cm + 1] = "{client_addr}"
		cm[#cm + 1] = ca
	end
	if #cm > 0 then
		assert(mt.macro(conn, SMFIC_CONNECT, table.unpack(cm)) == nil,
		    "connect macros")
	end
	if o.connect_path then
		assert(mt.conninfo(conn, "client.example", ip) == nil,
		    "conninfo failed")
		assert(mt.getreply(conn) == SMFIR_CONTINUE, "connect not continued")
	end
	if o.helo_macros and #o.helo_macros > 0 then
		assert(mt.macro(conn, SMFIC_HELO, table.unpack(o.helo_macros)) == nil,
		    "helo macros")
	end
	return conn
end

-- MAIL FROM with MAIL-stage macros; returns the reply (SMFIR_*).
function rw.mail(conn, from, macros)
	if macros and #macros > 0 then
		assert(mt.macro(conn, SMFIC_MAIL, table.unpack(macros)) == nil,
		    "mail macros")
	end
	assert(mt.mailfrom(conn, from) == nil, "mailfrom failed")
	return mt.getreply(conn)
end

-- RCPT TO (extra arguments become ESMTP arguments, i.e. NUL-separated);
-- returns the reply.
function rw.rcpt(conn, ...)
	assert(mt.rcptto(conn, ...) == nil, "rcptto failed")
	return mt.getreply(conn)
end

-- Reply names for messages.
function rw.reply_name(r)
	local names = {
		[SMFIR_CONTINUE] = "continue", [SMFIR_REPLYCODE] = "replycode",
		[SMFIR_REJECT] = "reject", [SMFIR_TEMPFAIL] = "tempfail",
		[SMFIR_ACCEPT] = "accept", [SMFIR_DISCARD] = "discard",
	}
	return names[r] or ("reply " .. tostring(r))
end

function rw.check_reply(name, got, want)
	return rw.check(name, rw.reply_name(got), rw.reply_name(want))
end

-- --- milter-raw: what miltertest cannot send -----------------------------
-- An argument for milter-raw: "x" and the bytes in hex.
function rw.x(s)
	return "x" .. (string.gsub(s, ".", function(c)
		return string.format("%02x", string.byte(c))
	end))
end

-- Runs one milter-raw session. cmds: a list of commands, each a list
-- whose first element is the command word and the rest its arguments as
-- raw strings; actions: those the MTA offers (default all, with
-- SMFIF_SETSYMLIST). Returns the list of output lines ("reply c", "reply
-- y TEXT", "skipped", "closed", "timeout", ...).
function rw.raw(cmds, actions)
	local path = os.tmpname()
	local f = assert(io.open(path, "wb"))
	for _, c in ipairs(cmds) do
		local words = { c[1] }
		for i = 2, #c do words[#words + 1] = rw.x(c[i]) end
		f:write(table.concat(words, " "), "\n")
	end
	f:close()
	local p = assert(io.popen("perl '" .. lib .. "/milter-raw' --socket '"
	    .. socket .. "'" .. (actions and string.format(" --actions %x",
	    actions) or "") .. " <'" .. path .. "' 2>&1"))
	local out = {}
	for l in p:lines() do out[#out + 1] = l end
	p:close()
	os.remove(path)
	return out
end

-- Ends the script: its exit status says whether every check passed.
function rw.done()
	os.exit(rw.failed == 0 and 0 or 1)
end

return rw
