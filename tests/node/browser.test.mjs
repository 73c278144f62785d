// The pages in a real browser (Debian's Chromium through playwright-core): sign up, log out and
// in, generate an API key, create an app with the form, and the OAuth consent flow as a second
// user ending at a real local callback server, for Accept and for Deny.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { launchChromium } from './lib/chromium.mjs';
import { startServer, uniqueEmail, randomPassword } from './lib/server.mjs';
import { call, expectJson, assertError } from './lib/http.mjs';
import { confirmationLinkFromOutbox } from './lib/web.mjs';
import { waitForMail } from './lib/outbox.mjs';

let server;
let base;
let browser;
let callback; // { url, hits: [URL], close() }

// A tiny HTTP server standing in for the app's OAuth callback: records each query.
function startCallbackServer() {
  const hits = [];
  const srv = http.createServer((req, res) => {
    const u = new URL(req.url, 'http://127.0.0.1');
    // Only the callback path counts (the browser also asks for /favicon.ico).
    if (u.pathname === '/oauth/callback') hits.push(u);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>callback</title><p id="cb">callback received</p>');
  });
  return new Promise((resolve) => {
    srv.listen(0, '127.0.0.1', () => {
      const url = `http://127.0.0.1:${srv.address().port}/oauth/callback`;
      resolve({
        url,
        hits,
        close: () => new Promise((r) => srv.close(r)),
      });
    });
  });
}

before(async () => {
  server = await startServer();
  base = server.url;
  callback = await startCallbackServer();
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (callback) await callback.close();
  if (server) await server.stop();
});

async function newPage() {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page };
}

async function login(page, email, password) {
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

// The state shared by the steps below: they follow one user story in order.
const alice = { email: uniqueEmail('alice'), password: randomPassword() };
let aliceKey;
let createdApp; // { clientId, secret, name }

test('sign up, log out, log in again; bad password shows an error', async () => {
  const { context, page } = await newPage();
  try {
    await page.goto(`${base}/signup`);
    await page.fill('#email', alice.email);
    await page.fill('#password', alice.password);
    await page.getByRole('button', { name: 'Sign up' }).click();
    // Nobody is logged in yet: the page asks to open the emailed link.
    await page.locator('#notice').waitFor();
    assert.ok((await page.locator('#notice').textContent()).includes(`We sent a link to ${alice.email} to finish signing up`));
    assert.equal(await page.locator('#account-id').count(), 0);

    // The emailed link (from the outbox .eml files) confirms the address and logs in.
    await page.goto(await confirmationLinkFromOutbox(server.dataDir, alice.email));
    await page.getByRole('button', { name: 'Confirm email address' }).click();
    await page.waitForURL(`${base}/home`);
    assert.equal(await page.locator('#unconfirmed').count(), 0, 'confirmed');
    const accountId = (await page.locator('#account-id').textContent()).trim();
    assert.ok(accountId.length > 0, 'account id shown');
    assert.ok((await page.content()).includes(alice.email), 'home shows the email');

    // The session cookie is HttpOnly and SameSite=Lax.
    const cookie = (await context.cookies()).find((c) => c.name === 'cs_session');
    assert.ok(cookie, 'cs_session cookie set');
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Lax');
    assert.equal(cookie.path, '/');
    assert.equal(await page.evaluate(() => document.cookie.includes('cs_session')), false, 'not readable from script');

    // Log out (POST /logout from the page's own form).
    const logout = page.locator('form[action="/logout"] button, form[action="/logout"] input[type="submit"]');
    await logout.first().click();
    await page.waitForURL(/\/login(\?|$)/);
    await page.goto(`${base}/home`);
    assert.match(page.url(), /\/login(\?|$)/, 'home is not reachable after logout');

    // Wrong password: 401 page with an error message.
    await page.goto(`${base}/login`);
    const [bad] = await Promise.all([
      page.waitForResponse((r) => r.url().startsWith(`${base}/login`) && r.request().method() === 'POST'),
      login(page, alice.email, alice.password + 'x'),
    ]);
    assert.equal(bad.status(), 401);
    await page.locator('.error').first().waitFor();

    // Right password.
    await page.goto(`${base}/login`);
    await login(page, alice.email, alice.password);
    await page.waitForURL(`${base}/home`);
    assert.equal((await page.locator('#account-id').textContent()).trim(), accountId);
  } finally {
    await context.close();
  }
});

test('signing up again with the same email answers as for a new address and mails the owner instead', async () => {
  const { context, page } = await newPage();
  try {
    const other = randomPassword();
    await page.goto(`${base}/signup`);
    await page.fill('#email', alice.email);
    await page.fill('#password', other);
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().startsWith(`${base}/signup`) && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Sign up' }).click(),
    ]);
    assert.equal(res.status(), 200);
    assert.match(await page.locator('#notice').textContent(), /We sent a link to .* to finish signing up/);
    assert.equal(await page.locator('.error').count(), 0);
    const [notice] = await waitForMail(server.dataDir, (m) => m.to === alice.email && /tried to sign up/.test(m.subject));
    assert.ok(notice.text.includes(`${base}/login`), 'the notice links to log-in');
    // Nothing changed: the other password does not log in.
    await page.goto(`${base}/login`);
    const [bad] = await Promise.all([
      page.waitForResponse((r) => r.url().startsWith(`${base}/login`) && r.request().method() === 'POST'),
      login(page, alice.email, other),
    ]);
    assert.equal(bad.status(), 401);
  } finally {
    await context.close();
  }
});

