-- A running job's heartbeat: keeps its worker's claim (the entry's idle time starts again, so
-- no other worker takes it), records its progress, and passes on a cancel request.
-- KEYS[1] the job's hash, KEYS[2] the stream
-- ARGV: worker, attempt, progress (0..1), now (ms), entry id, group
local f = redis.call('HMGET', KEYS[1], 'state', 'worker', 'attempts', 'cancel', 'progress')
if f[1] ~= 'running' or f[2] ~= ARGV[1] or f[3] ~= ARGV[2] then
  return 'lost'
end
redis.call('XCLAIM', KEYS[2], ARGV[6], ARGV[1], 0, ARGV[5], 'JUSTID')
if tonumber(ARGV[3]) > tonumber(f[5] or '0') then
  redis.call('HSET', KEYS[1], 'progress', ARGV[3], 'updated', ARGV[4])
end
if f[4] == '1' then
  return 'cancel'
end
return 'ok'
