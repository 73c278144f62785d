// The sign-up page does not reveal which addresses have an account: every well-formed sign-up
// answers the same "We sent a link to … to finish signing up" page. A new address gets its
// unconfirmed account and a confirmation link; a taken one changes nothing: a confirmed owner
// is mailed a notice telling them to log in, an unconfirmed account's address gets a new link
// that confirms with the new sign-up's password (so a stranger who signed up first with
// someone's address cannot keep it). Mail is read from the outbox .eml files.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, uniqueEmail, randomPassword } from './lib/server.mjs';
import { usePostgres } from './lib/pg_database.mjs';
import { call, expectJson } from './lib/http.mjs';
import {
  WebSession, findForm, submitSignUp, signUpAndConfirm, confirmEmail, confirmationLinkFromOutbox,
} from './lib/web.mjs';
import { waitForMail, mailsTo } from './lib/outbox.mjs';

let server;
let base;

before(async () => {
  // No wait between confirmation links, so the claim test need not sleep a minute.
  server = await startServer({ extraArgs: ['--confirmation-resend-seconds', '0'] });
  base = server.url;
});

after(async () => {
  if (server) await server.stop();
});

// Headers that differ between any two responses (time, id, length of a different address).
const VARYING = new Set(['date', 'x-request-id', 'content-length']);

// POST /signup from a fresh browser session; the response with the address and the session's
// CSRF token blanked out of the page, and its headers minus the varying ones.
async function signUpAs(email, password) {
  const session = new WebSession(base);
  const page = await session.get('/signup?next=%2Fapps');
  const fields = findForm(page.text, 'password').fields;
  const res = await session.post('/signup', { ...fields, email, password });
  const text = res.text.split(email).join('ADDRESS').split(fields.csrf_token).join('CSRF');
  const headers = [...res.headers].filter(([name]) => !VARYING.has(name));
  return { status: res.status, text, headers, location: res.location };
}

function accountRows() {
  const db = join(server.dataDir, 'countersign.db');
  return Number(execFileSync('sqlite3', [db, 'SELECT count(*) FROM accounts']).toString().trim());
}

test('a taken address gets the same answer as a new one, creates nothing, and its owner is told', async () => {
  const owner = await server.createAccount();
  // An owner who signed up but never confirmed gets the same answer too (see the next test).
  const pending = { email: uniqueEmail('pending'), password: randomPassword() };
  assert.equal((await submitSignUp(new WebSession(base), pending)).status, 200);
  await waitForMail(server.dataDir, (m) => m.to === pending.email);

  for (const taken of [{ email: owner.email_address, password: owner.password }, pending]) {
    const rows = usePostgres() ? 0 : accountRows();
    const fresh = await signUpAs(uniqueEmail('fresh'), randomPassword());
    const other = randomPassword();
    const again = await signUpAs(taken.email, other);

    assert.equal(fresh.status, 200);
    assert.equal(again.status, fresh.status);
    assert.equal(again.location, null);
    assert.equal(again.text, fresh.text, 'the same page apart from the address');
    assert.deepEqual(again.headers, fresh.headers);
    assert.match(again.text, /We sent a link to ADDRESS to finish signing up/);
    assert.doesNotMatch(again.text, /class="error"/);

    // Only the fresh address made an account; the taken one's password did not change.
    if (!usePostgres()) assert.equal(accountRows(), rows + 1);
    const s = new WebSession(base);
    const page = await s.get('/login');
    const wrong = await s.post('/login', { ...findForm(page.text, 'password').fields, email: taken.email, password: other });
    assert.equal(wrong.status, 401, 'the sign-up password does not log in');
    await new WebSession(base).login(taken.email, taken.password);

    if (taken === pending) continue;  // mailed a new link instead: the next test
    // The owner is mailed a notice pointing to log-in, with no confirmation link.
    const [notice] = await waitForMail(server.dataDir, (m) => m.to === taken.email && /tried to sign up/.test(m.subject));
    assert.ok(notice.text.includes(`${base}/login`), notice.text);
    assert.doesNotMatch(notice.text, /\/account\/confirm/);
  }
  // The operator's account is as it was.
  const me = expectJson(await call(base, 'GET', '/v3/account', { apiKey: owner.api_key }), 200);
  assert.equal(me.account.account_id, owner.account_id);
  assert.equal(me.warnings, undefined, 'still confirmed');
  // Repeated attempts within the hour do not flood the owner's mailbox.
  await signUpAs(owner.email_address, randomPassword());
  await new Promise((r) => setTimeout(r, 500));
  const notices = (await mailsTo(server.dataDir, owner.email_address)).filter((m) => /tried to sign up/.test(m.subject));
  assert.equal(notices.length, 1);
});

test("the address's owner claims an account a stranger signed up with, and the stranger is logged out", async () => {
  const email = uniqueEmail('claimed');
  const strangerPassword = randomPassword();
  assert.equal((await submitSignUp(new WebSession(base), { email, password: strangerPassword })).status, 200);
  await waitForMail(server.dataDir, (m) => m.to === email);
  const stranger = new WebSession(base);
  await stranger.login(email, strangerPassword);
  assert.equal((await stranger.get('/home')).status, 200);

  // The owner signs up with their own password and follows the newest link, mailed to them.
  const owner = new WebSession(base);
  const ownPassword = randomPassword();
  assert.equal((await submitSignUp(owner, { email, password: ownPassword })).status, 200);
  await waitForMail(server.dataDir, (m) => m.to === email, { count: 2 });
  const done = await confirmEmail(owner, await confirmationLinkFromOutbox(server.dataDir, email), ownPassword);
  assert.equal(owner.resolve(done.location).pathname, '/home');

  const home = await stranger.get('/home');
  assert.notEqual(home.status, 200, 'the stranger session ended');
  const s = new WebSession(base);
  const page = await s.get('/login');
  const wrong = await s.post('/login', { ...findForm(page.text, 'password').fields, email, password: strangerPassword });
  assert.equal(wrong.status, 401, "the stranger's password no longer works");
  await new WebSession(base).login(email, ownPassword);
});

test("a new address's emailed link confirms it and logs in", async () => {
  const session = new WebSession(base);
  const email = uniqueEmail('new');
  const done = await signUpAndConfirm(session, server.dataDir, { email, password: randomPassword() });
  assert.equal(session.resolve(done.location).pathname, '/home');
  const home = await session.get('/home');
  assert.equal(home.status, 200);
  assert.ok(home.text.includes(email));
  assert.ok(!home.text.includes('id="unconfirmed"'));
});
