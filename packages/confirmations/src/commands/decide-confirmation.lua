-- A person's decision, taken once: only a pending, unexpired confirmation changes. Approving twice
-- is answered with the first decision and runs nothing again.
-- KEYS: 1 confirmation hash
-- ARGV: 1 decision (approved|declined|expired|superseded), 2 now ms, 3 decided-by
-- Returns {outcome, status}: outcome 'changed' | 'unchanged' | 'missing'
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return {'missing', ''} end
if status ~= 'pending' then return {'unchanged', status} end
local decision = ARGV[1]
if (decision == 'approved' or decision == 'declined')
    and tonumber(ARGV[2]) >= tonumber(redis.call('HGET', KEYS[1], 'expiresAtMs')) then
  decision = 'expired'
end
redis.call('HSET', KEYS[1], 'status', decision, 'decidedAtMs', ARGV[2], 'decidedBy', ARGV[3])
return {'changed', decision}
