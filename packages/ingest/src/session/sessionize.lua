-- One batch of a raw partition stream, sessionized atomically: the lease is checked, the oldest
-- entries are read, each applied to its visitor's session (session-rules.lua), the resulting entries
-- appended to the ingest stream, and the raw entries deleted, all in one script. Redis runs it whole
-- or not at all (and writes it to the AOF and to replicas as one transaction), so a sessionizer
-- killed at any point leaves each raw entry either untouched or fully applied: nothing is lost and
-- nothing counted twice, whoever takes the partition over.
--
-- KEYS[1] the ingest stream, KEYS[2] the raw partition stream, KEYS[3] its lease.
-- ARGV[1] the lease holder the caller believes it is (consumer|fencing token), ARGV[2] batch size,
-- ARGV[3] idle ms, ARGV[4] max session ms, ARGV[5] state TTL ms.
-- Returns {-1} when the lease is held by another holder (nothing done), else {applied, ignored
-- pings, failed, id and error of each failed entry...}.
local stream = KEYS[1]
local idle = tonumber(ARGV[3])
local longest = tonumber(ARGV[4])
local ttl = ARGV[5]

-- @rules

-- An entry's seven values (raw-append.lua): one field `x` joined by group separators. An entry of
-- seven fields (k, y, h, c, a, b, r), as a backend of the release before wrote them, is read as it is,
-- so raw hits waiting through a rolling release are applied either way.
local ENTRY = '^(.-)\029(.-)\029(.-)\029(.-)\029(.-)\029(.-)\029(.*)$'
local function values(list)
  local m = {}
  for j = 1, #list, 2 do m[list[j]] = list[j + 1] end
  if m.x then
    local k, y, h, c, a, b, r = string.match(m.x, ENTRY)
    return { k = k, y = y, h = h, c = c, a = a, b = b, r = r }
  end
  return m
end

-- The fencing check: a sessionizer that stalled past its lease (a long GC pause, a partition of
-- the network) finds another holder here and changes nothing.
if redis.call('GET', KEYS[3]) ~= ARGV[1] then return { -1 } end
local entries = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', ARGV[2])
if #entries == 0 then return { 0, 0, 0 } end
local applied, ignored, failed = 0, 0, 0
local ids, errors = {}, {}
for n, entry in ipairs(entries) do
  local id = entry[1]
  local m = values(entry[2])
  ids[n] = id
  local today = m.k
  local yesterday = (m.y == nil or m.y == '') and today or m.y
  local ok, result = pcall(apply, today, yesterday, m.h, m.c or '', m.a or '', m.b or '', m.r or '')
  if not ok then
    -- A hit that cannot be applied (a session key of the wrong type, a malformed entry) changed
    -- nothing; it is reported to the sessionizer, which logs it, and leaves with the batch.
    failed = failed + 1
    errors[#errors + 1] = id
    errors[#errors + 1] = type(result) == 'table' and (result.err or 'error') or tostring(result)
  elseif result == 1 then
    applied = applied + 1
  else
    ignored = ignored + 1
  end
end
redis.call('XDEL', KEYS[2], unpack(ids))
local reply = { applied, ignored, failed }
for _, value in ipairs(errors) do reply[#reply + 1] = value end
return reply
