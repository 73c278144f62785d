// Embedded signing through the API (issue 14) with the official SDK (@dropbox/sign 1.11.0):
// signatureRequestCreateEmbedded and signatureRequestCreateEmbeddedWithTemplate with the spec's
// examples (client_id, file_urls and template_ids pointed at this test's app, file server and
// template) and embeddedSignUrl, through an API key and through a
// Bearer token with signature_request_access; then what a user of Dropbox Sign would expect
// around them: signers get no email, a sign_url opens its page once, the order is kept, the
// sender alone may ask, and signed / canceled / unknown signatures get 409 / 410 / 404.
// Signing here goes through the embedded page's own HTTP form (the browser suite drives the
// real hellosign-embedded client in Chromium).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as DropboxSign from '@dropbox/sign';
import { startServer, uniqueEmail } from './lib/server.mjs';
import { createApp, loggedIn, obtainTokens } from './lib/web.mjs';
import { call, expectJson, assertError } from './lib/http.mjs';
import { makePdf } from './lib/pdf.mjs';
import { mailsTo } from './lib/outbox.mjs';
import { startFileServer } from './lib/fileserver.mjs';
import { embeddedSign } from './lib/embedded.mjs';
import { purchaseOrderRequest } from './lib/templates.mjs';
import { expectHttpError } from './lib/sdk.mjs';
import { specExample } from './lib/spec.mjs';

const example = specExample;

let server;
let base;
let sender;
let other;
let app;
let token;
let files;
let pdfUrl;

before(async () => {
  server = await startServer({ extraArgs: ['--allow-private-file-urls'] });
  base = server.url;
  sender = await server.createAccount();
  other = await server.createAccount();
  app = await createApp(base, sender.api_key, {
    name: 'Embedded app', domains: ['localhost'], scopes: ['signature_request_access'],
  });
  await server.approveApp(app.clientId);
  token = (await obtainTokens(base, await loggedIn(base, sender), app)).access_token;
  files = await startFileServer();
  pdfUrl = files.serve('/mutual-NDA-example.pdf', makePdf({ pages: 2, label: 'NDA' }),
    { contentType: 'application/pdf' });
});

after(async () => {
  if (files) await files.close();
  if (server) await server.stop();
});

function api(Kind, auth) {
  const a = new Kind();
  a.basePath = `${base}/v3`;
  if (auth.apiKey) a.username = auth.apiKey;
  else a.accessToken = auth.token;
  return a;
}

/** The spec's SignatureRequestCreateEmbeddedRequest example with our app, file and signers. */
function exampleRequest(overrides = {}) {
  const json = example('SignatureRequestCreateEmbeddedRequest.json');
  json.client_id = app.clientId;
  json.file_urls = [pdfUrl];
  json.signers = json.signers.map((s) => ({ ...s, email_address: uniqueEmail(s.name.toLowerCase()) }));
  json.cc_email_addresses = [uniqueEmail('lawyer')];
  return DropboxSign.SignatureRequestCreateEmbeddedRequest.init({ ...json, ...overrides });
}

for (const mode of ['apiKey', 'token']) {
  test(`${mode}: the spec's create_embedded example, then a sign_url per signer in order`, async () => {
    const auth = mode === 'apiKey' ? { apiKey: sender.api_key } : { token };
    const srApi = api(DropboxSign.SignatureRequestApi, auth);
    const embeddedApi = api(DropboxSign.EmbeddedApi, auth);
    const { body } = await srApi.signatureRequestCreateEmbedded(exampleRequest());
    const sr = body.signatureRequest;
    assert.equal(sr.title, 'NDA with Acme Co.');
    assert.equal(sr.testMode, true);
    assert.equal(sr.signatures.length, 2);
    const [jack, jill] = sr.signatures;
    assert.deepEqual(sr.signatures.map((s) => s.statusCode), ['awaiting_signature', 'awaiting_signature']);

    // Jill signs after Jack: her sign_url waits for his signature.
    await expectHttpError(embeddedApi.embeddedSignUrl(jill.signatureId), 409, 'conflict');
    const before = Math.floor(Date.now() / 1000);
    const { body: urlBody } = await embeddedApi.embeddedSignUrl(jack.signatureId);
    const { signUrl, expiresAt } = urlBody.embedded;
    assert.ok(signUrl.startsWith(`${base}/editor/embeddedSign?signature_id=${jack.signatureId}&token=`), signUrl);
    assert.ok(expiresAt >= before + 3600 - 5 && expiresAt <= before + 3600 + 5, `expires_at ${expiresAt}`);

    await embeddedSign(signUrl, { clientId: app.clientId });
    const { body: jillUrl } = await embeddedApi.embeddedSignUrl(jill.signatureId);
    await embeddedSign(jillUrl.embedded.signUrl, { clientId: app.clientId });

    let got = (await srApi.signatureRequestGet(sr.signatureRequestId)).body.signatureRequest;
    assert.deepEqual(got.signatures.map((s) => s.statusCode), ['signed', 'signed']);
    for (const until = Date.now() + 15_000; !got.isComplete && Date.now() < until;) {
      await new Promise((r) => setTimeout(r, 100));
      got = (await srApi.signatureRequestGet(sr.signatureRequestId)).body.signatureRequest;
    }
    assert.equal(got.isComplete, true, 'completed as after mailed links');
    // Signed: no more sign_urls.
    await expectHttpError(embeddedApi.embeddedSignUrl(jack.signatureId), 409, 'conflict');
    // Embedded signers are never emailed a link.
    for (const s of sr.signatures) {
      const mails = await mailsTo(server.dataDir, s.signerEmailAddress);
      assert.equal(mails.filter((m) => m.links.length > 0).length, 0,
        `${s.signerEmailAddress} got ${mails.map((m) => m.subject).join(', ')}`);
    }
  });
}

