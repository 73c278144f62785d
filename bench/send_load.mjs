// Load for bench/bench_send.sh: N concurrent workers POST /v3/signature_request/send (multipart,
// one ~1 MB PDF, two signers) for a fixed time on loopback; prints sends/s and latency
// percentiles. Each send carries a distinct PDF (a counter written into the padding, same
// size) and distinct signer emails, as real traffic would. The body is multipart-encoded once
// and each send only writes its counter into a copy, so that the client's own CPU (the server
// shares the machine's cores with it) goes to sending.
//
// Usage: node bench/send_load.mjs --url URL --api-key KEY [--workers 4] [--duration 10]
//        [--warmup 2] [--file-mb 1] [--same-file]
// Prints a human summary and one JSON line {"sends_per_s",…} last.

import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { makePdf } from '../tests/node/lib/pdf.mjs';
import { option, flag } from './cli_option.mjs';

const opt = option;
const url = opt('url');
const apiKey = opt('api-key');
const workers = Number(opt('workers', 4));
const duration = Number(opt('duration', 10));
const warmup = Number(opt('warmup', 2));
const fileMb = Number(opt('file-mb', 1));
const sameFile = flag('same-file');
if (!url || !apiKey) {
  console.error('usage: node bench/send_load.mjs --url URL --api-key KEY [--workers N] [--duration S]');
  process.exit(2);
}
if (!(duration > 0 && duration <= 300)) throw new Error('--duration must be in (0, 300] seconds');
if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(url)) throw new Error(`loopback only: ${url}`);

const template = makePdf({ pages: 1, label: 'Benchmark document', padBytes: Math.round(fileMb * 1024 * 1024) - 1200, unique: false });
const marker = Buffer.from('% padding ');
const stampAt = template.indexOf(marker) + marker.length; // inside the comment: same length, still valid
if (stampAt < marker.length) throw new Error('padding not found');
const auth = `Basic ${Buffer.from(`${apiKey}:`).toString('base64')}`;

// The multipart body is encoded once (by the same FormData encoder as before) with a
// placeholder where each send's number goes, 16 hex digits wide: in the PDF (unless
// --same-file), the title and the two signer emails. Each send copies it and writes its number
// in place, so the client spends its CPU on sending, not on re-encoding 1 MB per send.
const kPlaceholder = 'QQQQQQQQQQQQQQQQ';
const pdfWithPlaceholder = Buffer.from(template);
if (!sameFile) pdfWithPlaceholder.write(kPlaceholder, stampAt, 'latin1');
const fd = new FormData();
fd.append('files[0]', new Blob([pdfWithPlaceholder], { type: 'application/pdf' }), 'bench.pdf');
fd.append('title', `Bench ${kPlaceholder}`);
fd.append('signers', JSON.stringify([
  { name: 'Bench Signer A', email_address: `a${kPlaceholder}-${process.pid}@bench.example.com` },
  { name: 'Bench Signer B', email_address: `b${kPlaceholder}-${process.pid}@bench.example.com` },
]));
fd.append('test_mode', 'true');
const encoded = new Response(fd);
const contentType = encoded.headers.get('content-type');
const bodyTemplate = Buffer.from(await encoded.arrayBuffer());
const seqOffsets = [];
for (let at = bodyTemplate.indexOf(kPlaceholder); at >= 0; at = bodyTemplate.indexOf(kPlaceholder, at + 1)) {
  seqOffsets.push(at);
}
if (seqOffsets.length !== (sameFile ? 3 : 4)) throw new Error(`placeholders found: ${seqOffsets.length}`);

// node:http over kept-alive connections writes each worker's buffer to its socket as it is.
// fetch (undici) copied every body into fresh chunks and spent ~4 ms of CPU per send, page
// faults included, on the two cores the server needs; this client spends ~1 ms.
const agent = new http.Agent({ keepAlive: true, maxSockets: workers });
const target = new URL('/v3/signature_request/send', url);
const headers = { authorization: auth, 'content-type': contentType, 'content-length': bodyTemplate.length };

/** POSTs one send; resolves with its status and body text. */
function post(payload) {
  return new Promise((resolve, reject) => {
    const req = http.request(target, { method: 'POST', agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

let seq = 0;
// Writes the next send's body into `buf` (a copy of bodyTemplate owned by one worker).
function body(buf) {
  seq += 1;
  const text = seq.toString(16).padStart(16, '0');
  for (const at of seqOffsets) buf.write(text, at, 'latin1');
  return buf;
}

const latencies = [];
let ok = 0;
let errors = 0;
const errorSamples = [];
let recording = false;
let stop = false;

async function worker() {
  const buf = Buffer.from(bodyTemplate); // this worker's; reused once the previous send answered
  while (!stop) {
    const payload = body(buf);
    const t0 = performance.now();
    let status = 0;
    let text = '';
    try {
      ({ status, text } = await post(payload));
    } catch (e) {
      text = e.message;
    }
    const ms = performance.now() - t0;
    if (!recording) continue;
    if (status === 200) {
      ok += 1;
      latencies.push(ms);
    } else {
      errors += 1;
      if (errorSamples.length < 3) errorSamples.push(`HTTP ${status} ${text.slice(0, 200)}`);
    }
  }
}

const running = Array.from({ length: workers }, worker);
await new Promise((r) => setTimeout(r, warmup * 1000));
recording = true;
const t0 = performance.now();
await new Promise((r) => setTimeout(r, duration * 1000));
recording = false;
const elapsed = (performance.now() - t0) / 1000;
stop = true;
await Promise.all(running);
agent.destroy();

latencies.sort((a, b) => a - b);
const pct = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] : NaN);
const result = {
  workers,
  duration_s: Number(elapsed.toFixed(2)),
  file_bytes: template.length,
  sends: ok,
  errors,
  sends_per_s: Number((ok / elapsed).toFixed(1)),
  p50_ms: Number(pct(50).toFixed(1)),
  p90_ms: Number(pct(90).toFixed(1)),
  p99_ms: Number(pct(99).toFixed(1)),
  max_ms: Number((latencies[latencies.length - 1] ?? NaN).toFixed(1)),
};
console.log(`send: ${workers} workers, ${result.duration_s} s, file ${template.length} bytes, ` +
  `${ok} sends (${errors} errors): ${result.sends_per_s} sends/s, ` +
  `p50 ${result.p50_ms} ms, p90 ${result.p90_ms} ms, p99 ${result.p99_ms} ms, max ${result.max_ms} ms`);
for (const s of errorSamples) console.log(`error sample: ${s}`);
console.log(JSON.stringify(result));
if (errors > 0 || ok === 0) process.exit(1);
