// /v3/account and /v3/api_app over real HTTP, as the Dropbox Sign API v3 contract describes
// them (CONTRACT.md §2, §4, §5): response shapes, status codes, validation with error_path,
// ownership, JSON and multipart bodies, and the Node SDK's empty-body quirk.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { call, assertError, expectJson } from './lib/http.mjs';

let server;
let base;
let alice;
let bob;

before(async () => {
  server = await startServer();
  base = server.url;
  alice = await server.createAccount();
  bob = await server.createAccount();
});

after(async () => {
  if (server) await server.stop();
});

const isIntOrNull = (v) => v === null || Number.isInteger(v);
const isStringOrNull = (v) => v === null || typeof v === 'string';

function assertAccountObject(a, who) {
  assert.equal(a.account_id, who.account_id);
  assert.equal(a.email_address, who.email_address);
  for (const k of ['is_locked', 'is_paid_hs', 'is_paid_hf']) assert.equal(typeof a[k], 'boolean', k);
  assert.equal(a.is_locked, false);
  assert.ok(a.quotas && typeof a.quotas === 'object', 'quotas');
  for (const k of ['api_signature_requests_left', 'documents_left', 'templates_total', 'templates_left',
    'sms_verifications_left', 'num_fax_pages_left']) {
    assert.ok(k in a.quotas, `quotas.${k}`);
    assert.ok(isIntOrNull(a.quotas[k]), `quotas.${k} int|null`);
  }
  for (const k of ['callback_url', 'role_code', 'team_id', 'locale']) {
    assert.ok(k in a, k);
    assert.ok(isStringOrNull(a[k]), `${k} string|null`);
  }
  assert.ok(a.usage && 'fax_pages_sent' in a.usage && isIntOrNull(a.usage.fax_pages_sent), 'usage.fax_pages_sent');
  assert.ok(a.settings, 'settings');
  for (const k of ['signer_access_codes', 'sms_delivery', 'sms_authentication']) {
    assert.equal(typeof a.settings[k], 'boolean', `settings.${k}`);
  }
}

function assertApiAppObject(a) {
  assert.equal(typeof a.client_id, 'string');
  assert.ok(a.client_id.length > 0);
  assert.equal(typeof a.name, 'string');
  assert.ok(Array.isArray(a.domains));
  assert.ok(isStringOrNull(a.callback_url), 'callback_url');
  assert.ok(Number.isInteger(a.created_at), 'created_at int');
  assert.equal(typeof a.is_approved, 'boolean');
  assert.ok('oauth' in a, 'oauth key present (object or null)');
  if (a.oauth !== null) {
    assert.equal(typeof a.oauth.callback_url, 'string');
    assert.ok(Array.isArray(a.oauth.scopes));
    assert.ok(isStringOrNull(a.oauth.secret));
    assert.equal(typeof a.oauth.charges_users, 'boolean');
  }
  assert.ok(a.options && typeof a.options.can_insert_everywhere === 'boolean', 'options.can_insert_everywhere');
  assert.equal(typeof a.owner_account.account_id, 'string');
  assert.equal(typeof a.owner_account.email_address, 'string');
  assert.ok('white_labeling_options' in a, 'white_labeling_options');
}

async function createApp(apiKey, body) {
  const res = await call(base, 'POST', '/v3/api_app', { apiKey, json: body });
  return expectJson(res, 201).api_app;
}

const OAUTH = { callback_url: 'https://app.example.com/oauth/cb', scopes: ['account_access', 'signature_request_access'] };

describe('GET /v3/account', () => {
  test('returns the full account object of the caller', async () => {
    const body = expectJson(await call(base, 'GET', '/v3/account', { apiKey: alice.api_key }), 200);
    assertAccountObject(body.account, alice);
    assert.equal(body.account.callback_url, null, 'new account has no callback_url');
    const other = expectJson(await call(base, 'GET', '/v3/account', { apiKey: bob.api_key }), 200);
    assertAccountObject(other.account, bob);
  });

  test('no credentials: 401 unauthorized', async () => {
    assertError(await call(base, 'GET', '/v3/account'), 401, 'unauthorized');
    assertError(await call(base, 'GET', '/v3/account', { apiKey: 'not-a-key' }), 401, 'unauthorized');
  });

  test('Node SDK quirk: content-type application/json with an empty body on GET', async () => {
    const res = await call(base, 'GET', '/v3/account', { apiKey: alice.api_key, headers: { 'content-type': 'application/json' } });
    assert.equal(expectJson(res, 200).account.email_address, alice.email_address);
  });
});

