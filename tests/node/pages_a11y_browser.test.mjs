// Every page of the web app, in Chromium, on a desktop-sized and a phone-sized screen (issue 15):
// axe-core finds no serious or critical violation, and on the phone nothing is wider than the
// screen (no sideways scrolling). The pages with flows of their own (documents, request, send,
// drafts, templates, operator, embedded) also check axe in their own suites; here each page is
// visited once as it first appears (a draft's prepare page through a fresh claim_url). A person using only the keyboard can log in and reach the
// documents.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium, loggedInPage } from './lib/chromium.mjs';
import { seriousViolations } from './lib/axe.mjs';
import { startServer, uniqueEmail } from './lib/server.mjs';
import { createApp, authorizeQuery } from './lib/web.mjs';
import { quickSend, sdkForm } from './lib/sr.mjs';
import { call, expectJson } from './lib/http.mjs';
import { makePdf } from './lib/pdf.mjs';
import { waitForMailTo } from './lib/outbox.mjs';

let server;
let base;
let account;
let browser;
let app;
let request;
let signLink;
let template;

before(async () => {
  server = await startServer();
  base = server.url;
  account = await server.createAccount();
  browser = await launchChromium();
  app = await createApp(base, account.api_key, { name: 'Pages app', callbackUrl: 'https://example.com/cb' });
  await server.approveApp(app.clientId);
  const signer = uniqueEmail('a11y-signer');
  request = await quickSend(base, { apiKey: account.api_key }, {
    title: 'Accessible agreement',
    signers: [{ name: 'Ada Signer', email_address: signer }],
  });
  template = expectJson(await call(base, 'POST', '/v3/template/create', {
    apiKey: account.api_key,
    multipart: sdkForm({ title: 'Accessible template', signer_roles: [{ name: 'Client' }], test_mode: '1' },
      [{ name: 'template.pdf', data: makePdf({ pages: 1, label: 'Template' }) }]),
  }), 200).template;
  const [mail] = await waitForMailTo(server.dataDir, signer);
  signLink = mail.links.find((l) => l.signatureId).url;
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

const SCREENS = [
  { name: 'desktop', viewport: { width: 1100, height: 900 } },
  { name: 'phone', viewport: { width: 390, height: 844 } },
];

// A claim_url of a fresh unclaimed draft with one signer (each opens once).
async function claimUrl() {
  const res = await call(base, 'POST', '/v3/unclaimed_draft/create', {
    apiKey: account.api_key,
    multipart: sdkForm({ type: 'request_signature', test_mode: '1', signers: [{ name: 'Dee Draft', email_address: uniqueEmail('a11y-draft') }] },
      [{ name: 'draft.pdf', data: makePdf({ pages: 1, label: 'Draft' }) }]),
  });
  return expectJson(res, 200).unclaimed_draft.claim_url;
}

// Visits each path on `page`; returns the problems found, one line each.
async function problemsOn(page, paths, screen) {
  const problems = [];
  for (const path of paths) {
    const res = await page.goto(path.startsWith('http') ? path : `${base}${path}`);
    assert.ok(res.status() < 500, `${path}: HTTP ${res.status()}`);
    for (const v of await seriousViolations(page)) problems.push(`${screen.name} ${path}: ${v}`);
    if (screen.name === 'phone') {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (overflow > 1) problems.push(`phone ${path}: ${overflow}px wider than the screen`);
    }
  }
  return problems;
}

for (const screen of SCREENS) {
  test(`every page on a ${screen.name}: nothing serious for axe, nothing wider than the screen`, { timeout: 120_000 }, async () => {
    const anonymous = await browser.newContext({ viewport: screen.viewport });
    const page = await anonymous.newPage();
    page.setDefaultTimeout(15_000);
    const problems = [];
    try {
      problems.push(...await problemsOn(page, ['/login', '/signup', signLink], screen));
    } finally {
      await anonymous.close();
    }
    const { context, page: mine } = await loggedInPage(browser, base, account, { viewport: screen.viewport });
    try {
      const authorize = `/oauth/authorize?${authorizeQuery({ clientId: app.clientId, state: 'a11y-state', redirectUri: app.callbackUrl })}`;
      problems.push(...await problemsOn(mine, [
        '/home', '/settings', '/apps', '/apps/new', `/apps/${app.clientId}`, '/account/apps', authorize,
        '/documents', `/requests/${request.signature_request_id}`, '/send', '/templates', '/templates/new',
        `/requests/${'0'.repeat(40)}`, `/templates/${template.template_id}`,
        `/templates/${template.template_id}/send`, await claimUrl(),
      ], screen));
    } finally {
      await context.close();
    }
    assert.deepEqual(problems, []);
  });
}

test('the keyboard alone logs in and reaches the documents', { timeout: 60_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  // Presses Tab until the focused element matches `selector` (at most 30 times).
  const tabTo = async (selector) => {
    for (let i = 0; i < 30; i += 1) {
      await page.keyboard.press('Tab');
      if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
    }
    assert.fail(`Tab never reached ${selector}`);
  };
  try {
    await page.goto(`${base}/login`);
    await tabTo('#email');
    await page.keyboard.type(account.email_address);
    await tabTo('#password');
    await page.keyboard.type(account.password);
    await Promise.all([page.waitForURL(/\/home/), page.keyboard.press('Enter')]);
    await tabTo('a[href="/documents"]');
    await Promise.all([page.waitForURL(/\/documents/), page.keyboard.press('Enter')]);
    await tabTo('a[href^="/requests/"]');
    await Promise.all([page.waitForURL(/\/requests\//), page.keyboard.press('Enter')]);
    assert.equal(await page.locator('h1').textContent(), 'Accessible agreement');
  } finally {
    await context.close();
  }
});