test('a sign_url opens the page once; a newer one still works', async () => {
  const auth = { apiKey: sender.api_key };
  const { body } = await api(DropboxSign.SignatureRequestApi, auth)
    .signatureRequestCreateEmbedded(exampleRequest({ signers: [{ name: 'Solo', email_address: uniqueEmail('solo') }] }));
  const sid = body.signatureRequest.signatures[0].signatureId;
  const embeddedApi = api(DropboxSign.EmbeddedApi, auth);
  const first = (await embeddedApi.embeddedSignUrl(sid)).body.embedded.signUrl;
  const params = `&client_id=${app.clientId}&parent_url=${encodeURIComponent('http://localhost/host')}&skip_domain_verification=1`;
  const opened = await fetch(first + params);
  assert.equal(opened.status, 200);
  assert.match(await opened.text(), /id="sign-form"/);
  const again = await fetch(first + params);
  assert.equal(again.status, 404, 'the second opening is refused');
  const page = await again.text();
  assert.match(page, /data-state="error"/);
  assert.match(page, /data-code="sign_url_invalid"/);
  assert.match(again.headers.get('content-security-policy'), /frame-ancestors http:\/\/localhost;/);
  const second = (await embeddedApi.embeddedSignUrl(sid)).body.embedded.signUrl;
  await embeddedSign(second, { clientId: app.clientId });
});

test('sign_url: only the sender; unknown 404, canceled 410, a mailed request 400', async () => {
  const auth = { apiKey: sender.api_key };
  const srApi = api(DropboxSign.SignatureRequestApi, auth);
  const { body } = await srApi.signatureRequestCreateEmbedded(exampleRequest());
  const sr = body.signatureRequest;
  const sid = sr.signatures[0].signatureId;
  await expectHttpError(api(DropboxSign.EmbeddedApi, { apiKey: other.api_key }).embeddedSignUrl(sid), 404, 'not_found');
  await expectHttpError(api(DropboxSign.EmbeddedApi, auth).embeddedSignUrl('0'.repeat(32)), 404, 'not_found');

  await srApi.signatureRequestCancel(sr.signatureRequestId);
  await expectHttpError(api(DropboxSign.EmbeddedApi, auth).embeddedSignUrl(sid), 410, 'deleted');

  const mailed = expectJson(await call(base, 'POST', '/v3/signature_request/send', {
    apiKey: sender.api_key,
    json: { file_urls: [pdfUrl], test_mode: 1, signers: [{ name: 'M', email_address: uniqueEmail('mailed') }] },
  }), 200).signature_request;
  await expectHttpError(api(DropboxSign.EmbeddedApi, auth).embeddedSignUrl(mailed.signatures[0].signature_id),
    400, 'bad_request', 'signature_id');
});

