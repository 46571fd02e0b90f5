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

-- Checks that exactly the lines in want (a list) were logged after off.
function rw.check_log(name, off, want)
	local got = rw.lines(off, #want)
	-- A short settle, so that an extra (injected, split) line shows too.
	mt.sleep(0.05)
	got = rw.lines(off, #want)
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
-- Opens a milter session: connect macros (a list of name, value, ...;
-- nil: none), then the connection information (ip "unspec": unknown
-- family), then HELO. Raises an error when the milter does not answer.
function rw.session(ip, connect_macros, helo)
	local conn = mt.connect(socket, 20, 0.1)
	if conn == nil then error("mt.connect(" .. socket .. ") failed") end
	assert(mt.negotiate(conn, nil, nil, nil) == nil, "negotiate failed")
	if connect_macros and #connect_macros > 0 then
		assert(mt.macro(conn, SMFIC_CONNECT,
		    table.unpack(connect_macros)) == nil, "connect macros")
	end
	assert(mt.conninfo(conn, "client.example", ip) == nil, "conninfo failed")
	assert(mt.getreply(conn) == SMFIR_CONTINUE, "connect not continued")
	assert(mt.helo(conn, helo or "client.example") == nil, "helo failed")
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
-- raw strings. Returns the list of output lines ("reply c", "reply y
-- TEXT", "closed", "timeout").
function rw.raw(cmds)
	local path = os.tmpname()
	local f = assert(io.open(path, "wb"))
	for _, c in ipairs(cmds) do
		local words = { c[1] }
		for i = 2, #c do words[#words + 1] = rw.x(c[i]) end
		f:write(table.concat(words, " "), "\n")
	end
	f:close()
	local p = assert(io.popen("perl '" .. lib .. "/milter-raw' --socket '"
	    .. socket .. "' <'" .. path .. "' 2>&1"))
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
