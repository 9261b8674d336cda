-- The two ends of a statistics deletion (see statistics-deletion.service.ts), each one atomic call.
--
-- 'open' records the deletion with no cutoff yet: from now on flushers drop every entry of the
-- site whose visit started in the period, so nothing of it reaches ClickHouse while its rows are
-- deleted there. Returns the stream's last id: once the stream has moved past it, no insert that
-- began before the deletion is still running.
--
-- 'close' forgets the site's live sessions that started in the period and sets the cutoff to the
-- stream's last id. A hit is applied either before (its visit is forgotten here and its entry is
-- older than the cutoff: dropped) or after (it starts a new visit, whose entries are kept). The
-- SCAN blocks Redis while it walks the site's session keys, which expire 31 minutes after a
-- visitor's last hit: thousands of keys, milliseconds, on a rare owner's action.
--
-- KEYS[1] the ingest stream, KEYS[2] the deletions hash. ARGV[1] 'open' or 'close', ARGV[2] this
-- deletion's field, ARGV[3] its value without the cutoff (`site,from,to`), ARGV[4] the session key
-- prefix of the site (`spur:s:<site>:`), ARGV[5] / ARGV[6] the period in ms ('' when unbounded),
-- ARGV[7] (open only) the time after which an open deletion counts as closed at the returned id.
local function last_id()
  if redis.call('EXISTS', KEYS[1]) == 0 then return '0-0' end
  local info = redis.call('XINFO', 'STREAM', KEYS[1])
  for i = 1, #info, 2 do
    if info[i] == 'last-generated-id' then return info[i + 1] end
  end
  return '0-0'
end

if ARGV[1] == 'open' then
  -- Another deletion of this site still open was left by a process that died before closing it
  -- (an interrupted demo seed is redone at once): it counts as closed where it began, or it would
  -- drop this site's new traffic until it expires.
  local site_prefix = string.match(ARGV[3], '^[^,]*') .. ','
  local recorded = redis.call('HGETALL', KEYS[2])
  for i = 1, #recorded, 2 do
    local value = recorded[i + 1]
    if string.sub(value, 1, #site_prefix) == site_prefix then
      local head, began = string.match(value, '^(.*),open:([^:]*):')
      if head then redis.call('HSET', KEYS[2], recorded[i], head .. ',' .. began) end
    end
  end
  local id = last_id()
  redis.call('HSET', KEYS[2], ARGV[2], ARGV[3] .. ',open:' .. id .. ':' .. ARGV[7])
  return id
end

local from, to = tonumber(ARGV[5]), tonumber(ARGV[6])
local forgotten = 0
local cursor = '0'
repeat
  local reply = redis.call('SCAN', cursor, 'MATCH', ARGV[4] .. '*', 'COUNT', 1000)
  cursor = reply[1]
  for _, key in ipairs(reply[2]) do
    local start = tonumber(redis.call('HGET', key, 'st'))
    if start and (not from or start >= from) and (not to or start < to) then
      redis.call('DEL', key)
      forgotten = forgotten + 1
    end
  end
until cursor == '0'
local cutoff = last_id()
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3] .. ',' .. cutoff)
return { cutoff, forgotten }
