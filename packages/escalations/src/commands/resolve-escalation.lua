-- Ends an escalation and hands the session back in one step: the record moves to `resolved` and
-- the session becomes `active` (return_to_bot) or `closed`, with a notice to the user. A crash can
-- never leave a resolved escalation whose session still waits for a person, or the reverse.
-- The session follows only while this escalation is the one it waits on.
-- KEYS: 1 escalation hash, 2 every tenant's claimed index, 3 the tenant's claimed index,
--       4 every tenant's resolved index, 5 the tenant's resolved index,
--       6 session hash, 7 session events, 8 session messages
-- ARGV: 1 key id, 2 agent name or '', 3 override ('1' for ops), 4 action, 5 note or '',
--       6 resolved by, 7 now (ISO), 8 now ms, 9 escalation ttl ms, 10 session ttl ms,
--       11 events channel, 12 session id, 13 escalation id, 14 the session's new status,
--       15 notice history message JSON, 16 notice event JSON, 17 session status event JSON
-- Returns {'resolved', sessionChanged (0|1)} | {'again'} | {refusal}
local status = redis.call('HGET', KEYS[1], 'status')
if status == 'resolved' then
  -- The same decision twice (a double click) is the same outcome; a different one is a conflict.
  if redis.call('HGET', KEYS[1], 'resolution') == ARGV[4] then return {'again'} end
  return {'already_resolved'}
end
local refusal = refuseActor(KEYS[1], ARGV[1], ARGV[2], ARGV[3])
if refusal then return {refusal} end

redis.call('HSET', KEYS[1], 'status', 'resolved', 'resolution', ARGV[4], 'resolvedBy', ARGV[6],
  'resolvedAt', ARGV[7], 'updatedAt', ARGV[7])
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'note', ARGV[5]) end
local score = redis.call('HGET', KEYS[1], 'createdAtMs')
redis.call('ZREM', KEYS[2], ARGV[13])
redis.call('ZREM', KEYS[3], ARGV[13])
-- The resolved list covers escalations opened within one TTL; older entries leave it here, so the
-- index stays bounded however busy the desk is.
local horizon = tonumber(ARGV[8]) - tonumber(ARGV[9])
for i = 4, 5 do
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', '(' .. horizon)
  redis.call('ZADD', KEYS[i], score, ARGV[13])
end
refresh({KEYS[1], KEYS[4], KEYS[5]}, ARGV[9])

local session = redis.call('HMGET', KEYS[6], 'status', 'escalationId')
if session[1] ~= 'escalated' or session[2] ~= ARGV[13] then return {'resolved', 0} end
redis.call('HSET', KEYS[6], 'status', ARGV[14])
appendMessages(KEYS[8], ARGV[10], {ARGV[15]})
redis.call('PEXPIRE', KEYS[6], ARGV[10])
emitEvents(KEYS[7], ARGV[11], ARGV[12], ARGV[10], {ARGV[16], ARGV[17]})
return {'resolved', 1}
