// The account creation flow (docs/account-creation.md) over real HTTP, with every email going
// through a real SMTP server (lib/smtp_sink.py on aiosmtpd) started by this file:
//   - POST /v3/account/create without and with the app's credentials, and every error path;
//   - the emailed link: set a password, confirm, log in, then the app's consent page; Accept
//     makes the very tokens from account/create work, Deny revokes them for good;
//   - reused, expired and unknown links;
//   - accounts from the sign-up page: the `unconfirmed` warning, no authorizing apps and no
//     sending until the emailed link is used;
//   - the walkthrough's accountCreate example through the official SDK (@dropbox/sign 1.11.0).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as DropboxSign from '@dropbox/sign';
import { startServer, uniqueEmail, randomPassword } from './lib/server.mjs';
import { call, expectJson, assertError } from './lib/http.mjs';
import { WebSession, findForm, parseForms, createApp, confirmEmail, refresh, submitSignUp } from './lib/web.mjs';
import { startSmtpSink, waitForSmtpMail, readSmtpMail } from './lib/smtp.mjs';
import { send, sdkForm } from './lib/sr.mjs';
import { makePdf } from './lib/pdf.mjs';

let sink;
let server;
let base;
let owner; // the app developer (CLI account: confirmed)
let app; // approved, scopes account_access + signature_request_access

before(async () => {
  sink = await startSmtpSink();
  server = await startServer({
    extraArgs: ['--smtp-host', '127.0.0.1', '--smtp-port', String(sink.port), '--smtp-security', 'none',
      '--mail-retry-seconds', '1', '--mail-from', 'no-reply@countersign.test'],
  });
  base = server.url;
  owner = await server.createAccount();
  app = await createApp(base, owner.api_key, { scopes: ['account_access', 'signature_request_access'] });
  await server.approveApp(app.clientId);
});

after(async () => {
  if (server) await server.stop();
  if (sink) await sink.stop();
});

/** POST /v3/account/create as the app owner (API key). */
function accountCreate(body, auth = { apiKey: owner.api_key }) {
  return call(base, 'POST', '/v3/account/create', { ...auth, json: body });
}

/** The one confirmation mail `email` received over SMTP. */
async function confirmationMail(email) {
  const [mail] = await waitForSmtpMail(sink.dir, (m) => m.to === email);
  assert.equal(mail.confirmLinks.length, 1, `one confirmation link in: ${mail.text.slice(0, 500)}`);
  return mail;
}

/** Accepts or denies on the consent page the confirmation redirected to. */
async function decide(session, location, decision) {
  const page = await session.get(location);
  assert.equal(page.status, 200, `consent page: ${page.status} ${page.text.slice(0, 300)}`);
  const form = findForm(page.text, 'client_id');
  assert.equal(form.action, '/account/authorize');
  const res = await session.post(form.action, { ...form.fields, decision });
  assert.equal(res.status, 200, `decision: ${res.status} ${res.text.slice(0, 300)}`);
  return res;
}

test('account/create without app credentials: {account}, and the confirmation mail arrives over SMTP', async () => {
  const email = uniqueEmail('plain');
  const body = expectJson(await accountCreate({ email_address: email.toUpperCase(), locale: 'fr-FR' }), 200);
  assert.deepEqual(Object.keys(body), ['account']);
  assert.equal(body.account.email_address, email);
  assert.match(body.account.account_id, /^[0-9a-f]{40}$/);
  assert.equal(body.account.locale, 'fr-FR');
  assert.equal(body.account.callback_url, null);
  assert.equal(body.account.role_code, null);

  const mail = await confirmationMail(email);
  assert.equal(mail.envelopeTo, email);
  assert.match(mail.headers.from, /no-reply@countersign\.test/);
  assert.ok(mail.headers['message-id'] && mail.headers.date, 'Message-ID and Date headers');
  assert.match(mail.headers['content-type'], /multipart\/alternative/);
  assert.deepEqual(mail.parts.map((p) => p.contentType.split(';')[0]), ['text/plain', 'text/html']);
  assert.match(mail.subject, /confirm/i);
  const link = mail.confirmLinks[0];
  assert.equal(link.base, base, 'links are built from the public base URL');

  // Set a password through the page; the account is then confirmed and logged in.
  const session = new WebSession(base);
  const password = randomPassword();
  const done = await confirmEmail(session, link.url, password);
  assert.equal(session.resolve(done.location).pathname, '/home');
  const home = await session.get('/home');
  assert.equal(home.status, 200);
  assert.ok(home.text.includes(email));
  assert.ok(!home.text.includes('id="unconfirmed"'));
  const again = new WebSession(base);
  await again.login(email, password);
});

