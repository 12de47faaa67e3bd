-- Commits one step of a running turn: the turn record, the history entries the step produced and
-- its events, all or nothing, so a router that dies mid-step leaves either the old or the new state.
-- KEYS: 1 turn, 2 session messages, 3 session events, 4 session hash
-- ARGV: 1 turn JSON, 2 ttl ms, 3 events channel, 4 sessionId, 5 message count, messages..., events...
local messages, events = splitTail(4)
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
appendMessages(KEYS[2], ARGV[2], messages)
redis.call('PEXPIRE', KEYS[4], ARGV[2])
emitEvents(KEYS[3], ARGV[3], ARGV[4], ARGV[2], events)
return 1
