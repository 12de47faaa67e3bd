-- Adds to one bucket of a rolling counter and forgets buckets older than the retention. The hash
-- holds one field per bucket start (ms); it is trimmed only when it has grown past the number of
-- buckets the retention can hold, so the O(n) sweep runs about once per new bucket, not per call.
-- KEYS: 1 the series' hash for this label, 2 the series' set of labels
-- ARGV: 1 bucket start ms, 2 amount, 3 retention ms, 4 label, 5 fields the retention can hold
-- Returns the bucket's new value.
local value = redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('SADD', KEYS[2], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
if redis.call('HLEN', KEYS[1]) > tonumber(ARGV[5]) then
  local cutoff = tonumber(ARGV[1]) - tonumber(ARGV[3])
  for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
    if tonumber(field) < cutoff then redis.call('HDEL', KEYS[1], field) end
  end
end
return value
