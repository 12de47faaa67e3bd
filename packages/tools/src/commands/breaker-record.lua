-- Records a call's outcome in its tool's breaker (see recordBreakerOutcome).
-- KEYS: 1 breaker hash, 2 failure timestamps (sorted set)
-- ARGV: 1 outcome ('success' | 'failure'), 2 threshold, 3 window ms, 4 cooldown ms, 5 unique member, 6 reason
-- Returns the transition: 'opened' | 'reopened' | 'closed' | 'none'
return recordBreakerOutcome(KEYS[1], KEYS[2], ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]),
  tonumber(ARGV[4]), ARGV[5], ARGV[6])
