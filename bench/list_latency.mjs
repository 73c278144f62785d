// Latency of GET /v3/signature_request/list for bench/bench_list.sh: sequential requests (one
// connection by default) for a fixed time after a warm-up; every answer must be 200 with the
// expected num_results. Prints a summary and one JSON line {"p50_ms",…} last.
//
// Usage: node bench/list_latency.mjs --url URL --api-key KEY --expect-total N
//        [--duration 5] [--warmup 1] [--concurrency 1] [--query "page_size=20"]

import { performance } from 'node:perf_hooks';
import { option } from './cli_option.mjs';

const opt = option;
const url = opt('url');
const apiKey = opt('api-key');
const expectTotal = Number(opt('expect-total'));
const duration = Number(opt('duration', 5));
const warmup = Number(opt('warmup', 1));
const concurrency = Number(opt('concurrency', 1));
const query = opt('query', '');
if (!url || !apiKey || !Number.isInteger(expectTotal)) {
  console.error('usage: node bench/list_latency.mjs --url URL --api-key KEY --expect-total N');
  process.exit(2);
}
if (!(duration > 0 && duration <= 120)) throw new Error('--duration must be in (0, 120] seconds');
if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(url)) throw new Error(`loopback only: ${url}`);

const target = `${url}/v3/signature_request/list${query ? `?${query}` : ''}`;
const headers = { authorization: `Basic ${Buffer.from(`${apiKey}:`).toString('base64')}` };
const latencies = [];
let recording = false;
let stop = false;
let failure = null;
let items = -1;

async function worker() {
  while (!stop && !failure) {
    const t0 = performance.now();
    const res = await fetch(target, { headers });
    const text = await res.text();
    const ms = performance.now() - t0;
    if (res.status !== 200) {
      failure = `HTTP ${res.status} ${text.slice(0, 300)}`;
      break;
    }
    const body = JSON.parse(text);
    if (body.list_info?.num_results !== expectTotal) {
      failure = `num_results ${body.list_info?.num_results}, expected ${expectTotal}`;
      break;
    }
    items = body.signature_requests.length;
    if (recording) latencies.push(ms);
  }
}

const running = Array.from({ length: concurrency }, worker);
await new Promise((r) => setTimeout(r, warmup * 1000));
recording = true;
await new Promise((r) => setTimeout(r, duration * 1000));
stop = true;
await Promise.all(running);
if (failure) {
  console.error(`list failed: ${failure}`);
  process.exit(1);
}
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)];
const result = {
  total: expectTotal,
  items_per_page: items,
  requests: latencies.length,
  p50_ms: Number(pct(50).toFixed(3)),
  p90_ms: Number(pct(90).toFixed(3)),
  p99_ms: Number(pct(99).toFixed(3)),
};
console.log(`list with ${expectTotal} stored: ${latencies.length} requests, ${items} per page, ` +
  `p50 ${result.p50_ms} ms, p90 ${result.p90_ms} ms, p99 ${result.p99_ms} ms`);
console.log(JSON.stringify(result));
