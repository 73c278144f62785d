// Event callback delivery throughput (issue 5), driven by bench/bench_events.sh.
//
// A receiver process (tests/node/lib/receiver.mjs, counting only) answers every POST at once
// with 200 "Hello API Event Received". For each round (URLS callback URLs, EVENTS events):
//   1. a fresh Countersign (--allow-private-callbacks) gets URLS accounts whose account
//      callbacks are paths of the receiver (one callback_test each, delivered);
//   2. Countersign is stopped and the outbox is filled directly in SQLite with EVENTS pending
//      deliveries cloned from those callback_tests (spread over the URLS callbacks, in order);
//   3. Countersign is started again on the same data and the clock runs until the receiver has
//      them all: events/s = EVENTS / (last POST - restart), and first-to-last POST.
// Reference: wrk posting the same multipart body (one real event) to the same receiver, with
// `Connection: close` (Countersign opens a connection per event) and with keep-alive.
//
// Usage: node bench/events_bench.mjs WORK_DIR   (COUNTERSIGN_BIN names the binary)
// Knobs: BENCH_EVENTS (5000), BENCH_URLS ("1,16"), BENCH_DURATION (wrk, "5s"),
// BENCH_TIMEOUT_S (per round, 120).

import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startServer } from '../tests/node/lib/server.mjs';
import { startReceiver } from '../tests/node/lib/receiver.mjs';
import { call } from '../tests/node/lib/http.mjs';

const work = process.argv[2];
if (!work) {
  console.error('usage: node bench/events_bench.mjs WORK_DIR');
  process.exit(2);
}
const EVENTS = Number(process.env.BENCH_EVENTS || 5000);
const URLS = (process.env.BENCH_URLS || '1,16').split(',').map(Number);
const DURATION = process.env.BENCH_DURATION || '5s';
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_S || 120) * 1000;
const FLAGS = ['--allow-private-callbacks'];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const log = (...a) => console.error('==>', ...a);
const sql = (db, text) => execFileSync('sqlite3', [db, text], { encoding: 'utf8' });

async function waitForCount(rx, n, timeoutMs) {
  const end = Date.now() + timeoutMs;
  let c = await rx.count();
  while (c < n && Date.now() < end) {
    await sleep(20);
    c = await rx.count();
  }
  return c;
}

// One round: `urls` callbacks, EVENTS events. Returns the figures.
async function round(rx, urls) {
  const first = await startServer({ extraArgs: FLAGS });
  const before = await rx.count();
  for (let i = 0; i < urls; i += 1) {
    const acct = await first.createAccount();
    const res = await call(first.url, 'PUT', '/v3/account', {
      apiKey: acct.api_key, json: { callback_url: rx.url(`/bench-${urls}-${i}`) },
    });
    if (res.status !== 200) throw new Error(`PUT /v3/account: ${res.status} ${res.text}`);
  }
  if (await waitForCount(rx, before + urls, 30_000) < before + urls) throw new Error('callback_tests not delivered');
  await sleep(300); // their outcomes recorded
  // Stop cleanly (SIGTERM) but keep the data: stop() would remove it.
  const stopped = new Promise((r) => first.proc.once('exit', r));
  first.proc.kill('SIGTERM');
  await stopped;

  const db = join(first.dataDir, 'countersign.db');
  const per = Math.ceil(EVENTS / urls);
  const fill = `
    CREATE TEMP TABLE n AS WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ${per}) SELECT i FROM c;
    CREATE TEMP TABLE src AS SELECT d.*, ROW_NUMBER() OVER (ORDER BY d.id) - 1 AS k FROM event_deliveries d;
    BEGIN;
    INSERT INTO events SELECT substr(e.id, 1, 24) || printf('%08x', n.i), e.event_type, e.event_time,
      e.account_id, e.client_id, e.signature_request_id, e.related_signature_id, e.event_message
      FROM events e JOIN src ON src.event_id = e.id, n WHERE src.k * ${per} + n.i <= ${EVENTS};
    INSERT INTO event_deliveries (id, event_id, kind, target_id, url, key_account_id, status, attempts,
      next_attempt_at, leased_until, last_status_code, last_error, created_at, delivered_at, seq)
      SELECT substr(src.id, 1, 24) || printf('%08x', n.i), substr(src.event_id, 1, 24) || printf('%08x', n.i),
      src.kind, src.target_id, src.url, src.key_account_id, 0, 0, 0, 0, 0, '', src.created_at, 0, src.seq + n.i
      FROM src, n WHERE src.k * ${per} + n.i <= ${EVENTS};
    COMMIT;
    SELECT COUNT(*) FROM event_deliveries WHERE status = 0;`;
  const pending = Number(sql(db, fill).trim());
  if (pending !== EVENTS) throw new Error(`outbox holds ${pending} pending deliveries, not ${EVENTS}`);

  const base = await rx.count();
  const t0 = Date.now();
  const second = await startServer({ extraArgs: FLAGS, dataDir: first.dataDir });
  const tStart = Date.now();
  let firstAt = 0;
  let got = 0;
  const end = tStart + TIMEOUT_MS;
  while (Date.now() < end) {
    got = (await rx.count()) - base;
    if (got > 0 && !firstAt) firstAt = Date.now();
    if (got >= EVENTS) break;
    await sleep(10);
  }
  const tEnd = Date.now();
  await sleep(300);
  const delivered = Number(sql(db, 'SELECT COUNT(*) FROM event_deliveries WHERE status = 1').trim());
  await second.stop();
  return {
    urls,
    events: got,
    startup_ms: tStart - t0,
    seconds: (tEnd - tStart) / 1000,
    per_s: got / ((tEnd - tStart) / 1000),
    first_to_last_per_s: firstAt && got > 1 ? (got - 1) / ((tEnd - firstAt) / 1000) : 0,
    recorded_delivered: delivered - urls,
    complete: got >= EVENTS,
  };
}

