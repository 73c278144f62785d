// Operations on a sent signature request over real HTTP (docs/signature-requests.md "Other
// operations"; CONTRACT.md §6.1, §8): cancel (200 empty, then 410), remind (200, 409 within an
// hour, 400 for an unknown signer or one whose turn has not come), update (a new email gives a
// new signature_id and mails the new signer), and the downloads: files as pdf or zip,
// files_as_data_uri and files_as_file_url (signed, credential-free, tamper-proof).

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, uniqueEmail } from './lib/server.mjs';
import { call, assertError, expectJson } from './lib/http.mjs';
import { makePdf, pageCount, sha256 } from './lib/pdf.mjs';
import { readZip } from './lib/zip.mjs';
import { waitForMailTo, mailsTo } from './lib/outbox.mjs';
import {
  sendOk, sdkForm, twoSigners, getRequest, listRequests, downloadFiles, getBinary,
  assertSignatureRequestShape,
} from './lib/sr.mjs';

let server;
let base;
let alice;
let bob; // another account

before(async () => {
  server = await startServer();
  base = server.url;
  alice = await server.createAccount();
  bob = await server.createAccount();
});

after(async () => {
  if (server) await server.stop();
});

const A = () => ({ apiKey: alice.api_key });
const now = () => Math.floor(Date.now() / 1000);

async function sendTwo({ ordered = false, files } = {}) {
  const signers = twoSigners({ ordered });
  const docs = files || [{ name: 'doc.pdf', data: makePdf() }];
  const sr = await sendOk(base, A(), { multipart: sdkForm({ signers, title: 'Ops test' }, docs) });
  return { sr, signers, id: sr.signature_request_id };
}

function post(path, opts = {}) {
  return call(base, 'POST', path, { ...A(), ...opts });
}

describe('cancel', () => {
  test('200 with an empty body (content-type: application/json, no body, as Node sends); then 410 everywhere', async () => {
    const { id, sr } = await sendTwo();
    const res = await post(`/v3/signature_request/cancel/${id}`, { headers: { 'content-type': 'application/json' } });
    assert.equal(res.status, 200, `cancel: HTTP ${res.status} ${res.text}`);
    assert.equal(res.text, '', 'empty body');

    assertError(await post(`/v3/signature_request/cancel/${id}`), 410, 'deleted');
    assertError(await getRequest(base, A(), id), 410, 'deleted');
    const files = await downloadFiles(base, A(), id);
    assert.equal(files.status, 410, `files after cancel: ${files.status}`);
    const list = expectJson(await listRequests(base, A(), 'page_size=100'), 200);
    assert.ok(!list.signature_requests.some((r) => r.signature_request_id === id), 'not listed');
    assertError(await post(`/v3/signature_request/update/${id}`, {
      json: { signature_id: sr.signatures[0].signature_id, name: 'Too late' },
    }), 410, 'deleted');
  });

  test('six cancels at once: exactly one 200, the others 410', async () => {
    const { id } = await sendTwo();
    const res = await Promise.all(Array.from({ length: 6 }, () => post(`/v3/signature_request/cancel/${id}`)));
    const codes = res.map((r) => r.status).sort();
    assert.deepEqual(codes, [200, 410, 410, 410, 410, 410]);
  });

  test('an unknown id -> 404; another account\'s request -> 404', async () => {
    assertError(await post('/v3/signature_request/cancel/0123456789abcdef0123456789abcdef01234567'), 404, 'not_found');
    const { id } = await sendTwo();
    assertError(await call(base, 'POST', `/v3/signature_request/cancel/${id}`, { apiKey: bob.api_key }), 404, 'not_found');
    expectJson(await getRequest(base, A(), id), 200);
  });
});

