// POST /v3/signature_request/send over real HTTP, against docs/signature-requests.md and
// CONTRACT.md §0.3, §2, §6: the three encodings (JSON with file_urls, SDK-style multipart,
// legacy curl form), the §6.4 response object, every validation error with its error_path,
// file checks (not a PDF, encrypted, no pages, too big, too many), unknown parameters, and the
// signer emails written into <data-dir>/outbox/. Black box: HTTP, the CLI and the outbox only.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, uniqueEmail } from './lib/server.mjs';
import { call, assertError, expectJson } from './lib/http.mjs';
import { makePdf, garbagePdf, encryptPdf, sha256 } from './lib/pdf.mjs';
import { startFileServer } from './lib/fileserver.mjs';
import { readZip } from './lib/zip.mjs';
import { waitForMailTo, mailsTo } from './lib/outbox.mjs';
import {
  send, sendOk, sdkForm, twoSigners, assertSignatureRequestShape, assertSigners, getRequest,
  listRequests, downloadFiles, pdfBlob, assertSignerExperience,
} from './lib/sr.mjs';

let server;
let base;
let files; // local file server for file_urls
let alice; // the sender (API key)
let pdfUrl; // a good 1-page PDF
let pdf2Url; // a good 2-page PDF

const now = () => Math.floor(Date.now() / 1000);

before(async () => {
  server = await startServer({ extraArgs: ['--allow-private-file-urls'] });
  base = server.url;
  files = await startFileServer();
  alice = await server.createAccount();
  pdfUrl = files.serve('/docs/nda.pdf', makePdf({ pages: 1, label: 'NDA' }));
  pdf2Url = files.serve('/docs/appendix.pdf', makePdf({ pages: 2, label: 'Appendix' }));
});

after(async () => {
  if (files) await files.close();
  if (server) await server.stop();
});

const AUTH = () => ({ apiKey: alice.api_key });
const bad = (res, path) => assertError(res, 400, 'bad_request', path);

/** A valid JSON body (file_urls, two unordered signers); `over` replaces keys. */
function jsonBody(over = {}) {
  return { file_urls: [pdfUrl], signers: twoSigners(), test_mode: true, ...over };
}

describe('send in JSON with file_urls', () => {
  test('every field is stored and echoed; the response is the §6.4 object; GET returns the same', async () => {
    const signers = [
      { name: 'Jack Pin', email_address: uniqueEmail('jack'), pin: '4242' },
      { name: 'Jill NoPin', email_address: uniqueEmail('jill') },
    ];
    const expiresAt = now() + 7 * 86400;
    const body = {
      title: 'NDA with Acme Co.',
      subject: 'The NDA we talked about',
      message: 'Please sign this NDA and then we can discuss more.',
      signers,
      cc_email_addresses: [uniqueEmail('lawyer'), uniqueEmail('lawyer2')],
      file_urls: [pdfUrl, pdf2Url],
      metadata: { custom_id: 'abc-1234', custom_text: 'NDA #9', amount: 12 },
      test_mode: true,
      allow_decline: true,
      allow_reassign: false,
      signing_redirect_url: 'https://example.com/after-signing',
      signing_options: { draw: true, type: true, upload: false, phone: false, default_type: 'draw' },
      field_options: { date_format: 'DD - MM - YYYY' },
      expires_at: expiresAt,
    };
    const hitsBefore = files.hits('/docs/nda.pdf');
    const res = await send(base, AUTH(), { json: body });
    const json = expectJson(res, 200);
    assert.ok(json.signature_request, 'signature_request key');
    for (const k of Object.keys(json)) assert.ok(['signature_request', 'warnings'].includes(k), `unexpected top-level key ${k}`);
    assert.ok(!json.warnings || json.warnings.length === 0, `no warnings expected: ${JSON.stringify(json.warnings)}`);
    const sr = json.signature_request;
    assertSignatureRequestShape(sr, { base });
    assert.equal(sr.title, body.title);
    assert.equal(sr.original_title, body.title);
    assert.equal(sr.subject, body.subject);
    assert.equal(sr.message, body.message);
    assert.deepEqual(sr.metadata, body.metadata);
    assert.equal(sr.test_mode, true);
    assert.deepEqual(sr.cc_email_addresses, body.cc_email_addresses);
    assert.equal(sr.signing_redirect_url, body.signing_redirect_url);
    assert.ok(sr.expires_at <= expiresAt && sr.expires_at > expiresAt - 3600, `expires_at ${sr.expires_at} vs ${expiresAt}`);
    assert.equal(sr.requester_email_address, alice.email_address);
    assertSigners(sr, signers);
    assert.equal(sr.signatures[0].has_pin, true);
    assert.equal(sr.signatures[1].has_pin, false);
    assert.ok(files.hits('/docs/nda.pdf') > hitsBefore, 'the server fetched the file_url');

    const got = expectJson(await getRequest(base, AUTH(), sr.signature_request_id), 200);
    assert.deepEqual(got.signature_request, sr, 'GET returns the object send returned');
  });

  test('signer_experience {form_view} is part of the object (CONTRACT §6.4)', async () => {
    const sr = await sendOk(base, AUTH(), { json: jsonBody() });
    assertSignerExperience(sr);
  });

  test('title defaults to the name of the first file (from its URL)', async () => {
    const url = files.serve('/some/dir/Contract-2024.pdf', makePdf());
    const sr = await sendOk(base, AUTH(), { json: jsonBody({ file_urls: [url] }) });
    assert.match(sr.title, /^Contract-2024(\.pdf)?$/);
    assert.equal(sr.original_title, sr.title);
    assert.equal(sr.test_mode, true);
    assert.deepEqual(sr.metadata, {});
    assert.deepEqual(sr.cc_email_addresses, []);
  });

  test('test_mode false when absent; a JSON body needs no optional field', async () => {
    const sr = await sendOk(base, AUTH(), {
      json: { file_urls: [pdfUrl], signers: [{ name: 'Solo', email_address: uniqueEmail('solo') }] },
    });
    assertSignatureRequestShape(sr, { base });
    assert.equal(sr.test_mode, false);
    assert.equal(sr.signatures.length, 1);
  });
});