describe('PUT and POST /v3/account', () => {
  test('PUT changes callback_url and locale; GET shows the change', async () => {
    const acct = await server.createAccount();
    const res = await call(base, 'PUT', '/v3/account', {
      apiKey: acct.api_key, json: { callback_url: 'https://hooks.example.com/cs', locale: 'fr-FR' },
    });
    const body = expectJson(res, 200);
    assertAccountObject(body.account, acct);
    assert.equal(body.account.callback_url, 'https://hooks.example.com/cs');
    assert.equal(body.account.locale, 'fr-FR');
    const got = expectJson(await call(base, 'GET', '/v3/account', { apiKey: acct.api_key }), 200);
    assert.equal(got.account.callback_url, 'https://hooks.example.com/cs');
    assert.equal(got.account.locale, 'fr-FR');
  });

  test('POST /v3/account (legacy) accepts form fields; unsent fields are unchanged', async () => {
    const acct = await server.createAccount();
    expectJson(await call(base, 'PUT', '/v3/account', { apiKey: acct.api_key, json: { locale: 'de-DE' } }), 200);
    const res = await call(base, 'POST', '/v3/account', {
      apiKey: acct.api_key, form: { callback_url: 'https://legacy.example.com/hook' },
    });
    const body = expectJson(res, 200);
    assert.equal(body.account.callback_url, 'https://legacy.example.com/hook');
    assert.equal(body.account.locale, 'de-DE');
    const json = await call(base, 'POST', '/v3/account', { apiKey: acct.api_key, json: { callback_url: 'https://json.example.com/hook' } });
    assert.equal(expectJson(json, 200).account.callback_url, 'https://json.example.com/hook');
  });

  test('a bad callback_url: 400 bad_request with error_path, nothing changed', async () => {
    const acct = await server.createAccount();
    expectJson(await call(base, 'PUT', '/v3/account', { apiKey: acct.api_key, json: { callback_url: 'https://ok.example.com/a' } }), 200);
    for (const callbackUrl of ['not a url', 'ftp://example.com/x', 'javascript:alert(1)']) {
      const res = await call(base, 'PUT', '/v3/account', { apiKey: acct.api_key, json: { callback_url: callbackUrl, locale: 'es-ES' } });
      assertError(res, 400, 'bad_request', 'callback_url');
    }
    const got = expectJson(await call(base, 'GET', '/v3/account', { apiKey: acct.api_key }), 200);
    assert.equal(got.account.callback_url, 'https://ok.example.com/a');
    assert.notEqual(got.account.locale, 'es-ES', 'no partial write');
  });

  test('a malformed JSON body: 400 bad_request', async () => {
    const res = await call(base, 'PUT', '/v3/account', { apiKey: alice.api_key, json: '{"callback_url": ' });
    assertError(res, 400, 'bad_request');
  });

  test('Node SDK quirk: POST with content-type application/json and an empty body is not a 400', async () => {
    const res = await call(base, 'POST', '/v3/account', {
      apiKey: alice.api_key, headers: { 'content-type': 'application/json' }, body: '',
    });
    assert.equal(expectJson(res, 200).account.email_address, alice.email_address);
  });

  test('no credentials: 401', async () => {
    assertError(await call(base, 'PUT', '/v3/account', { json: { locale: 'en-US' } }), 401, 'unauthorized');
  });
});

describe('POST /v3/account/verify', () => {
  test('an existing account: 200 {account:{email_address}}', async () => {
    const res = await call(base, 'POST', '/v3/account/verify', { apiKey: alice.api_key, json: { email_address: bob.email_address } });
    const body = expectJson(res, 200);
    assert.equal(body.account.email_address, bob.email_address);
  });

  test('an unknown account: 200 with an empty object', async () => {
    const res = await call(base, 'POST', '/v3/account/verify', { apiKey: alice.api_key, json: { email_address: 'nobody-here@example.org' } });
    assert.deepEqual(expectJson(res, 200), {});
  });

  test('a bad or missing email_address: 400 with error_path email_address', async () => {
    for (const json of [{ email_address: 'not-an-email' }, {}, { email_address: '' }]) {
      const res = await call(base, 'POST', '/v3/account/verify', { apiKey: alice.api_key, json });
      assertError(res, 400, 'bad_request', 'email_address');
    }
  });

  test('form-urlencoded body is accepted too', async () => {
    const res = await call(base, 'POST', '/v3/account/verify', { apiKey: alice.api_key, form: { email_address: bob.email_address } });
    assert.equal(expectJson(res, 200).account.email_address, bob.email_address);
  });

  test('no credentials: 401', async () => {
    assertError(await call(base, 'POST', '/v3/account/verify', { json: { email_address: bob.email_address } }), 401, 'unauthorized');
  });
});

