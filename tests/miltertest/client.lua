-- client.lua - the client address. With an MTA that takes macro lists
-- (Postfix, Sendmail 8.14+), relaywarden asks for no CONNECT event: the
-- address comes as the {client_addr} macro, sent with the connect macros,
-- and is read at the first MAIL FROM. Here it comes in every form Postfix
-- and Sendmail send, and in forms no MTA should send (absent, empty,
-- odd, not an address): every value that is not an address is a client
-- with no address, which no my_networks entry matches (fail closed). An
-- MTA that offers no SMFIF_SETSYMLIST is asked for the CONNECT event and
-- the address comes from it. Each session gets its exact replies and log
-- lines. client.conf: my_networks 192.0.2.0/24 and [2001:db8:1::]/48.
--
-- The order matters: relaywarden warns about a missing or unusable
-- {client_addr} at most once every ten minutes, so "unknown" comes before
-- any warning (no warning for it is then a real check), and the cases
-- after "absent" expect none.
local rw = dofile(lib .. "/rw.lua")
local run_cases = dofile(lib .. "/cases.lua")

local P25 = { "{daemon_port}", "25" }
local R, C = SMFIR_REPLYCODE, SMFIR_CONTINUE

local L = rw.liner({ listener = "smtp", port = "25",
    from = "<a@remote.example>" })
-- The usual pair: a remote recipient, then a local one.
local function relayed(client)
	return { rcpts = { { "<x@remote.example>", C } },
	    log = { L({ client = client, rcpt = "<x@remote.example>",
	    decision = "accept", reason = "my_networks" }) } }
end
local function stranger(client)
	return { rcpts = { { "<x@remote.example>", R }, { "<u@bluemind.loc>", C } },
	    log = { L({ client = client, rcpt = "<x@remote.example>",
	    decision = "reject", reason = "relay_denied", code = "554",
	    dsn = "5.7.1" }),
	    L({ client = client, rcpt = "<u@bluemind.loc>", decision = "accept",
	    reason = "local_domain" }) } }
end
-- A case: name, how the client is presented, and what it gets.
local function case(name, how, outcome)
	local c = { name = name, connect = P25 }
	for k, v in pairs(how) do c[k] = v end
	for k, v in pairs(outcome) do c[k] = v end
	return c
end

-- Negotiation: the steps relaywarden declines, with and without macro
-- lists on offer.
do
	local conn = mt.connect(socket, 20, 0.1)
	assert(mt.negotiate(conn, nil, nil, nil) == nil, "negotiate failed")
	rw.check("negotiate-with-setsymlist/no-connect",
	    mt.test_option(conn, SMFIP_NOCONNECT), true)
	rw.check("negotiate-with-setsymlist/no-helo",
	    mt.test_option(conn, SMFIP_NOHELO), true)
	rw.check("negotiate-with-setsymlist/setsymlist",
	    mt.test_action(conn, SMFIF_SETSYMLIST), true)
	mt.disconnect(conn)
	conn = mt.connect(socket, 20, 0.1)
	assert(mt.negotiate(conn, nil, nil, rw.ACTIONS_NO_SYMLIST) == nil,
	    "negotiate failed")
	rw.check("negotiate-without-setsymlist/connect",
	    mt.test_option(conn, SMFIP_NOCONNECT), false)
	rw.check("negotiate-without-setsymlist/no-helo",
	    mt.test_option(conn, SMFIP_NOHELO), true)
	rw.check("negotiate-without-setsymlist/setsymlist",
	    mt.test_action(conn, SMFIF_SETSYMLIST), false)
	mt.disconnect(conn)
end

local cases = {
	-- Postfix's {client_addr} when it has no address (XCLIENT
	-- ADDR=[UNAVAILABLE]): no address, and no warning (it is not a
	-- configuration mistake).
	case("postfix-unknown", { client_addr = "unknown" }, stranger("-")),
	case("postfix-unknown-submission", { client_addr = "unknown",
	    connect = { "{daemon_port}", "587" } }, { mail_reply = R,
	    log = { L({ listener = "submission", port = "587", client = "-",
	    rcpt = "-", decision = "reject", reason = "tls_required",
	    code = "530", dsn = "5.7.0" }) } }),
	-- Addresses as Postfix and Sendmail write them.
	case("ipv4-in", { ip = "192.0.2.10" }, relayed("192.0.2.10")),
	case("ipv4-out", { ip = "203.0.113.7" }, stranger("203.0.113.7")),
	case("ipv6-in", { client_addr = "IPv6:2001:db8:1::5" },
	    relayed("2001:db8:1::5")),
	case("ipv6-out", { client_addr = "IPv6:2001:db8:2::5" },
	    stranger("2001:db8:2::5")),
	case("ipv6-tag-lower-case", { client_addr = "ipv6:2001:db8:1::5" },
	    relayed("2001:db8:1::5")),
	case("ipv6-untagged", { client_addr = "2001:db8:1::5" },
	    relayed("2001:db8:1::5")),
	case("ipv6-bracketed", { client_addr = "[2001:db8:1::5]" },
	    relayed("2001:db8:1::5")),
	case("ipv6-uncompressed", { client_addr =
	    "IPv6:2001:0db8:0001:0000:0000:0000:0000:0005" },
	    relayed("2001:db8:1::5")),
	-- IPv4-mapped IPv6: judged, and logged, as the IPv4 address.
	case("ipv4-mapped-in", { client_addr = "IPv6:::ffff:192.0.2.1" },
	    relayed("192.0.2.1")),
	case("ipv4-mapped-out", { client_addr = "IPv6:::ffff:203.0.113.7" },
	    stranger("203.0.113.7")),
	case("ipv4-mapped-untagged", { client_addr = "::ffff:192.0.2.10" },
	    relayed("192.0.2.10")),
	-- No {client_addr} at all: no address, and the first time a warning
	-- names the setting to add.
	case("absent", { client_addr = false }, { rcpts = {
	    { "<x@remote.example>", R }, { "<u@bluemind.loc>", C } }, log = {
	    "warning: the MTA sent no {client_addr}: no client can relay by "
	    .. "my_networks. An MTA that ignores smfi_setsymlist needs, in "
	    .. "main.cf: milter_connect_macros = j {daemon_name} {daemon_addr} "
	    .. "{daemon_port} {client_addr} v _ (Sendmail: "
	    .. "confMILTER_MACROS_CONNECT); see conf/postfix-main.cf.snippet",
	    L({ client = "-", rcpt = "<x@remote.example>", decision = "reject",
	    reason = "relay_denied", code = "554", dsn = "5.7.1" }),
	    L({ client = "-", rcpt = "<u@bluemind.loc>", decision = "accept",
	    reason = "local_domain" }) } }),
	case("absent-again", { client_addr = false }, stranger("-")),
}

