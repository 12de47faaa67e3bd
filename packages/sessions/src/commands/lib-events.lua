-- Shared by the scripts below: appends an event to the session's capped stream (read by SSE and
-- by `?wait=`), keeps it alive as long as the session, and wakes API processes over pub/sub.
local function emitEvents(eventsKey, channel, sessionId, ttlMs, events)
  if #events == 0 then return end
  for _, event in ipairs(events) do
    redis.call('XADD', eventsKey, 'MAXLEN', '~', '500', '*', 'event', event)
  end
  redis.call('PEXPIRE', eventsKey, ttlMs)
  redis.call('PUBLISH', channel, sessionId)
end

-- ARGV layout shared by the turn scripts: after `fixed` fixed arguments come a count of history
-- messages, the messages, then the events.
local function splitTail(fixed)
  local messageCount = tonumber(ARGV[fixed + 1])
  local messages, events = {}, {}
  for i = fixed + 2, fixed + 1 + messageCount do messages[#messages + 1] = ARGV[i] end
  for i = fixed + 2 + messageCount, #ARGV do events[#events + 1] = ARGV[i] end
  return messages, events
end

local function appendMessages(messagesKey, ttlMs, messages)
  for _, message in ipairs(messages) do redis.call('RPUSH', messagesKey, message) end
  if #messages > 0 then redis.call('PEXPIRE', messagesKey, ttlMs) end
end
