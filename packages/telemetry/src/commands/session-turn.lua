-- Records a turn's end into the per-session samples behind the session duration and cost
-- percentiles: a session's duration runs from its first turn accepted to its latest turn ended,
-- its cost adds up its turns. Sessions not seen within the retention, and the oldest beyond the
-- cap, are forgotten, so the sets stay bounded however many sessions there are.
-- KEYS: 1 first accepted (ms), 2 last seen (ms), 3 duration (ms), 4 cost (micro-dollars)
-- ARGV: 1 session id, 2 accepted at ms, 3 ended at ms, 4 cost micros, 5 retention ms, 6 cap
-- Returns the session's duration in ms.
redis.call('ZADD', KEYS[1], 'LT', ARGV[2], ARGV[1])
local first = tonumber(redis.call('ZSCORE', KEYS[1], ARGV[1]))
local ended = tonumber(ARGV[3])
local previous = tonumber(redis.call('ZSCORE', KEYS[2], ARGV[1]) or '0')
if ended > previous then redis.call('ZADD', KEYS[2], ended, ARGV[1]) end
local duration = math.max(ended, previous) - first
redis.call('ZADD', KEYS[3], duration, ARGV[1])
redis.call('ZINCRBY', KEYS[4], ARGV[4], ARGV[1])
local stale = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. (ended - tonumber(ARGV[5])), 'LIMIT', 0, 100)
local excess = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[6])
if excess > 0 then
  for _, member in ipairs(redis.call('ZRANGE', KEYS[2], 0, excess - 1)) do table.insert(stale, member) end
end
for _, member in ipairs(stale) do
  for i = 1, 4 do redis.call('ZREM', KEYS[i], member) end
end
for i = 1, 4 do redis.call('PEXPIRE', KEYS[i], ARGV[5]) end
return duration
