// Load for bench/bench_send_rss.sh: N parallel POST /v3/signature_request/send, each a
// multipart body with one large PDF (distinct bytes per send) and two signers, sent at once,
// while the server's peak RSS (VmHWM in /proc/<pid>/status) and current RSS are sampled.
// Loopback only, one round (bounded: each request has a 120 s timeout).
//
// Usage: node bench/send_rss.mjs --url URL --api-key KEY --pid SERVER_PID [--parallel 10]
//        [--file-mb 40]
// Prints a human summary and one JSON line {"peak_rss_mb",…} last.

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { makePdf } from '../tests/node/lib/pdf.mjs';
import { option } from './cli_option.mjs';

const opt = option;
const url = opt('url');
const apiKey = opt('api-key');
const pid = Number(opt('pid'));
const parallel = Number(opt('parallel', 10));
const fileMb = Number(opt('file-mb', 40));
if (!url || !apiKey || !pid) {
  console.error('usage: node bench/send_rss.mjs --url URL --api-key KEY --pid PID [--parallel N] [--file-mb MB]');
  process.exit(2);
}
if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(url)) throw new Error(`loopback only: ${url}`);
if (!(parallel > 0 && parallel <= 50)) throw new Error('--parallel must be in (0, 50]');

// kB of a field of /proc/<pid>/status (VmHWM, VmRSS).
function statusKb(field) {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
  return m ? Number(m[1]) : NaN;
}

// Just under the server's per-file limit (40 MB = 41,943,040 bytes).
const target = Math.round(fileMb * 1024 * 1024) - 4096;
const template = makePdf({ pages: 1, label: 'RSS benchmark', padBytes: target - 1200, unique: false });
const marker = Buffer.from('% padding ');
const stampAt = template.indexOf(marker) + marker.length;
if (stampAt < marker.length) throw new Error('padding not found');
const auth = `Basic ${Buffer.from(`${apiKey}:`).toString('base64')}`;

function body(seq) {
  const pdf = Buffer.from(template);
  pdf.write(`${process.pid.toString(16)}-${seq.toString(16)}`.padStart(16, '0'), stampAt, 'latin1');
  const fd = new FormData();
  fd.append('files[0]', new Blob([pdf], { type: 'application/pdf' }), 'big.pdf');
  fd.append('title', `RSS ${seq}`);
  fd.append('signers', JSON.stringify([
    { name: 'Signer A', email_address: `a${seq}@bench.example.com` },
    { name: 'Signer B', email_address: `b${seq}@bench.example.com` },
  ]));
  fd.append('test_mode', 'true');
  return fd;
}

const startRss = statusKb('VmRSS');
const startHwm = statusKb('VmHWM');
let maxRss = startRss;
let maxAnon = 0;
let maxFile = 0;
const sampler = setInterval(() => {
  const r = statusKb('VmRSS');
  if (r > maxRss) maxRss = r;
  maxAnon = Math.max(maxAnon, statusKb('RssAnon'));
  maxFile = Math.max(maxFile, statusKb('RssFile'));
}, 20);

const t0 = performance.now();
const results = await Promise.all(Array.from({ length: parallel }, async (_, i) => {
  const fd = body(i + 1);
  try {
    const res = await fetch(`${url}/v3/signature_request/send`, {
      method: 'POST', headers: { authorization: auth }, body: fd, signal: AbortSignal.timeout(120_000),
    });
    const text = await res.text();
    return { status: res.status, text: text.slice(0, 200) };
  } catch (e) {
    return { status: 0, text: e.message };
  }
}));
const seconds = (performance.now() - t0) / 1000;
clearInterval(sampler);
const hwm = statusKb('VmHWM');
const ok = results.filter((r) => r.status === 200).length;
const result = {
  parallel,
  file_bytes: template.length,
  ok,
  errors: parallel - ok,
  seconds: Number(seconds.toFixed(2)),
  rss_before_mb: Number((startRss / 1024).toFixed(1)),
  hwm_before_mb: Number((startHwm / 1024).toFixed(1)),
  peak_rss_mb: Number((hwm / 1024).toFixed(1)),
  sampled_max_rss_mb: Number((maxRss / 1024).toFixed(1)),
  sampled_max_anon_mb: Number((maxAnon / 1024).toFixed(1)),
  sampled_max_file_mb: Number((maxFile / 1024).toFixed(1)),
};
console.log(`send rss: ${parallel} parallel sends of ${template.length} bytes, ${ok} ok in ${result.seconds} s: ` +
  `VmHWM ${result.peak_rss_mb} MB (RSS before ${result.rss_before_mb} MB, sampled max ${result.sampled_max_rss_mb} MB: ` +
  `anonymous ${result.sampled_max_anon_mb} MB, file-backed ${result.sampled_max_file_mb} MB)`);
for (const r of results.filter((x) => x.status !== 200).slice(0, 3)) console.log(`error sample: HTTP ${r.status} ${r.text}`);
console.log(JSON.stringify(result));
if (ok !== parallel) process.exit(1);
