// Who sees which signature request, and /signature_request/list, over real HTTP
// (docs/signature-requests.md "Visibility and scopes" and "list"; CONTRACT.md §1, §2.3):
// scopes (403 forbidden), an app's token sees only what that app created for the user (404 for
// the rest), the API key sees the account's own and received requests, client_id rules, paging
// and list_info, the query syntax as axios encodes it, and canceled requests leaving the list.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, uniqueEmail } from './lib/server.mjs';
import { call, assertError, expectJson } from './lib/http.mjs';
import {
  createApp, loggedIn, obtainTokens, WebSession, findForm, confirmEmail, confirmationLinkFromOutbox,
  submitSignUp,
} from './lib/web.mjs';
import { makePdf } from './lib/pdf.mjs';
import { startFileServer } from './lib/fileserver.mjs';
import {
  send, sendOk, sdkForm, twoSigners, quickSend, getRequest, listRequests, downloadFiles,
  assertSignatureRequestShape,
} from './lib/sr.mjs';

let server;
let base;
let owner; // owns the apps
let user; // authorizes them and sends
let stranger; // another account
const apps = {}; // name -> { clientId, secret, token }

async function authorizedApp(name, scopes) {
  const app = await createApp(base, owner.api_key, { name: `SR ${name}`, scopes });
  await server.approveApp(app.clientId);
  const session = await loggedIn(base, user);
  const tokens = await obtainTokens(base, session, app);
  apps[name] = { ...app, token: tokens.access_token };
}

before(async () => {
  server = await startServer();
  base = server.url;
  owner = await server.createAccount();
  user = await server.createAccount();
  stranger = await server.createAccount();
  await authorizedApp('full', ['signature_request_access']);
  await authorizedApp('other', ['signature_request_access']);
  await authorizedApp('basic', ['basic_account_info']);
  await authorizedApp('limited', ['request_signature']);
});

after(async () => {
  if (server) await server.stop();
});

const KEY = () => ({ apiKey: user.api_key });
const TOK = (name) => ({ token: apps[name].token });
const ids = (list) => list.signature_requests.map((r) => r.signature_request_id);
const form1 = (fields = {}) => sdkForm({ signers: twoSigners(), ...fields }, [{ name: 'doc.pdf', data: makePdf() }]);

describe('scopes', () => {
  test('a token with only basic_account_info: send, list and get -> 403 forbidden', async () => {
    assertError(await send(base, TOK('basic'), { multipart: form1() }), 403, 'forbidden');
    assertError(await listRequests(base, TOK('basic')), 403, 'forbidden');
    const mine = await quickSend(base, KEY(), { title: 'for scope check' });
    assertError(await getRequest(base, TOK('basic'), mine.signature_request_id), 403, 'forbidden');
  });

  test('request_signature: send, get, list, files, remind and cancel work; update -> 403 forbidden', async () => {
    const sr = await sendOk(base, TOK('limited'), { multipart: form1({ title: 'limited scope' }) });
    assertSignatureRequestShape(sr, { base });
    const id = sr.signature_request_id;
    expectJson(await getRequest(base, TOK('limited'), id), 200);
    assert.ok(ids(expectJson(await listRequests(base, TOK('limited')), 200)).includes(id));
    assert.equal((await downloadFiles(base, TOK('limited'), id)).status, 200);
    expectJson(await call(base, 'POST', `/v3/signature_request/remind/${id}`, {
      ...TOK('limited'), json: { email_address: sr.signatures[0].signer_email_address },
    }), 200);
    const upd = await call(base, 'POST', `/v3/signature_request/update/${id}`, {
      ...TOK('limited'), json: { signature_id: sr.signatures[0].signature_id, name: 'New Name' },
    });
    assertError(upd, 403, 'forbidden');
    const cancel = await call(base, 'POST', `/v3/signature_request/cancel/${id}`, TOK('limited'));
    assert.equal(cancel.status, 200, `cancel: ${cancel.status} ${cancel.text}`);
  });

  test('signature_request_access allows update', async () => {
    const sr = await sendOk(base, TOK('full'), { multipart: form1() });
    const res = await call(base, 'POST', `/v3/signature_request/update/${sr.signature_request_id}`, {
      ...TOK('full'), json: { signature_id: sr.signatures[1].signature_id, name: 'Renamed Signer' },
    });
    assert.equal(expectJson(res, 200).signature_request.signatures[1].signer_name, 'Renamed Signer');
  });
});

