-- Keeps this instance's chat names: renews each name key that still holds its owner's token.
-- KEYS: the name keys; ARGV[1]: time to live (ms), then the owner token of each key in order.
local renewed = 0
for i, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[i + 1] then
    redis.call('PEXPIRE', key, ARGV[1])
    renewed = renewed + 1
  elseif redis.call('SET', key, ARGV[i + 1], 'NX', 'PX', ARGV[1]) then
    renewed = renewed + 1 -- lost with a restarted Redis: taken back
  end
end
return renewed
