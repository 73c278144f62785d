// The test-mode rate-limit tier (api/rate_limits.h; Dropbox Sign: 10 requests a minute in test
// mode, counted apart from the standard and high tiers). Calls whose parameters say
// test_mode=1 -- in a JSON, form-urlencoded or multipart body -- count against a quota of
// their own, per account and per app, with the same headers and 429 `exceeded_rate`.
// The server runs with small limits so a handful of sends reach them.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, uniqueEmail } from './lib/server.mjs';
import { call, assertError, expectJson } from './lib/http.mjs';
import { send, sdkForm, twoSigners } from './lib/sr.mjs';
import { makePdf } from './lib/pdf.mjs';
import { createApp, loggedIn, obtainTokens } from './lib/web.mjs';

const WINDOW = 3600;
const HIGH = 2;
const TEST_MODE = 3;
let server;
let base;

before(async () => {
  server = await startServer({
    extraArgs: ['--rate-limit-standard', '100', '--rate-limit-high', String(HIGH),
      '--rate-limit-test-mode', String(TEST_MODE), '--rate-limit-window-seconds', String(WINDOW)],
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

function limitHeaders(res) {
  return { limit: res.headers.get('x-ratelimit-limit'), remaining: res.headers.get('x-ratelimit-remaining') };
}

function assertRefused(res) {
  assertError(res, 429, 'exceeded_rate');
  const retry = Number(res.headers.get('retry-after'));
  assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= WINDOW, `Retry-After: ${retry}`);
}

// A multipart send (as the SDKs make it) with test_mode `testMode` ('true', '1', 'false', ...).
function multipartSend(auth, testMode) {
  return send(base, auth, {
    multipart: sdkForm({ signers: twoSigners(), test_mode: testMode }, [{ name: 'doc.pdf', data: makePdf() }]),
  });
}

test('test-mode sends count against their own quota, whatever the body encoding', async () => {
  await awayFromWindowEdge();
  const alice = await server.createAccount();
  const auth = { apiKey: alice.api_key };
  // JSON and form bodies saying test_mode (refused for lacking files, but counted).
  const signer = { name: 'Jack', email_address: uniqueEmail('jack') };
  assertError(await send(base, auth, { json: { signers: [signer], test_mode: true } }), 400);
  assertError(await send(base, auth, {
    form: { 'signers[0][name]': signer.name, 'signers[0][email_address]': signer.email_address, test_mode: '1' },
  }), 400);
  const third = await multipartSend(auth, 'true');
  expectJson(third, 200);
  assert.deepEqual(limitHeaders(third), { limit: String(TEST_MODE), remaining: '0' });
  assertRefused(await multipartSend(auth, '1'));
  assertRefused(await send(base, auth, { json: { signers: [signer], test_mode: true } }));

  // The high tier is untouched: sends not in test mode still have all of theirs.
  const real = await multipartSend(auth, 'false');
  expectJson(real, 200);
  assert.deepEqual(limitHeaders(real), { limit: String(HIGH), remaining: String(HIGH - 1) });
  const me = await call(base, 'GET', '/v3/account', auth);
  expectJson(me, 200);
  assert.equal(limitHeaders(me).limit, '100');
});

test('an exhausted high tier does not hold back test-mode sends', async () => {
  await awayFromWindowEdge();
  const bob = await server.createAccount();
  const auth = { apiKey: bob.api_key };
  for (let i = 0; i < HIGH; i += 1) expectJson(await multipartSend(auth, 'false'), 200);
  assertRefused(await multipartSend(auth, 'false'));
  const test1 = await multipartSend(auth, 'true');
  expectJson(test1, 200);
  assert.deepEqual(limitHeaders(test1), { limit: String(TEST_MODE), remaining: String(TEST_MODE - 1) });
});

test('OAuth (Bearer) test-mode sends count against the app as well as the account', async () => {
  await awayFromWindowEdge();
  const owner = await server.createAccount();
  const dave = await server.createAccount();
  const erin = await server.createAccount();
  const app = await createApp(base, owner.api_key, { scopes: ['request_signature'] });
  await server.approveApp(app.clientId);
  const daveToken = (await obtainTokens(base, await loggedIn(base, dave), app)).access_token;
  const erinToken = (await obtainTokens(base, await loggedIn(base, erin), app)).access_token;

  for (let i = 0; i < TEST_MODE; i += 1) expectJson(await multipartSend({ token: daveToken }, 'true'), 200);
  // Erin's account is fresh, but the app has used its test-mode quota.
  assertRefused(await multipartSend({ token: erinToken }, 'true'));
  // The app's other tiers are untouched.
  const real = await multipartSend({ token: erinToken }, 'false');
  expectJson(real, 200);
  assert.equal(limitHeaders(real).limit, String(HIGH));
  // Erin's own key still sends in test mode; the call the app refused used one of hers.
  const own = await multipartSend({ apiKey: erin.api_key }, 'true');
  expectJson(own, 200);
  assert.deepEqual(limitHeaders(own), { limit: String(TEST_MODE), remaining: String(TEST_MODE - 2) });
});
