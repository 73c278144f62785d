// Starts and stops a real `countersign serve` process for one test file, and runs the
// operator CLI against its data folder. Every test file gets its own server and its own
// fresh temporary data folder.
//
//   const server = await startServer();   // { url, dataDir, proc, stop() }
//   const alice = await server.createAccount();  // { account_id, email_address, api_key, password }
//   await server.approveApp(clientId);
//   await server.stop();

import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { usePostgres, databaseFor, dropDatabaseFor, dropDatabaseForSync, withDatabaseArgs } from './pg_database.mjs';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const BIN = process.env.COUNTERSIGN_BIN || join(REPO_ROOT, 'build', 'countersign');

const LISTENING_RE = /^Countersign listening on (https?:\/\/\S+)\s*$/;
const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;

// Servers still running (process -> data dir); killed hard, and their data dirs removed, if the
// test process exits without stopping them.
const running = new Map();
process.on('exit', () => {
  for (const [proc, dir] of running) {
    try {
      proc.kill('SIGKILL');
    } catch {
      // already gone
    }
    if (usePostgres()) dropDatabaseForSync(dir);
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // best effort
    }
  }
});
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => process.exit(130));
}

let counter = 0;
/** A unique, valid email address for this run. */
export function uniqueEmail(prefix = 'user') {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}-${randomBytes(3).toString('hex')}@example.com`;
}

/**
 * `extraArgs` plus generous API rate limits unless `extraArgs` sets them: suites make many
 * calls a minute (the server's defaults are Dropbox Sign's 100, 25 and, in test mode, 10 per
 * minute); rate_limits*.test.mjs pass small ones.
 */
export function withTestRateLimits(extraArgs) {
  const defaults = [];
  for (const flag of ['--rate-limit-standard', '--rate-limit-high', '--rate-limit-test-mode']) {
    if (!extraArgs.includes(flag)) defaults.push(flag, '1000000');
  }
  return [...defaults, ...extraArgs];
}

/** A random password good enough for any password rule. */
export function randomPassword() {
  return `Pw-${randomBytes(12).toString('base64url')}-9`;
}

/**
 * Runs the countersign binary with `args`. Resolves { code, stdout, stderr } whatever the
 * exit code (the caller asserts on it).
 */
export function runCli(args, { timeoutMs = 30_000 } = {}) {
  return new Promise((resolvePromise, reject) => {
    execFile(BIN, withDatabaseArgs(args), { timeout: timeoutMs, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') {
        reject(new Error(`cannot run ${BIN} ${args.join(' ')}: ${err.message}\n${stderr}`));
        return;
      }
      resolvePromise({ code: err ? err.code : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/**
 * The end of a crash test: `first` (the server that was SIGKILLed, or not yet) is killed if it
 * still runs, and the shared data folder is removed through `second` (restarted on it) when
 * there is one, else through `first`.
 */
export async function stopCrashedPair(first, second) {
  if (first && first.proc.exitCode === null && first.proc.signalCode === null) first.proc.kill('SIGKILL');
  if (second) await second.stop();
  else if (first) await first.stop();
}

/**
 * Starts `countersign serve --port 0 --data-dir <fresh temp dir> --fast-password-hashing`
 * plus `extraArgs`, waits for the "Countersign listening on URL" line and returns a handle.
 * `dataDir` reuses an existing data folder instead (e.g. to restart after a crash).
 */
export async function startServer({ extraArgs = [], dataDir: reuseDir } = {}) {
  const dataDir = reuseDir || await mkdtemp(join(tmpdir(), 'countersign-test-'));
  // COUNTERSIGN_TEST_DATABASE=postgres: a PostgreSQL database per data folder (pg_database.mjs).
  const dbArgs = usePostgres() && !extraArgs.includes('--database')
    ? ['--database', await databaseFor(dataDir)] : [];
  const args = ['serve', '--port', '0', '--data-dir', dataDir, '--fast-password-hashing',
    ...dbArgs, ...withTestRateLimits(extraArgs)];
  const proc = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.set(proc, dataDir);

  let stderr = '';
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (chunk) => {
    stderr += chunk;
    if (stderr.length > 200_000) stderr = stderr.slice(-100_000);
    if (process.env.COUNTERSIGN_TEST_VERBOSE) process.stderr.write(chunk);
  });

  const url = await new Promise((resolveUrl, reject) => {
    let stdout = '';
    let done = false;
    const finish = (err, value) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolveUrl(value);
    };
    const timer = setTimeout(() => {
      finish(new Error(`server did not print its URL within ${START_TIMEOUT_MS} ms.\n` +
        `stdout: ${stdout}\nstderr: ${stderr}`));
    }, START_TIMEOUT_MS);
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (chunk) => {
      if (done) return;
      stdout += chunk;
      const nl = stdout.indexOf('\n');
      if (nl < 0) return;
      const first = stdout.slice(0, nl);
      const m = LISTENING_RE.exec(first);
      if (m) finish(null, m[1].replace(/\/$/, ''));
      else finish(new Error(`unexpected first stdout line: ${JSON.stringify(first)}\nstderr: ${stderr}`));
    });
    proc.on('error', (err) => finish(new Error(`cannot start ${BIN}: ${err.message}`)));
    proc.on('exit', (code, signal) => {
      running.delete(proc);
      finish(new Error(`server exited early (code ${code}, signal ${signal}).\n` +
        `stdout: ${stdout}\nstderr: ${stderr}`));
    });
  }).catch(async (err) => {
    proc.kill('SIGKILL');
    if (usePostgres()) await dropDatabaseFor(dataDir).catch(() => {});
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  });
  // Keep draining stdout so the server never blocks on a full pipe.
  proc.stdout.resume();

  const server = {
    url,
    dataDir,
    proc,
    get stderr() {
      return stderr;
    },
    /** Stops the server (SIGTERM, then SIGKILL) and removes its data folder. */
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      running.delete(proc);
      if (usePostgres()) await dropDatabaseFor(dataDir);
      await rm(dataDir, { recursive: true, force: true });
    },
    /** `countersign account create …`; returns the printed JSON plus the password. */
    async createAccount({ email = uniqueEmail(), password = randomPassword() } = {}) {
      const r = await runCli(['account', 'create', '--data-dir', dataDir, '--email', email,
        '--password', password, '--fast-password-hashing']);
      if (r.code !== 0) {
        throw new Error(`account create failed (exit ${r.code}): ${r.stderr}${r.stdout}`);
      }
      const line = r.stdout.trim().split('\n').pop();
      const parsed = JSON.parse(line);
      return { ...parsed, password };
    },
    /** `countersign app approve` (or unapprove); throws unless it exits 0. */
    async approveApp(clientId, approve = true) {
      const r = await runCli(['app', approve ? 'approve' : 'unapprove', '--data-dir', dataDir,
        clientId]);
      if (r.code !== 0) {
        throw new Error(`app ${approve ? '' : 'un'}approve failed (exit ${r.code}): ${r.stderr}`);
      }
      return r;
    },
    runCli,
  };
  return server;
}
