-- Replaces a reservation by the call's real cost, exactly once: a settle that is retried (a
-- router that died after settling) changes nothing. A reservation that expired before its call
-- was settled (a very slow call) still adds the real cost, because the money was spent.
-- KEYS: 1 reservation hash, 2.. the scope ledgers in the order they were reserved
-- ARGV: 1 real cost (micro-dollars), 2 tokens used, 3 reservation ttl ms
-- Returns 1 when settled now, 0 when it had been settled before.
local state = redis.call('HGET', KEYS[1], 'state')
if state == 'settled' then return 0 end
local reserved = tonumber(redis.call('HGET', KEYS[1], 'amount') or '0')
local cost = tonumber(ARGV[1])
for i = 2, #KEYS do
  if reserved > 0 then redis.call('HINCRBY', KEYS[i], 'reserved', -reserved) end
  redis.call('HINCRBY', KEYS[i], 'spent', cost)
  if i == 2 then redis.call('HINCRBY', KEYS[i], 'tokens', ARGV[2]) end
end
redis.call('HSET', KEYS[1], 'state', 'settled', 'cost', cost)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
