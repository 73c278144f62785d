// The operator endpoints (issue 17): GET /healthz and /readyz, unauthenticated and without
// session rows; GET /metrics in the Prometheus text format, 404 unless enabled, Bearer token when
// one is set, and counters that move with real requests (scrape before and after). On
// PostgreSQL (COUNTERSIGN_TEST_DATABASE=postgres) readiness also follows the database: connections
// to the server's own database are refused and cut, /readyz answers 503 naming "database" while
// /healthz stays 200, and 200 again once the database accepts connections.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { startServer } from './lib/server.mjs';
import { call, expectJson } from './lib/http.mjs';
import { WebSession, findForm } from './lib/web.mjs';
import { queryRows } from './lib/db_query.mjs';
import { usePostgres, recordedDatabase, withDatabase } from './lib/pg_database.mjs';

const TOKEN = 'metrics-test-token-0123456789';
let server; // metrics on, with a token
let plain; // metrics off (the default)

before(async () => {
  server = await startServer({ extraArgs: ['--metrics-token', TOKEN] });
  plain = await startServer();
});
after(async () => {
  await server?.stop();
  await plain?.stop();
});

async function scrape(base = server.url) {
  const res = await call(base, 'GET', '/metrics', { token: TOKEN });
  assert.equal(res.status, 200, res.text.slice(0, 300));
  assert.match(res.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  return res.text;
}

/** The value of the sample `name{labels}` (labels in any order), or 0 when absent. */
function sample(text, name, labels = {}) {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[3] || '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)]
      .map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[4]);
  }
  return 0;
}

async function sessionRows(dataDir) {
  // Through the database itself, not the API.
  const [count] = await queryRows(dataDir, 'SELECT COUNT(*) FROM sessions');
  return Number(count);
}

test('/healthz and /readyz answer 200 without credentials, cookies or session rows', async () => {
  const before = await sessionRows(server.dataDir);
  for (let i = 0; i < 3; ++i) {
    const health = await call(server.url, 'GET', '/healthz');
    assert.deepEqual(expectJson(health, 200), { status: 'ok' });
    const ready = await call(server.url, 'GET', '/readyz');
    assert.deepEqual(expectJson(ready, 200), { status: 'ready' });
    assert.equal(ready.headers.get('set-cookie'), null);
    assert.equal(ready.headers.get('x-ratelimit-limit'), null);
  }
  assert.equal(await sessionRows(server.dataDir), before);
});

test('/metrics is 404 when not enabled, and 401 without its Bearer token', async () => {
  assert.equal((await call(plain.url, 'GET', '/metrics')).status, 404);
  assert.equal((await call(plain.url, 'GET', '/metrics', { token: TOKEN })).status, 404);
  const none = await call(server.url, 'GET', '/metrics');
  assert.equal(none.status, 401);
  assert.match(none.headers.get('www-authenticate') || '', /^Bearer/);
  assert.equal((await call(server.url, 'GET', '/metrics', { token: `${TOKEN}x` })).status, 401);
  assert.equal((await call(server.url, 'GET', '/metrics', { apiKey: TOKEN })).status, 401);
});

test('/metrics counters move with real requests', async () => {
  const account = await server.createAccount();
  const before = await scrape();
  for (let i = 0; i < 3; ++i) expectJson(await call(server.url, 'GET', '/v3/account', { apiKey: account.api_key }), 200);
  assert.equal((await call(server.url, 'GET', '/no/such/path/xyz')).status, 404);
  // One failed and one good log-in on the page.
  const web = new WebSession(server.url);
  const page = await web.get('/login');
  const form = findForm(page.text, 'password');
  const bad = await web.post('/login', { ...form.fields, email: account.email_address, password: 'wrong password 1' });
  assert.equal(bad.status, 401);
  await new WebSession(server.url).login(account.email_address, account.password);
  // A token request with a made-up code.
  const grant = await call(server.url, 'POST', '/oauth/token', { json: { grant_type: 'authorization_code',
    client_id: 'nope', client_secret: 'nope', code: 'nope', state: 's' } });
  assert.ok(grant.status >= 400 && grant.status < 500, `token: ${grant.status}`);
  const after = await scrape();

  const delta = (name, labels) => sample(after, name, labels) - sample(before, name, labels);
  assert.equal(delta('countersign_http_requests_total', { route: '/v3/account', method: 'GET', status: '200' }), 3);
  assert.equal(delta('countersign_http_request_duration_seconds_count', { route: '/v3/account', method: 'GET' }), 3);
  assert.equal(delta('countersign_http_requests_total', { route: 'unmatched', method: 'GET', status: '404' }), 1);
  assert.ok(!after.includes('/no/such/path/xyz'), 'client paths never become label values');
  assert.equal(delta('countersign_logins_total', { outcome: 'failure' }), 1);
  assert.equal(delta('countersign_logins_total', { outcome: 'success' }), 1);
  assert.equal(delta('countersign_oauth_grants_total', { grant_type: 'authorization_code' }) >= 1, true);
  assert.ok(delta('countersign_db_pool_acquired_total') > 0);
  // The log-ins and the failed one wrote: committed write transactions, in at most as many
  // COMMITs (SQLite's group commit may carry several in one).
  const writes = delta('countersign_db_write_transactions_total');
  const commits = delta('countersign_db_commits_total');
  assert.ok(writes >= 2, `write transactions: ${writes}`);
  assert.ok(commits >= 1 && commits <= writes, `commits ${commits} for ${writes} writes`);
  assert.equal(sample(after, 'countersign_database_up'), 1);
  for (const worker of ['mail', 'events', 'advance', 'housekeeping']) {
    assert.equal(sample(after, 'countersign_worker_up', { worker }), 1, worker);
  }
  for (const queue of ['mail', 'events', 'advance', 'compute', 'fetch']) {
    assert.match(after, new RegExp(`^countersign_queue_depth\\{queue="${queue}"\\} \\d+`, 'm'));
    assert.match(after, new RegExp(`^countersign_queue_oldest_age_seconds\\{queue="${queue}"\\} `, 'm'));
  }
  assert.match(after, /^countersign_db_pool_connections\{state="in_use"\} \d+/m);
  assert.match(after, /^countersign_db_pool_waits_total \d+/m);
});

