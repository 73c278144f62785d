// Graceful stop (issue 17): SIGTERM while a steady stream of requests runs. Every request either
// completes (HTTP 200) or is refused before the server accepted its connection (ECONNREFUSED);
// a request whose body was still arriving when the signal came is answered (a slow upload too,
// however long it takes within the grace period); a keep-alive connection opened before the
// signal gets its next answer with `Connection: close`; /readyz reports "stopping"; and the
// process exits 0.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer } from './lib/server.mjs';
import { basicAuth } from './lib/http.mjs';

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.stop();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * One request; resolves { status, body, headers } or { error: code }. `agent` false: a fresh
 * connection, closed after the answer.
 */
function request(url, { method = 'GET', path, headers = {}, body, agent = false }) {
  return new Promise((resolve) => {
    const u = new URL(path, url);
    const req = http.request({ host: u.hostname, port: u.port, method, path: u.pathname + u.search,
      headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, body: text, headers: res.headers }));
      res.on('error', (e) => resolve({ error: e.code || e.message }));
    });
    req.on('error', (e) => resolve({ error: e.code || e.message }));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

test('SIGTERM under load: no request fails, in-flight ones finish, exit code 0', async () => {
  const account = await server.createAccount();
  const auth = { authorization: basicAuth(account.api_key) };
  const outcomes = { ok: 0, refused: 0, failed: [] };
  let stopStream = false;
  let signalled = false;
  let okAfterSignal = 0;
  const loop = async () => {
    while (!stopStream) {
      const r = await request(server.url, { path: '/v3/account', headers: auth });
      if (r.status === 200 && JSON.parse(r.body).account) {
        outcomes.ok += 1;
        if (signalled) okAfterSignal += 1;
      } else if (r.error === 'ECONNREFUSED' || (signalled && r.error === 'ECONNRESET')) {
        // Refused before the server accepted the connection. After the signal a connection the
        // kernel completed but the server never accepted (the listen backlog when the listener
        // closes) is reset instead of refused: that request was not taken either. A reset of a
        // connection the server did accept would be a dropped request; the half-sent request
        // below checks that accepted ones are answered.
        outcomes.refused += 1;
        await sleep(5);
      } else {
        outcomes.failed.push(r.error || `HTTP ${r.status} ${r.body.slice(0, 200)}`);
      }
    }
  };
  const stream = Array.from({ length: 4 }, loop);
  try {

    // A keep-alive connection that has answered once before the signal.
    const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const first = await request(server.url, { path: '/v3/account', headers: auth, agent: keepAlive });
    assert.equal(first.status, 200);

    // A token request whose body is only half sent when the signal comes.
    const body = JSON.stringify({ grant_type: 'refresh_token', refresh_token: 'x'.repeat(64),
      client_id: 'no-such-client', client_secret: 'no-such-secret' });
    const slow = new Promise((resolve) => {
      const u = new URL('/oauth/token', server.url);
      const req = http.request({ host: u.hostname, port: u.port, method: 'POST', path: u.pathname, agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => { text += c; });
        res.on('end', () => resolve({ status: res.statusCode, body: text }));
      });
      req.on('error', (e) => resolve({ error: e.code || e.message }));
      req.write(body.slice(0, 20));
      setTimeout(() => req.end(body.slice(20)), 700); // the rest after the signal
    });

    await sleep(400); // the stream is running; the slow request's headers have arrived
    const okBefore = outcomes.ok;
    assert.ok(okBefore > 0, 'the stream made requests before the signal');
    const exited = new Promise((resolve) => server.proc.once('exit', (code, signal) => resolve({ code, signal })));
    server.proc.kill('SIGTERM');
    signalled = true;

    // Once the server has taken the signal (delivered asynchronously: ask again on the same
    // connection until then) the open keep-alive connection is still served, and told to close;
    // /readyz says "stopping" (unless it was computed just before the stop began).
    let second;
    for (const until = Date.now() + 3000; Date.now() < until;) {
      second = await request(server.url, { path: '/readyz', agent: keepAlive });
      if (second.error || second.headers.connection === 'close') break;
      await sleep(10);
    }
    assert.equal(second.error, undefined, 'the open connection was served');
    assert.equal(second.headers.connection, 'close', JSON.stringify(second));
    if (second.status !== 200) {
      assert.equal(second.status, 503, JSON.stringify(second));
      assert.deepEqual(JSON.parse(second.body), { status: 'not_ready', failing: ['stopping'] });
    }
    keepAlive.destroy();

    const slowAnswer = await slow;
    assert.equal(slowAnswer.error, undefined, `the half-sent request was cut: ${slowAnswer.error}`);
    assert.equal(slowAnswer.status, 400, slowAnswer.body); // invalid_grant: the whole body was read
    assert.equal(JSON.parse(slowAnswer.body).error.error_name, 'invalid_grant', slowAnswer.body);

    const { code, signal } = await exited;
    stopStream = true;
    await Promise.all(stream);
    assert.equal(signal, null);
    assert.equal(code, 0, server.stderr.slice(-2000));
    assert.deepEqual(outcomes.failed, [], `failed requests: ${outcomes.failed.length}`);
    assert.ok(outcomes.refused > 0, 'requests after the stop were refused');
    assert.match(server.stderr, /stopping: no new connections/);
    assert.match(server.stderr, /"msg":"stopped"/);
    void okAfterSignal;
  } finally {
    stopStream = true;  // an assertion failed above: do not leave the stream running
  }
});

test('SIGTERM during a slow upload: the body is read to its end and answered', async () => {
  const own = await startServer();
  try {
    const account = await own.createAccount();
    // 300 KB of JSON in 30 pieces, one every 100 ms: ~3 s of upload, well past the 1 s a stop
    // waits for connections without activity.
    const body = JSON.stringify({ title: 'x'.repeat(300_000) });
    const piece = Math.ceil(body.length / 30);
    const exited = new Promise((resolve) => own.proc.once('exit', (code, signal) => resolve({ code, signal })));
    const answer = new Promise((resolve) => {
      const u = new URL('/v3/signature_request/send', own.url);
      const req = http.request({ host: u.hostname, port: u.port, method: 'POST', path: u.pathname, agent: false,
        headers: { authorization: basicAuth(account.api_key), 'content-type': 'application/json',
          'content-length': Buffer.byteLength(body) } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => { text += c; });
        res.on('end', () => resolve({ status: res.statusCode, body: text, headers: res.headers }));
      });
      req.on('error', (e) => resolve({ error: e.code || e.message }));
      let sent = 0;
      const timer = setInterval(() => {
        const next = body.slice(sent, sent + piece);
        sent += next.length;
        if (sent >= body.length) {
          clearInterval(timer);
          req.end(next);
        } else {
          req.write(next);
        }
      }, 100);
    });
    await sleep(500);
    own.proc.kill('SIGTERM');
    const res = await answer;
    assert.equal(res.error, undefined, `the upload was cut: ${res.error}`);
    assert.equal(res.status, 400, res.body); // read whole: refused on its content (no signers)
    assert.equal(JSON.parse(res.body).error.error_name, 'bad_request');
    assert.equal(res.headers.connection, 'close');
    const { code, signal } = await exited;
    assert.equal(signal, null);
    assert.equal(code, 0, own.stderr.slice(-2000));
  } finally {
    await own.stop();
  }
});
