-- Rewrites an instance's counts.
-- KEYS[1]: the instance's hash, KEYS[2]: the set of instances.
-- ARGV: time to live (ms), online, then field/value pairs of watching per room.
redis.call('DEL', KEYS[1])
if #ARGV > 2 then redis.call('HSET', KEYS[1], unpack(ARGV, 3)) end
redis.call('HSET', KEYS[1], 'online', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('SADD', KEYS[2], KEYS[1])
return 1
