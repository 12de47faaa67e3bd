-- A turn in one of these states needs nothing more from the platform until the user acts.
local SETTLED = { completed = true, escalated = true, failed = true, waiting_confirmation = true }

-- Shared by the scripts below: appends an event to the session's capped stream (read by SSE and
-- by `?wait=`), keeps it alive as long as the session, and wakes API processes over pub/sub.
-- The message is the session id, followed by a tab and a turn id when the events settle that
-- turn: a `?wait=` request re-reads its turn only then, not on each step of the turn.
local function emitEvents(eventsKey, channel, sessionId, ttlMs, events)
  if #events == 0 then return end
  local settled = nil
  for _, event in ipairs(events) do
    redis.call('XADD', eventsKey, 'MAXLEN', '~', '500', '*', 'event', event)
    -- Only status events are decoded: a message event may carry a long reply.
    if string.find(event, '"turn.status"', 1, true) then
      local decoded = cjson.decode(event)
      if decoded.type == 'turn.status' and SETTLED[decoded.status] then settled = decoded.turnId end
    end
  end
  redis.call('PEXPIRE', eventsKey, ttlMs)
  redis.call('PUBLISH', channel, settled and (sessionId .. '\t' .. settled) or sessionId)
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
