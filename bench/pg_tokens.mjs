// Prepares bench_pg.sh on a running server (or nginx in front of several): creates an account
// with the operator CLI, an OAuth app with its API key, approves it, logs in and walks the
// consent flow COUNT times, exchanging each code. Prints one JSON line:
//   {"access_token":"…","client_id":"…","client_secret":"…","refresh_tokens":["…", …]}
// (COUNT separate grants, so each refresh token starts its own rotation chain).
// Usage: node bench/pg_tokens.mjs BASE_URL COUNT -- CLI_ARGS…
//   CLI_ARGS are passed to `countersign account create` / `app approve`, e.g.
//   --data-dir D --database postgres://… --secret-key-file K   (COUNTERSIGN_BIN names the binary)

import { randomBytes } from 'node:crypto';
import { runCli } from '../tests/node/lib/server.mjs';
import { createApp, loggedIn, obtainTokens } from '../tests/node/lib/web.mjs';

const [base, countText, dashdash, ...cliArgs] = process.argv.slice(2);
const count = Number(countText);
if (!base || !(count >= 1) || dashdash !== '--') {
  console.error('usage: node bench/pg_tokens.mjs BASE_URL COUNT -- CLI_ARGS...');
  process.exit(2);
}

const email = `bench-${randomBytes(4).toString('hex')}@example.com`;
const password = `Bench-${randomBytes(12).toString('base64url')}`;
const created = await runCli(['account', 'create', ...cliArgs, '--email', email, '--password', password]);
if (created.code !== 0) throw new Error(`account create failed: ${created.stderr}`);
const account = { ...JSON.parse(created.stdout.trim().split('\n').pop()), password };
const app = await createApp(base, account.api_key, { name: 'Benchmark app', scopes: ['account_access'] });
const approved = await runCli(['app', 'approve', ...cliArgs, app.clientId]);
if (approved.code !== 0) throw new Error(`app approve failed: ${approved.stderr}`);

const session = await loggedIn(base, account);
const refreshTokens = [];
let accessToken = '';
for (let i = 0; i < count; ++i) {
  const tokens = await obtainTokens(base, session, app);
  accessToken = tokens.access_token;
  refreshTokens.push(tokens.refresh_token);
}
console.log(JSON.stringify({ access_token: accessToken, client_id: app.clientId, client_secret: app.secret,
  refresh_tokens: refreshTokens }));
