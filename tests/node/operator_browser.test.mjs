// The operator pages (issue 15) in Chromium: an account made an operator from the command line
// (`countersign account admin`) approves and unapproves an app, finds an account by part of its
// email and locks it (its API key and its log-in stop working) and unlocks it. Other accounts
// see no Operator link and get a 404 page. axe-core finds nothing serious.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium, loggedInPage as logIn } from './lib/chromium.mjs';
import { seriousViolations } from './lib/axe.mjs';
import { startServer, uniqueEmail } from './lib/server.mjs';
import { createApp } from './lib/web.mjs';
import { call, expectJson } from './lib/http.mjs';

let server;
let base;
let operator;
let user;
let browser;

before(async () => {
  server = await startServer();
  base = server.url;
  operator = await server.createAccount({ email: uniqueEmail('operator') });
  const granted = await server.runCli(['account', 'admin', '--data-dir', server.dataDir, operator.email_address]);
  assert.equal(granted.code, 0, granted.stderr);
  user = await server.createAccount({ email: uniqueEmail('locked-soon') });
  browser = await launchChromium();
});

const loggedInPage = (account) => logIn(browser, base, account);

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});


const appState = async (clientId) =>
  expectJson(await call(base, 'GET', `/v3/api_app/${clientId}`, { apiKey: user.api_key }), 200).api_app.is_approved;

test('other accounts: no Operator link, and a 404 page', async () => {
  const { context, page } = await loggedInPage(user);
  try {
    assert.equal(await page.getByRole('link', { name: 'Operator' }).count(), 0);
    const res = await page.goto(`${base}/operator`);
    assert.equal(res.status(), 404);
    const post = await page.evaluate(async () => (await fetch('/operator/accounts/x/lock', { method: 'POST' })).status);
    assert.equal(post, 403, 'a POST without the CSRF token is refused before anything else');
  } finally {
    await context.close();
  }
});

test('an operator approves an app, then locks and unlocks an account', { timeout: 60_000 }, async () => {
  const app = await createApp(base, user.api_key, { name: 'Needs approval' });
  assert.equal(await appState(app.clientId), false);
  const { context, page } = await loggedInPage(operator);
  try {
    await page.getByRole('link', { name: 'Operator' }).click();
    assert.deepEqual(await seriousViolations(page), []);
    await page.getByRole('button', { name: 'Approve Needs approval' }).click();
    assert.match(await page.locator('.notice').textContent(), /approved/);
    assert.equal(await appState(app.clientId), true);
    await page.getByRole('button', { name: 'Unapprove Needs approval' }).click();
    assert.equal(await appState(app.clientId), false);

    await page.getByLabel('Find accounts by email').fill('locked-soon');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByRole('button', { name: `Lock ${user.email_address}` }).click();
    assert.match(await page.locator('.notice').textContent(), /locked/);
    assert.equal(await page.getByLabel('Find accounts by email').inputValue(), 'locked-soon', 'the search stays');
    const refused = await call(base, 'GET', '/v3/account', { apiKey: user.api_key });
    assert.equal(refused.status, 401);
    {
      const other = await browser.newContext();
      const p = await other.newPage();
      await p.goto(`${base}/login`);
      await p.fill('#email', user.email_address);
      await p.fill('#password', user.password);
      await Promise.all([p.waitForLoadState(), p.getByRole('button', { name: 'Log in' }).click()]);
      await p.locator('.error').waitFor();
      assert.doesNotMatch(p.url(), /\/home/, 'a locked account does not log in');
      await other.close();
    }

    await page.getByRole('button', { name: `Unlock ${user.email_address}` }).click();
    expectJson(await call(base, 'GET', '/v3/account', { apiKey: user.api_key }), 200);

    // An operator cannot lock themselves out.
    await page.getByLabel('Find accounts by email').fill(operator.email_address);
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByRole('button', { name: `Lock ${operator.email_address}` }).click();
    assert.match(await page.locator('.error').textContent(), /cannot lock your own account/);
  } finally {
    await context.close();
  }
});
