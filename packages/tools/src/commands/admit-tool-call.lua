-- Everything the tool worker asks Redis before calling a tool's backend, in one round trip and in
-- the order the rules apply: count the call against the session's cap, answer an idempotent
-- call from the session's cache, ask the breaker, and number the attempt.
-- KEYS: 1 set of the call ids of this session and tool, 2 cached result of these arguments,
--       3 breaker hash, 4 attempt counter of this job
-- ARGV: 1 call id, 2 max calls per session, 3 session ttl ms, 4 use the cache ('1' | '0'),
--       5 probe lease ms, 6 attempt counter ttl ms
-- Returns {'capped'} | {'cached', result JSON} | {'open', retry-at ms}
--         | {'run', attempt, 'closed' | 'probe' (the breaker's one probe while half-open)}
if countToolCall(KEYS[1], ARGV[1], tonumber(ARGV[2]), ARGV[3]) < 0 then return {'capped'} end
if ARGV[4] == '1' then
  local cached = redis.call('GET', KEYS[2])
  if cached then return {'cached', cached} end
end
local admission = admitToBreaker(KEYS[3], tonumber(ARGV[5]))
if admission[1] == 'open' then return admission end
local attempt = redis.call('INCR', KEYS[4])
redis.call('PEXPIRE', KEYS[4], ARGV[6])
return {'run', attempt, admission[1]}
