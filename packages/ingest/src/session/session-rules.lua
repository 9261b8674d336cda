-- The session rules, shared by the two scripts that apply them (session.lua, hits handed over
-- directly, and sessionize.lua, a batch of a raw partition stream): each script declares `stream`
-- (the ingest stream), `idle`, `longest` (ms) and `ttl` (ms, of the state) before this text, which
-- the loader puts in place of its `-- @rules` line (session/scripts.ts).
--
-- State is a hash: `s` holds the session columns fixed at its start as a JSON fragment (no braces),
-- the other fields the counters (FIELDS), and the paths the visit viewed (below). The entry carries
-- the pieces of the rows, not the rows: the session state before and after the hit, its fixed
-- columns and the hit's own columns (one XADD of five fields, six for a page view). The flusher
-- assembles the session cancel/state pair and the page view or event row from them
-- (flusher/stream-rows.ts), so no row is built here and a cancel row meeting its state row in the
-- same flush can be left out of ClickHouse altogether.
--
-- The paths of a visit give each page view its first_in_visit flag (entry field `f`): 1 the first
-- view of its path in its visit, in the order hits are applied here; 0 a later one; 2 not known.
-- Statistics count the ones as the visits that viewed a path, so a 0 or 1 must be exact and
-- anything uncertain is 2. A path the visit viewed is a field named by its JSON string (which starts
-- with a quote, unlike every other field), or for one longer than 64 bytes `p` .. the first 16 hex
-- digits of the SHA-1 of that string (the digest cost a seventh of a sessionized hit when taken of
-- every path), `pn` counts them (at most PATHS)
-- and `pt` holds the session id they belong to. A visit is tracked only while `pt` equals its `sid`:
-- a visit live before this release has no `pt`, and one started by the release before (whose fresh
-- HSET overwrites the listed fields without the DEL) keeps the `pt` of the ended visit it replaced,
-- so both flag 2. Also 2: a hit timed before its visit's start (a /batch item carries its own time),
-- and a new path once the visit holds PATHS of them (a known path is still 0).
--
-- apply(today, yesterday, hit, source, shared, session_only, row): `today` the session key for
-- today's visitor id, `yesterday` the same visitor under yesterday's salt (equal when unknown);
-- `hit` its kind (page_view|event|session), now ms, time text, new session id, interactive event
-- (1/0), path and title as JSON strings, set apart by unit separators (\031, which JSON escapes in
-- strings); `source` the source key (referrer and campaign, '' if none; see sourceKey in
-- contract/ingest-context.ts); `shared` members shared by a new session and the row (site,
-- dimensions); `session_only` members only a new session has (visitor, entry page, start); `row`
-- members only the row has ('' for pings). Members are JSON without braces, '' if none.
-- Returns 1 applied, 0 a ping without a live session (nothing written), or raises an error before
-- its first write (the XADD; the writes after it cannot fail), so a failed hit has changed nothing.
local HIT = '^(.-)\031(.-)\031(.-)\031(.-)\031(.-)\031(.-)\031(.*)$'
local FIELDS = { 'sid', 'vid', 'v', 'pv', 'ev', 'xp', 'xt', 't', 'st', 'l', 'lp', 'src', 'i', 'pt', 'pn' }
local NUMBERS = { 'v', 'pv', 'ev', 'st', 'l', 'lp', 'i', 'pn' }
-- Distinct paths recorded per visit: a path costs ~90 bytes of state (measured with MEMORY USAGE),
-- so a crawler's visit walking a whole site stays under ~50 KB.
local PATHS = 500

local function join(a, b)
  if a == '' then return b end
  if b == '' then return a end
  return a .. ',' .. b
end

