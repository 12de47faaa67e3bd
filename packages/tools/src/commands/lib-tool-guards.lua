-- The tool guards as functions, so that one script can apply several of them in one round trip
-- (admit-tool-call, record-tool-call) and the single-purpose scripts stay one line each.

-- Counts one model-requested call of a tool in a session, however many attempts it takes.
-- Returns the number of calls counted so far including this one, or -1 when the cap is reached.
local function countToolCall(callsKey, callId, maxCalls, ttlMs)
  if redis.call('SISMEMBER', callsKey, callId) == 1 then return redis.call('SCARD', callsKey) end
  local used = redis.call('SCARD', callsKey)
  if used >= maxCalls then return -1 end
  redis.call('SADD', callsKey, callId)
  redis.call('PEXPIRE', callsKey, ttlMs)
  return used + 1
end

-- Asks a tool's breaker whether a call may reach the backend. Open: no (fail fast). After the
-- cooldown it turns half-open and admits exactly one probe; a probe whose worker died is replaced
-- once its lease runs out. Returns {'closed'} | {'probe'} | {'open', retry-at ms}.
local function admitToBreaker(breakerKey, probeLeaseMs)
  local state = redis.call('HGET', breakerKey, 'state')
  if not state or state == 'closed' then return {'closed'} end
  local now = nowMs()
  if state == 'open' then
    local untilMs = tonumber(redis.call('HGET', breakerKey, 'untilMs'))
    if now < untilMs then return {'open', untilMs} end
    redis.call('HSET', breakerKey, 'state', 'half_open', 'probeUntilMs', now + probeLeaseMs)
    return {'probe'}
  end
  local probeUntil = tonumber(redis.call('HGET', breakerKey, 'probeUntilMs') or '0')
  if now >= probeUntil then
    redis.call('HSET', breakerKey, 'probeUntilMs', now + probeLeaseMs)
    return {'probe'}
  end
  return {'open', probeUntil}
end

-- Records a call's outcome. `threshold` transient failures inside the window open the breaker for
-- the cooldown; a failed probe reopens it; a successful probe closes it.
-- Returns the transition: 'opened' | 'reopened' | 'closed' | 'none'.
local function recordBreakerOutcome(breakerKey, failuresKey, outcome, threshold, windowMs, cooldownMs, member, reason)
  local now = nowMs()
  local state = redis.call('HGET', breakerKey, 'state') or 'closed'
  local function open(transition)
    redis.call('HSET', breakerKey, 'state', 'open', 'openedAtMs', now, 'untilMs', now + cooldownMs, 'reason', reason)
    redis.call('DEL', failuresKey)
    return transition
  end
  if outcome == 'success' then
    if state == 'half_open' then
      redis.call('HSET', breakerKey, 'state', 'closed', 'closedAtMs', now)
      redis.call('DEL', failuresKey)
      return 'closed'
    end
    return 'none'
  end
  if state == 'half_open' then return open('reopened') end
  if state == 'open' then return 'none' end
  redis.call('ZADD', failuresKey, now, member)
  redis.call('ZREMRANGEBYSCORE', failuresKey, '-inf', now - windowMs)
  redis.call('PEXPIRE', failuresKey, windowMs)
  if redis.call('ZCARD', failuresKey) >= threshold then return open('opened') end
  return 'none'
end
