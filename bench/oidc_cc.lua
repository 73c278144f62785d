-- wrk script for bench_oauth_peer.sh: node-oidc-provider's client_credentials grant,
-- POST /token with the client's id and plaintext secret in a form body.
--   wrk -s bench/oidc_cc.lua URL -- CLIENT_ID CLIENT_SECRET
function init(args)
  body = "grant_type=client_credentials&scope=api&client_id=" .. args[1] ..
         "&client_secret=" .. args[2]
end

function request()
  return wrk.format("POST", "/token",
                    {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
