-- addresses.lua - recipients and senders as no Postfix sends them: NUL
-- and raw 8-bit bytes, CR/LF, 1 kB addresses, and 1000 recipients in one
-- transaction. Each gets the right decision and one exact, escaped log
-- line. (Client addresses: client.lua.)
local rw = dofile(lib .. "/rw.lua")
local run_cases = dofile(lib .. "/cases.lua")

local L = rw.liner({ listener = "smtp", port = "25", client = "203.0.113.7",
    from = "<a@remote.example>" })
local function reject(rcpt, reason, code, dsn, t)
	t = t or {}
	t.rcpt, t.decision, t.reason = rcpt, "reject", reason
	t.code, t.dsn = code or "554", dsn or "5.7.1"
	return L(t)
end
local function accept(rcpt, reason, t)
	t = t or {}
	t.rcpt, t.decision, t.reason = rcpt, "accept", reason
	return L(t)
end
local P25 = { "{daemon_port}", "25" }
local R, C = SMFIR_REPLYCODE, SMFIR_CONTINUE

run_cases(rw, {
	-- A NUL ends the address: the MTA sends what follows as another
	-- argument, and the address judged is the one before it.
	{ name = "nul-cuts-local-part", connect = P25, rcpts = {
		{ { "<u", "x@bluemind.loc>" }, R } },
		log = { reject("<u", "bad_address", "501", "5.1.3") } },
	{ name = "nul-hides-local-domain", connect = P25, rcpts = {
		{ { "<x@remote.example>", "@bluemind.loc>" }, R } },
		log = { reject("<x@remote.example>", "relay_denied") } },
	{ name = "nul-hides-remote-domain", connect = P25, rcpts = {
		{ { "<u@bluemind.loc>", "@remote.example>" }, C } },
		log = { accept("<u@bluemind.loc>", "local_domain") } },
	-- Raw 8-bit bytes (not UTF-8): judged byte for byte, logged \xHH.
	{ name = "8bit-local-part", connect = P25, rcpts = {
		{ "<u\xe9\xff@bluemind.loc>", C } },
		log = { accept("<u\\xe9\\xff@bluemind.loc>", "local_domain") } },
	{ name = "8bit-after-domain", connect = P25, rcpts = {
		{ "<x@bluemind.loc\xff>", R } },
		log = { reject("<x@bluemind.loc\\xff>", "relay_denied") } },
	{ name = "8bit-in-domain", connect = P25, rcpts = {
		{ "<x@blu\xe9mind.loc>", R } },
		log = { reject("<x@blu\\xe9mind.loc>", "relay_denied") } },
	{ name = "utf8-domain", connect = P25, rcpts = {
		{ "<x@bl\xc3\xbcemind.loc>", R } },
		log = { reject("<x@bl\\xc3\\xbcemind.loc>", "relay_denied") } },
	{ name = "8bit-sender", connect = P25, from = "<\xe9\x80@remote.example>",
		rcpts = { { "<u@bluemind.loc>", C } },
		log = { accept("<u@bluemind.loc>", "local_domain",
		    { from = "<\\xe9\\x80@remote.example>" }) } },
	-- CR, LF and other control bytes make an address unparseable.
	{ name = "crlf-in-address", connect = P25, rcpts = {
		{ "<u@bluemind.loc\r\nx@remote.example>", R } },
		log = { reject("<u@bluemind.loc\\x0d\\x0ax@remote.example>",
		    "bad_address", "501", "5.1.3") } },
	{ name = "tab-in-address", connect = P25, rcpts = {
		{ "<u\t@bluemind.loc>", R } },
		log = { reject("<u\\x09@bluemind.loc>", "bad_address", "501", "5.1.3") } },
	-- Over RFC 5321's bounds: refused, never truncated into a match.
	{ name = "local-part-1000", connect = P25, rcpts = {
		{ "<" .. string.rep("u", 1000) .. "@bluemind.loc>", R } },
		log = { reject("<" .. string.rep("u", 506) .. "\\...", "bad_address",
		    "501", "5.1.3") } },
	{ name = "domain-300", connect = P25, rcpts = {
		{ "<u@" .. string.rep("a", 288) .. ".bluemind.loc>", R } },
		log = { reject("<u@" .. string.rep("a", 288) .. ".bluemind.loc>",
		    "bad_address", "501", "5.1.3") } },
})

-- 1000 recipients in one transaction, local and remote in turn: each is
-- judged on its own (an accept never ends the checks), one line each.
local off = rw.mark()
local conn = rw.session("203.0.113.7", P25)
rw.check_reply("rcpt-1000/mail-reply", rw.mail(conn, "<a@remote.example>"), C)
local bad, want = {}, {}
for i = 1, 1000 do
	local local_one = i % 2 == 1
	local rcpt = local_one and string.format("<u%d@bluemind.loc>", i) or
	    string.format("<x%d@remote.example>", i)
	local r = rw.rcpt(conn, rcpt)
	if r ~= (local_one and C or R) then
		bad[#bad + 1] = rcpt .. " got " .. rw.reply_name(r)
	end
	want[i] = local_one and accept(rcpt, "local_domain") or
	    reject(rcpt, "relay_denied")
end
mt.disconnect(conn)
rw.check("rcpt-1000/replies", table.concat(bad, ", "), "")
rw.check_log("rcpt-1000/log", off, want)
rw.done()
