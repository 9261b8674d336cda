-- Atomic session updates for a batch of hits handed over directly (the demo traffic, the seeders
-- and test fixtures: live traffic goes through the raw partition streams and sessionize.lua). The
-- session state and the ingest stream change together: an entry is appended to the stream if and
-- only if the state that produced it was stored. The rules are session-rules.lua's.
--
-- KEYS[1] the ingest stream; then per hit i (from 0): KEYS[2 + 2i] the session key for today's
-- visitor id, KEYS[3 + 2i] the same visitor under yesterday's salt (equal when unknown).
-- ARGV[1] idle ms, ARGV[2] max session ms, ARGV[3] state TTL ms, then 5 values per hit: the hit,
-- its source key, shared, session-only and row members (see apply in session-rules.lua).
-- Returns one value per hit: 1 applied, 0 a ping without a live session (nothing written), or the
-- error that stopped it (nothing written either).
local stream = KEYS[1]
local idle = tonumber(ARGV[1])
local longest = tonumber(ARGV[2])
local ttl = ARGV[3]
local PER_HIT = 5

-- @rules

-- A hit that fails (a session key of the wrong type, say) answers with its error text and leaves
-- the others applied: the batch shares a call, not a fate.
local results = {}
for i = 0, (#KEYS - 1) / 2 - 1 do
  local a = 3 + PER_HIT * i
  local ok, applied = pcall(apply, KEYS[2 + 2 * i], KEYS[3 + 2 * i], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3],
    ARGV[a + 4], ARGV[a + 5])
  if ok then
    results[i + 1] = applied
  else
    results[i + 1] = type(applied) == 'table' and (applied.err or 'error') or tostring(applied)
  end
end
return results