describe('send in multipart as the SDKs do', () => {
  test('files[0], files[1] parts with JSON-text signers, cc and metadata', async () => {
    const signers = twoSigners({ ordered: true });
    const cc = [uniqueEmail('cc1'), uniqueEmail('cc2')];
    const a = makePdf({ pages: 1, label: 'A' });
    const b = makePdf({ pages: 2, label: 'B' });
    const form = sdkForm({
      signers, cc_email_addresses: cc, metadata: { ref: 'mp-1', n: 2 }, test_mode: 'true',
      allow_decline: 'True', subject: 'Multipart subject', message: 'Multipart message',
    }, [{ name: 'nda.pdf', data: a }, { name: 'appendix.pdf', data: b }]);
    const res = await send(base, AUTH(), { multipart: form });
    const sr = expectJson(res, 200).signature_request;
    assertSignatureRequestShape(sr, { base });
    assert.match(sr.title, /^nda(\.pdf)?$/, 'title defaults to the first file name');
    assert.equal(sr.subject, 'Multipart subject');
    assert.equal(sr.message, 'Multipart message');
    assert.equal(sr.test_mode, true);
    assert.deepEqual(sr.metadata, { ref: 'mp-1', n: 2 });
    assert.deepEqual(sr.cc_email_addresses, cc);
    assertSigners(sr, signers);

    const zip = await downloadFiles(base, AUTH(), sr.signature_request_id, 'zip');
    assert.equal(zip.status, 200, `zip: HTTP ${zip.status} ${zip.text.slice(0, 200)}`);
    const entries = readZip(zip.body);
    assert.deepEqual(entries.map((e) => sha256(e.data)), [sha256(a), sha256(b)], 'the files, in order, byte for byte');
  });

  test('file_urls as JSON text in a multipart body (no file parts)', async () => {
    const form = sdkForm({ signers: twoSigners(), file_urls: [pdfUrl, pdf2Url], title: 'Multipart with URLs' });
    const sr = await sendOk(base, AUTH(), { multipart: form });
    assert.equal(sr.title, 'Multipart with URLs');
    const zip = await downloadFiles(base, AUTH(), sr.signature_request_id, 'zip');
    assert.equal(readZip(zip.body).length, 2);
  });

  for (const [value, expected] of [['true', true], ['True', true], ['1', true], ['false', false], ['False', false], ['0', false]]) {
    test(`test_mode=${value} in multipart is ${expected}`, async () => {
      const form = sdkForm({ signers: twoSigners(), test_mode: value }, [{ name: 'x.pdf', data: makePdf() }]);
      const sr = await sendOk(base, AUTH(), { multipart: form });
      assert.equal(sr.test_mode, expected);
    });
  }

  test('integers as decimal text: signers order in JSON text; title given', async () => {
    const form = sdkForm({
      title: 'Ordered multipart',
      signers: [{ name: 'First', email_address: uniqueEmail('o0'), order: 0 },
        { name: 'Second', email_address: uniqueEmail('o1'), order: 1 }],
    }, [{ name: 'x.pdf', data: makePdf() }]);
    const sr = await sendOk(base, AUTH(), { multipart: form });
    assert.equal(sr.title, 'Ordered multipart');
    assert.deepEqual(sr.signatures.map((s) => s.order), [0, 1]);
  });
});

