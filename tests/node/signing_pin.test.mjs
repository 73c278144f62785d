// Signer PINs (send parameter signers[n][pin]): the signing page asks for the PIN before it
// shows the document, in a real browser (Debian's Chromium through playwright-core); the page
// images and the sign/decline POST refuse a browser that has not given it; wrong PINs are
// counted and lock the signer out after five. Also the sign form's other refusal: a decline
// the sender did not allow (403).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium } from './lib/chromium.mjs';
import { startServer, uniqueEmail } from './lib/server.mjs';
import { call, expectJson } from './lib/http.mjs';
import { quickSend } from './lib/sr.mjs';
import { waitForMailTo } from './lib/outbox.mjs';
import { WebSession, findForm, textById } from './lib/web.mjs';

let server;
let base;
let browser;
let acct;

before(async () => {
  server = await startServer();
  base = server.url;
  acct = await server.createAccount();
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

const AUTH = () => ({ apiKey: acct.api_key });

// Sends a one-signer request whose signer has `pin`; returns { sr, signer, url }.
async function sendWithPin(pin, extra = {}) {
  const signers = [{ name: 'Pat Pin', email_address: uniqueEmail('pin'), pin }];
  const sr = await quickSend(base, AUTH(), { title: 'PIN protected', signers, extra });
  const signer = sr.signatures[0];
  const [mail] = await waitForMailTo(server.dataDir, signer.signer_email_address, { timeoutMs: 15_000 });
  const link = mail.links.find((l) => l.signatureId === signer.signature_id);
  assert.ok(link, `a /sign link in ${JSON.stringify(mail.links)}`);
  return { sr, signer, url: link.url };
}

async function statusOf(id) {
  const body = expectJson(await call(base, 'GET', `/v3/signature_request/${id}`, AUTH()), 200);
  return body.signature_request.signatures[0].status_code;
}

test('the page asks for the PIN first; a wrong PIN is refused, the right one opens the document', { timeout: 90_000 }, async () => {
  const { sr, url } = await sendWithPin('4321');
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  try {
    await page.goto(url);
    assert.equal(await page.locator('#pin').count(), 1, 'a PIN field');
    assert.equal(await page.locator('img.sign-page').count(), 0, 'no page image before the PIN');
    assert.equal(await page.locator('#signature-pad, #typed-name').count(), 0, 'no signing form');
    // The page image itself is refused without the PIN.
    const img = await page.request.get(`${new URL(url).origin}${new URL(url).pathname}/page/0/0.png${new URL(url).search}`);
    assert.equal(img.status(), 403);

    await page.locator('#pin').fill('9999');
    await Promise.all([page.waitForURL((u) => u.search === ''), page.locator('button[value=pin]').click()]);
    assert.match(await page.locator('[role=alert]').textContent(), /not right.*4 tries left/);
    assert.equal(await page.locator('img.sign-page').count(), 0);

    await page.locator('#pin').fill('4321');
    await Promise.all([page.waitForURL(/\?t=/), page.locator('button[value=pin]').click()]);
    await page.waitForFunction(() => {
      const imgs = [...document.querySelectorAll('img.sign-page')];
      return imgs.length === 1 && imgs.every((i) => i.complete && i.naturalWidth > 0);
    }, null, { timeout: 20_000 });
    await page.locator('#kind-typed').check();
    await page.locator('#typed-name').fill('Pat Pin');
    await page.locator('#esign-consent').check();
    await Promise.all([page.waitForURL(/\/done\?/), page.locator('button[name=action][value=sign]').click()]);
    assert.match(await page.locator('h1').textContent(), /Thank you/);
  } finally {
    await context.close();
  }
  assert.equal(await statusOf(sr.signature_request_id), 'signed');
});

test('signing or declining without the PIN is refused and changes nothing', async () => {
  const { sr, url } = await sendWithPin('246810', { allow_decline: 'true' });
  const web = new WebSession(base);
  const path = new URL(url).pathname + new URL(url).search;
  const page = await web.get(path);
  assert.equal(page.status, 200);
  const form = findForm(page.text, 'pin');
  for (const extra of [{ action: 'sign', kind: 'typed', typed_name: 'Mallory' }, { action: 'decline', reason: 'no' }]) {
    const res = await web.post(new URL(url).pathname, { t: form.fields.t, csrf_token: form.fields.csrf_token, ...extra });
    assert.equal(res.status, 403, `${extra.action}: ${res.status} ${res.text.slice(0, 200)}`);
    assert.ok(findForm(res.text, 'pin'), 'answered with the PIN form');
  }
  // A made-up pass cookie does not help either.
  web.cookies.set('cs_pin', 'ab'.repeat(16));
  const forged = await web.post(new URL(url).pathname, { t: form.fields.t, csrf_token: form.fields.csrf_token, action: 'sign', kind: 'typed', typed_name: 'Mallory' });
  assert.equal(forged.status, 403);
  assert.equal(await statusOf(sr.signature_request_id), 'awaiting_signature');
});

test('a decline the sender did not allow is refused with 403 and the form again', async () => {
  const signers = [{ name: 'Dee Clined', email_address: uniqueEmail('nodecline') }];
  const sr = await quickSend(base, AUTH(), { title: 'No declining', signers });
  const signer = sr.signatures[0];
  const [mail] = await waitForMailTo(server.dataDir, signer.signer_email_address, { timeoutMs: 15_000 });
  const { url } = mail.links.find((l) => l.signatureId === signer.signature_id);
  const web = new WebSession(base);
  const page = await web.get(new URL(url).pathname + new URL(url).search);
  const form = findForm(page.text, 'typed_name');
  const res = await web.post(new URL(url).pathname, { t: form.fields.t, csrf_token: form.fields.csrf_token, action: 'decline', reason: 'no' });
  assert.equal(res.status, 403);
  assert.match(res.text, /does not allow declining/);
  assert.ok(findForm(res.text, 'typed_name'), 'answered with the signing form');
  assert.equal(await statusOf(sr.signature_request_id), 'awaiting_signature');
});

test('five wrong PINs lock the signer out, even with the right PIN afterwards', async () => {
  const { url } = await sendWithPin('1357');
  const web = new WebSession(base);
  const path = new URL(url).pathname;
  const page = await web.get(path + new URL(url).search);
  const form = findForm(page.text, 'pin');
  const tryPin = (pin) => web.post(path, { t: form.fields.t, csrf_token: form.fields.csrf_token, action: 'pin', pin });
  for (let i = 1; i <= 4; i++) {
    const res = await tryPin('0000');
    assert.equal(res.status, 400);
    assert.match(textById(res.text, 'pin-error'), new RegExp(`${5 - i} tr(y|ies) left`));
  }
  const fifth = await tryPin('0000');
  assert.equal(fifth.status, 429);
  assert.match(textById(fifth.text, 'pin-error'), /Too many wrong PINs\. Try again in 15 minutes/);
  const right = await tryPin('1357');
  assert.equal(right.status, 429, 'the right PIN is refused while locked');
  assert.equal(web.cookies.has('cs_pin'), false, 'no pass while locked');
  // A fresh browser (no cookies) is locked out too: the lock is the signer's, not the session's.
  const other = new WebSession(base);
  const page2 = await other.get(path + new URL(url).search);
  const form2 = findForm(page2.text, 'pin');
  const res2 = await other.post(path, { t: form2.fields.t, csrf_token: form2.fields.csrf_token, action: 'pin', pin: '1357' });
  assert.equal(res2.status, 429);
});

test('a signer without a PIN goes straight to the document', async () => {
  const signers = [{ name: 'No Pin', email_address: uniqueEmail('nopin') }];
  const sr = await quickSend(base, AUTH(), { title: 'No PIN', signers });
  const signer = sr.signatures[0];
  const [mail] = await waitForMailTo(server.dataDir, signer.signer_email_address, { timeoutMs: 15_000 });
  const url = mail.links.find((l) => l.signatureId === signer.signature_id).url;
  const web = new WebSession(base);
  const page = await web.get(new URL(url).pathname + new URL(url).search);
  assert.equal(page.status, 200);
  assert.ok(page.text.includes('class="sign-page"'), 'page images shown');
  assert.ok(!page.text.includes('name="pin"'), 'no PIN field');
});
