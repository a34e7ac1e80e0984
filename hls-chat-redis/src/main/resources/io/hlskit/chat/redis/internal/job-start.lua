-- A worker got a job's stream entry (new, or claimed from a worker that stopped answering):
-- says whether to run it, and counts the attempt. Entries not to run are acknowledged and
-- deleted here.
-- KEYS[1] the job's hash, KEYS[2] the stream
-- ARGV: worker, now (ms), most attempts, entry id, group, seconds an ended job is kept
local function drop()
  redis.call('XACK', KEYS[2], ARGV[5], ARGV[4])
  redis.call('XDEL', KEYS[2], ARGV[4])
end
local function finish(state, field, value)
  if field then
    redis.call('HSET', KEYS[1], 'state', state, 'updated', ARGV[2], field, value)
  else
    redis.call('HSET', KEYS[1], 'state', state, 'updated', ARGV[2])
  end
  redis.call('EXPIRE', KEYS[1], tonumber(ARGV[6]))
  drop()
end
if redis.call('EXISTS', KEYS[1]) == 0 then
  drop()
  return {'gone'}
end
local f = redis.call('HMGET', KEYS[1], 'state', 'attempts', 'cancel', 'worker', 'lastError',
  'entry')
if f[6] and f[6] ~= ARGV[4] then
  drop() -- an older entry of a job queued again since
  return {'stale'}
end
local state = f[1]
if state ~= 'queued' and state ~= 'running' then
  drop()
  return {'ended'}
end
if f[3] == '1' then
  finish('cancelled')
  return {'cancelled'}
end
local attempts = tonumber(f[2] or '0')
local reason = f[5]
if state == 'running' then
  reason = 'the worker ' .. (f[4] or '?') .. ' stopped answering during attempt '
    .. attempts .. ' (killed, or cut off from Redis)'
  redis.call('HSET', KEYS[1], 'lastError', reason)
end
if attempts >= tonumber(ARGV[3]) then
  finish('failed', 'error', (reason or 'it failed') .. '; gave up after ' .. attempts
    .. ' attempts')
  return {'failed'}
end
attempts = attempts + 1
redis.call('HSET', KEYS[1], 'state', 'running', 'worker', ARGV[1], 'attempts', attempts,
  'updated', ARGV[2])
return {'run', attempts}
