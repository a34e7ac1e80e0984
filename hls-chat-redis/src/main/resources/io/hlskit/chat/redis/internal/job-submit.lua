-- Queues a job: its hash, then its entry in the stream, unless the queue is full.
-- KEYS[1] the job's hash, KEYS[2] the stream
-- ARGV: job id, channel, title, profile, original file name, visibility, quality, now (ms),
--       queue capacity
if redis.call('XLEN', KEYS[2]) >= tonumber(ARGV[9]) then
  return 'full'
end
redis.call('HSET', KEYS[1], 'channel', ARGV[2], 'title', ARGV[3], 'profile', ARGV[4],
  'filename', ARGV[5], 'visibility', ARGV[6], 'quality', ARGV[7], 'state', 'queued',
  'progress', '0', 'attempts', '0', 'created', ARGV[8], 'updated', ARGV[8])
local entry = redis.call('XADD', KEYS[2], '*', 'job', ARGV[1])
redis.call('HSET', KEYS[1], 'entry', entry)
return 'queued'
