-- Shared by the desk's scripts that act on a claimed escalation (reply, resolve).

-- Who may act: the key and agent that hold the claim, or ops (`override`), and only once the
-- escalation is claimed, so every word a user gets from the desk has one named agent behind it.
-- Returns nil when the actor may go on, else the refusal.
local function refuseActor(escalationKey, keyId, agentName, override)
  local record = redis.call('HMGET', escalationKey, 'status', 'claimedByKey', 'claimedBy')
  if not record[1] then return 'missing' end
  if record[1] == 'resolved' then return 'already_resolved' end
  if record[1] ~= 'claimed' then return 'not_claimed' end
  if override == '1' then return nil end
  if record[2] ~= keyId then return 'claimed_by_other' end
  if agentName ~= '' and record[3] ~= agentName then return 'claimed_by_other' end
  return nil
end

-- Every key that holds an escalation lives as long as the escalation: each change refreshes the
-- record and the indexes it is in, so none outlives its records for more than one TTL.
local function refresh(keys, ttlMs)
  for _, key in ipairs(keys) do redis.call('PEXPIRE', key, ttlMs) end
end
