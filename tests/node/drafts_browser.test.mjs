// The web app's Send page with field placement, and unclaimed drafts claimed in the browser
// (issue 15), in Chromium:
// - a sender uploads a PDF for two signers in order, chooses "Place fields and preview", places
//   a signature field and a text field for the first signer and a signature field for the
//   second on the page image, and sends; the request is under "Waiting for others"; the first
//   signer signs from the email link, filling the text field; the sender's open request page
//   shows it; the second signer, an account holder, finds it under "Waiting for me" (only once it
//   is their turn) and signs with "Sign now"; the sender downloads the sealed PDF and pdfsig
//   validates it, and the ZIP holds it too;
// - an unclaimed draft made with the official SDK: its claim_url asks for a log-in, then opens
//   the prepare page prefilled; the claimer places a field and sends; the request has the id
//   the draft announced; the claim_url works once;
// - an embedded unclaimed draft opened by the real hellosign-embedded client: the prepare page
//   in the frame sends, and the host page's "send" event carries the request's id.
// axe-core finds nothing serious on the Send and prepare pages.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as DropboxSign from '@dropbox/sign';
import { launchChromium, loggedInPage as logIn, signAtLink, signNowFromWaitingForMe } from './lib/chromium.mjs';
import { startEmbeddedHost, waitForHostEvent, embeddedFrame } from './lib/embedded_host.mjs';
import { seriousViolations } from './lib/axe.mjs';
import { startServer, uniqueEmail } from './lib/server.mjs';
import { call, expectJson } from './lib/http.mjs';
import { makePdf, pdfsigReport } from './lib/pdf.mjs';
import { waitForMailTo, mailsTo } from './lib/outbox.mjs';
import { createApp } from './lib/web.mjs';
import { readZip } from './lib/zip.mjs';

let server;
let base;
let sender;
let signer; // an account holder, the second signer
let browser;

