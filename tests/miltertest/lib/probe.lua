-- probe.lua - run by tests/miltertest/run after every script: the daemon
-- still answers, with the right decisions.
local rw = dofile(lib .. "/rw.lua")
local off = rw.mark()
local conn = rw.session("203.0.113.9", { "{daemon_port}", "25" })
rw.check_reply("still-answering-mail", rw.mail(conn, "<probe@remote.example>"),
    SMFIR_CONTINUE)
rw.check_reply("still-answering-refuses", rw.rcpt(conn, "<x@remote.example>"),
    SMFIR_REPLYCODE)
rw.check_reply("still-answering-accepts", rw.rcpt(conn, "<u@bluemind.loc>"),
    SMFIR_CONTINUE)
mt.disconnect(conn)
local base = { listener = "smtp", port = "25", client = "203.0.113.9",
    from = "<probe@remote.example>" }
local function with(t)
	local r = {}
	for k, v in pairs(base) do r[k] = v end
	for k, v in pairs(t) do r[k] = v end
	return rw.line(r)
end
rw.check_log("still-answering-log", off, {
	with({ rcpt = "<x@remote.example>", decision = "reject",
	    reason = "relay_denied", code = "554", dsn = "5.7.1" }),
	with({ rcpt = "<u@bluemind.loc>", decision = "accept",
	    reason = "local_domain" }),
})
rw.done()
