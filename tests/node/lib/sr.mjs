// Helpers for the signature request suites: send in each encoding (JSON, SDK-style multipart,
// legacy bracket form), the shape checks of CONTRACT.md §6.4, and downloads.
//
//   const sr = await sendOk(base, { apiKey }, { json: { file_urls: [url], signers: [...] } });
//   assertSignatureRequestShape(sr, { base });

import assert from 'node:assert/strict';
import * as DropboxSign from '@dropbox/sign';
import { call, expectJson, describe as describeRes } from './http.mjs';
import { makePdf } from './pdf.mjs';
import { uniqueEmail } from './server.mjs';

/** `{ apiKey }` or `{ token }` -> the options `call()` understands. */
export function authOpts(auth) {
  if (!auth) return {};
  if (auth.apiKey !== undefined) return { apiKey: auth.apiKey };
  if (auth.token !== undefined) return { token: auth.token };
  return {};
}

/** A Blob of PDF bytes (for FormData parts). */
export function pdfBlob(buf) {
  return new Blob([buf], { type: 'application/pdf' });
}

/**
 * SDK-style multipart (CONTRACT §0.3): `files[i]` parts, arrays/objects as JSON text, and
 * everything else as text. `files` is [{ name, data }].
 */
export function sdkForm(fields, files = []) {
  const fd = new FormData();
  files.forEach((f, i) => fd.append(`files[${i}]`, new Blob([f.data], { type: f.type || 'application/pdf' }), f.name));
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    fd.append(k, typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));
  }
  return fd;
}

/** Two unique signers (unordered unless `ordered`). */
export function twoSigners({ ordered = false, prefix = 'signer' } = {}) {
  const a = { name: 'Jack Signer', email_address: uniqueEmail(`${prefix}-jack`) };
  const b = { name: 'Jill Signer', email_address: uniqueEmail(`${prefix}-jill`) };
  if (ordered) {
    a.order = 0;
    b.order = 1;
  }
  return [a, b];
}

/** POST /v3/signature_request/send with `opts` ({ json } | { multipart } | raw) and auth. */
export function send(base, auth, opts) {
  return call(base, 'POST', '/v3/signature_request/send', { ...authOpts(auth), ...opts });
}

/** Like send() but asserts 200 and returns the `signature_request` object. */
export async function sendOk(base, auth, opts) {
  const res = await send(base, auth, opts);
  const body = expectJson(res, 200);
  assert.ok(body.signature_request, `no signature_request in ${res.text.slice(0, 300)}`);
  return body.signature_request;
}

/** A quick multipart send of one fresh PDF to `signers` (default: two unordered). */
export async function quickSend(base, auth, { title, subject, message, signers = twoSigners(), metadata,
  pages = 1, extra = {} } = {}) {
  const fields = { signers, test_mode: 'true', ...extra };
  if (title !== undefined) fields.title = title;
  if (subject !== undefined) fields.subject = subject;
  if (message !== undefined) fields.message = message;
  if (metadata !== undefined) fields.metadata = metadata;
  const pdf = makePdf({ pages, label: title || 'quick' });
  return sendOk(base, auth, { multipart: sdkForm(fields, [{ name: 'doc.pdf', data: pdf }]) });
}

const isInt = (v) => Number.isInteger(v);
const TYPE_CHECKS = {
  string: (v) => typeof v === 'string',
  'string|null': (v) => v === null || typeof v === 'string',
  boolean: (v) => typeof v === 'boolean',
  'boolean|null': (v) => v === null || typeof v === 'boolean',
  int: isInt,
  'int|null': (v) => v === null || isInt(v),
  object: (v) => v !== null && typeof v === 'object' && !Array.isArray(v),
  'string[]': (v) => Array.isArray(v) && v.every((x) => typeof x === 'string'),
  'string[]|null': (v) => v === null || (Array.isArray(v) && v.every((x) => typeof x === 'string')),
  array: (v) => Array.isArray(v),
  'array|null': (v) => v === null || Array.isArray(v),
};