test('account/create with client_id and client_secret: the oauth_data tokens work only once the user confirmed and accepted', async () => {
  const email = uniqueEmail('oauth');
  const body = expectJson(await accountCreate({ email_address: email, client_id: app.clientId, client_secret: app.secret }), 200);
  // Shaped as examples/json/AccountCreateOAuthResponse.json.
  assert.deepEqual(Object.keys(body).sort(), ['account', 'oauth_data']);
  assert.deepEqual(Object.keys(body.oauth_data).sort(), ['access_token', 'expires_in', 'refresh_token', 'token_type']);
  assert.equal(body.oauth_data.token_type, 'Bearer');
  assert.equal(typeof body.oauth_data.access_token, 'string');
  assert.equal(typeof body.oauth_data.refresh_token, 'string');
  assert.ok(Number.isInteger(body.oauth_data.expires_in) && body.oauth_data.expires_in > 0);
  assert.equal(body.account.email_address, email);
  assert.equal(body.account.callback_url, null);
  assert.equal(body.account.role_code, null);
  const { access_token: access, refresh_token: refreshToken } = body.oauth_data;

  const refused = async (when) => {
    assertError(await call(base, 'GET', '/v3/account', { token: access }), 401, 'unauthorized');
    assertError(await call(base, 'PUT', '/v3/account', { token: access, json: { locale: 'en-US' } }), 401, 'unauthorized');
    const r = await refresh(base, app, refreshToken);
    assertError(r, 400, 'invalid_grant');
    assert.ok(when);
  };
  await refused('before confirming');

  const mail = await confirmationMail(email);
  assert.ok(mail.text.includes(app.name), 'the mail names the app');
  const session = new WebSession(base);
  const confirmed = await confirmEmail(session, mail.confirmLinks[0].url, randomPassword());
  const location = session.resolve(confirmed.location);
  assert.equal(location.pathname, '/account/authorize');
  assert.equal(location.searchParams.get('client_id'), app.clientId);
  await refused('after confirming, before accepting');

  const accepted = await decide(session, confirmed.location, 'accept');
  assert.match(accepted.text, /You authorized/);

  // The same tokens now work, without a new OAuth flow.
  const me = expectJson(await call(base, 'GET', '/v3/account', { token: access }), 200);
  assert.equal(me.account.email_address, email);
  assert.equal(me.warnings, undefined, 'no unconfirmed warning any more');
  const next = expectJson(await refresh(base, app, refreshToken), 200);
  assert.equal(next.token_type, 'Bearer');
  assert.equal(expectJson(await call(base, 'GET', '/v3/account', { token: next.access_token }), 200).account.email_address, email);

  // Listed among the authorized apps, with nothing pending any more.
  const apps = await session.get('/account/apps');
  assert.ok(apps.text.includes(app.name));
  assert.equal((await session.get(confirmed.location)).status, 404);
});

test('Deny revokes the tokens for good', async () => {
  const email = uniqueEmail('deny');
  const body = expectJson(await accountCreate({ email_address: email, client_id: app.clientId, client_secret: app.secret }), 200);
  const mail = await confirmationMail(email);
  const session = new WebSession(base);
  const confirmed = await confirmEmail(session, mail.confirmLinks[0].url, randomPassword());
  const denied = await decide(session, confirmed.location, 'deny');
  assert.match(denied.text, /You denied/);
  assertError(await call(base, 'GET', '/v3/account', { token: body.oauth_data.access_token }), 401, 'unauthorized');
  assertError(await refresh(base, app, body.oauth_data.refresh_token), 400, 'invalid_grant');
  // Nothing left to accept.
  const page = await session.get(confirmed.location);
  assert.equal(page.status, 404);
  const home = await session.get('/home');
  assert.ok(!home.text.includes('pending-app'));
  assertError(await call(base, 'GET', '/v3/account', { token: body.oauth_data.access_token }), 401, 'unauthorized');
});