test('the authentication read caches are counted on SQLite; PostgreSQL has none', async () => {
  const account = await server.createAccount();
  const before = await scrape();
  for (let i = 0; i < 10; ++i) {
    expectJson(await call(server.url, 'GET', '/v3/account', { apiKey: account.api_key }), 200);
  }
  const after = await scrape();
  if (usePostgres()) {
    assert.doesNotMatch(after, /countersign_auth_cache_/);
    return;
  }
  const moved = (name) => sample(after, name, { cache: 'api_key' }) - sample(before, name, { cache: 'api_key' });
  const hits = moved('countersign_auth_cache_hits_total');
  assert.ok(hits >= 1, `no API-key authentication was answered from the cache: ${hits}`);
  assert.equal(hits + moved('countersign_auth_cache_reads_total'), 10);
  assert.ok(sample(after, 'countersign_auth_cache_entries', { cache: 'api_key' }) >= 1);
  assert.match(after, /^countersign_auth_cache_hits_total\{cache="bearer_token"\} \d+/m);
});

test('rate-limit refusals are counted by tier', async () => {
  const limited = await startServer({ extraArgs: ['--metrics', '--rate-limit-standard', '2'] });
  try {
    const account = await limited.createAccount();
    const statuses = [];
    for (let i = 0; i < 4; ++i) statuses.push((await call(limited.url, 'GET', '/v3/account', { apiKey: account.api_key })).status);
    assert.deepEqual(statuses, [200, 200, 429, 429]);
    const text = (await call(limited.url, 'GET', '/metrics')).text; // --metrics: no token needed
    assert.equal(sample(text, 'countersign_rate_limit_refusals_total', { tier: 'standard' }), 2);
  } finally {
    await limited.stop();
  }
});

/** Runs SQL on the PostgreSQL test server's maintenance database. */
function psqlAdmin(sql) {
  const admin = withDatabase(process.env.COUNTERSIGN_TEST_PG_URL, 'postgres');
  return new Promise((resolve, reject) => execFile('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', admin, '-c', sql],
    (err, stdout, stderr) => (err ? reject(new Error(`psql: ${err.message} ${stderr}`)) : resolve(stdout))));
}

test('/readyz follows the database: 503 naming it while unreachable, 200 when back (PostgreSQL)',
  { skip: usePostgres() ? false : 'SQLite: the database is a file of the process (runs with COUNTERSIGN_TEST_DATABASE=postgres)' },
  async () => {
    const name = new URL(recordedDatabase(server.dataDir)).pathname.slice(1);
    await psqlAdmin(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    try {
      await psqlAdmin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`);
      const down = await call(server.url, 'GET', '/readyz');
      assert.equal(down.status, 503, down.text);
      assert.equal(down.json.status, 'not_ready');
      assert.ok(down.json.failing.includes('database'), down.text);
      assert.ok(!/postgres|password|127\.0\.0\.1/.test(down.text), 'no connection details leak');
      expectJson(await call(server.url, 'GET', '/healthz'), 200);
      const metrics = await scrape();
      assert.equal(sample(metrics, 'countersign_database_up'), 0);
    } finally {
      await psqlAdmin(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
    }
    let ready;
    for (let i = 0; i < 50; ++i) {
      ready = await call(server.url, 'GET', '/readyz');
      if (ready.status === 200) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(expectJson(ready, 200), { status: 'ready' });
  });

