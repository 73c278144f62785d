// The sender's web app, Documents and request pages (issue 15), in Chromium: the sender finds
// a request under "Waiting for others", opens its page (the API's details_url), reminds the
// signer whose turn it is (once an hour), sees the first signature arrive, and the second
// signer, an account holder, finds it under "Waiting for me" and signs with "Sign now"; the
// sender downloads the sealed PDF from the page and pdfsig validates it. A
// request canceled from its page moves to "Canceled"; an account that may not see a request
// gets a 404 page. An open request page updates by itself when a signature arrives. axe-core
// finds nothing serious on these pages, on a phone-sized screen too. A request sent from the
// Send page (PDF upload, ordered signers) is an ordinary request.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium, loggedInPage as logIn, signAtLink, signNowFromWaitingForMe } from './lib/chromium.mjs';
import { seriousViolations } from './lib/axe.mjs';
import { startServer, uniqueEmail } from './lib/server.mjs';
import { call, expectJson } from './lib/http.mjs';
import { quickSend } from './lib/sr.mjs';
import { makePdf, pdfsigReport } from './lib/pdf.mjs';
import { waitForMailTo } from './lib/outbox.mjs';

let server;
let base;
let sender;
let signer; // an account holder who is the second signer
let stranger;
let browser;

before(async () => {
  server = await startServer();
  base = server.url;
  sender = await server.createAccount();
  signer = await server.createAccount();
  stranger = await server.createAccount();
  browser = await launchChromium();
});

const loggedInPage = (account, viewport) => logIn(browser, base, account, viewport ? { viewport } : {});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});


const signFromLink = (url) => signAtLink(browser, url);

test('waiting for others, remind, the first signature, then "Sign now" from "Waiting for me"', { timeout: 120_000 }, async () => {
  const external = uniqueEmail('external');
  const sr = await quickSend(base, { apiKey: sender.api_key }, {
    title: 'Lease agreement',
    message: 'Both of you, please.',
    signers: [
      { name: 'Ext Signer', email_address: external, order: 0 },
      { name: 'Account Signer', email_address: signer.email_address, order: 1 },
    ],
  });
  assert.equal(new URL(sr.details_url).pathname, `/requests/${sr.signature_request_id}`);

  const { context, page } = await loggedInPage(sender);
  try {
    await page.getByRole('link', { name: 'Documents' }).click();
    await page.getByRole('link', { name: 'Waiting for others' }).click();
    assert.equal(await page.getByRole('link', { name: 'Waiting for others' }).getAttribute('aria-current'), 'page');
    await page.getByRole('link', { name: 'Lease agreement' }).click();
    assert.equal(new URL(page.url()).pathname, new URL(sr.details_url).pathname);
    assert.equal(await page.locator('#request-state').textContent(), 'Waiting for signatures (test mode)');
    assert.ok((await page.content()).includes('Both of you, please.'));
    assert.deepEqual(await seriousViolations(page), []);

    // Only the signer whose turn it is can be reminded; once an hour.
    assert.equal(await page.getByRole('button', { name: /^Remind/ }).count(), 1);
    await page.getByRole('button', { name: `Remind ${external}` }).click();
    assert.match(await page.locator('.notice').textContent(), /Reminder sent/);
    await page.getByRole('button', { name: `Remind ${external}` }).click();
    assert.match(await page.locator('.error').textContent(), /less than an hour ago/);
    assert.equal(await page.getByRole('button', { name: 'Sign now' }).count(), 0, 'the sender is no signer');

    // The first signer signs from the emailed link (the reminder's, the newest).
    const mails = await waitForMailTo(server.dataDir, external, { count: 2 });
    await page.goto(sr.details_url);
    await signFromLink(mails.at(-1).links.at(-1).url);
    // The open page notices by itself.
    await page.waitForFunction(() => /Signed \d{4}-/.test(document.querySelector('.signers li')?.textContent || ''),
      null, { timeout: 20_000 });
    assert.match(await page.locator('.audit').textContent(), /signed/);
  } finally {
    await context.close();
  }

  // The sender keeps the request page open while the second signer signs.
  const again = await loggedInPage(sender);
  await again.page.goto(sr.details_url);
  // The second signer, logged in, finds it waiting for them, on a phone.
  const phone = await loggedInPage(signer, { width: 390, height: 844 });
  try {
    await signNowFromWaitingForMe(phone.page, base, 'Lease agreement', {
      onList: async (p) => assert.deepEqual(await seriousViolations(p), []),
    });
  } finally {
    await phone.context.close();
  }

  // The sender's open page turns to completed without a reload by hand.
  try {
    await again.page.waitForFunction(() => document.getElementById('request-state')?.textContent === 'Completed (test mode)',
      null, { timeout: 20_000 });
    // The sealed PDF from the page's download link validates.
    const href = await again.page.getByRole('link', { name: 'Download the signed PDF' }).getAttribute('href');
    const pdf = await fetch(new URL(href, base));
    assert.equal(pdf.status, 200);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    assert.match(await pdfsigReport(Buffer.from(await pdf.arrayBuffer())), /Signature is Valid/);
    // A page of its own: the open request page may still reload itself (the sealed PDF).
    const list = await again.context.newPage();
    await list.goto(`${base}/documents?box=completed`);
    assert.equal(await list.getByRole('link', { name: 'Lease agreement' }).count(), 1);
  } finally {
    await again.context.close();
  }
});

