// Embedded signing with the real hellosign-embedded client (issue 14): a host page served on
// loopback loads the library's UMD build from node_modules (hellosign-embedded 2.12.4, pinned
// in package.json) and calls client.open(signUrl, { clientId, ... }) in Chromium. The test
// signs, declines and cancels inside the frame; the host page's handlers receive the
// library's events. A spent sign_url reports an error to the host; an origin that is not one
// of the app's domains cannot frame the page unless the request is in test mode with domain
// verification skipped; with the app's own domain (localhost) the domain handshake runs. The
// framed page has no site header and wears the app's white_labeling_options.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium } from './lib/chromium.mjs';
import { startServer, uniqueEmail } from './lib/server.mjs';
import { createApp } from './lib/web.mjs';
import { call, expectJson } from './lib/http.mjs';
import { sdkForm, waitForFinalPdf } from './lib/sr.mjs';
import { makePdf } from './lib/pdf.mjs';
import { startEmbeddedHost, waitForHostEvent, embeddedFrame } from './lib/embedded_host.mjs';

let server;
let base;
let sender;
let app;
let host;
let browser;

before(async () => {
  server = await startServer();
  base = server.url;
  sender = await server.createAccount();
  app = await createApp(base, sender.api_key, { name: 'Host app', domains: ['localhost'] });
  await server.approveApp(app.clientId);
  // The app's colours for the framed page (primary buttons).
  expectJson(await call(base, 'PUT', `/v3/api_app/${app.clientId}`, {
    apiKey: sender.api_key,
    json: { white_labeling_options: { primary_button_color: '#00875A', primary_button_text_color: '#FFFFFF' } },
  }), 200);
  host = await startEmbeddedHost();
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (host) await host.close();
  if (server) await server.stop();
});

const hostPort = () => new URL(host.base).port;

async function createEmbedded({ signers, testMode = true, allowDecline = false } = {}) {
  const fields = {
    client_id: app.clientId,
    title: 'Embedded NDA',
    signers: signers || [{ name: 'Frame Signer', email_address: uniqueEmail('frame') }],
    test_mode: testMode ? '1' : '0',
  };
  if (allowDecline) fields.allow_decline = '1';
  const res = await call(base, 'POST', '/v3/signature_request/create_embedded', {
    apiKey: sender.api_key,
    multipart: sdkForm(fields, [{ name: 'nda.pdf', data: makePdf({ pages: 1, label: 'Embedded NDA' }) }]),
  });
  return expectJson(res, 200).signature_request;
}

async function signUrl(signatureId) {
  const res = await call(base, 'GET', `/v3/embedded/sign_url/${signatureId}`, { apiKey: sender.api_key });
  return expectJson(res, 200).embedded.sign_url;
}

/** A browser tab on the host page at `origin` ("http://127.0.0.1:P" or "http://localhost:P"). */
async function hostPage(origin) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('dialog', (d) => d.dismiss().catch(() => {}));
  await page.goto(`${origin}/host.html`);
  return { context, page };
}

const waitForEvent = waitForHostEvent;

/** Frames `src` with a plain <iframe> (no library) and returns its Frame once loaded. */
async function manualFrame(page, src) {
  await page.evaluate((url) => new Promise((resolve) => {
    const f = document.createElement('iframe');
    f.id = 'manual';
    f.addEventListener('load', () => resolve());
    f.src = url;
    document.body.appendChild(f);
  }), src);
  return (await page.locator('#manual').elementHandle()).contentFrame();
}

const frameOf = embeddedFrame;

async function signInFrame(page) {
  const frame = frameOf(page);
  await frame.locator('#esign-consent').check();
  await frame.locator('button[name=action][value=sign]').click();
}

test('sign inside the frame: the host gets ready and sign with the signatureId; the request completes', { timeout: 90_000 }, async () => {
  const signers = [
    { name: 'First Framed', email_address: uniqueEmail('first'), order: 0 },
    { name: 'Second Framed', email_address: uniqueEmail('second'), order: 1 },
  ];
  const sr = await createEmbedded({ signers });
  const [first, second] = sr.signatures;
  const { context, page } = await hostPage(host.base);
  try {
    const url = await signUrl(first.signature_id);
    await page.evaluate(({ url, clientId }) => window.openEmbedded(url, {
      clientId, testMode: true, skipDomainVerification: true,
    }), { url, clientId: app.clientId });
    const ready = await waitForEvent(page, 'ready');
    assert.equal(ready.data.signatureId, first.signature_id);
    // The page inside is the signing page, without the site's header.
    const frame = frameOf(page);
    assert.equal(await frame.locator('h1').first().textContent(), 'Embedded NDA');
    assert.equal(await frame.locator('.site-header').count(), 0);
    // Coloured with the app's white_labeling_options.
    assert.equal(await frame.locator('button[name=action][value=sign]')
      .evaluate((b) => getComputedStyle(b).backgroundColor), 'rgb(0, 135, 90)');
    await signInFrame(page);
    const signed = await waitForEvent(page, 'sign');
    assert.deepEqual(signed.data, { signatureId: first.signature_id });
    assert.equal(await frame.locator('h1').textContent(), 'Thank you');
  } finally {
    await context.close();
  }
  // The second signer's turn, as after a mailed link.
  const got = expectJson(await call(base, 'GET', `/v3/signature_request/${sr.signature_request_id}`,
    { apiKey: sender.api_key }), 200).signature_request;
  assert.deepEqual(got.signatures.map((s) => s.status_code), ['signed', 'awaiting_signature']);
  const { context: c2, page: p2 } = await hostPage(host.base);
  try {
    await p2.evaluate(({ url, clientId }) => window.openEmbedded(url, {
      clientId, testMode: true, skipDomainVerification: true,
    }), { url: await signUrl(second.signature_id), clientId: app.clientId });
    await waitForEvent(p2, 'ready');
    await signInFrame(p2);
    assert.equal((await waitForEvent(p2, 'sign')).data.signatureId, second.signature_id);
  } finally {
    await c2.close();
  }
  const { request, pdf } = await waitForFinalPdf(base, { apiKey: sender.api_key }, sr.signature_request_id);
  assert.equal(request.is_complete, true);
  assert.equal(pdf.status, 200, 'the sealed PDF is ready');
});

