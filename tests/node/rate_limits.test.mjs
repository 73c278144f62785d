// API rate limits (CONTRACT.md §2.4 headers, §2.1 429 `exceeded_rate`) and log-in hardening
// over real HTTP: quotas per account and per app, tiers, Retry-After, the log-in throttle,
// the password rules and anonymous pages that leave no session behind.
// The server runs with small limits (--rate-limit-*) so a handful of calls reach them.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, uniqueEmail, randomPassword } from './lib/server.mjs';
import { usePostgres } from './lib/pg_database.mjs';
import { call, assertError, expectJson } from './lib/http.mjs';
import { send, sdkForm, twoSigners } from './lib/sr.mjs';
import { makePdf } from './lib/pdf.mjs';
import { WebSession, findForm, createApp, loggedIn, obtainTokens, signUpAndConfirm } from './lib/web.mjs';
import { startCluster } from './lib/cluster.mjs';

const WINDOW = 3600;
const STANDARD = 4;
const HIGH = 2;
let server;
let base;

before(async () => {
  server = await startServer({
    extraArgs: ['--rate-limit-standard', String(STANDARD), '--rate-limit-high', String(HIGH),
      '--rate-limit-window-seconds', String(WINDOW), '--login-max-failures', '3'],
  });
  base = server.url;
});

after(async () => {
  if (server) await server.stop();
});

// Fixed windows: a test that counts calls must not straddle a window's end.
async function awayFromWindowEdge() {
  const left = WINDOW - (Math.floor(Date.now() / 1000) % WINDOW);
  if (left < 30) await new Promise((r) => setTimeout(r, (left + 1) * 1000));
}

function rateHeaders(res) {
  return {
    limit: res.headers.get('x-ratelimit-limit'),
    remaining: res.headers.get('x-ratelimit-remaining'),
    reset: Number(res.headers.get('x-ratelimit-reset')),
  };
}

function assertRefused(res) {
  assertError(res, 429, 'exceeded_rate');
  const retry = Number(res.headers.get('retry-after'));
  assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= WINDOW, `Retry-After: ${retry}`);
}

test('API key calls carry the rate headers on every 2xx and get 429 exceeded_rate beyond the quota, per account', async () => {
  await awayFromWindowEdge();
  const alice = await server.createAccount();
  const bob = await server.createAccount();
  const now = Math.floor(Date.now() / 1000);
  for (let i = 0; i < STANDARD; i += 1) {
    const res = await call(base, 'GET', '/v3/account', { apiKey: alice.api_key });
    expectJson(res, 200);
    const h = rateHeaders(res);
    assert.equal(h.limit, String(STANDARD));
    assert.equal(h.remaining, String(STANDARD - 1 - i));
    assert.ok(h.reset > now && h.reset <= now + WINDOW + 1, `X-Ratelimit-Reset ${h.reset}`);
  }
  assertRefused(await call(base, 'GET', '/v3/account', { apiKey: alice.api_key }));
  // Every standard operation shares the quota.
  assertRefused(await call(base, 'GET', '/v3/api_app/list', { apiKey: alice.api_key }));
  // Bob has his own.
  const other = await call(base, 'GET', '/v3/account', { apiKey: bob.api_key });
  expectJson(other, 200);
  assert.equal(rateHeaders(other).remaining, String(STANDARD - 1));
  // Bad credentials are not counted against anyone and carry no rate headers.
  const bad = await call(base, 'GET', '/v3/account', { apiKey: 'not-a-key' });
  assertError(bad, 401, 'unauthorized');
  assert.equal(bad.headers.get('x-ratelimit-limit'), null);
});

test('the high tier (send, files) has its own, smaller quota', async () => {
  await awayFromWindowEdge();
  const carol = await server.createAccount();
  // Not in test mode: test-mode sends have a tier of their own (rate_limits_test_mode.test.mjs).
  const sendOnce = () => send(base, { apiKey: carol.api_key }, {
    multipart: sdkForm({ signers: twoSigners(), test_mode: 'false' }, [{ name: 'doc.pdf', data: makePdf() }]),
  });
  for (let i = 0; i < HIGH; i += 1) {
    const res = await sendOnce();
    expectJson(res, 200);
    assert.equal(rateHeaders(res).limit, String(HIGH));
    assert.equal(rateHeaders(res).remaining, String(HIGH - 1 - i));
  }
  assertRefused(await sendOnce());
  const me = await call(base, 'GET', '/v3/account', { apiKey: carol.api_key });
  expectJson(me, 200);
  assert.equal(rateHeaders(me).limit, String(STANDARD));
});