test('create_embedded: client_id required, the app approved outside test mode, no PINs, no reminders', async () => {
  const auth = { apiKey: sender.api_key };
  const srApi = api(DropboxSign.SignatureRequestApi, auth);
  const noClient = await call(base, 'POST', '/v3/signature_request/create_embedded', {
    apiKey: sender.api_key,
    json: { file_urls: [pdfUrl], test_mode: 1, signers: [{ name: 'A', email_address: uniqueEmail('a') }] },
  });
  assertError(noClient, 400, 'bad_request', 'client_id');

  const fresh = await createApp(base, sender.api_key, { name: 'Unapproved', domains: ['localhost'] });
  const unapproved = await call(base, 'POST', '/v3/signature_request/create_embedded', {
    apiKey: sender.api_key,
    json: { client_id: fresh.clientId, file_urls: [pdfUrl], signers: [{ name: 'A', email_address: uniqueEmail('a') }] },
  });
  assertError(unapproved, 403, 'forbidden');
  const inTestMode = await call(base, 'POST', '/v3/signature_request/create_embedded', {
    apiKey: sender.api_key,
    json: { client_id: fresh.clientId, test_mode: 1, file_urls: [pdfUrl], signers: [{ name: 'A', email_address: uniqueEmail('a') }] },
  });
  expectJson(inTestMode, 200);

  const otherApp = await call(base, 'POST', '/v3/signature_request/create_embedded', {
    apiKey: other.api_key,
    json: { client_id: app.clientId, test_mode: 1, file_urls: [pdfUrl], signers: [{ name: 'A', email_address: uniqueEmail('a') }] },
  });
  assertError(otherApp, 400, 'bad_request', 'client_id');

  await expectHttpError(srApi.signatureRequestCreateEmbedded(exampleRequest({
    signers: [{ name: 'P', email_address: uniqueEmail('p'), pin: '1234' }],
  })), 400, 'bad_request', 'signers[0][pin]');

  const { body } = await srApi.signatureRequestCreateEmbedded(exampleRequest());
  const sr = body.signatureRequest;
  const remind = await call(base, 'POST', `/v3/signature_request/remind/${sr.signatureRequestId}`, {
    apiKey: sender.api_key, json: { email_address: sr.signatures[0].signerEmailAddress },
  });
  assertError(remind, 400, 'bad_request');
});

test('a token of an app without signature_request_access cannot create embedded requests', async () => {
  const narrow = await createApp(base, sender.api_key, { name: 'Narrow', domains: ['localhost'], scopes: ['request_signature'] });
  await server.approveApp(narrow.clientId);
  const narrowToken = (await obtainTokens(base, await loggedIn(base, sender), narrow)).access_token;
  const res = await call(base, 'POST', '/v3/signature_request/create_embedded', {
    token: narrowToken,
    json: { client_id: narrow.clientId, test_mode: 1, file_urls: [pdfUrl], signers: [{ name: 'A', email_address: uniqueEmail('a') }] },
  });
  assertError(res, 403, 'forbidden');
});

test("create_embedded_with_template: the spec's example from a template; its signer signs in the frame", async () => {
  const auth = { apiKey: sender.api_key };
  const { body: created } = await api(DropboxSign.TemplateApi, auth)
    // The example's template has the role Client and no CC role.
    .templateCreate({ ...purchaseOrderRequest(makePdf({ pages: 1, label: 'Purchase order' })), ccRoles: [] });
  const templateId = created.template.templateId;
  const json = example('SignatureRequestCreateEmbeddedWithTemplateRequest.json');
  json.client_id = app.clientId;
  json.template_ids = [templateId];
  json.signers = json.signers.map((s) => ({ ...s, email_address: uniqueEmail('george') }));
  const { body } = await api(DropboxSign.SignatureRequestApi, auth).signatureRequestCreateEmbeddedWithTemplate(
    DropboxSign.SignatureRequestCreateEmbeddedWithTemplateRequest.init(json));
  const sr = body.signatureRequest;
  assert.deepEqual(sr.templateIds, [templateId]);
  assert.equal(sr.signatures[0].signerRole, 'Client');
  assert.equal(sr.subject, 'Purchase Order');
  const sid = sr.signatures[0].signatureId;
  assert.equal((await mailsTo(server.dataDir, sr.signatures[0].signerEmailAddress)).length, 0, 'not mailed');
  const { body: url } = await api(DropboxSign.EmbeddedApi, auth).embeddedSignUrl(sid);
  await embeddedSign(url.embedded.signUrl, { clientId: app.clientId });
  const got = (await api(DropboxSign.SignatureRequestApi, auth).signatureRequestGet(sr.signatureRequestId)).body.signatureRequest;
  assert.equal(got.signatures[0].statusCode, 'signed');

  // Without client_id it is no embedded request.
  delete json.client_id;
  const res = await call(base, 'POST', '/v3/signature_request/create_embedded_with_template', {
    apiKey: sender.api_key, json,
  });
  assertError(res, 400, 'bad_request', 'client_id');
});