describe('/v3/api_app', () => {
  test('create: 201 with the full object; the owner sees the secret', async () => {
    const before = Math.floor(Date.now() / 1000) - 5;
    const res = await call(base, 'POST', '/v3/api_app', {
      apiKey: alice.api_key,
      json: { name: 'Create Test', domains: ['example.com', 'example.org'], callback_url: 'https://example.com/events', oauth: OAUTH },
    });
    const a = expectJson(res, 201).api_app;
    assertApiAppObject(a);
    assert.equal(a.name, 'Create Test');
    assert.deepEqual(a.domains, ['example.com', 'example.org']);
    assert.equal(a.callback_url, 'https://example.com/events');
    assert.ok(a.created_at >= before && a.created_at <= Math.floor(Date.now() / 1000) + 5, 'created_at is now');
    assert.equal(a.is_approved, false);
    assert.equal(a.oauth.callback_url, OAUTH.callback_url);
    assert.deepEqual([...a.oauth.scopes].sort(), [...OAUTH.scopes].sort());
    assert.equal(typeof a.oauth.secret, 'string');
    assert.ok(a.oauth.secret.length >= 20);
    assert.equal(a.owner_account.account_id, alice.account_id);
    assert.equal(a.owner_account.email_address, alice.email_address);
  });

  test('create without oauth: oauth is null', async () => {
    const plain = await createApp(alice.api_key, { name: 'No OAuth', domains: ['example.com'] });
    assert.equal(plain.oauth, null);
  });

  test('oauth.charges_users: true for user-billed scopes, false for app-billed ones (CONTRACT §1)', async () => {
    const userBilled = await createApp(alice.api_key, { name: 'User billed', domains: ['example.com'], oauth: OAUTH });
    assert.equal(userBilled.oauth.charges_users, true, 'account_access/signature_request_access bill the user');
    const limited = await createApp(alice.api_key, {
      name: 'Limited', domains: ['example.com'],
      oauth: { callback_url: 'https://example.com/cb', scopes: ['basic_account_info', 'request_signature'] },
    });
    assert.equal(limited.oauth.charges_users, false);
  });

  test('get: 200 for the owner; another account\'s app and an unknown id: 404', async () => {
    const created = await createApp(alice.api_key, { name: 'Get Test', domains: ['example.com'], oauth: OAUTH });
    const mine = expectJson(await call(base, 'GET', `/v3/api_app/${created.client_id}`, { apiKey: alice.api_key }), 200).api_app;
    assertApiAppObject(mine);
    assert.equal(mine.client_id, created.client_id);
    assert.equal(mine.name, 'Get Test');
    // Secrets are stored hashed (DESIGN.md): shown once at creation, never again, to anyone.
    assert.ok('secret' in mine.oauth, 'oauth.secret key present');
    assert.ok(mine.oauth.secret === null || mine.oauth.secret === created.oauth.secret);

    // Another account's app is not theirs to see (callback URLs, owner email): 404 as if absent
    // (docs/oauth-security.md).
    const theirs = await call(base, 'GET', `/v3/api_app/${created.client_id}`, { apiKey: bob.api_key });
    assertError(theirs, 404, 'not_found');
    assert.ok(!theirs.text.includes(alice.email_address), 'owner email not revealed');

    assertError(await call(base, 'GET', '/v3/api_app/0123456789abcdef0123456789abcdef', { apiKey: alice.api_key }), 404, 'not_found');
  });

  test('list: paging and list_info; only the caller\'s apps', async () => {
    const carol = await server.createAccount();
    const ids = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await createApp(carol.api_key, { name: `List ${i}`, domains: ['example.com'] })).client_id);
    }
    await createApp(alice.api_key, { name: 'Not Carols', domains: ['example.com'] });

    const all = expectJson(await call(base, 'GET', '/v3/api_app/list', { apiKey: carol.api_key }), 200);
    assert.deepEqual(all.list_info, { page: 1, num_pages: 1, num_results: 3, page_size: 20 });
    assert.deepEqual(all.api_apps.map((a) => a.client_id).sort(), [...ids].sort());
    all.api_apps.forEach(assertApiAppObject);

    const p1 = expectJson(await call(base, 'GET', '/v3/api_app/list?page=1&page_size=2', { apiKey: carol.api_key }), 200);
    assert.deepEqual(p1.list_info, { page: 1, num_pages: 2, num_results: 3, page_size: 2 });
    assert.equal(p1.api_apps.length, 2);
    const p2 = expectJson(await call(base, 'GET', '/v3/api_app/list?page=2&page_size=2', { apiKey: carol.api_key }), 200);
    assert.deepEqual(p2.list_info, { page: 2, num_pages: 2, num_results: 3, page_size: 2 });
    assert.equal(p2.api_apps.length, 1);
    const seen = [...p1.api_apps, ...p2.api_apps].map((a) => a.client_id).sort();
    assert.deepEqual(seen, [...ids].sort(), 'pages cover every app exactly once');

    const p9 = expectJson(await call(base, 'GET', '/v3/api_app/list?page=9&page_size=2', { apiKey: carol.api_key }), 200);
    assert.deepEqual(p9.api_apps, []);

    const fresh = await server.createAccount();
    const none = expectJson(await call(base, 'GET', '/v3/api_app/list', { apiKey: fresh.api_key }), 200);
    assert.deepEqual(none.api_apps, []);
    assert.equal(none.list_info.num_results, 0);
  });

  test('list: page_size 0 or 101 and page 0: 400', async () => {
    for (const q of ['page_size=0', 'page_size=101', 'page=0', 'page_size=abc']) {
      const res = await call(base, 'GET', `/v3/api_app/list?${q}`, { apiKey: alice.api_key });
      assertError(res, 400, 'bad_request');
    }
    const ok = await call(base, 'GET', '/v3/api_app/list?page_size=100', { apiKey: alice.api_key });
    assert.equal(expectJson(ok, 200).list_info.page_size, 100);
  });

  test('update: only the sent fields change', async () => {
    const a = await createApp(alice.api_key, {
      name: 'Before', domains: ['example.com'], callback_url: 'https://example.com/ev', oauth: OAUTH,
    });
    const res = await call(base, 'PUT', `/v3/api_app/${a.client_id}`, { apiKey: alice.api_key, json: { name: 'After' } });
    const u = expectJson(res, 200).api_app;
    assert.equal(u.name, 'After');
    assert.deepEqual(u.domains, ['example.com']);
    assert.equal(u.callback_url, 'https://example.com/ev');
    assert.equal(u.oauth.callback_url, OAUTH.callback_url);
    assert.deepEqual([...u.oauth.scopes].sort(), [...OAUTH.scopes].sort());
    assert.equal(u.created_at, a.created_at);

    const res2 = await call(base, 'PUT', `/v3/api_app/${a.client_id}`, { apiKey: alice.api_key, json: { domains: ['example.net'] } });
    const u2 = expectJson(res2, 200).api_app;
    assert.equal(u2.name, 'After');
    assert.deepEqual(u2.domains, ['example.net']);

    // An empty string clears an optional field.
    const res3 = await call(base, 'PUT', `/v3/api_app/${a.client_id}`, { apiKey: alice.api_key, json: { callback_url: '' } });
    assert.equal(expectJson(res3, 200).api_app.callback_url, null);

    const got = expectJson(await call(base, 'GET', `/v3/api_app/${a.client_id}`, { apiKey: alice.api_key }), 200).api_app;
    assert.equal(got.name, 'After');
    assert.deepEqual(got.domains, ['example.net']);
    assert.equal(got.callback_url, null);
  });

  test('update: invalid values are refused with error_path and change nothing', async () => {
    const a = await createApp(alice.api_key, { name: 'Keep', domains: ['example.com'] });
    const res = await call(base, 'PUT', `/v3/api_app/${a.client_id}`, {
      apiKey: alice.api_key, json: { name: 'Changed', domains: Array.from({ length: 11 }, (_, i) => `d${i}.example.com`) },
    });
    assertError(res, 400, 'bad_request', /^domains/);
    const got = expectJson(await call(base, 'GET', `/v3/api_app/${a.client_id}`, { apiKey: alice.api_key }), 200).api_app;
    assert.equal(got.name, 'Keep');
    assertError(await call(base, 'PUT', '/v3/api_app/0123456789abcdef0123456789abcdef', { apiKey: alice.api_key, json: { name: 'x' } }), 404, 'not_found');
  });

  test('delete: 204 with an empty body, then 404', async () => {
    const a = await createApp(alice.api_key, { name: 'Delete Me', domains: ['example.com'] });
    const res = await call(base, 'DELETE', `/v3/api_app/${a.client_id}`, { apiKey: alice.api_key });
    assert.equal(res.status, 204);
    assert.equal(res.text, '');
    assertError(await call(base, 'GET', `/v3/api_app/${a.client_id}`, { apiKey: alice.api_key }), 404, 'not_found');
    assertError(await call(base, 'DELETE', `/v3/api_app/${a.client_id}`, { apiKey: alice.api_key }), 404, 'not_found');
    const list = expectJson(await call(base, 'GET', '/v3/api_app/list?page_size=100', { apiKey: alice.api_key }), 200);
    assert.ok(!list.api_apps.some((x) => x.client_id === a.client_id));
  });

  test('Node SDK quirk: DELETE and GET with content-type application/json and no body', async () => {
    const a = await createApp(alice.api_key, { name: 'Quirk', domains: ['example.com'] });
    const h = { 'content-type': 'application/json' };
    assert.equal(expectJson(await call(base, 'GET', `/v3/api_app/${a.client_id}`, { apiKey: alice.api_key, headers: h }), 200).api_app.name, 'Quirk');
    expectJson(await call(base, 'GET', '/v3/api_app/list', { apiKey: alice.api_key, headers: h }), 200);
    const del = await call(base, 'DELETE', `/v3/api_app/${a.client_id}`, { apiKey: alice.api_key, headers: h });
    assert.equal(del.status, 204);
  });

  test('another account may not update or delete: 403 forbidden, app unchanged', async () => {
    const a = await createApp(alice.api_key, { name: 'Alices', domains: ['example.com'] });
    assertError(await call(base, 'PUT', `/v3/api_app/${a.client_id}`, { apiKey: bob.api_key, json: { name: 'Bobs now' } }), 403, 'forbidden');
    assertError(await call(base, 'DELETE', `/v3/api_app/${a.client_id}`, { apiKey: bob.api_key }), 403, 'forbidden');
    const got = expectJson(await call(base, 'GET', `/v3/api_app/${a.client_id}`, { apiKey: alice.api_key }), 200).api_app;
    assert.equal(got.name, 'Alices');
  });

  test('validation errors: 400 bad_request with error_path, nothing created', async () => {
    const dave = await server.createAccount();
    const cases = [
      [{ domains: ['example.com'] }, /^name/],
      [{ name: '', domains: ['example.com'] }, /^name/],
      [{ name: 'No domains' }, /^domains/],
      [{ name: 'Empty domains', domains: [] }, /^domains/],
      [{ name: 'Eleven', domains: Array.from({ length: 11 }, (_, i) => `d${i}.example.com`) }, /^domains/],
      [{ name: 'Bad domain', domains: ['not a domain!'] }, /^domains/],
      [{ name: 'Bad scope', domains: ['example.com'], oauth: { callback_url: 'https://example.com/cb', scopes: ['account_access', 'root_access'] } }, /^oauth/],
      [{ name: 'No scopes', domains: ['example.com'], oauth: { callback_url: 'https://example.com/cb' } }, /^oauth/],
      [{ name: 'No callback', domains: ['example.com'], oauth: { scopes: ['account_access'] } }, /^oauth/],
      [{ name: 'Bad callback', domains: ['example.com'], oauth: { callback_url: 'not a url', scopes: ['account_access'] } }, /^oauth/],
      [{ name: 'Bad event callback', domains: ['example.com'], callback_url: 'nope' }, /^callback_url/],
      [{ name: 'Callback fragment', domains: ['example.com'], oauth: { callback_url: 'https://example.com/cb#frag', scopes: ['account_access'] } }, /^oauth/],
      [{ name: 'Callback port', domains: ['example.com'], oauth: { callback_url: 'https://example.com:99999/cb', scopes: ['account_access'] } }, /^oauth/],
      [{ name: 'Callback backslash', domains: ['example.com'], oauth: { callback_url: 'https://example.com/cb\\@evil.com', scopes: ['account_access'] } }, /^oauth/],
      [{ name: 'Callback markup', domains: ['example.com'], oauth: { callback_url: 'https://example.com/"><script>', scopes: ['account_access'] } }, /^oauth/],
      [{ name: 'NUL\u0000here', domains: ['example.com'] }, /^name/],
      [{ name: 'Reversed\u202etxt.exe', domains: ['example.com'] }, /^name/],
      [{ name: 'Colour', domains: ['example.com'], white_labeling_options: { primary_button_color: 'not-a-colour' } }, /^white_labeling_options\[primary_button_color\]/],
      [{ name: 'Terms', domains: ['example.com'], white_labeling_options: { legal_version: 'bogus' } }, /^white_labeling_options\[legal_version\]/],
      [{ name: 'Unknown option', domains: ['example.com'], white_labeling_options: { font: 'Comic Sans' } }, /^white_labeling_options\[font\]/],
    ];
    for (const [json, path] of cases) {
      const res = await call(base, 'POST', '/v3/api_app', { apiKey: dave.api_key, json });
      assertError(res, 400, 'bad_request', path);
    }
    const list = expectJson(await call(base, 'GET', '/v3/api_app/list', { apiKey: dave.api_key }), 200);
    assert.equal(list.list_info.num_results, 0, 'no app was created by a failed request');
  });

  test('unknown request fields are ignored', async () => {
    const a = await createApp(alice.api_key, { name: 'Extra', domains: ['example.com'], is_qualified_signature: false, foo: { bar: 1 } });
    assert.equal(a.name, 'Extra');
  });

  test('multipart create with JSON-text fields (as the SDKs send it)', async () => {
    const form = new FormData();
    form.append('name', 'Multipart App');
    form.append('domains', JSON.stringify(['a.com', 'b.com']));
    form.append('callback_url', 'https://a.com/events');
    form.append('oauth', JSON.stringify({ callback_url: 'https://a.com/oauth', scopes: ['basic_account_info', 'request_signature'] }));
    form.append('options', JSON.stringify({ can_insert_everywhere: true }));
    const res = await call(base, 'POST', '/v3/api_app', { apiKey: alice.api_key, multipart: form });
    const a = expectJson(res, 201).api_app;
    assert.equal(a.name, 'Multipart App');
    assert.deepEqual(a.domains, ['a.com', 'b.com']);
    assert.equal(a.callback_url, 'https://a.com/events');
    assert.equal(a.oauth.callback_url, 'https://a.com/oauth');
    assert.deepEqual([...a.oauth.scopes].sort(), ['basic_account_info', 'request_signature']);
    assert.equal(a.options.can_insert_everywhere, true);

    // Multipart update; Python sends booleans as True/False.
    const upd = new FormData();
    upd.append('name', 'Multipart Renamed');
    upd.append('options', JSON.stringify({ can_insert_everywhere: false }));
    const u = expectJson(await call(base, 'PUT', `/v3/api_app/${a.client_id}`, { apiKey: alice.api_key, multipart: upd }), 200).api_app;
    assert.equal(u.name, 'Multipart Renamed');
    assert.equal(u.options.can_insert_everywhere, false);
    assert.deepEqual(u.domains, ['a.com', 'b.com']);
  });

  test('multipart create with a bad JSON-text field: 400 with error_path', async () => {
    const form = new FormData();
    form.append('name', 'Broken Multipart');
    form.append('domains', '["a.com"');
    const res = await call(base, 'POST', '/v3/api_app', { apiKey: alice.api_key, multipart: form });
    assertError(res, 400, 'bad_request', /^domains/);
  });

  test('no credentials: 401 on every operation', async () => {
    const a = await createApp(alice.api_key, { name: 'Auth Check', domains: ['example.com'] });
    assertError(await call(base, 'POST', '/v3/api_app', { json: { name: 'x', domains: ['example.com'] } }), 401, 'unauthorized');
    assertError(await call(base, 'GET', `/v3/api_app/${a.client_id}`), 401, 'unauthorized');
    assertError(await call(base, 'GET', '/v3/api_app/list'), 401, 'unauthorized');
    assertError(await call(base, 'PUT', `/v3/api_app/${a.client_id}`, { json: { name: 'x' } }), 401, 'unauthorized');
    assertError(await call(base, 'DELETE', `/v3/api_app/${a.client_id}`), 401, 'unauthorized');
    // Still there.
    expectJson(await call(base, 'GET', `/v3/api_app/${a.client_id}`, { apiKey: alice.api_key }), 200);
  });
});

describe('routing', () => {
  test('unknown /v3 path: 404 not_found in the error shape', async () => {
    assertError(await call(base, 'GET', '/v3/no_such_thing', { apiKey: alice.api_key }), 404, 'not_found');
  });
});
