-- Changes a session's fields (status, escalation, summary) and announces it, if the session exists.
-- KEYS: 1 session hash, 2 session events, 3 session messages
-- ARGV: 1 ttl ms, 2 events channel, 3 sessionId, 4 field count, field/value pairs..., 
--       then a message count, messages..., events...
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local fieldCount = tonumber(ARGV[4])
for i = 5, 4 + fieldCount * 2, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
local messages, events = splitTail(4 + fieldCount * 2)
appendMessages(KEYS[3], ARGV[1], messages)
redis.call('PEXPIRE', KEYS[1], ARGV[1])
emitEvents(KEYS[2], ARGV[2], ARGV[3], ARGV[1], events)
return 1
