-- The request path's one write: each hit of an event-loop turn appended to its visitor's raw
-- partition stream, as the fields sessionize.lua applies later (see raw-stream.ts). One script call
-- per batch: its cost (arguments, the Lua environment, the command) is paid once, not per hit.
--
-- KEYS[i] the raw partition stream of hit i; ARGV 7 values per hit: k session key today, y the
-- key under yesterday's salt ('' when the same), h the hit, c its source key, a shared, b
-- session-only and r row members (see apply in session-rules.lua).
-- Returns one value per hit: 1 appended, or the error that refused it. A script is not rolled back
-- when it fails, so each append answers for itself: hits of other requests that share the call
-- are not answered as failed (and resent, counted twice) after they were stored.
local results = {}
for i = 1, #KEYS do
  local a = (i - 1) * 7
  local ok, err = pcall(redis.call, 'XADD', KEYS[i], '*', 'k', ARGV[a + 1], 'y', ARGV[a + 2], 'h', ARGV[a + 3],
    'c', ARGV[a + 4], 'a', ARGV[a + 5], 'b', ARGV[a + 6], 'r', ARGV[a + 7])
  if ok then
    results[i] = 1
  else
    results[i] = type(err) == 'table' and (err.err or 'error') or tostring(err)
  end
end
return results
