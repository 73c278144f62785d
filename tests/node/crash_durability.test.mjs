// Crash durability of POST /v3/signature_request/send: a stream of 2-file multipart sends (a
// few in parallel) while the server is SIGKILLed at a random moment, then a restart on the same
// data folder. Every send answered 200 before the kill must be there, whole: same title,
// signers and metadata, files byte for byte (SHA-256 of the zip entries), its mail written.
// A send the client never saw answered may or may not exist, but never half: every listed
// request must GET and download whole. The outbox never holds a truncated mail.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startServer, stopCrashedPair, uniqueEmail } from './lib/server.mjs';
import { expectJson } from './lib/http.mjs';
import { makePdf, sha256 } from './lib/pdf.mjs';
import { readZip } from './lib/zip.mjs';
import { readOutbox } from './lib/outbox.mjs';
import { queryRows } from './lib/db_query.mjs';
import { send, sendOk, sdkForm, twoSigners, getRequest, listRequests, downloadFiles } from './lib/sr.mjs';

const SENDS = 60;
const PARALLEL = 4;

/** Recipients of mail still pending in the queue of the server using `dataDir`. */
async function queuedMail(dataDir) {
  const rows = await queryRows(dataDir, 'SELECT to_email FROM mail_queue WHERE status = 0;');
  return new Set(rows.map((x) => x.toLowerCase()));
}

let first; // the server that gets killed
let second; // the restarted one, same data dir

before(async () => {
  first = await startServer();
});

after(() => stopCrashedPair(first, second));

