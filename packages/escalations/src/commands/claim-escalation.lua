-- Claims a waiting escalation for one agent, exclusively: of two agents who click at once, one
-- gets it and the other is told who has it. The same agent (same key and name) claiming again
-- gets it again, so a double click or a reloaded console is not a conflict.
-- KEYS: 1 escalation hash, 2 every tenant's waiting index, 3 the tenant's waiting index,
--       4 every tenant's claimed index, 5 the tenant's claimed index
-- ARGV: 1 agent name, 2 key id, 3 now (ISO), 4 ttl ms, 5 escalation id
-- Returns {'claimed'} | {'again'} | {'conflict', claimedBy} | {'already_resolved'} | {'missing'}
local record = redis.call('HMGET', KEYS[1], 'status', 'claimedBy', 'claimedByKey', 'createdAtMs')
if not record[1] then return {'missing'} end
if record[1] == 'resolved' then return {'already_resolved'} end
if record[1] == 'claimed' then
  if record[2] == ARGV[1] and record[3] == ARGV[2] then return {'again'} end
  return {'conflict', record[2]}
end
redis.call('HSET', KEYS[1], 'status', 'claimed', 'claimedBy', ARGV[1], 'claimedByKey', ARGV[2],
  'claimedAt', ARGV[3], 'updatedAt', ARGV[3])
redis.call('ZREM', KEYS[2], ARGV[5])
redis.call('ZREM', KEYS[3], ARGV[5])
redis.call('ZADD', KEYS[4], record[4], ARGV[5])
redis.call('ZADD', KEYS[5], record[4], ARGV[5])
refresh({KEYS[1], KEYS[4], KEYS[5]}, ARGV[4])
return {'claimed'}
