-- Adds one model call's usage to its session's totals, exactly once per event id: a usage job
-- that BullMQ delivers twice (a stalled worker) is counted once.
-- KEYS: 1 session usage hash, 2 set of the session's counted event ids
-- ARGV: 1 event id, 2 input tokens, 3 output tokens, 4 cost micro-dollars, 5 ttl ms
-- Returns 1 when counted, 0 when the event had been counted already.
if redis.call('SADD', KEYS[2], ARGV[1]) == 0 then return 0 end
redis.call('HINCRBY', KEYS[1], 'inputTokens', ARGV[2])
redis.call('HINCRBY', KEYS[1], 'outputTokens', ARGV[3])
redis.call('HINCRBY', KEYS[1], 'costMicros', ARGV[4])
redis.call('HINCRBY', KEYS[1], 'calls', 1)
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
return 1