before(async () => {
  server = await startServer();
  base = server.url;
  sender = await server.createAccount();
  signer = await server.createAccount();
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

const loggedInPage = (account, options) => logIn(browser, base, account, options);

const unclaimedDrafts = (apiKey) => {
  const api = new DropboxSign.UnclaimedDraftApi();
  api.basePath = `${base}/v3`;
  api.username = apiKey;
  return api;
};

const getRequest = async (id) =>
  expectJson(await call(base, 'GET', `/v3/signature_request/${id}`, { apiKey: sender.api_key }), 200).signature_request;

// Clicks page 1 of document 1 at (fx, fy), fractions of its size, adding a `kind` field for
// the signer whose option label starts with `who`.
async function placeField(page, kind, who, fx, fy) {
  await page.selectOption('#new-field-type', kind);
  const label = await page.locator('#new-field-role option', { hasText: who }).first().textContent();
  await page.selectOption('#new-field-role', { label });
  const frame = page.locator('#pg-0-0');
  await frame.locator('img').waitFor();
  const box = await frame.boundingBox();
  await frame.click({ position: { x: box.width * fx, y: box.height * fy } });
}

async function signFromMail(email, fill) {
  const [mail] = await waitForMailTo(server.dataDir, email, { timeoutMs: 15_000 });
  const link = mail.links.find((l) => l.signatureId);
  assert.ok(link, `a signing link in the mail to ${email}`);
  await signAtLink(browser, link.url, fill);
}

test('upload, place fields for two signers, send; both sign; the sealed PDF validates', { timeout: 180_000 }, async () => {
  const external = uniqueEmail('supplier');
  let requestId;
  const { context, page } = await loggedInPage(sender);
  try {
    await page.getByRole('link', { name: 'Send', exact: true }).click();
    await page.getByLabel('Documents (PDF)').setInputFiles({
      name: 'supply.pdf', mimeType: 'application/pdf', buffer: makePdf({ pages: 1, label: 'Supply contract' }),
    });
    await page.getByLabel('Title').fill('Supply contract');
    await page.locator('#signer-name-1').fill('Sam Supplier');
    await page.locator('#signer-email-1').fill(external);
    await page.locator('#signer-name-2').fill('Bea Buyer');
    await page.locator('#signer-email-2').fill(signer.email_address);
    await page.getByLabel('Signers sign one after another, in this order').check();
    await Promise.all([page.waitForURL(/\/drafts\/[0-9a-f]{40}$/),
      page.getByRole('button', { name: 'Place fields and preview' }).click()]);
    // Nothing is sent yet.
    assert.deepEqual(await mailsTo(server.dataDir, external), []);
    assert.equal(await page.locator('#signer-email-1').inputValue(), external);
    assert.deepEqual(await seriousViolations(page), []);

    await placeField(page, 'signature', 'Signer 1', 0.3, 0.55);
    await placeField(page, 'text', 'Signer 1', 0.3, 0.7);
    await page.fill('#f1-name', 'Delivery address');
    await placeField(page, 'signature', 'Signer 2', 0.6, 0.55);
    assert.equal(await page.locator('#pg-0-0 .sign-field').count(), 3);
    await Promise.all([page.waitForURL(/\/requests\/[0-9a-f]{40}$/),
      page.getByRole('button', { name: 'Send for signature' }).click()]);
    requestId = page.url().split('/').pop();

    const sr = await getRequest(requestId);
    assert.deepEqual(sr.signatures.map((s) => [s.signer_email_address, s.order]), [[external, 0], [signer.email_address, 1]]);
    await page.goto(`${base}/documents?box=waiting_for_others`);
    assert.equal(await page.getByRole('link', { name: 'Supply contract' }).count(), 1);
  } finally {
    await context.close();
  }

  // Not the second signer's turn yet: not under "Waiting for me".
  const phone = await loggedInPage(signer, { viewport: { width: 390, height: 844 } });
  try {
    await phone.page.goto(`${base}/documents?box=waiting_for_me`);
    assert.equal(await phone.page.getByRole('link', { name: 'Supply contract' }).count(), 0);
  } finally {
    await phone.context.close();
  }

  // The sender watches the request page while the first signer signs from the email.
  const watching = await loggedInPage(sender);
  await watching.page.goto(`${base}/requests/${requestId}`);
  await signFromMail(external, async (p) => {
    const input = p.getByLabel(/Delivery address/);
    await input.fill('1 Quay Street');
  });
  await watching.page.waitForFunction(() => /Signed \d{4}-/.test(document.querySelector('.signers li')?.textContent || ''),
    null, { timeout: 20_000 });

  // Now it is the second signer's turn: "Waiting for me", then "Sign now".
  const second = await loggedInPage(signer, { viewport: { width: 390, height: 844 } });
  try {
    await signNowFromWaitingForMe(second.page, base, 'Supply contract');
  } finally {
    await second.context.close();
  }

  try {
    await watching.page.waitForFunction(() => document.getElementById('request-state')?.textContent === 'Completed (test mode)',
      null, { timeout: 30_000 });
    const done = await getRequest(requestId);
    const text = done.response_data.find((d) => d.type === 'text');
    assert.equal(text?.value, '1 Quay Street');
    assert.equal(text.signature_id, done.signatures[0].signature_id);
    assert.equal(done.response_data.filter((d) => d.type === 'signature').length, 2);

    const href = await watching.page.getByRole('link', { name: 'Download the signed PDF' }).getAttribute('href');
    const pdf = await fetch(new URL(href, base));
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    assert.match(await pdfsigReport(bytes), /Signature is Valid/);

    const zipHref = await watching.page.getByRole('link', { name: 'Download as ZIP' }).getAttribute('href');
    const zip = await fetch(new URL(zipHref, base));
    assert.equal(zip.headers.get('content-type'), 'application/zip');
    const entries = readZip(Buffer.from(await zip.arrayBuffer()));
    assert.equal(entries.length, 1);
    assert.ok(entries[0].data.equals(bytes), 'the ZIP holds the sealed PDF');
  } finally {
    await watching.context.close();
  }
});

test('an unclaimed draft from the SDK: claimed in the browser after log-in, fields placed, sent once', { timeout: 120_000 }, async () => {
  const first = uniqueEmail('draft-signer');
  const request = {
    type: 'request_signature',
    subject: 'The NDA we talked about',
    message: 'Please sign this NDA.',
    signers: [{ name: 'Dana Draft', emailAddress: first }],
    testMode: true,
    files: [{ value: makePdf({ pages: 1, label: 'Claimed NDA' }), options: { filename: 'nda.pdf', contentType: 'application/pdf' } }],
  };
  const { body } = await unclaimedDrafts(sender.api_key).unclaimedDraftCreate(request);
  const draft = body.unclaimedDraft;
  assert.match(draft.claimUrl, /\/send\/claim\?token=[0-9a-f]+$/);
  assert.match(draft.signatureRequestId, /^[0-9a-f]{40}$/);

  // Not logged in: the log-in page first, then the prepare page, prefilled.
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  try {
    await page.goto(draft.claimUrl);
    assert.equal(new URL(page.url()).pathname, '/login');
    await page.fill('#email', sender.email_address);
    await page.fill('#password', sender.password);
    await Promise.all([page.waitForURL(/\/drafts\/[0-9a-f]{40}\?done=claimed$/), page.getByRole('button', { name: 'Log in' }).click()]);
    assert.equal(await page.locator('#signer-email-1').inputValue(), first);
    assert.equal(await page.locator('#send-subject').inputValue(), 'The NDA we talked about');
    assert.equal(await page.locator('#send-test-mode').isChecked(), true);
    assert.deepEqual(await seriousViolations(page), []);
    await placeField(page, 'signature', 'Signer 1', 0.5, 0.6);
    await Promise.all([page.waitForURL(/\/requests\/[0-9a-f]{40}$/),
      page.getByRole('button', { name: 'Send for signature' }).click()]);
    assert.equal(page.url().split('/').pop(), draft.signatureRequestId);
    const sr = await getRequest(draft.signatureRequestId);
    assert.equal(sr.subject, 'The NDA we talked about');
    assert.deepEqual(sr.signatures.map((s) => s.signer_email_address), [first]);
    await waitForMailTo(server.dataDir, first);

    // The claim_url is spent.
    const again = await page.goto(draft.claimUrl);
    assert.equal(again.status(), 404);
  } finally {
    await context.close();
  }
});

test('an embedded unclaimed draft in hellosign-embedded: sent in the frame, the host hears "send"', { timeout: 120_000 }, async () => {
  const app = await createApp(base, sender.api_key, { name: 'Draft host', domains: ['localhost'] });
  const host = await startEmbeddedHost();
  const signerEmail = uniqueEmail('embedded-draft');
  const { body } = await unclaimedDrafts(sender.api_key).unclaimedDraftCreateEmbedded({
    clientId: app.clientId,
    requesterEmailAddress: sender.email_address,
    signers: [{ name: 'Frame Person', emailAddress: signerEmail }],
    testMode: true,
    files: [{ value: makePdf({ pages: 1, label: 'Framed draft' }), options: { filename: 'framed.pdf', contentType: 'application/pdf' } }],
  });
  const draft = body.unclaimedDraft;
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('dialog', (d) => d.dismiss().catch(() => {}));
  try {
    await page.goto(`${host.base}/host.html`);
    await page.evaluate(({ url, clientId }) => window.openEmbedded(url, { clientId, testMode: true, skipDomainVerification: true }),
      { url: draft.claimUrl, clientId: app.clientId });
    const frame = embeddedFrame(page);
    await frame.locator('#signer-email-1').waitFor();
    assert.equal(await frame.locator('#signer-email-1').inputValue(), signerEmail);
    assert.equal(await frame.locator('header').count(), 0, 'no site header in the frame');
    await frame.getByRole('button', { name: 'Send for signature' }).click();
    const event = await waitForHostEvent(page, 'send', 20_000);
    assert.equal(event.data.signatureRequestId, draft.signatureRequestId);
    const sr = await getRequest(draft.signatureRequestId);
    assert.deepEqual(sr.signatures.map((s) => s.signer_email_address), [signerEmail]);
  } finally {
    await context.close();
    await host.close();
  }
});