describe('visibility', () => {
  let viaApp; // sent by `user` through app "full"
  let direct; // sent by `user` with the API key
  before(async () => {
    viaApp = await quickSend(base, TOK('full'), { title: 'Visibility via app' });
    direct = await quickSend(base, KEY(), { title: 'Visibility direct' });
  });

  test("the creating app's token sees its request", async () => {
    const got = expectJson(await getRequest(base, TOK('full'), viaApp.signature_request_id), 200);
    assert.equal(got.signature_request.title, 'Visibility via app');
    assert.equal(got.signature_request.requester_email_address, user.email_address);
  });

  test("another app's token, even for the same user -> 404 not_found (get, files, cancel, remind, update)", async () => {
    const id = viaApp.signature_request_id;
    assertError(await getRequest(base, TOK('other'), id), 404, 'not_found');
    const files = await downloadFiles(base, TOK('other'), id);
    assert.equal(files.status, 404);
    assertError(await call(base, 'GET', `/v3/signature_request/files_as_data_uri/${id}`, TOK('other')), 404, 'not_found');
    assertError(await call(base, 'GET', `/v3/signature_request/files_as_file_url/${id}`, TOK('other')), 404, 'not_found');
    assertError(await call(base, 'POST', `/v3/signature_request/remind/${id}`, {
      ...TOK('other'), json: { email_address: viaApp.signatures[0].signer_email_address },
    }), 404, 'not_found');
    assertError(await call(base, 'POST', `/v3/signature_request/update/${id}`, {
      ...TOK('other'), json: { signature_id: viaApp.signatures[0].signature_id, name: 'X' },
    }), 404, 'not_found');
    assertError(await call(base, 'POST', `/v3/signature_request/cancel/${id}`, TOK('other')), 404, 'not_found');
    // Still there for its owner.
    expectJson(await getRequest(base, TOK('full'), id), 200);
    assert.ok(!ids(expectJson(await listRequests(base, TOK('other'), 'page_size=100'), 200)).includes(id));
  });

  test("the user's direct request is invisible to the app's token but visible with the API key", async () => {
    assertError(await getRequest(base, TOK('full'), direct.signature_request_id), 404, 'not_found');
    const appList = ids(expectJson(await listRequests(base, TOK('full'), 'page_size=100'), 200));
    assert.ok(!appList.includes(direct.signature_request_id), 'not in the app list');
    assert.ok(appList.includes(viaApp.signature_request_id), 'the app list has its own');
    const appAll = ids(expectJson(await listRequests(base, TOK('full'), `page_size=100&account_id=all`), 200));
    assert.ok(!appAll.includes(direct.signature_request_id), 'account_id=all does not widen an app token');
    const appOwn = ids(expectJson(await listRequests(base, TOK('full'), `page_size=100&account_id=${user.account_id}`), 200));
    assert.ok(!appOwn.includes(direct.signature_request_id), 'nor does the user\'s own account_id');
    expectJson(await getRequest(base, KEY(), direct.signature_request_id), 200);
    expectJson(await getRequest(base, KEY(), viaApp.signature_request_id), 200);
    const keyList = ids(expectJson(await listRequests(base, KEY(), 'page_size=100'), 200));
    assert.ok(keyList.includes(direct.signature_request_id));
    assert.ok(keyList.includes(viaApp.signature_request_id));
  });

  test("another account's API key -> 404 not_found; an unknown id -> 404", async () => {
    assertError(await getRequest(base, { apiKey: stranger.api_key }, direct.signature_request_id), 404, 'not_found');
    assertError(await getRequest(base, KEY(), '0123456789abcdef0123456789abcdef01234567'), 404, 'not_found');
    assertError(await getRequest(base, KEY(), 'not-an-id'), 404, 'not_found');
    assert.ok(!ids(expectJson(await listRequests(base, { apiKey: stranger.api_key }), 200)).includes(direct.signature_request_id));
  });

  test('a signer who has an account sees the request with their API key (get and list)', async () => {
    const signerAcct = await server.createAccount();
    const sr = await quickSend(base, KEY(), {
      title: 'Received by an account',
      signers: [{ name: 'Has Account', email_address: signerAcct.email_address }],
    });
    const got = expectJson(await getRequest(base, { apiKey: signerAcct.api_key }, sr.signature_request_id), 200);
    assert.equal(got.signature_request.requester_email_address, user.email_address);
    const list = expectJson(await listRequests(base, { apiKey: signerAcct.api_key }), 200);
    assert.deepEqual(ids(list), [sr.signature_request_id]);
    assert.equal(list.list_info.num_results, 1);
  });

  test('a signer with an account may read but not cancel, update or remind (403 or 404)', async () => {
    const signerAcct = await server.createAccount();
    const sr = await quickSend(base, KEY(), {
      title: 'Read only for the signer',
      signers: [{ name: 'Reader', email_address: signerAcct.email_address }, { name: 'Other', email_address: uniqueEmail('other') }],
    });
    const S = { apiKey: signerAcct.api_key };
    const id = sr.signature_request_id;
    expectJson(await getRequest(base, S, id), 200);
    assert.equal((await downloadFiles(base, S, id)).status, 200);
    const refused = (res, what) => assert.ok([403, 404].includes(res.status), `${what}: ${res.status} ${res.text}`);
    refused(await call(base, 'POST', `/v3/signature_request/update/${id}`, {
      ...S, json: { signature_id: sr.signatures[1].signature_id, email_address: uniqueEmail('hijack') },
    }), 'update');
    refused(await call(base, 'POST', `/v3/signature_request/remind/${id}`, {
      ...S, json: { email_address: sr.signatures[1].signer_email_address },
    }), 'remind');
    refused(await call(base, 'POST', `/v3/signature_request/cancel/${id}`, S), 'cancel');
    const still = expectJson(await getRequest(base, KEY(), id), 200).signature_request;
    assert.deepEqual(still.signatures.map((x) => x.signature_id), sr.signatures.map((x) => x.signature_id));
  });

  test('a signer who signs up after the send sees the request in neither get nor list (docs/signature-requests.md)', async () => {
    const email = uniqueEmail('late-signup');
    const sr = await quickSend(base, KEY(), { title: 'Before sign-up', signers: [{ name: 'Late', email_address: email }] });
    const acct = await server.createAccount({ email });
    expectJson(await getRequest(base, { apiKey: acct.api_key }, sr.signature_request_id), 404);
    const list = expectJson(await listRequests(base, { apiKey: acct.api_key }), 200);
    assert.deepEqual(ids(list), [], 'get and list agree');
  });

  test('an unconfirmed sign-up claiming an address sees none of the requests sent to it (get, list, files) until it confirms', async () => {
    const email = uniqueEmail('claimed');
    const password = 'Pw-' + Math.random().toString(36).slice(2) + '-x9';
    const session = new WebSession(base);
    assert.equal((await submitSignUp(session, { email, password })).status, 200);
    await session.login(email, password); // unconfirmed accounts may log in
    const confirmLink = await confirmationLinkFromOutbox(server.dataDir, email); // before the signing mail arrives
    const settings = await session.get('/settings');
    const rotated = await session.post('/settings/api_key', findForm(settings.text, 'csrf_token').fields);
    const claimer = { apiKey: /<code id="api-key"[^>]*>([^<]+)</.exec(rotated.text)[1] };
    const sr = await quickSend(base, KEY(), { title: 'For the real owner', signers: [{ name: 'Owner', email_address: email }] });
    const id = sr.signature_request_id;
    assertError(await getRequest(base, claimer, id), 404, 'not_found');
    const list = expectJson(await listRequests(base, claimer), 200);
    assert.deepEqual(ids(list), []);
    assert.equal(list.list_info.num_results, 0);
    assertError(await downloadFiles(base, claimer, id), 404, 'not_found');
    assertError(await call(base, 'GET', `/v3/signature_request/files_as_data_uri/${id}`, claimer), 404, 'not_found');
    assertError(await call(base, 'GET', `/v3/signature_request/files_as_file_url/${id}`, claimer), 404, 'not_found');
    // Once the address is proven, the request it received is there.
    await confirmEmail(session, confirmLink);
    expectJson(await getRequest(base, claimer, id), 200);
    assert.deepEqual(ids(expectJson(await listRequests(base, claimer), 200)), [id]);
  });

  test('update: the new signer (with an account) gains the request in get and list; the replaced one loses it in both', async () => {
    const before = await server.createAccount();
    const after = await server.createAccount();
    const sr = await quickSend(base, KEY(), { title: 'Signer swap', signers: [{ name: 'Before', email_address: before.email_address }] });
    assert.deepEqual(ids(expectJson(await listRequests(base, { apiKey: before.api_key }), 200)), [sr.signature_request_id]);
    expectJson(await call(base, 'POST', `/v3/signature_request/update/${sr.signature_request_id}`, {
      ...KEY(), json: { signature_id: sr.signatures[0].signature_id, email_address: after.email_address },
    }), 200);
    const problems = [];
    const gNew = await getRequest(base, { apiKey: after.api_key }, sr.signature_request_id);
    const lNew = ids(expectJson(await listRequests(base, { apiKey: after.api_key }), 200));
    if (gNew.status !== 200) problems.push(`new signer GET: ${gNew.status}`);
    if (!lNew.includes(sr.signature_request_id)) problems.push('new signer list: missing');
    const gOld = await getRequest(base, { apiKey: before.api_key }, sr.signature_request_id);
    const lOld = expectJson(await listRequests(base, { apiKey: before.api_key }), 200);
    if (gOld.status !== 404) problems.push(`replaced signer GET: ${gOld.status}`);
    if (ids(lOld).includes(sr.signature_request_id) || lOld.list_info.num_results !== 0) {
      problems.push(`replaced signer list: still listed (num_results ${lOld.list_info.num_results})`);
    }
    assert.deepEqual(problems, []);
  });

  test('a request the user received (as a signer) is invisible to the app token', async () => {
    const received = await quickSend(base, { apiKey: stranger.api_key }, {
      title: 'Sent to the user', signers: [{ name: 'The User', email_address: user.email_address }],
    });
    expectJson(await getRequest(base, KEY(), received.signature_request_id), 200);
    assert.ok(ids(expectJson(await listRequests(base, KEY(), 'page_size=100'), 200)).includes(received.signature_request_id));
    assertError(await getRequest(base, TOK('full'), received.signature_request_id), 404, 'not_found');
    assert.ok(!ids(expectJson(await listRequests(base, TOK('full'), 'page_size=100'), 200)).includes(received.signature_request_id));
  });

  test("the same app's token for another user -> 404 not_found", async () => {
    const other = await server.createAccount();
    const session = await loggedIn(base, other);
    const t = (await obtainTokens(base, session, apps.full)).access_token;
    assertError(await getRequest(base, { token: t }, viaApp.signature_request_id), 404, 'not_found');
    assert.deepEqual(ids(expectJson(await listRequests(base, { token: t }), 200)), []);
  });

  test('no credentials -> 401 on get and list', async () => {
    assertError(await getRequest(base, undefined, direct.signature_request_id), 401, 'unauthorized');
    assertError(await listRequests(base, undefined), 401, 'unauthorized');
  });
});

