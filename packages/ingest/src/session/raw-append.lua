-- The request path's one write: each hit of an event-loop turn appended to its visitor's raw
-- partition stream, as one field `x` holding what sessionize.lua applies later (see raw-stream.ts).
-- One script call per batch: its cost (arguments, the Lua environment, the command) is paid once,
-- not per hit; one field per hit (not seven) is what Redis parses, stores and replicates per hit.
--
-- KEYS[i] the raw partition stream of hit i; ARGV[i] its entry: k session key today, y the key
-- under yesterday's salt ('' when the same), h the hit, c its source key, a shared, b session-only
-- and r row members (see apply in session-rules.lua), joined by group separators (\029), which
-- none of them holds (JSON escapes control characters; keys and the hit are built without them).
-- Returns one value per hit: 1 appended, or the error that refused it. A script is not rolled back
-- when it fails, so each append answers for itself: hits of other requests that share the call
-- are not answered as failed (and resent, counted twice) after they were stored.
local results = {}
for i = 1, #KEYS do
  local ok, err = pcall(redis.call, 'XADD', KEYS[i], '*', 'x', ARGV[i])
  if ok then
    results[i] = 1
  else
    results[i] = type(err) == 'table' and (err.err or 'error') or tostring(err)
  end
end
return results