-- Values that are not an address, some of which a loose parser would
-- read as 192.0.2.10 (inside my_networks) or as 2001:db8:1::5: each is
-- a client with no address. (Their warning is the one above's kind, at
-- most once every ten minutes; raw.lua and logs.lua check its text.)
local NOT_ADDRESSES = {
	{ "empty", "" },
	{ "word", "not-an-address" },
	{ "unknown-upper-case", "UNKNOWN" },
	{ "trailing-space", "192.0.2.10 " },
	{ "leading-space", " 192.0.2.10" },
	{ "crlf", "192.0.2.10\r\n" },
	{ "prefix", "192.0.2.10/24" },
	{ "with-port", "192.0.2.10:4000" },
	{ "octal-octet", "192.0.2.010" },
	{ "three-octets", "192.0.2" },
	{ "decimal-32-bit", "3221225994" },
	{ "hex-32-bit", "0xc000020a" },
	{ "ipv4-bracketed", "[192.0.2.10]" },
	{ "ipv4-tagged-ipv6", "IPv6:192.0.2.10" },
	{ "ipv4-tagged-ipv4", "IPv4:192.0.2.10" },
	{ "ipv6-tag-alone", "IPv6:" },
	{ "ipv6-tag-bracketed", "IPv6:[2001:db8:1::5]" },
	{ "ipv6-bracket-tagged", "[IPv6:2001:db8:1::5]" },
	{ "ipv6-prefix", "2001:db8:1::5/48" },
	{ "ipv6-scope", "2001:db8:1::5%eth0" },
	{ "ipv6-nine-groups", "IPv6:2001:db8:1:0:0:0:0:0:5" },
	{ "ipv4-mapped-trailing-space", "IPv6:::ffff:192.0.2.10 " },
}
for _, v in ipairs(NOT_ADDRESSES) do
	cases[#cases + 1] = case("not-an-address-" .. v[1],
	    { client_addr = v[2] }, stranger("-"))
end

-- An MTA that cannot take macro lists (no SMFIF_SETSYMLIST offered) is
-- asked for the CONNECT event: the address comes from the connection,
-- and a {client_addr} only when the connection has none.
local CP = true
for _, c in ipairs({
	case("connect-ipv4-in", { connect_path = CP, ip = "192.0.2.10" },
	    relayed("192.0.2.10")),
	case("connect-ipv4-out", { connect_path = CP, ip = "203.0.113.7" },
	    stranger("203.0.113.7")),
	case("connect-ipv6-in", { connect_path = CP, ip = "2001:db8:1::5" },
	    relayed("2001:db8:1::5")),
	case("connect-ipv6-out", { connect_path = CP, ip = "2001:db8:2::5" },
	    stranger("2001:db8:2::5")),
	case("connect-ipv4-mapped-in", { connect_path = CP,
	    ip = "::ffff:192.0.2.10" }, relayed("192.0.2.10")),
	case("connect-ipv4-mapped-out", { connect_path = CP,
	    ip = "::ffff:203.0.113.7" }, stranger("203.0.113.7")),
	-- The connection's address wins over a {client_addr} macro.
	case("connect-address-wins", { connect_path = CP, ip = "203.0.113.7",
	    client_addr = "192.0.2.10" }, stranger("203.0.113.7")),
	-- No known family: no address, unless the MTA sends {client_addr}.
	case("connect-unspec", { connect_path = CP, ip = "unspec" },
	    stranger("-")),
	case("connect-unspec-submission", { connect_path = CP, ip = "unspec",
	    connect = { "{daemon_port}", "587" } }, { mail_reply = R,
	    log = { L({ listener = "submission", port = "587", client = "-",
	    rcpt = "-", decision = "reject", reason = "tls_required",
	    code = "530", dsn = "5.7.0" }) } }),
	case("connect-unspec-macro", { connect_path = CP, ip = "unspec",
	    client_addr = "192.0.2.10" }, relayed("192.0.2.10")),
	case("connect-unspec-macro-garbage", { connect_path = CP,
	    ip = "unspec", client_addr = "192.0.2.10 " }, stranger("-")),
}) do
	cases[#cases + 1] = c
end

run_cases(rw, cases)
rw.done()
