// The official Dropbox Sign Node SDK (@dropbox/sign 1.11.0), unchanged except for basePath,
// against a real Countersign server: OAuth token generate/refresh, account get/verify with an
// API key and with a Bearer token, and the API app CRUD operations. Assertions are on the
// SDK's parsed models and on its HttpError for 4xx answers.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import DropboxSign from '@dropbox/sign';
import { startServer } from './lib/server.mjs';
import { loggedIn, getCode } from './lib/web.mjs';

let server;
let base;
let owner;
let user;
let userSession;
let app; // { clientId, secret, callbackUrl } created through the SDK

const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64');

function oauthApi() {
  const api = new DropboxSign.OAuthApi();
  api.basePath = base; // the token endpoint lives at the root: basePath + "/oauth/token"
  return api;
}

function accountApi(auth) {
  const api = new DropboxSign.AccountApi();
  api.basePath = `${base}/v3`;
  if (auth.apiKey) api.username = auth.apiKey;
  if (auth.token) api.accessToken = auth.token;
  return api;
}

function apiAppApi(auth) {
  const api = new DropboxSign.ApiAppApi();
  api.basePath = `${base}/v3`;
  if (auth.apiKey) api.username = auth.apiKey;
  if (auth.token) api.accessToken = auth.token;
  return api;
}

/** Runs `fn`, expects the SDK's HttpError with `status`, returns the parsed error model. */
async function expectHttpError(fn, status, errorName) {
  let caught;
  try {
    await fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught, 'the SDK call should have failed');
  assert.ok(caught instanceof DropboxSign.HttpError, `an HttpError, got ${caught?.name}: ${caught?.message}`);
  assert.equal(caught.statusCode, status, `status; body ${JSON.stringify(caught.body)}`);
  assert.ok(caught.body instanceof DropboxSign.ErrorResponse || caught.body?.error, 'body parsed as ErrorResponse');
  const err = caught.body.error;
  assert.equal(typeof err.errorMsg, 'string');
  assert.ok(err.errorMsg.length > 0);
  assert.equal(typeof err.errorName, 'string');
  if (errorName) assert.equal(err.errorName, errorName);
  return err;
}

before(async () => {
  server = await startServer();
  base = server.url;
  owner = await server.createAccount();
  user = await server.createAccount();

  const req = new DropboxSign.ApiAppCreateRequest();
  req.name = 'SDK App';
  req.domains = ['example.com'];
  const oauth = new DropboxSign.SubOAuth();
  oauth.callbackUrl = 'https://example.com/sdk/callback';
  oauth.scopes = [DropboxSign.SubOAuth.ScopesEnum.AccountAccess, DropboxSign.SubOAuth.ScopesEnum.ApiAppAccess];
  req.oauth = oauth;
  const res = await apiAppApi({ apiKey: owner.api_key }).apiAppCreate(req);
  assert.equal(res.response.status, 201);
  app = { clientId: res.body.apiApp.clientId, secret: res.body.apiApp.oauth.secret, callbackUrl: oauth.callbackUrl };
  await server.approveApp(app.clientId);
  userSession = await loggedIn(base, user);
});

after(async () => {
  if (server) await server.stop();
});

async function freshCode(state) {
  return getCode(userSession, { clientId: app.clientId, state });
}

describe('OAuthApi', () => {
  test('oauthTokenGenerate with the model class', async () => {
    const { code, state } = await freshCode('sdk-model');
    const req = new DropboxSign.OAuthTokenGenerateRequest();
    req.clientId = app.clientId;
    req.clientSecret = app.secret;
    req.code = code;
    req.state = state;
    const res = await oauthApi().oauthTokenGenerate(req);
    assert.ok(res.body instanceof DropboxSign.OAuthTokenResponse);
    assert.equal(res.body.tokenType, 'Bearer');
    assert.equal(res.body.expiresIn, 3600);
    assert.equal(res.body.state, state);
    assert.equal(typeof res.body.accessToken, 'string');
    assert.equal(typeof res.body.refreshToken, 'string');
    const me = await accountApi({ token: res.body.accessToken }).accountGet();
    assert.equal(me.body.account.emailAddress, user.email_address);
  });

  test('oauthTokenGenerate with a plain object and no grantType', async () => {
    const { code, state } = await freshCode('sdk-plain');
    const res = await oauthApi().oauthTokenGenerate({ clientId: app.clientId, clientSecret: app.secret, code, state });
    assert.equal(res.body.tokenType, 'Bearer');
    assert.equal(res.body.state, state);
    const me = await accountApi({ token: res.body.accessToken }).accountGet();
    assert.equal(me.body.account.emailAddress, user.email_address);
  });

  test('oauthTokenRefresh with the model class and with a plain object; rotation', async () => {
    const { code, state } = await freshCode('sdk-refresh');
    const t0 = (await oauthApi().oauthTokenGenerate({ client_id: app.clientId, client_secret: app.secret, code, state })).body;

    const req = new DropboxSign.OAuthTokenRefreshRequest();
    req.refreshToken = t0.refreshToken;
    req.clientId = app.clientId;
    req.clientSecret = app.secret;
    const r1 = (await oauthApi().oauthTokenRefresh(req)).body;
    assert.equal(r1.tokenType, 'Bearer');
    assert.equal(r1.expiresIn, 3600);
    assert.notEqual(r1.accessToken, t0.accessToken);
    assert.notEqual(r1.refreshToken, t0.refreshToken);
    assert.equal((await accountApi({ token: r1.accessToken }).accountGet()).body.account.emailAddress, user.email_address);

    const r2 = (await oauthApi().oauthTokenRefresh({ refreshToken: r1.refreshToken, clientId: app.clientId, clientSecret: app.secret })).body;
    assert.equal((await accountApi({ token: r2.accessToken }).accountGet()).body.account.emailAddress, user.email_address);

    // The spent token is refused with a parsed error.
    await expectHttpError(() => oauthApi().oauthTokenRefresh({ refreshToken: t0.refreshToken, clientId: app.clientId, clientSecret: app.secret }), 400);
  });

  test('a bad code surfaces as HttpError 400; a bad secret as HttpError 401', async () => {
    await expectHttpError(() => oauthApi().oauthTokenGenerate({
      clientId: app.clientId, clientSecret: app.secret, code: 'not-a-code', state: 'x',
    }), 400);
    const { code, state } = await freshCode('sdk-bad-secret');
    await expectHttpError(() => oauthApi().oauthTokenGenerate({
      clientId: app.clientId, clientSecret: 'wrong', code, state,
    }), 401);
  });
});

