// Several Countersign instances on one PostgreSQL database behind nginx (issue 7): a fresh
// database on the test server (COUNTERSIGN_TEST_PG_URL), one shared files folder and key file,
// N `countersign serve` processes on free loopback ports, and nginx (Debian) with its own
// prefix, config and temp folders, round-robin in front. nginx adds `X-Upstream` (the
// instance's address) to every response, so a test can tell which instance answered.
//
//   const c = await startCluster({ instances: 2 });   // { url, instances, dbUrl, ... }
//   const acct = await c.createAccount();
//   c.instances[0].kill();                             // SIGKILL one instance
//   await c.stop();

import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { BIN, runCli, uniqueEmail, randomPassword, withTestRateLimits } from './server.mjs';
import { databaseFor, dropDatabaseFor } from './pg_database.mjs';

const NGINX = process.env.NGINX_BIN || '/usr/sbin/nginx';
const START_TIMEOUT_MS = 20_000;
const LISTENING_RE = /^Countersign listening on (https?:\/\/\S+)\s*$/m;

const children = new Set();
process.on('exit', () => {
  for (const proc of children) {
    try {
      proc.kill('SIGKILL');
    } catch {
      // gone
    }
  }
});

/** A loopback TCP port that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts TCP connections on 127.0.0.1:`port`. */
async function waitForPort(port, proc, what) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`${what} exited early (code ${proc.exitCode})`);
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} did not listen on ${port} within ${START_TIMEOUT_MS} ms`);
}

function track(proc, what) {
  children.add(proc);
  let log = '';
  for (const stream of [proc.stdout, proc.stderr]) {
    if (!stream) continue;
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      log = (log + chunk).slice(-50_000);
      if (process.env.COUNTERSIGN_TEST_VERBOSE) process.stderr.write(`[${what}] ${chunk}`);
    });
  }
  proc.on('exit', () => children.delete(proc));
  return () => log;
}

async function startInstance(root, i, shared, port = 0) {
  if (!port) port = await freePort();
  const dataDir = join(root, `instance${i}`);
  await mkdir(dataDir, { recursive: true });
  const args = ['serve', '--port', String(port), '--data-dir', dataDir, '--database', shared.dbUrl,
    '--files-dir', shared.filesDir, '--secret-key-file', shared.keyFile, '--base-url', shared.publicUrl,
    '--fast-password-hashing', ...withTestRateLimits(shared.extraArgs)];
  const proc = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = track(proc, `instance${i}`);
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!LISTENING_RE.test(log())) {
    if (proc.exitCode !== null) throw new Error(`instance ${i} exited early: ${log()}`);
    if (Date.now() > deadline) throw new Error(`instance ${i} did not start: ${log()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    index: i,
    port,
    address: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    dataDir,
    proc,
    get log() {
      return log();
    },
    alive: () => proc.exitCode === null && proc.signalCode === null,
    /** SIGTERM (graceful stop); resolves { code, signal } once it has exited. */
    async terminate() {
      if (proc.exitCode !== null || proc.signalCode !== null) {
        return { code: proc.exitCode, signal: proc.signalCode };
      }
      const gone = new Promise((r) => proc.once('exit', (code, signal) => r({ code, signal })));
      proc.kill('SIGTERM');
      return gone;
    },
    /** SIGKILL, as a crash or a pulled plug; resolves when it is gone. */
    async kill() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const gone = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGKILL');
      await gone;
    },
  };
}

function nginxConfig(dir, port, instances, failTimeout = '30s') {
  const user = process.getuid && process.getuid() === 0 ? 'user root;\n' : '';
  const servers = instances.map((i) => `    server ${i.address} max_fails=1 fail_timeout=${failTimeout};`).join('\n');
  return `${user}worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  client_max_body_size 200m;
  upstream countersign {
${servers}
    keepalive 32;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://countersign;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_next_upstream error timeout;
      proxy_connect_timeout 2s;
      proxy_read_timeout 120s;
      proxy_request_buffering on;
      add_header X-Upstream $upstream_addr always;
    }
  }
}
`;
}

