-- Accepts a turn into its session: the turn record and its place in the session's inbox are
-- written together, so the order of acceptance is the order of processing (invariant 4).
-- KEYS: 1 session hash, 2 turn, 3 session inbox, 4 session events
-- ARGV: 1 turnId, 2 turn JSON, 3 ttl ms, 4 events channel, 5 sessionId, 6 max queued turns, 7 event JSON
-- Returns {'ok', position} | {'missing'} | {'closed'} | {'full', depth}
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return {'missing'} end
if status == 'closed' then return {'closed'} end
local depth = redis.call('LLEN', KEYS[3])
if depth >= tonumber(ARGV[6]) then return {'full', depth} end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
local position = redis.call('RPUSH', KEYS[3], ARGV[1])
redis.call('PEXPIRE', KEYS[3], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
emitEvents(KEYS[4], ARGV[4], ARGV[5], ARGV[3], {ARGV[7]})
return {'ok', position}
