-- Atomic session updates for a batch of hits, events or pings, and the stream entries they produce.
-- Runs inside Redis so that hits of one visitor arriving at several backend nodes at once are
-- applied one after another, and so that session state and entries change together: an entry is
-- appended to the stream if and only if the state that produced it was stored. A backend sends the
-- hits that arrive in the same event-loop turn as one call: the cost of a call (arguments, the Lua
-- environment, the command itself) is paid once per batch instead of once per hit.
--
-- State is a hash: `s` holds the session columns fixed at its start as a JSON fragment (no braces),
-- the other fields the counters. The entry carries the pieces of the rows, not the rows: the
-- session state before and after the hit, its fixed columns and the hit's own columns (one XADD of
-- five fields). The flusher assembles the session cancel/state pair and the page view or event row
-- from them (flusher/stream-rows.ts), so no row is built here, on the hottest path, and a cancel row
-- meeting its state row in the same flush can be left out of ClickHouse altogether.
--
-- KEYS[1] the ingest stream; then per hit i (from 0): KEYS[2 + 2i] the session key for today's
-- visitor id, KEYS[3 + 2i] the same visitor under yesterday's salt (equal when unknown).
-- ARGV[1] idle ms, ARGV[2] max session ms, ARGV[3] state TTL ms, then 5 values per hit:
-- 1 the hit: kind (page_view|event|session), now ms, time text, new session id, interactive event
-- (1/0), path and title as JSON strings, set apart by unit separators (\031, which JSON escapes in
-- strings); 2 source key (referrer and campaign, '' if none; see sourceKey in contract/ingest-context.ts);
-- 3 members shared by a new session and the row (site, dimensions); 4 members only a new session
-- has (visitor, entry page, start); 5 members only the row has ('' for pings). Members are JSON
-- without braces, '' if none. Few and long arguments: each one costs the backend more to send
-- than this script spends taking it apart.
-- Returns one value per hit: 1 applied, 0 a ping without a live session (nothing written), or the
-- error that stopped it (nothing written either).
local stream = KEYS[1]
local idle = tonumber(ARGV[1])
local longest = tonumber(ARGV[2])
local ttl = ARGV[3]
local PER_HIT = 5
local HIT = '^(.-)\031(.-)\031(.-)\031(.-)\031(.-)\031(.-)\031(.*)$'
local FIELDS = { 'sid', 'vid', 'v', 'pv', 'ev', 'xp', 'xt', 't', 'st', 'l', 'lp', 'src', 'i' }
local NUMBERS = { 'v', 'pv', 'ev', 'st', 'l', 'lp', 'i' }

local function join(a, b)
  if a == '' then return b end
  if b == '' then return a end
  return a .. ',' .. b
end

-- The fixed columns `s` are read only once the hit is known to continue the session (below).
local function load(key, now)
  local values = redis.call('HMGET', key, unpack(FIELDS))
  if not values[1] then return nil end
  local state = {}
  for n, field in ipairs(FIELDS) do state[field] = values[n] end
  for _, field in ipairs(NUMBERS) do state[field] = tonumber(state[field]) end
  if now - state.l > idle or now - state.st > longest then return nil end
  return state
end

-- A source key is `referrer RS campaign`; either half may be empty.
local function halves(key)
  local at = string.find(key, '\030', 1, true)
  if not at then return key, '' end
  return string.sub(key, 1, at - 1), string.sub(key, at + 1)
end

