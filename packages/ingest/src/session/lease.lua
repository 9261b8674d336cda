-- A sessionizer's lease on one raw partition. The holder is `consumer|fencing token`: the token
-- comes from a counter that only grows, so a holder that lost its lease and a new one never look
-- alike, and sessionize.lua, which compares the whole holder, refuses the old one's batches.
--
-- KEYS[1] the lease, KEYS[2] the partition's fencing counter. ARGV[1] the consumer, ARGV[2] the
-- lease's time to live in ms, ARGV[3] 'take' (take a free lease or renew one's own) or 'release'.
-- Returns the holder after a take (false when another consumer holds it), 1/0 after a release.
local held = redis.call('GET', KEYS[1])
local mine = held and string.sub(held, 1, #ARGV[1] + 1) == ARGV[1] .. '|'
if ARGV[3] == 'release' then
  if mine then
    redis.call('DEL', KEYS[1])
    return 1
  end
  return 0
end
if held then
  if not mine then return false end
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return held
end
local holder = ARGV[1] .. '|' .. redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], holder, 'PX', ARGV[2])
return holder
