// Hostile input and slow work (issue: security and robustness). Every test talks to a real
// server over HTTP:
//   - a callback URL or a title with invalid UTF-8 never takes the server down;
//   - sends waiting on a file_urls server that never answers do not hold the HTTP threads: the
//     log-in page is served while all of them wait, and a full fetch queue answers 503 with
//     Retry-After instead of queueing without bound;
//   - conformance: 405 carries Allow, unimplemented Dropbox Sign operations name themselves,
//     details_url leads to a page, cancel's 200 is labelled.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { startServer } from './lib/server.mjs';
import { call, assertError, expectJson } from './lib/http.mjs';
import { makePdf } from './lib/pdf.mjs';
import { send, sendOk, quickSend, twoSigners } from './lib/sr.mjs';
import { startReceiver } from './lib/receiver.mjs';

/** A TCP server on loopback that accepts connections and never answers. */
async function startSilentServer() {
  const sockets = new Set();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  let accepted = 0;
  server.on('connection', () => { accepted += 1; });
  return {
    url: (path) => `http://127.0.0.1:${server.address().port}${path}`,
    accepted: () => accepted,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

/** Resolves once `pred()` holds (polled), or rejects after `timeoutMs`. */
async function until(pred, what, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function fileUrlSend(base, key, url) {
  return send(base, { apiKey: key }, {
    json: { signers: twoSigners(), file_urls: [url], test_mode: true },
  });
}

describe('invalid UTF-8', () => {
  let server;
  let rx;
  before(async () => {
    rx = await startReceiver();
    server = await startServer({ extraArgs: ['--allow-private-callbacks', '--event-retry-schedule', '1,2'] });
  });
  after(async () => {
    if (server) await server.stop();
    if (rx) await rx.stop();
  });

  test('a callback_url with a raw 0xFF byte is refused with 400 callback_url', async () => {
    const acct = await server.createAccount();
    const res = await call(server.url, 'PUT', '/v3/account', {
      apiKey: acct.api_key,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'callback_url=https%3A%2F%2Fexample.com%2F%FF',
    });
    assertError(res, 400, 'bad_request', 'callback_url');
    expectJson(await call(server.url, 'GET', '/v3/account', { apiKey: acct.api_key }), 200);
  });

  test('a multipart title with byte 0xFF does not stop event delivery or the server', async () => {
    const acct = await server.createAccount();
    const path = `/utf8-${acct.account_id}`;
    expectJson(await call(server.url, 'PUT', '/v3/account', {
      apiKey: acct.api_key, json: { callback_url: rx.url(path) },
    }), 200);
    // A hand-made multipart body, so the title's bytes go on the wire as they are.
    const boundary = 'cs-boundary-1';
    const pdf = makePdf();
    const signers = JSON.stringify(twoSigners());
    const head = (name, extra = '') => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${extra}\r\n`;
    const body = Buffer.concat([
      Buffer.from(`${head('title')}\r\n`), Buffer.from([0x43, 0x56, 0xff, 0xfe, 0x21]), Buffer.from('\r\n'),
      Buffer.from(`${head('signers')}\r\n${signers}\r\n`),
      Buffer.from(`${head('test_mode')}\r\n1\r\n`),
      Buffer.from(`${head('files[0]', '; filename="a.pdf"')}Content-Type: application/pdf\r\n\r\n`), pdf,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await call(server.url, 'POST', '/v3/signature_request/send', {
      apiKey: acct.api_key, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body,
    });
    if (res.status === 400) {
      // Refused at the edge is as good as replaced: the field is named.
      assertError(res, 400, 'bad_request', 'title');
    } else {
      const sr = expectJson(res, 200).signature_request;
      assert.equal(sr.title, 'CV\uFFFD\uFFFD!');
      const [post] = await rx.waitFor((p) => p.path === path && p.json?.event?.event_type === 'signature_request_sent');
      assert.equal(post.json.signature_request.title, 'CV\uFFFD\uFFFD!');
    }
    // Still alive well after the worker had its chance at the event.
    await new Promise((r) => setTimeout(r, 1500));
    expectJson(await call(server.url, 'GET', '/v3/account', { apiKey: acct.api_key }), 200);
  });
});

describe('slow file_urls', () => {
  test('GET /login is served while 8 sends wait on a URL that never answers', async () => {
    const silent = await startSilentServer();
    const server = await startServer({ extraArgs: ['--allow-private-file-urls', '--threads', '2'] });
    try {
      const { api_key: key } = await server.createAccount();
      let finished = 0;
      const sends = Array.from({ length: 8 }, (_, i) => fileUrlSend(server.url, key, silent.url(`/doc${i}.pdf`))
        .then((res) => { finished += 1; return res; }));
      // Every send is now inside its download (8 connections), with only 2 HTTP threads.
      await until(() => silent.accepted() >= 8, '8 sends to reach the silent server');
      const login = await call(server.url, 'GET', '/login');
      assert.equal(login.status, 200);
      assert.match(login.text, /<form/);
      const account = await call(server.url, 'GET', '/v3/account', { apiKey: key });
      expectJson(account, 200);
      assert.equal(finished, 0, 'the pages were served while every send still waited');
      await silent.close();  // the downloads fail now: each send gets its own error
      for (const res of await Promise.all(sends)) assertError(res, 400, 'bad_request', 'file_urls[0]');
    } finally {
      await server.stop();
      await silent.close().catch(() => {});
    }
  });

  test('a full fetch queue answers 503 with Retry-After; the others are still served', async () => {
    const silent = await startSilentServer();
    const server = await startServer({
      extraArgs: ['--allow-private-file-urls', '--fetch-threads', '1', '--fetch-queue', '1'],
    });
    try {
      const { api_key: key } = await server.createAccount();
      const first = fileUrlSend(server.url, key, silent.url('/a.pdf'));
      await until(() => silent.accepted() >= 1, 'the first send to be downloading');
      const second = fileUrlSend(server.url, key, silent.url('/b.pdf'));  // waits in the queue
      await new Promise((r) => setTimeout(r, 200));
      const third = await fileUrlSend(server.url, key, silent.url('/c.pdf'));
      assertError(third, 503, 'unavailable');
      assert.match(third.headers.get('retry-after') || '', /^\d+$/);
      await silent.close();
      assertError(await first, 400, 'bad_request', 'file_urls[0]');
      assertError(await second, 400, 'bad_request', 'file_urls[0]');
      // With the queue free again, a send goes through.
      await sendOk(server.url, { apiKey: key }, {
        multipart: { signers: JSON.stringify(twoSigners()), test_mode: '1', 'files[0]': new Blob([makePdf()], { type: 'application/pdf' }) },
      });
    } finally {
      await server.stop();
      await silent.close().catch(() => {});
    }
  });
});

describe('conformance', () => {
  let server;
  let key;
  before(async () => {
    server = await startServer();
    key = (await server.createAccount()).api_key;
  });
  after(async () => {
    if (server) await server.stop();
  });

  test('405 carries Allow', async () => {
    const res = await call(server.url, 'DELETE', '/v3/account', { apiKey: key });
    assertError(res, 405);
    assert.equal(res.headers.get('allow'), 'GET, HEAD, POST, PUT');
  });

  test('an operation Countersign does not implement names itself', async () => {
    for (const [method, path, op] of [
      ['POST', '/v3/template/create_embedded_draft', 'templateCreateEmbeddedDraft'],
      ['POST', '/v3/signature_request/remove/abc', 'signatureRequestRemove'],
      ['GET', '/v3/team', 'teamGet'],
    ]) {
      const res = await call(server.url, method, path, { apiKey: key });
      const e = assertError(res, 403, 'forbidden');
      assert.ok(e.error_msg.includes(op), e.error_msg);
      assert.ok(e.error_msg.includes('does not implement'), e.error_msg);
    }
    // A path that is no operation at all stays a plain 404.
    assertError(await call(server.url, 'GET', '/v3/no_such_thing', { apiKey: key }), 404, 'not_found');
  });

  test('details_url leads to a page; cancel answers 200 with a Content-Type', async () => {
    const sr = await quickSend(server.url, { apiKey: key });
    // The request page of the web app: log in first.
    const path = new URL(sr.details_url).pathname;
    const page = await call(server.url, 'GET', path);
    assert.equal(page.status, 303);
    assert.equal(decodeURIComponent(page.headers.get('location')), `/login?next=${path}`);
    const cancel = await call(server.url, 'POST', `/v3/signature_request/cancel/${sr.signature_request_id}`, { apiKey: key });
    assert.equal(cancel.status, 200);
    assert.match(cancel.headers.get('content-type') || '', /application\/json/);
  });
});
