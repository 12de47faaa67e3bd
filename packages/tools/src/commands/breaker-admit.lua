-- Asks a tool's breaker whether a call may reach the backend. Open: no (fail fast). After the
-- cooldown it turns half-open and admits exactly one probe; a probe whose worker died is replaced
-- once its lease runs out.
-- KEYS: 1 breaker hash
-- ARGV: 1 probe lease ms
-- Returns {'closed'} | {'probe'} | {'open', retry-at ms}
local state = redis.call('HGET', KEYS[1], 'state')
if not state or state == 'closed' then return {'closed'} end
local now = nowMs()
if state == 'open' then
  local untilMs = tonumber(redis.call('HGET', KEYS[1], 'untilMs'))
  if now < untilMs then return {'open', untilMs} end
  redis.call('HSET', KEYS[1], 'state', 'half_open', 'probeUntilMs', now + tonumber(ARGV[1]))
  return {'probe'}
end
local probeUntil = tonumber(redis.call('HGET', KEYS[1], 'probeUntilMs') or '0')
if now >= probeUntil then
  redis.call('HSET', KEYS[1], 'probeUntilMs', now + tonumber(ARGV[1]))
  return {'probe'}
end
return {'open', probeUntil}
