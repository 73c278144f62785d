// OAuth as strict as RFC 9700 asks, over real HTTP (docs/oauth-security.md): consent bound to
// what the page showed, grants keeping what was approved, refresh with client credentials,
// PKCE S256, app details private to their owner, `iss` in authorization responses (RFC 9207),
// revocation (RFC 7009), server metadata (RFC 8414) and client_secret_basic.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import DropboxSign from '@dropbox/sign';
import { startServer } from './lib/server.mjs';
import { call, assertError, expectJson } from './lib/http.mjs';
import {
  loggedIn, createApp, consent, getCode, openConsent, exchangeCode, refresh, obtainTokens,
  authorizeQuery, findForm, textById, parseForms,
} from './lib/web.mjs';

let server;
let base;
let owner;
let user;
let userSession;

before(async () => {
  server = await startServer();
  base = server.url;
  owner = await server.createAccount();
  user = await server.createAccount();
  userSession = await loggedIn(base, user);
});

after(async () => {
  if (server) await server.stop();
});

/** A new approved app of `owner` with scopes account_access. */
async function newApp(extra = {}) {
  const app = await createApp(base, owner.api_key, {
    scopes: ['account_access'], callbackUrl: 'https://client.example.com/cb', ...extra,
  });
  await server.approveApp(app.clientId);
  return app;
}

function updateApp(app, body) {
  return call(base, 'PUT', `/v3/api_app/${app.clientId}`, { apiKey: owner.api_key, json: body });
}

function basic(id, secret) {
  const enc = (s) => encodeURIComponent(s);
  return `Basic ${Buffer.from(`${enc(id)}:${enc(secret)}`).toString('base64')}`;
}

function pkcePair() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

async function assertNoCodeIssued(res) {
  assert.equal(res.location, null, `no redirect expected, got ${res.location}`);
}

describe('1. consent is bound to what the page showed', () => {
  test('scopes widened while the page is open: Accept shows the page again, grants nothing', async () => {
    const app = await newApp();
    const { form } = await openConsent(userSession, { clientId: app.clientId, state: 's1' });
    expectJson(await updateApp(app, { oauth: { callback_url: app.callbackUrl, scopes: ['account_access', 'api_app_access'] } }), 200);
    const res = await userSession.post('/oauth/authorize', { ...form.fields, decision: 'accept' });
    assert.equal(res.status, 200, `re-shown page: HTTP ${res.status} ${res.location}`);
    await assertNoCodeIssued(res);
    assert.ok(textById(res.text, 'consent-changed'), 'the page says the request changed');
    assert.equal((res.text.match(/class="scope"/g) || []).length, 2, 'the new scopes are listed');
    // Accepting the page that shows the new scopes grants them.
    const again = findForm(res.text, 'client_id');
    const ok = await userSession.post('/oauth/authorize', { ...again.fields, decision: 'accept' });
    assert.equal(ok.status, 303);
    const code = new URL(ok.location).searchParams.get('code');
    const tokens = await exchangeCode(base, app, { code, state: 's1' });
    expectJson(await call(base, 'GET', '/v3/api_app/list', { token: tokens.access_token }), 200);
  });

  test('callback URL changed while the page is open: shown again with the new callback', async () => {
    const app = await newApp();
    const { page, form } = await openConsent(userSession, { clientId: app.clientId, state: 's2' });
    assert.equal(textById(page.text, 'callback-url'), app.callbackUrl, 'the page shows the callback');
    const moved = 'https://moved.example.com/cb';
    expectJson(await updateApp(app, { oauth: { callback_url: moved, scopes: ['account_access'] } }), 200);
    const res = await userSession.post('/oauth/authorize', { ...form.fields, decision: 'accept' });
    assert.equal(res.status, 200);
    await assertNoCodeIssued(res);
    assert.equal(textById(res.text, 'callback-url'), moved);
  });

  test('a forged consent field never grants', async () => {
    const app = await newApp();
    const { form } = await openConsent(userSession, { clientId: app.clientId, state: 's3' });
    const res = await userSession.post('/oauth/authorize', { ...form.fields, consent: 'f'.repeat(64), decision: 'accept' });
    assert.equal(res.status, 200);
    await assertNoCodeIssued(res);
  });

  test('after widening, live tokens keep only the approved scopes and refresh needs a new approval', async () => {
    const app = await newApp();
    const t = await obtainTokens(base, userSession, app);
    expectJson(await updateApp(app, { oauth: { callback_url: app.callbackUrl, scopes: ['account_access', 'api_app_access'] } }), 200);
    assertError(await call(base, 'GET', '/v3/api_app/list', { token: t.access_token }), 403, 'forbidden');
    expectJson(await call(base, 'GET', '/v3/account', { token: t.access_token }), 200);
    assertError(await refresh(base, app, t.refresh_token), 400, 'invalid_grant');
    // The next authorization shows the consent page with the new scopes.
    const { page } = await openConsent(userSession, { clientId: app.clientId, state: 'again' });
    assert.equal((page.text.match(/class="scope"/g) || []).length, 2);
  });

  test('after a callback change, refresh needs a new approval', async () => {
    const app = await newApp();
    const t = await obtainTokens(base, userSession, app);
    expectJson(await updateApp(app, { oauth: { callback_url: 'https://new.example.com/cb', scopes: ['account_access'] } }), 200);
    const e = assertError(await refresh(base, app, t.refresh_token), 400, 'invalid_grant');
    assert.match(e.error_msg, /callback/i);
  });
});

