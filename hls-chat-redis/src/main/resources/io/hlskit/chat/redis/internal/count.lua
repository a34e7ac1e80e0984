-- Sums the live instances' counts.
-- KEYS[1]: the set of instances. ARGV: the rooms.
-- Returns online, then watching per room; forgets instances whose hash expired.
local totals = {0}
for i = 1, #ARGV do totals[i + 1] = 0 end
for _, key in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local online = redis.call('HGET', key, 'online')
  if online then
    totals[1] = totals[1] + tonumber(online)
    for i = 1, #ARGV do
      local n = redis.call('HGET', key, 'r:' .. ARGV[i])
      if n then totals[i + 1] = totals[i + 1] + tonumber(n) end
    end
  else redis.call('SREM', KEYS[1], key) end
end
return totals