-- The fixed columns `s` are read only once the hit is known to continue the session (below). A page
-- view's path field `seen` is read with the counters: `viewed` tells whether the visit has it.
local function load(key, now, seen)
  local fields = FIELDS
  if seen then
    fields = { unpack(FIELDS) }
    fields[#fields + 1] = seen
  end
  local values = redis.call('HMGET', key, unpack(fields))
  if not values[1] then return nil end
  local state = {}
  for n, field in ipairs(FIELDS) do state[field] = values[n] end
  for _, field in ipairs(NUMBERS) do state[field] = tonumber(state[field]) end
  state.viewed = seen ~= nil and values[#fields] ~= false
  if now - state.l > idle or now - state.st > longest then return nil end
  return state
end

-- A source key is `referrer RS campaign`; either half may be empty.
local function halves(key)
  local at = string.find(key, '\030', 1, true)
  if not at then return key, '' end
  return string.sub(key, 1, at - 1), string.sub(key, at + 1)
end

local function apply(today, yesterday, hit, source, shared, session_only, row)
  local kind, now_text, time, new_id, interactive, path, title = string.match(hit, HIT)
  local now = tonumber(now_text)
  -- The path's field (see the header): its JSON text is unique per path.
  local seen = nil
  if kind == 'page_view' then
    if #path <= 64 then seen = path else seen = 'p' .. string.sub(redis.sha1hex(path), 1, 16) end
  end
  local key = today
  local s = load(today, now, seen)
  if not s and yesterday ~= today then
    -- The daily salt rotated during this visit: keep counting the session it belongs to (and its paths).
    s = load(yesterday, now, seen)
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
    s = { s = join(shared, session_only), sid = new_id, vid = string.match(session_only, '"visitor_id":"(%d+)"'),
          v = 0, pv = 0, ev = 0, xp = path, xt = title, t = time, st = now, l = now, lp = now, src = source, i = 0,
          pt = new_id, pn = 0 }
  end

  -- The page view's first_in_visit flag (see the header); `record` is set when its path is new.
  local first, record = nil, false
  if kind == 'page_view' then
    if s.pt ~= s.sid or not s.pn or now < s.st then
      first = '2'
    elseif s.viewed then
      first = '0'
    elseif s.pn >= PATHS then
      first = '2'
    else
      first, record = '1', true
      s.pn = s.pn + 1
    end
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
  -- path and title before this hit ('' for a new session, which cancels nothing); f (page views only,
  -- a field of its own so a flusher of the release before, which ignores it, still reads n and o):
  -- first_in_visit, '1', '0' or '2'.
  local n = kind .. ',' .. s.sid .. ',' .. s.vid .. ',' .. s.v .. ',' .. s.pv .. ',' .. s.ev .. ',' .. s.i .. ',' ..
    string.format('%d', s.st) .. ',' .. string.format('%d', s.l) .. ',' .. s.t .. ',' .. previous_page_seconds ..
    '\031' .. s.xp .. '\031' .. s.xt
  if first then
    redis.call('XADD', stream, '*', 't', 'h', 's', s.s, 'n', n, 'o', before, 'r', row, 'f', first)
  else
    redis.call('XADD', stream, '*', 't', 'h', 's', s.s, 'n', n, 'o', before, 'r', row)
  end
  local writes
  if fresh then
    -- Whatever an ended visit left under this key (its paths above all) goes with it.
    redis.call('DEL', key)
    writes = { 's', s.s, 'sid', s.sid, 'vid', s.vid, 'v', s.v, 'pv', s.pv, 'ev', s.ev, 'xp', s.xp, 'xt', s.xt,
      't', s.t, 'st', s.st, 'l', s.l, 'lp', s.lp, 'src', s.src, 'i', s.i, 'pt', s.pt, 'pn', s.pn }
  else
    -- The fixed columns, ids, start and source of a live session never change.
    writes = { 'v', s.v, 'pv', s.pv, 'ev', s.ev, 'xp', s.xp, 'xt', s.xt, 't', s.t, 'l', s.l, 'lp', s.lp, 'i', s.i }
    if record then
      writes[#writes + 1] = 'pn'
      writes[#writes + 1] = s.pn
    end
  end
  if record then
    writes[#writes + 1] = seen
    writes[#writes + 1] = 1
  end
  redis.call('HSET', key, unpack(writes))
  redis.call('PEXPIRE', key, ttl)
  return 1
end

