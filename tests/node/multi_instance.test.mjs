// Two Countersign instances on one PostgreSQL database behind nginx round-robin (issue 7), driven
// only through nginx: log-in and consent (sessions and CSRF tokens work whichever instance a
// request lands on), the authorization code issued by one instance and redeemed at the other,
// Bearer calls and refresh on both, a send whose files both instances serve from the shared
// folder and whose mails go out once, a signature whose form and POST land on different
// instances; then one instance is SIGKILLed and the flow goes on, up to the sealed final PDF.
// Before that: a signer's PIN lock and PIN pass hold whichever instance answers.
// Needs the PostgreSQL server scripts/test.sh starts (COUNTERSIGN_TEST_PG_URL); without it the
// test is skipped, or fails under CI=true / COUNTERSIGN_TEST_REQUIRE_PG=1.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster } from './lib/cluster.mjs';
import { call, expectJson, describe } from './lib/http.mjs';
import { WebSession, findForm, createApp, authorizeQuery } from './lib/web.mjs';
import { quickSend, twoSigners, getRequest, downloadFiles, waitForFinalPdf } from './lib/sr.mjs';
import { readOutbox } from './lib/outbox.mjs';

const required = process.env.CI === 'true' || process.env.COUNTERSIGN_TEST_REQUIRE_PG === '1';
const havePg = Boolean(process.env.COUNTERSIGN_TEST_PG_URL);
// It always runs on PostgreSQL: once per run is enough (the PostgreSQL pass would repeat it).
const repeat = process.env.COUNTERSIGN_TEST_DATABASE === 'postgres';
const skip = repeat ? 'already run in the SQLite pass (it always uses PostgreSQL)'
  : !havePg && !required ? 'no PostgreSQL test server (COUNTERSIGN_TEST_PG_URL)' : false;

let cluster;
before(async () => {
  if (skip) return;
  assert.ok(havePg, 'COUNTERSIGN_TEST_PG_URL is not set: run with scripts/test.sh');
  cluster = await startCluster({ instances: 2 });
});
after(async () => {
  if (cluster) await cluster.stop();
});

// nginx lists every instance it tried ("a, b"); the last one answered.
const upstream = (res) => (res.headers.get('x-upstream') || '').split(', ').at(-1);

/** Bearer GET /v3/account `n` times through nginx; returns the set of instances that answered. */
async function bearerCalls(base, token, n) {
  const seen = new Set();
  for (let i = 0; i < n; ++i) {
    const res = await call(base, 'GET', '/v3/account', { token });
    expectJson(res, 200);
    seen.add(upstream(res));
  }
  return seen;
}

/** Log-in and consent through nginx; returns { code, state, via } (via: who issued the code). */
async function consentThroughNginx(base, account, app, seen) {
  const session = new WebSession(base);
  const page = await session.get('/login');
  seen.add(upstream(page));
  const form = findForm(page.text, 'password');
  const login = await session.post('/login', { ...form.fields, email: account.email_address,
    password: account.password });
  seen.add(upstream(login));
  assert.equal(login.status, 303, `POST /login: ${login.status} ${login.text.slice(0, 300)}`);
  const state = `st-${Date.now()}`;
  const consentPage = await session.get(`/oauth/authorize?${authorizeQuery({ clientId: app.clientId, state })}`);
  seen.add(upstream(consentPage));
  assert.equal(consentPage.status, 200, `consent page: ${consentPage.status} ${consentPage.text.slice(0, 300)}`);
  const consentForm = findForm(consentPage.text, 'client_id');
  const decided = await session.post('/oauth/authorize', { ...consentForm.fields, decision: 'accept' });
  seen.add(upstream(decided));
  assert.equal(decided.status, 303, `POST /oauth/authorize: ${decided.status} ${decided.text.slice(0, 300)}`);
  const location = new URL(decided.location);
  assert.equal(location.searchParams.get('state'), state);
  return { code: location.searchParams.get('code'), state, via: upstream(decided) };
}

