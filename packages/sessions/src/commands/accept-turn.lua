-- Accepts a turn into its session: the turn record and its place in the session's inbox are
-- written together, so the order of acceptance is the order of processing (invariant 4). The
-- API's admission checks are made here too, in the same round trip: the caller's tenant owns the
-- session, the platform is not paused by a breaker, the turn backlog is within its bound.
-- KEYS: 1 session hash, 2 turn, 3 session inbox, 4 session events, 5 a breaker that refuses turns
--       while it exists, 6 the backlog list (both ignored when their ARGV is '')
-- ARGV: 1 turnId, 2 turn JSON, 3 ttl ms, 4 events channel, 5 sessionId, 6 max queued turns,
--       7 event JSON, 8 the caller's tenant ('' for any), 9 check the breaker ('1' | ''),
--       10 max backlog ('' for no bound)
-- Returns {'ok', position} | {'missing'} | {'closed'} | {'full', depth} | {'paused', ms left}
--         | {'busy', backlog}
local session = redis.call('HMGET', KEYS[1], 'status', 'tenant')
local status = session[1]
if not status then return {'missing'} end
-- Another tenant's session is "missing", never "forbidden", so session ids cannot be probed.
if ARGV[8] ~= '' and session[2] ~= ARGV[8] then return {'missing'} end
if status == 'closed' then return {'closed'} end
if ARGV[9] == '1' then
  local pausedMs = redis.call('PTTL', KEYS[5])
  if pausedMs > 0 then return {'paused', pausedMs} end
end
if ARGV[10] ~= '' then
  local backlog = redis.call('LLEN', KEYS[6])
  if backlog >= tonumber(ARGV[10]) then return {'busy', backlog} end
end
local depth = redis.call('LLEN', KEYS[3])
if depth >= tonumber(ARGV[6]) then return {'full', depth} end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
local position = redis.call('RPUSH', KEYS[3], ARGV[1])
redis.call('PEXPIRE', KEYS[3], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
emitEvents(KEYS[4], ARGV[4], ARGV[5], ARGV[3], {ARGV[7]})
return {'ok', position}