describe('send in the legacy curl form', () => {
  test('the walkthrough curl example: signers[i][…], cc_email_addresses[i], file[i], test_mode=1', async () => {
    const jack = uniqueEmail('jack');
    const jill = uniqueEmail('jill');
    const cc1 = uniqueEmail('lawyer');
    const cc2 = uniqueEmail('lawyer2');
    const nda = makePdf({ pages: 1, label: 'NDA' });
    const appx = makePdf({ pages: 3, label: 'AppendixA' });
    const fd = new FormData();
    fd.append('title', 'NDA with Acme Co.');
    fd.append('subject', 'The NDA we talked about');
    fd.append('message', 'Please sign this NDA and then we can discuss more. Let me know if you have any questions.');
    fd.append('signers[0][email_address]', jack);
    fd.append('signers[0][name]', 'Jack');
    fd.append('signers[0][order]', '0');
    fd.append('signers[1][email_address]', jill);
    fd.append('signers[1][name]', 'Jill');
    fd.append('signers[1][order]', '1');
    fd.append('cc_email_addresses[0]', cc1);
    fd.append('cc_email_addresses[1]', cc2);
    fd.append('file[0]', pdfBlob(nda), 'NDA.pdf');
    fd.append('file[1]', pdfBlob(appx), 'AppendixA.pdf');
    fd.append('test_mode', '1');
    const sr = await sendOk(base, AUTH(), { multipart: fd });
    assertSignatureRequestShape(sr, { base });
    assert.equal(sr.title, 'NDA with Acme Co.');
    assert.equal(sr.subject, 'The NDA we talked about');
    assert.equal(sr.test_mode, true);
    assertSigners(sr, [{ name: 'Jack', email_address: jack, order: 0 }, { name: 'Jill', email_address: jill, order: 1 }]);
    assert.deepEqual(sr.cc_email_addresses, [cc1, cc2]);
    const zip = await downloadFiles(base, AUTH(), sr.signature_request_id, 'zip');
    assert.equal(zip.status, 200);
    assert.deepEqual(readZip(zip.body).map((e) => sha256(e.data)), [sha256(nda), sha256(appx)]);
  });

  for (const partName of ['file[]', 'files[]']) {
    test(`repeated ${partName} parts are the files in order`, async () => {
      const a = makePdf();
      const b = makePdf({ pages: 2 });
      const fd = new FormData();
      fd.append('signers[0][name]', 'Legacy');
      fd.append('signers[0][email_address]', uniqueEmail('legacy'));
      fd.append(partName, pdfBlob(a), 'one.pdf');
      fd.append(partName, pdfBlob(b), 'two.pdf');
      const sr = await sendOk(base, AUTH(), { multipart: fd });
      const zip = await downloadFiles(base, AUTH(), sr.signature_request_id, 'zip');
      assert.equal(zip.status, 200);
      assert.deepEqual(readZip(zip.body).map((e) => sha256(e.data)), [sha256(a), sha256(b)]);
    });
  }
});

describe('unknown parameters', () => {
  test('are ignored and reported as parameter_ignored warnings (JSON)', async () => {
    const res = await send(base, AUTH(), { json: jsonBody({ no_such_field: 1, another_unknown: 'x' }) });
    const json = expectJson(res, 200);
    assertSignatureRequestShape(json.signature_request, { base });
    assert.ok(Array.isArray(json.warnings), `warnings array in ${res.text.slice(0, 400)}`);
    const ignored = json.warnings.filter((w) => w.warning_name === 'parameter_ignored');
    assert.ok(ignored.length >= 1, `parameter_ignored warning in ${JSON.stringify(json.warnings)}`);
    for (const w of json.warnings) {
      assert.equal(typeof w.warning_msg, 'string');
      assert.equal(typeof w.warning_name, 'string');
    }
    assert.ok(ignored.some((w) => w.warning_msg.includes('no_such_field')), 'the message names the parameter');
  });

  test('are ignored and reported in multipart too', async () => {
    const form = sdkForm({ signers: twoSigners(), bogus_param: 'yes' }, [{ name: 'x.pdf', data: makePdf() }]);
    const json = expectJson(await send(base, AUTH(), { multipart: form }), 200);
    assert.ok((json.warnings || []).some((w) => w.warning_name === 'parameter_ignored'),
      `parameter_ignored in ${JSON.stringify(json.warnings)}`);
  });
});

