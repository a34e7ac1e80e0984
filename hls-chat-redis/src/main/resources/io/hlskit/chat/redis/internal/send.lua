-- XADD and PUBLISH in one step.
-- KEYS[1]: the room's stream. ARGV: pub/sub channel, room, user, text, time (ms), MAXLEN.
local id = redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[6], '*',
  'user', ARGV[3], 'text', ARGV[4], 'ts', ARGV[5])
redis.call('PUBLISH', ARGV[1], cjson.encode({t='msg', room=ARGV[2], id=id,
  user=ARGV[3], text=ARGV[4], ts=ARGV[5]}))
return id
