// Unclaimed drafts (issue 15) through the official SDK (@dropbox/sign 1.11.0):
// unclaimedDraftCreate (files and file_urls), unclaimedDraftCreateEmbedded,
// unclaimedDraftCreateEmbeddedWithTemplate and unclaimedDraftEditAndResend with the spec's
// examples (client_id, file_urls and template_ids pointed at this test's app, file server and
// template); the answer's exact shape (types, nulls, claim_url forms); the 400s of a bad body,
// 401/403 of credentials and scopes, 404 for someone else's request; and that a draft mails
// nobody and lists no request until it is sent. The claim flow itself is tested at the service
// level (tests/unit/service/draft_service_test.cc) and by the pages' own tests.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as DropboxSign from '@dropbox/sign';
import { startServer, uniqueEmail } from './lib/server.mjs';
import { createApp, loggedIn, obtainTokens } from './lib/web.mjs';
import { call, expectJson, assertError } from './lib/http.mjs';
import { makePdf } from './lib/pdf.mjs';
import { readOutbox } from './lib/outbox.mjs';
import { startFileServer } from './lib/fileserver.mjs';
import { sdkFor, purchaseOrderRequest } from './lib/templates.mjs';
import { expectHttpError } from './lib/sdk.mjs';
import { specExample } from './lib/spec.mjs';
import { frameParams, hiddenInputs } from './lib/embedded.mjs';

const example = specExample;

let server;
let base;
let sender;
let other;
let app;
let files;
let pdfUrl;
let pdf;

before(async () => {
  server = await startServer({ extraArgs: ['--allow-private-file-urls'] });
  base = server.url;
  sender = await server.createAccount();
  other = await server.createAccount();
  app = await createApp(base, sender.api_key, {
    name: 'Drafts app', domains: ['localhost'], scopes: ['signature_request_access'],
  });
  await server.approveApp(app.clientId);
  files = await startFileServer();
  pdf = makePdf({ pages: 1, label: 'NDA' });
  pdfUrl = files.serve('/mutual-NDA-example.pdf', pdf, { contentType: 'application/pdf' });
});

after(async () => {
  if (files) await files.close();
  if (server) await server.stop();
});

function draftsApi(auth) {
  const a = new DropboxSign.UnclaimedDraftApi();
  a.basePath = `${base}/v3`;
  if (auth.token) a.accessToken = auth.token;
  else a.username = auth;
  return a;
}

const upload = () => [{ value: pdf, options: { filename: 'nda.pdf', contentType: 'application/pdf' } }];

/** The answer's raw JSON: every key of UnclaimedDraftResponse with its spec type. */
function assertDraftShape(d, { embedded, testMode }) {
  assert.deepEqual(Object.keys(d).sort(), ['claim_url', 'expires_at', 'requesting_redirect_url',
    'signature_request_id', 'signing_redirect_url', 'test_mode']);
  assert.match(d.signature_request_id, /^[0-9a-f]{40}$/);
  const path = embedded ? '/prep-and-send/embedded-request' : '/send/claim';
  assert.match(d.claim_url, new RegExp(`^${base.replace(/[.]/g, '\\.')}${path}\\?token=[0-9a-f]{64}$`));
  assert.equal(typeof d.expires_at, 'number');
  const now = Math.floor(Date.now() / 1000);
  const ttl = embedded ? 3600 : 30 * 24 * 3600;
  assert.ok(Math.abs(d.expires_at - (now + ttl)) < 60, `expires_at ${d.expires_at}`);
  assert.equal(d.test_mode, testMode);
}

async function noRequestListed(apiKey, id) {
  const res = await call(base, 'GET', `/v3/signature_request/${id}`, { apiKey });
  assertError(res, 404, 'not_found');
  const list = expectJson(await call(base, 'GET', '/v3/signature_request/list', { apiKey }), 200);
  assert.ok(!list.signature_requests.some((r) => r.signature_request_id === id));
}

