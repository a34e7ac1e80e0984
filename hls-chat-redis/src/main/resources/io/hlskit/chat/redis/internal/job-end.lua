-- A worker ends its attempt at a job, if the job is still its own: done, failed or cancelled
-- for good; 'retry' (failed, attempts left) or 'release' (the worker stops; the attempt does
-- not count) queue it again under a new entry.
-- KEYS[1] the job's hash, KEYS[2] the stream
-- ARGV: worker, attempt, outcome, message, now (ms), entry id, group, seconds an ended job is
--       kept, job id
local f = redis.call('HMGET', KEYS[1], 'state', 'worker', 'attempts')
if f[1] ~= 'running' or f[2] ~= ARGV[1] or f[3] ~= ARGV[2] then
  return 'lost'
end
local outcome = ARGV[3]
if outcome == 'done' then
  redis.call('HSET', KEYS[1], 'state', 'done', 'progress', '1', 'updated', ARGV[5])
elseif outcome == 'failed' then
  redis.call('HSET', KEYS[1], 'state', 'failed', 'error', ARGV[4], 'updated', ARGV[5])
elseif outcome == 'cancelled' then
  redis.call('HSET', KEYS[1], 'state', 'cancelled', 'updated', ARGV[5])
else
  if outcome == 'release' then
    redis.call('HSET', KEYS[1], 'attempts', tonumber(f[3]) - 1)
  else
    redis.call('HSET', KEYS[1], 'lastError', ARGV[4])
  end
  local entry = redis.call('XADD', KEYS[2], '*', 'job', ARGV[9])
  redis.call('HSET', KEYS[1], 'state', 'queued', 'entry', entry, 'updated', ARGV[5])
  redis.call('HDEL', KEYS[1], 'worker')
end
redis.call('XACK', KEYS[2], ARGV[7], ARGV[6])
redis.call('XDEL', KEYS[2], ARGV[6])
if outcome == 'done' or outcome == 'failed' or outcome == 'cancelled' then
  redis.call('EXPIRE', KEYS[1], tonumber(ARGV[8]))
end
return outcome
