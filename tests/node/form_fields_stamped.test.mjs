// Fields filled at completion, end to end: a request with signature, initials and date_signed
// fields for two signers (field_options.date_format DD - MM - YYYY) is sent without warnings for
// them, both signers sign through their mailed links with a typed name, and the final PDF shows
// each value on the page its field names (pdftotext per page): the signing date in the chosen
// format, the initials of the typed name, and each signature; response_data reports them. And
// signing needs the agreement to sign electronically, recorded on the audit page.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as DropboxSign from '@dropbox/sign';
import { startServer, uniqueEmail } from './lib/server.mjs';
import { call, expectJson } from './lib/http.mjs';
import { makePdf, pdfText } from './lib/pdf.mjs';
import { waitForMail } from './lib/outbox.mjs';
import { WebSession, findForm } from './lib/web.mjs';
import { getRequest, pdfBlob, sdkSignatureRequests, waitForFinalPdf } from './lib/sr.mjs';

let server;
let user;

before(async () => {
  server = await startServer();
  user = await server.createAccount();
});

after(async () => {
  if (server) await server.stop();
});

function field(type, apiId, signer, page, y, extra = {}) {
  return { document_index: 0, api_id: apiId, type, required: true, signer, page, x: 72, y, width: 180, height: 28, ...extra };
}

async function sign(link, typedName) {
  const url = new URL(link);
  const session = new WebSession(server.url);
  const page = await session.get(`${url.pathname}${url.search}`);
  assert.equal(page.status, 200, `signing page: ${page.status}`);
  const form = findForm(page.text, 'typed_name');
  const res = await session.post(url.pathname, { ...form.fields, kind: 'typed', typed_name: typedName, esign_consent: '1', action: 'sign' });
  assert.equal(res.status, 303, `sign: ${res.status} ${res.text.slice(0, 300)}`);
}

function ddmmyyyy(unixSeconds) {
  const d = new Date(unixSeconds * 1000);
  const two = (n) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())} - ${two(d.getUTCMonth() + 1)} - ${d.getUTCFullYear()}`;
}

test('signature, initials and date_signed fields are filled in the final PDF where they are placed', async () => {
  const signers = [
    { name: 'Ann Signer', email_address: uniqueEmail('ann') },
    { name: 'Bo Signer', email_address: uniqueEmail('bo') },
  ];
  const fields = [
    field('signature', 'ann_sig', 0, 1, 100),
    field('initials', 'ann_init', 0, 1, 200, { width: 60 }),
    field('date_signed', 'ann_date', 0, 1, 300),
    field('signature', 'bo_sig', 1, 2, 100),
    field('date_signed', 'bo_date', 1, 2, 200),
    field('initials', 'bo_init', 1, 2, 300, { width: 60 }),
  ];
  const form = new FormData();
  form.append('title', 'Stamped fields');
  form.append('signers', JSON.stringify(signers));
  form.append('form_fields_per_document', JSON.stringify(fields));
  form.append('field_options', JSON.stringify({ date_format: 'DD - MM - YYYY' }));
  form.append('files[0]', pdfBlob(makePdf({ pages: 2 })), 'two-pages.pdf');
  const res = await call(server.url, 'POST', '/v3/signature_request/send', { apiKey: user.api_key, multipart: form });
  const body = expectJson(res, 200);
  const fieldWarnings = (body.warnings ?? []).filter((w) => /form_fields_per_document/.test(w.warning_msg));
  assert.deepEqual(fieldWarnings, [], 'these fields are all acted on');
  const sr = body.signature_request;

  const mails = await waitForMail(server.dataDir, (m) => m.links.some((l) => sr.signatures.some((s) => s.signature_id === l.signatureId)), { count: 2 });
  const linkOf = (i) => mails.flatMap((m) => m.links).find((l) => l.signatureId === sr.signatures[i].signature_id).url;
  await sign(linkOf(0), 'Ann Quinn Signer');
  await sign(linkOf(1), 'Bo Signer');

  const { request: done, pdf } = await waitForFinalPdf(server.url, { apiKey: user.api_key }, sr.signature_request_id);
  assert.ok(done.is_complete, 'complete');
  const signedAt = done.signatures.map((s) => s.signed_at);
  // response_data reports each filled field, in the order sent.
  const [ann, bo] = done.signatures.map((s) => s.signature_id);
  assert.deepEqual(done.response_data, [
    { api_id: 'ann_sig', signature_id: ann, name: '', required: true, type: 'signature', is_signed: true },
    { api_id: 'ann_init', signature_id: ann, name: '', required: true, type: 'initials', is_signed: true },
    { api_id: 'ann_date', signature_id: ann, name: '', required: true, type: 'date_signed', value: ddmmyyyy(signedAt[0]) },
    { api_id: 'bo_sig', signature_id: bo, name: '', required: true, type: 'signature', is_signed: true },
    { api_id: 'bo_date', signature_id: bo, name: '', required: true, type: 'date_signed', value: ddmmyyyy(signedAt[1]) },
    { api_id: 'bo_init', signature_id: bo, name: '', required: true, type: 'initials', is_signed: true },
  ]);
  // The official SDK picks each item's class from its type.
  const sdk = sdkSignatureRequests(server.url, user.api_key);
  const got = (await sdk.signatureRequestGet(sr.signature_request_id)).body.signatureRequest;
  assert.ok(got.responseData[0] instanceof DropboxSign.SignatureRequestResponseDataValueSignature);
  assert.equal(got.responseData[0].isSigned, true);
  assert.ok(got.responseData[2] instanceof DropboxSign.SignatureRequestResponseDataValueDateSigned);
  assert.equal(got.responseData[2].value, ddmmyyyy(signedAt[0]));

  const one = pdfText(pdf.body, 1);
  assert.ok(one.includes(ddmmyyyy(signedAt[0])), `Ann's date on page 1:\n${one}`);
  assert.ok(one.includes('AQS'), `Ann's initials on page 1:\n${one}`);
  assert.ok(one.includes('Ann Quinn Signer'), `Ann's signature on page 1:\n${one}`);
  const two = pdfText(pdf.body, 2);
  assert.ok(two.includes(ddmmyyyy(signedAt[1])), `Bo's date on page 2:\n${two}`);
  assert.ok(two.includes('BS'), `Bo's initials on page 2:\n${two}`);
  assert.ok(!two.includes('AQS') && !one.includes(' BS'), 'each value on its own page');
});

