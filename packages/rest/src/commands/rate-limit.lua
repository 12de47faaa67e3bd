-- Sliding-window rate limit of one API key. A request is admitted when fewer than `limit` requests
-- fall in the last `window` ms, estimated from this window's count plus the previous window's count
-- weighted by the share of it the sliding window still covers: two numbers per key instead of one
-- entry per request, and no burst of twice the limit at a window's edge (a fixed window allows one).
-- KEYS: 1 the key's counter hash (fields: window, current, previous)
-- ARGV: 1 limit, 2 window ms
-- Returns {1, requests left} when admitted, {0, ms until one would be admitted} when refused.
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local now = nowMs()
local index = math.floor(now / window)
local elapsed = now - index * window
local stored = redis.call('HMGET', KEYS[1], 'window', 'current', 'previous')
local storedIndex = tonumber(stored[1]) or -2
local current = tonumber(stored[2]) or 0
local previous = tonumber(stored[3]) or 0
if storedIndex == index - 1 then
  previous = current
  current = 0
elseif storedIndex ~= index then
  previous = 0
  current = 0
end

local estimate = previous * (window - elapsed) / window + current
local admitted = estimate + 1 <= limit
if admitted then current = current + 1 end
redis.call('HSET', KEYS[1], 'window', index, 'current', current, 'previous', previous)
redis.call('PEXPIRE', KEYS[1], window * 2)
if admitted then return {1, math.floor(limit - estimate - 1)} end

local wait
if current + 1 > limit then
  -- Only the next window can admit it, once this window's count has slid far enough out.
  wait = (window - elapsed) + window * (1 - (limit - 1) / current)
else
  -- This window has room; the previous window's share has to shrink first.
  wait = (window - elapsed) - window * (limit - current - 1) / previous
end
return {0, math.max(1, math.ceil(wait))}
