-- Removes from the workers' consumer group the consumers that hold no entry and have been idle
-- longer than ARGV[2] ms: workers gone without saying so (killed, or their host lost). And the
-- consumer ARGV[3] (a worker closing; '' for none) if it holds no entry. A consumer that holds
-- entries is kept whatever its age: removing it would drop them from the group for good. A live
-- worker removed here is made again by its next read.
-- KEYS[1] the jobs' stream
-- ARGV: group, idle (ms), closing consumer
local consumers = redis.pcall('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])
if type(consumers) ~= 'table' or consumers.err then
  return 0 -- no stream or no group yet: nothing to remove
end
local removed = 0
for _, c in ipairs(consumers) do
  local f = {}
  for i = 1, #c, 2 do
    f[c[i]] = c[i + 1]
  end
  if f['pending'] == 0 and (f['name'] == ARGV[3] or f['idle'] > tonumber(ARGV[2])) then
    redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], f['name'])
    removed = removed + 1
  end
end
return removed
