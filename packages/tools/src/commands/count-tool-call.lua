-- Counts one model-requested call of a tool in a session, however many attempts it takes.
-- KEYS: 1 set of the call ids of this session and tool
-- ARGV: 1 call id, 2 max calls per session, 3 ttl ms
-- Returns the number of calls counted so far including this one, or -1 when the cap is reached.
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return redis.call('SCARD', KEYS[1]) end
local used = redis.call('SCARD', KEYS[1])
if used >= tonumber(ARGV[2]) then return -1 end
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return used + 1