/** Starts nginx on a free loopback port in front of `instances`; returns { url, port, proc, stop }. */
export async function startNginx(root, instances, port, failTimeout) {
  const dir = join(root, 'nginx');
  await mkdir(dir, { recursive: true });
  const conf = join(dir, 'nginx.conf');
  await writeFile(conf, nginxConfig(dir, port, instances, failTimeout));
  const proc = spawn(NGINX, ['-p', dir, '-c', conf, '-e', join(dir, 'error.log')],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = track(proc, 'nginx');
  await waitForPort(port, proc, `nginx (${log()})`);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    proc,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const gone = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGQUIT');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/**
 * Starts `instances` Countersign processes sharing a fresh PostgreSQL database, files folder
 * and key file, and nginx round-robin in front of them (their --base-url). `failTimeout`: how
 * long nginx leaves an instance alone after a failed connection (default 30s).
 */
export async function startCluster({ instances = 2, extraArgs = [], failTimeout } = {}) {
  if (!process.env.COUNTERSIGN_TEST_PG_URL) throw new Error('startCluster needs COUNTERSIGN_TEST_PG_URL');
  const root = await mkdtemp(join(tmpdir(), 'countersign-cluster-'));
  const shared = {
    dbUrl: await databaseFor(root),
    filesDir: join(root, 'files'),
    keyFile: join(root, 'secret.key'),
    extraArgs,
  };
  // One key for every instance, written before any starts (none of them creates it).
  await writeFile(shared.keyFile, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  const nginxPort = await freePort();
  shared.publicUrl = `http://127.0.0.1:${nginxPort}`;
  const started = [];
  let nginx;
  const cluster = {
    root,
    ...shared,
    instances: started,
    get url() {
      return nginx.url;
    },
    nginx: () => nginx,
    /** `countersign account create` against the shared database and key. */
    async createAccount({ email = uniqueEmail('cluster'), password = randomPassword() } = {}) {
      const r = await runCli(['account', 'create', '--data-dir', started[0].dataDir, '--database', shared.dbUrl,
        '--secret-key-file', shared.keyFile, '--email', email, '--password', password, '--fast-password-hashing']);
      if (r.code !== 0) throw new Error(`account create failed (exit ${r.code}): ${r.stderr}`);
      return { ...JSON.parse(r.stdout.trim().split('\n').pop()), password };
    },
    async approveApp(clientId) {
      const r = await runCli(['app', 'approve', '--data-dir', started[0].dataDir, '--database', shared.dbUrl,
        '--secret-key-file', shared.keyFile, clientId]);
      if (r.code !== 0) throw new Error(`app approve failed (exit ${r.code}): ${r.stderr}`);
    },
    /**
     * Rolling restart of instance `i`: SIGTERM, wait for its exit, start it again on the same
     * port and data folder. Resolves the old process's { code, signal }.
     */
    async restartInstance(i) {
      const old = started[i];
      const exit = await old.terminate();
      started[i] = await startInstance(root, i, shared, old.port);
      return exit;
    },
    async stop() {
      if (nginx) await nginx.stop();
      for (const inst of started) {
        if (inst.alive()) {
          const gone = new Promise((r) => inst.proc.once('exit', r));
          inst.proc.kill('SIGTERM');
          const timer = setTimeout(() => inst.proc.kill('SIGKILL'), 5000);
          await gone;
          clearTimeout(timer);
        }
      }
      await dropDatabaseFor(root).catch(() => {});
      await rm(root, { recursive: true, force: true });
    },
  };
  try {
    for (let i = 0; i < instances; ++i) started.push(await startInstance(root, i, shared));
    nginx = await startNginx(root, started, nginxPort, failTimeout);
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}
