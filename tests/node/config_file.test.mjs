// `countersign serve --config FILE` (issue 17; app/config_file.h): a server started with only a
// TOML file behaves as one started with the same flags (port, bind, data folder, rate limits,
// mail sender); COUNTERSIGN_* environment variables fill in what neither gives; the command
// line wins over the file; an unknown key is an error; `serve --help` documents every option.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, runCli } from './lib/server.mjs';
import { usePostgres } from './lib/pg_database.mjs';
import { call } from './lib/http.mjs';

const running = new Set();
const dirs = [];
after(async () => {
  for (const p of running) p.kill('SIGKILL');
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function freePort() {
  const srv = createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

async function scratch() {
  const d = await mkdtemp(join(tmpdir(), 'countersign-config-'));
  dirs.push(d);
  return d;
}

/** Spawns `countersign ...args` and resolves { url, proc } at its "listening" line. */
function serve(args, env = {}) {
  const proc = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  running.add(proc);
  let stderr = '';
  proc.stderr.on('data', (c) => { stderr += c; });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no listening line; stderr: ${stderr}`)), 20_000);
    proc.stdout.on('data', (c) => {
      out += c;
      const m = /Countersign listening on (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], proc });
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code}: ${stderr}`));
    });
  });
}

async function stop(proc) {
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  await exited;
  running.delete(proc);
}

/** What an API call shows of the server's settings: the rate-limit header. */
async function observed(url, dataDir) {
  const made = await runCli(['account', 'create', '--data-dir', dataDir, '--email', `cfg-${Math.random().toString(36).slice(2)}@example.com`,
    '--password', 'Config-File-Pass-99', '--fast-password-hashing']);
  assert.equal(made.code, 0, made.stderr);
  const key = JSON.parse(made.stdout.trim().split('\n').pop()).api_key;
  const res = await call(url, 'GET', '/v3/account', { apiKey: key });
  assert.equal(res.status, 200);
  return { limit: res.headers.get('x-ratelimit-limit') };
}

const sqliteOnly = usePostgres() && 'the data folder holds the database here';

test('a server started with only --config behaves as with the same flags', { skip: sqliteOnly, timeout: 60_000 }, async () => {
  const dir = await scratch();
  const port = await freePort();
  const dataDir = join(dir, 'data');
  const file = join(dir, 'countersign.toml');
  await writeFile(file, [
    '# Countersign settings',
    `port = ${port}`,
    'bind = "127.0.0.1"',
    `data-dir = "${dataDir}"`,
    'fast-password-hashing = true',
    'rate-limit-standard = 7',
    'mail-from = "config@example.com"',
    '',
  ].join('\n'));
  const fromFile = await serve(['serve', '--config', file]);
  assert.equal(fromFile.url, `http://127.0.0.1:${port}`);
  const a = await observed(fromFile.url, dataDir);
  await stop(fromFile.proc);

  const port2 = await freePort();
  const dataDir2 = join(dir, 'data2');
  const fromFlags = await serve(['serve', '--port', String(port2), '--bind', '127.0.0.1', '--data-dir', dataDir2,
    '--fast-password-hashing', '--rate-limit-standard', '7', '--mail-from', 'config@example.com']);
  const b = await observed(fromFlags.url, dataDir2);
  await stop(fromFlags.proc);
  assert.deepEqual(a, b);
  assert.equal(a.limit, '7');
});

test('the command line wins over the file, the file over the environment', { skip: sqliteOnly, timeout: 60_000 }, async () => {
  const dir = await scratch();
  const dataDir = join(dir, 'data');
  const file = join(dir, 'countersign.toml');
  await writeFile(file, `data-dir = "${dataDir}"\nport = 0\nfast-password-hashing = true\nrate-limit-standard = 7\n`);
  const env = { COUNTERSIGN_RATE_LIMIT_STANDARD: '9', COUNTERSIGN_RATE_LIMIT_HIGH: '5' };
  const flagWins = await serve(['serve', '--config', file, '--rate-limit-standard', '11'], env);
  assert.equal((await observed(flagWins.url, dataDir)).limit, '11');
  await stop(flagWins.proc);
  const fileWins = await serve(['serve', '--config', file], env);
  assert.equal((await observed(fileWins.url, dataDir)).limit, '7');
  await stop(fileWins.proc);
  await writeFile(file, `data-dir = "${dataDir}"\nport = 0\nfast-password-hashing = true\n`);
  const envFills = await serve(['serve', '--config', file], env);
  assert.equal((await observed(envFills.url, dataDir)).limit, '9');
  await stop(envFills.proc);
});

test('an unknown key or a missing file is an error', async () => {
  const dir = await scratch();
  const file = join(dir, 'typo.toml');
  await writeFile(file, 'prot = 8080\n');
  const typo = await runCli(['serve', '--config', file]);
  assert.notEqual(typo.code, 0);
  assert.match(typo.stderr + typo.stdout, /prot/);
  const missing = await runCli(['serve', '--config', join(dir, 'nope.toml')]);
  assert.notEqual(missing.code, 0);
});

test('serve --help documents every option, its environment variable and --config', async () => {
  const help = await runCli(['serve', '--help']);
  assert.equal(help.code, 0);
  for (const flag of ['--port', '--bind', '--data-dir', '--database', '--database-pool', '--files-dir', '--secret-key-file',
    '--base-url', '--threads', '--compute-threads', '--compute-queue', '--fetch-threads', '--fetch-queue',
    '--fast-password-hashing', '--mail-from', '--smtp-host', '--smtp-port', '--smtp-security', '--smtp-user',
    '--smtp-password', '--mail-retry-seconds', '--confirmation-link-ttl-seconds', '--rate-limit-standard',
    '--rate-limit-high', '--rate-limit-test-mode', '--rate-limit-window-seconds', '--login-max-failures',
    '--login-max-failures-per-ip', '--login-failure-window-seconds', '--trusted-proxies', '--config']) {
    assert.ok(help.stdout.includes(flag), `${flag} in serve --help`);
  }
  assert.ok(help.stdout.includes('COUNTERSIGN_SMTP_PASSWORD'));
  assert.ok(help.stdout.includes('COUNTERSIGN_DATABASE'));
});