test('OAuth (Bearer) calls count against the app as well as the account', async () => {
  await awayFromWindowEdge();
  const owner = await server.createAccount();
  const dave = await server.createAccount();
  const erin = await server.createAccount();
  const app = await createApp(base, owner.api_key, { scopes: ['account_access'] });
  await server.approveApp(app.clientId);
  const daveToken = (await obtainTokens(base, await loggedIn(base, dave), app)).access_token;
  const erinToken = (await obtainTokens(base, await loggedIn(base, erin), app)).access_token;

  for (let i = 0; i < 2; i += 1) expectJson(await call(base, 'GET', '/v3/account', { token: daveToken }), 200);
  // Erin's account is fresh, but the app has used half its quota: the headers show the app's.
  const first = await call(base, 'GET', '/v3/account', { token: erinToken });
  expectJson(first, 200);
  assert.equal(rateHeaders(first).remaining, '1');
  expectJson(await call(base, 'GET', '/v3/account', { token: erinToken }), 200);
  // The app is out of calls for everyone it acts for ...
  assertRefused(await call(base, 'GET', '/v3/account', { token: erinToken }));
  assertRefused(await call(base, 'GET', '/v3/account', { token: daveToken }));
  // ... while the accounts themselves still have some with their API keys.
  expectJson(await call(base, 'GET', '/v3/account', { apiKey: dave.api_key }), 200);
});

async function tryLogin(email, password, at = base) {
  const s = new WebSession(at);
  const page = await s.get('/login');
  assert.equal(page.status, 200);
  return s.post('/login', { ...findForm(page.text, 'password').fields, email, password });
}

test('log-in is refused with 429 after repeated failures for the address, even with the right password', async () => {
  const frank = await server.createAccount();
  for (let i = 0; i < 3; i += 1) {
    const res = await tryLogin(frank.email_address, 'wrong-password-123');
    assert.equal(res.status, 401, `failure ${i}`);
  }
  const locked = await tryLogin(frank.email_address, frank.password);
  assert.equal(locked.status, 429);
  assert.match(locked.text, /Too many failed log-in attempts\. Try again in \d+ minutes?\./);
  const retry = Number(locked.headers.get('retry-after'));
  assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= 900, `Retry-After: ${retry}`);
  assert.equal(locked.location, null);
  // Unknown addresses are throttled the same way, so the answer does not reveal accounts.
  const ghost = uniqueEmail('ghost');
  for (let i = 0; i < 3; i += 1) assert.equal((await tryLogin(ghost, 'wrong-password-123')).status, 401);
  assert.equal((await tryLogin(ghost, 'wrong-password-123')).status, 429);
  // Others still log in.
  const gina = await server.createAccount();
  assert.equal((await tryLogin(gina.email_address, gina.password)).status, 303);
});

test('sign-up refuses short, common and email-based passwords with a clear message', async () => {
  const email = uniqueEmail('weak');
  const local = email.split('@')[0];
  for (const [password, message] of [['12345678', /at least 10 characters/],
    ['password123', /most common passwords/], [`${local}-2024`, /must not contain your email address/]]) {
    const s = new WebSession(base);
    const page = await s.get('/signup');
    const res = await s.post('/signup', { ...findForm(page.text, 'password').fields, email, password });
    assert.equal(res.status, 400, `${password}: ${res.status}`);
    assert.match(res.text, message);
  }
  // A good password signs up (the emailed link confirms and logs in).
  const done = await signUpAndConfirm(new WebSession(base), server.dataDir, { email, password: randomPassword() });
  assert.equal(new URL(done.location, base).pathname, '/home');
});

test('anonymous pages leave no session row behind, and their forms still need the CSRF token', async (t) => {
  if (usePostgres()) {
    t.skip('counts rows with the sqlite3 CLI');
    return;
  }
  const db = join(server.dataDir, 'countersign.db');
  const count = () => Number(execFileSync('sqlite3', [db, 'SELECT count(*) FROM sessions']).toString().trim());
  const before = count();
  for (let i = 0; i < 5; i += 1) {
    const s = new WebSession(base);
    assert.equal((await s.get('/login')).status, 200);
    assert.equal((await s.get('/signup')).status, 200);
  }
  assert.equal(count(), before);
  // The form posted without the page's token (or with another page's) is refused.
  const s = new WebSession(base);
  const page = await s.get('/login');
  const fields = findForm(page.text, 'password').fields;
  const other = new WebSession(base);
  const otherFields = findForm((await other.get('/login')).text, 'password').fields;
  const hank = await server.createAccount();
  assert.equal((await s.post('/login', { email: hank.email_address, password: hank.password })).status, 403);
  assert.equal((await s.post('/login', { ...otherFields, email: hank.email_address, password: hank.password })).status, 403);
  assert.equal((await s.post('/login', { ...fields, email: hank.email_address, password: hank.password })).status, 303);
  assert.equal(count(), before + 1);  // logging in creates the one row
});

