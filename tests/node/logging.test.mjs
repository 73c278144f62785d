// Operators' view of the log: every line on stderr is one JSON object; every HTTP request gets
// an id, echoed as X-Request-Id (a sane id from a proxy is kept), and one access-log line with
// method, route, status, duration and bytes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { call } from './lib/http.mjs';

/** The server's log so far, parsed; fails on any line that is not a JSON object. */
function logEntries(server) {
  return server.stderr.split('\n').filter((l) => l.length > 0).map((l) => {
    const entry = JSON.parse(l);
    assert.equal(typeof entry, 'object', l);
    return entry;
  });
}

test('each request has an id and one access-log line; every log line is JSON', async () => {
  const server = await startServer();
  try {
    const given = await call(server.url, 'GET', '/login', { headers: { 'x-request-id': 'proxy-42.a_b' } });
    assert.equal(given.headers.get('x-request-id'), 'proxy-42.a_b');
    const made = await call(server.url, 'GET', '/v3/api_app/abc', { headers: { 'x-request-id': 'bad id!' } });
    const id = made.headers.get('x-request-id');
    assert.match(id, /^[0-9a-f]{16}$/);
    let lines = [];
    for (let i = 0; i < 50; i += 1) {  // the log is flushed at least every second
      lines = logEntries(server).filter((e) => e.component === 'http' && e.msg === 'request');
      if (lines.some((e) => e.request_id === id)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const login = lines.filter((e) => e.request_id === 'proxy-42.a_b');
    assert.equal(login.length, 1);
    assert.equal(login[0].method, 'GET');
    assert.equal(login[0].route, '/login');
    assert.equal(login[0].status, 200);
    assert.equal(login[0].bytes, Buffer.byteLength(given.text));
    assert.equal(typeof login[0].duration_ms, 'number');
    assert.match(login[0].time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(login[0].level, 'info');
    const app = lines.filter((e) => e.request_id === id);
    assert.equal(app.length, 1);
    assert.equal(app[0].route, '/v3/api_app/{client_id}');
    assert.equal(app[0].status, made.status);
  } finally {
    await server.stop();
  }
});
