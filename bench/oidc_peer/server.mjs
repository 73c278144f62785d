// node-oidc-provider as the benchmark's OAuth peer (bench/bench_oauth_peer.sh): its in-memory
// adapter (the default), one confidential client allowed the client_credentials grant, plaintext
// secret in the body (client_secret_post). Listens on 127.0.0.1 only and prints one line,
//   oidc-provider listening on http://127.0.0.1:PORT
// Usage: node bench/oidc_peer/server.mjs PORT CLIENT_ID CLIENT_SECRET
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
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  features: {
    clientCredentials: { enabled: true },
    devInteractions: { enabled: false },
  },
  scopes: ['api'],
  ttl: { ClientCredentials: 600 },
});

const server = createServer(provider.callback());
server.listen(port, '127.0.0.1', () => console.log(`oidc-provider listening on ${issuer}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