test('signing needs the agreement to sign electronically, which the audit trail records', async () => {
  const signer = { name: 'Cy Signer', email_address: uniqueEmail('cy') };
  const form = new FormData();
  form.append('title', 'Consent needed');
  form.append('signers', JSON.stringify([signer]));
  form.append('files[0]', pdfBlob(makePdf({ pages: 1 })), 'one.pdf');
  const sr = expectJson(await call(server.url, 'POST', '/v3/signature_request/send', { apiKey: user.api_key, multipart: form }), 200).signature_request;
  const [mail] = await waitForMail(server.dataDir, (m) => m.links.some((l) => l.signatureId === sr.signatures[0].signature_id));
  const url = new URL(mail.links[0].url);
  const session = new WebSession(server.url);
  const page = await session.get(`${url.pathname}${url.search}`);
  assert.match(page.text, /I agree to use electronic records and signatures/);
  const fields = findForm(page.text, 'typed_name').fields;
  const refused = await session.post(url.pathname, { ...fields, kind: 'typed', typed_name: 'Cy Signer', action: 'sign' });
  assert.equal(refused.status, 400);
  assert.match(refused.text, /Agree to use electronic records and signatures/);
  const still = expectJson(await getRequest(server.url, { apiKey: user.api_key }, sr.signature_request_id), 200);
  assert.equal(still.signature_request.signatures[0].status_code, 'awaiting_signature');

  await sign(mail.links[0].url, 'Cy Signer');
  const { request: done, pdf } = await waitForFinalPdf(server.url, { apiKey: user.api_key }, sr.signature_request_id);
  assert.ok(done.is_complete && pdf.status === 200, 'complete, with its final PDF');
  const text = pdfText(pdf.body).replace(/\s+/g, ' ');
  assert.match(text, /signed, having agreed to sign electronically \(disclosure 2026-12\)/);
});
