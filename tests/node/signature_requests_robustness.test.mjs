// Malformed and hostile bodies for POST /v3/signature_request/send: every one must get
// Dropbox Sign's error object with a 4xx status and the server must keep serving (DESIGN.md:
// "Every bad input gets Dropbox Sign's error object ... never a crash"). Deeply nested JSON in
// the structured fields runs on a fresh server per field, so that one crash cannot hide others.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, uniqueEmail } from './lib/server.mjs';
import { call, assertError, expectJson } from './lib/http.mjs';
import { makePdf } from './lib/pdf.mjs';
import { send, sdkForm, twoSigners, listRequests } from './lib/sr.mjs';

const SEND = '/v3/signature_request/send';

describe('malformed bodies', () => {
  let server;
  let key;
  before(async () => {
    server = await startServer();
    key = (await server.createAccount()).api_key;
  });
  after(async () => {
    if (server) await server.stop();
  });

  const alive = async () => expectJson(await call(server.url, 'GET', '/v3/account', { apiKey: key }), 200);

  test('JSON that is not an object -> 400 bad_request', async () => {
    for (const body of ['null', '[]', '"text"', '123', '{"signers": [']) {
      assertError(await call(server.url, 'POST', SEND, { apiKey: key, json: body }), 400, 'bad_request');
    }
    await alive();
  });

  test('multipart without a boundary, or cut short -> 400 bad_request', async () => {
    const part = '--x\r\nContent-Disposition: form-data; name="signers"\r\n\r\n[{"name":"a"';
    assertError(await call(server.url, 'POST', SEND, {
      apiKey: key, headers: { 'content-type': 'multipart/form-data' }, body: `${part}}]\r\n--x--\r\n`,
    }), 400, 'bad_request');
    assertError(await call(server.url, 'POST', SEND, {
      apiKey: key, headers: { 'content-type': 'multipart/form-data; boundary=x' }, body: part,
    }), 400, 'bad_request');
    await alive();
  });

  test('an unsupported content type -> 4xx error object', async () => {
    const res = await call(server.url, 'POST', SEND, { apiKey: key, headers: { 'content-type': 'text/plain' }, body: 'hello' });
    assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
    assertError(res, res.status);
  });

  test('legacy bracket indices that are not numbers or absurdly large -> 400 signers', async () => {
    for (const idx of ['abc', '999999999']) {
      const fd = new FormData();
      fd.append('signers[0][name]', 'A');
      fd.append('signers[0][email_address]', uniqueEmail());
      fd.append(`signers[${idx}][name]`, 'B');
      fd.append(`signers[${idx}][email_address]`, uniqueEmail());
      fd.append('file[0]', new Blob([makePdf()], { type: 'application/pdf' }), 'x.pdf');
      assertError(await send(server.url, { apiKey: key }, { multipart: fd }), 400, 'bad_request', /^signers/);
    }
    await alive();
  });

  test('CR/LF in a signer email is refused; the list is unchanged', async () => {
    const before = expectJson(await listRequests(server.url, { apiKey: key }), 200).list_info.num_results;
    const form = sdkForm({ signers: [{ name: 'A', email_address: 'a@example.com\r\nBcc: x@example.com' }] },
      [{ name: 'x.pdf', data: makePdf() }]);
    assertError(await send(server.url, { apiKey: key }, { multipart: form }), 400, 'bad_request', 'signers[0].email_address');
    assert.equal(expectJson(await listRequests(server.url, { apiKey: key }), 200).list_info.num_results, before);
  });

  // A raw multipart body: `fields` is [[name, Buffer|string]]; one PDF part named files[0].
  function rawMultipart(fields) {
    const boundary = 'cs-raw-' + Math.random().toString(36).slice(2);
    const chunks = [];
    for (const [name, value] of fields) {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`));
      chunks.push(Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8'), Buffer.from('\r\n'));
    }
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files[0]"; filename="x.pdf"\r\n` +
      'Content-Type: application/pdf\r\n\r\n'), makePdf(), Buffer.from(`\r\n--${boundary}--\r\n`));
    return { headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body: Buffer.concat(chunks) };
  }

  test('NUL, control and bidi-override characters or invalid UTF-8 in texts and names -> 400 with error_path; nothing stored', async () => {
    const before = expectJson(await listRequests(server.url, { apiKey: key }), 200).list_info.num_results;
    const signers = (name = 'Ann') => JSON.stringify([{ name, email_address: uniqueEmail('text') }]);
    const cases = [
      [[['title', 'invoice\u202Efdp.exe']], 'title'],
      [[['title', 'a\u2066b']], 'title'],
      [[['subject', 'Sign\u0000this']], 'subject'],
      [[['subject', 'esc \u001b[2J']], 'subject'],
      [[['message', 'bell \u0007']], 'message'],
      [[['message', 'ok\u0085c1']], 'message'],
      [[['subject', Buffer.from([0x48, 0x69, 0xc3, 0x28])]], 'subject'], // broken 2-byte sequence
      [[['title', Buffer.from([0xed, 0xa0, 0x80])]], 'title'], // an encoded surrogate
      [[['title', Buffer.from([0xc0, 0xaf])]], 'title'], // overlong '/'
      [[['metadata', JSON.stringify({ 'k\u202E': 'v' })]], 'metadata'],
      [[['metadata', JSON.stringify({ k: 'v\u0000' })]], 'metadata'],
    ];
    for (const [fields, path] of cases) {
      const res = await call(server.url, 'POST', SEND, { apiKey: key, ...rawMultipart([['signers', signers()], ...fields]) });
      assertError(res, 400, 'bad_request', path);
    }
    for (const name of ['Ann\u0000', 'Ann\u202Enna', 'A\tB']) {
      const res = await call(server.url, 'POST', SEND, { apiKey: key, ...rawMultipart([['signers', signers(name)]]) });
      assertError(res, 400, 'bad_request', 'signers[0].name');
    }
    assert.equal(expectJson(await listRequests(server.url, { apiKey: key }), 200).list_info.num_results, before);
    // Line breaks and tabs in the message, and right-to-left text itself, are fine.
    const ok = await call(server.url, 'POST', SEND, { apiKey: key, ...rawMultipart([
      ['signers', signers('\u05e9\u05e8\u05d4 Cohen')], ['title', 'Contrat \u00e9t\u00e9 \u2014 \u05d7\u05d5\u05d6\u05d4'],
      ['message', 'Line one\r\n\tLine two\n'], ['test_mode', 'true']]) });
    const sr = expectJson(ok, 200).signature_request;
    assert.equal(sr.message, 'Line one\r\n\tLine two\n');
    // Update: the same rule for a new signer name.
    const upd = await call(server.url, 'POST', `/v3/signature_request/update/${sr.signature_request_id}`, {
      apiKey: key, json: { signature_id: sr.signatures[0].signature_id, name: 'Eve\u202E' },
    });
    assertError(upd, 400, 'bad_request', 'name');
  });
});