describe('2. refresh needs client credentials (refresh_requires_client_credentials)', () => {
  test('on for a new app: the refresh token alone is refused with invalid_client naming what is missing', async () => {
    const app = await newApp();
    assert.equal(app.app.oauth.refresh_requires_client_credentials, true);
    const t = await obtainTokens(base, userSession, app);
    const alone = await call(base, 'POST', '/oauth/token?refresh', { json: { grant_type: 'refresh_token', refresh_token: t.refresh_token } });
    const e = assertError(alone, 401, 'invalid_client');
    assert.match(e.error_msg, /client_id and client_secret/);
    assert.match(e.error_msg, /refresh_requires_client_credentials/);
    const noSecret = await call(base, 'POST', '/oauth/token?refresh', { form: { grant_type: 'refresh_token', refresh_token: t.refresh_token, client_id: app.clientId } });
    assert.match(assertError(noSecret, 401, 'invalid_client').error_msg, /client_secret/);
    // Nothing was spent: with the credentials it refreshes.
    expectJson(await refresh(base, app, t.refresh_token), 200);
  });

  test('the official SDK: oauthTokenRefresh without credentials is an HttpError 401, with them it works', async () => {
    const app = await newApp();
    const t = await obtainTokens(base, userSession, app);
    const api = new DropboxSign.OAuthApi();
    api.basePath = base;
    await assert.rejects(api.oauthTokenRefresh({ refreshToken: t.refresh_token }),
      (e) => e instanceof DropboxSign.HttpError && e.statusCode === 401 && e.body.error.errorName === 'invalid_client');
    const req = new DropboxSign.OAuthTokenRefreshRequest();
    req.refreshToken = t.refresh_token;
    req.clientId = app.clientId;
    req.clientSecret = app.secret;
    const r = await api.oauthTokenRefresh(req);
    assert.equal(r.body.tokenType, 'Bearer');
  });

  test('the owner switches it off with PUT /v3/api_app: the refresh token alone works (the walkthrough example)', async () => {
    const app = await newApp();
    const put = expectJson(await updateApp(app, { oauth: { refresh_requires_client_credentials: false } }), 200);
    assert.equal(put.api_app.oauth.refresh_requires_client_credentials, false);
    assert.deepEqual(put.api_app.oauth.scopes, ['account_access'], 'scopes untouched');
    const got = expectJson(await call(base, 'GET', `/v3/api_app/${app.clientId}`, { apiKey: owner.api_key }), 200);
    assert.equal(got.api_app.oauth.refresh_requires_client_credentials, false);
    const t = await obtainTokens(base, userSession, app);
    const r = await call(base, 'POST', '/oauth/token?refresh', { json: { grant_type: 'refresh_token', refresh_token: t.refresh_token } });
    expectJson(r, 200);
    assertError(await updateApp(app, { oauth: { refresh_requires_client_credentials: 'maybe' } }), 400, 'bad_request',
      'oauth[refresh_requires_client_credentials]');
  });

  test('the app page shows the setting and switches it', async () => {
    const app = await newApp();
    const ownerSession = await loggedIn(base, owner);
    const page = await ownerSession.get(`/apps/${app.clientId}`);
    assert.match(page.text, /id="refresh-requires-client-credentials"[^>]*checked/);
    const form = parseForms(page.text).find((f) => f.action.endsWith('/oauth-settings'));
    assert.ok(form, 'an OAuth settings form');
    const res = await ownerSession.post(form.action, { csrf_token: form.fields.csrf_token, require_pkce: 'on' });
    assert.equal(res.status, 303);
    const got = expectJson(await call(base, 'GET', `/v3/api_app/${app.clientId}`, { apiKey: owner.api_key }), 200);
    assert.equal(got.api_app.oauth.refresh_requires_client_credentials, false);
    assert.equal(got.api_app.oauth.require_pkce, true);
    // Someone else cannot change it.
    const csrf = await userSession.csrfFrom('/apps/new');
    const other = await userSession.post(form.action, { csrf_token: csrf });
    assert.equal(other.status, 404);
  });
});