test('decline inside the frame: the host gets decline with the reason', { timeout: 60_000 }, async () => {
  const sr = await createEmbedded({ allowDecline: true });
  const sid = sr.signatures[0].signature_id;
  const { context, page } = await hostPage(host.base);
  try {
    await page.evaluate(({ url, clientId }) => window.openEmbedded(url, {
      clientId, testMode: true, skipDomainVerification: true,
    }), { url: await signUrl(sid), clientId: app.clientId });
    await waitForEvent(page, 'ready');
    const frame = frameOf(page);
    await frame.locator('#decline-reason').fill('Wrong company name');
    await frame.locator('button[name=action][value=decline]').click();
    const declined = await waitForEvent(page, 'decline');
    assert.deepEqual(declined.data, { signatureId: sid, reason: 'Wrong company name' });
  } finally {
    await context.close();
  }
  const got = expectJson(await call(base, 'GET', `/v3/signature_request/${sr.signature_request_id}`,
    { apiKey: sender.api_key }), 200).signature_request;
  assert.equal(got.is_declined, true);
});

test("cancel: the host's close button asks the page, which answers; the host emits cancel and closes", { timeout: 60_000 }, async () => {
  const sr = await createEmbedded();
  const { context, page } = await hostPage(host.base);
  try {
    await page.evaluate(({ url, clientId }) => window.openEmbedded(url, {
      clientId, testMode: true, skipDomainVerification: true,
    }), { url: await signUrl(sr.signatures[0].signature_id), clientId: app.clientId });
    await waitForEvent(page, 'ready');
    await page.locator('.x-hellosign-embedded__modal-close-button').click();
    await waitForEvent(page, 'cancel');
    await waitForEvent(page, 'close');
    assert.equal(await page.locator('iframe.x-hellosign-embedded__iframe').count(), 0);
  } finally {
    await context.close();
  }
});

test('a spent sign_url: the frame reports an error to the host instead of showing the form', { timeout: 60_000 }, async () => {
  const sr = await createEmbedded();
  const url = await signUrl(sr.signatures[0].signature_id);
  const { context, page } = await hostPage(host.base);
  try {
    const open = ({ url, clientId }) => window.openEmbedded(url, { clientId, testMode: true, skipDomainVerification: true });
    await page.evaluate(open, { url, clientId: app.clientId });
    await waitForEvent(page, 'ready');
    await page.evaluate(() => { window.events = []; });
    await page.evaluate(open, { url, clientId: app.clientId });
    const error = await waitForEvent(page, 'error');
    assert.deepEqual(error.data, { signatureId: sr.signatures[0].signature_id, code: 'sign_url_invalid' });
    assert.equal(await page.locator('iframe').count(), 1, 'the library replaced its frame');
    assert.equal(await frameOf(page).locator('#sign-form').count(), 0);
  } finally {
    await context.close();
  }
});

test("the app's own domain passes the domain handshake without test mode; another origin cannot frame the page", { timeout: 90_000 }, async () => {
  const sr = await createEmbedded({ testMode: false });
  const sid = sr.signatures[0].signature_id;

  // 127.0.0.1 is not one of the app's domains: the page refuses and says so to the host.
  {
    const { context, page } = await hostPage(host.base);
    try {
      await page.evaluate(({ url, clientId }) => window.openEmbedded(url, { clientId }),
        { url: await signUrl(sid), clientId: app.clientId });
      const error = await waitForEvent(page, 'error');
      assert.equal(error.data.code, 'domain_not_allowed');
      assert.equal(await frameOf(page).locator('#sign-form').count(), 0);
    } finally {
      await context.close();
    }
  }

  // A host on 127.0.0.1 that claims to be on localhost: the browser refuses to frame it. The
  // same frame made by a page that is on localhost shows the form.
  const forgedParent = encodeURIComponent(`http://localhost:${hostPort()}/host.html`);
  for (const [origin, shown] of [[host.base, false], [`http://localhost:${hostPort()}`, true]]) {
    const { context, page } = await hostPage(origin);
    try {
      const src = `${await signUrl(sid)}&client_id=${app.clientId}&parent_url=${forgedParent}&skip_domain_verification=0`;
      const frame = await manualFrame(page, src);
      if (shown) {
        assert.match(frame.url(), /\/editor\/embeddedSign/);
        await frame.locator('#sign-form').waitFor();
      } else {
        assert.match(frame.url(), /^chrome-error:/, `blocked, got ${frame.url()}`);
      }
    } finally {
      await context.close();
    }
  }

  // On localhost (the app's domain), without test mode: handshake, ready, sign.
  const { context, page } = await hostPage(`http://localhost:${hostPort()}`);
  try {
    await page.evaluate(({ url, clientId }) => window.openEmbedded(url, { clientId }),
      { url: await signUrl(sid), clientId: app.clientId });
    const ready = await waitForEvent(page, 'ready');
    assert.equal(ready.data.signatureId, sid);
    await signInFrame(page);
    assert.equal((await waitForEvent(page, 'sign')).data.signatureId, sid);
  } finally {
    await context.close();
  }
});
