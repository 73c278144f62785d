// Text tags (docs/text-tags.md) through the official SDK (@dropbox/sign 1.11.0): a PDF whose
// text holds Dropbox Sign tags is sent with use_text_tags (and hide_text_tags); the tags become
// the request's fields (filled at completion: response_data, and the final PDF shows each value
// on the tag's page), hide_text_tags removes the tags' text from the stored document (pdftotext
// shows none, the other text stays) and neither flag is warned about any more. A tag naming a
// signer the request does not have is a 400 whose error_path is the document.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { pdfText } from './lib/pdf.mjs';
import * as DropboxSign from '@dropbox/sign';
import { startServer, uniqueEmail } from './lib/server.mjs';
import { waitForMail } from './lib/outbox.mjs';
import { WebSession, findForm } from './lib/web.mjs';
import { downloadFiles, waitForFinalPdf, sdkSignatureRequests } from './lib/sr.mjs';

let server;
let user;

before(async () => {
  server = await startServer();
  user = await server.createAccount();
});

after(async () => {
  if (server) await server.stop();
});

const api = () => sdkSignatureRequests(server.url, user.api_key);

// A Letter PDF whose pages run `contents` (content streams) with /F1 = Helvetica (WinAnsi).
function taggedPdf(contents) {
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>', null,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>'];
  const kids = [];
  for (const content of contents) {
    kids.push(`${objects.length + 1} 0 R`);
    objects.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${objects.length + 2} 0 R >>`);
    objects.push(`<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`);
  }
  objects[1] = `<< /Type /Pages /Kids [${kids.join(' ')}] /Count ${contents.length} >>`;
  let out = '%PDF-1.4\n';
  const offsets = objects.map((body, i) => {
    const at = out.length;
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return at;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const at of offsets) out += `${String(at).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

const PAGES = [
  'BT /F1 12 Tf 72 720 Td (Agreement between the parties.) Tj ET '
    + 'BT /F1 14 Tf 72 600 Td (Signature: ) Tj ([sig|req|signer1          ]) Tj ET '
    + 'BT /F1 12 Tf 72 540 Td (Initials: [initial|req|signer1] End of page one) Tj ET',
  'BT /F1 12 Tf 72 720 Td (Page two text.) Tj ET '
    + 'BT /F1 12 Tf 72 600 Td [(Date: [date|req|sig) 0 (ner2|Signed on|bo_date]) ] TJ ET '
    + 'BT /F1 14 Tf 72 500 Td ([sig|noreq|signer2|Second signature]) Tj ET',
];

function request(title, pdf, extra = {}) {
  return {
    title,
    testMode: true,
    files: [{ value: pdf, options: { filename: 'tagged.pdf', contentType: 'application/pdf' } }],
    signers: [
      { emailAddress: uniqueEmail('ann'), name: 'Ann Tagged' },
      { emailAddress: uniqueEmail('bo'), name: 'Bo Tagged' },
    ],
    useTextTags: true,
    ...extra,
  };
}

async function sign(link, typedName) {
  const url = new URL(link);
  const session = new WebSession(server.url);
  const page = await session.get(`${url.pathname}${url.search}`);
  assert.equal(page.status, 200, `signing page: ${page.status}`);
  const form = findForm(page.text, 'typed_name');
  const res = await session.post(url.pathname, { ...form.fields, kind: 'typed', typed_name: typedName, esign_consent: '1', action: 'sign' });
  assert.equal(res.status, 303, `sign: ${res.status} ${res.text.slice(0, 300)}`);
}

async function currentPdf(id) {
  const res = await downloadFiles(server.url, { apiKey: user.api_key }, id, 'pdf');
  assert.equal(res.status, 200, `files: ${res.status}`);
  return res.body;
}

test('use_text_tags + hide_text_tags: the tags become the fields, filled at completion, and their text is gone', async () => {
  const res = await api().signatureRequestSend(request('tagged and hidden', taggedPdf(PAGES), { hideTextTags: true }));
  assert.equal(res.response.status, 200);
  const messages = (res.body.warnings ?? []).map((w) => w.warningMsg);
  assert.ok(!messages.some((m) => /text_tags/.test(m)), `acted on, not warned about: ${JSON.stringify(messages)}`);
  const sr = res.body.signatureRequest;

  // The stored document no longer shows the tags; its other text is still there.
  const stored = pdfText(await currentPdf(sr.signatureRequestId));
  assert.ok(!/signer\d|\[sig|\[date|\[initial/.test(stored), `tags hidden:\n${stored}`);
  for (const kept of ['Agreement between the parties.', 'Signature:', 'End of page one', 'Page two text.', 'Date:']) {
    assert.ok(stored.includes(kept), `${kept} kept:\n${stored}`);
  }

  const mails = await waitForMail(server.dataDir, (m) => m.links.some((l) => sr.signatures.some((s) => s.signatureId === l.signatureId)), { count: 2 });
  const linkOf = (i) => mails.flatMap((m) => m.links).find((l) => l.signatureId === sr.signatures[i].signatureId).url;
  await sign(linkOf(0), 'Ann Quinn Tagged');
  await sign(linkOf(1), 'Bo Tagged');

  const { request: done, pdf } = await waitForFinalPdf(server.url, { apiKey: user.api_key }, sr.signatureRequestId);
  assert.ok(done.is_complete, 'complete');
  const [ann, bo] = done.signatures.map((s) => s.signature_id);
  const data = done.response_data.map(({ value, ...rest }) => rest);
  assert.deepEqual(data, [
    { api_id: 'texttag_0_1', signature_id: ann, name: '', required: true, type: 'signature', is_signed: true },
    { api_id: 'texttag_0_2', signature_id: ann, name: '', required: true, type: 'initials', is_signed: true },
    { api_id: 'bo_date', signature_id: bo, name: 'Signed on', required: true, type: 'date_signed' },
    { api_id: 'texttag_0_4', signature_id: bo, name: 'Second signature', required: false, type: 'signature', is_signed: true },
  ]);
  const date = done.response_data[2].value;
  assert.match(date, /^\d\d \/ \d\d \/ \d{4}$/);

  const one = pdfText(pdf.body, 1);
  assert.ok(one.includes('AQT'), `Ann's initials on page 1:\n${one}`);
  assert.ok(one.includes('Ann Quinn Tagged'), `Ann's signature on page 1:\n${one}`);
  assert.ok(!/signer\d/.test(one), `no tag on page 1:\n${one}`);
  const two = pdfText(pdf.body, 2);
  assert.ok(two.includes(date), `Bo's date on page 2:\n${two}`);
  assert.ok(!/signer\d/.test(two), `no tag on page 2:\n${two}`);
});

test('use_text_tags alone keeps the tags in the document; hide_text_tags alone is warned about', async () => {
  const shown = (await api().signatureRequestSend(request('tagged, shown', taggedPdf(PAGES)))).body;
  const text = pdfText(await currentPdf(shown.signatureRequest.signatureRequestId));
  assert.ok(text.includes('[initial|req|signer1]'), text);
  assert.ok(!(shown.warnings ?? []).some((w) => /text_tags/.test(w.warningMsg)), JSON.stringify(shown.warnings));

  const ignored = (await api().signatureRequestSend(request('hide without use', taggedPdf(PAGES), { useTextTags: false, hideTextTags: true }))).body;
  const messages = (ignored.warnings ?? []).map((w) => `${w.warningName}: ${w.warningMsg}`);
  assert.ok(messages.includes('parameter_ignored: Parameter hide_text_tags is not supported and was ignored.'), JSON.stringify(messages));
  const kept = pdfText(await currentPdf(ignored.signatureRequest.signatureRequestId));
  assert.ok(kept.includes('[initial|req|signer1]'), kept);
});

test('a tag for a signer the request does not have is 400 naming the tag, with the document as error_path', async () => {
  const pdf = taggedPdf(['BT /F1 12 Tf 72 600 Td ([sig|req|signer3]) Tj ET']);
  let caught;
  try {
    await api().signatureRequestSend(request('bad tag', pdf, { hideTextTags: true }));
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof DropboxSign.HttpError, 'an HttpError');
  assert.equal(caught.statusCode, 400, JSON.stringify(caught.body));
  assert.equal(caught.body.error.errorName, 'bad_request');
  assert.equal(caught.body.error.errorPath, 'files[0]');
  assert.match(caught.body.error.errorMsg, /Text tag "\[sig\|req\|signer3\]" on page 1: signer3 is not one of the 2 signers/);
});