test('settings: generate an API key and use it against GET /v3/account', async () => {
  const { context, page } = await newPage();
  try {
    await page.goto(`${base}/login`);
    await login(page, alice.email, alice.password);
    await page.waitForURL(`${base}/home`);
    await page.getByRole('link', { name: /settings/i }).first().click();
    await page.waitForURL(`${base}/settings`);
    assert.match((await page.locator('body').innerText()).replace(/\s+/g, ' '), /API key ending in \S+/);

    await page.getByRole('button', { name: 'Generate new API key' }).click();
    const key = (await page.locator('code#api-key').textContent()).trim();
    assert.ok(key.length >= 16, `a key is shown: ${key}`);
    aliceKey = key;

    const res = await call(base, 'GET', '/v3/account', { apiKey: key });
    assert.equal(expectJson(res, 200).account.email_address, alice.email);

    // The settings page now names the new key by its last 4 characters and does not show it whole.
    await page.goto(`${base}/settings`);
    const text = (await page.locator('body').innerText()).replace(/\s+/g, ' ');
    assert.ok(text.includes(`API key ending in ${key.slice(-4)}`), `shows the new key ending: ${text}`);
    assert.ok(!(await page.content()).includes(key), 'the full key is shown only once');

    // Generating again replaces the key: the old one stops working.
    await page.getByRole('button', { name: 'Generate new API key' }).click();
    const key2 = (await page.locator('code#api-key').textContent()).trim();
    assert.notEqual(key2, key);
    assertError(await call(base, 'GET', '/v3/account', { apiKey: key }), 401, 'unauthorized');
    assert.equal(expectJson(await call(base, 'GET', '/v3/account', { apiKey: key2 }), 200).account.email_address, alice.email);
    aliceKey = key2;
  } finally {
    await context.close();
  }
});

test('create an app with the form and read its client id and secret', async () => {
  assert.ok(aliceKey, 'needs the previous step');
  const { context, page } = await newPage();
  try {
    await page.goto(`${base}/login`);
    await login(page, alice.email, alice.password);
    await page.waitForURL(`${base}/home`);
    await page.goto(`${base}/apps`);
    await page.getByRole('link', { name: 'Create an app' }).click();
    await page.waitForURL(`${base}/apps/new`);

    const name = `Browser App ${Date.now()}`;
    await page.fill('#name', name);
    await page.fill('#domains', 'example.com, example.org');
    await page.fill('#oauth_callback_url', callback.url);
    await page.check('#scope-account_access');
    await page.check('#scope-signature_request_access');
    await page.getByRole('button', { name: 'Create app' }).click();

    const clientId = (await page.locator('code#client-id').textContent()).trim();
    const secret = (await page.locator('code#client-secret').textContent()).trim();
    assert.ok(clientId.length > 0 && secret.length > 0);
    createdApp = { clientId, secret, name };

    // The API agrees with what the form created.
    const got = expectJson(await call(base, 'GET', `/v3/api_app/${clientId}`, { apiKey: aliceKey }), 200).api_app;
    assert.equal(got.name, name);
    assert.deepEqual(got.domains, ['example.com', 'example.org']);
    assert.equal(got.oauth.callback_url, callback.url);
    assert.deepEqual([...got.oauth.scopes].sort(), ['account_access', 'signature_request_access']);
    assert.ok(got.oauth.secret === null || got.oauth.secret === secret, 'secret shown only once');

    // Listed on /apps, linking to its details page.
    await page.goto(`${base}/apps`);
    await page.getByRole('link', { name }).click();
    await page.waitForURL(`${base}/apps/${clientId}`);
    assert.ok((await page.content()).includes(clientId));
  } finally {
    await context.close();
  }
});

test('app form errors re-render with a message', async () => {
  const { context, page } = await newPage();
  try {
    await page.goto(`${base}/login`);
    await login(page, alice.email, alice.password);
    await page.waitForURL(`${base}/home`);
    await page.goto(`${base}/apps/new`);
    await page.fill('#name', 'Broken');
    await page.fill('#domains', 'example.com');
    await page.fill('#oauth_callback_url', 'not a url');
    await page.check('#scope-account_access');
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url() === `${base}/apps` && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Create app' }).click(),
    ]);
    assert.equal(res.status(), 400);
    await page.locator('.error').first().waitFor();
    assert.equal(await page.inputValue('#name'), 'Broken', 'form keeps what was typed');
  } finally {
    await context.close();
  }
});