test("the spec's create example with file_urls and with files, through the SDK", async () => {
  const json = example('UnclaimedDraftCreateRequest.json');
  json.file_urls = [pdfUrl];
  json.signers = json.signers.map((s) => ({ ...s, email_address: uniqueEmail('jack') }));
  const api = draftsApi(sender.api_key);
  const { body } = await api.unclaimedDraftCreate(DropboxSign.UnclaimedDraftCreateRequest.init(json));
  const d = body.unclaimedDraft;
  assert.equal(d.testMode, true);
  assert.ok(d.signingRedirectUrl == null);
  assert.ok(d.claimUrl.startsWith(`${base}/send/claim?token=`));
  await noRequestListed(sender.api_key, d.signatureRequestId);

  const withFiles = DropboxSign.UnclaimedDraftCreateRequest.init({
    type: 'send_document', testMode: true, signingRedirectUrl: 'https://example.com/done',
  });
  withFiles.files = upload();
  const { body: b2 } = await api.unclaimedDraftCreate(withFiles);
  assert.equal(b2.unclaimedDraft.signingRedirectUrl, 'https://example.com/done');
  assert.notEqual(b2.unclaimedDraft.signatureRequestId, d.signatureRequestId);

  // Nobody is mailed for a draft.
  const mails = await readOutbox(server.dataDir);
  assert.ok(!mails.some((m) => m.to?.some?.((a) => a.includes('jack'))) &&
    !mails.some((m) => JSON.stringify(m).includes(json.signers[0].email_address)));
});

test('raw JSON answer: every field with the spec type, nulls where unset', async () => {
  const res = await call(base, 'POST', '/v3/unclaimed_draft/create', {
    apiKey: sender.api_key,
    json: { type: 'request_signature', file_urls: [pdfUrl], test_mode: 1, show_progress_stepper: true },
  });
  const body = expectJson(res, 200);
  assertDraftShape(body.unclaimed_draft, { embedded: false, testMode: true });
  assert.equal(body.unclaimed_draft.signing_redirect_url, null);
  assert.equal(body.unclaimed_draft.requesting_redirect_url, null);
  assert.deepEqual(body.warnings.map((w) => w.warning_name), ['parameter_ignored']);
  assert.match(body.warnings[0].warning_msg, /show_progress_stepper/);
});

test("the spec's create_embedded example (form fields, no signers), then edit_and_resend", async () => {
  const json = example('UnclaimedDraftCreateEmbeddedRequestFormFieldsPerDocument.json');
  json.client_id = app.clientId;
  json.file_urls = [pdfUrl];
  json.requester_email_address = sender.email_address;
  json.test_mode = true;
  json.form_fields_per_document[1].x = 430;  // the spec's 530 + 120 sticks out of the page
  const api = draftsApi(sender.api_key);
  const { body } = await api.unclaimedDraftCreateEmbedded(
    DropboxSign.UnclaimedDraftCreateEmbeddedRequest.init(json));
  assert.ok(body.unclaimedDraft.claimUrl.startsWith(`${base}/prep-and-send/embedded-request?token=`));
  await noRequestListed(sender.api_key, body.unclaimedDraft.signatureRequestId);

  const raw = expectJson(await call(base, 'POST', '/v3/unclaimed_draft/create_embedded', {
    apiKey: sender.api_key,
    json: { client_id: app.clientId, file_urls: [pdfUrl], requester_email_address: sender.email_address,
      test_mode: true, requesting_redirect_url: 'https://example.com/requested', hold_request: true },
  }), 200);
  assertDraftShape(raw.unclaimed_draft, { embedded: true, testMode: true });
  assert.equal(raw.unclaimed_draft.requesting_redirect_url, 'https://example.com/requested');
  assert.ok(raw.warnings.some((w) => /hold_request/.test(w.warning_msg)));

  // edit_and_resend of an embedded request: a new draft with a new id.
  const signer = uniqueEmail('signer');
  const sr = expectJson(await call(base, 'POST', '/v3/signature_request/create_embedded', {
    apiKey: sender.api_key,
    json: { client_id: app.clientId, file_urls: [pdfUrl], test_mode: true, title: 'Resend me',
      signers: [{ name: 'Signer', email_address: signer }] },
  }), 200).signature_request;
  const reqJson = example('UnclaimedDraftEditAndResendRequest.json');
  reqJson.client_id = app.clientId;
  reqJson.test_mode = true;
  const { body: resent } = await api.unclaimedDraftEditAndResend(sr.signature_request_id,
    DropboxSign.UnclaimedDraftEditAndResendRequest.init(reqJson));
  assert.notEqual(resent.unclaimedDraft.signatureRequestId, sr.signature_request_id);
  assert.ok(resent.unclaimedDraft.claimUrl.startsWith(`${base}/prep-and-send/embedded-request?token=`));
  assert.equal(resent.unclaimedDraft.testMode, true);

  // Another account's request, an ordinary one, a wrong client_id.
  await expectHttpError(draftsApi(other.api_key).unclaimedDraftEditAndResend(sr.signature_request_id,
    DropboxSign.UnclaimedDraftEditAndResendRequest.init(reqJson)), 404, 'not_found');
  const plain = expectJson(await call(base, 'POST', '/v3/signature_request/send', {
    apiKey: sender.api_key,
    json: { file_urls: [pdfUrl], test_mode: true, signers: [{ name: 'S', email_address: signer }] },
  }), 200).signature_request;
  await expectHttpError(api.unclaimedDraftEditAndResend(plain.signature_request_id,
    DropboxSign.UnclaimedDraftEditAndResendRequest.init(reqJson)), 404, 'not_found');
  assertError(await call(base, 'POST', `/v3/unclaimed_draft/edit_and_resend/${sr.signature_request_id}`,
    { apiKey: sender.api_key, json: { client_id: 'nope' } }), 400, 'bad_request', 'client_id');
});

