-- Records a call's outcome. `failure_threshold` transient failures inside the window open the
-- breaker for the cooldown; a failed probe reopens it; a successful probe closes it.
-- KEYS: 1 breaker hash, 2 failure timestamps (sorted set)
-- ARGV: 1 outcome ('success' | 'failure'), 2 threshold, 3 window ms, 4 cooldown ms, 5 unique member, 6 reason
-- Returns the transition: 'opened' | 'reopened' | 'closed' | 'none'
local now = nowMs()
local state = redis.call('HGET', KEYS[1], 'state') or 'closed'
local function open(transition)
  redis.call('HSET', KEYS[1], 'state', 'open', 'openedAtMs', now, 'untilMs', now + tonumber(ARGV[4]), 'reason', ARGV[6])
  redis.call('DEL', KEYS[2])
  return transition
end
if ARGV[1] == 'success' then
  if state == 'half_open' then
    redis.call('HSET', KEYS[1], 'state', 'closed', 'closedAtMs', now)
    redis.call('DEL', KEYS[2])
    return 'closed'
  end
  return 'none'
end
if state == 'half_open' then return open('reopened') end
if state == 'open' then return 'none' end
redis.call('ZADD', KEYS[2], now, ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - tonumber(ARGV[3]))
redis.call('PEXPIRE', KEYS[2], ARGV[3])
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[2]) then return open('opened') end
return 'none'