describe('validation errors (400 bad_request with error_path)', () => {
  test('no files and no file_urls -> files', async () => {
    bad(await send(base, AUTH(), { json: { signers: twoSigners() } }), 'files');
    bad(await send(base, AUTH(), { json: { signers: twoSigners(), file_urls: [] } }), 'files');
    bad(await send(base, AUTH(), { multipart: sdkForm({ signers: twoSigners() }) }), 'files');
  });

  test('both files and file_urls -> file_urls', async () => {
    const form = sdkForm({ signers: twoSigners(), file_urls: [pdfUrl] }, [{ name: 'x.pdf', data: makePdf() }]);
    bad(await send(base, AUTH(), { multipart: form }), 'file_urls');
  });

  test('signers missing, empty or more than 100 -> signers', async () => {
    bad(await send(base, AUTH(), { json: { file_urls: [pdfUrl] } }), 'signers');
    bad(await send(base, AUTH(), { json: jsonBody({ signers: [] }) }), 'signers');
    const many = Array.from({ length: 101 }, (_, i) => ({ name: `S${i}`, email_address: `s${i}-${process.pid}@example.com` }));
    bad(await send(base, AUTH(), { json: jsonBody({ signers: many }) }), 'signers');
  });

  test('a signer without a name -> signers[0].name', async () => {
    bad(await send(base, AUTH(), { json: jsonBody({ signers: [{ email_address: uniqueEmail() }] }) }), 'signers[0].name');
    bad(await send(base, AUTH(), { json: jsonBody({ signers: [{ name: '', email_address: uniqueEmail() }] }) }), 'signers[0].name');
  });

  test('a bad signer email -> signers[1].email_address', async () => {
    const signers = [{ name: 'Ok', email_address: uniqueEmail() }, { name: 'Bad', email_address: 'not-an-email' }];
    bad(await send(base, AUTH(), { json: jsonBody({ signers }) }), 'signers[1].email_address');
    const missing = [{ name: 'Ok', email_address: uniqueEmail() }, { name: 'NoEmail' }];
    bad(await send(base, AUTH(), { json: jsonBody({ signers: missing }) }), 'signers[1].email_address');
  });

  test('a bad signer email in the legacy form -> signers[0].email_address', async () => {
    const fd = new FormData();
    fd.append('signers[0][name]', 'Bad');
    fd.append('signers[0][email_address]', 'nope@');
    fd.append('file[0]', pdfBlob(makePdf()), 'x.pdf');
    bad(await send(base, AUTH(), { multipart: fd }), 'signers[0].email_address');
  });

  test('a pin of 3 or 13 characters -> signers[0].pin; 4 and 12 are fine', async () => {
    const s = (pin) => [{ name: 'P', email_address: uniqueEmail('pin'), pin }];
    bad(await send(base, AUTH(), { json: jsonBody({ signers: s('123') }) }), 'signers[0].pin');
    bad(await send(base, AUTH(), { json: jsonBody({ signers: s('1234567890123') }) }), 'signers[0].pin');
    const ok4 = await sendOk(base, AUTH(), { json: jsonBody({ signers: s('1234') }) });
    assert.equal(ok4.signatures[0].has_pin, true);
    await sendOk(base, AUTH(), { json: jsonBody({ signers: s('123456789012') }) });
  });

  test('a negative order -> signers[0]…', async () => {
    const signers = [{ name: 'Neg', email_address: uniqueEmail(), order: -1 }];
    bad(await send(base, AUTH(), { json: jsonBody({ signers }) }), /^signers\[0\]/);
  });

  test('grouped_signers is refused (not supported yet)', async () => {
    const res = await send(base, AUTH(), {
      json: { file_urls: [pdfUrl], grouped_signers: [{ group: 'G', signers: [{ name: 'A', email_address: uniqueEmail() }] }] },
    });
    assertError(res, 400, 'bad_request');
  });

  test('a bad cc address -> cc_email_addresses[2]', async () => {
    const cc = [uniqueEmail('cc'), uniqueEmail('cc'), 'bad-address'];
    bad(await send(base, AUTH(), { json: jsonBody({ cc_email_addresses: cc }) }), 'cc_email_addresses[2]');
  });

  test('title > 255, subject > 255, message > 5000; the limits themselves are fine', async () => {
    bad(await send(base, AUTH(), { json: jsonBody({ title: 't'.repeat(256) }) }), 'title');
    bad(await send(base, AUTH(), { json: jsonBody({ subject: 's'.repeat(256) }) }), 'subject');
    bad(await send(base, AUTH(), { json: jsonBody({ message: 'm'.repeat(5001) }) }), 'message');
    const sr = await sendOk(base, AUTH(), {
      json: jsonBody({ title: 't'.repeat(255), subject: 's'.repeat(255), message: 'm'.repeat(5000) }),
    });
    assert.equal(sr.title.length, 255);
    assert.equal(sr.subject.length, 255);
    assert.equal(sr.message.length, 5000);
  });

  test('metadata: 11 keys, a 41-character key, not an object, bad JSON text -> metadata', async () => {
    const keys = (n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`key${i}`, `v${i}`]));
    bad(await send(base, AUTH(), { json: jsonBody({ metadata: keys(11) }) }), 'metadata');
    bad(await send(base, AUTH(), { json: jsonBody({ metadata: { ['k'.repeat(41)]: 'v' } }) }), 'metadata');
    bad(await send(base, AUTH(), { json: jsonBody({ metadata: ['a', 'b'] }) }), 'metadata');
    bad(await send(base, AUTH(), { json: jsonBody({ metadata: 'just text' }) }), 'metadata');
    // In multipart, metadata is JSON text; invalid JSON text is a bad metadata too.
    const form = sdkForm({ signers: twoSigners() }, [{ name: 'x.pdf', data: makePdf() }]);
    form.append('metadata', '{not json');
    bad(await send(base, AUTH(), { multipart: form }), 'metadata');
    // The limits themselves are accepted.
    const sr = await sendOk(base, AUTH(), {
      json: jsonBody({ metadata: { ...keys(9), ['k'.repeat(40)]: 'v'.repeat(990) } }),
    });
    assert.equal(Object.keys(sr.metadata).length, 10);
  });

  test('metadata: a value over 1000 characters -> metadata', async () => {
    bad(await send(base, AUTH(), { json: jsonBody({ metadata: { big: 'v'.repeat(1001) } }) }), 'metadata');
  });

  test('expires_at in the past or more than 90 days ahead -> expires_at', async () => {
    bad(await send(base, AUTH(), { json: jsonBody({ expires_at: now() - 60 }) }), 'expires_at');
    bad(await send(base, AUTH(), { json: jsonBody({ expires_at: now() + 91 * 86400 }) }), 'expires_at');
    const sr = await sendOk(base, AUTH(), { json: jsonBody({ expires_at: now() + 89 * 86400 }) });
    assert.equal(typeof sr.expires_at, 'number');
  });

  test('signing_options and field_options must hold the API\'s values', async () => {
    const bad400 = async (extra, path) => bad(await send(base, AUTH(), { json: jsonBody(extra) }), path);
    await bad400({ signing_options: { default_type: 'bogus', draw: true } }, 'signing_options[default_type]');
    await bad400({ signing_options: { default_type: 'draw', draw: 'yes' } }, 'signing_options[draw]');
    await bad400({ signing_options: { default_type: 'phone', draw: false, type: false, phone: true } }, 'signing_options');
    await bad400({ field_options: { date_format: 'bogus' } }, 'field_options[date_format]');
    await bad400({ field_options: { date_format: ['MM / DD / YYYY'] } }, 'field_options[date_format]');
    // As the SDK's model sends a default_type alone: every flag false beside it.
    await sendOk(base, AUTH(), { json: jsonBody({
      signing_options: { default_type: 'type', draw: false, phone: false, type: false, upload: false },
      field_options: { date_format: 'YYYY - MM - DD' } }) });
  });

  test('signing_redirect_url must be an http(s) URL', async () => {
    bad(await send(base, AUTH(), { json: jsonBody({ signing_redirect_url: 'not a url' }) }), 'signing_redirect_url');
    bad(await send(base, AUTH(), { json: jsonBody({ signing_redirect_url: 'javascript:alert(1)' }) }), 'signing_redirect_url');
  });

  test('an address that is not UTF-8 text is refused without being echoed', async () => {
    const res = await call(base, 'POST', '/v3/signature_request/send', {
      ...AUTH(),
      body: `file_urls[0]=${encodeURIComponent(pdfUrl)}&signers[0][name]=A&signers[0][email_address]=%FF%FE%40example.com&test_mode=1`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    bad(res, 'signers[0].email_address');
    assert.equal(res.json.error.error_msg, 'Invalid email address');
  });

  test('fields of the wrong type -> 400 with the field as error_path', async () => {
    bad(await send(base, AUTH(), { json: jsonBody({ signers: { name: 'A', email_address: uniqueEmail() } }) }), 'signers');
    bad(await send(base, AUTH(), { json: jsonBody({ signing_options: 'draw' }) }), 'signing_options');
    bad(await send(base, AUTH(), { json: jsonBody({ field_options: ['DD - MM - YYYY'] }) }), 'field_options');
    bad(await send(base, AUTH(), { json: jsonBody({ form_fields_per_document: { a: 1 } }) }), 'form_fields_per_document');
    bad(await send(base, AUTH(), { json: jsonBody({ test_mode: 'maybe' }) }), 'test_mode');
    bad(await send(base, AUTH(), { json: jsonBody({ expires_at: 'tomorrow' }) }), 'expires_at');
    const form = sdkForm({ signers: twoSigners(), test_mode: 'maybe' }, [{ name: 'x.pdf', data: makePdf() }]);
    bad(await send(base, AUTH(), { multipart: form }), 'test_mode');
    const form2 = sdkForm({ signers: twoSigners(), allow_decline: 'yes please' }, [{ name: 'x.pdf', data: makePdf() }]);
    bad(await send(base, AUTH(), { multipart: form2 }), 'allow_decline');
  });

  test('a body that is not JSON -> 400 bad_request', async () => {
    assertError(await send(base, AUTH(), { json: '{"signers": [' }), 400, 'bad_request');
  });

  test('no credentials -> 401 unauthorized; a wrong API key -> 401', async () => {
    assertError(await send(base, undefined, { json: jsonBody() }), 401, 'unauthorized');
    assertError(await send(base, { apiKey: 'wrong-key' }, { json: jsonBody() }), 401, 'unauthorized');
  });
});