describe('remind', () => {
  test('200 with the request; the signer gets a reminder; again within the hour -> 409 conflict', async () => {
    const { id, signers } = await sendTwo();
    const jack = signers[0].email_address;
    await waitForMailTo(server.dataDir, jack); // the first email
    const res = await post(`/v3/signature_request/remind/${id}`, { json: { email_address: jack } });
    const sr = expectJson(res, 200).signature_request;
    assertSignatureRequestShape(sr, { base });
    assert.equal(sr.signature_request_id, id);
    const reminded = sr.signatures.find((s) => s.signer_email_address === jack);
    assert.ok(Number.isInteger(reminded.last_reminded_at), `last_reminded_at is set: ${reminded.last_reminded_at}`);
    assert.ok(Math.abs(reminded.last_reminded_at - now()) < 120);
    assert.equal(sr.signatures.find((s) => s.signer_email_address !== jack).last_reminded_at, null);
    const mails = await waitForMailTo(server.dataDir, jack, { count: 2 });
    assert.ok(mails.every((m) => m.links.length >= 1), 'the reminder carries the signing link too');

    assertError(await post(`/v3/signature_request/remind/${id}`, { json: { email_address: jack } }), 409, 'conflict');
    // The other signer can still be reminded.
    expectJson(await post(`/v3/signature_request/remind/${id}`, { json: { email_address: signers[1].email_address } }), 200);
    // GET shows the reminder.
    const got = expectJson(await getRequest(base, A(), id), 200).signature_request;
    assert.equal(got.signatures[0].last_reminded_at, reminded.last_reminded_at);
  });

  test('six reminders at once to one signer: exactly one 200, the others 409', async () => {
    const { id, signers } = await sendTwo();
    const res = await Promise.all(Array.from({ length: 6 }, () =>
      post(`/v3/signature_request/remind/${id}`, { json: { email_address: signers[1].email_address } })));
    assert.deepEqual(res.map((r) => r.status).sort(), [200, 409, 409, 409, 409, 409]);
    await waitForMailTo(server.dataDir, signers[1].email_address, { count: 2 });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await mailsTo(server.dataDir, signers[1].email_address)).length, 2, 'the invitation and one reminder');
  });

  test('an email that is not a signer, or no email -> 400 email_address', async () => {
    const { id } = await sendTwo();
    assertError(await post(`/v3/signature_request/remind/${id}`, { json: { email_address: uniqueEmail('stranger') } }),
      400, 'bad_request', 'email_address');
    assertError(await post(`/v3/signature_request/remind/${id}`, { json: {} }), 400, 'bad_request', 'email_address');
    assertError(await post(`/v3/signature_request/remind/${id}`, { json: { email_address: 'not-an-email' } }),
      400, 'bad_request', 'email_address');
  });

  test('a signer whose turn has not come -> 400 email_address', async () => {
    const { id, signers } = await sendTwo({ ordered: true });
    assertError(await post(`/v3/signature_request/remind/${id}`, { json: { email_address: signers[1].email_address } }),
      400, 'bad_request', 'email_address');
    expectJson(await post(`/v3/signature_request/remind/${id}`, { json: { email_address: signers[0].email_address } }), 200);
  });

  test('an unknown request -> 404', async () => {
    assertError(await post('/v3/signature_request/remind/0123456789abcdef0123456789abcdef01234567', {
      json: { email_address: uniqueEmail() },
    }), 404, 'not_found');
  });
});

