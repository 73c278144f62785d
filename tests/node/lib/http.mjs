// Small HTTP helpers over Node's fetch: API calls with Basic (API key) or Bearer auth in
// JSON, form-urlencoded or multipart bodies, and assertions on Dropbox Sign's error shape.

import assert from 'node:assert/strict';

/** Value of an `Authorization: Basic` header carrying an API key as the username. */
export function basicAuth(apiKey) {
  return `Basic ${Buffer.from(`${apiKey}:`).toString('base64')}`;
}

/**
 * One HTTP call. Options:
 *   apiKey | token   -> Basic / Bearer auth
 *   json             -> JSON body (object or a raw string)
 *   form             -> application/x-www-form-urlencoded body (object or URLSearchParams)
 *   multipart        -> multipart/form-data body (object of strings / Blobs, or FormData)
 *   headers, body    -> raw control
 * Never follows redirects. Resolves { status, headers, text, json } (json undefined when the
 * body is not JSON).
 */
export async function call(base, method, path, opts = {}) {
  const headers = { ...(opts.headers || {}) };
  let body = opts.body;
  if (opts.apiKey !== undefined) headers.authorization = basicAuth(opts.apiKey);
  if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
  if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = typeof opts.json === 'string' ? opts.json : JSON.stringify(opts.json);
  } else if (opts.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(opts.form).toString();
  } else if (opts.multipart !== undefined) {
    if (opts.multipart instanceof FormData) {
      body = opts.multipart;
    } else {
      body = new FormData();
      for (const [k, v] of Object.entries(opts.multipart)) body.append(k, v);
    }
  }
  const res = await fetch(base + path, { method, headers, body, redirect: 'manual' });
  const text = await res.text();
  let json;
  try {
    json = text.length ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** Short description of a response for assertion messages. */
export function describe(res) {
  return `HTTP ${res.status} ${res.text.slice(0, 500)}`;
}

/**
 * Asserts a Dropbox Sign error: the status, a JSON body exactly
 * {"error":{"error_msg":string,"error_name":string[,"error_path":string]}} and, when given,
 * the error_name and error_path. Returns the `error` object.
 */
export function assertError(res, status, errorName, errorPath) {
  assert.equal(res.status, status, `expected HTTP ${status}, got ${describe(res)}`);
  assert.match(res.headers.get('content-type') || '', /application\/json/,
    `error content-type: ${res.headers.get('content-type')}`);
  assert.ok(res.json && typeof res.json === 'object', `error body is not JSON: ${res.text}`);
  assert.deepEqual(Object.keys(res.json), ['error'], `top-level keys of ${res.text}`);
  const e = res.json.error;
  assert.equal(typeof e.error_msg, 'string', `error_msg in ${res.text}`);
  assert.ok(e.error_msg.length > 0, `empty error_msg in ${res.text}`);
  assert.equal(typeof e.error_name, 'string', `error_name in ${res.text}`);
  assert.ok(e.error_name.length > 0, `empty error_name in ${res.text}`);
  for (const k of Object.keys(e)) {
    assert.ok(['error_msg', 'error_name', 'error_path'].includes(k), `unexpected key ${k} in ${res.text}`);
  }
  if ('error_path' in e) assert.equal(typeof e.error_path, 'string', `error_path in ${res.text}`);
  if (errorName !== undefined) assert.equal(e.error_name, errorName, `error_name in ${res.text}`);
  if (errorPath !== undefined) {
    if (errorPath instanceof RegExp) assert.match(e.error_path ?? '', errorPath, `error_path in ${res.text}`);
    else assert.equal(e.error_path, errorPath, `error_path in ${res.text}`);
  }
  return e;
}

/** Asserts HTTP `status` and returns the parsed JSON body. */
export function expectJson(res, status) {
  assert.equal(res.status, status, `expected HTTP ${status}, got ${describe(res)}`);
  assert.match(res.headers.get('content-type') || '', /application\/json/,
    `content-type: ${res.headers.get('content-type')}`);
  assert.ok(res.json !== undefined, `body is not JSON: ${res.text}`);
  return res.json;
}
