// form_fields_per_document and other send parameters, through the official SDK (@dropbox/sign
// 1.11.0): a field of every type for two signers is accepted, custom_fields fill the merge fields
// and come back typed, and what Countersign does not act on (a custom field no merge field uses)
// comes back as a parameter_ignored warning naming it (never silence); bad fields
// (unknown signer, duplicate api_id, off the page, overlapping, bad regex, missing key) are 400
// bad_request with the field's error_path, and nothing is sent; parameters accepted but not
// acted on (is_eid, a signer's sms_phone_number, ...) are warned about by name.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as DropboxSign from '@dropbox/sign';
import { sdkSignatureRequests } from './lib/sr.mjs';
import { startServer, uniqueEmail } from './lib/server.mjs';
import { makePdf } from './lib/pdf.mjs';

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

// A field of `type` for `signer` at (x, y) on page 1 of the first document (Letter, 612 x 792).
function field(type, apiId, signer, y, extra = {}) {
  return { documentIndex: 0, apiId, type, required: true, signer, page: 1, x: 72, y, width: 200, height: 24, ...extra };
}

function request(fields, title) {
  return {
    title,
    testMode: true,
    files: [{ value: makePdf({ pages: 2 }), options: { filename: 'fields.pdf', contentType: 'application/pdf' } }],
    signers: [
      { emailAddress: uniqueEmail('first'), name: 'First Signer', order: 0 },
      { emailAddress: uniqueEmail('second'), name: 'Second Signer', order: 1 },
    ],
    formFieldsPerDocument: fields,
  };
}

async function expectBadField(fields, errorPath) {
  const title = `bad ${errorPath} ${Math.random()}`;
  let caught;
  try {
    await api().signatureRequestSend(request(fields, title));
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof DropboxSign.HttpError, `expected an HttpError for ${errorPath}`);
  assert.equal(caught.statusCode, 400, JSON.stringify(caught.body));
  assert.equal(caught.body.error.errorName, 'bad_request');
  assert.equal(caught.body.error.errorPath, errorPath, caught.body.error.errorMsg);
  const list = await api().signatureRequestList(undefined, 1, 100, `title:"${title}"`);
  assert.equal(list.body.signatureRequests.length, 0, 'nothing was sent');
}

test('a field of every type for two signers is accepted; custom_fields fill the merge fields and are echoed', async () => {
  const fields = [
    field('signature', 'sig_0', 0, 72),
    field('signature', 'sig_1', 1, 112),
    field('initials', 'init_0', 0, 152),
    field('text', 'name_1', 1, 192, { validationType: 'custom_regex', validationCustomRegex: '^[A-Z][a-z]+$', placeholder: 'Name' }),
    field('date_signed', 'date_0', 0, 232),
    field('checkbox', 'agree_1', 1, 272, { width: 16, height: 16, isChecked: false }),
    field('radio', 'plan_a', 0, 312, { width: 16, height: 16, group: 'plan', isChecked: true }),
    field('dropdown', 'colour_1', 1, 352, { options: ['red', 'blue'], content: 'red' }),
    field('hyperlink', 'link_0', 0, 392, { content: 'Terms', contentUrl: 'https://example.com/terms' }),
    field('text-merge', 'merge_text', 'sender', 432, { name: 'Company' }),
    field('checkbox-merge', 'merge_check', 'sender', 472, { width: 16, height: 16, name: 'Approved' }),
  ];
  const req = request(fields, 'every field type');
  req.customFields = [
    { name: 'Company', value: 'Acme Ltd' },
    { name: 'Approved', value: 'true' },
    { name: 'Spare', value: 'unused' },
  ];
  const res = await api().signatureRequestSend(req);
  assert.equal(res.response.status, 200);
  const sr = res.body.signatureRequest;
  assert.equal(sr.signatures.length, 2);
  // Every field type is acted on now: the only warning is the custom field no merge field uses.
  const warnings = (res.body.warnings ?? []).filter((w) => /form_fields_per_document\[|custom_fields\[/.test(w.warningMsg));
  assert.deepEqual(warnings.map((w) => w.warningName), ['parameter_ignored'], JSON.stringify(warnings));
  assert.match(warnings[0].warningMsg, /custom_fields\[2\].*"Spare"/);
  // custom_fields come back typed by the merge field they fill (SDK models).
  const custom = sr.customFields;
  assert.equal(custom.length, 3);
  assert.ok(custom[0] instanceof DropboxSign.SignatureRequestResponseCustomFieldText, custom[0].constructor.name);
  assert.deepEqual([custom[0].name, custom[0].value, custom[0].apiId], ['Company', 'Acme Ltd', 'merge_text']);
  assert.ok(custom[1] instanceof DropboxSign.SignatureRequestResponseCustomFieldCheckbox, custom[1].constructor.name);
  assert.deepEqual([custom[1].name, custom[1].value, custom[1].apiId], ['Approved', true, 'merge_check']);
  // response_data holds the sender's merge values from the start; signers' values come later.
  const merged = Object.fromEntries(sr.responseData.map((d) => [d.apiId, d.value]));
  assert.deepEqual(merged, { merge_text: 'Acme Ltd', merge_check: 'true' });
  // (The title query that shows a refused send made nothing finds this one.)
  const list = await api().signatureRequestList(undefined, 1, 100, 'title:"every field type"');
  assert.equal(list.body.signatureRequests.length, 1);
});

test('bad fields are 400 with the error_path of the field, and nothing is sent', async () => {
  await expectBadField([field('text', 't', 2, 72)], 'form_fields_per_document[0].signer');
  await expectBadField([field('text', 'same', 0, 72), field('text', 'same', 1, 112)], 'form_fields_per_document[1].api_id');
  await expectBadField([field('text', 't', 0, 72, { x: 500 })], 'form_fields_per_document[0]');
  await expectBadField([field('text', 't', 0, 72, { page: 3 })], 'form_fields_per_document[0].page');
  await expectBadField([field('text', 'a', 0, 72), field('text', 'b', 1, 80)], 'form_fields_per_document[1]');
  await expectBadField([field('text', 't', 0, 72, { validationType: 'custom_regex', validationCustomRegex: '([' })],
    'form_fields_per_document[0].validation_custom_regex');
  await expectBadField([field('text', 't', 0, 72, { documentIndex: 1 })], 'form_fields_per_document[0].document_index');
  await expectBadField([field('sparkles', 't', 0, 72)], 'form_fields_per_document[0].type');
  await expectBadField([field('hyperlink', 't', 0, 72, { content: 'x', contentUrl: 'javascript:alert(1)' })],
    'form_fields_per_document[0].content_url');
  await expectBadField([field('text', 't', 0, 72, { fontSize: 60 })], 'form_fields_per_document[0].font_size');
});

test('parameters accepted but not acted on are warned about by name', async () => {
  const req = request([], 'ignored parameters');
  req.signers[0].smsPhoneNumber = '+14155550100';
  req.isEid = true;
  req.allowReassign = true;
  const res = await api().signatureRequestSend(req);
  const messages = (res.body.warnings ?? []).map((w) => `${w.warningName}: ${w.warningMsg}`);
  for (const name of ['signers[0].sms_phone_number', 'is_eid', 'allow_reassign']) {
    assert.ok(messages.includes(`parameter_ignored: Parameter ${name} is not supported and was ignored.`),
      `${name} in ${JSON.stringify(messages)}`);
  }
  // The SDK's defaults (false) are not warned about.
  assert.ok(!messages.some((m) => /is_qualified_signature|hide_text_tags/.test(m)), JSON.stringify(messages));
});