test('account/create errors: taken or invalid email, wrong credentials, unapproved app; nothing is created', async () => {
  const taken = assertError(await accountCreate({ email_address: owner.email_address.toUpperCase() }), 400, 'bad_request', 'email_address');
  assert.match(taken.error_msg, /exists/);
  assertError(await accountCreate({ email_address: owner.email_address, client_id: app.clientId, client_secret: app.secret }), 400, 'bad_request', 'email_address');
  assertError(await accountCreate({ email_address: 'not-an-email' }), 400, 'bad_request', 'email_address');
  assertError(await accountCreate({}), 400, 'bad_request', 'email_address');
  assertError(await accountCreate({ email_address: uniqueEmail('loc'), locale: 'xx-XX' }), 400, 'bad_request', 'locale');

  const fresh = uniqueEmail('never');
  assertError(await accountCreate({ email_address: fresh, client_id: app.clientId, client_secret: 'wrong' }), 401);
  assertError(await accountCreate({ email_address: fresh, client_id: '0'.repeat(32), client_secret: app.secret }), 401);
  assertError(await accountCreate({ email_address: fresh, client_id: app.clientId }), 400, 'bad_request', 'client_secret');
  assertError(await accountCreate({ email_address: fresh, client_secret: app.secret }), 400, 'bad_request', 'client_id');
  assertError(await accountCreate({ email_address: fresh }, {}), 401, 'unauthorized');
  assertError(await accountCreate({ email_address: fresh }, { apiKey: 'not-a-key' }), 401, 'unauthorized');

  const unapproved = await createApp(base, owner.api_key, { scopes: ['account_access'] });
  assertError(await accountCreate({ email_address: fresh, client_id: unapproved.clientId, client_secret: unapproved.secret }), 403, 'forbidden');

  // None of those created an account or sent a mail.
  const verify = expectJson(await call(base, 'POST', '/v3/account/verify', { apiKey: owner.api_key, json: { email_address: fresh } }), 200);
  assert.deepEqual(verify, {});
  // Mail queued with a later account would arrive after this one; give the worker a moment.
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal((await readSmtpMail(sink.dir)).filter((m) => m.to === fresh).length, 0);
});

test('links are single-use and unknown ones are refused', async () => {
  const email = uniqueEmail('links');
  expectJson(await accountCreate({ email_address: email }), 200);
  const mail = await confirmationMail(email);
  const url = mail.confirmLinks[0].url;

  const unknown = await new WebSession(base).get(`/account/confirm?token=${'0'.repeat(64)}`);
  assert.equal(unknown.status, 404);

  const session = new WebSession(base);
  await confirmEmail(session, url, randomPassword());
  const reused = await new WebSession(base).get(url);
  assert.equal(reused.status, 410);
  assert.match(reused.text, /already used/i);
  // A replayed POST of the form is refused too.
  const replay = new WebSession(base);
  const form = findForm((await replay.get('/account/confirm?token=x')).text, 'email');
  const res = await replay.post('/account/confirm', { csrf_token: form.fields.csrf_token, token: mail.confirmLinks[0].token, password: randomPassword() });
  assert.equal(res.status, 410);

});

test('links expire (here after 8 s); the expired-link page asks for a new one, which works', async () => {
  // A second server on the same SMTP sink whose links live 8 seconds.
  const short = await startServer({
    extraArgs: ['--smtp-host', '127.0.0.1', '--smtp-port', String(sink.port), '--smtp-security', 'none',
      '--confirmation-link-ttl-seconds', '8'],
  });
  try {
    const dev = await short.createAccount();
    const late = uniqueEmail('late');
    expectJson(await call(short.url, 'POST', '/v3/account/create', { apiKey: dev.api_key, json: { email_address: late } }), 200);
    const lateMail = await confirmationMail(late);
    const url = lateMail.confirmLinks[0].url;
    assert.ok(url.startsWith(short.url));
    await new Promise((r) => setTimeout(r, 9000));
    const anon = new WebSession(short.url);
    const expired = await anon.get(url);
    assert.equal(expired.status, 410);
    assert.match(expired.text, /expired/i);
    const resend = findForm(expired.text, 'email');
    assert.equal(resend.action, '/account/confirm/resend');
    const asked = await anon.post(resend.action, { ...resend.fields, email: late });
    assert.equal(asked.status, 200);
    const both = await waitForSmtpMail(sink.dir, (m) => m.to === late, { count: 2 });
    const fresh = both.map((m) => m.confirmLinks[0].url).find((u) => u !== url);
    const done = await confirmEmail(new WebSession(short.url), fresh, randomPassword());
    assert.equal(new URL(done.location, short.url).pathname, '/home');
  } finally {
    await short.stop();
  }
});

