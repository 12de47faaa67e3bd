-- Files an escalation for the support desk, once: a queue job delivered twice (a stalled worker)
-- or a producer that retried finds the record and changes nothing, so a claimed or resolved
-- escalation is never reopened.
-- KEYS: 1 escalation hash, 2 every tenant's waiting index, 3 the tenant's waiting index
-- ARGV: 1 ttl ms, 2 index score (createdAt, ms), 3 escalation id, 4 now ms,
--       then the record's field/value pairs
-- Returns 1 when filed, 0 when it had been filed before.
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
for i = 5, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
local horizon = tonumber(ARGV[4]) - tonumber(ARGV[1])
for i = 2, 3 do
  -- A waiting escalation does not change after it is filed, so one filed a TTL ago has expired:
  -- dropping those keeps the index as bounded as the records, even if nobody ever lists it.
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', '(' .. horizon)
  redis.call('ZADD', KEYS[i], ARGV[2], ARGV[3])
end
refresh({KEYS[2], KEYS[3]}, ARGV[1])
return 1