describe('3. PKCE S256', () => {
  test('a code asked for with a challenge needs the matching code_verifier', async () => {
    const app = await newApp();
    const { verifier, challenge } = pkcePair();
    const authorize = async (state) => {
      const q = `${authorizeQuery({ clientId: app.clientId, state })}&code_challenge=${challenge}&code_challenge_method=S256`;
      const page = await userSession.get(`/oauth/authorize?${q}`);
      assert.equal(page.status, 200, page.text.slice(0, 300));
      const form = findForm(page.text, 'client_id');
      assert.equal(form.fields.code_challenge, challenge);
      const res = await userSession.post('/oauth/authorize', { ...form.fields, decision: 'accept' });
      assert.equal(res.status, 303);
      return new URL(res.location).searchParams.get('code');
    };
    const token = (code, state, extra) => call(base, 'POST', '/oauth/token', {
      json: { grant_type: 'authorization_code', client_id: app.clientId, client_secret: app.secret, code, state, ...extra },
    });
    assertError(await token(await authorize('p1'), 'p1', {}), 400, 'invalid_grant');
    assertError(await token(await authorize('p2'), 'p2', { code_verifier: pkcePair().verifier }), 400, 'invalid_grant');
    const ok = expectJson(await token(await authorize('p3'), 'p3', { code_verifier: verifier }), 200);
    expectJson(await call(base, 'GET', '/v3/account', { token: ok.access_token }), 200);
  });

  test('plain, a missing method or a malformed challenge get an error page, never a redirect', async () => {
    const app = await newApp();
    const { challenge } = pkcePair();
    for (const extra of [`code_challenge=${challenge}&code_challenge_method=plain`, `code_challenge=${challenge}`,
      'code_challenge=short&code_challenge_method=S256']) {
      const res = await userSession.get(`/oauth/authorize?${authorizeQuery({ clientId: app.clientId, state: 'x' })}&${extra}`);
      assert.equal(res.status, 400, `${extra}: HTTP ${res.status}`);
      assert.equal(res.location, null);
    }
  });

  test('a code_verifier for a code asked for without a challenge is refused (downgrade)', async () => {
    const app = await newApp();
    const { code, state } = await getCode(userSession, { clientId: app.clientId });
    const res = await call(base, 'POST', '/oauth/token', {
      json: { client_id: app.clientId, client_secret: app.secret, code, state, code_verifier: pkcePair().verifier },
    });
    assertError(res, 400, 'invalid_grant');
  });

  test('require_pkce: authorization requests without a challenge are refused', async () => {
    const app = await newApp();
    assert.equal(app.app.oauth.require_pkce, false, 'off by default');
    expectJson(await updateApp(app, { oauth: { require_pkce: true } }), 200);
    const res = await userSession.get(`/oauth/authorize?${authorizeQuery({ clientId: app.clientId, state: 'x' })}`);
    assert.equal(res.status, 400);
    assert.equal(res.location, null);
    assert.match(res.text, /PKCE/);
  });
});

describe('4. app details are the owner\'s', () => {
  test('GET /v3/api_app/{id} of another owner\'s app is 404 and shows nothing of it', async () => {
    const app = await newApp();
    const res = await call(base, 'GET', `/v3/api_app/${app.clientId}`, { apiKey: user.api_key });
    assertError(res, 404, 'not_found');
    assert.ok(!res.text.includes(owner.email_address));
    assert.ok(!res.text.includes(app.callbackUrl));
    expectJson(await call(base, 'GET', `/v3/api_app/${app.clientId}`, { apiKey: owner.api_key }), 200);
  });
});

describe('5. iss in the authorization response (RFC 9207)', () => {
  test('code and error redirects carry iss = the issuer', async () => {
    const app = await newApp();
    const { location } = await getCode(userSession, { clientId: app.clientId });
    assert.equal(location.searchParams.get('iss'), base);
    const denied = await consent(userSession, { clientId: app.clientId, state: 'd', decision: 'deny' });
    assert.equal(denied.searchParams.get('error'), 'access_denied');
    assert.equal(denied.searchParams.get('iss'), base);
  });
});

