// node-oidc-provider as the benchmark's OAuth peer (bench/bench_oauth_peer.sh,
// bench/bench_side_by_side.sh): its in-memory adapter (the default), one confidential client
// allowed the client_credentials and refresh_token grants, plaintext secret in the body
// (client_secret_post). Refresh tokens rotate on every use (rotateRefreshToken: true), like
// Countersign's. Listens on 127.0.0.1 only and prints one line,
//   oidc-provider listening on http://127.0.0.1:PORT
// Usage: node bench/oidc_peer/server.mjs PORT CLIENT_ID CLIENT_SECRET
//
// Benchmark hook, not part of oidc-provider: POST /bench/mint?count=N answers N fresh refresh
// tokens of the client (scope "api offline_access", a grant each), one per line. They are
// made with the provider's own models and stored through its adapter, exactly as the
// authorization_code grant stores the ones it issues. The in-memory adapter is an LRU of 1000
// entries, so mint right before the tokens are used: other load evicts them.
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const [portText, clientId, clientSecret] = process.argv.slice(2);
const port = Number(portText);
if (!(port > 0) || !clientId || !clientSecret) {
  console.error('usage: node server.mjs PORT CLIENT_ID CLIENT_SECRET');
  process.exit(2);
}

const issuer = `http://127.0.0.1:${port}`;
const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    grant_types: ['client_credentials', 'refresh_token'],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  features: {
    clientCredentials: { enabled: true },
    devInteractions: { enabled: false },
  },
  scopes: ['api', 'offline_access'],
  rotateRefreshToken: true,
  ttl: { ClientCredentials: 600 },
});

// One grant per token, as every Countersign refresh token of the benchmark comes from its own
// consent: the in-memory adapter walks all of a grant's tokens on every save, so one grant
// shared by all tokens would make each refresh cost O(tokens issued so far).
async function mint(count) {
  const client = await provider.Client.find(clientId);
  const tokens = [];
  for (let i = 0; i < count; ++i) {
    const grant = new provider.Grant({ accountId: 'bench-account', clientId });
    grant.addOIDCScope('api offline_access');
    const grantId = await grant.save();
    const token = new provider.RefreshToken({
      accountId: 'bench-account', client, grantId, gty: 'authorization_code', scope: 'api offline_access',
    });
    tokens.push(await token.save());
  }
  return tokens;
}

const callback = provider.callback();
const server = createServer((req, res) => {
  const u = new URL(req.url, issuer);
  if (req.method === 'POST' && u.pathname === '/bench/mint') {
    mint(Number(u.searchParams.get('count') || '1')).then((tokens) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`${tokens.join('\n')}\n`);
    }, (err) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err?.stack || err));
    });
    return;
  }
  callback(req, res);
});
server.listen(port, '127.0.0.1', () => console.log(`oidc-provider listening on ${issuer}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
