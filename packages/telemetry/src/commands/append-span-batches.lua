-- Appends one batch of finished spans to each session's trace list, in one round trip for every
-- session a process finished spans of, keeping the newest batches and the session's TTL.
-- KEYS: each session's trace list
-- ARGV: 1 ttl ms, 2 batches kept per session, then one batch (deflated JSON) per key, in KEYS order
-- Returns the number of batches appended.
for i, key in ipairs(KEYS) do
  redis.call('RPUSH', key, ARGV[i + 2])
  redis.call('LTRIM', key, -tonumber(ARGV[2]), -1)
  redis.call('PEXPIRE', key, ARGV[1])
end
return #KEYS