// Two instances on one PostgreSQL database share the quotas (as multi_instance.test.mjs, it
// needs COUNTERSIGN_TEST_PG_URL and runs once, in the SQLite pass).
const required = process.env.CI === 'true' || process.env.COUNTERSIGN_TEST_REQUIRE_PG === '1';
const clusterSkip = usePostgres() ? 'already run in the SQLite pass (it always uses PostgreSQL)'
  : !process.env.COUNTERSIGN_TEST_PG_URL && !required ? 'no PostgreSQL test server (COUNTERSIGN_TEST_PG_URL)' : false;

test('two instances on one database share the API quota and the log-in failure count', { skip: clusterSkip }, async () => {
  const cluster = await startCluster({
    instances: 2,
    extraArgs: ['--rate-limit-standard', '6', '--rate-limit-window-seconds', String(WINDOW), '--login-max-failures', '3'],
  });
  try {
    await awayFromWindowEdge();
    const [one, two] = cluster.instances;
    const acct = await cluster.createAccount();
    const statuses = [];
    for (let i = 0; i < 12; i += 1) {
      const res = await call((i % 2 ? two : one).url, 'GET', '/v3/account', { apiKey: acct.api_key });
      statuses.push(res.status);
      if (res.status === 429) assertRefused(res);
    }
    assert.equal(statuses.filter((s) => s === 200).length, 6, `statuses: ${statuses}`);
    assert.equal(statuses.filter((s) => s === 429).length, 6, `statuses: ${statuses}`);

    for (const inst of [one, two, one]) {
      assert.equal((await tryLogin(acct.email_address, 'wrong-password-123', inst.url)).status, 401);
    }
    assert.equal((await tryLogin(acct.email_address, acct.password, two.url)).status, 429);
  } finally {
    await cluster.stop();
  }
});

test('behind a trusted proxy the per-IP log-in limit counts the forwarded client, not the proxy', async () => {
  const proxied = await startServer({ extraArgs: ['--login-max-failures-per-ip', '2', '--trusted-proxies', '127.0.0.1, 10.0.0.0/8'] });
  const direct = await startServer({ extraArgs: ['--login-max-failures-per-ip', '2'] });
  try {
    const attempt = async (srv, forwardedFor, email, password) => {
      const opts = { headers: { 'x-forwarded-for': forwardedFor } };
      const s = new WebSession(srv.url);
      const page = await s.get('/login', opts);
      assert.equal(page.status, 200);
      return (await s.post('/login', { ...findForm(page.text, 'password').fields, email, password }, opts)).status;
    };
    const fail = (srv, forwardedFor) => attempt(srv, forwardedFor, uniqueEmail('ip'), 'wrong-password-123');
    // Two failures use up one client's allowance, a load balancer (10.x) between it and nginx...
    assert.equal(await fail(proxied, '203.0.113.5'), 401);
    assert.equal(await fail(proxied, '203.0.113.5, 10.0.0.7'), 401);
    assert.equal(await fail(proxied, '203.0.113.5'), 429);
    // ... and an address the client wrote itself, left of the one the proxy added, changes nothing.
    assert.equal(await fail(proxied, '198.51.100.1, 203.0.113.5'), 429);
    // Another client behind the same proxy still logs in.
    const ida = await proxied.createAccount();
    assert.equal(await attempt(proxied, '203.0.113.6', ida.email_address, ida.password), 303);
    // Without --trusted-proxies the header is ignored: every client counts as the peer.
    assert.equal(await fail(direct, '203.0.113.7'), 401);
    assert.equal(await fail(direct, '203.0.113.8'), 401);
    assert.equal(await fail(direct, '203.0.113.9'), 429);
  } finally {
    await proxied.stop();
    await direct.stop();
  }
});

test('--trusted-proxies that is not a list of IPs or CIDR ranges stops the server with the entry named', async () => {
  await assert.rejects(startServer({ extraArgs: ['--trusted-proxies', '127.0.0.1, proxy.local'] }),
    /proxy\.local/);
});
