-- Adds to one bucket of each of several rolling counters (the counters one span feeds, in one
-- round trip) and forgets buckets older than their retention. A counter's hash holds one field per
-- bucket start (ms); it is swept only when it has grown past the number of buckets its retention
-- can hold, so the O(n) sweep runs about once per new bucket, not once per call.
-- KEYS: per counter, 1 the series' hash for this label, 2 the series' set of labels
-- ARGV: per counter, 1 bucket start ms, 2 amount, 3 retention ms, 4 label, 5 fields the retention can hold
-- Returns the number of counters added to.
for i = 0, #KEYS / 2 - 1 do
  local hash, labels = KEYS[i * 2 + 1], KEYS[i * 2 + 2]
  local bucket, amount, retention, label, maxFields =
    ARGV[i * 5 + 1], ARGV[i * 5 + 2], ARGV[i * 5 + 3], ARGV[i * 5 + 4], tonumber(ARGV[i * 5 + 5])
  redis.call('HINCRBY', hash, bucket, amount)
  redis.call('PEXPIRE', hash, retention)
  redis.call('SADD', labels, label)
  redis.call('PEXPIRE', labels, retention)
  if redis.call('HLEN', hash) > maxFields then
    local cutoff = tonumber(bucket) - tonumber(retention)
    for _, field in ipairs(redis.call('HKEYS', hash)) do
      if tonumber(field) < cutoff then redis.call('HDEL', hash, field) end
    end
  end
end
return #KEYS / 2
