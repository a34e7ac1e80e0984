-- Gives a chat name back: deletes the key only if it still holds the owner's token.
-- KEYS[1]: the name key; ARGV[1]: the owner token.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
