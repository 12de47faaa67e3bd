-- The tool worker's right to run a confirmed call. The call must be exactly the one the person
-- approved (tool, session and a hash of its arguments). A finished execution is replayed, never
-- redone; an unfinished one (the worker died) may run again, safe because the backend receives the
-- confirmation id as its idempotency key (invariant 2).
-- KEYS: 1 confirmation hash
-- ARGV: 1 tool, 2 session id, 3 arguments hash
-- Returns {'run'} | {'done', result JSON} | {'refused', reason}
local c = redis.call('HMGET', KEYS[1], 'status', 'tool', 'sessionId', 'argsHash', 'execution', 'result')
if not c[1] then return {'refused', 'no such confirmation'} end
if c[1] ~= 'approved' then return {'refused', 'confirmation is ' .. c[1]} end
if c[2] ~= ARGV[1] or c[3] ~= ARGV[2] or c[4] ~= ARGV[3] then
  return {'refused', 'the call differs from the one that was confirmed'}
end
if c[5] == 'done' then return {'done', c[6]} end
redis.call('HSET', KEYS[1], 'execution', 'running')
redis.call('HINCRBY', KEYS[1], 'executions', 1)
return {'run'}
