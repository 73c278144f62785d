// Crash durability of refresh-token rotation (POST /oauth/token?refresh) under concurrent load:
// many clients, each rotating its own refresh token chain as fast as the server answers, while
// the server is SIGKILLed at a random moment; then a restart on the same data folder.
// Every rotation answered 200 before the kill must have survived: its new refresh token is in
// the database unspent (unless the client's next rotation was in flight and committed without an
// answer) and works exactly once; every refresh token it replaced is spent and never works
// again. On SQLite this covers the group commit: concurrent rotations share one COMMIT, and each
// answer must wait for its own batch's COMMIT.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startServer, stopCrashedPair } from './lib/server.mjs';
import { describe as describeRes } from './lib/http.mjs';
import { queryRows } from './lib/db_query.mjs';
import { createApp, loggedIn, obtainTokens, refresh } from './lib/web.mjs';

const CLIENTS = 24;

// The key a token is stored under (src/service/oauth_token_keys.h): its 16 order digits, then
// the SHA-256 of the whole token.
const tokenKey = (token) => {
  assert.match(token, /^[0-9a-f]{80}$/, 'a token is 80 hex digits');
  return token.slice(0, 16) + createHash('sha256').update(token).digest('hex');
};

let first; // the server that gets killed
let second; // the restarted one, same data dir

before(async () => {
  first = await startServer();
});

after(() => stopCrashedPair(first, second));

test('SIGKILL under concurrent refresh rotation loses no acknowledged rotation and no refresh token works twice', async (t) => {
  const account = await first.createAccount();
  const app = await createApp(first.url, account.api_key, { scopes: ['account_access'] });
  await first.approveApp(app.clientId);
  const session = await loggedIn(first.url, account);
  // One grant per client: chain.tokens[i + 1] replaced chain.tokens[i].
  const chains = [];
  for (let i = 0; i < CLIENTS; ++i) {
    const tokens = await obtainTokens(first.url, session, app);
    chains.push({ i, tokens: [tokens.refresh_token], inflight: false });
  }
  const last = (chain) => chain.tokens[chain.tokens.length - 1];

  const killAfterAcks = 150 + Math.floor(Math.random() * 350); // 150..499
  const jitterMs = Math.floor(Math.random() * 20);
  t.diagnostic(`${CLIENTS} clients; kill after ${killAfterAcks} acknowledged rotations + ${jitterMs} ms`);
  let acked = 0;
  let killed = false;
  let killPromise = null;
  const kill = () => {
    if (killPromise) return killPromise;
    killPromise = new Promise((resolve) => {
      setTimeout(() => {
        const exited = new Promise((r) => first.proc.once('exit', r));
        killed = true;
        first.proc.kill('SIGKILL');
        exited.then(resolve);
      }, jitterMs);
    });
    return killPromise;
  };

  const unexpected = [];
  async function client(chain) {
    while (!killed) {
      chain.inflight = true;
      let res;
      try {
        res = await refresh(first.url, app, last(chain));
      } catch (e) {
        if (!killed) unexpected.push(`client ${chain.i}: ${e.message}`);
        return; // no answer: the rotation may or may not have committed
      }
      if (res.status !== 200) {
        if (!killed) unexpected.push(`client ${chain.i}: ${describeRes(res)}`);
        return;
      }
      chain.inflight = false;
      chain.tokens.push(res.json.refresh_token);
      acked += 1;
      if (acked >= killAfterAcks) kill();
    }
  }
  const deadline = setTimeout(() => kill(), 60_000); // bounded even on a very slow machine
  await Promise.all(chains.map(client));
  clearTimeout(deadline);
  await kill();
  assert.deepEqual(unexpected, [], 'no rotation failed before the kill');
  const inflight = chains.filter((c) => c.inflight).length;
  t.diagnostic(`acknowledged ${acked} rotations; ${inflight} in flight at the kill`);
  assert.ok(acked > 0, "some rotations were acknowledged before the kill");

  second = await startServer({ dataDir: first.dataDir });
  const base = second.url;

  // 1. The database, before any request changes it: every acknowledged rotation is there.
  const rows = await queryRows(second.dataDir, 'SELECT token_hash, spent_at FROM oauth_tokens WHERE kind = 2;');
  const spentAt = new Map(rows.map((line) => line.split('|')).map(([hash, spent]) => [hash, Number(spent)]));
  for (const chain of chains) {
    chain.tokens.forEach((token, k) => {
      const hash = tokenKey(token);
      assert.ok(spentAt.has(hash), `client ${chain.i}: refresh token #${k} of ${chain.tokens.length} is in the database`);
      if (k < chain.tokens.length - 1) {
        assert.notEqual(spentAt.get(hash), 0, `client ${chain.i}: refresh token #${k} is spent`);
      }
    });
    chain.spentInFlight = spentAt.get(tokenKey(last(chain))) !== 0;
    assert.ok(!chain.spentInFlight || chain.inflight,
      `client ${chain.i}: the newest acknowledged refresh token is unspent (no request was in flight)`);
  }
  t.diagnostic(`${chains.filter((c) => c.spentInFlight).length} rotation(s) committed without an answer`);

  // 2. Over HTTP. Even clients: the newest acknowledged token works exactly once (unless a
  // rotation of it committed unanswered: then it fails), and no older one works. Odd clients:
  // the token the last acknowledged rotation replaced fails first (its reuse revokes the grant).
  for (const chain of chains) {
    const newest = last(chain);
    if (chain.i % 2 === 0) {
      const once = await refresh(base, app, newest);
      if (chain.spentInFlight) {
        assert.notEqual(once.status, 200, `client ${chain.i}: a token spent by an unanswered rotation works`);
      } else {
        assert.equal(once.status, 200, `client ${chain.i}: newest acknowledged token: ${describeRes(once)}`);
        const twice = await refresh(base, app, newest);
        assert.notEqual(twice.status, 200, `client ${chain.i}: the newest token worked twice`);
      }
    } else if (chain.tokens.length >= 2) {
      const replaced = chain.tokens[chain.tokens.length - 2];
      const again = await refresh(base, app, replaced);
      assert.notEqual(again.status, 200, `client ${chain.i}: a replaced refresh token worked again`);
    }
    for (const old of chain.tokens.slice(0, -1)) {
      const res = await refresh(base, app, old);
      assert.notEqual(res.status, 200, `client ${chain.i}: a spent refresh token worked again`);
    }
  }

  // 3. The restarted server rotates new grants.
  const fresh = await obtainTokens(base, await loggedIn(base, account), app);
  assert.equal((await refresh(base, app, fresh.refresh_token)).status, 200);
});
