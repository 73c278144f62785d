// The confirmation and consent pages of the account creation flow in a real browser (Debian's
// Chromium through playwright-core), with mail delivered to a real SMTP server started here:
//   - an account an app created: open the emailed link, set a password, accept (or deny) the
//     app on its consent page; the app's tokens then work (or are revoked);
//   - an account from the sign-up page: the home banner and the confirm-first page until the
//     emailed link is used, then the usual consent page up to the app's callback.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { launchChromium } from './lib/chromium.mjs';
import { startServer, uniqueEmail, randomPassword } from './lib/server.mjs';
import { call, expectJson, assertError } from './lib/http.mjs';
import { createApp } from './lib/web.mjs';
import { startSmtpSink, waitForSmtpMail } from './lib/smtp.mjs';

let sink;
let server;
let base;
let browser;
let owner;
let app;
let callback; // { url, hits, close() }

function startCallbackServer() {
  const hits = [];
  const srv = http.createServer((req, res) => {
    const u = new URL(req.url, 'http://127.0.0.1');
    if (u.pathname === '/oauth/callback') hits.push(u);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>callback</title><p id="cb">callback received</p>');
  });
  return new Promise((resolve) => {
    srv.listen(0, '127.0.0.1', () => resolve({
      url: `http://127.0.0.1:${srv.address().port}/oauth/callback`,
      hits,
      close: () => new Promise((r) => srv.close(r)),
    }));
  });
}

before(async () => {
  sink = await startSmtpSink();
  server = await startServer({
    extraArgs: ['--smtp-host', '127.0.0.1', '--smtp-port', String(sink.port), '--smtp-security', 'none',
      '--mail-retry-seconds', '1'],
  });
  base = server.url;
  callback = await startCallbackServer();
  owner = await server.createAccount();
  app = await createApp(base, owner.api_key, {
    name: `Jill's <Browser> App ${Date.now()}`,
    callbackUrl: callback.url,
    scopes: ['account_access', 'signature_request_access'],
  });
  await server.approveApp(app.clientId);
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (callback) await callback.close();
  if (server) await server.stop();
  if (sink) await sink.stop();
});

async function newPage() {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page };
}

/** account/create with the app's credentials; returns { email, tokens, link }. */
async function createdByApp(prefix) {
  const email = uniqueEmail(prefix);
  const body = expectJson(await call(base, 'POST', '/v3/account/create', {
    apiKey: owner.api_key, json: { email_address: email, client_id: app.clientId, client_secret: app.secret },
  }), 200);
  const [mail] = await waitForSmtpMail(sink.dir, (m) => m.to === email);
  return { email, tokens: body.oauth_data, link: mail.confirmLinks[0].url };
}

/** Opens the link, sets a password and lands on the app's consent page. */
async function confirmInBrowser(page, link) {
  const opened = await page.goto(link);
  assert.equal(opened.status(), 200);
  assert.equal(opened.headers()['x-frame-options'], 'DENY');
  await page.fill('#password', randomPassword());
  await page.getByRole('button', { name: 'Set password and confirm' }).click();
  await page.waitForURL((u) => u.pathname === '/account/authorize');
  await page.locator('#app-name').waitFor();
}

