-- Atomic session update for one hit, event or ping, and the rows it produces.
-- Runs inside Redis so that hits of one visitor arriving at several backend nodes at once are
-- applied one after another, and so that the session state and its rows change together: a row
-- is appended to the stream if and only if the state that produced it was stored.
--
-- State is a hash: `s` holds the session columns fixed at its start as a JSON fragment (no braces),
-- the other fields the counters. Rows are assembled by string concatenation: no JSON is decoded
-- here, which keeps this script a few microseconds long on the hottest path.
--
-- KEYS[1] session key for today's visitor id, KEYS[2] the same visitor under yesterday's salt
-- (equal to KEYS[1] when unknown), KEYS[3] the ingest stream.
-- ARGV: 1 kind (page_view|event|session), 2 now ms, 3 time text, 4 new session id, 5 idle ms,
-- 6 max session ms, 7 source key (referrer and campaign, '' if none; see sourceKey in
-- session-store.ts), 8 members shared by a new session and the row (site, dimensions), 9 members
-- only a new session has (visitor, entry page, start), 10 members only the row has ('' for pings),
-- 11 interactive event (1/0), 12 path as a JSON string, 13 title as a JSON string, 14 state TTL ms.
-- Members are JSON without braces, '' if none: the shared ones travel once instead of twice, since
-- they are most of the bytes of a hit.
local kind = ARGV[1]
local now = tonumber(ARGV[2])
local idle = tonumber(ARGV[5])
local longest = tonumber(ARGV[6])
local source = ARGV[7]
local FIELDS = { 'sid', 'vid', 'v', 'pv', 'ev', 'xp', 'xt', 't', 'st', 'l', 'lp', 'src', 'i' }

local function join(a, b)
  if a == '' then return b end
  if b == '' then return a end
  return a .. ',' .. b
end

-- The fixed columns `s` (about a kilobyte) are read only when a session row is written.
local function load(key)
  local values = redis.call('HMGET', key, unpack(FIELDS))
  if not values[1] then return nil end
  local state = {}
  for n, field in ipairs(FIELDS) do state[field] = values[n] end
  for _, field in ipairs({ 'v', 'pv', 'ev', 'st', 'l', 'lp', 'i' }) do state[field] = tonumber(state[field]) end
  if now - state.l > idle or now - state.st > longest then return nil end
  return state
end

local key = KEYS[1]
local s = load(KEYS[1])
if not s and KEYS[2] ~= KEYS[1] then
  -- The daily salt rotated during this visit: keep counting the session it belongs to.
  s = load(KEYS[2])
  if s then key = KEYS[2] end
end
-- A source key is `referrer RS campaign`; either half may be empty.
local function halves(key)
  local at = string.find(key, '\030', 1, true)
  if not at then return key, '' end
  return string.sub(key, 1, at - 1), string.sub(key, at + 1)
end

-- A new referrer or a new campaign means a new visit, as in Pirsch; a half the hit does not carry
-- changes nothing. SPA navigations and server-side SDKs resend the landing page's referrer without
-- its UTM parameters: comparing whole keys split every such visit in two, the second half
-- attributed to the bare referrer (Organic instead of Paid Search).
if s and source ~= '' and source ~= s.src then
  local referrer, campaign = halves(source)
  local session_referrer, session_campaign = halves(s.src)
  if (referrer ~= '' and referrer ~= session_referrer) or (campaign ~= '' and campaign ~= session_campaign) then
    s, key = nil, KEYS[1]
  end
end

local function bounce(state)
  -- One page view and nothing interactive; a visit of events only viewed no page, so it cannot bounce off one.
  if state.pv == 1 and state.i == 0 then return 1 end
  return 0
end

local function session_row(state, sign)
  return '{' .. state.s .. ',"session_id":' .. state.sid .. ',"version":' .. string.format('%d', state.v) ..
    ',"page_views":' .. string.format('%d', state.pv) .. ',"events":' .. string.format('%d', state.ev) ..
    ',"exit_path":' .. state.xp .. ',"exit_title":' .. state.xt .. ',"time":"' .. state.t ..
    '","duration_seconds":' .. string.format('%d', math.floor((state.l - state.st) / 1000)) ..
    ',"is_bounce":' .. bounce(state) .. ',"sign":' .. sign .. '}'
end

local fresh = false
if s then
  s.s = redis.call('HGET', key, 's')
  redis.call('XADD', KEYS[3], '*', 't', 'session', 'r', session_row(s, -1))
else
  if kind == 'session' then return 0 end
  fresh = true
  local fixed = join(ARGV[8], ARGV[9])
  s = { s = fixed, sid = ARGV[4], vid = string.match(fixed, '"visitor_id":"(%d+)"'), v = 0, pv = 0, ev = 0,
        xp = ARGV[12], xt = ARGV[13], t = ARGV[3], st = now, l = now, lp = now, src = source, i = 0 }
end

local previous_page_seconds = 0
if kind == 'page_view' then
  if s.pv > 0 and now > s.lp then previous_page_seconds = math.floor((now - s.lp) / 1000) end
  s.pv = s.pv + 1
  if now >= s.lp then
    s.xp = ARGV[12]
    s.xt = ARGV[13]
    s.lp = now
  end
elseif kind == 'event' then
  s.ev = s.ev + 1
  if ARGV[11] == '1' then s.i = 1 end
end
if now > s.l then
  s.l = now
  s.t = ARGV[3]
end
s.v = s.v + 1

redis.call('XADD', KEYS[3], '*', 't', 'session', 'r', session_row(s, 1))
if ARGV[10] ~= '' then
  local head = '{"session_id":' .. s.sid .. ',"visitor_id":"' .. s.vid .. '"'
  if kind == 'page_view' then head = head .. ',"duration_seconds":' .. string.format('%d', previous_page_seconds) end
  -- A page view or event is attributed to its visit: the shared members the session started with
  -- (site, referrer, channel, UTM, hostname, device, location), not the hit's own. A second page
  -- reached by an internal link has no referrer of its own and would count as Direct, so filtering
  -- the pages of visits from Google would show only their landing pages. The session-only members
  -- start at the first `,"visitor_id":`, which cannot occur inside a JSON string (quotes are escaped).
  local shared = ARGV[8]
  if not fresh then
    local at = string.find(s.s, ',"visitor_id":', 1, true)
    if at then shared = string.sub(s.s, 1, at - 1) end
  end
  redis.call('XADD', KEYS[3], '*', 't', kind, 'r', head .. ',' .. join(shared, ARGV[10]) .. '}')
end
if fresh then
  redis.call('HSET', key, 's', s.s, 'sid', s.sid, 'vid', s.vid, 'v', s.v, 'pv', s.pv, 'ev', s.ev, 'xp', s.xp,
    'xt', s.xt, 't', s.t, 'st', s.st, 'l', s.l, 'lp', s.lp, 'src', s.src, 'i', s.i)
else
  -- The fixed columns, ids, start and source of a live session never change.
  redis.call('HSET', key, 'v', s.v, 'pv', s.pv, 'ev', s.ev, 'xp', s.xp, 'xt', s.xt, 't', s.t, 'l', s.l,
    'lp', s.lp, 'i', s.i)
end
redis.call('PEXPIRE', key, ARGV[14])
return 1
