-- What the tool worker tells Redis after a backend call, in one round trip: the outcome for the
-- tool's breaker and, for a success of an idempotent tool, the result for the session's cache.
-- KEYS: 1 breaker hash, 2 failure timestamps (sorted set), 3 cached result of these arguments
-- ARGV: 1 outcome ('success' | 'failure'), 2 threshold, 3 window ms, 4 cooldown ms, 5 unique member,
--       6 reason, 7 result JSON to cache ('' for none), 8 cache ttl ms
-- Returns the breaker's transition: 'opened' | 'reopened' | 'closed' | 'none'
if ARGV[7] ~= '' then redis.call('SET', KEYS[3], ARGV[7], 'PX', ARGV[8]) end
return recordBreakerOutcome(KEYS[1], KEYS[2], ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]),
  tonumber(ARGV[4]), ARGV[5], ARGV[6])