// One real event body, captured by a recording receiver, as a multipart body like libcurl's.
async function sampleBody() {
  const rec = await startReceiver();
  const srv = await startServer({ extraArgs: FLAGS });
  try {
    const acct = await srv.createAccount();
    await call(srv.url, 'PUT', '/v3/account', { apiKey: acct.api_key, json: { callback_url: rec.url('/sample') } });
    const [post] = await rec.waitFor(() => true, { timeoutMs: 10_000 });
    const boundary = `------------------------${randomBytes(8).toString('hex')}`;
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="json"\r\n\r\n` +
      `${JSON.stringify(post.json)}\r\n--${boundary}--\r\n`;
    return { body, contentType: `multipart/form-data; boundary=${boundary}` };
  } finally {
    await srv.stop();
    await rec.stop();
  }
}

function wrk(url, luaPath, connections, close) {
  const args = ['-t1', `-c${connections}`, `-d${DURATION}`, '-s', luaPath];
  if (close) args.push('-H', 'Connection: close');
  args.push(url);
  return new Promise((resolve, reject) => {
    const p = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (c) => { out += c; });
    p.on('error', reject);
    p.on('exit', () => {
      const m = /Requests\/sec:\s+([\d.]+)/.exec(out);
      if (/Non-2xx/.test(out) || !m) reject(new Error(`wrk failed:\n${out}`));
      else resolve({ command: `wrk ${args.join(' ')}`, per_s: Number(m[1]) });
    });
  });
}

const rx = await startReceiver({ record: false });
try {
  const results = [];
  for (const urls of URLS) {
    log(`round: ${EVENTS} events over ${urls} callback URL(s)`);
    results.push(await round(rx, urls));
    log(JSON.stringify(results.at(-1)));
  }
  const sample = await sampleBody();
  const luaPath = join(work, 'post.lua');
  const bodyPath = join(work, 'body.bin');
  writeFileSync(bodyPath, sample.body);
  writeFileSync(luaPath, `wrk.method = "POST"\nlocal f = io.open("${bodyPath}", "rb")\n` +
    `wrk.body = f:read("*a")\nf:close()\nwrk.headers["Content-Type"] = "${sample.contentType}"\n`);
  const url = rx.url('/wrk');
  const refs = [];
  for (const [c, close] of [[1, true], [8, true], [8, false]]) {
    refs.push({ connections: c, connection_close: close, ...(await wrk(url, luaPath, c, close)) });
    log(JSON.stringify(refs.at(-1)));
  }
  console.log(JSON.stringify({ events: EVENTS, body_bytes: Buffer.byteLength(sample.body), rounds: results, reference: refs }));
} finally {
  await rx.stop();
}