describe('AccountApi', () => {
  let token;
  before(async () => {
    const { code, state } = await freshCode('sdk-account');
    token = (await oauthApi().oauthTokenGenerate({ clientId: app.clientId, clientSecret: app.secret, code, state })).body.accessToken;
  });

  for (const mode of ['apiKey', 'token']) {
    test(`accountGet with ${mode === 'apiKey' ? 'api.username = API key' : 'api.accessToken = token'}`, async () => {
      const api = accountApi(mode === 'apiKey' ? { apiKey: user.api_key } : { token });
      const res = await api.accountGet();
      assert.ok(res.body instanceof DropboxSign.AccountGetResponse);
      const a = res.body.account;
      assert.equal(a.emailAddress, user.email_address);
      assert.equal(a.accountId, user.account_id);
      assert.equal(a.isLocked, false);
      assert.equal(typeof a.isPaidHs, 'boolean');
      assert.ok(a.quotas instanceof DropboxSign.AccountResponseQuotas);
      assert.ok(a.settings instanceof DropboxSign.AccountResponseSettings);
    });

    test(`accountVerify with ${mode === 'apiKey' ? 'api.username = API key' : 'api.accessToken = token'}`, async () => {
      const api = accountApi(mode === 'apiKey' ? { apiKey: user.api_key } : { token });
      const req = new DropboxSign.AccountVerifyRequest();
      req.emailAddress = owner.email_address;
      const found = await api.accountVerify(req);
      assert.equal(found.body.account.emailAddress, owner.email_address);
      const missing = await api.accountVerify({ emailAddress: 'nobody-at-all@example.org' });
      assert.equal(missing.response.status, 200);
      assert.equal(missing.body.account, undefined);
      const err = await expectHttpError(() => api.accountVerify({ emailAddress: 'not-an-email' }), 400, 'bad_request');
      assert.equal(err.errorPath, 'email_address');
    });
  }

  test('accountUpdate (PUT) through the SDK', async () => {
    const acct = await server.createAccount();
    const req = new DropboxSign.AccountUpdateRequest();
    req.callbackUrl = 'https://hooks.example.com/sdk';
    const res = await accountApi({ apiKey: acct.api_key }).accountUpdate(req);
    assert.equal(res.body.account.callbackUrl, 'https://hooks.example.com/sdk');
  });

  test('a garbage token or key surfaces as HttpError 401 unauthorized', async () => {
    await expectHttpError(() => accountApi({ token: 'garbage' }).accountGet(), 401, 'unauthorized');
    await expectHttpError(() => accountApi({ apiKey: 'garbage' }).accountGet(), 401, 'unauthorized');
  });
});

