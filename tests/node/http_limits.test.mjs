// Requests over the server's HTTP limits get an answer in Dropbox Sign's error format
// (http/request_limits.h), not a closed socket: a URL over 16 KB is answered 414, more than 200
// header fields 431, and a body over the limit (64 MB with --max-file-mb 1) 413, whether its
// Content-Length says so up front or it grows over the limit in chunks. The client gets the
// answer once it has sent its body, and the connection then serves its next request. The
// official SDK shows the 413 as an HttpError. A body in tiny chunks costs no more memory than
// its bytes (RESTinio's list of chunks is not kept).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import * as DropboxSign from '@dropbox/sign';
import { startServer } from './lib/server.mjs';
import { call, assertError, expectJson, basicAuth } from './lib/http.mjs';
import { expectHttpError } from './lib/sdk.mjs';

const MB = 1024 * 1024;
const OVER = 65 * MB; // the body limit is 64 MB with --max-file-mb 1

let server;
let apiKey;

before(async () => {
  server = await startServer({ extraArgs: ['--max-file-mb', '1'] });
  apiKey = (await server.createAccount()).api_key;
});

after(() => server?.stop());

test('a URL over 16 KB: 414 bad_request', async () => {
  const res = await call(server.url, 'GET', `/v3/account?x=${'a'.repeat(20_000)}`, { apiKey });
  assertError(res, 414, 'bad_request');
  expectJson(await call(server.url, 'GET', `/v3/account?x=${'a'.repeat(15_000)}`, { apiKey }), 200);
});

test('more than 200 header fields: 431 bad_request; 190 are served', async () => {
  const fields = (n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`x-field-${i}`, 'v']));
  // fetch adds a few fields of its own (host, accept, user-agent, ...).
  const over = await call(server.url, 'GET', '/v3/account', { apiKey, headers: fields(210) });
  assertError(over, 431, 'bad_request');
  expectJson(await call(server.url, 'GET', '/v3/account', { apiKey, headers: fields(190) }), 200);
});

test('the SDK sending a 65 MB file: HttpError 413 bad_request', async () => {
  const api = new DropboxSign.SignatureRequestApi();
  api.basePath = `${server.url}/v3`;
  api.username = apiKey;
  await expectHttpError(api.signatureRequestSend({
    title: 'too large',
    signers: [{ emailAddress: 'jack@example.com', name: 'Jack' }],
    files: [{ value: Buffer.alloc(OVER, 0x25), options: { filename: 'big.pdf', contentType: 'application/pdf' } }],
    testMode: true,
  }), 413, 'bad_request');
});

/** One request on `agent`: { status, json, reused }. `chunks` are written one by one. */
function post(agent, path, headers, chunks) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${server.url}${path}`, { method: 'POST', agent, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, json: JSON.parse(text), reused: req.reusedSocket }));
    });
    req.on('error', reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

for (const mode of ['Content-Length', 'chunked']) {
  test(`a body over the limit (${mode}): 413 once sent; the connection serves the next request`, async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const piece = Buffer.alloc(MB, 0x61);
      const headers = { authorization: basicAuth(apiKey), 'content-type': 'application/json' };
      if (mode === 'Content-Length') headers['content-length'] = OVER;
      const big = await post(agent, '/v3/signature_request/send', headers, Array(OVER / MB).fill(piece));
      assert.equal(big.status, 413);
      assert.equal(big.json.error.error_name, 'bad_request');
      assert.match(big.json.error.error_msg, /too large/);
      const next = await post(agent, '/v3/signature_request/send', { ...headers, 'content-length': 2 }, ['{}']);
      assert.equal(next.reused, true, 'the same connection');
      assert.equal(next.status, 400, JSON.stringify(next.json));
      assert.equal(next.json.error.error_name, 'bad_request');
    } finally {
      agent.destroy();
    }
  });
}

/** `field` (VmRSS, VmHWM: the peak) of process `pid`'s memory, in MB. */
function memoryMb(pid, field) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`${field}:\\s+(\\d+) kB`));
  return Number(line[1]) / 1024;
}

test('a body of 5 million 1-byte chunks does not grow the server by more than its bytes', async () => {
  const fresh = await startServer(); // its peak memory is this test's
  try {
    const { pid } = fresh.proc;
    const key = (await fresh.createAccount()).api_key;
    const socket = net.connect(new URL(fresh.url).port, '127.0.0.1');
    socket.on('error', () => {});
    await new Promise((resolve) => socket.once('connect', resolve));
    const answered = new Promise((resolve) => {
      let text = '';
      socket.on('data', (d) => { text += d; if (text.includes('\r\n\r\n')) resolve(text); });
    });
    const before = memoryMb(pid, 'VmRSS');
    socket.write('POST /v3/signature_request/send HTTP/1.1\r\nHost: x\r\n' +
      `Authorization: ${basicAuth(key)}\r\nContent-Type: application/json\r\n` +
      'Transfer-Encoding: chunked\r\n\r\n');
    const block = Buffer.from('1\r\na\r\n'.repeat(100_000));
    for (let i = 0; i < 50; i += 1) {
      if (!socket.write(block)) await new Promise((resolve) => socket.once('drain', resolve));
    }
    socket.end('0\r\n\r\n');
    assert.match(await answered, /^HTTP\/1\.1 400 /, 'the body is read to its end and answered');
    socket.destroy();
    // RESTinio's list of chunks took ~70 MB more here.
    const grown = memoryMb(pid, 'VmHWM') - before;
    assert.ok(grown < 30, `the server's peak grew by ${grown.toFixed(1)} MB for 5 MB of body (30 MB on the wire)`);
  } finally {
    await fresh.stop();
  }
});
