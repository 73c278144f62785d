// What the server answers at the HTTP level, before any route (http/request_limits.h,
// http/protocol_checks.h), in Dropbox Sign's error format rather than a closed socket:
// - requests over the limits: a URL over 16 KB is answered 414, more than 200 header fields
//   431, and a body over the limit (64 MB with --max-file-mb 1; 8 MB when it is not multipart,
//   as only multipart bodies carry files) 413, whether its Content-Length says so up front or it
//   grows over the limit in chunks. The client gets the answer once it
//   has sent its body, and the connection then serves its next request. The official SDK shows
//   the 413 as an HttpError. A body in tiny chunks costs no more memory than its bytes
//   (RESTinio's list of chunks is not kept), and a multipart body in chunks is spilled to disk,
//   so one over the limit neither grows the server nor leaves a file;
// - HTTP/1.1's rules: no Host header, or two, is 400; HTTP/2.0 spoken as text is 505; a body
//   with a Content-Encoding is 415 rather than read as if it were plain, and one with a
//   Transfer-Encoding other than chunked 501;
// - malformed HTTP is answered 400 (501 for an unknown method) and the connection closed, where
//   RESTinio closed it without a word;
// - pipelined requests (several sent before any answer) are all answered, in order; RESTinio
//   closed the connection after the first answer of three;
// - an answer to HEAD has no body but the GET's Content-Length, refusals included;
// - "Expect: 100-continue" gets "100 Continue" before the body is sent: curl (under PHP's and
//   Ruby's SDKs) sends it with every body over 1 MB and otherwise waits a second first.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** Sends `text` on a new connection; resolves the first answer's status line and body. */
function raw(text) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(new URL(server.url).port, '127.0.0.1');
    let got = '';
    socket.on('error', reject);
    socket.on('data', (d) => {
      got += d;
      const head = got.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(got);
      if (head >= 0 && length && got.length >= head + 4 + Number(length[1])) {
        socket.destroy();
        resolve({ status: got.slice(0, got.indexOf('\r\n')), json: JSON.parse(got.slice(head + 4)) });
      }
    });
    socket.on('close', () => reject(new Error(`closed after ${JSON.stringify(got)}`)));
    socket.write(text);
  });
}

test('an HTTP/1.1 request without a Host header, or with two: 400; HTTP/1.0 needs none', async () => {
  const auth = `Authorization: ${basicAuth(apiKey)}\r\n`;
  const none = await raw(`GET /v3/account HTTP/1.1\r\n${auth}\r\n`);
  assert.equal(none.status, 'HTTP/1.1 400 Bad Request');
  assert.equal(none.json.error.error_name, 'bad_request');
  assert.match(none.json.error.error_msg, /Host/);
  const two = await raw(`GET /v3/account HTTP/1.1\r\nHost: a\r\nHost: b\r\n${auth}\r\n`);
  assert.equal(two.status, 'HTTP/1.1 400 Bad Request');
  const one = await raw(`GET /v3/account HTTP/1.1\r\nHost: a\r\n${auth}\r\n`);
  assert.equal(one.status, 'HTTP/1.1 200 OK');
  assert.ok(one.json.account.account_id);
  const old = await raw(`GET /v3/account HTTP/1.0\r\n${auth}\r\n`);
  assert.match(old.status, / 200 OK$/);
});

test('Transfer-Encoding other than chunked alone: 501, not read as plain', async () => {
  const res = await raw('POST /v3/signature_request/send HTTP/1.1\r\nHost: a\r\n' +
    `Authorization: ${basicAuth(apiKey)}\r\nContent-Type: application/json\r\n` +
    'Transfer-Encoding: gzip, chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n');
  assert.equal(res.status, 'HTTP/1.1 501 Not Implemented');
  assert.equal(res.json.error.error_name, 'bad_request');
});

test('HTTP/2.0 spoken as text: 505', async () => {
  const res = await raw(`GET /v3/account HTTP/2.0\r\nHost: a\r\nAuthorization: ${basicAuth(apiKey)}\r\n\r\n`);
  assert.equal(res.status, 'HTTP/1.1 505 HTTP Version Not Supported');
  assert.equal(res.json.error.error_name, 'bad_request');
});