local function apply(today, yesterday, a)
  local kind, now_text, time, new_id, interactive, path, title = string.match(ARGV[a + 1], HIT)
  local now = tonumber(now_text)
  local source = ARGV[a + 2]
  local key = today
  local s = load(today, now)
  if not s and yesterday ~= today then
    -- The daily salt rotated during this visit: keep counting the session it belongs to.
    s = load(yesterday, now)
    if s then key = yesterday end
  end

  -- A new referrer or a new campaign means a new visit, as in Pirsch; a half the hit does not carry
  -- changes nothing. SPA navigations and server-side SDKs resend the landing page's referrer without
  -- its UTM parameters: comparing whole keys split every such visit in two, the second half
  -- attributed to the bare referrer (Organic instead of Paid Search).
  if s and source ~= '' and source ~= s.src then
    local referrer, campaign = halves(source)
    local session_referrer, session_campaign = halves(s.src)
    if (referrer ~= '' and referrer ~= session_referrer) or (campaign ~= '' and campaign ~= session_campaign) then
      s, key = nil, today
    end
  end

  local fresh = false
  local before = ''
  if s then
    before = s.pv .. ',' .. s.ev .. ',' .. s.i .. ',' .. string.format('%d', s.l) .. ',' .. s.t .. '\031' .. s.xp .. '\031' .. s.xt
  else
    if kind == 'session' then return 0 end
    fresh = true
    local session_only = ARGV[a + 4]
    s = { s = join(ARGV[a + 3], session_only), sid = new_id, vid = string.match(session_only, '"visitor_id":"(%d+)"'),
          v = 0, pv = 0, ev = 0, xp = path, xt = title, t = time, st = now, l = now, lp = now, src = source, i = 0 }
  end

  local previous_page_seconds = 0
  if kind == 'page_view' then
    if s.pv > 0 and now > s.lp then previous_page_seconds = math.floor((now - s.lp) / 1000) end
    s.pv = s.pv + 1
    if now >= s.lp then
      s.xp = path
      s.xt = title
      s.lp = now
    end
  elseif kind == 'event' then
    s.ev = s.ev + 1
    if interactive == '1' then s.i = 1 end
  end
  if now > s.l then
    s.l = now
    s.t = time
  end
  s.v = s.v + 1

  if not fresh then s.s = redis.call('HGET', key, 's') end
  -- n: kind, session id, visitor id, version, page views, events, interactive, start ms, last ms,
  -- time of the last hit, seconds on the previous page, then exit path and title (JSON strings, which
  -- cannot hold a raw unit separator \031); o: page views, events, interactive, last ms, time, exit
  -- path and title before this hit ('' for a new session, which cancels nothing).
  redis.call('XADD', stream, '*', 't', 'h', 's', s.s,
    'n', kind .. ',' .. s.sid .. ',' .. s.vid .. ',' .. s.v .. ',' .. s.pv .. ',' .. s.ev .. ',' .. s.i .. ',' ..
      string.format('%d', s.st) .. ',' .. string.format('%d', s.l) .. ',' .. s.t .. ',' .. previous_page_seconds ..
      '\031' .. s.xp .. '\031' .. s.xt,
    'o', before, 'r', ARGV[a + 5])
  if fresh then
    redis.call('HSET', key, 's', s.s, 'sid', s.sid, 'vid', s.vid, 'v', s.v, 'pv', s.pv, 'ev', s.ev, 'xp', s.xp,
      'xt', s.xt, 't', s.t, 'st', s.st, 'l', s.l, 'lp', s.lp, 'src', s.src, 'i', s.i)
  else
    -- The fixed columns, ids, start and source of a live session never change.
    redis.call('HSET', key, 'v', s.v, 'pv', s.pv, 'ev', s.ev, 'xp', s.xp, 'xt', s.xt, 't', s.t, 'l', s.l,
      'lp', s.lp, 'i', s.i)
  end
  redis.call('PEXPIRE', key, ttl)
  return 1
end

-- A hit that fails (a session key of the wrong type, say) answers with its error text and leaves
-- the others applied: the batch shares a call, not a fate. Its reads come before its first write
-- (the XADD), and the writes after that one cannot fail, so a failed hit has changed nothing.
local results = {}
for i = 0, (#KEYS - 1) / 2 - 1 do
  local ok, applied = pcall(apply, KEYS[2 + 2 * i], KEYS[3 + 2 * i], 3 + PER_HIT * i)
  if ok then
    results[i + 1] = applied
  else
    results[i + 1] = type(applied) == 'table' and (applied.err or 'error') or tostring(applied)
  end
end
return results