describe('update', () => {
  test('a new email gives the signature a new signature_id and mails the new signer', async () => {
    const { id, sr } = await sendTwo();
    const old = sr.signatures[0];
    const newEmail = uniqueEmail('replacement');
    const res = await post(`/v3/signature_request/update/${id}`, { json: { signature_id: old.signature_id, email_address: newEmail } });
    const upd = expectJson(res, 200).signature_request;
    assertSignatureRequestShape(upd, { base });
    const s0 = upd.signatures[0];
    assert.notEqual(s0.signature_id, old.signature_id, 'a new signature_id');
    assert.equal(s0.signer_email_address, newEmail);
    assert.equal(s0.signer_name, old.signer_name, 'the name is kept');
    assert.equal(upd.signatures[1].signature_id, sr.signatures[1].signature_id, 'the other signer is untouched');
    assert.deepEqual(expectJson(await getRequest(base, A(), id), 200).signature_request.signatures, upd.signatures);

    const [mail] = await waitForMailTo(server.dataDir, newEmail);
    assert.ok(mail.links.some((l) => l.signatureId === s0.signature_id), `link to the new signature in ${JSON.stringify(mail.links)}`);

    // The old signature_id is gone.
    const again = await post(`/v3/signature_request/update/${id}`, { json: { signature_id: old.signature_id, name: 'Ghost' } });
    assert.ok([400, 404].includes(again.status), `update with a replaced signature_id: ${again.status} ${again.text}`);
    assertError(again, again.status);
  });

  test('a new name keeps the signature_id; expires_at is set', async () => {
    const { id, sr } = await sendTwo();
    const sig = sr.signatures[1];
    const upd = expectJson(await post(`/v3/signature_request/update/${id}`, {
      json: { signature_id: sig.signature_id, name: 'Jill Renamed' },
    }), 200).signature_request;
    assert.equal(upd.signatures[1].signature_id, sig.signature_id);
    assert.equal(upd.signatures[1].signer_name, 'Jill Renamed');
    assert.equal(upd.signatures[1].signer_email_address, sig.signer_email_address);

    const exp = now() + 10 * 86400;
    const upd2 = expectJson(await post(`/v3/signature_request/update/${id}`, {
      json: { signature_id: sig.signature_id, expires_at: exp },
    }), 200).signature_request;
    assert.ok(upd2.expires_at <= exp && upd2.expires_at > exp - 3600, `expires_at ${upd2.expires_at} vs ${exp}`);
  });

  test('nothing to change, a bad email, an unknown signature -> 4xx', async () => {
    const { id, sr } = await sendTwo();
    const sigId = sr.signatures[0].signature_id;
    assertError(await post(`/v3/signature_request/update/${id}`, { json: { signature_id: sigId } }), 400, 'bad_request');
    assertError(await post(`/v3/signature_request/update/${id}`, { json: { signature_id: sigId, email_address: 'bad@' } }),
      400, 'bad_request', 'email_address');
    assertError(await post(`/v3/signature_request/update/${id}`, { json: { name: 'No id' } }), 400, 'bad_request');
    const unknown = await post(`/v3/signature_request/update/${id}`, { json: { signature_id: 'ffffffffffffffffffffffffffffffff', name: 'X' } });
    assert.ok([400, 404].includes(unknown.status), `unknown signature_id: ${unknown.status} ${unknown.text}`);
    assertError(unknown, unknown.status);
  });

  test('ordered: a new email for a later signer is not mailed until their turn', async () => {
    const { id, sr, signers } = await sendTwo({ ordered: true });
    await waitForMailTo(server.dataDir, signers[0].email_address);
    const newEmail = uniqueEmail('later-replacement');
    const upd = expectJson(await post(`/v3/signature_request/update/${id}`, {
      json: { signature_id: sr.signatures[1].signature_id, email_address: newEmail },
    }), 200).signature_request;
    assert.equal(upd.signatures[1].signer_email_address, newEmail);
    // A mail queued with the update would be written by now; meanwhile replace the first
    // signer too, whose mail must arrive (and bounds the wait).
    const first = uniqueEmail('first-replacement');
    expectJson(await post(`/v3/signature_request/update/${id}`, {
      json: { signature_id: sr.signatures[0].signature_id, email_address: first },
    }), 200);
    await waitForMailTo(server.dataDir, first);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(await mailsTo(server.dataDir, newEmail), [], 'not their turn yet');
  });
});