test('a gzip-encoded body: 415 instead of being read as plain JSON', async () => {
  const body = gzipSync(JSON.stringify({ name: 'Renamed by gzip' }));
  const res = await fetch(`${server.url}/v3/account`, {
    method: 'PUT',
    headers: { authorization: basicAuth(apiKey), 'content-type': 'application/json', 'content-encoding': 'gzip' },
    body,
  });
  assert.equal(res.status, 415);
  assert.equal((await res.json()).error.error_name, 'bad_request');
});

/**
 * Sends `text` on a new connection and reads until `count` answers have come: [{head, body}]
 * (each body as long as its Content-Length says).
 */
function rawAnswers(text, count, { bodiless = [] } = {}) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(new URL(server.url).port, '127.0.0.1');
    let got = Buffer.alloc(0);
    const heads = [];
    const timer = setTimeout(() => { socket.destroy(); reject(new Error(`${heads.length} of ${count} answers`)); }, 10_000);
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`closed after ${heads.length} of ${count} answers`)));
    socket.on('data', (d) => {
      got = Buffer.concat([got, d]);
      for (;;) {
        const end = got.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = got.subarray(0, end).toString();
        // An answer to HEAD (its index in `bodiless`) has none, whatever its Content-Length.
        const length = bodiless.includes(heads.length) ? 0 : Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (got.length < end + 4 + length) return;
        heads.push({ head, body: got.subarray(end + 4, end + 4 + length).toString() });
        got = got.subarray(end + 4 + length);
        if (heads.length === count) {
          clearTimeout(timer);
          socket.removeAllListeners('close');
          socket.destroy();
          resolve(heads);
          return;
        }
      }
    });
    socket.write(text);
  });
}

