// Prepares the benchmark: on a running server, creates an account (operator CLI), an OAuth app
// (POST /v3/api_app with the account's API key), approves it (CLI), walks the consent flow with
// the login and consent forms and exchanges the code. Prints one JSON line:
//   {"access_token":"…","api_key":"…","email":"…"}
// Usage: node bench/get_token.mjs BASE_URL DATA_DIR   (COUNTERSIGN_BIN names the binary)

import { randomBytes } from 'node:crypto';
import { runCli } from '../tests/node/lib/server.mjs';
import { createApp, loggedIn, obtainTokens } from '../tests/node/lib/web.mjs';

const [base, dataDir] = process.argv.slice(2);
if (!base || !dataDir) {
  console.error('usage: node bench/get_token.mjs BASE_URL DATA_DIR');
  process.exit(2);
}

const email = `bench-${randomBytes(4).toString('hex')}@example.com`;
const password = `Bench-${randomBytes(12).toString('base64url')}`;
const created = await runCli(['account', 'create', '--data-dir', dataDir, '--email', email, '--password', password]);
if (created.code !== 0) throw new Error(`account create failed: ${created.stderr}`);
const account = { ...JSON.parse(created.stdout.trim().split('\n').pop()), password };

const app = await createApp(base, account.api_key, { name: 'Benchmark app', scopes: ['account_access'] });
const approved = await runCli(['app', 'approve', '--data-dir', dataDir, app.clientId]);
if (approved.code !== 0) throw new Error(`app approve failed: ${approved.stderr}`);

const session = await loggedIn(base, account);
const tokens = await obtainTokens(base, session, app);
console.log(JSON.stringify({ access_token: tokens.access_token, api_key: account.api_key, email }));