describe('client_id', () => {
  test('with a Bearer token: absent or the token\'s app is fine; another app -> 400 client_id', async () => {
    await sendOk(base, TOK('full'), { multipart: form1({ client_id: apps.full.clientId }) });
    assertError(await send(base, TOK('full'), { multipart: form1({ client_id: apps.other.clientId }) }), 400, 'bad_request', 'client_id');
  });

  test('with the API key: an app the caller owns is fine; someone else\'s or an unknown one -> 400 client_id', async () => {
    await sendOk(base, { apiKey: owner.api_key }, { multipart: form1({ client_id: apps.full.clientId }) });
    assertError(await send(base, KEY(), { multipart: form1({ client_id: apps.full.clientId }) }), 400, 'bad_request', 'client_id');
    assertError(await send(base, KEY(), { multipart: form1({ client_id: 'ffffffffffffffffffffffffffffffff' }) }), 400, 'bad_request', 'client_id');
  });
});

describe('list', () => {
  let lister; // a fresh account with known requests
  const L = () => ({ apiKey: lister.api_key });
  const sent = {}; // name -> signature_request
  let leeEmail;
  let xiaEmail;

  before(async () => {
    lister = await server.createAccount();
    for (let i = 1; i <= 5; i += 1) {
      sent[`p${i}`] = await quickSend(base, L(), { title: `Paging ${i}` });
    }
    leeEmail = uniqueEmail('lee').replace('@', '+tag@');
    xiaEmail = uniqueEmail('xia');
    sent.q1 = await quickSend(base, L(), {
      title: 'Quarterly report alpha', subject: 'Budget', message: 'Please review',
      signers: [{ name: 'Zed Zulu', email_address: leeEmail }],
    });
    sent.q2 = await quickSend(base, L(), {
      title: 'Annual plan beta', message: 'Numbers inside',
      signers: [{ name: 'Yan Young', email_address: uniqueEmail('yan') }],
    });
    sent.q3 = await quickSend(base, L(), {
      title: 'Quarterly summary gamma',
      signers: [{ name: 'Xia Xu', email_address: xiaEmail }],
    });
  });

  test('defaults: page 1, page_size 20, newest first, every field of the §6.4 object', async () => {
    const list = expectJson(await listRequests(base, L()), 200);
    assert.deepEqual(Object.keys(list).filter((k) => k !== 'warnings').sort(), ['list_info', 'signature_requests']);
    assert.deepEqual(list.list_info, { page: 1, num_pages: 1, num_results: 8, page_size: 20 });
    assert.equal(list.signature_requests.length, 8);
    for (const sr of list.signature_requests) assertSignatureRequestShape(sr, { base });
    const times = list.signature_requests.map((r) => r.created_at);
    assert.deepEqual(times, [...times].sort((a, b) => b - a), 'newest first');
    assert.deepEqual(new Set(ids(list)), new Set(Object.values(sent).map((r) => r.signature_request_id)));
  });

  test('list_info is right on every page (page_size 3 over 8 requests)', async () => {
    const seen = [];
    for (let page = 1; page <= 3; page += 1) {
      const list = expectJson(await listRequests(base, L(), `page=${page}&page_size=3`), 200);
      assert.deepEqual(list.list_info, { page, num_pages: 3, num_results: 8, page_size: 3 }, `page ${page}`);
      assert.equal(list.signature_requests.length, page < 3 ? 3 : 2, `items on page ${page}`);
      seen.push(...ids(list));
    }
    assert.equal(new Set(seen).size, 8, 'no request twice, none missing');
    const all = ids(expectJson(await listRequests(base, L(), 'page_size=100'), 200));
    assert.deepEqual(seen, all, 'pages follow the same order as one big page');
  });

  test('a page far past the end is empty however large its number (no page wraps around to the first)', async () => {
    for (const [page, size] of [[21474838, 100], [2147483647, 20], [9, 1]]) {
      const list = expectJson(await listRequests(base, L(), `page=${page}&page_size=${size}`), 200);
      assert.deepEqual(list.signature_requests, [], `page ${page} of ${size}`);
      assert.equal(list.list_info.page, page);
      assert.equal(list.list_info.num_results, 8);
    }
  });

  test('page_size 0 and 101 -> 400 page_size; page 0 -> 400; 1 and 100 are fine', async () => {
    assertError(await listRequests(base, L(), 'page_size=0'), 400, 'bad_request', 'page_size');
    assertError(await listRequests(base, L(), 'page_size=101'), 400, 'bad_request', 'page_size');
    assertError(await listRequests(base, L(), 'page_size=abc'), 400, 'bad_request', 'page_size');
    assertError(await listRequests(base, L(), 'page=0'), 400, 'bad_request');
    assert.equal(expectJson(await listRequests(base, L(), 'page_size=1'), 200).signature_requests.length, 1);
    assert.equal(expectJson(await listRequests(base, L(), 'page_size=100'), 200).list_info.page_size, 100);
  });

  test('account_id: absent, the caller\'s own id or "all" are fine; another id -> 400', async () => {
    const own = expectJson(await listRequests(base, L(), `account_id=${lister.account_id}`), 200);
    assert.equal(own.list_info.num_results, 8);
    assert.equal(expectJson(await listRequests(base, L(), 'account_id=all'), 200).list_info.num_results, 8);
    assertError(await listRequests(base, L(), `account_id=${stranger.account_id}`), 400, 'bad_request');
  });

  const titles = (list) => list.signature_requests.map((r) => r.title).sort();
  const q = (raw) => listRequests(base, L(), `query=${raw}&page_size=100`);

  test('query title: (axios sends spaces as +)', async () => {
    const list = expectJson(await q('title:Quarterly'), 200);
    assert.deepEqual(titles(list), ['Quarterly report alpha', 'Quarterly summary gamma']);
    assert.equal(list.list_info.num_results, 2);
    assert.deepEqual(titles(expectJson(await q('title:Quarterly+alpha'), 200)), ['Quarterly report alpha']);
    assert.deepEqual(titles(expectJson(await q('title:Nothing+Matches+This'), 200)), []);
  });

  test('query to: (an email with + and @ percent-encoded, as axios does)', async () => {
    const enc = encodeURIComponent(leeEmail); // "+" -> %2B, "@" -> %40
    assert.match(enc, /%2B.*%40/);
    assert.deepEqual(titles(expectJson(await q(`to:${enc}`), 200)), ['Quarterly report alpha']);
    assert.deepEqual(titles(expectJson(await q(`title:Quarterly+AND+to:${encodeURIComponent(xiaEmail)}`), 200)),
      ['Quarterly summary gamma']);
    assert.deepEqual(titles(expectJson(await q(`to:${encodeURIComponent(uniqueEmail('nobody'))}`), 200)), []);
  });

  test('query from: (the requester)', async () => {
    assert.equal(expectJson(await q(`from:${encodeURIComponent(lister.email_address)}`), 200).list_info.num_results, 8);
    assert.equal(expectJson(await q(`from:${encodeURIComponent(stranger.email_address)}`), 200).list_info.num_results, 0);
  });

  test('query free words: in the subject, the message or a signer name', async () => {
    assert.deepEqual(titles(expectJson(await q('Budget'), 200)), ['Quarterly report alpha']);
    assert.deepEqual(titles(expectJson(await q('Numbers'), 200)), ['Annual plan beta']);
    assert.deepEqual(titles(expectJson(await q('Young'), 200)), ['Annual plan beta']);
    assert.deepEqual(titles(expectJson(await q('Numbers+Young'), 200)), ['Annual plan beta'], 'every word must match');
    assert.deepEqual(titles(expectJson(await q('Numbers+Budget'), 200)), []);
  });

  test('query words are literal: % and _ match nothing', async () => {
    assert.equal(expectJson(await q('%25'), 200).list_info.num_results, 0);
    assert.equal(expectJson(await q('_'), 200).list_info.num_results, 0);
    assert.equal(expectJson(await q('title:%25'), 200).list_info.num_results, 0);
  });

  test('a query with paging: list_info counts the matches', async () => {
    const list = expectJson(await listRequests(base, L(), 'query=title:Paging&page_size=2&page=2'), 200);
    assert.deepEqual(list.list_info, { page: 2, num_pages: 3, num_results: 5, page_size: 2 });
    assert.equal(list.signature_requests.length, 2);
    assert.ok(list.signature_requests.every((r) => r.title.startsWith('Paging ')));
  });

  test('a canceled request leaves the list and its counts (runs last)', async () => {
    const res = await call(base, 'POST', `/v3/signature_request/cancel/${sent.q3.signature_request_id}`, L());
    assert.equal(res.status, 200, `cancel: ${res.status} ${res.text}`);
    assert.deepEqual(titles(expectJson(await q('title:Quarterly'), 200)), ['Quarterly report alpha']);
    const all = expectJson(await listRequests(base, L()), 200);
    assert.equal(all.list_info.num_results, 7);
    assert.ok(!ids(all).includes(sent.q3.signature_request_id));
  });
});

describe('file_urls without --allow-private-file-urls (this server)', () => {
  test('loopback, private, link-local and unspecified addresses are refused -> 400 file_urls[0], never fetched', async () => {
    const files = await startFileServer();
    try {
      const local = files.serve('/doc.pdf', makePdf());
      const port = new URL(local).port;
      const urls = [local, `http://localhost:${port}/doc.pdf`, `http://[::1]:${port}/doc.pdf`,
        `http://2130706433:${port}/doc.pdf`, 'http://10.1.2.3/doc.pdf', 'http://192.168.0.1/doc.pdf',
        'http://169.254.169.254/latest/meta-data/', 'http://0.0.0.0/doc.pdf'];
      for (const url of urls) {
        const res = await send(base, KEY(), { json: { signers: twoSigners(), file_urls: [url] } });
        assertError(res, 400, 'bad_request', 'file_urls[0]');
      }
      assert.equal(files.hits('/doc.pdf'), 0, 'the local server was never contacted');
    } finally {
      await files.close();
    }
  });
});
