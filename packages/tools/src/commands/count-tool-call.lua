-- Counts one model-requested call of a tool in a session, however many attempts it takes.
-- KEYS: 1 set of the call ids of this session and tool
-- ARGV: 1 call id, 2 max calls per session, 3 ttl ms
-- Returns the number of calls counted so far including this one, or -1 when the cap is reached.
return countToolCall(KEYS[1], ARGV[1], tonumber(ARGV[2]), ARGV[3])
