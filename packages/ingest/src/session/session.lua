-- Atomic session update for one hit, event or ping, and the stream entry it produces.
-- Runs inside Redis so that hits of one visitor arriving at several backend nodes at once are
-- applied one after another, and so that the session state and its entry change together: an
-- entry is appended to the stream if and only if the state that produced it was stored.
--
-- State is a hash: `s` holds the session columns fixed at its start as a JSON fragment (no braces),
-- the other fields the counters. The entry carries the pieces of the rows, not the rows: the
-- session state before and after this hit, its fixed columns and the hit's own columns (one XADD
-- of short fields). The flusher assembles the session cancel/state pair and the page view or event
-- row from them (see flusher/hit-entry.ts), so no row is built here, on the hottest path, and a
-- cancel row meeting its state row in the same batch can be left out of ClickHouse altogether.
--
-- KEYS[1] session key for today's visitor id, KEYS[2] the same visitor under yesterday's salt
-- (equal to KEYS[1] when unknown), KEYS[3] the ingest stream.
-- ARGV: 1 kind (page_view|event|session), 2 now ms, 3 time text, 4 new session id, 5 idle ms,
-- 6 max session ms, 7 source key (referrer and campaign, '' if none; see sourceKey in
-- session-store.ts), 8 members shared by a new session and the row (site, dimensions), 9 members
-- only a new session has (visitor, entry page, start), 10 members only the row has ('' for pings),
-- 11 interactive event (1/0), 12 path as a JSON string, 13 title as a JSON string, 14 state TTL ms.
-- Members are JSON without braces, '' if none.
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

-- The fixed columns `s` are read only once the hit is known to continue the session (below).
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

local fresh = false
local before = ''
if s then
  before = s.pv .. ',' .. s.ev .. ',' .. s.i .. ',' .. string.format('%d', s.l) .. ',' .. s.t .. '\031' .. s.xp .. '\031' .. s.xt
else
  if kind == 'session' then return 0 end
  fresh = true
  local fixed = join(ARGV[8], ARGV[9])
  s = { s = fixed, sid = ARGV[4], vid = string.match(ARGV[9], '"visitor_id":"(%d+)"'), v = 0, pv = 0, ev = 0,
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

-- The fixed columns (about half a kilobyte) are read only here, where the entry needs them.
if not fresh then s.s = redis.call('HGET', key, 's') end
-- n: kind, session id, visitor id, version, page views, events, interactive, start ms, last ms,
-- time of the last hit, seconds on the previous page, then exit path and title (JSON strings, which
-- cannot hold a raw unit separator \031); o: page views, events, interactive, last ms, time, exit
-- path and title before this hit ('' for a new session, which cancels nothing).
redis.call('XADD', KEYS[3], '*', 't', 'h', 's', s.s,
  'n', kind .. ',' .. s.sid .. ',' .. s.vid .. ',' .. s.v .. ',' .. s.pv .. ',' .. s.ev .. ',' .. s.i .. ',' ..
    string.format('%d', s.st) .. ',' .. string.format('%d', s.l) .. ',' .. s.t .. ',' .. previous_page_seconds ..
    '\031' .. s.xp .. '\031' .. s.xt,
  'o', before, 'r', ARGV[10])
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