describe('file checks', () => {
  test('a file that is not a PDF -> files[0]', async () => {
    const form = sdkForm({ signers: twoSigners() }, [{ name: 'fake.pdf', data: garbagePdf() }]);
    bad(await send(base, AUTH(), { multipart: form }), 'files[0]');
    const txt = sdkForm({ signers: twoSigners() }, [{ name: 'notes.txt', data: Buffer.from('abc-123'), type: 'text/plain' }]);
    bad(await send(base, AUTH(), { multipart: txt }), 'files[0]');
  });

  test('an encrypted PDF -> files[1]', async () => {
    const enc = await encryptPdf(makePdf({ pages: 2 }));
    const form = sdkForm({ signers: twoSigners() }, [{ name: 'ok.pdf', data: makePdf() }, { name: 'locked.pdf', data: enc }]);
    bad(await send(base, AUTH(), { multipart: form }), 'files[1]');
  });

  test('a PDF without pages -> files[0]', async () => {
    const form = sdkForm({ signers: twoSigners() }, [{ name: 'empty.pdf', data: makePdf({ pages: 0 }) }]);
    bad(await send(base, AUTH(), { multipart: form }), 'files[0]');
  });

  test('a page over 200 inches on a side -> files[1]; the biggest allowed page is fine', async () => {
    // Same-length box edits keep the cross-reference offsets right.
    const withBox = (box) => {
      const text = makePdf({ pages: 2 }).toString('latin1');
      const at = text.lastIndexOf('/MediaBox [0 0 612 792]');
      return Buffer.from(text.slice(0, at) + `/MediaBox ${box}` + text.slice(at + 23), 'latin1');
    };
    const huge = withBox('[0 0 99999 9]');
    const form = sdkForm({ signers: twoSigners() }, [{ name: 'ok.pdf', data: makePdf() }, { name: 'huge.pdf', data: huge }]);
    const err = bad(await send(base, AUTH(), { multipart: form }), 'files[1]');
    assert.match(err.error_msg, /Page 2 is too large/);
    await sendOk(base, AUTH(), { multipart: sdkForm({ signers: twoSigners() }, [{ name: 'max.pdf', data: withBox('[0 0 14400 9]') }]) });
  });

  test('more than 20 files -> files…; 20 are fine', async () => {
    const pdfs = (n) => Array.from({ length: n }, (_, i) => ({ name: `f${i}.pdf`, data: makePdf({ label: `f${i}` }) }));
    bad(await send(base, AUTH(), { multipart: sdkForm({ signers: twoSigners() }, pdfs(21)) }), /^files/);
    await sendOk(base, AUTH(), { multipart: sdkForm({ signers: twoSigners() }, pdfs(20)) });
  });

  test('a file_url answering 404 -> file_urls[0]', async () => {
    const url = files.serve('/missing.pdf', 'gone', { status: 404, contentType: 'text/plain' });
    bad(await send(base, AUTH(), { json: jsonBody({ file_urls: [url] }) }), 'file_urls[0]');
    bad(await send(base, AUTH(), { json: jsonBody({ file_urls: [`${files.base}/never-registered.pdf`] }) }), 'file_urls[0]');
  });

  test('a file_url serving garbage -> file_urls[1]; a non-http scheme -> file_urls[0]', async () => {
    const junk = files.serve('/junk.pdf', garbagePdf());
    bad(await send(base, AUTH(), { json: jsonBody({ file_urls: [pdfUrl, junk] }) }), 'file_urls[1]');
    bad(await send(base, AUTH(), { json: jsonBody({ file_urls: ['ftp://127.0.0.1/x.pdf'] }) }), 'file_urls[0]');
    bad(await send(base, AUTH(), { json: jsonBody({ file_urls: ['file:///etc/passwd'] }) }), 'file_urls[0]');
  });

  test('a refused send writes nothing: not listed, no mail', async () => {
    const acct = await server.createAccount();
    const signers = twoSigners({ prefix: 'refused' });
    const enc = await encryptPdf(makePdf());
    const form = sdkForm({ signers, title: 'Never stored' }, [{ name: 'a.pdf', data: makePdf() }, { name: 'b.pdf', data: enc }]);
    bad(await send(base, { apiKey: acct.api_key }, { multipart: form }), 'files[1]');
    bad(await send(base, { apiKey: acct.api_key }, { json: { signers, title: 'Never stored', file_urls: [pdfUrl, `${files.base}/nope.pdf`] } }), 'file_urls[1]');
    const list = expectJson(await listRequests(base, { apiKey: acct.api_key }), 200);
    assert.equal(list.list_info.num_results, 0);
    assert.deepEqual(list.signature_requests, []);
    // A later good send's mail arrives; the refused ones' never did.
    const ok = twoSigners({ prefix: 'after-refused' });
    await sendOk(base, { apiKey: acct.api_key }, { json: { signers: ok, file_urls: [pdfUrl] } });
    await waitForMailTo(server.dataDir, ok[0].email_address);
    await waitForMailTo(server.dataDir, ok[1].email_address);
    for (const s of signers) assert.deepEqual(await mailsTo(server.dataDir, s.email_address), [], `no mail to ${s.email_address}`);
  });
});