test('SIGKILL in the middle of a stream of sends loses nothing acknowledged and leaves nothing half-written', async (t) => {
  const acct = await first.createAccount();
  const auth = { apiKey: acct.api_key };
  const run = randomBytes(4).toString('hex');
  const jobs = Array.from({ length: SENDS }, (_, i) => ({
    i,
    title: `Crash ${run} #${i}`,
    signers: twoSigners({ prefix: `crash${i}` }),
    metadata: { seq: i, run },
    files: [makePdf({ pages: 1, label: `crash ${i} a` }), makePdf({ pages: 2, label: `crash ${i} b` })],
    state: 'pending', // pending | inflight | acked | lost
    sr: null,
  }));
  const byTitle = new Map(jobs.map((j) => [j.title, j]));
  const killAfterAcks = 10 + Math.floor(Math.random() * 31); // 10..40
  const jitterMs = Math.floor(Math.random() * 40);
  t.diagnostic(`kill after ${killAfterAcks} acknowledged sends + ${jitterMs} ms`);

  let acked = 0;
  let killed = false;
  let killPromise = null;
  const kill = () => {
    if (killPromise) return killPromise;
    killPromise = new Promise((resolve) => {
      setTimeout(() => {
        const exited = new Promise((r) => first.proc.once('exit', r));
        killed = true;
        first.proc.kill('SIGKILL');
        exited.then(resolve);
      }, jitterMs);
    });
    return killPromise;
  };

  let next = 0;
  const unexpected = [];
  async function worker() {
    while (!killed && next < jobs.length) {
      const job = jobs[next];
      next += 1;
      job.state = 'inflight';
      const form = sdkForm({ title: job.title, signers: job.signers, metadata: job.metadata, test_mode: 'true' },
        [{ name: `a${job.i}.pdf`, data: job.files[0] }, { name: `b${job.i}.pdf`, data: job.files[1] }]);
      try {
        const res = await send(first.url, auth, { multipart: form });
        if (res.status === 200 && res.json?.signature_request) {
          job.state = 'acked';
          job.sr = res.json.signature_request;
          acked += 1;
          if (acked >= killAfterAcks) kill();
        } else {
          job.state = 'lost';
          if (!killed) unexpected.push(`#${job.i}: HTTP ${res.status} ${res.text.slice(0, 200)}`);
        }
      } catch (e) {
        job.state = 'lost'; // no answer: the connection died with the server
        if (!killed) unexpected.push(`#${job.i}: ${e.message}`);
      }
    }
  }
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  if (!killed) kill(); // every send finished before the kill point: still crash the server
  await killPromise;
  assert.deepEqual(unexpected, [], 'no send failed before the kill');

  const ackedJobs = jobs.filter((j) => j.state === 'acked');
  const attempted = jobs.filter((j) => j.state !== 'pending').length;
  t.diagnostic(`acknowledged ${ackedJobs.length}, attempted ${attempted}, never sent ${SENDS - attempted}`);
  assert.ok(ackedJobs.length >= killAfterAcks);

  second = await startServer({ dataDir: first.dataDir });
  const base = second.url;

  async function assertWhole(id, job) {
    const got = expectJson(await getRequest(base, auth, id), 200).signature_request;
    assert.equal(got.title, job.title);
    assert.deepEqual(got.metadata, job.metadata, `metadata of ${job.title}`);
    assert.deepEqual(got.signatures.map((s) => [s.signer_name, s.signer_email_address]),
      job.signers.map((s) => [s.name, s.email_address]), `signers of ${job.title}`);
    assert.ok(got.signatures.every((s) => s.status_code === 'awaiting_signature'));
    const zip = await downloadFiles(base, auth, id, 'zip');
    assert.equal(zip.status, 200, `zip of ${job.title}: HTTP ${zip.status}`);
    assert.deepEqual(readZip(zip.body).map((e) => sha256(e.data)), job.files.map((f) => sha256(f)),
      `files of ${job.title}, byte for byte`);
    return got;
  }

  // 1. Every acknowledged send survived, whole and unchanged.
  for (const job of ackedJobs) {
    const got = await assertWhole(job.sr.signature_request_id, job);
    assert.deepEqual(got.signatures.map((s) => s.signature_id), job.sr.signatures.map((s) => s.signature_id));
    assert.equal(got.created_at, job.sr.created_at);
  }

  // 2. The list: at least the acknowledged, at most the attempted; every listed one is whole.
  const list = expectJson(await listRequests(base, auth, 'page_size=100'), 200);
  const total = list.list_info.num_results;
  assert.ok(total >= ackedJobs.length, `listed ${total} >= acknowledged ${ackedJobs.length}`);
  assert.ok(total <= attempted, `listed ${total} <= attempted ${attempted}`);
  assert.equal(list.signature_requests.length, total);
  const listedIds = new Set(list.signature_requests.map((r) => r.signature_request_id));
  for (const job of ackedJobs) assert.ok(listedIds.has(job.sr.signature_request_id), `${job.title} is listed`);
  for (const r of list.signature_requests) {
    const job = byTitle.get(r.title);
    assert.ok(job, `listed request ${r.title} is one that was sent`);
    assert.notEqual(job.state, 'pending');
    await assertWhole(r.signature_request_id, job);
  }
  t.diagnostic(`listed after restart: ${total} (${total - ackedJobs.length} committed without an answer)`);

  // 3. Mail queued with each acknowledged send is delivered after the restart, or is still
  // durably queued: a mail the worker had claimed when the server died waits for its lease
  // (120 s) to run out before it is sent again, longer than this test waits.
  const wanted = ackedJobs.flatMap((job) => job.sr.signatures.map((sig) => ({ email: sig.signer_email_address, id: sig.signature_id })));
  const delivered = (mails, w) => mails.some((m) => m.to === w.email && m.links.some((l) => l.signatureId === w.id));
  let missing = wanted;
  let lastCount = -1;
  let stableSince = Date.now();
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const mails = await readOutbox(second.dataDir);
    missing = wanted.filter((w) => !delivered(mails, w));
    if (missing.length === 0) break;
    if (mails.length !== lastCount) {
      lastCount = mails.length;
      stableSince = Date.now();
    } else if (Date.now() - stableSince > 3000) {
      break; // the outbox stopped growing
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  if (missing.length > 0) {
    t.diagnostic(`${missing.length} mail(s) not yet written; checking they are still queued`);
    const queued = await queuedMail(second.dataDir);
    for (const w of missing) {
      assert.ok(queued.has(w.email), `the mail to ${w.email} is neither in the outbox nor queued`);
    }
  }
  // No mail in the outbox is truncated: each has a recipient and a signing link.
  for (const m of await readOutbox(second.dataDir)) {
    assert.match(m.to, /@/, `recipient of ${m.file}`);
    assert.ok(m.links.length >= 1, `signing link in ${m.file}`);
  }

  // 4. The restarted server takes new sends.
  const later = await sendOk(base, auth, {
    multipart: sdkForm({ signers: [{ name: 'After', email_address: uniqueEmail('after-crash') }] }, [{ name: 'x.pdf', data: makePdf() }]),
  });
  expectJson(await getRequest(base, auth, later.signature_request_id), 200);
});
