-- wrk script for the refresh benchmarks (bench_pg.sh, bench_oauth_peer.sh,
-- bench_side_by_side.sh, ...): POST /oauth/token?refresh (JSON), each request with a live
-- refresh token. Refresh tokens rotate, so every response's new refresh_token goes back into
-- the thread's pool for a later request; the pool starts with this thread's share of the
-- tokens in the file (one per line).
--   wrk -s bench/refresh.lua URL -- CLIENT_ID CLIENT_SECRET TOKENS_FILE THREADS [oidc-provider]
-- With the fifth argument "oidc-provider" the same grant goes to node-oidc-provider instead
-- (bench/oidc_peer): POST /token, form-encoded, client_secret_post.
local next_id = 1
function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

function init(args)
  client_id, client_secret = args[1], args[2]
  local threads = tonumber(args[4])
  oidc = args[5] == "oidc-provider"
  pool = {}
  local i = 0
  for line in io.lines(args[3]) do
    if i % threads == id - 1 then table.insert(pool, line) end
    i = i + 1
  end
end

function request()
  -- An empty pool means a refresh failed: the server then answers 400 and wrk reports it.
  local token = table.remove(pool, 1) or "exhausted"
  if oidc then
    return wrk.format("POST", "/token", {["Content-Type"] = "application/x-www-form-urlencoded"},
                      "grant_type=refresh_token&refresh_token=" .. token .. "&client_id=" ..
                      client_id .. "&client_secret=" .. client_secret)
  end
  local body = '{"grant_type":"refresh_token","refresh_token":"' .. token ..
               '","client_id":"' .. client_id .. '","client_secret":"' .. client_secret .. '"}'
  return wrk.format("POST", "/oauth/token?refresh", {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  local token = body:match('"refresh_token":"([^"]+)"')
  if token then table.insert(pool, token) end
end