test("the spec's create_embedded_with_template example", async () => {
  const { templates } = sdkFor(base, sender.api_key);
  const { body: t } = await templates.templateCreate(
    DropboxSign.TemplateCreateRequest.init(purchaseOrderRequest(pdf)));
  const json = example('UnclaimedDraftCreateEmbeddedWithTemplateRequest.json');
  json.client_id = app.clientId;
  json.template_ids = [t.template.templateId];
  json.requester_email_address = sender.email_address;
  json.signers[0].email_address = uniqueEmail('george');
  json.test_mode = true;
  const { body } = await draftsApi(sender.api_key).unclaimedDraftCreateEmbeddedWithTemplate(
    DropboxSign.UnclaimedDraftCreateEmbeddedWithTemplateRequest.init(json));
  assert.ok(body.unclaimedDraft.claimUrl.startsWith(`${base}/prep-and-send/embedded-request?token=`));
  assert.equal(body.unclaimedDraft.testMode, true);
  await noRequestListed(sender.api_key, body.unclaimedDraft.signatureRequestId);

  // The frame opens the prepare page with a row per role (prefilled) and the CC by role; sending
  // makes the request the draft announced, from the template, with the claimer's changes.
  const opened = await fetch(body.unclaimedDraft.claimUrl + frameParams(app.clientId));
  const html = await opened.text();
  assert.equal(opened.status, 200, html.slice(0, 500));
  assert.match(html, /<legend>Client<\/legend>/);
  assert.match(html, /<label for="cc-role-1">CC: Accounting<\/label>/);
  const form = new URLSearchParams(hiddenInputs(html));
  form.set('signer_role', 'Client');
  form.set('signer_name', 'Georgina');
  form.set('signer_email', json.signers[0].email_address);
  form.set('cc_role', 'Accounting');
  form.set('cc_role_email', 'books@example.com');
  form.set('title', 'Purchase order 7');
  form.set('test_mode', '1');
  form.set('action', 'send');
  const done = await fetch(`${base}/prep-and-send/embedded-request`, { method: 'POST', body: form });
  const page = await done.text();
  assert.equal(done.status, 200, page.slice(0, 800));
  assert.match(page, /data-state="sent"/);
  assert.ok(page.includes(`data-signature-request-id="${body.unclaimedDraft.signatureRequestId}"`));
  const sr = expectJson(await call(base, 'GET', `/v3/signature_request/${body.unclaimedDraft.signatureRequestId}`,
    { apiKey: sender.api_key }), 200).signature_request;
  assert.deepEqual(sr.template_ids, [t.template.templateId]);
  assert.equal(sr.title, 'Purchase order 7');
  assert.deepEqual(sr.signatures.map((s) => [s.signer_role, s.signer_name]), [['Client', 'Georgina']]);
  assert.deepEqual(sr.cc_email_addresses, ['books@example.com']);
  // The page's secret is spent with the send.
  assert.equal((await fetch(`${base}/prep-and-send/embedded-request`, { method: 'POST', body: form })).status, 404);

  // A template the caller cannot see.
  const bad = { ...json, template_ids: ['0'.repeat(40)] };
  assertError(await call(base, 'POST', '/v3/unclaimed_draft/create_embedded_with_template',
    { apiKey: sender.api_key, json: bad }), 404, 'not_found', 'template_ids[0]');
  // Roles the templates do not have, a role twice and a CC that is no address are refused as a
  // send from the template refuses them; a CC role may still be left for the prepare page.
  const cases = [
    [{ signers: [{ ...json.signers[0], role: 'NoSuchRole' }] }, 'signers[0].role'],
    [{ signers: [json.signers[0], { ...json.signers[0], email_address: uniqueEmail('twin') }] }, 'signers[1].role'],
    [{ ccs: [{ role: 'NoSuchCC', email_address: 'cc@example.com' }] }, 'ccs[0].role'],
    [{ ccs: [{ role: 'Accounting', email_address: 'not-an-email' }] }, 'ccs[0].email_address'],
  ];
  for (const [change, path] of cases) {
    assertError(await call(base, 'POST', '/v3/unclaimed_draft/create_embedded_with_template',
      { apiKey: sender.api_key, json: { ...json, ...change } }), 400, 'bad_request', path);
  }
  expectJson(await call(base, 'POST', '/v3/unclaimed_draft/create_embedded_with_template',
    { apiKey: sender.api_key, json: { ...json, ccs: [] } }), 200);
});

