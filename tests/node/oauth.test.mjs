// OAuth 2.0 app authorization over real HTTP: the consent page and its error pages, the token
// endpoint in every body encoding, code replay, refresh rotation and reuse detection, scope
// enforcement, API-key auth and revocation. Black box: only HTTP and the operator CLI.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, runCli, uniqueEmail, randomPassword } from './lib/server.mjs';
import { call, assertError, expectJson, describe as describeRes } from './lib/http.mjs';
import { commitFromOutside } from './lib/db_query.mjs';
import {
  WebSession, loggedIn, createApp, consent, getCode, openConsent, exchangeCode, refresh,
  obtainTokens, authorizeQuery, findForm, parseForms, confirmEmail, confirmationLinkFromOutbox,
  submitSignUp, decodeHtml,
} from './lib/web.mjs';

let server;
let base;
let owner; // owns the apps
let user; // authorizes them
let userSession;
let app; // approved, scopes account_access + api_app_access
let otherApp; // approved, scopes basic_account_info

const TOKEN_FIELDS = ['access_token', 'expires_in', 'refresh_token', 'state', 'token_type'];

function assertTokenResponse(res, state) {
  const body = expectJson(res, 200);
  assert.deepEqual(Object.keys(body).sort(), TOKEN_FIELDS, `token response keys: ${res.text}`);
  assert.equal(body.token_type, 'Bearer');
  assert.equal(body.expires_in, 3600);
  assert.equal(typeof body.access_token, 'string');
  assert.equal(typeof body.refresh_token, 'string');
  assert.ok(body.access_token.length >= 20, 'access token long enough to be unguessable');
  assert.ok(body.refresh_token.length >= 20, 'refresh token long enough to be unguessable');
  assert.notEqual(body.access_token, body.refresh_token);
  assert.equal(body.state, state);
  return body;
}

// A refresh response: like the code exchange, but `state` may be absent or null.
function assertRefreshResponse(res) {
  const body = expectJson(res, 200);
  const keys = Object.keys(body).filter((k) => !(k === 'state' && (body.state === null || body.state === ''))).sort();
  assert.deepEqual(keys.filter((k) => k !== 'state'), ['access_token', 'expires_in', 'refresh_token', 'token_type'],
    `refresh response keys: ${res.text}`);
  assert.equal(body.token_type, 'Bearer');
  assert.equal(body.expires_in, 3600);
  assert.equal(typeof body.access_token, 'string');
  assert.equal(typeof body.refresh_token, 'string');
  return body;
}

async function accountWithToken(token) {
  return call(base, 'GET', '/v3/account', { token });
}

async function assertTokenWorks(token, email) {
  const res = await accountWithToken(token);
  const body = expectJson(res, 200);
  assert.equal(body.account.email_address, email);
}

async function assertTokenRejected(token) {
  assertError(await accountWithToken(token), 401, 'unauthorized');
}

function assertHtmlErrorPage(res, statuses) {
  assert.ok(statuses.includes(res.status), `expected HTTP ${statuses.join('/')}, got ${res.status} ${res.text.slice(0, 300)}`);
  assert.equal(res.location, null, `error page must not redirect (Location: ${res.location})`);
  assert.match(res.headers.get('content-type') || '', /text\/html/);
  assert.ok(res.text.length > 0, 'error page has a body');
  assert.equal(res.headers.get('x-frame-options'), 'DENY');
}

before(async () => {
  server = await startServer();
  base = server.url;
  owner = await server.createAccount();
  user = await server.createAccount();
  app = await createApp(base, owner.api_key, {
    name: 'Approved OAuth App', scopes: ['account_access', 'api_app_access'],
    callbackUrl: 'https://client.example.com/oauth/callback', domains: ['example.com'],
  });
  otherApp = await createApp(base, owner.api_key, {
    name: 'Basic Info App', scopes: ['basic_account_info'],
    callbackUrl: 'https://other.example.com/cb', domains: ['example.com'],
  });
  await server.approveApp(app.clientId);
  await server.approveApp(otherApp.clientId);
  userSession = await loggedIn(base, user);
});

after(async () => {
  if (server) await server.stop();
});

describe('operator CLI', () => {
  test('account create prints the account as JSON and refuses a taken email', async () => {
    const email = uniqueEmail('cli');
    const r = await runCli(['account', 'create', '--data-dir', server.dataDir, '--email', email,
      '--password', randomPassword(), '--fast-password-hashing']);
    assert.equal(r.code, 0, r.stderr);
    const printed = JSON.parse(r.stdout.trim());
    assert.equal(printed.email_address, email);
    assert.equal(typeof printed.account_id, 'string');
    assert.equal(typeof printed.api_key, 'string');
    // The printed key is a working API key for that account.
    const me = expectJson(await call(base, 'GET', '/v3/account', { apiKey: printed.api_key }), 200);
    assert.equal(me.account.account_id, printed.account_id);

    const again = await runCli(['account', 'create', '--data-dir', server.dataDir, '--email', email,
      '--password', randomPassword(), '--fast-password-hashing']);
    assert.equal(again.code, 1);
    assert.ok(again.stderr.trim().length > 0, 'message on stderr');

    const bad = await runCli(['account', 'create', '--data-dir', server.dataDir, '--email', 'not-an-email',
      '--password', randomPassword(), '--fast-password-hashing']);
    assert.equal(bad.code, 1);
  });

  test('account create accepts admin@countersign.local (the first account scripts/run.sh creates) and it can log in', async () => {
    const password = randomPassword();
    const r = await runCli(['account', 'create', '--data-dir', server.dataDir, '--email', 'admin@countersign.local',
      '--password', password, '--fast-password-hashing']);
    assert.equal(r.code, 0, `exit ${r.code}: ${r.stderr}`);
    assert.equal(JSON.parse(r.stdout.trim()).email_address, 'admin@countersign.local');
    await loggedIn(base, { email_address: 'admin@countersign.local', password });
  });

  test('app approve prints "approved CLIENT_ID" and fails for an unknown app', async () => {
    const a = await createApp(base, owner.api_key, { name: 'CLI approve' });
    const r = await runCli(['app', 'approve', '--data-dir', server.dataDir, a.clientId]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), `approved ${a.clientId}`);
    const got = expectJson(await call(base, 'GET', `/v3/api_app/${a.clientId}`, { apiKey: owner.api_key }), 200);
    assert.equal(got.api_app.is_approved, true);

    const un = await runCli(['app', 'unapprove', '--data-dir', server.dataDir, a.clientId]);
    assert.equal(un.code, 0, un.stderr);
    const got2 = expectJson(await call(base, 'GET', `/v3/api_app/${a.clientId}`, { apiKey: owner.api_key }), 200);
    assert.equal(got2.api_app.is_approved, false);

    const missing = await runCli(['app', 'approve', '--data-dir', server.dataDir, 'f'.repeat(32)]);
    assert.equal(missing.code, 1);
  });
});

