-- Asks a job to stop: a queued one is cancelled here ('dropped'; its entry is deleted when a
-- worker reads it), a running one is flagged for its worker's next heartbeat ('asked').
-- KEYS[1] the job's hash
-- ARGV: now (ms), seconds an ended job is kept
local state = redis.call('HGET', KEYS[1], 'state')
if not state then
  return 'none'
end
if state == 'queued' then
  redis.call('HSET', KEYS[1], 'state', 'cancelled', 'updated', ARGV[1])
  redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2]))
  return 'dropped'
end
if state == 'running' then
  redis.call('HSET', KEYS[1], 'cancel', '1')
  return 'asked'
end
return 'ended'
