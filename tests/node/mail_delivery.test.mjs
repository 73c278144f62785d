// Mail delivery through SMTP when the mail server is down: account/create answers at once (no
// mail on the request path), the mail waits in the durable queue while the SMTP server is
// unreachable, arrives once it is up, and survives a Countersign restart in between. Each mail
// arrives exactly once and its link works.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { startServer, uniqueEmail, randomPassword } from './lib/server.mjs';
import { call, expectJson } from './lib/http.mjs';
import { WebSession, confirmEmail } from './lib/web.mjs';
import { freePort, startSmtpSink, waitForSmtpMail, readSmtpMail } from './lib/smtp.mjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let smtpPort;
let sinkDir;
let server;
let sink;

function smtpArgs() {
  return ['--smtp-host', '127.0.0.1', '--smtp-port', String(smtpPort), '--smtp-security', 'none',
    '--mail-retry-seconds', '1'];
}

/** Waits until the server's log (JSON lines on stderr) has at least `n` failed mail attempts. */
async function failedAttempts(srv, n, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const count = srv.stderr.split('\n').filter((line) => {
      try {
        const entry = JSON.parse(line);
        return entry.component === 'mail' && entry.msg === 'attempt failed';
      } catch {
        return false;
      }
    }).length;
    if (count >= n) return count;
    if (Date.now() > deadline) throw new Error(`expected ${n} failed attempts; stderr:\n${srv.stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

before(async () => {
  smtpPort = await freePort(); // nothing listens there yet: the mail server is "down"
  sinkDir = await mkdtemp(join(tmpdir(), 'countersign-smtp-down-'));
  server = await startServer({ extraArgs: smtpArgs() });
});

after(async () => {
  if (sink) await sink.stop();
  if (server) await server.stop();
  await rm(sinkDir, { recursive: true, force: true });
});

async function createAccount(base, apiKey, email) {
  const started = Date.now();
  const res = await call(base, 'POST', '/v3/account/create', { apiKey, json: { email_address: email } });
  expectJson(res, 200);
  return Date.now() - started;
}

test('mail queued while the SMTP server is down arrives once it is up, also across a restart', async () => {
  const owner = await server.createAccount();

  // 1. SMTP down: the request still succeeds at once; the worker's attempts fail and are retried.
  const first = uniqueEmail('down1');
  const ms = await createAccount(server.url, owner.api_key, first);
  assert.ok(ms < 5000, `account/create took ${ms} ms with the mail server down`);
  await failedAttempts(server, 2);

  // 2. SMTP up: the queued mail arrives, exactly once.
  sink = await startSmtpSink({ port: smtpPort, dir: sinkDir });
  const [mail1] = await waitForSmtpMail(sinkDir, (m) => m.to === first, { timeoutMs: 30_000 });
  assert.equal(mail1.confirmLinks.length, 1);

  // 3. SMTP down again; a second mail is queued and fails; Countersign stops.
  await sink.stop();
  sink = undefined;
  const failedBefore = await failedAttempts(server, 0);
  const second = uniqueEmail('down2');
  await createAccount(server.url, owner.api_key, second);
  await failedAttempts(server, failedBefore + 1);
  const { dataDir } = server;
  server.proc.kill('SIGTERM');
  await once(server.proc, 'exit');

  // 4. SMTP up, Countersign restarted on the same data folder: the mail arrives.
  sink = await startSmtpSink({ port: smtpPort, dir: sinkDir });
  server = await startServer({ dataDir, extraArgs: smtpArgs() });
  const [mail2] = await waitForSmtpMail(sinkDir, (m) => m.to === second, { timeoutMs: 30_000 });
  assert.equal(mail2.envelopeTo, second);

  // Nothing was sent twice, and the link from before the restart works on the new process.
  const all = await readSmtpMail(sinkDir);
  assert.equal(all.filter((m) => m.to === first).length, 1);
  assert.equal(all.filter((m) => m.to === second).length, 1);
  const link = mail2.confirmLinks[0].url.replace(/^https?:\/\/[^/]+/, server.url);
  const done = await confirmEmail(new WebSession(server.url), link, randomPassword());
  assert.equal(new URL(done.location, server.url).pathname, '/home');
});
