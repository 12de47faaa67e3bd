-- Reads what a router needs before it runs a turn, in one round trip: the session's inbox head
-- (only the head may run, invariant 4), the turn record and the session hash.
-- KEYS: 1 session inbox, 2 turn, 3 session hash
-- Returns {head or false, turn JSON or false, the session's fields as HGETALL gives them}
return {
  redis.call('LINDEX', KEYS[1], 0),
  redis.call('GET', KEYS[2]),
  redis.call('HGETALL', KEYS[3]),
}