test('an account an app created: set a password from the emailed link, accept, the tokens work', async () => {
  const { email, tokens, link } = await createdByApp('browser-accept');
  const { context, page } = await newPage();
  try {
    await page.goto(link);
    assert.equal((await page.locator('#confirm-email').textContent()).trim(), email);
    assert.equal((await page.locator('#creating-app').textContent()).trim(), app.name, 'the name is shown as text');

    // No password: 400 with an error message, the same form again.
    const [empty] = await Promise.all([
      page.waitForResponse((r) => r.url() === `${base}/account/confirm` && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Set password and confirm' }).click(),
    ]);
    assert.equal(empty.status(), 400);
    await page.locator('.error').first().waitFor();

    await page.fill('#password', randomPassword());
    await page.getByRole('button', { name: 'Set password and confirm' }).click();
    await page.waitForURL((u) => u.pathname === '/account/authorize' && u.searchParams.get('client_id') === app.clientId);
    assert.equal((await page.locator('#app-name').textContent()).trim(), app.name);
    await page.locator('#created-by-app').waitFor();
    const scopes = (await page.locator('li.scope').allTextContents()).map((s) => s.trim());
    assert.equal(scopes.length, 2);
    assertError(await call(base, 'GET', '/v3/account', { token: tokens.access_token }), 401, 'unauthorized');

    await page.getByRole('button', { name: 'Accept' }).click();
    await page.locator('#notice').waitFor();
    assert.match(await page.locator('h1').textContent(), /You authorized/);
    const me = expectJson(await call(base, 'GET', '/v3/account', { token: tokens.access_token }), 200);
    assert.equal(me.account.email_address, email);

    // Logged in by the link; the app is listed among the authorized apps.
    await page.getByRole('link', { name: 'Authorized apps' }).first().click();
    await page.waitForURL(`${base}/account/apps`);
    assert.ok((await page.locator('.app-name').allTextContents()).some((n) => n.trim() === app.name));

    // The link works once.
    const again = await page.goto(link);
    assert.equal(again.status(), 410);
    await page.locator('#link-problem').waitFor();
  } finally {
    await context.close();
  }
});

test('an account an app created: Deny revokes the tokens', async () => {
  const { tokens, link } = await createdByApp('browser-deny');
  const { context, page } = await newPage();
  try {
    await confirmInBrowser(page, link);
    await page.getByRole('button', { name: 'Deny' }).click();
    await page.locator('#notice').waitFor();
    assert.match(await page.locator('h1').textContent(), /You denied/);
    assertError(await call(base, 'GET', '/v3/account', { token: tokens.access_token }), 401, 'unauthorized');
    const res = await call(base, 'POST', '/oauth/token?refresh', {
      json: { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: app.clientId, client_secret: app.secret },
    });
    assertError(res, 400, 'invalid_grant');
  } finally {
    await context.close();
  }
});

test('a sign-up account confirms its email before it can authorize an app', async () => {
  const email = uniqueEmail('browser-signup');
  const password = randomPassword();
  const { context, page } = await newPage();
  try {
    await page.goto(`${base}/signup`);
    await page.fill('#email', email);
    await page.fill('#password', password);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.locator('#notice').waitFor(); // "We sent a link to …"; nobody is logged in yet
    // An unconfirmed account may log in, but not authorize apps.
    await page.goto(`${base}/login`);
    await page.fill('#email', email);
    await page.fill('#password', password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${base}/home`);
    await page.locator('#unconfirmed').waitFor();

    const authorizeUrl = `${base}/oauth/authorize?response_type=code&client_id=${app.clientId}&state=b-1`;
    const blocked = await page.goto(authorizeUrl);
    assert.equal(blocked.status(), 403);
    await page.locator('#confirm-first').waitFor();
    await page.getByRole('button', { name: 'Resend the confirmation email' }).waitFor();

    const [mail] = await waitForSmtpMail(sink.dir, (m) => m.to === email);
    await page.goto(mail.confirmLinks[0].url);
    assert.equal(await page.locator('#password').count(), 0, 'a sign-up account already has a password');
    await page.getByRole('button', { name: 'Confirm email address' }).click();
    await page.waitForURL(`${base}/home`);
    assert.equal(await page.locator('#unconfirmed').count(), 0);

    await page.goto(authorizeUrl);
    await page.locator('#app-name').waitFor();
    await page.getByRole('button', { name: 'Accept' }).click();
    await page.waitForURL((u) => u.href.startsWith(callback.url));
    const hit = callback.hits.at(-1);
    assert.ok(hit.searchParams.get('code'));
    assert.equal(hit.searchParams.get('state'), 'b-1');
  } finally {
    await context.close();
  }
});
