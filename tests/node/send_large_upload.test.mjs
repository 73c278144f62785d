// Large uploads of POST /v3/signature_request/send are written to disk as they arrive
// (http/upload_spill.h: multipart bodies of 4 MB or more go to <data_dir>/uploads instead of
// memory). What a client sees must not change: the documents are stored byte for byte, a bad
// one is refused with its parameter path and leaves no blob behind, the spilled body is gone
// once answered, and a send answered 200 survives SIGKILL. A multipart body sent in chunks (its
// size unknown at its headers) is spilled too.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer, stopCrashedPair } from './lib/server.mjs';
import { expectJson, basicAuth } from './lib/http.mjs';
import { makePdf, sha256 } from './lib/pdf.mjs';
import { readZip } from './lib/zip.mjs';
import { send, sendOk, sdkForm, twoSigners, getRequest, downloadFiles } from './lib/sr.mjs';

const MB = 1024 * 1024;

let first; // killed in the last test
let second; // restarted on the same data folder
let auth;

/** Every regular file under `dir` (recursively); [] when it does not exist. */
async function filesUnder(dir) {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath ?? e.path, e.name));
  } catch {
    return [];
  }
}

before(async () => {
  first = await startServer();
  const acct = await first.createAccount();
  auth = { apiKey: acct.api_key };
});

after(() => stopCrashedPair(first, second));

test('a 6 MB and a 1 MB document in one send are stored byte for byte; the spilled body is removed', async () => {
  const big = makePdf({ pages: 2, label: 'large upload', padBytes: 6 * MB });
  const small = makePdf({ pages: 1, label: 'small upload', padBytes: 1 * MB });
  const sr = await sendOk(first.url, auth, {
    multipart: sdkForm({ title: 'Large upload', signers: twoSigners({ prefix: 'large' }), test_mode: 'true' },
      [{ name: 'big.pdf', data: big }, { name: 'small.pdf', data: small }]),
  });
  assert.equal(sr.title, 'Large upload');
  const zip = await downloadFiles(first.url, auth, sr.signature_request_id, 'zip');
  assert.equal(zip.status, 200);
  assert.deepEqual(readZip(zip.body).map((e) => sha256(e.data)), [sha256(big), sha256(small)]);
  assert.deepEqual(await filesUnder(join(first.dataDir, 'uploads')), []);
});

/** POSTs `form` (FormData) to `path` in 64 KB chunks, without a Content-Length. */
async function postChunked(base, key, path, form) {
  const encoded = new Response(form);
  const bytes = Buffer.from(await encoded.arrayBuffer());
  return new Promise((resolve, reject) => {
    const u = new URL(path, base);
    const req = http.request({ host: u.hostname, port: u.port, method: 'POST', path: u.pathname, agent: false,
      headers: { authorization: basicAuth(key), 'content-type': encoded.headers.get('content-type') } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
    for (let at = 0; at < bytes.length; at += 64 * 1024) req.write(bytes.subarray(at, at + 64 * 1024));
    req.end();
  });
}

test('a multipart send in chunks is spilled and stored byte for byte; the spilled body is removed', async () => {
  const pdf = makePdf({ pages: 1, label: 'chunked upload', padBytes: 5 * MB });
  const form = sdkForm({ title: 'Chunked upload', signers: twoSigners({ prefix: 'chunked' }), test_mode: 'true' },
    [{ name: 'chunked.pdf', data: pdf }]);
  const res = await postChunked(first.url, auth.apiKey, '/v3/signature_request/send', form);
  assert.equal(res.status, 200, res.text);
  const sr = JSON.parse(res.text).signature_request;
  const zip = await downloadFiles(first.url, auth, sr.signature_request_id, 'zip');
  assert.deepEqual(readZip(zip.body).map((e) => sha256(e.data)), [sha256(pdf)]);
  assert.deepEqual(await filesUnder(join(first.dataDir, 'uploads')), []);
});

test('a large upload that is not a PDF is refused with files[1] and leaves no blob and no spilled body', async () => {
  const before = await filesUnder(join(first.dataDir, 'files'));
  const good = makePdf({ pages: 1, label: 'good', padBytes: 3 * MB });
  const bad = Buffer.alloc(5 * MB, 'not a pdf ');
  const res = await send(first.url, auth, {
    multipart: sdkForm({ title: 'Bad large upload', signers: twoSigners({ prefix: 'bad' }), test_mode: 'true' },
      [{ name: 'good.pdf', data: good }, { name: 'bad.pdf', data: bad }]),
  });
  const body = expectJson(res, 400);
  assert.equal(body.error.error_path, 'files[1]');
  assert.deepEqual(await filesUnder(join(first.dataDir, 'files')), before);
  assert.deepEqual(await filesUnder(join(first.dataDir, 'uploads')), []);
});

test('a large send answered 200 is there, whole, after SIGKILL and a restart', async () => {
  const pdf = makePdf({ pages: 1, label: 'durable large upload', padBytes: 5 * MB });
  const sr = await sendOk(first.url, auth, {
    multipart: sdkForm({ title: 'Durable large', signers: twoSigners({ prefix: 'durable' }), test_mode: 'true' },
      [{ name: 'durable.pdf', data: pdf }]),
  });
  const exited = new Promise((r) => first.proc.once('exit', r));
  first.proc.kill('SIGKILL');
  await exited;
  second = await startServer({ dataDir: first.dataDir });
  const got = expectJson(await getRequest(second.url, auth, sr.signature_request_id), 200);
  assert.equal(got.signature_request.title, 'Durable large');
  const zip = await downloadFiles(second.url, auth, sr.signature_request_id, 'zip');
  assert.equal(zip.status, 200);
  assert.deepEqual(readZip(zip.body).map((e) => sha256(e.data)), [sha256(pdf)]);
});
