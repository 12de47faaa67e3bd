-- Redis's clock, so that every worker replica agrees on windows and cooldowns.
local function nowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