describe('file size limit (--max-file-mb 1)', () => {
  let small; // a server with a 1 MB limit
  let acct;
  let fsrv;
  before(async () => {
    small = await startServer({ extraArgs: ['--allow-private-file-urls', '--max-file-mb', '1'] });
    acct = await small.createAccount();
    fsrv = await startFileServer();
  });
  after(async () => {
    if (fsrv) await fsrv.close();
    if (small) await small.stop();
  });

  test('a 1.5 MB upload -> files[0]; a 0.9 MB one is fine', async () => {
    const big = makePdf({ padBytes: 1_500_000 });
    assert.ok(big.length > 1.5e6);
    const res = await send(small.url, { apiKey: acct.api_key }, { multipart: sdkForm({ signers: twoSigners() }, [{ name: 'big.pdf', data: big }]) });
    bad(res, 'files[0]');
    const fine = makePdf({ padBytes: 900_000 });
    await sendOk(small.url, { apiKey: acct.api_key }, { multipart: sdkForm({ signers: twoSigners() }, [{ name: 'fine.pdf', data: fine }]) });
  });

  test('a 1.5 MB file_url -> file_urls[0]', async () => {
    const url = fsrv.serve('/big.pdf', makePdf({ padBytes: 1_500_000 }));
    bad(await send(small.url, { apiKey: acct.api_key }, { json: { signers: twoSigners(), file_urls: [url] } }), 'file_urls[0]');
  });
});