test('cancel from the request page; the canceled folder; others get a 404 page; search', { timeout: 60_000 }, async () => {
  const sr = await quickSend(base, { apiKey: sender.api_key }, { title: 'Quarterly report sign-off' });
  const { context, page } = await loggedInPage(sender);
  try {
    await page.goto(`${base}/documents?q=${encodeURIComponent('title:quarterly')}`);
    assert.equal(await page.getByRole('link', { name: 'Quarterly report sign-off' }).count(), 1);
    await page.goto(`${base}/documents?q=${encodeURIComponent('title:nothing-like-this')}`);
    assert.equal(await page.getByRole('link', { name: 'Quarterly report sign-off' }).count(), 0);

    await page.goto(sr.details_url);
    await page.getByRole('button', { name: 'Cancel this request' }).click();
    assert.match(await page.locator('.notice').textContent(), /canceled/);
    assert.equal(await page.locator('#request-state').textContent(), 'Canceled (test mode)');
    assert.equal(await page.getByRole('button', { name: 'Cancel this request' }).count(), 0);
    await page.goto(`${base}/documents`);
    assert.equal(await page.getByRole('link', { name: 'Quarterly report sign-off' }).count(), 0, 'not under All');
    await page.getByRole('link', { name: 'Canceled' }).click();
    assert.equal(await page.getByRole('link', { name: 'Quarterly report sign-off' }).count(), 1);
  } finally {
    await context.close();
  }
  const other = await loggedInPage(stranger);
  try {
    const res = await other.page.goto(sr.details_url);
    assert.equal(res.status(), 404);
    assert.equal(await other.page.getByRole('link', { name: 'Quarterly report sign-off' }).count(), 0);
  } finally {
    await other.context.close();
  }
  // Not logged in: the log-in page, then back.
  const res = await fetch(sr.details_url, { redirect: 'manual' });
  assert.equal(res.status, 303);
  assert.match(res.headers.get('location'), /^\/login\?next=/);
  expectJson(await call(base, 'GET', `/v3/signature_request/${sr.signature_request_id}`, { apiKey: sender.api_key }), 410);
});

test('send from the browser: upload a PDF, two signers in order; a missing signer is explained', { timeout: 60_000 }, async () => {
  const { context, page } = await loggedInPage(sender);
  try {
    await page.getByRole('link', { name: 'Send', exact: true }).click();
    assert.deepEqual(await seriousViolations(page), []);
    const pdf = { name: 'offer.pdf', mimeType: 'application/pdf', buffer: makePdf({ pages: 2, label: 'Offer letter' }) };
    // No signer: the form comes back with the reason and what was typed.
    await page.getByLabel('Documents (PDF)').setInputFiles(pdf);
    await page.getByLabel('Title').fill('Offer letter');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('.error').waitFor();
    assert.match(await page.locator('.error').textContent(), /Add at least one signer/);
    assert.equal(await page.getByLabel('Title').inputValue(), 'Offer letter');

    const first = uniqueEmail('offer-first');
    const second = uniqueEmail('offer-second');
    await page.getByLabel('Documents (PDF)').setInputFiles(pdf);
    await page.locator('#signer-name-1').fill('First Person');
    await page.locator('#signer-email-1').fill(first);
    await page.locator('#signer-name-2').fill('Second Person');
    await page.locator('#signer-email-2').fill(second);
    await page.getByLabel('Signers sign one after another, in this order').check();
    await Promise.all([page.waitForURL(/\/requests\/[0-9a-f]{40}$/), page.getByRole('button', { name: 'Send' }).click()]);
    assert.equal(await page.locator('h1').textContent(), 'Offer letter');
    assert.equal(await page.locator('#request-state').textContent(), 'Waiting for signatures (test mode)');
    const id = page.url().split('/').pop();
    const got = expectJson(await call(base, 'GET', `/v3/signature_request/${id}`, { apiKey: sender.api_key }), 200).signature_request;
    assert.deepEqual(got.signatures.map((s) => [s.signer_name, s.signer_email_address, s.order]),
      [['First Person', first, 0], ['Second Person', second, 1]]);
    assert.equal(got.test_mode, true);
    await waitForMailTo(server.dataDir, first);
  } finally {
    await context.close();
  }
});
