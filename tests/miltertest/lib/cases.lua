-- cases.lua - runs a table of milter sessions and checks, for each, every
-- reply and the exact log lines.
--   local run_cases = dofile(lib .. "/cases.lua")
--   run_cases(rw, { case, ... })
-- A case:
--   name     unique, shown in "ok NAME/step"
--   ip       client address for mt.conninfo ("unspec": no known family)
--   connect  list of connect-stage macros (name, value, ...)
--   helo     HELO name (default client.example)
--   mail     list of MAIL-stage macros
--   from     MAIL FROM argument (default <a@remote.example>)
--   mail_reply  SMFIR_CONTINUE (default) or SMFIR_REPLYCODE
--   rcpts    list of { arg, reply [, macros] } or { {arg1, arg2...},
--            reply [, macros] } (several arguments: NUL-separated on the
--            wire, as ESMTP parameters are; macros: RCPT-stage macros)
--   log      the exact lines logged by the session (rw.line{...} or text)
local function run_cases(rw, cases)
	for _, c in ipairs(cases) do
		local off = rw.mark()
		local ok, err = pcall(function()
			local conn = rw.session(c.ip or "203.0.113.7", c.connect,
			    c.helo)
			local r = rw.mail(conn, c.from or "<a@remote.example>", c.mail)
			rw.check_reply(c.name .. "/mail-reply", r,
			    c.mail_reply or SMFIR_CONTINUE)
			for i, rc in ipairs(c.rcpts or {}) do
				local args = rc[1]
				if type(args) ~= "table" then args = { args } end
				if rc[3] then
					assert(mt.macro(conn, SMFIC_RCPT,
					    table.unpack(rc[3])) == nil, "rcpt macros")
				end
				rw.check_reply(c.name .. "/rcpt-" .. i .. "-reply",
				    rw.rcpt(conn, table.unpack(args)), rc[2])
			end
			mt.disconnect(conn)
		end)
		if not ok then
			rw.fail(c.name .. "/session", tostring(err))
		end
		rw.check_log(c.name .. "/log", off, c.log)
	end
end
return run_cases