test('400s with the parameter path', async () => {
  const post = (path, json) => call(base, 'POST', `/v3/unclaimed_draft/${path}`, { apiKey: sender.api_key, json });
  assertError(await post('create', { file_urls: [pdfUrl] }), 400, 'bad_request', 'type');
  assertError(await post('create', { type: 'sign', file_urls: [pdfUrl] }), 400, 'bad_request', 'type');
  assertError(await post('create', { type: 'send_document', file_urls: [pdfUrl],
    signers: [{ name: 'A', email_address: 'a@example.com' }] }), 400, 'bad_request', 'signers');
  assertError(await post('create', { type: 'request_signature', file_urls: [pdfUrl],
    signers: [{ name: 'A', email_address: 'not-an-email' }] }), 400, 'bad_request', 'signers[0].email_address');
  const form = new FormData();
  form.append('type', 'request_signature');
  form.append('file_urls[]', pdfUrl);
  form.append('files[0]', new Blob([pdf], { type: 'application/pdf' }), 'nda.pdf');
  assertError(await call(base, 'POST', '/v3/unclaimed_draft/create', { apiKey: sender.api_key, multipart: form }),
    400, 'bad_request');
  assertError(await post('create', { type: 'request_signature' }), 400, 'bad_request');
  assertError(await post('create_embedded', { file_urls: [pdfUrl], requester_email_address: sender.email_address }),
    400, 'bad_request', 'client_id');
  assertError(await post('create_embedded', { file_urls: [pdfUrl], client_id: app.clientId }),
    400, 'bad_request', 'requester_email_address');
  assertError(await post('create_embedded_with_template', { client_id: app.clientId,
    requester_email_address: sender.email_address }), 400, 'bad_request', 'template_ids');
});

test('401 without credentials, 403 for a token without the scope', async () => {
  assertError(await call(base, 'POST', '/v3/unclaimed_draft/create',
    { json: { type: 'request_signature', file_urls: [pdfUrl] } }), 401);
  await expectHttpError(draftsApi('not-a-key').unclaimedDraftCreate(
    DropboxSign.UnclaimedDraftCreateRequest.init({ type: 'request_signature', fileUrls: [pdfUrl] })), 401);

  const narrow = await createApp(base, sender.api_key, {
    name: 'Narrow app', domains: ['localhost'], scopes: ['request_signature'],
  });
  const token = (await obtainTokens(base, await loggedIn(base, sender), narrow)).access_token;
  // create asks for signature_request_access; create_embedded also takes request_signature.
  await expectHttpError(draftsApi({ token }).unclaimedDraftCreate(
    DropboxSign.UnclaimedDraftCreateRequest.init({ type: 'request_signature', fileUrls: [pdfUrl] })), 403);
  const ok = await call(base, 'POST', '/v3/unclaimed_draft/create_embedded', {
    token, json: { client_id: narrow.clientId, file_urls: [pdfUrl], requester_email_address: sender.email_address, test_mode: true },
  });
  expectJson(ok, 200);

  const full = (await obtainTokens(base, await loggedIn(base, sender), app)).access_token;
  const { body } = await draftsApi({ token: full }).unclaimedDraftCreate(
    DropboxSign.UnclaimedDraftCreateRequest.init({ type: 'request_signature', fileUrls: [pdfUrl], testMode: true }));
  assert.ok(body.unclaimedDraft.claimUrl.includes('/send/claim?token='));
});