describe('ApiAppApi', () => {
  test('create, get, list, update, delete with the API key', async () => {
    const api = apiAppApi({ apiKey: owner.api_key });
    const req = new DropboxSign.ApiAppCreateRequest();
    req.name = 'SDK CRUD';
    req.domains = ['crud.example.com'];
    req.callbackUrl = 'https://crud.example.com/events';
    const oauth = new DropboxSign.SubOAuth();
    oauth.callbackUrl = 'https://crud.example.com/oauth';
    oauth.scopes = [DropboxSign.SubOAuth.ScopesEnum.BasicAccountInfo];
    req.oauth = oauth;
    const options = new DropboxSign.SubOptions();
    options.canInsertEverywhere = true;
    req.options = options;

    const created = await api.apiAppCreate(req);
    assert.equal(created.response.status, 201);
    const a = created.body.apiApp;
    assert.ok(a instanceof DropboxSign.ApiAppResponse);
    assert.equal(a.name, 'SDK CRUD');
    assert.deepEqual(a.domains, ['crud.example.com']);
    assert.equal(a.callbackUrl, 'https://crud.example.com/events');
    assert.equal(a.oauth.callbackUrl, 'https://crud.example.com/oauth');
    assert.deepEqual(a.oauth.scopes, ['basic_account_info']);
    assert.equal(typeof a.oauth.secret, 'string');
    assert.equal(a.options.canInsertEverywhere, true);
    assert.equal(a.ownerAccount.emailAddress, owner.email_address);
    assert.equal(a.isApproved, false);

    const got = await api.apiAppGet(a.clientId);
    assert.equal(got.body.apiApp.clientId, a.clientId);
    assert.ok(got.body.apiApp.oauth.secret === null || got.body.apiApp.oauth.secret === a.oauth.secret);
    // Another account's app: HttpError 404, nothing of it revealed (docs/oauth-security.md).
    await expectHttpError(() => apiAppApi({ apiKey: user.api_key }).apiAppGet(a.clientId), 404, 'not_found');

    const list = await api.apiAppList(1, 100);
    assert.ok(list.body instanceof DropboxSign.ApiAppListResponse);
    assert.equal(list.body.listInfo.page, 1);
    assert.equal(list.body.listInfo.pageSize, 100);
    assert.equal(list.body.listInfo.numResults, list.body.apiApps.length);
    assert.ok(list.body.apiApps.some((x) => x.clientId === a.clientId));
    assert.ok(list.body.apiApps.some((x) => x.clientId === app.clientId));

    const upd = new DropboxSign.ApiAppUpdateRequest();
    upd.name = 'SDK CRUD renamed';
    const updated = await api.apiAppUpdate(a.clientId, upd);
    assert.equal(updated.body.apiApp.name, 'SDK CRUD renamed');
    assert.deepEqual(updated.body.apiApp.domains, ['crud.example.com']);
    assert.equal(updated.body.apiApp.oauth.callbackUrl, 'https://crud.example.com/oauth');

    await expectHttpError(() => apiAppApi({ apiKey: user.api_key }).apiAppDelete(a.clientId), 403, 'forbidden');

    const deleted = await api.apiAppDelete(a.clientId);
    assert.equal(deleted.response.status, 204);
    await expectHttpError(() => api.apiAppGet(a.clientId), 404, 'not_found');
  });

  test('apiAppCreate with customLogoFile goes multipart; JSON-text fields are parsed', async () => {
    const api = apiAppApi({ apiKey: owner.api_key });
    let sentContentType;
    api.addInterceptor((opts) => {
      sentContentType = opts.headers['content-type'];
    });
    const res = await api.apiAppCreate({
      name: 'SDK Multipart',
      domains: ['mp.example.com', 'mp.example.org'],
      oauth: { callbackUrl: 'https://mp.example.com/oauth', scopes: ['account_access'] },
      options: { canInsertEverywhere: true },
      customLogoFile: { value: TINY_PNG, options: { filename: 'logo.png', contentType: 'image/png' } },
    });
    assert.equal(res.response.status, 201);
    assert.match(String(sentContentType), /^multipart\/form-data/);
    const a = res.body.apiApp;
    assert.deepEqual(a.domains, ['mp.example.com', 'mp.example.org']);
    assert.equal(a.oauth.callbackUrl, 'https://mp.example.com/oauth');
    assert.deepEqual(a.oauth.scopes, ['account_access']);
    assert.equal(a.options.canInsertEverywhere, true);
  });

  test('with a Bearer token: api_app_access allows it, the apps belong to the user', async () => {
    const { code, state } = await freshCode('sdk-apps');
    const token = (await oauthApi().oauthTokenGenerate({ clientId: app.clientId, clientSecret: app.secret, code, state })).body.accessToken;
    const api = apiAppApi({ token });
    const created = await api.apiAppCreate({ name: 'Made by token', domains: ['tok.example.com'] });
    assert.equal(created.body.apiApp.ownerAccount.emailAddress, user.email_address);
    const list = await api.apiAppList();
    assert.ok(list.body.apiApps.every((x) => x.ownerAccount.accountId === user.account_id));
    assert.ok(list.body.apiApps.some((x) => x.clientId === created.body.apiApp.clientId));
  });

  test('validation errors surface as HttpError 400 with errorPath', async () => {
    const api = apiAppApi({ apiKey: owner.api_key });
    const err = await expectHttpError(() => api.apiAppCreate({ name: 'No domains', domains: [] }), 400, 'bad_request');
    assert.match(err.errorPath ?? '', /^domains/);
    const err2 = await expectHttpError(() => api.apiAppList(1, 101), 400, 'bad_request');
    assert.equal(typeof err2.errorMsg, 'string');
  });
});