test('sign-up accounts: unconfirmed warning, cannot authorize apps or send until they use the emailed link', async () => {
  const email = uniqueEmail('signup');
  const password = randomPassword();
  const session = new WebSession(base);
  assert.equal((await submitSignUp(session, { email, password })).status, 200);
  const mail = await confirmationMail(email);
  await session.login(email, password); // unconfirmed accounts may log in

  // An API key from the settings page.
  const settings = await session.get('/settings');
  const keyForm = findForm(settings.text, 'csrf_token');
  const rotated = await session.post('/settings/api_key', keyForm.fields);
  const apiKey = /<code id="api-key"[^>]*>([^<]+)</.exec(rotated.text)[1];

  const me = expectJson(await call(base, 'GET', '/v3/account', { apiKey }), 200);
  assert.equal(me.account.email_address, email);
  assert.equal(me.warnings.length, 1);
  assert.equal(me.warnings[0].warning_name, 'unconfirmed');
  assert.equal(typeof me.warnings[0].warning_msg, 'string');

  const sendIt = () => send(base, { apiKey }, {
    multipart: sdkForm({ signers: [{ name: 'Jack', email_address: uniqueEmail('jack') }], test_mode: 'true' },
      [{ name: 'doc.pdf', data: makePdf() }]),
  });
  const refused = assertError(await sendIt(), 403, 'forbidden');
  assert.match(refused.error_msg, /confirm your email/i);

  // The consent page asks to confirm first, with a resend button.
  const authorize = `/oauth/authorize?response_type=code&client_id=${app.clientId}&state=s1`;
  const blocked = await session.get(authorize);
  assert.equal(blocked.status, 403);
  assert.ok(blocked.text.includes('id="confirm-first"'));
  const resendForm = parseForms(blocked.text).find((f) => f.action === '/account/confirm/resend');
  assert.ok(resendForm, 'a resend form on the page');
  const tooSoon = await session.post(resendForm.action, resendForm.fields);
  assert.equal(tooSoon.status, 429, 'a link was mailed moments ago');
  const post = await session.post('/oauth/authorize', { csrf_token: resendForm.fields.csrf_token, response_type: 'code', client_id: app.clientId, state: 's1', decision: 'accept' });
  assert.equal(post.status, 403);

  const done = await confirmEmail(session, mail.confirmLinks[0].url);
  assert.equal(session.resolve(done.location).pathname, '/home');
  assert.equal((await session.get(authorize)).status, 200);
  const after = expectJson(await call(base, 'GET', '/v3/account', { apiKey }), 200);
  assert.equal(after.warnings, undefined);
  expectJson(await sendIt(), 200);
});

test("the walkthrough's accountCreate example through @dropbox/sign", async () => {
  const accountApi = new DropboxSign.AccountApi();
  accountApi.basePath = `${base}/v3`; // the only change to the example
  // Configure HTTP basic authorization: api_key
  accountApi.username = owner.api_key;
  const email = uniqueEmail('sdk');
  const data = {
    emailAddress: email,
    clientId: app.clientId,
    clientSecret: app.secret,
  };
  const response = await accountApi.accountCreate(data);
  const result = response.body;
  assert.ok(result instanceof DropboxSign.AccountCreateResponse);
  assert.equal(result.account.emailAddress, email);
  assert.match(result.account.accountId, /^[0-9a-f]{40}$/);
  assert.equal(result.oauthData.tokenType, 'Bearer');
  assert.equal(typeof result.oauthData.accessToken, 'string');
  assert.equal(typeof result.oauthData.refreshToken, 'string');
  assert.ok(result.oauthData.expiresIn > 0);

  // The token is refused until the user confirms and accepts, through the SDK too.
  const asUser = new DropboxSign.AccountApi();
  asUser.basePath = `${base}/v3`;
  asUser.accessToken = result.oauthData.accessToken;
  await assert.rejects(asUser.accountGet(), (e) => e instanceof DropboxSign.HttpError && e.statusCode === 401);

  const mail = await confirmationMail(email);
  const session = new WebSession(base);
  const confirmed = await confirmEmail(session, mail.confirmLinks[0].url, randomPassword());
  await decide(session, confirmed.location, 'accept');
  const me = await asUser.accountGet();
  assert.equal(me.body.account.emailAddress, email);

  // An SDK error for a taken address.
  await assert.rejects(accountApi.accountCreate({ emailAddress: email }), (e) => {
    assert.ok(e instanceof DropboxSign.HttpError);
    assert.equal(e.statusCode, 400);
    assert.equal(e.body.error.errorName, 'bad_request');
    assert.equal(e.body.error.errorPath, 'email_address');
    return true;
  });
});