describe('6. token revocation (RFC 7009)', () => {
  test('revoking the refresh token ends the access token too; HTTP Basic or body credentials', async () => {
    const app = await newApp();
    const t = await obtainTokens(base, userSession, app);
    const res = await call(base, 'POST', '/oauth/revoke', {
      headers: { authorization: basic(app.clientId, app.secret) },
      form: { token: t.refresh_token, token_type_hint: 'refresh_token' },
    });
    assert.equal(res.status, 200, res.text);
    assertError(await call(base, 'GET', '/v3/account', { token: t.access_token }), 401, 'unauthorized');
    assertError(await refresh(base, app, t.refresh_token), 400, 'invalid_grant');

    const t2 = await obtainTokens(base, userSession, app);
    const r2 = await call(base, 'POST', '/oauth/revoke', { form: { token: t2.access_token, client_id: app.clientId, client_secret: app.secret } });
    assert.equal(r2.status, 200);
    assertError(await refresh(base, app, t2.refresh_token), 400, 'invalid_grant');
  });

  test('unknown token: 200; bad client: 401 invalid_client; no token: 400; another app\'s token stays valid', async () => {
    const app = await newApp();
    const other = await newApp();
    const creds = { client_id: app.clientId, client_secret: app.secret };
    assert.equal((await call(base, 'POST', '/oauth/revoke', { form: { ...creds, token: 'nope' } })).status, 200);
    const bad = await call(base, 'POST', '/oauth/revoke', { headers: { authorization: basic(app.clientId, 'wrong') }, form: { token: 'x' } });
    assertError(bad, 401, 'invalid_client');
    assert.match(bad.headers.get('www-authenticate') || '', /^Basic/);
    assertError(await call(base, 'POST', '/oauth/revoke', { form: creds }), 400, 'bad_request', 'token');
    const t = await obtainTokens(base, userSession, other);
    assert.equal((await call(base, 'POST', '/oauth/revoke', { form: { ...creds, token: t.access_token } })).status, 200);
    expectJson(await call(base, 'GET', '/v3/account', { token: t.access_token }), 200);
  });
});

describe('7. authorization server metadata (RFC 8414)', () => {
  test('/.well-known/oauth-authorization-server', async () => {
    const m = expectJson(await call(base, 'GET', '/.well-known/oauth-authorization-server'), 200);
    assert.equal(m.issuer, base);
    assert.equal(m.authorization_endpoint, `${base}/oauth/authorize`);
    assert.equal(m.token_endpoint, `${base}/oauth/token`);
    assert.equal(m.revocation_endpoint, `${base}/oauth/revoke`);
    assert.deepEqual(m.response_types_supported, ['code']);
    assert.deepEqual(m.code_challenge_methods_supported, ['S256']);
    assert.deepEqual([...m.grant_types_supported].sort(), ['authorization_code', 'refresh_token']);
    for (const method of ['client_secret_basic', 'client_secret_post']) {
      assert.ok(m.token_endpoint_auth_methods_supported.includes(method), method);
    }
    assert.equal(m.authorization_response_iss_parameter_supported, true);
  });
});

describe('8. client_secret_basic at the token endpoint', () => {
  test('HTTP Basic alone authenticates the code exchange and the refresh', async () => {
    const app = await newApp();
    const { code, state } = await getCode(userSession, { clientId: app.clientId });
    const auth = { authorization: basic(app.clientId, app.secret) };
    const t = expectJson(await call(base, 'POST', '/oauth/token', { headers: auth, form: { grant_type: 'authorization_code', code, state } }), 200);
    const r = await call(base, 'POST', '/oauth/token', { headers: auth, form: { grant_type: 'refresh_token', refresh_token: t.refresh_token } });
    expectJson(r, 200);
  });

  test('Basic and body naming different credentials: 401 invalid_client, the code is not spent', async () => {
    const app = await newApp();
    const other = await newApp();
    const { code, state } = await getCode(userSession, { clientId: app.clientId });
    const mixed = await call(base, 'POST', '/oauth/token', {
      headers: { authorization: basic(other.clientId, other.secret) },
      form: { grant_type: 'authorization_code', code, state, client_id: app.clientId, client_secret: app.secret },
    });
    assertError(mixed, 401, 'invalid_client');
    const wrongSecret = await call(base, 'POST', '/oauth/token', {
      headers: { authorization: basic(app.clientId, 'other') },
      form: { grant_type: 'authorization_code', code, state, client_secret: app.secret },
    });
    assertError(wrongSecret, 401, 'invalid_client');
    const malformed = await call(base, 'POST', '/oauth/token', {
      headers: { authorization: 'Basic !!!' }, form: { grant_type: 'authorization_code', code, state },
    });
    assertError(malformed, 401, 'invalid_client');
    expectJson(await call(base, 'POST', '/oauth/token', {
      headers: { authorization: basic(app.clientId, app.secret) }, form: { grant_type: 'authorization_code', code, state },
    }), 200);
  });
});
