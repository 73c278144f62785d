// Expiry over real HTTP (issue 17): a request sent with an expires_at a few seconds ahead is
// closed by the server's worker when that time passes. The signer who signed stays "signed",
// the others become "expired" (Dropbox Sign's status_code), is_complete stays false; the
// signature_request_expired event reaches the account callback and the app callback (checked
// with the official SDK's EventCallbackHelper), exactly once; the sender gets one mail; the
// signing link shows the expired page (410) and a sign POST is refused.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { call, expectJson } from './lib/http.mjs';
import { createApp } from './lib/web.mjs';
import { quickSend, twoSigners } from './lib/sr.mjs';
import { startReceiver } from './lib/receiver.mjs';
import { waitForMailTo, mailsTo } from './lib/outbox.mjs';
import { WebSession, findForm } from './lib/web.mjs';
import { assertSignedEvent, saveAccountCallback, sdkView } from './lib/events.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let server;
let base;
let rx;
let acct;
let app;

before(async () => {
  rx = await startReceiver();
  server = await startServer({ extraArgs: ['--allow-private-callbacks', '--event-retry-schedule', '1,2,3'] });
  base = server.url;
  acct = await server.createAccount();
  await saveAccountCallback(base, acct.api_key, rx.url('/account'));
  app = await createApp(base, acct.api_key, { eventCallbackUrl: rx.url('/app') });
  await rx.waitFor((x) => x.path === '/account');
  await rx.waitFor((x) => x.path === '/app');
});

after(async () => {
  if (server) await server.stop();
  if (rx) await rx.stop();
});

/** Opens a signer's emailed link; returns { web, path, page }. */
async function openLink(email) {
  const [mail] = await waitForMailTo(server.dataDir, email, { timeoutMs: 15_000 });
  const url = new URL(mail.links[0].url);
  const web = new WebSession(base);
  const page = await web.get(url.pathname + url.search);
  return { web, url, page };
}

test('a request past expires_at expires once: status, events, mail, signing page', { timeout: 60_000 }, async () => {
  const signers = twoSigners();
  const expiresAt = Math.floor(Date.now() / 1000) + 4;
  const sr = await quickSend(base, { apiKey: acct.api_key }, {
    title: 'Short-lived NDA', signers, extra: { expires_at: String(expiresAt), client_id: app.clientId },
  });
  assert.equal(sr.expires_at, expiresAt);

  // The first signer signs in time.
  const first = await openLink(signers[0].email_address);
  assert.equal(first.page.status, 200);
  const form = findForm(first.page.text, 'typed_name');
  const signed = await first.web.post(first.url.pathname, { ...form.fields, action: 'sign', kind: 'typed', typed_name: 'Jack Signer', esign_consent: '1' });
  assert.ok(signed.status === 303 || signed.status === 200, `sign: ${signed.status} ${signed.text.slice(0, 200)}`);

  // The second one opens the page in time but waits too long.
  const second = await openLink(signers[1].email_address);
  assert.equal(second.page.status, 200);
  const lateForm = findForm(second.page.text, 'typed_name');

  const types = (p) => rx.postsTo(p).map((x) => x.json.event.event_type);

  const [accountPost] = await rx.waitFor((x) => x.path === '/account' && x.json.event.event_type === 'signature_request_expired', { timeoutMs: 20_000 });
  const [appPost] = await rx.waitFor((x) => x.path === '/app' && x.json.event.event_type === 'signature_request_expired', { timeoutMs: 20_000 });
  assert.ok(Date.now() / 1000 >= expiresAt, 'not before expires_at');
  const body = assertSignedEvent(accountPost, acct.api_key, 'account');
  assert.equal(sdkView(accountPost).type, 'account_callback');
  assert.equal(body.signature_request.signature_request_id, sr.signature_request_id);
  assert.equal(body.signature_request.is_complete, false);
  assertSignedEvent(appPost, acct.api_key, 'app');
  assert.equal(sdkView(appPost).type, 'app_callback');
  assert.equal(appPost.json.event.event_metadata.reported_for_app_id, app.clientId);

  const got = expectJson(await call(base, 'GET', `/v3/signature_request/${sr.signature_request_id}`, { apiKey: acct.api_key }), 200).signature_request;
  assert.equal(got.is_complete, false);
  assert.equal(got.is_declined, false);
  assert.equal(got.has_error, false);
  assert.deepEqual(got.signatures.map((s) => s.status_code), ['signed', 'expired']);

  // The signing link now shows the expired page, and signing is refused.
  const expiredPage = await second.web.get(second.url.pathname + second.url.search);
  assert.equal(expiredPage.status, 410);
  assert.match(expiredPage.text, /expired/i);
  const late = await second.web.post(second.url.pathname, { ...lateForm.fields, action: 'sign', kind: 'typed', typed_name: 'Jill Signer', esign_consent: '1' });
  assert.equal(late.status, 410, `late sign: ${late.status}`);

  // One mail to the sender; exactly one event per callback, even after more worker passes.
  const mails = await waitForMailTo(server.dataDir, acct.email_address, { timeoutMs: 10_000 });
  const expiredMails = mails.filter((m) => /^Expired: Short-lived NDA/.test(m.subject));
  assert.equal(expiredMails.length, 1);
  assert.match(expiredMails[0].text, new RegExp(signers[1].email_address));
  await sleep(2000);
  assert.equal(types('/account').filter((t) => t === 'signature_request_expired').length, 1);
  assert.equal(types('/app').filter((t) => t === 'signature_request_expired').length, 1);
  assert.equal((await mailsTo(server.dataDir, acct.email_address)).filter((m) => /^Expired:/.test(m.subject)).length, 1);
  const after2 = expectJson(await call(base, 'GET', `/v3/signature_request/${sr.signature_request_id}`, { apiKey: acct.api_key }), 200).signature_request;
  assert.deepEqual(after2.signatures.map((s) => s.status_code), ['signed', 'expired'], 'the late POST changed nothing');
});

test('a request without expires_at, or completed in time, never expires', { timeout: 30_000 }, async () => {
  const sr = await quickSend(base, { apiKey: acct.api_key }, { title: 'No expiry' });
  await sleep(1500);
  const got = expectJson(await call(base, 'GET', `/v3/signature_request/${sr.signature_request_id}`, { apiKey: acct.api_key }), 200).signature_request;
  assert.equal(got.expires_at, null);
  assert.deepEqual(got.signatures.map((s) => s.status_code), ['awaiting_signature', 'awaiting_signature']);
});
