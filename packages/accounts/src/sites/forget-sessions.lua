-- Forgets the live sessions of one site whose visit started in a period, and records the deletion
-- so that flushers drop the stream entries written before it. One atomic call: a hit is applied
-- either before it (its session is forgotten here and its entry is older than the cutoff, so the
-- flusher drops it) or after it (it starts a new session, whose entries are newer than the cutoff).
-- The SCAN blocks Redis for the time it takes to walk the session keys, which expire 31 minutes
-- after a visitor's last hit: thousands of keys, milliseconds, on a rare owner's action.
--
-- KEYS[1] the ingest stream, KEYS[2] the deletions hash. ARGV[1] the session key prefix of the site
-- (`spur:s:<site>:`), ARGV[2] the site id, ARGV[3] / ARGV[4] the period's start and end in ms
-- ('' when unbounded). Returns the cutoff (the stream's last id; '0-0' without a stream) and the
-- forgotten sessions as `visitor_id:session_id`.
local prefix, site = ARGV[1], ARGV[2]
local from, to = tonumber(ARGV[3]), tonumber(ARGV[4])
local forgotten = {}
local cursor = '0'
repeat
  local reply = redis.call('SCAN', cursor, 'MATCH', prefix .. '*', 'COUNT', 1000)
  cursor = reply[1]
  for _, key in ipairs(reply[2]) do
    local fields = redis.call('HMGET', key, 'st', 'vid', 'sid')
    local start = tonumber(fields[1])
    if start and (not from or start >= from) and (not to or start < to) then
      redis.call('DEL', key)
      forgotten[#forgotten + 1] = tostring(fields[2]) .. ':' .. tostring(fields[3])
    end
  end
until cursor == '0'

local cutoff = '0-0'
if redis.call('EXISTS', KEYS[1]) == 1 then
  local info = redis.call('XINFO', 'STREAM', KEYS[1])
  for i = 1, #info, 2 do
    if info[i] == 'last-generated-id' then cutoff = info[i + 1] end
  end
end
redis.call('HSET', KEYS[2], site .. ':' .. ARGV[3] .. ':' .. ARGV[4] .. ':' .. cutoff,
  site .. ',' .. ARGV[3] .. ',' .. ARGV[4] .. ',' .. cutoff)
return { cutoff, forgotten }
