// Event callbacks that survive a crash and respect the SSRF guard (issue 5; CONTRACT.md §7),
// with a real receiver process on loopback: SIGKILL of Countersign while a delivery waits for
// its retry loses nothing (the retried event and the one queued behind it arrive after the
// restart) and sends nothing twice whose 200 was recorded; without --allow-private-callbacks,
// callbacks on loopback (by address or by name, including the server's own API) get no POST
// and their deliveries end failed. Every event received is checked with the official SDK's
// EventCallbackHelper.isValid.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { quickSend } from './lib/sr.mjs';
import { startReceiver } from './lib/receiver.mjs';
import { saveAccountCallback, waitForRows, SignedPaths } from './lib/events.mjs';

let rx;
const paths = new SignedPaths('d-');
const path = (name, apiKey) => paths.add(name, apiKey);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const waitAt = (p, count = 1, timeoutMs = 15_000) => rx.waitFor((x) => x.path === p, { count, timeoutMs });

before(async () => {
  rx = await startReceiver();
});

after(async () => {
  if (rx) await rx.stop();
});

describe('durability and the SSRF guard', { concurrency: true }, () => {
  test('SIGKILL of Countersign mid-retry: nothing lost, nothing sent twice after a 200 was recorded', async () => {
    const flags = ['--allow-private-callbacks', '--event-retry-schedule', '3,6,9', '--event-timeout-seconds', '2'];
    const first = await startServer({ extraArgs: flags });
    let second;
    try {
      const okAcct = await first.createAccount();
      const pOk = path('crash-ok', okAcct.api_key);
      await saveAccountCallback(first.url, okAcct.api_key, rx.url(pOk));
      for (let i = 0; i < 3; i += 1) await quickSend(first.url, { apiKey: okAcct.api_key }, { title: `before crash ${i}` });
      await waitAt(pOk, 4);
      await waitForRows(first, okAcct, (r) => r.length === 4 && r.every((x) => x.status === 'delivered'));

      const acct = await first.createAccount();
      const p = path('crash', acct.api_key);
      rx.setMode(p, 'error');
      await saveAccountCallback(first.url, acct.api_key, rx.url(p));
      const queued = await quickSend(first.url, { apiKey: acct.api_key }, { title: 'queued behind the retried one' });
      await waitAt(p, 1);
      // Kill once the failed try is recorded (pending, 1 attempt), before its retry at +3 s.
      await waitForRows(first, acct, (r) => r.some((x) => x.eventType === 'callback_test' && x.status === 'pending' && x.attempts === 1));
      assert.equal(rx.postsTo(p).length, 1);
      const exited = new Promise((r) => first.proc.once('exit', r));
      first.proc.kill('SIGKILL');
      await exited;
      rx.setMode(p, 'ok');
      second = await startServer({ extraArgs: flags, dataDir: first.dataDir });
      await waitAt(p, 3, 20_000);
      await sleep(2000);
      const got = rx.postsTo(p).map((x) => x.json.signature_request?.signature_request_id ?? x.json.event.event_type);
      assert.deepEqual(got, ['callback_test', 'callback_test', queued.signature_request_id]);
      assert.equal(rx.postsTo(pOk).length, 4, 'events whose 200 was recorded are not sent again');
      const rows = await waitForRows(second, acct, (r) => r.length === 2 && r.every((x) => x.status === 'delivered'));
      assert.equal(rows[1].attempts, 2);
    } finally {
      if (first.proc.exitCode === null && first.proc.signalCode === null) first.proc.kill('SIGKILL');
      if (second) await second.stop();
      else await first.stop();
    }
  });

  test('without --allow-private-callbacks a loopback callback gets no POST and the delivery ends failed', async () => {
    const guarded = await startServer({ extraArgs: ['--event-retry-schedule', '1,2,3', '--event-timeout-seconds', '2'] });
    try {
      const acct = await guarded.createAccount();
      const p = path('ssrf', acct.api_key);
      const p2 = path('ssrf-localhost', acct.api_key);
      await saveAccountCallback(guarded.url, acct.api_key, rx.url(p));
      let rows = await waitForRows(guarded, acct, (r) => r[0]?.status === 'failed');
      assert.equal(rows[0].attempts, 4);
      assert.equal(rows[0].code, '');
      assert.match(rows[0].error, /no answer from the callback URL/);
      await saveAccountCallback(guarded.url, acct.api_key, `http://localhost:${rx.port}${p2}`);
      rows = await waitForRows(guarded, acct, (r) => r.length === 2 && r[0].status === 'failed');
      assert.match(rows[0].error, /no answer from the callback URL/);
      // Its own API, by name and by address, is refused the same way.
      await saveAccountCallback(guarded.url, acct.api_key, `${guarded.url}/v3/account`);
      rows = await waitForRows(guarded, acct, (r) => r.length === 3 && r[0].status === 'failed');
      assert.match(rows[0].error, /no answer from the callback URL/);
      assert.equal(rx.postsTo(p).length + rx.postsTo(p2).length, 0);
    } finally {
      await guarded.stop();
    }
  });
});

test('every event received was signed with the API key of the callback owner (SDK isValid)', () => {
  assert.ok(rx.posts.length >= 7, `${rx.posts.length} events received`);
  paths.checkAll(rx.posts);
});
