// A real SMTP server for the tests (lib/smtp_sink.py on Debian's python3-aiosmtpd), started and
// stopped by the test itself, and readers for what it received: each message is parsed with
// parseMail (lib/outbox.mjs) plus the envelope and the confirmation links it carries.
//
//   const sink = await startSmtpSink();             // { port, dir, stop() }
//   const [mail] = await waitForSmtpMail(sink.dir, (m) => m.to === email);
//   mail.confirmLinks[0]   // { url, token }
//   await sink.stop();

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseMail } from './outbox.mjs';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'smtp_sink.py');
// Debian's interpreter, which has python3-aiosmtpd (a pyenv or venv python3 on PATH may not).
const PYTHON = process.env.CS_TEST_PYTHON || (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

// Sinks still running; killed if the test process exits without stopping them.
const running = new Set();
process.on('exit', () => {
  for (const proc of running) proc.kill('SIGKILL');
});

const CONFIRM_RE = /(https?:\/\/[^\s"'<>]+)\/account\/confirm\?token=([0-9a-f]+)/g;

/** A loopback TCP port that was free a moment ago (for a server started later). */
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

/**
 * Starts the SMTP sink on 127.0.0.1:`port` (0: any free port), writing messages into `dir`
 * (default: a fresh temp folder, removed by stop() unless `keepDir`). Resolves once it listens.
 */
export async function startSmtpSink({ port = 0, dir, keepDir = false } = {}) {
  const folder = dir || await mkdtemp(join(tmpdir(), 'countersign-smtp-'));
  const proc = spawn(PYTHON, [SCRIPT, '--dir', folder, '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (c) => { stderr += c; });
  const listening = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`SMTP sink did not start: ${stderr}`)), 15_000);
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (c) => {
      out += c;
      const m = /LISTENING (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`SMTP sink exited (${code}): ${stderr}`));
    });
  });
  proc.removeAllListeners('exit');
  running.add(proc);
  const exited = new Promise((r) => proc.once('exit', () => {
    running.delete(proc);
    r();
  }));
  return {
    port: listening,
    dir: folder,
    /** Stops the server (and removes its folder unless `keepDir`). */
    async stop({ removeDir = !keepDir && !dir } = {}) {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      if (removeDir) await rm(folder, { recursive: true, force: true });
    },
  };
}

/** Every message in `dir`, oldest first, parsed, with `envelopeTo` and `confirmLinks`. */
export async function readSmtpMail(dir) {
  let names;
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.eml') && !n.startsWith('.')).sort();
  } catch (e) {
    if (e.code === 'ENOENT') return [];
    throw e;
  }
  const mails = [];
  for (const name of names) {
    const mail = parseMail(await readFile(join(dir, name), 'utf8'), name);
    mail.envelopeTo = (mail.headers['x-envelope-to'] || '').toLowerCase();
    mail.confirmLinks = confirmLinks(mail);
    mails.push(mail);
  }
  return mails;
}

/** The confirmation links `<base>/account/confirm?token=…` in a parsed mail, deduplicated. */
export function confirmLinks(mail) {
  const seen = new Map();
  for (const p of mail.parts) {
    for (const m of p.text.replace(/&amp;/g, '&').matchAll(CONFIRM_RE)) {
      if (!seen.has(m[2])) seen.set(m[2], { url: m[0], base: m[1], token: m[2] });
    }
  }
  return [...seen.values()];
}

/** Polls `dir` until `count` messages match `predicate`; resolves them. */
export async function waitForSmtpMail(dir, predicate, { count = 1, timeoutMs = 15_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const all = await readSmtpMail(dir);
    const hits = all.filter(predicate);
    if (hits.length >= count) return hits;
    if (Date.now() > deadline) {
      throw new Error(`expected ${count} SMTP message(s) within ${timeoutMs} ms, got ${hits.length}; ` +
        `received for: ${JSON.stringify(all.map((m) => m.to))}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