describe('GET /oauth/authorize error pages (never a redirect)', () => {
  test('unknown client_id', async () => {
    const res = await userSession.get(`/oauth/authorize?${authorizeQuery({ clientId: '0123456789abcdef0123456789abcdef', state: 's1' })}`);
    assertHtmlErrorPage(res, [400, 404]);
  });

  test('missing client_id', async () => {
    const res = await userSession.get(`/oauth/authorize?${authorizeQuery({ clientId: null, state: 's1' })}`);
    assertHtmlErrorPage(res, [400, 404]);
  });

  test('redirect_uri that is not the registered callback', async () => {
    for (const redirectUri of ['https://evil.example.net/oauth/callback',
      'https://client.example.com/oauth/callback/extra',
      'https://client.example.com/oauth/callback?x=1',
      'http://client.example.com/oauth/callback']) {
      const res = await userSession.get(`/oauth/authorize?${authorizeQuery({ clientId: app.clientId, state: 's2', redirectUri })}`);
      assertHtmlErrorPage(res, [400]);
      assert.ok(!res.text.includes('name="decision"'), `no consent buttons for ${redirectUri}`);
    }
  });

  test('app without OAuth settings', async () => {
    const res0 = await call(base, 'POST', '/v3/api_app', { apiKey: owner.api_key, json: { name: 'No OAuth', domains: ['example.com'] } });
    const clientId = expectJson(res0, 201).api_app.client_id;
    await server.approveApp(clientId);
    const res = await userSession.get(`/oauth/authorize?${authorizeQuery({ clientId, state: 's' })}`);
    assertHtmlErrorPage(res, [400, 404]);
  });

  test('redirect_uri equal to the registered callback is accepted', async () => {
    const { page } = await openConsent(userSession, { clientId: app.clientId, state: 's3', redirectUri: app.callbackUrl });
    assert.ok(page.text.includes(app.name));
  });

  test('bad or missing response_type', async () => {
    for (const responseType of ['token', 'code token', '', null]) {
      const res = await userSession.get(`/oauth/authorize?${authorizeQuery({ clientId: app.clientId, state: 's4', responseType })}`);
      assertHtmlErrorPage(res, [400, 404]);
    }
  });

  test('unapproved app: 403 page for another user, consent works for its owner', async () => {
    const draft = await createApp(base, owner.api_key, { name: 'Draft App', scopes: ['account_access'] });
    const res = await userSession.get(`/oauth/authorize?${authorizeQuery({ clientId: draft.clientId, state: 'd1' })}`);
    assertHtmlErrorPage(res, [403]);

    const ownerSession = await loggedIn(base, owner);
    const { code, state } = await getCode(ownerSession, { clientId: draft.clientId, state: 'owner-state' });
    const tokens = await exchangeCode(base, draft, { code, state });
    await assertTokenWorks(tokens.access_token, owner.email_address);
  });

  test('deleted app can no longer be authorized', async () => {
    const doomed = await createApp(base, owner.api_key, { name: 'Doomed' });
    await server.approveApp(doomed.clientId);
    await openConsent(userSession, { clientId: doomed.clientId, state: 'x' });
    const del = await call(base, 'DELETE', `/v3/api_app/${doomed.clientId}`, { apiKey: owner.api_key });
    assert.equal(del.status, 204);
    const res = await userSession.get(`/oauth/authorize?${authorizeQuery({ clientId: doomed.clientId, state: 'x' })}`);
    assertHtmlErrorPage(res, [400, 404]);
  });
});

