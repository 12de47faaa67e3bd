-- Counts one model call's usage exactly once per event id (a usage job that BullMQ delivers twice,
-- after a stalled worker, is counted once): the session's totals, the user's day and the
-- platform's hour, which are the burn the budget service watches.
-- KEYS: 1 session usage hash, 2 set of the session's counted event ids, 3 user-day usage hash,
--       4 global-hour usage hash
-- ARGV: 1 event id, 2 input tokens, 3 output tokens, 4 cost micro-dollars, 5 session ttl ms,
--       6 user-day ttl ms, 7 global-hour ttl ms
-- Returns {0} when the event had been counted already, else {1, session cost, user-day cost,
-- global-hour cost} after counting it.
if redis.call('SADD', KEYS[2], ARGV[1]) == 0 then return {0} end
redis.call('HINCRBY', KEYS[1], 'inputTokens', ARGV[2])
redis.call('HINCRBY', KEYS[1], 'outputTokens', ARGV[3])
local sessionCost = redis.call('HINCRBY', KEYS[1], 'costMicros', ARGV[4])
redis.call('HINCRBY', KEYS[1], 'calls', 1)
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
local tokens = tonumber(ARGV[2]) + tonumber(ARGV[3])
local userCost = redis.call('HINCRBY', KEYS[3], 'costMicros', ARGV[4])
redis.call('HINCRBY', KEYS[3], 'tokens', tokens)
redis.call('PEXPIRE', KEYS[3], ARGV[6])
local globalCost = redis.call('HINCRBY', KEYS[4], 'costMicros', ARGV[4])
redis.call('HINCRBY', KEYS[4], 'tokens', tokens)
redis.call('HINCRBY', KEYS[4], 'calls', 1)
redis.call('PEXPIRE', KEYS[4], ARGV[7])
return {1, sessionCost, userCost, globalCost}