describe('deeply nested JSON in structured fields (200,000 levels, ~400 KB)', () => {
  const DEPTH = 200_000;
  const nested = '['.repeat(DEPTH) + ']'.repeat(DEPTH);
  const cases = [
    ['metadata', `{"k":${nested}}`, 'metadata'],
    ['form_fields_per_document', nested, 'form_fields_per_document'],
    ['signing_options', `{"draw":${nested}}`, 'signing_options'],
    ['field_options', `{"date_format":${nested}}`, 'field_options'],
  ];
  for (const [field, value, path] of cases) {
    test(`${field}: 400 in a JSON body and in multipart (error_path ${path}); the server keeps running`, async () => {
      const server = await startServer();
      try {
        const key = (await server.createAccount()).api_key;
        const signers = JSON.stringify(twoSigners());
        const attempt = async (opts) => {
          try {
            return await call(server.url, 'POST', SEND, { apiKey: key, ...opts });
          } catch (e) {
            return { error: e };
          } finally {
            await new Promise((r) => setTimeout(r, 200));
            assert.equal(server.proc.signalCode, null, `the server died with ${server.proc.signalCode}`);
            assert.equal(server.proc.exitCode, null, `the server exited with ${server.proc.exitCode}`);
          }
        };
        // JSON body: the body as a whole may be refused (no error_path needed).
        const res = await attempt({ json: `{"signers":${signers},"file_urls":["http://127.0.0.1:9/x.pdf"],"${field}":${value}}` });
        assert.ok(!res.error, `no answer: ${res.error?.cause?.code || res.error?.message}`);
        assertError(res, 400, 'bad_request');
        // Multipart: the field's JSON text is refused, naming the field.
        const form = sdkForm({ signers: twoSigners() }, [{ name: 'x.pdf', data: makePdf() }]);
        form.append(field, value);
        const res2 = await attempt({ multipart: form });
        assert.ok(!res2.error, `no answer: ${res2.error?.cause?.code || res2.error?.message}`);
        assertError(res2, 400, 'bad_request', path);
        expectJson(await call(server.url, 'GET', '/v3/account', { apiKey: key }), 200);
      } finally {
        await server.stop();
      }
    });
  }
});
