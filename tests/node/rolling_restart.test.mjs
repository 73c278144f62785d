// Rolling restart (issue 17): two instances on one PostgreSQL database behind nginx (Debian,
// started by the test on a loopback port with its own config), a steady stream of API calls
// through nginx, then instance 0 gets SIGTERM and is started again, then instance 1 the same.
// Each stop drains gracefully and exits 0; not one request through nginx fails, GET or POST.
// Needs the PostgreSQL server scripts/test.sh starts (COUNTERSIGN_TEST_PG_URL); without it the
// test is skipped, or fails under CI=true / COUNTERSIGN_TEST_REQUIRE_PG=1.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster } from './lib/cluster.mjs';
import { call } from './lib/http.mjs';

const required = process.env.CI === 'true' || process.env.COUNTERSIGN_TEST_REQUIRE_PG === '1';
const havePg = Boolean(process.env.COUNTERSIGN_TEST_PG_URL);
// It always runs on PostgreSQL: once per run is enough.
const repeat = process.env.COUNTERSIGN_TEST_DATABASE === 'postgres';
const skip = repeat ? 'already run in the SQLite pass (it always uses PostgreSQL)'
  : !havePg && !required ? 'no PostgreSQL test server (COUNTERSIGN_TEST_PG_URL)' : false;

let cluster;
before(async () => {
  if (skip) return;
  assert.ok(havePg, 'COUNTERSIGN_TEST_PG_URL is not set: run with scripts/test.sh');
  cluster = await startCluster({ instances: 2, failTimeout: '1s' });
});
after(async () => {
  if (cluster) await cluster.stop();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const upstream = (res) => (res.headers.get('x-upstream') || '').split(', ').at(-1);

test('restarting one instance, then the other, under load loses no request', { skip }, async () => {
  const account = await cluster.createAccount();
  const base = cluster.url;
  const outcomes = { ok: 0, failed: [], by: new Map() };
  let running = true;
  const loop = async () => {
    while (running) {
      try {
        const res = await call(base, 'GET', '/v3/account', { apiKey: account.api_key });
        if (res.status === 200 && res.json?.account) {
          outcomes.ok += 1;
          const who = upstream(res);
          outcomes.by.set(who, (outcomes.by.get(who) || 0) + 1);
        } else {
          outcomes.failed.push(`HTTP ${res.status} via ${res.headers.get('x-upstream')}: ${res.text.slice(0, 200)}`);
        }
      } catch (err) {
        outcomes.failed.push(`${err.message} ${err.cause?.code || ''}`);
      }
    }
  };
  // POSTs too: nginx does not retry those on another instance once they were sent, so an
  // instance that dropped a request in progress would show here as a 502.
  const postLoop = async () => {
    while (running) {
      try {
        const res = await call(base, 'POST', '/oauth/token', { json: { grant_type: 'refresh_token',
          refresh_token: 'no-such-token', client_id: 'no-such-client', client_secret: 'x' } });
        if (res.status === 400 && res.json?.error) outcomes.ok += 1;
        else outcomes.failed.push(`POST: HTTP ${res.status} via ${res.headers.get('x-upstream')}: ${res.text.slice(0, 200)}`);
      } catch (err) {
        outcomes.failed.push(`POST: ${err.message} ${err.cause?.code || ''}`);
      }
    }
  };
  const stream = [...Array.from({ length: 4 }, loop), ...Array.from({ length: 2 }, postLoop)];

  /** Resolves once nginx has sent a request to `address` again (it answers). */
  const servedBy = async (address) => {
    const deadline = Date.now() + 20_000;
    const start = outcomes.by.get(address) || 0;
    while ((outcomes.by.get(address) || 0) <= start) {
      assert.ok(Date.now() < deadline, `nginx never sent a request to ${address} again`);
      await sleep(50);
    }
  };

  await sleep(1000);
  for (const i of [0, 1]) {
    const { address } = cluster.instances[i];
    await servedBy(address); // it is taking load
    const exit = await cluster.restartInstance(i);
    assert.deepEqual(exit, { code: 0, signal: null }, `instance ${i} exit`);
    await servedBy(address); // back in rotation
  }
  await sleep(500);
  running = false;
  await Promise.all(stream);
  assert.deepEqual(outcomes.failed, [], `${outcomes.failed.length} of ${outcomes.ok + outcomes.failed.length} failed`);
  assert.ok(outcomes.ok > 100, `only ${outcomes.ok} requests`);
});
