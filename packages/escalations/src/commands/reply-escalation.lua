-- A support agent's message to the user: appended to the session's history (role `agent`) and
-- event stream and counted on the escalation in one step, by whoever holds the claim (or ops).
-- KEYS: 1 escalation hash, 2 every tenant's claimed index, 3 the tenant's claimed index,
--       4 session hash, 5 session events, 6 session messages
-- ARGV: 1 key id, 2 agent name or '', 3 override ('1' for ops), 4 now (ISO), 5 escalation ttl ms,
--       6 session ttl ms, 7 events channel, 8 session id, 9 history message JSON, 10 event JSON
-- Returns {'ok'} or {refusal}: missing, already_resolved, not_claimed, claimed_by_other, session_missing
local refusal = refuseActor(KEYS[1], ARGV[1], ARGV[2], ARGV[3])
if refusal then return {refusal} end
if redis.call('EXISTS', KEYS[4]) == 0 then return {'session_missing'} end
appendMessages(KEYS[6], ARGV[6], {ARGV[9]})
redis.call('PEXPIRE', KEYS[4], ARGV[6])
emitEvents(KEYS[5], ARGV[7], ARGV[8], ARGV[6], {ARGV[10]})
redis.call('HINCRBY', KEYS[1], 'replies', 1)
redis.call('HSET', KEYS[1], 'updatedAt', ARGV[4])
refresh({KEYS[1], KEYS[2], KEYS[3]}, ARGV[5])
return {'ok'}
