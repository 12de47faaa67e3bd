-- Ends a turn: commits its final state and releases the session to its next turn in one step.
-- KEYS: 1 turn, 2 session messages, 3 session events, 4 session hash, 5 session inbox
-- ARGV: 1 turn JSON, 2 ttl ms, 3 events channel, 4 sessionId, 5 turnId, 6 message count, messages..., events...
-- Returns the session's next turn id, or false when none waits.
local messages, events = splitTail(5)
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
appendMessages(KEYS[2], ARGV[2], messages)
redis.call('LREM', KEYS[5], 1, ARGV[5])
redis.call('PEXPIRE', KEYS[4], ARGV[2])
emitEvents(KEYS[3], ARGV[3], ARGV[4], ARGV[2], events)
return redis.call('LINDEX', KEYS[5], 0)