/** CONTRACT.md §6.4: every field of the `signature_request` object and its JSON type. */
export const SIGNATURE_REQUEST_FIELDS = {
  signature_request_id: 'string',
  test_mode: 'boolean',
  title: 'string',
  original_title: 'string',
  subject: 'string|null',
  message: 'string|null',
  metadata: 'object',
  created_at: 'int',
  expires_at: 'int|null',
  is_complete: 'boolean',
  is_declined: 'boolean',
  has_error: 'boolean',
  files_url: 'string',
  signing_url: 'string|null',
  details_url: 'string',
  requester_email_address: 'string|null',
  cc_email_addresses: 'string[]',
  signing_redirect_url: 'string|null',
  final_copy_uri: 'string|null',
  template_ids: 'string[]|null',
  // The spec marks these three nullable; CONTRACT §6.4 lists them as arrays.
  custom_fields: 'array|null',
  attachments: 'array|null',
  response_data: 'array|null',
  signatures: 'array',
  bulk_send_job_id: 'string|null',
  // signer_experience ({form_view}) is checked on its own (assertSignerExperience) so that its
  // absence does not hide every other check.
};

/** CONTRACT.md §6.4: every field of a `signatures[]` item. */
export const SIGNATURE_FIELDS = {
  signature_id: 'string',
  signer_group_guid: 'string|null',
  signer_email_address: 'string',
  signer_name: 'string|null',
  signer_role: 'string|null',
  order: 'int|null',
  status_code: 'string',
  decline_reason: 'string|null',
  signed_at: 'int|null',
  last_viewed_at: 'int|null',
  last_reminded_at: 'int|null',
  has_pin: 'boolean',
  has_sms_auth: 'boolean|null',
  has_sms_delivery: 'boolean|null',
  sms_phone_number: 'string|null',
  reassigned_by: 'string|null',
  reassignment_reason: 'string|null',
  reassigned_from: 'string|null',
  error: 'string|null',
};

function checkFields(obj, spec, what) {
  const problems = [];
  for (const [k, type] of Object.entries(spec)) {
    if (!(k in obj)) problems.push(`${what}.${k} missing`);
    else if (!TYPE_CHECKS[type](obj[k])) problems.push(`${what}.${k} should be ${type}, got ${JSON.stringify(obj[k])}`);
  }
  return problems;
}

/**
 * Asserts the §6.4 shape of a fresh (unsigned, not canceled) request: every field with the
 * right type, URLs built from `base`, signatures awaiting signature and never signed.
 */
export function assertSignatureRequestShape(sr, { base } = {}) {
  assert.ok(sr && typeof sr === 'object', 'signature_request is an object');
  const problems = checkFields(sr, SIGNATURE_REQUEST_FIELDS, 'signature_request');
  if (Array.isArray(sr.signatures)) {
    sr.signatures.forEach((s, i) => problems.push(...checkFields(s, SIGNATURE_FIELDS, `signatures[${i}]`)));
  }
  assert.deepEqual(problems, [], `shape problems:\n${problems.join('\n')}\nin ${JSON.stringify(sr).slice(0, 1500)}`);

  const id = sr.signature_request_id;
  assert.ok(id.length >= 16, `signature_request_id too short: ${id}`);
  assert.match(id, /^[A-Za-z0-9_-]+$/);
  assert.equal(sr.is_complete, false);
  assert.equal(sr.is_declined, false);
  assert.equal(sr.has_error, false);
  assert.equal(sr.signing_url, null, 'signing_url is null (docs/signature-requests.md)');
  const now = Math.floor(Date.now() / 1000);
  assert.ok(Math.abs(sr.created_at - now) < 300, `created_at ${sr.created_at} is about now (${now})`);
  if (base) {
    assert.equal(sr.files_url, `${base}/v3/signature_request/files/${id}`);
    assert.equal(sr.details_url, `${base}/requests/${id}`);
  }
  assert.ok(sr.signatures.length >= 1, 'at least one signature');
  const ids = new Set();
  for (const s of sr.signatures) {
    assert.equal(s.status_code, 'awaiting_signature', `status_code of ${s.signer_email_address}`);
    assert.equal(s.signed_at, null, 'signed_at null before signing');
    assert.equal(s.last_viewed_at, null, 'last_viewed_at null before any view');
    assert.ok(s.signature_id.length >= 16, `signature_id too short: ${s.signature_id}`);
    assert.ok(!ids.has(s.signature_id), 'signature ids are unique');
    ids.add(s.signature_id);
  }
}