test('OAuth consent as a second user: login, Accept, code at the callback, token works; then Deny', async () => {
  assert.ok(createdApp, 'needs the app from the previous step');
  await server.approveApp(createdApp.clientId);
  const bob = await server.createAccount();

  const { context, page } = await newPage();
  try {
    const state = `st-${Date.now()}`;
    const authorizeUrl = `${base}/oauth/authorize?response_type=code&client_id=${encodeURIComponent(createdApp.clientId)}&state=${state}`;
    await page.goto(authorizeUrl);
    await page.waitForURL(/\/login\?next=/);
    const consentPromise = page.waitForResponse((r) => r.url().startsWith(`${base}/oauth/authorize`) && r.request().method() === 'GET');
    await login(page, bob.email_address, bob.password);

    // The consent page: app name, scopes in words, security headers.
    const consentResponse = await consentPromise;
    assert.equal(consentResponse.status(), 200);
    const headers = consentResponse.headers();
    assert.equal(headers['x-frame-options'], 'DENY');
    assert.match(headers['content-security-policy'] || '', /frame-ancestors 'none'/);
    await page.locator('#app-name').waitFor();
    assert.equal((await page.locator('#app-name').textContent()).trim(), createdApp.name);
    const scopes = (await page.locator('li.scope').allTextContents()).map((s) => s.trim());
    assert.equal(scopes.length, 2, JSON.stringify(scopes));
    for (const s of scopes) {
      assert.ok(s.includes(' ') && !/account_access|signature_request_access/.test(s), `scope in words: ${s}`);
    }

    const hitsBefore = callback.hits.length;
    await page.getByRole('button', { name: 'Accept' }).click();
    await page.waitForURL((u) => u.href.startsWith(callback.url));
    assert.equal(callback.hits.length, hitsBefore + 1, 'the callback server was called once');
    const hit = callback.hits.at(-1);
    assert.equal(hit.pathname, '/oauth/callback');
    const code = hit.searchParams.get('code');
    assert.ok(code, 'code in the callback');
    assert.equal(hit.searchParams.get('state'), state);
    assert.equal(new URL(page.url()).searchParams.get('code'), code);

    const tokenRes = await call(base, 'POST', '/oauth/token', {
      json: { grant_type: 'authorization_code', client_id: createdApp.clientId, client_secret: createdApp.secret, code, state },
    });
    const tokens = expectJson(tokenRes, 200);
    assert.equal(tokens.token_type, 'Bearer');
    const me = expectJson(await call(base, 'GET', '/v3/account', { token: tokens.access_token }), 200);
    assert.equal(me.account.email_address, bob.email_address);

    // Again, logged in now: straight to the consent page; Deny.
    const denyState = `deny-${Date.now()}`;
    await page.goto(`${base}/oauth/authorize?response_type=code&client_id=${encodeURIComponent(createdApp.clientId)}&state=${denyState}`);
    await page.locator('#app-name').waitFor();
    await page.getByRole('button', { name: 'Deny' }).click();
    await page.waitForURL((u) => u.href.startsWith(callback.url) && u.searchParams.get('state') === denyState);
    const denied = callback.hits.at(-1);
    assert.equal(denied.searchParams.get('error'), 'access_denied');
    assert.equal(denied.searchParams.get('state'), denyState);
    assert.equal(denied.searchParams.get('code'), null);

    // The authorized apps page lists the app; revoking it kills the token.
    await page.goto(`${base}/account/apps`);
    assert.ok((await page.content()).includes(createdApp.name));
    await page.getByRole('button', { name: 'Revoke' }).first().click();
    await page.waitForURL(`${base}/account/apps`);
    assertError(await call(base, 'GET', '/v3/account', { token: tokens.access_token }), 401, 'unauthorized');
  } finally {
    await context.close();
  }
});

test('pages cannot be framed and are not cached', async () => {
  for (const path of ['/login', '/signup']) {
    const res = await fetch(base + path, { redirect: 'manual' });
    assert.equal(res.status, 200, path);
    assert.equal(res.headers.get('x-frame-options'), 'DENY', path);
    assert.match(res.headers.get('content-security-policy') || '', /frame-ancestors 'none'/, path);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer', path);
    assert.equal(res.headers.get('cache-control'), 'no-store', path);
  }
  // And a frame attempt is blocked by the browser.
  const { context, page } = await newPage();
  try {
    const framer = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><iframe id="f" src="${base}/login"></iframe>`);
    });
    await new Promise((r) => framer.listen(0, '127.0.0.1', r));
    try {
      await page.goto(`http://127.0.0.1:${framer.address().port}/`);
      await page.waitForTimeout(1000);
      const frame = page.frames().find((f) => f !== page.mainFrame());
      const hasLoginForm = frame ? await frame.locator('#password').count().catch(() => 0) : 0;
      assert.equal(hasLoginForm, 0, 'login page rendered inside a frame');
    } finally {
      await new Promise((r) => framer.close(r));
    }
  } finally {
    await context.close();
  }
});