describe('consent page', () => {
  test('not logged in: 303 to /login?next=<the authorize URL>, and login returns there', async () => {
    const anon = new WebSession(base);
    const query = authorizeQuery({ clientId: app.clientId, state: 'anon-state' });
    const res = await anon.get(`/oauth/authorize?${query}`);
    assert.equal(res.status, 303);
    const loc = anon.resolve(res.location);
    assert.equal(loc.pathname, '/login');
    const next = loc.searchParams.get('next');
    assert.ok(next, `next parameter in ${res.location}`);
    const nextUrl = new URL(next, base + '/');
    assert.equal(nextUrl.pathname, '/oauth/authorize');
    assert.equal(nextUrl.searchParams.get('client_id'), app.clientId);
    assert.equal(nextUrl.searchParams.get('state'), 'anon-state');
    assert.equal(nextUrl.searchParams.get('response_type'), 'code');

    // Log in through the page the server sent us to: the login form carries `next`.
    const loginPage = await anon.get(loc.pathname + loc.search);
    assert.equal(loginPage.status, 200);
    const form = findForm(loginPage.text, 'password');
    assert.equal(new URL(form.fields.next, base + '/').href, nextUrl.href, 'hidden next field');
    const done = await anon.post('/login', { ...form.fields, email: user.email_address, password: user.password });
    assert.equal(done.status, 303, `POST /login ${done.status}`);
    assert.equal(anon.resolve(done.location).href, nextUrl.href);
    const consentPage = await anon.get(nextUrl.pathname + nextUrl.search);
    assert.equal(consentPage.status, 200);
    assert.ok(consentPage.text.includes(app.name), 'consent page names the app');
  });

  test('login next= is limited to local paths', async () => {
    const anon = new WebSession(base);
    const page = await anon.get(`/login?next=${encodeURIComponent('https://evil.example.net/phish')}`);
    assert.equal(page.status, 200);
    const form = findForm(page.text, 'password');
    const done = await anon.post('/login', { ...form.fields, next: 'https://evil.example.net/phish', email: user.email_address, password: user.password });
    assert.equal(done.status, 303);
    assert.equal(anon.resolve(done.location).origin, new URL(base).origin, `redirected off-site to ${done.location}`);
  });

  test('login and logout refuse a missing or wrong csrf_token with 403', async () => {
    const anon = new WebSession(base);
    const page = await anon.get('/login');
    const form = findForm(page.text, 'password');
    for (const fields of [{ ...form.fields, csrf_token: 'forged' }, { email: user.email_address }]) {
      const res = await anon.post('/login', { ...fields, email: user.email_address, password: user.password });
      assert.equal(res.status, 403, `login csrf: ${res.status} ${res.location}`);
      assert.equal(res.location, null);
    }
    const session = await loggedIn(base, user);
    const res = await session.post('/logout', { csrf_token: 'forged' });
    assert.equal(res.status, 403);
    assert.equal((await session.get('/home')).status, 200, 'still logged in');
    const token = await session.csrfFrom('/home');
    const out = await session.post('/logout', { csrf_token: token });
    assert.equal(out.status, 303);
    assert.equal(session.resolve(out.location).pathname, '/login');
    const home = await session.get('/home');
    assert.notEqual(home.status, 200, 'logged out');
  });

  test('shows the app name and each scope as a sentence, with Accept and Deny', async () => {
    const { page, form } = await openConsent(userSession, { clientId: app.clientId, state: 'show' });
    assert.match(page.text, /id=["']app-name["']/);
    assert.ok(page.text.includes(app.name));
    const scopes = [...page.text.matchAll(/<li\b[^>]*class=["'][^"']*\bscope\b[^"']*["'][^>]*>([\s\S]*?)<\/li>/gi)]
      .map((m) => m[1].replace(/<[^>]*>/g, '').trim());
    assert.equal(scopes.length, 2, `two li.scope items: ${JSON.stringify(scopes)}`);
    for (const s of scopes) {
      assert.ok(!/^[a-z_]+$/.test(s), `scope shown in words, not as an identifier: ${s}`);
      assert.ok(s.includes(' '), `a sentence: ${s}`);
    }
    const values = form.buttons.filter((b) => b.name === 'decision').map((b) => b.value).sort();
    assert.deepEqual(values, ['accept', 'deny']);
    for (const k of ['client_id', 'redirect_uri', 'state', 'response_type', 'csrf_token']) {
      assert.ok(k in form.fields, `hidden ${k}`);
    }
    assert.equal(form.fields.client_id, app.clientId);
    assert.equal(form.fields.state, 'show');
    assert.equal(page.headers.get('x-frame-options'), 'DENY');
    assert.match(page.headers.get('content-security-policy') || '', /frame-ancestors 'none'/);
    assert.equal(page.headers.get('cache-control'), 'no-store');
  });

  test('accept: 303 to the registered callback with code and state', async () => {
    const loc = await consent(userSession, { clientId: app.clientId, state: 'accept-me', decision: 'accept' });
    assert.equal(loc.origin + loc.pathname, app.callbackUrl);
    assert.ok(loc.searchParams.get('code'));
    assert.equal(loc.searchParams.get('state'), 'accept-me');
    assert.equal(loc.searchParams.get('error'), null);
  });

  test('state with special characters is echoed exactly', async () => {
    const state = 'a b&c=d/é+%';
    const loc = await consent(userSession, { clientId: app.clientId, state, decision: 'accept' });
    assert.equal(loc.searchParams.get('state'), state);
    const tokens = await exchangeCode(base, app, { code: loc.searchParams.get('code'), state });
    assert.equal(tokens.state, state);
  });

  test('deny: 303 to the callback with error=access_denied and state, no code', async () => {
    const loc = await consent(userSession, { clientId: app.clientId, state: 'deny-me', decision: 'deny' });
    assert.equal(loc.origin + loc.pathname, app.callbackUrl);
    assert.equal(loc.searchParams.get('error'), 'access_denied');
    assert.equal(loc.searchParams.get('state'), 'deny-me');
    assert.equal(loc.searchParams.get('code'), null);
  });

  test('POST with a wrong csrf_token is refused with 403 and no redirect', async () => {
    const { form } = await openConsent(userSession, { clientId: app.clientId, state: 'csrf' });
    const res = await userSession.post('/oauth/authorize', { ...form.fields, csrf_token: 'forged', decision: 'accept' });
    assert.equal(res.status, 403);
    assert.equal(res.location, null);
    const res2 = await userSession.post('/oauth/authorize', {
      client_id: form.fields.client_id, redirect_uri: form.fields.redirect_uri, state: 'csrf',
      response_type: 'code', decision: 'accept',
    });
    assert.equal(res2.status, 403);
    assert.equal(res2.location, null);
  });

  test('POST re-validates: a tampered redirect_uri or client_id never redirects', async () => {
    const { form } = await openConsent(userSession, { clientId: app.clientId, state: 'tamper' });
    const res = await userSession.post('/oauth/authorize', { ...form.fields, redirect_uri: 'https://evil.example.net/cb', decision: 'accept' });
    assert.ok([400, 404].includes(res.status), `tampered redirect_uri: HTTP ${res.status} ${res.location}`);
    assert.equal(res.location, null);
    const res2 = await userSession.post('/oauth/authorize', { ...form.fields, client_id: 'nope', decision: 'accept' });
    assert.ok([400, 404].includes(res2.status), `tampered client_id: HTTP ${res2.status} ${res2.location}`);
    assert.equal(res2.location, null);
  });

  test('POST /oauth/authorize without a session does not issue a code', async () => {
    const { form } = await openConsent(userSession, { clientId: app.clientId, state: 'nosess' });
    const anon = new WebSession(base);
    const res = await anon.post('/oauth/authorize', { ...form.fields, decision: 'accept' });
    if (res.location) assert.ok(!new URL(res.location, base + '/').searchParams.get('code'), `code issued without login: ${res.location}`);
    assert.notEqual(res.status, 200);
  });
});

describe('POST /oauth/token (authorization code)', () => {
  test('JSON body with grant_type', async () => {
    const { code, state } = await getCode(userSession, { clientId: app.clientId, state: 'json-1' });
    const res = await call(base, 'POST', '/oauth/token', {
      json: { grant_type: 'authorization_code', client_id: app.clientId, client_secret: app.secret, code, state },
    });
    const t = assertTokenResponse(res, state);
    await assertTokenWorks(t.access_token, user.email_address);
  });

  test('JSON body without grant_type (what the Node SDK sends for plain objects)', async () => {
    const { code, state } = await getCode(userSession, { clientId: app.clientId, state: 'json-2' });
    const res = await call(base, 'POST', '/oauth/token', {
      json: { client_id: app.clientId, client_secret: app.secret, code, state },
    });
    const t = assertTokenResponse(res, state);
    await assertTokenWorks(t.access_token, user.email_address);
  });

  test('form-urlencoded body', async () => {
    const { code, state } = await getCode(userSession, { clientId: app.clientId, state: 'form-1' });
    const res = await call(base, 'POST', '/oauth/token', {
      form: { grant_type: 'authorization_code', client_id: app.clientId, client_secret: app.secret, code, state },
    });
    const t = assertTokenResponse(res, state);
    await assertTokenWorks(t.access_token, user.email_address);
  });

  test('multipart/form-data body', async () => {
    const { code, state } = await getCode(userSession, { clientId: app.clientId, state: 'mp-1' });
    const res = await call(base, 'POST', '/oauth/token', {
      multipart: { grant_type: 'authorization_code', client_id: app.clientId, client_secret: app.secret, code, state },
    });
    const t = assertTokenResponse(res, state);
    await assertTokenWorks(t.access_token, user.email_address);
  });

  test('also served at /v3/oauth/token', async () => {
    const { code, state } = await getCode(userSession, { clientId: app.clientId, state: 'v3-1' });
    const res = await call(base, 'POST', '/v3/oauth/token', {
      json: { grant_type: 'authorization_code', client_id: app.clientId, client_secret: app.secret, code, state },
    });
    const t = assertTokenResponse(res, state);
    await assertTokenWorks(t.access_token, user.email_address);
  });

  test('code replay: 400, and the tokens of the first exchange stop working', async () => {
    const { code, state } = await getCode(userSession, { clientId: app.clientId, state: 'replay' });
    const body = { grant_type: 'authorization_code', client_id: app.clientId, client_secret: app.secret, code, state };
    const first = assertTokenResponse(await call(base, 'POST', '/oauth/token', { json: body }), state);
    await assertTokenWorks(first.access_token, user.email_address);

    const second = await call(base, 'POST', '/oauth/token', { json: body });
    assertError(second, 400);
    await assertTokenRejected(first.access_token);
    const r = await refresh(base, app, first.refresh_token);
    assert.ok(r.status === 400 || r.status === 401, `refresh after replay: ${describeRes(r)}`);
    assertError(r, r.status);
  });

  test('the same code sent 8 times at once: exactly one exchange succeeds', async () => {
    const { code, state } = await getCode(userSession, { clientId: app.clientId, state: 'race' });
    const body = { client_id: app.clientId, client_secret: app.secret, code, state };
    const results = await Promise.all(Array.from({ length: 8 }, () => call(base, 'POST', '/oauth/token', { json: body })));
    const ok = results.filter((r) => r.status === 200);
    assert.equal(ok.length, 1, results.map((r) => r.status).join(','));
    for (const r of results.filter((x) => x.status !== 200)) assertError(r, 400);
    // The replays revoked what the one success issued.
    await assertTokenRejected(ok[0].json.access_token);
  });

  test('wrong client_secret: 401', async () => {
    const { code, state } = await getCode(userSession, { clientId: app.clientId, state: 'bad-secret' });
    const res = await call(base, 'POST', '/oauth/token', {
      json: { grant_type: 'authorization_code', client_id: app.clientId, client_secret: app.secret + 'x', code, state },
    });
    assertError(res, 401);
    assert.ok(!('access_token' in (res.json || {})));
    const noSecret = await call(base, 'POST', '/oauth/token', {
      json: { grant_type: 'authorization_code', client_id: app.clientId, code, state },
    });
    assert.ok([400, 401].includes(noSecret.status), describeRes(noSecret));
    assertError(noSecret, noSecret.status);
  });

  test('unknown client_id: 401', async () => {
    const { code, state } = await getCode(userSession, { clientId: app.clientId, state: 'bad-client' });
    const res = await call(base, 'POST', '/oauth/token', {
      json: { grant_type: 'authorization_code', client_id: 'deadbeef'.repeat(4), client_secret: app.secret, code, state },
    });
    assertError(res, 401);
  });

  test('wrong state: 400', async () => {
    const { code } = await getCode(userSession, { clientId: app.clientId, state: 'right-state' });
    const res = await call(base, 'POST', '/oauth/token', {
      json: { grant_type: 'authorization_code', client_id: app.clientId, client_secret: app.secret, code, state: 'wrong-state' },
    });
    assertError(res, 400);
  });

  test('code issued to another client: 400', async () => {
    const { code, state } = await getCode(userSession, { clientId: app.clientId, state: 'cross' });
    const res = await call(base, 'POST', '/oauth/token', {
      json: { grant_type: 'authorization_code', client_id: otherApp.clientId, client_secret: otherApp.secret, code, state },
    });
    assertError(res, 400);
  });

  test('unknown code, missing code, unsupported grant_type: 400', async () => {
    const unknown = await call(base, 'POST', '/oauth/token', {
      json: { grant_type: 'authorization_code', client_id: app.clientId, client_secret: app.secret, code: 'no-such-code', state: 'x' },
    });
    assertError(unknown, 400);
    const missing = await call(base, 'POST', '/oauth/token', {
      json: { grant_type: 'authorization_code', client_id: app.clientId, client_secret: app.secret, state: 'x' },
    });
    assertError(missing, 400);
    const grant = await call(base, 'POST', '/oauth/token', {
      json: { grant_type: 'password', client_id: app.clientId, client_secret: app.secret, username: 'a', password: 'b' },
    });
    assertError(grant, 400);
  });

  test('without state: the callback has no state and the exchange answers state null', async () => {
    const loc = await consent(userSession, { clientId: app.clientId, decision: 'accept' });
    assert.equal(loc.searchParams.has('state'), false, `no state in ${loc}`);
    const code = loc.searchParams.get('code');
    assert.ok(code);
    const res = await call(base, 'POST', '/oauth/token', { json: { client_id: app.clientId, client_secret: app.secret, code } });
    const body = expectJson(res, 200);
    assert.deepEqual(Object.keys(body).sort(), TOKEN_FIELDS);
    assert.ok(body.state === null || body.state === '', `state ${body.state}`);
    await assertTokenWorks(body.access_token, user.email_address);
  });

  test('redirect_uri given at the token endpoint must match the authorization: 400', async () => {
    const { code, state } = await getCode(userSession, { clientId: app.clientId, state: 'ru', redirectUri: app.callbackUrl });
    const res = await call(base, 'POST', '/oauth/token', {
      json: { client_id: app.clientId, client_secret: app.secret, code, state, redirect_uri: 'https://evil.example.net/cb' },
    });
    assertError(res, 400);
  });

  test('malformed bodies: 400, never a crash', async () => {
    const bad = await call(base, 'POST', '/oauth/token', { body: '{"code":', headers: { 'content-type': 'application/json' } });
    assertError(bad, 400);
    const empty = await call(base, 'POST', '/oauth/token', { body: '', headers: { 'content-type': 'application/json' } });
    assertError(empty, 400);
    const array = await call(base, 'POST', '/oauth/token', { json: [1, 2] });
    assertError(array, 400);
    // Server still healthy.
    await assertTokenWorks((await obtainTokens(base, userSession, app)).access_token, user.email_address);
  });
});

describe('POST /oauth/token?refresh', () => {
  test('rotates at /oauth/token?refresh; the old refresh token then fails and its reuse revokes the grant', async () => {
    const t0 = await obtainTokens(base, userSession, app);
    const r1 = assertRefreshResponse(await refresh(base, app, t0.refresh_token));
    assert.notEqual(r1.access_token, t0.access_token);
    assert.notEqual(r1.refresh_token, t0.refresh_token);
    await assertTokenWorks(r1.access_token, user.email_address);

    const r2 = assertRefreshResponse(await refresh(base, app, r1.refresh_token));
    await assertTokenWorks(r2.access_token, user.email_address);

    // Reusing a spent refresh token fails ...
    const reuse = await refresh(base, app, t0.refresh_token);
    assertError(reuse, 400);
    // ... and revokes the grant: the newest tokens die too.
    await assertTokenRejected(r2.access_token);
    assertError(await refresh(base, app, r2.refresh_token), 400);
  });

  test('rotates at /v3/oauth/token?refresh (form-urlencoded, no grant_type)', async () => {
    const t0 = await obtainTokens(base, userSession, app);
    const res = await call(base, 'POST', '/v3/oauth/token?refresh', {
      form: { refresh_token: t0.refresh_token, client_id: app.clientId, client_secret: app.secret },
    });
    const r1 = assertRefreshResponse(res);
    await assertTokenWorks(r1.access_token, user.email_address);
    const old = await call(base, 'POST', '/v3/oauth/token?refresh', {
      form: { refresh_token: t0.refresh_token, client_id: app.clientId, client_secret: app.secret },
    });
    assertError(old, 400);
    await assertTokenRejected(r1.access_token);
  });

  test('the same refresh token sent 8 times at once: at most one succeeds', async () => {
    const t0 = await obtainTokens(base, userSession, app);
    const results = await Promise.all(Array.from({ length: 8 }, () => refresh(base, app, t0.refresh_token)));
    const ok = results.filter((r) => r.status === 200);
    assert.ok(ok.length <= 1, results.map((r) => r.status).join(','));
    for (const r of results.filter((x) => x.status !== 200)) assertError(r, 400);
  });

  test('plain {refresh_token} body, as the Node SDK sends it (app with refresh_requires_client_credentials off)', async () => {
    // New apps need client credentials to refresh (docs/oauth-security.md); an app written
    // against the walkthrough's refresh example has its owner switch that off.
    const legacy = await createApp(base, owner.api_key, { scopes: ['account_access'], callbackUrl: 'https://legacy.example.com/cb' });
    await server.approveApp(legacy.clientId);
    expectJson(await call(base, 'PUT', `/v3/api_app/${legacy.clientId}`, {
      apiKey: owner.api_key, json: { oauth: { refresh_requires_client_credentials: false } },
    }), 200);
    const t0 = await obtainTokens(base, userSession, legacy);
    const res = await call(base, 'POST', '/oauth/token?refresh', { json: { refresh_token: t0.refresh_token } });
    const r1 = assertRefreshResponse(res);
    await assertTokenWorks(r1.access_token, user.email_address);
  });

  test('grant_type=refresh_token without ?refresh', async () => {
    const t0 = await obtainTokens(base, userSession, app);
    const res = await call(base, 'POST', '/oauth/token', {
      json: { grant_type: 'refresh_token', refresh_token: t0.refresh_token, client_id: app.clientId, client_secret: app.secret },
    });
    assertRefreshResponse(res);
  });

  test('refresh with another app\'s credentials or a wrong secret is refused', async () => {
    const t0 = await obtainTokens(base, userSession, app);
    const cross = await call(base, 'POST', '/oauth/token?refresh', {
      json: { grant_type: 'refresh_token', refresh_token: t0.refresh_token, client_id: otherApp.clientId, client_secret: otherApp.secret },
    });
    assert.ok([400, 401].includes(cross.status), describeRes(cross));
    assertError(cross, cross.status);
    const wrong = await call(base, 'POST', '/oauth/token?refresh', {
      json: { grant_type: 'refresh_token', refresh_token: t0.refresh_token, client_id: app.clientId, client_secret: 'nope' },
    });
    assertError(wrong, 401);
  });

  test('unknown or missing refresh token: 400', async () => {
    assertError(await refresh(base, app, 'garbage-refresh-token'), 400);
    const missing = await call(base, 'POST', '/oauth/token?refresh', { json: { grant_type: 'refresh_token' } });
    assertError(missing, 400);
  });

  test('after the app changes its scopes, refresh is refused', async () => {
    const scoped = await createApp(base, owner.api_key, { name: 'Scope Changer', scopes: ['account_access'] });
    await server.approveApp(scoped.clientId);
    const t0 = await obtainTokens(base, userSession, scoped);
    const ok = assertRefreshResponse(await refresh(base, scoped, t0.refresh_token));

    const upd = await call(base, 'PUT', `/v3/api_app/${scoped.clientId}`, {
      apiKey: owner.api_key,
      json: { oauth: { callback_url: scoped.callbackUrl, scopes: ['account_access', 'api_app_access'] } },
    });
    const updated = expectJson(upd, 200);
    assert.deepEqual([...updated.api_app.oauth.scopes].sort(), ['account_access', 'api_app_access']);

    const res = await refresh(base, scoped, ok.refresh_token);
    assertError(res, 400);
  });
});

describe('calling the API with tokens and keys', () => {
  test('a token without the needed scope gets 403 forbidden', async () => {
    const t = await obtainTokens(base, userSession, otherApp); // basic_account_info only
    await assertTokenWorks(t.access_token, user.email_address); // GET /account allows basic_account_info
    const verify = await call(base, 'POST', '/v3/account/verify', { token: t.access_token, json: { email_address: owner.email_address } });
    assertError(verify, 403, 'forbidden');
    const apps = await call(base, 'GET', '/v3/api_app/list', { token: t.access_token });
    assertError(apps, 403, 'forbidden');
    const put = await call(base, 'PUT', '/v3/account', { token: t.access_token, json: { locale: 'en-US' } });
    assertError(put, 403, 'forbidden');
  });

  test('a token with the scope is allowed (account_access, api_app_access)', async () => {
    const t = await obtainTokens(base, userSession, app);
    const verify = await call(base, 'POST', '/v3/account/verify', { token: t.access_token, json: { email_address: owner.email_address } });
    assert.equal(expectJson(verify, 200).account.email_address, owner.email_address);
    const list = await call(base, 'GET', '/v3/api_app/list', { token: t.access_token });
    const body = expectJson(list, 200);
    // The token speaks for the user, not for the app owner: the owner's apps are not listed.
    assert.ok(Array.isArray(body.api_apps));
    assert.ok(!body.api_apps.some((a) => a.client_id === app.clientId), 'owner\'s app listed for the user');
    assert.ok(body.api_apps.every((a) => a.owner_account.account_id === user.account_id));
  });

  test('unknown or garbage tokens: 401 unauthorized', async () => {
    for (const authorization of ['Bearer garbage', 'Bearer ', 'Bearer ' + 'a'.repeat(64), 'Bearer !!!',
      'Basic !!!notbase64', 'Basic ' + Buffer.from('wrong-key:').toString('base64'), 'Digest abc', 'garbage']) {
      const res = await call(base, 'GET', '/v3/account', { headers: { authorization } });
      assertError(res, 401, 'unauthorized');
    }
    assertError(await call(base, 'GET', '/v3/account'), 401, 'unauthorized');
  });

  test('the API key as HTTP basic username works; a refresh token is not an access token', async () => {
    const res = await call(base, 'GET', '/v3/account', { apiKey: user.api_key });
    assert.equal(expectJson(res, 200).account.email_address, user.email_address);
    const t = await obtainTokens(base, userSession, app);
    await assertTokenRejected(t.refresh_token);
    // An access token is not an API key.
    assertError(await call(base, 'GET', '/v3/account', { apiKey: t.access_token }), 401, 'unauthorized');
  });

  test('revoking the app at /account/apps makes its tokens 401 and its refresh tokens useless', async () => {
    const revokee = await createApp(base, owner.api_key, { name: 'Revoke Me App', scopes: ['account_access'] });
    await server.approveApp(revokee.clientId);
    const t1 = await obtainTokens(base, userSession, revokee);
    const t2 = await obtainTokens(base, userSession, revokee);
    await assertTokenWorks(t1.access_token, user.email_address);

    const page = await userSession.get('/account/apps');
    assert.equal(page.status, 200);
    assert.ok(page.text.includes('Revoke Me App'), 'authorized apps page lists the app');
    const form = parseForms(page.text).find((f) => f.action.includes(`/account/apps/${revokee.clientId}/revoke`));
    assert.ok(form, 'a revoke form for the app');
    const res = await userSession.post(`/account/apps/${revokee.clientId}/revoke`, form.fields);
    assert.equal(res.status, 303);
    assert.equal(userSession.resolve(res.location).pathname, '/account/apps');

    await assertTokenRejected(t1.access_token);
    await assertTokenRejected(t2.access_token);
    assertError(await refresh(base, revokee, t1.refresh_token), 400);
    const after = await userSession.get('/account/apps');
    assert.ok(!after.text.includes('Revoke Me App'), 'app gone from the list');
    // Other apps' grants are untouched.
    const other = await obtainTokens(base, userSession, app);
    await assertTokenWorks(other.access_token, user.email_address);
    // The user can authorize the revoked app again; the old tokens stay dead.
    const again = await obtainTokens(base, userSession, revokee);
    await assertTokenWorks(again.access_token, user.email_address);
    await assertTokenRejected(t1.access_token);
  });

  test('revoke without the csrf_token is refused', async () => {
    const a = await createApp(base, owner.api_key, { name: 'CSRF Revoke', scopes: ['account_access'] });
    await server.approveApp(a.clientId);
    const t = await obtainTokens(base, userSession, a);
    const res = await userSession.post(`/account/apps/${a.clientId}/revoke`, { csrf_token: 'forged' });
    assert.equal(res.status, 403);
    await assertTokenWorks(t.access_token, user.email_address);
  });

  // On SQLite what authenticated a token or an API key, once read, is served again while nothing
  // commits (ExactReadCache): a commit by another process counts too.
  test('a change another process commits shows at the very next request (the account locked and unlocked in the database shell)', async () => {
    const someone = await server.createAccount();
    const t = await obtainTokens(base, await loggedIn(base, someone), app);
    const byKey = () => call(base, 'GET', '/v3/account', { apiKey: someone.api_key });
    for (let i = 0; i < 2; i++) {
      await assertTokenWorks(t.access_token, someone.email_address);
      expectJson(await byKey(), 200);
    }
    const lock = (v) => `UPDATE accounts SET is_locked = ${v} WHERE id = '${someone.account_id}'`;
    await commitFromOutside(server.dataDir, lock(1));
    for (const res of [await accountWithToken(t.access_token), await byKey()]) {
      assertError(res, 401, 'unauthorized');
      assert.match(res.text, /locked/);
    }
    await commitFromOutside(server.dataDir, lock(0));
    await assertTokenWorks(t.access_token, someone.email_address);
    expectJson(await byKey(), 200);
  });

  test('deleting an app revokes its tokens', async () => {
    const a = await createApp(base, owner.api_key, { name: 'Delete Revokes', scopes: ['account_access'] });
    await server.approveApp(a.clientId);
    const t = await obtainTokens(base, userSession, a);
    await assertTokenWorks(t.access_token, user.email_address);
    assert.equal((await call(base, 'DELETE', `/v3/api_app/${a.clientId}`, { apiKey: owner.api_key })).status, 204);
    await assertTokenRejected(t.access_token);
  });
});

describe('pages around apps and sessions (no browser)', () => {
  test('/ and /home send a visitor to log in, and a logged-in user home', async () => {
    const anon = new WebSession(base);
    const root = await anon.get('/');
    assert.equal(root.status, 303);
    assert.equal(anon.resolve(root.location).pathname, '/login');
    const home = await anon.get('/home');
    assert.equal(home.status, 303);
    assert.equal(anon.resolve(home.location).pathname, '/login');
    const r2 = await userSession.get('/');
    assert.equal(r2.status, 303);
    assert.equal(userSession.resolve(r2.location).pathname, '/home');
    const h2 = await userSession.get('/home');
    assert.equal(h2.status, 200);
    assert.ok(h2.text.includes(user.email_address));
    assert.ok(h2.text.includes(user.account_id), 'home shows the account id');
  });

  // The log-in link on the "check your email" page that sign-up answers with.
  function loginLinkOf(page) {
    const m = /href="(\/login\?next=[^"]*)"/.exec(page.text);
    assert.ok(m, `no log-in link on the page: ${page.text.slice(0, 600)}`);
    return decodeHtml(m[1]);
  }

  test('sign-up with next: the emailed link confirms, and the page links to log-in with that next (local paths only)', async () => {
    const query = authorizeQuery({ clientId: app.clientId, state: 'signup-next' });
    const next = `/oauth/authorize?${query}`;
    const s1 = new WebSession(base);
    const page = await s1.get(`/signup?next=${encodeURIComponent(next)}`);
    assert.equal(page.status, 200);
    assert.equal(findForm(page.text, 'password').fields.next, next);
    const email = uniqueEmail('signup');
    const done = await submitSignUp(s1, { email, password: randomPassword(), next });
    assert.equal(done.status, 200, `signup: ${done.status} ${done.text.slice(0, 300)}`);
    assert.equal(done.location, null, 'no redirect: nobody is logged in yet');
    const login = await new WebSession(base).get(loginLinkOf(done));
    assert.equal(findForm(login.text, 'password').fields.next, next);
    assert.equal((await s1.get(next)).status, 303, 'not logged in before confirming');
    // The emailed link confirms the address and logs in; then the app may be authorized.
    await confirmEmail(s1, await confirmationLinkFromOutbox(server.dataDir, email));
    assert.equal((await s1.get(next)).status, 200, 'consent page for the new account');

    const s2 = new WebSession(base);
    const page2 = await s2.get('/signup');
    const form2 = findForm(page2.text, 'password');
    const done2 = await s2.post('/signup', { ...form2.fields, next: '//evil.example.net/x', email: uniqueEmail('signup'), password: randomPassword() });
    assert.equal(done2.status, 200);
    assert.equal(loginLinkOf(done2), '/login?next=%2Fhome');
  });

  test('sign-up errors: 400 with a message for an invalid email or a short password (a taken address is no error: signup.test.mjs)', async () => {
    for (const [email, password] of [['not-an-email', randomPassword()], [uniqueEmail('short'), 'short']]) {
      const s1 = new WebSession(base);
      const res = await submitSignUp(s1, { email, password });
      assert.equal(res.status, 400, `signup ${email}: ${res.status}`);
      assert.match(res.text, /class=["'][^"']*\berror\b/);
    }
  });

  test('app details page: owner only, shows the authorize URL', async () => {
    const ownerSession = await loggedIn(base, owner);
    const mine = await ownerSession.get(`/apps/${app.clientId}`);
    assert.equal(mine.status, 200);
    assert.ok(mine.text.includes(app.clientId));
    assert.ok(mine.text.includes('/oauth/authorize'), 'authorize URL shown');
    const theirs = await userSession.get(`/apps/${app.clientId}`);
    assert.equal(theirs.status, 404);
  });

  test('new secret from the app page: the old secret stops working at the token endpoint', async () => {
    const rotating = await createApp(base, owner.api_key, { name: 'Rotating Secret', scopes: ['account_access'] });
    await server.approveApp(rotating.clientId);
    const ownerSession = await loggedIn(base, owner);
    const page = await ownerSession.get(`/apps/${rotating.clientId}`);
    const form = parseForms(page.text).find((f) => f.action.endsWith(`/apps/${rotating.clientId}/secret`));
    assert.ok(form, 'a new-secret form');
    const res = await ownerSession.post(`/apps/${rotating.clientId}/secret`, form.fields);
    assert.equal(res.status, 200);
    const m = /<code[^>]*id=["']client-secret["'][^>]*>([^<]+)<\/code>/.exec(res.text);
    assert.ok(m, 'new secret shown in #client-secret');
    const newSecret = m[1].trim();
    assert.notEqual(newSecret, rotating.secret);

    const { code, state } = await getCode(userSession, { clientId: rotating.clientId, state: 'rot' });
    const old = await call(base, 'POST', '/oauth/token', { json: { client_id: rotating.clientId, client_secret: rotating.secret, code, state } });
    assertError(old, 401);
    const { code: code2, state: state2 } = await getCode(userSession, { clientId: rotating.clientId, state: 'rot2' });
    const t = await exchangeCode(base, { clientId: rotating.clientId, secret: newSecret }, { code: code2, state: state2 });
    await assertTokenWorks(t.access_token, user.email_address);
  });

  test('delete from the app page: 303 to /apps and the app is gone', async () => {
    const doomed = await createApp(base, owner.api_key, { name: 'Page Delete' });
    const ownerSession = await loggedIn(base, owner);
    const page = await ownerSession.get(`/apps/${doomed.clientId}`);
    const form = parseForms(page.text).find((f) => f.action.endsWith(`/apps/${doomed.clientId}/delete`));
    assert.ok(form, 'a delete form');
    // Another user cannot delete it, even with their own valid csrf token.
    const theirToken = await userSession.csrfFrom('/home');
    const denied = await userSession.post(`/apps/${doomed.clientId}/delete`, { csrf_token: theirToken });
    assert.ok([403, 404].includes(denied.status), `non-owner delete: ${denied.status}`);
    expectJson(await call(base, 'GET', `/v3/api_app/${doomed.clientId}`, { apiKey: owner.api_key }), 200);

    const res = await ownerSession.post(`/apps/${doomed.clientId}/delete`, form.fields);
    assert.equal(res.status, 303);
    assert.equal(ownerSession.resolve(res.location).pathname, '/apps');
    assertError(await call(base, 'GET', `/v3/api_app/${doomed.clientId}`, { apiKey: owner.api_key }), 404, 'not_found');
  });
});
