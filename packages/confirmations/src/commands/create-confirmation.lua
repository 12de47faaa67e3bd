-- Opens a confirmation once; a router that redoes the step after a crash gets the same one back.
-- KEYS: 1 confirmation hash
-- ARGV: 1 ttl ms, then field/value pairs
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