/** CONTRACT.md §6.4: `signer_experience` is an object `{form_view: string}`. */
export function assertSignerExperience(sr) {
  assert.ok('signer_experience' in sr, 'signature_request.signer_experience is present (CONTRACT §6.4)');
  const se = sr.signer_experience;
  assert.ok(se !== null && typeof se === 'object' && !Array.isArray(se), `signer_experience is an object: ${JSON.stringify(se)}`);
  assert.equal(typeof se.form_view, 'string', 'signer_experience.form_view is a string');
}

/** Asserts the signers of `sr` equal `signers` ({name, email_address, order?}) in order. */
export function assertSigners(sr, signers) {
  assert.equal(sr.signatures.length, signers.length, 'one signature per signer');
  signers.forEach((exp, i) => {
    const s = sr.signatures[i];
    assert.equal(s.signer_email_address, exp.email_address.toLowerCase(), `signatures[${i}].signer_email_address`);
    assert.equal(s.signer_name, exp.name, `signatures[${i}].signer_name`);
    if (exp.order !== undefined && exp.order !== null) assert.equal(s.order, Number(exp.order), `signatures[${i}].order`);
    else assert.ok(s.order === null || s.order === i, `signatures[${i}].order is null or ${i}, got ${s.order}`);
  });
}

/** GET /v3/signature_request/{id}. */
export function getRequest(base, auth, id) {
  return call(base, 'GET', `/v3/signature_request/${encodeURIComponent(id)}`, authOpts(auth));
}

/** GET /v3/signature_request/list with a raw query string (no leading "?"). */
export function listRequests(base, auth, rawQuery = '') {
  return call(base, 'GET', `/v3/signature_request/list${rawQuery ? `?${rawQuery}` : ''}`, authOpts(auth));
}

/** Binary GET: resolves { status, headers, body: Buffer, text }. */
export async function getBinary(url, { auth, headers = {} } = {}) {
  const h = { ...headers };
  const a = authOpts(auth);
  if (a.apiKey !== undefined) h.authorization = `Basic ${Buffer.from(`${a.apiKey}:`).toString('base64')}`;
  if (a.token !== undefined) h.authorization = `Bearer ${a.token}`;
  const res = await fetch(url, { headers: h, redirect: 'manual' });
  const body = Buffer.from(await res.arrayBuffer());
  let json;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, body, text: body.toString('latin1').slice(0, 2000), json };
}

/** GET /v3/signature_request/files/{id}[?file_type=…] as bytes. */
export function downloadFiles(base, auth, id, fileType) {
  const q = fileType === undefined ? '' : `?file_type=${encodeURIComponent(fileType)}`;
  return getBinary(`${base}/v3/signature_request/files/${encodeURIComponent(id)}${q}`, { auth });
}

/** The official SDK's SignatureRequestApi for `base`, authenticated with an API key. */
export function sdkSignatureRequests(base, apiKey) {
  const api = new DropboxSign.SignatureRequestApi();
  api.basePath = `${base}/v3`;
  api.username = apiKey;
  return api;
}

/**
 * Waits up to `timeoutMs` for request `id` to complete and its final PDF to download; returns
 * `{ request, pdf }` (the last signature_request seen and the last PDF download) either way, so
 * the caller asserts what it needs.
 */
export async function waitForFinalPdf(base, auth, id, { timeoutMs = 30_000 } = {}) {
  let request;
  let pdf;
  for (const until = Date.now() + timeoutMs; Date.now() < until;) {
    request = expectJson(await getRequest(base, auth, id), 200).signature_request;
    pdf = await downloadFiles(base, auth, id, 'pdf');
    if (request.is_complete && pdf.status === 200) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return { request, pdf };
}

export { describeRes };
