-- Atomic session update for one hit, event or ping, and the rows it produces.
-- Runs inside Redis so that hits of one visitor arriving at several backend nodes at once are
-- applied one after another, and so that the session state and its rows change together: a row
-- is appended to the stream if and only if the state that produced it was stored.
--
-- KEYS[1] session key for today's visitor id, KEYS[2] the same visitor under yesterday's salt
-- (equal to KEYS[1] when unknown), KEYS[3] the ingest stream.
-- ARGV: 1 kind (page_view|event|session), 2 now ms, 3 time text, 4 new session id, 5 idle ms,
-- 6 max session ms, 7 source key (referrer+UTM, '' if none), 8 new-session template JSON,
-- 9 row JSON without its leading '{' ('' for pings), 10 interactive event (1/0), 11 path,
-- 12 title, 13 state TTL ms.
local kind = ARGV[1]
local now = tonumber(ARGV[2])
local idle = tonumber(ARGV[5])
local longest = tonumber(ARGV[6])
local source = ARGV[7]

local function live(raw)
  if not raw then return nil end
  local s = cjson.decode(raw)
  local m = s['_']
  if now - m.last_ms > idle or now - m.start_ms > longest then return nil end
  return s, raw
end

local key = KEYS[1]
local s, raw = live(redis.call('GET', KEYS[1]))
if not s and KEYS[2] ~= KEYS[1] then
  -- The daily salt rotated during this visit: keep counting the session it belongs to.
  s, raw = live(redis.call('GET', KEYS[2]))
  if s then key = KEYS[2] end
end
-- A new referrer or campaign means a new visit, as in Plausible and Pirsch.
if s and source ~= '' and source ~= s['_'].source_key then
  s, raw, key = nil, nil, KEYS[1]
end

local old = nil
if s then
  old = cjson.decode(raw)
else
  if kind == 'session' then return 0 end
  s = cjson.decode(ARGV[8])
  s.session_id = tonumber(ARGV[4])
  s.version = 0
  s.start = ARGV[3]
  s.time = ARGV[3]
  s.page_views = 0
  s.events = 0
  s['_'] = { start_ms = now, last_ms = now, last_page_ms = now, source_key = source, interactive = 0 }
end

local m = s['_']
local previous_page_seconds = 0
if kind == 'page_view' then
  if s.page_views > 0 and now > m.last_page_ms then
    previous_page_seconds = math.floor((now - m.last_page_ms) / 1000)
  end
  s.page_views = s.page_views + 1
  if now >= m.last_page_ms then
    s.exit_path = ARGV[11]
    s.exit_title = ARGV[12]
    m.last_page_ms = now
  end
elseif kind == 'event' then
  s.events = s.events + 1
  if ARGV[10] == '1' then m.interactive = 1 end
end
if now > m.last_ms then
  m.last_ms = now
  s.time = ARGV[3]
end
s.duration_seconds = math.floor((m.last_ms - m.start_ms) / 1000)
if s.page_views <= 1 and m.interactive == 0 then s.is_bounce = 1 else s.is_bounce = 0 end
s.version = s.version + 1

local function session_row(state, sign)
  local row = {}
  for k, v in pairs(state) do
    if k ~= '_' then row[k] = v end
  end
  row.sign = sign
  return cjson.encode(row)
end

if old then redis.call('XADD', KEYS[3], '*', 't', 'session', 'r', session_row(old, -1)) end
redis.call('XADD', KEYS[3], '*', 't', 'session', 'r', session_row(s, 1))
if ARGV[9] ~= '' then
  local head = '{"session_id":' .. string.format('%d', s.session_id) .. ',"visitor_id":"' .. s.visitor_id .. '"'
  if kind == 'page_view' then head = head .. ',"duration_seconds":' .. string.format('%d', previous_page_seconds) end
  redis.call('XADD', KEYS[3], '*', 't', kind, 'r', head .. ',' .. ARGV[9])
end
redis.call('SET', key, cjson.encode(s), 'PX', ARGV[13])
return 1
