-- Reserves a model call's worst-case cost against every scope (session, user per day, global per
-- hour) at once, or against none: the check and the reservation are one atomic step, so however
-- many routers call at the same moment, spend passes a limit by at most one reservation
-- (invariant 3). A refused reservation opens that scope's breaker.
-- KEYS: 1 reservation hash, 2 breaker index zset, then per scope i (1-based):
--       2i+1 the scope's ledger hash, 2i+2 the scope's breaker hash
-- ARGV: 1 reservation id, 2 amount (micro-dollars), 3 reservation ttl ms, 4 now ms, 5 scope count,
--       then per scope 5 values: scope name, breaker key label, limit, ledger ttl ms, breaker ttl ms
-- Returns {'ok'} | {'open', scope} (breaker already open) | {'refused', scope, spent, limit}
local amount = tonumber(ARGV[2])
local now = tonumber(ARGV[4])
local count = tonumber(ARGV[5])

for i = 1, count do
  local ledger, breaker = KEYS[2 * i + 1], KEYS[2 * i + 2]
  local base = 5 + (i - 1) * 5
  local scope, label = ARGV[base + 1], ARGV[base + 2]
  local limit, breakerTtl = tonumber(ARGV[base + 3]), tonumber(ARGV[base + 5])
  if redis.call('EXISTS', breaker) == 1 then return {'open', scope} end
  local spent = tonumber(redis.call('HGET', ledger, 'spent') or '0')
  local reserved = tonumber(redis.call('HGET', ledger, 'reserved') or '0')
  if spent + reserved + amount > limit then
    redis.call('HSET', breaker, 'scope', scope, 'key', label, 'state', 'open', 'reason',
      'limit reached: spent ' .. spent .. ' + reserved ' .. reserved .. ' + call ' .. amount .. ' > ' .. limit .. ' micro-USD',
      'openedAtMs', now, 'untilMs', now + breakerTtl)
    redis.call('PEXPIRE', breaker, breakerTtl)
    redis.call('ZADD', KEYS[2], now + breakerTtl, breaker)
    return {'refused', scope, tostring(spent + reserved), tostring(limit)}
  end
end

local ledgers = {}
for i = 1, count do
  local ledger = KEYS[2 * i + 1]
  local ledgerTtl = tonumber(ARGV[5 + (i - 1) * 5 + 4])
  redis.call('HINCRBY', ledger, 'reserved', amount)
  redis.call('PEXPIRE', ledger, ledgerTtl)
  ledgers[#ledgers + 1] = ledger
end
redis.call('HSET', KEYS[1], 'amount', amount, 'state', 'reserved', 'ledgers', table.concat(ledgers, '\n'))
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {'ok'}
