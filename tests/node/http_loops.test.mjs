// Several event loops on one port (http/server.h: with SQLite every HTTP thread runs its own
// loop, each listening on the same port with SO_REUSEPORT):
//   - a second server started on a port already served fails to start, as with one listener,
//     instead of joining the first one's port and taking part of its connections;
//   - connections opened at once, spread by the kernel over the loops, are all answered, and
//     the same keep-alive connection keeps being answered.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'node:http';
import { BIN, startServer } from './lib/server.mjs';

/** Runs `countersign serve` with `args` until it exits (or 15 s); its exit code and stderr. */
function runServe(args) {
  return new Promise((resolve, reject) => {
    const proc = spawn(BIN, ['serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (c) => { stdout += c; });
    proc.stderr.on('data', (c) => { stderr += c; });
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`serve did not exit: stdout ${stdout} stderr ${stderr}`));
    }, 15_000);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** GET `path` on `agent`'s connections: the status and the local port of the connection. */
function get(url, path, agent) {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, localPort: req.socket.localPort }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('several event loops on one port', () => {
  let server;
  let spare;
  before(async () => {
    server = await startServer();
    spare = await mkdtemp(join(tmpdir(), 'countersign-loops-'));
  });
  after(async () => {
    await server?.stop();
    if (spare) await rm(spare, { recursive: true, force: true });
  });

  test('a second server on a port already served does not start', async () => {
    const port = new URL(server.url).port;
    const second = await runServe(['--port', port, '--data-dir', spare, '--fast-password-hashing']);
    assert.notEqual(second.code, 0, `the second server started: ${second.stdout}`);
    assert.match(second.stderr, /cannot listen/);
    assert.doesNotMatch(second.stdout, /listening/);
    // The first one still answers every connection.
    assert.equal((await get(server.url, '/healthz')).status, 200);
  });

  test('64 connections opened at once are all answered, each one again on the same socket', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 64 });
    try {
      const first = await Promise.all(
        Array.from({ length: 64 }, () => get(server.url, '/healthz', agent)));
      assert.deepEqual(first.map((r) => r.status), Array(64).fill(200));
      assert.equal(new Set(first.map((r) => r.localPort)).size, 64, 'one connection each');
      const again = await Promise.all(first.map(() => get(server.url, '/healthz', agent)));
      assert.deepEqual(again.map((r) => r.status), Array(64).fill(200));
      assert.deepEqual(new Set(again.map((r) => r.localPort)), new Set(first.map((r) => r.localPort)),
        'the keep-alive connections were reused, not reopened');
    } finally {
      agent.destroy();
    }
  });
});
