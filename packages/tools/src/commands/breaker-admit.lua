-- Asks a tool's breaker whether a call may reach the backend (see admitToBreaker).
-- KEYS: 1 breaker hash
-- ARGV: 1 probe lease ms
-- Returns {'closed'} | {'probe'} | {'open', retry-at ms}
return admitToBreaker(KEYS[1], tonumber(ARGV[1]))
