-- Redis's clock, so that every API replica agrees on the rate-limit windows.
local function nowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
