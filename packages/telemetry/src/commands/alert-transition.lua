-- Stores an alert's latest evaluation and says whether its state changed. With several API
-- replicas evaluating the same rules, exactly one of them sees the change, and only that one logs
-- it and posts the webhook. A firing alert keeps the time it started; a resolved alert that was
-- never firing is not stored.
-- KEYS: 1 alerts hash (id -> JSON)
-- ARGV: 1 alert id, 2 the evaluation as JSON (state 'firing' | 'resolved', startsAt, ...)
-- Returns the stored JSON when the state changed, false otherwise.
local current = redis.call('HGET', KEYS[1], ARGV[1])
local nextAlert = cjson.decode(ARGV[2])
if current then
  local previous = cjson.decode(current)
  if previous.state == nextAlert.state then
    if nextAlert.state == 'firing' then
      nextAlert.startsAt = previous.startsAt
      redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(nextAlert))
    end
    return false
  end
  if nextAlert.state == 'resolved' then nextAlert.startsAt = previous.startsAt end
elseif nextAlert.state == 'resolved' then
  return false
end
local stored = cjson.encode(nextAlert)
redis.call('HSET', KEYS[1], ARGV[1], stored)
return stored