test('pipelined requests are all answered, in order', async () => {
  const auth = `Authorization: ${basicAuth(apiKey)}\r\n`;
  const body = 'grant_type=refresh_token&client_id=x&client_secret=y&refresh_token=z';
  const requests = [
    'GET /nope-1 HTTP/1.1\r\nHost: x\r\n\r\n',
    `GET /v3/account HTTP/1.1\r\nHost: x\r\n${auth}\r\n`,
    `GET /v3/account?x=${'a'.repeat(17_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    `POST /oauth/token?refresh HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    'GET /nope-2 HTTP/1.1\r\nHost: x\r\n\r\n',
  ];
  const answers = await rawAnswers(requests.join(''), requests.length);
  const statuses = answers.map((a) => a.head.split('\r\n')[0]);
  assert.deepEqual(statuses, ['HTTP/1.1 404 Not Found', 'HTTP/1.1 200 OK', 'HTTP/1.1 414 URI Too Long',
    statuses[3], 'HTTP/1.1 404 Not Found']);
  assert.match(statuses[3], /^HTTP\/1\.1 4\d\d /, 'the refresh with a made-up client is refused');
  assert.equal(JSON.parse(answers[1].body).account.email_address.includes('@'), true);
  const many = await rawAnswers('GET /nope HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(50), 50);
  assert.equal(many.length, 50);
});

test('malformed HTTP: 400, an unknown method 501, then the connection closes', async () => {
  const twoLengths = await raw('POST /v3/account HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab');
  assert.equal(twoLengths.status, 'HTTP/1.1 400 Bad Request');
  assert.equal(twoLengths.json.error.error_name, 'bad_request');
  assert.match(twoLengths.json.error.error_msg, /content-length/);
  const badByte = await raw('GET /v3/account HTTP/1.1\r\nHost: x\r\nX-A\u0001: 1\r\n\r\n');
  assert.equal(badByte.status, 'HTTP/1.1 400 Bad Request');
  const method = await raw('GOT /v3/account HTTP/1.1\r\nHost: x\r\n\r\n');
  assert.equal(method.status, 'HTTP/1.1 501 Not Implemented');
  const huge = await raw(`GET /v3/account HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(90_000)}\r\n\r\n`);
  assert.equal(huge.status, 'HTTP/1.1 431 Request Header Fields Too Large', 'over 80 KB of headers');
  // After an answered request on the same connection too.
  const answers = await rawAnswers('GET /nope HTTP/1.1\r\nHost: x\r\n\r\n' +
    'GET /v3/account HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n', 2);
  assert.match(answers[0].head, /^HTTP\/1\.1 404 /);
  assert.match(answers[1].head, /^HTTP\/1\.1 400 Bad Request\r\nConnection: close/);
});

test('an answer to HEAD has no body but the Content-Length of the GET, a refusal too', async () => {
  const auth = `Authorization: ${basicAuth(apiKey)}\r\n`;
  const requests = (method) => [
    `${method} /v3/account?x=${'a'.repeat(17_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    `${method} /v3/account HTTP/1.1\r\nHost: x\r\n${auth}\r\n`,
  ].join('');
  const gets = await rawAnswers(requests('GET'), 2);
  const heads = await rawAnswers(`${requests('HEAD')}GET /nope HTTP/1.1\r\nHost: x\r\n\r\n`, 3, { bodiless: [0, 1] });
  const contentLength = (answer) => Number(/content-length: (\d+)/i.exec(answer.head)?.[1]);
  assert.match(heads[0].head, /^HTTP\/1\.1 414 /);
  assert.match(heads[1].head, /^HTTP\/1\.1 200 /);
  for (const k of [0, 1]) {
    assert.ok(gets[k].body.length > 0);
    assert.equal(contentLength(heads[k]), Buffer.byteLength(gets[k].body), `answer ${k}: the GET's length`);
  }
  // The 404 after them is read whole from where the HEAD answers ended: they sent no body.
  assert.match(heads[2].head, /^HTTP\/1\.1 404 /);
  assert.equal(JSON.parse(heads[2].body).error.error_name, 'not_found');
});

test('Expect: 100-continue: "100 Continue" comes before the body is sent, then the answer', async () => {
  const socket = net.connect(new URL(server.url).port, '127.0.0.1');
  socket.on('error', () => {});
  await new Promise((resolve) => socket.once('connect', resolve));
  let got = '';
  const arrived = (pred, what) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${what} within 10 s; got ${JSON.stringify(got)}`)), 10_000);
    const check = () => { if (pred(got)) { clearTimeout(timer); socket.off('data', onData); resolve(); } };
    const onData = (d) => { got += d; check(); };
    socket.on('data', onData);
    check();
  });
  const body = '{"title":"x"}';
  socket.write('POST /v3/signature_request/send HTTP/1.1\r\nHost: x\r\n' +
    `Authorization: ${basicAuth(apiKey)}\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${body.length}\r\nExpect: 100-Continue \t\r\n\r\n`); // any case, spaces after
  await arrived((t) => t.includes('\r\n\r\n'), '100 Continue');
  assert.equal(got, 'HTTP/1.1 100 Continue\r\n\r\n', 'the interim answer, alone');
  socket.write(body);
  await arrived((t) => /\r\n\r\n[^]*\}\}$/.test(t.slice(25)), 'final answer');
  assert.match(got.slice(25), /^HTTP\/1\.1 400 Bad Request\r\n/);
  socket.destroy();
});

test('curl uploading 2 MB (it sends Expect: 100-continue) hears 100 Continue', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-continue-'));
  try {
    const file = join(dir, 'body.json');
    writeFileSync(file, JSON.stringify({ title: 'x'.repeat(2 * MB) }));
    const curl = spawn('curl', ['-sS', '-v', '-o', '/dev/null', '-w', '%{http_code}', '-u', `${apiKey}:`,
      '-H', 'Content-Type: application/json', '--data-binary', `@${file}`,
      `${server.url}/v3/signature_request/send`]);
    let out = '';
    let err = '';
    curl.stdout.on('data', (d) => { out += d; });
    curl.stderr.on('data', (d) => { err += d; });
    const code = await new Promise((resolve) => curl.on('close', resolve));
    assert.equal(code, 0, err);
    assert.match(err, /^> Expect: 100-continue/m, 'curl asked');
    assert.match(err, /^< HTTP\/1\.1 100 Continue/m, 'and was answered before sending');
    assert.equal(out, '400', 'the send itself is refused (no signers)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

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

test('a JSON body over 8 MB: 413; a multipart body of that size is read', async () => {
  const json = await call(server.url, 'POST', '/v3/signature_request/send',
    { apiKey, json: JSON.stringify({ title: 'x'.repeat(8 * MB + 1) }) });
  assertError(json, 413, 'bad_request');
  const form = new FormData();
  form.append('title', 'big file');
  form.append('file[0]', new Blob([Buffer.alloc(9 * MB, 0x25)]), 'big.pdf');
  const multipart = await call(server.url, 'POST', '/v3/signature_request/send', { apiKey, multipart: form });
  const refused = assertError(multipart, 400, 'bad_request'); // refused on its content
  assert.doesNotMatch(refused.error_msg, /too large/);
});

/**
 * One request on `agent`: { status, json, socket } (`socket`: the connection it went on; node
 * keeps the same object for a kept-alive connection). `chunks` are written one by one.
 * (`req.reusedSocket` is no test of that: node sets it only when the socket was already free,
 * not when the request waited in the agent's queue for the previous request to finish.)
 */
function post(agent, path, headers, chunks) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${server.url}${path}`, { method: 'POST', agent, headers }, (res) => {
      let text = '';
      const socket = res.socket; // detached from the response once it ends
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, json: JSON.parse(text), socket }));
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
      assert.ok(big.socket && next.socket, 'both answers came on a socket');
      assert.equal(next.socket, big.socket, 'the same connection');
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

test('a multipart body in chunks over the limit: 413, the server does not hold it, no file is left', async () => {
  const fresh = await startServer({ extraArgs: ['--max-file-mb', '1'] }); // its peak is this test's
  try {
    const { pid } = fresh.proc;
    const key = (await fresh.createAccount()).api_key;
    const before = memoryMb(pid, 'VmRSS');
    const boundary = 'cs-chunked-over-limit';
    const res = await new Promise((resolve, reject) => {
      const u = new URL('/v3/signature_request/send', fresh.url);
      const req = http.request({ host: u.hostname, port: u.port, method: 'POST', path: u.pathname, agent: false,
        headers: { authorization: basicAuth(key), 'content-type': `multipart/form-data; boundary=${boundary}` } }, (r) => {
        let text = '';
        r.setEncoding('utf8');
        r.on('data', (c) => { text += c; });
        r.on('end', () => resolve({ status: r.statusCode, text }));
      });
      req.on('error', reject);
      (async () => {
        req.write(`--${boundary}\r\nContent-Disposition: form-data; name="files[0]"; filename="big.pdf"\r\n` +
          'Content-Type: application/pdf\r\n\r\n');
        const piece = Buffer.alloc(MB, 0x25);
        for (let i = 0; i < 70; i += 1) {
          if (!req.write(piece)) await new Promise((r) => req.once('drain', r));
        }
        req.end(`\r\n--${boundary}--\r\n`);
      })();
    });
    assert.equal(res.status, 413, res.text);
    assert.equal(JSON.parse(res.text).error.error_name, 'bad_request');
    const grown = memoryMb(pid, 'VmHWM') - before;
    assert.ok(grown < 30, `the server's peak grew by ${grown.toFixed(1)} MB for a 70 MB body`);
    assert.deepEqual(readdirSync(join(fresh.dataDir, 'uploads')), []);
  } finally {
    await fresh.stop();
  }
});

test('a spilled upload stopped by its trailer fields (431) leaves no file', async () => {
  const boundary = 'cs-trailers';
  const res = await new Promise((resolve, reject) => {
    const socket = net.connect(new URL(server.url).port, '127.0.0.1');
    let got = '';
    socket.on('error', reject);
    socket.on('data', (d) => {
      got += d;
      if (/\r\n\r\n[^]*\}\}$/.test(got)) { socket.destroy(); resolve(got); }
    });
    const part = `--${boundary}\r\nContent-Disposition: form-data; name="files[0]"; filename="a.pdf"\r\n\r\n`;
    socket.write('POST /v3/signature_request/send HTTP/1.1\r\nHost: x\r\n' +
      `Authorization: ${basicAuth(apiKey)}\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\n` +
      'Transfer-Encoding: chunked\r\n\r\n');
    const data = Buffer.concat([Buffer.from(part), Buffer.alloc(3 * MB, 0x25)]);
    socket.write(`${data.length.toString(16)}\r\n`);
    socket.write(data);
    socket.write('\r\n0\r\n');
    for (let i = 0; i < 205; i += 1) socket.write(`X-Trailer-${i}: v\r\n`);
    socket.write('\r\n');
  });
  assert.match(res, /^HTTP\/1\.1 431 /);
  assert.deepEqual(readdirSync(join(server.dataDir, 'uploads')), []);
});