describe('signer emails in the outbox', () => {
  function assertSignMail(mail, signature) {
    assert.equal(mail.to, signature.signer_email_address);
    assert.ok(mail.links.length >= 1, `a /sign/ link in the mail:\n${mail.text.slice(0, 1500)}`);
    const link = mail.links.find((l) => l.signatureId === signature.signature_id);
    assert.ok(link, `link to /sign/${signature.signature_id} in ${JSON.stringify(mail.links)}`);
    assert.ok(link.url.startsWith(`${base}/sign/${signature.signature_id}?t=`), `absolute link on the server's base: ${link.url}`);
    assert.ok(link.secret.length >= 16, 'the link carries a secret');
    return link;
  }

  test('unordered: every signer gets one email with their own /sign/ link', async () => {
    const signers = twoSigners({ prefix: 'unordered' });
    const sr = await sendOk(base, AUTH(), { json: jsonBody({ signers, title: 'Mail me' }) });
    const links = [];
    for (const sig of sr.signatures) {
      const [mail] = await waitForMailTo(server.dataDir, sig.signer_email_address);
      links.push(assertSignMail(mail, sig));
    }
    assert.notEqual(links[0].secret, links[1].secret, 'each signer has their own secret');
    // Exactly one each (the worker must not write a mail twice).
    await new Promise((r) => setTimeout(r, 300));
    for (const sig of sr.signatures) {
      assert.equal((await mailsTo(server.dataDir, sig.signer_email_address)).length, 1, `one mail to ${sig.signer_email_address}`);
    }
  });

  test('ordered: only the order-0 signer is mailed at send', async () => {
    const signers = twoSigners({ ordered: true, prefix: 'ordered' });
    const sr = await sendOk(base, AUTH(), { json: jsonBody({ signers }) });
    const [mail] = await waitForMailTo(server.dataDir, signers[0].email_address);
    assertSignMail(mail, sr.signatures[0]);
    // Mails of one send are queued in one transaction; give the worker time anyway.
    await new Promise((r) => setTimeout(r, 700));
    assert.deepEqual(await mailsTo(server.dataDir, signers[1].email_address), [], 'the order-1 signer waits');
  });

  test('orders 2, 1, 1: the two signers with the lowest order are mailed', async () => {
    const signers = [
      { name: 'Late', email_address: uniqueEmail('late'), order: 2 },
      { name: 'EarlyA', email_address: uniqueEmail('early-a'), order: 1 },
      { name: 'EarlyB', email_address: uniqueEmail('early-b'), order: 1 },
    ];
    const sr = await sendOk(base, AUTH(), { json: jsonBody({ signers }) });
    assertSigners(sr, signers);
    const [a] = await waitForMailTo(server.dataDir, signers[1].email_address);
    const [b] = await waitForMailTo(server.dataDir, signers[2].email_address);
    assertSignMail(a, sr.signatures[1]);
    assertSignMail(b, sr.signatures[2]);
    await new Promise((r) => setTimeout(r, 700));
    assert.deepEqual(await mailsTo(server.dataDir, signers[0].email_address), []);
  });

  test('text from the sender is escaped in the HTML part and cannot add mail headers', async () => {
    const signer = { name: 'Esc <i>Signer</i>', email_address: uniqueEmail('escape') };
    const sr = await sendOk(base, AUTH(), {
      json: jsonBody({
        signers: [signer],
        title: '<b>Bold</b> & <script>alert(1)</script>',
        subject: 'Hello\r\nBcc: evil@example.com',
        message: 'Line 1\n<img src=x onerror=alert(1)>',
      }),
    });
    const [mail] = await waitForMailTo(server.dataDir, signer.email_address);
    assertSignMail(mail, sr.signatures[0]);
    assert.equal(mail.headers.bcc, undefined, 'no injected Bcc header');
    assert.ok(!/^bcc:/im.test(mail.raw.split(/\r?\n\r?\n/)[0]), 'no Bcc line in the header block');
    const html = mail.parts.filter((p) => /text\/html/i.test(p.contentType)).map((p) => p.text).join('\n');
    if (html) {
      assert.ok(!html.includes('<script>'), 'no raw <script> in the HTML part');
      assert.ok(!html.includes('<img src=x'), 'no raw <img> in the HTML part');
      assert.ok(!html.includes('<i>Signer</i>'), 'the signer name is escaped too');
    }
  });

  test('multipart and legacy sends mail too', async () => {
    const s1 = [{ name: 'Mp', email_address: uniqueEmail('mp-mail') }];
    const sr1 = await sendOk(base, AUTH(), { multipart: sdkForm({ signers: s1 }, [{ name: 'x.pdf', data: makePdf() }]) });
    const fd = new FormData();
    const legacyEmail = uniqueEmail('legacy-mail');
    fd.append('signers[0][name]', 'Legacy');
    fd.append('signers[0][email_address]', legacyEmail);
    fd.append('file[0]', pdfBlob(makePdf()), 'x.pdf');
    const sr2 = await sendOk(base, AUTH(), { multipart: fd });
    assertSignMail((await waitForMailTo(server.dataDir, s1[0].email_address))[0], sr1.signatures[0]);
    assertSignMail((await waitForMailTo(server.dataDir, legacyEmail))[0], sr2.signatures[0]);
  });
});

describe('transport quirks', () => {
  test('GET with content-type: application/json and no body (as the Node SDK sends) is fine', async () => {
    const sr = await sendOk(base, AUTH(), { json: jsonBody() });
    const res = await call(base, 'GET', `/v3/signature_request/${sr.signature_request_id}`, {
      apiKey: alice.api_key, headers: { 'content-type': 'application/json' },
    });
    assert.equal(expectJson(res, 200).signature_request.signature_request_id, sr.signature_request_id);
  });
});