// Runs before the failover test below, which kills an instance.
test('signer PINs: a lock from wrong PINs at one instance holds at the other, and so does a pass', { skip }, async () => {
  const [one, two] = cluster.instances;
  const account = await cluster.createAccount();
  const auth = { apiKey: account.api_key };
  const signers = [{ name: 'Pin One', email_address: `pin-one-${Date.now()}@example.com`, pin: '8642' },
    { name: 'Pin Two', email_address: `pin-two-${Date.now()}@example.com`, pin: '8642' }];
  const sr = await quickSend(cluster.url, auth, { title: 'PIN across instances', signers });
  let links;
  for (let i = 0; i < 60 && !links; ++i) {
    try {
      links = await signingLinks([one, two], sr);
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  assert.ok(links, 'both signing links were mailed');
  const pinForm = async (session, link) => {
    const url = new URL(link);
    const page = await session.get(`${session.base}${url.pathname}${url.search}`);
    assert.equal(page.status, 200);
    return { path: url.pathname, fields: findForm(page.text, 'pin').fields, search: url.search };
  };
  const tryPin = (session, form, pin) => session.post(`${session.base}${form.path}`, { ...form.fields, action: 'pin', pin });

  // Five wrong PINs at instance one; the right PIN at instance two is refused.
  const atOne = new WebSession(one.url);
  const form1 = await pinForm(atOne, links[0]);
  for (let i = 0; i < 4; ++i) assert.equal((await tryPin(atOne, form1, '0000')).status, 400);
  assert.equal((await tryPin(atOne, form1, '0000')).status, 429);
  const atTwo = new WebSession(two.url);
  const form2 = await pinForm(atTwo, links[0]);
  assert.equal((await tryPin(atTwo, form2, '8642')).status, 429);

  // The other signer's right PIN at instance one opens the document at instance two.
  const session = new WebSession(one.url);
  const form3 = await pinForm(session, links[1]);
  assert.equal((await tryPin(session, form3, '8642')).status, 303);
  session.base = two.url;
  const page = await session.get(`${two.url}${form3.path}${form3.search}`);
  assert.equal(page.status, 200);
  assert.ok(page.text.includes('class="sign-page"'), 'the document is shown at the other instance');
});

test('two instances behind nginx: OAuth across instances, sends, and failover', { skip }, async () => {
  const base = cluster.url;
  const [one, two] = cluster.instances;
  const both = new Set([one.address, two.address]);
  const account = await cluster.createAccount();
  const app = await createApp(base, account.api_key);

  // 1. Log-in and consent: the session cookie and CSRF token of one instance work at the other.
  const pageHits = new Set();
  const { code, state, via } = await consentThroughNginx(base, account, app, pageHits);
  assert.deepEqual(pageHits, both, 'the page flow touched both instances');
  assert.ok(code, 'a code');

  // 2. The code issued by one instance is redeemed at the other (round-robin: the next request).
  const exchanged = await call(base, 'POST', '/oauth/token', {
    json: { grant_type: 'authorization_code', client_id: app.clientId, client_secret: app.secret, code, state },
  });
  const tokens = expectJson(exchanged, 200);
  assert.notEqual(upstream(exchanged), via, 'issued by one instance, redeemed at the other');
  assert.ok(both.has(upstream(exchanged)));

  // 3. Bearer calls land on both; the refresh grant rotates once.
  assert.deepEqual(await bearerCalls(base, tokens.access_token, 4), both);
  const refreshBody = (rt) => ({ json: { grant_type: 'refresh_token', refresh_token: rt,
    client_id: app.clientId, client_secret: app.secret } });
  const refreshed = expectJson(await call(base, 'POST', '/oauth/token?refresh', refreshBody(tokens.refresh_token)), 200);
  assert.deepEqual(await bearerCalls(base, refreshed.access_token, 2), both);

  // 4. A send through nginx; both instances serve it and its files (the shared folder).
  const auth = { apiKey: account.api_key };
  const signers = twoSigners({ prefix: 'cluster' });
  const sr = await quickSend(base, auth, { title: 'Cluster send', signers, pages: 2 });
  for (const inst of [one, two]) {
    const got = expectJson(await getRequest(inst.url, auth, sr.signature_request_id), 200);
    assert.equal(got.signature_request.title, 'Cluster send');
    const pdf = await downloadFiles(inst.url, auth, sr.signature_request_id, 'pdf');
    assert.equal(pdf.status, 200, `files from ${inst.address}: ${pdf.status} ${pdf.text.slice(0, 200)}`);
    assert.ok(pdf.body.subarray(0, 5).toString() === '%PDF-', 'a PDF');
  }
  // Each signer's invitation goes out once, by one instance or the other.
  const deadline = Date.now() + 15_000;
  let counts;
  for (;;) {
    const mails = [...await readOutbox(one.dataDir), ...await readOutbox(two.dataDir)];
    counts = signers.map((s) => mails.filter((m) => m.to === s.email_address.toLowerCase()).length);
    if (counts.every((c) => c >= 1) || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.deepEqual(counts, [1, 1], 'one invitation per signer across both outboxes');

  // 5. The first signer signs through nginx: the form from one instance, the POST (with that
  //    page's anonymous session and CSRF token) at the other.
  const links = await signingLinks([one, two], sr);
  const signedVia = await signThroughNginx(base, links[0], 'Jack Signer');
  assert.equal(signedVia.size, 2, `the signing page and its POST landed on both: ${[...signedVia]}`);
  await new Promise((r) => setTimeout(r, 1500)); // the advance job after it (nothing to mail yet)

  // 6. One instance dies; nginx sends everything to the other and the flow goes on.
  await one.kill();
  assert.deepEqual(await bearerCalls(base, refreshed.access_token, 4), new Set([two.address]));
  const again = expectJson(await call(base, 'POST', '/oauth/token?refresh', refreshBody(refreshed.refresh_token)), 200);
  assert.deepEqual(await bearerCalls(base, again.access_token, 2), new Set([two.address]));
  const reuse = await call(base, 'POST', '/oauth/token?refresh', refreshBody(refreshed.refresh_token));
  assert.equal(reuse.status, 400, 'a spent refresh token is refused (and revokes the grant)');
  const after = await quickSend(base, auth, { title: 'After failover' });
  expectJson(await getRequest(base, auth, after.signature_request_id), 200);
  const hits = new Set();
  const second = await consentThroughNginx(base, account, app, hits);
  assert.deepEqual(hits, new Set([two.address]));
  const tokens2 = expectJson(await call(base, 'POST', '/oauth/token', {
    json: { grant_type: 'authorization_code', client_id: app.clientId, client_secret: app.secret,
      code: second.code, state: second.state },
  }), 200);
  assert.deepEqual(await bearerCalls(base, tokens2.access_token, 2), new Set([two.address]));
  // A replayed code is refused and revokes what it issued.
  const replay = await call(base, 'POST', '/oauth/token', {
    json: { grant_type: 'authorization_code', client_id: app.clientId, client_secret: app.secret,
      code: second.code, state: second.state },
  });
  assert.equal(replay.status, 400, describe(replay));
  const revoked = await call(base, 'GET', '/v3/account', { token: tokens2.access_token });
  assert.equal(revoked.status, 401, describe(revoked));

  // 7. The second signer signs after the failover; the survivor completes the request and seals
  //    the final PDF once.
  await signThroughNginx(base, links[1], 'Jill Signer');
  const { request: done } = await waitForFinalPdf(base, auth, sr.signature_request_id);
  assert.ok(done.is_complete, 'complete');
  assert.deepEqual(done.signatures.map((x) => x.status_code), ['signed', 'signed']);
});

/** The signing links of `sr`'s signers, from the outboxes of `instances` (in signer order). */
async function signingLinks(instances, sr) {
  const mails = (await Promise.all(instances.map((i) => readOutbox(i.dataDir)))).flat();
  return sr.signatures.map((sig) => {
    const link = mails.flatMap((m) => m.links).find((l) => l.signatureId === sig.signature_id);
    assert.ok(link, `a signing link for ${sig.signature_id}`);
    return link.url;
  });
}

/** Opens a signing link through nginx and signs with a typed name; returns who answered. */
async function signThroughNginx(base, link, name) {
  const url = new URL(link);
  const session = new WebSession(base);
  const page = await session.get(`${url.pathname}${url.search}`);
  assert.equal(page.status, 200, `signing page: ${page.status} ${page.text.slice(0, 300)}`);
  const form = findForm(page.text, 'typed_name');
  const res = await session.post(url.pathname, { ...form.fields, kind: 'typed', typed_name: name,
    esign_consent: '1', action: 'sign' });
  assert.equal(res.status, 303, `POST ${url.pathname}: ${res.status} ${res.text.slice(0, 300)}`);
  return new Set([upstream(page), upstream(res)]);
}
