-- odd-macro.lua - a macro packet with an odd number of strings (a name
-- without its value) crashes relaywarden inside libmilter: what this
-- script sends, the runner checks that the daemon died of SIGSEGV
-- (odd-macro.dies). Nothing on our side can stop it (relaywarden(8),
-- SECURITY); the milter socket must be reachable by the MTA only.
--
-- libmilter (8.17, engine.c) keeps a macro packet as an array of
-- pointers to its strings, NULL-terminated (dec_argv), and
-- smfi_getsymval() (smfi.c) walks it two at a time, name then value,
-- until the name matches or a name's place holds NULL. With an odd
-- count the NULL is in a value's place: the walk steps over it and
-- takes the word after the array for the next name, which it hands to
-- strcmp(). That word is outside the array: whatever the heap held
-- there before. Left to chance it is often NULL (the walk then ends,
-- with an out-of-bounds read valgrind reports, and no crash), so this
-- session puts a word of its own there, as any client could:
--   1. a connect-stage packet whose buffer (libmilter's malloc(len + 1),
--      comm.c) is 72 bytes, ending in "AAAAAA", the string's NUL and
--      libmilter's NUL: the pointer 0x414141414141 as its last word;
--   2. a second connect-stage packet: libmilter frees the first one's
--      buffer, which glibc keeps for the next request of that size;
--   3. a connect-stage packet of seven strings: its array of 8 pointers
--      (64 bytes) gets that 72-byte block, and the word after the
--      array is the first packet's "AAAAAA".
-- At MAIL FROM relaywarden looks up {daemon_port}: the walk passes "a",
-- "c", "e", "g", steps past the NULL and strcmp() reads 0x414141414141.
-- This depends on glibc's allocator (the runner skips the script for a
-- sanitizer build, whose allocator lays the heap out otherwise). Should
-- libmilter one day refuse such a packet or stop its walk at the NULL,
-- the daemon survives, this script's replies differ and the runner's
-- check of the signal fails: then the limitation is gone, and the
-- documentation can say so.
local rw = dofile(lib .. "/rw.lua")

local head = "C" .. "{daemon_port}\0" .. "25\0" .. "n\0"
-- The packet's 71 bytes: head, fill and fill's NUL.
local fill = string.rep("A", 71 - #head - 1)

local off = rw.mark()
local out = rw.raw({
	{ "macro", "C", "{daemon_port}", "25", "n", fill },
	{ "macro", "C", "{daemon_port}", "25" },
	{ "macro", "C", "a", "b", "c", "d", "e", "f", "g" },
	{ "mail", "<a@remote.example>" },
	{ "rcpt", "<x@remote.example>" },
	{ "quit" },
})
-- The MAIL FROM gets no answer: the daemon died judging it.
rw.check("odd-count/replies", table.concat(out, " | "), "closed | closed")
rw.check_log("odd-count/log", off, {}, { daemon_gone = true })
rw.done()