describe('files', () => {
  let req; // 1-page + 2-page request
  let a;
  let b;
  before(async () => {
    a = makePdf({ pages: 1, label: 'File A' });
    b = makePdf({ pages: 2, label: 'File B' });
    req = (await sendTwo({ files: [{ name: 'a.pdf', data: a }, { name: 'b.pdf', data: b }] })).sr;
  });

  test('pdf (default and file_type=pdf): one PDF of every page, as an attachment', async () => {
    for (const ft of [undefined, 'pdf']) {
      const res = await downloadFiles(base, A(), req.signature_request_id, ft);
      assert.equal(res.status, 200, `file_type=${ft}: HTTP ${res.status} ${res.text.slice(0, 200)}`);
      assert.match(res.headers.get('content-type') || '', /^application\/pdf/);
      assert.match(res.headers.get('content-disposition') || '', /^attachment/);
      assert.equal(res.body.subarray(0, 5).toString('latin1'), '%PDF-');
      assert.equal(await pageCount(res.body), 3, 'pages = 1 + 2');
    }
  });

  test('zip: one entry per file, byte for byte', async () => {
    const res = await downloadFiles(base, A(), req.signature_request_id, 'zip');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') || '', /^application\/zip/);
    assert.match(res.headers.get('content-disposition') || '', /^attachment/);
    assert.equal(res.body.subarray(0, 2).toString('latin1'), 'PK');
    const entries = readZip(res.body);
    assert.equal(entries.length, 2);
    assert.deepEqual(entries.map((e) => sha256(e.data)), [sha256(a), sha256(b)]);
    assert.equal(new Set(entries.map((e) => e.name)).size, 2, 'distinct entry names');
    for (const e of entries) assert.match(e.name, /\.pdf$/i);
  });

  test('uploaded file names cannot escape in the zip or the Content-Disposition header', async () => {
    const { id } = await sendTwo({ files: [{ name: '../../evil.pdf', data: makePdf() }, { name: '/abs/dir/x.pdf', data: makePdf() }] });
    const res = await downloadFiles(base, A(), id, 'zip');
    assert.equal(res.status, 200);
    for (const e of readZip(res.body)) {
      assert.ok(!e.name.includes('/') && !e.name.includes('\\') && !e.name.split(/[\\/]/).includes('..'), `safe entry name: ${e.name}`);
    }
    const cd = res.headers.get('content-disposition') || '';
    assert.ok(!/[\r\n]/.test(cd) && !cd.includes('/'), `safe Content-Disposition: ${cd}`);
  });

  test('a single-file request downloads as that PDF', async () => {
    const one = makePdf({ pages: 4 });
    const { id } = await sendTwo({ files: [{ name: 'one.pdf', data: one }] });
    const res = await downloadFiles(base, A(), id, 'pdf');
    assert.equal(res.status, 200);
    assert.equal(await pageCount(res.body), 4);
  });

  test('another file_type -> 400 file_type; unknown id -> 404; another account -> 404', async () => {
    const res = await downloadFiles(base, A(), req.signature_request_id, 'docx');
    assert.equal(res.status, 400);
    assert.equal(res.json?.error?.error_name, 'bad_request');
    assert.equal(res.json?.error?.error_path, 'file_type');
    assert.equal((await downloadFiles(base, A(), '0123456789abcdef0123456789abcdef01234567')).status, 404);
    assert.equal((await downloadFiles(base, { apiKey: bob.api_key }, req.signature_request_id)).status, 404);
    assert.equal((await downloadFiles(base, undefined, req.signature_request_id)).status, 401);
  });

  test('files_as_data_uri: data:application/pdf;base64,… of the merged PDF', async () => {
    const res = await call(base, 'GET', `/v3/signature_request/files_as_data_uri/${req.signature_request_id}`, A());
    const body = expectJson(res, 200);
    assert.equal(typeof body.data_uri, 'string');
    const prefix = 'data:application/pdf;base64,';
    assert.ok(body.data_uri.startsWith(prefix), `prefix of ${body.data_uri.slice(0, 60)}`);
    const pdf = Buffer.from(body.data_uri.slice(prefix.length), 'base64');
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.equal(await pageCount(pdf), 3);
  });

  test('files_as_file_url: a URL valid for an hour that needs no credentials; tampering -> 4xx', async () => {
    const id = req.signature_request_id;
    const res = await call(base, 'GET', `/v3/signature_request/files_as_file_url/${id}`, A());
    const body = expectJson(res, 200);
    assert.equal(typeof body.file_url, 'string');
    assert.ok(Number.isInteger(body.expires_at), `expires_at int: ${body.expires_at}`);
    assert.ok(Math.abs(body.expires_at - (now() + 3600)) < 120, `expires_at about an hour ahead: ${body.expires_at}`);
    const url = new URL(body.file_url);
    assert.equal(`${url.origin}${url.pathname}`, `${base}/files/${id}`);
    assert.ok(url.searchParams.get('expires'), 'expires in the URL');
    assert.ok(url.searchParams.get('sig'), 'sig in the URL');

    const dl = await getBinary(body.file_url); // no Authorization header
    assert.equal(dl.status, 200, `download: ${dl.status} ${dl.text.slice(0, 200)}`);
    assert.equal(dl.body.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.equal(await pageCount(dl.body), 3);

    const sig = url.searchParams.get('sig');
    const flip = (s) => (s[0] === 'a' ? 'b' : 'a') + s.slice(1);
    const badSig = new URL(url);
    badSig.searchParams.set('sig', flip(sig));
    const r1 = await getBinary(badSig.toString());
    assert.ok(r1.status >= 400 && r1.status < 500, `modified sig: ${r1.status}`);
    const badExp = new URL(url);
    badExp.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 1));
    const r2 = await getBinary(badExp.toString());
    assert.ok(r2.status >= 400 && r2.status < 500, `modified expires: ${r2.status}`);
    const noSig = new URL(url);
    noSig.searchParams.delete('sig');
    const r3 = await getBinary(noSig.toString());
    assert.ok(r3.status >= 400 && r3.status < 500, `no sig: ${r3.status}`);
    // The signature of one request does not open another.
    const other = (await sendTwo()).id;
    const r4 = await getBinary(`${base}/files/${other}${url.search}`);
    assert.ok(r4.status >= 400 && r4.status < 500, `another id with this sig: ${r4.status}`);
  });

  test('files_as_file_url with force_download=0 and =1 both give working URLs', async () => {
    for (const fd of ['0', '1']) {
      const body = expectJson(await call(base, 'GET',
        `/v3/signature_request/files_as_file_url/${req.signature_request_id}?force_download=${fd}`, A()), 200);
      const dl = await getBinary(body.file_url);
      assert.equal(dl.status, 200, `force_download=${fd}: ${dl.status}`);
      assert.equal(dl.body.subarray(0, 5).toString('latin1'), '%PDF-');
      assert.match(dl.headers.get('content-disposition') || '', fd === '1' ? /^attachment; filename="/ : /^inline; filename="/);
    }
  });

  test('every document download is sandboxed (CSP sandbox) and not sniffed, inline or not', async () => {
    const id = req.signature_request_id;
    const fileUrl = async (fd) => expectJson(await call(base, 'GET',
      `/v3/signature_request/files_as_file_url/${id}?force_download=${fd}`, A()), 200).file_url;
    const responses = {
      pdf: await downloadFiles(base, A(), id, 'pdf'),
      zip: await downloadFiles(base, A(), id, 'zip'),
      'file_url inline': await getBinary(await fileUrl('0')),
      'file_url download': await getBinary(await fileUrl('1')),
    };
    for (const [what, res] of Object.entries(responses)) {
      assert.equal(res.status, 200, what);
      assert.equal(res.headers.get('content-security-policy'), 'sandbox', what);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', what);
    }
  });
});
