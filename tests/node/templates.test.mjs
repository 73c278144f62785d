// Templates (issue 13) through the official Dropbox Sign Node SDK (@dropbox/sign 1.11.0)
// against a real Countersign server: templateCreate with the spec's example request
// (file_urls, signer roles with order, CC roles, merge fields, form fields by role index),
// templateGet, templateList, templateFiles (pdf, zip), templateFilesAsDataUri,
// templateFilesAsFileUrl, templateUpdateFiles, templateAddUser / templateRemoveUser,
// templateDelete, and signatureRequestSendWithTemplate with the spec's example shape (signers
// and ccs by role, custom_fields filling a merge field). Then what must not happen: a role no
// template has (400, error_path), another account's template (404, never 403), an app token
// without template_access (403) or on a template it did not create (404), and a request sent
// from a template changing when the template is deleted. Assertions are on the SDK's parsed
// models and on its HttpError for 4xx answers.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as DropboxSign from '@dropbox/sign';
import { startServer, uniqueEmail } from './lib/server.mjs';
import { createApp, loggedIn, obtainTokens } from './lib/web.mjs';
import { makePdf, pageCount, sha256 } from './lib/pdf.mjs';
import { readZip } from './lib/zip.mjs';
import { startFileServer } from './lib/fileserver.mjs';
import { call, expectJson, assertError } from './lib/http.mjs';
import { waitForMail } from './lib/outbox.mjs';
import { WebSession, findForm } from './lib/web.mjs';

let server;
let base;
let user; // owns the templates
let other; // another account
let files; // serves the file_urls
let token; // user's token for an app with template_access and signature_request_access
let narrowToken; // user's token for an app with signature_request_access only
const ndaPdf = makePdf({ pages: 2, label: 'mutual-NDA-example' });
const orderPdf = makePdf({ pages: 1, label: 'purchase order' });

before(async () => {
  server = await startServer({ extraArgs: ['--allow-private-file-urls'] });
  base = server.url;
  user = await server.createAccount();
  other = await server.createAccount();
  files = await startFileServer();
  const owner = await server.createAccount();
  const wide = await createApp(base, owner.api_key, {
    name: 'Template app', scopes: ['template_access', 'signature_request_access'],
  });
  const narrow = await createApp(base, owner.api_key, {
    name: 'Requests only app', scopes: ['signature_request_access'],
  });
  await server.approveApp(wide.clientId);
  await server.approveApp(narrow.clientId);
  const session = await loggedIn(base, user);
  token = (await obtainTokens(base, session, wide)).access_token;
  narrowToken = (await obtainTokens(base, session, narrow)).access_token;
});

after(async () => {
  if (files) await files.close();
  if (server) await server.stop();
});

function templateApi(auth = user.api_key) {
  const api = new DropboxSign.TemplateApi();
  api.basePath = `${base}/v3`;
  if (auth.bearer) api.accessToken = auth.bearer;
  else api.username = auth;
  return api;
}

function requestApi(auth = user.api_key) {
  const api = new DropboxSign.SignatureRequestApi();
  api.basePath = `${base}/v3`;
  if (auth.bearer) api.accessToken = auth.bearer;
  else api.username = auth;
  return api;
}

/** Runs `fn`, expects the SDK's HttpError with `status`; returns the parsed error. */
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
  const err = caught.body?.error;
  if (errorName) {
    assert.ok(err, `parsed ErrorResponse in ${JSON.stringify(caught.body)}`);
    assert.equal(err.errorName, errorName);
  }
  return err ?? null;
}

/** The spec's TemplateCreateRequest example (examples/json/TemplateCreateRequest.json). */
function specCreateRequest() {
  return {
    fileUrls: [files.serve('/mutual-NDA-example.pdf', ndaPdf)],
    title: 'Test Template',
    subject: 'Please sign this document',
    message: 'For your approval',
    signerRoles: [{ name: 'Client', order: 0 }, { name: 'Witness', order: 1 }],
    ccRoles: ['Manager'],
    mergeFields: [{ name: 'Full Name', type: 'text' }, { name: 'Is Registered?', type: 'checkbox' }],
    fieldOptions: { dateFormat: 'DD - MM - YYYY' },
    formFieldsPerDocument: [
      {
        documentIndex: 0, apiId: 'uniqueIdHere_1', name: '', placeholder: '', type: 'text',
        x: 112, y: 328, width: 100, height: 16, required: true, signer: 1, page: 1,
        validationType: 'numbers_only',
      },
      {
        // changed: x 430, not 530 — at 530 the 120 points wide box would stick out of the
        // Letter page, and Countersign refuses fields off their page.
        documentIndex: 0, apiId: 'uniqueIdHere_2', name: '', type: 'signature',
        x: 430, y: 415, width: 120, height: 30, required: true, signer: 0, page: 1,
      },
    ],
    testMode: true,
    signerExperience: { formView: 'disabled' },
  };
}

/** The template the spec's send_with_template example uses: role Client, CC Accounting, merge field Cost. */
function purchaseOrderRequest() {
  return {
    files: [{ value: orderPdf, options: { filename: 'purchase_order.pdf', contentType: 'application/pdf' } }],
    title: 'Purchase order',
    subject: 'Template subject',
    message: 'Template message',
    signerRoles: [{ name: 'Client' }],
    ccRoles: ['Accounting'],
    mergeFields: [{ name: 'Cost', type: 'text' }],
    formFieldsPerDocument: [
      {
        documentIndex: 0, apiId: 'cost_1', name: 'Cost', type: 'text-merge',
        x: 378, y: 36, width: 84, height: 14, required: false, signer: 'sender', page: 1,
      },
      {
        documentIndex: 0, apiId: 'client_sig', name: 'Signature', type: 'signature',
        x: 100, y: 600, width: 120, height: 30, required: true, signer: 'Client', page: 1,
      },
    ],
    testMode: true,
  };
}

describe('templates through the SDK', () => {
  let ndaId;
  let orderId;

  test('templateCreate: the spec example (JSON, file_urls) answers a template_id', async () => {
    let res;
    try {
      res = await templateApi().templateCreate(specCreateRequest());
    } catch (e) {
      assert.fail(`templateCreate: ${e.statusCode} ${JSON.stringify(e.body)}`);
    }
    assert.equal(res.response.status, 200);
    assert.ok(res.body instanceof DropboxSign.TemplateCreateResponse);
    ndaId = res.body.template.templateId;
    assert.match(ndaId, /^[0-9a-f]{40}$/);
  });

  test('templateCreate: multipart with an uploaded file, roles by name and a placed merge field', async () => {
    const res = await templateApi().templateCreate(purchaseOrderRequest());
    orderId = res.body.template.templateId;
    assert.match(orderId, /^[0-9a-f]{40}$/);
    assert.notEqual(orderId, ndaId);
  });

  test('templateGet: the TemplateResponse of the spec example', async () => {
    const res = await templateApi().templateGet(ndaId);
    assert.ok(res.body instanceof DropboxSign.TemplateGetResponse);
    const t = res.body.template;
    assert.ok(t instanceof DropboxSign.TemplateResponse);
    assert.equal(t.templateId, ndaId);
    assert.equal(t.title, 'Test Template');
    assert.equal(t.message, 'For your approval');
    assert.equal(t.isCreator, true);
    assert.equal(t.canEdit, true);
    assert.equal(t.isLocked, false);
    assert.equal(typeof t.updatedAt, 'number');
    assert.deepEqual(t.signerRoles.map((r) => [r.name, r.order]), [['Client', 0], ['Witness', 1]]);
    assert.deepEqual(t.ccRoles.map((r) => r.name), ['Manager']);
    assert.deepEqual(t.attachments, []);
    assert.equal(t.documents.length, 1);
    const doc = t.documents[0];
    assert.equal(doc.index, 0);
    assert.equal(doc.name, 'mutual-NDA-example.pdf');
    const byId = Object.fromEntries(doc.formFields.map((f) => [f.apiId, f]));
    assert.deepEqual(Object.keys(byId).sort(), ['uniqueIdHere_1', 'uniqueIdHere_2']);
    assert.ok(byId.uniqueIdHere_1 instanceof DropboxSign.TemplateResponseDocumentFormFieldText);
    assert.equal(byId.uniqueIdHere_1.type, 'text');
    assert.equal(String(byId.uniqueIdHere_1.signer), '2', 'the second role, numbered from 1');
    assert.equal(byId.uniqueIdHere_1.validationType, 'numbers_only');
    assert.deepEqual([byId.uniqueIdHere_1.x, byId.uniqueIdHere_1.y], [112, 328]);
    assert.ok(byId.uniqueIdHere_2 instanceof DropboxSign.TemplateResponseDocumentFormFieldSignature);
    assert.equal(String(byId.uniqueIdHere_2.signer), '1');
    assert.deepEqual(doc.customFields.map((f) => [f.name, f.type]).sort(),
      [['Full Name', 'text'], ['Is Registered?', 'checkbox']]);
    assert.equal(t.accounts.length, 1);
    assert.equal(t.accounts[0].accountId, user.account_id);
    assert.equal(t.accounts[0].emailAddress, user.email_address);
  });

  test('templateGet: a placed merge field is a custom field; a field by role name is that role\'s', async () => {
    const t = (await templateApi().templateGet(orderId)).body.template;
    const doc = t.documents[0];
    assert.deepEqual(doc.customFields.map((f) => [f.name, f.type, f.apiId, f.x, f.y]),
      [['Cost', 'text', 'cost_1', 378, 36]]);
    assert.deepEqual(doc.formFields.map((f) => [f.apiId, String(f.signer)]), [['client_sig', '1']]);
  });

  test('templateList: both templates with list_info, paged; query filters by title', async () => {
    const res = await templateApi().templateList(undefined, 1, 20);
    assert.ok(res.body instanceof DropboxSign.TemplateListResponse);
    // Newest first; both were made within the same second, so either order is right.
    assert.deepEqual(res.body.templates.map((t) => t.templateId).sort(), [orderId, ndaId].sort());
    assert.equal(res.body.listInfo.numResults, 2);
    assert.equal(res.body.listInfo.page, 1);
    assert.equal(res.body.listInfo.pageSize, 20);
    const found = await templateApi().templateList(undefined, 1, 20, 'purchase');
    assert.deepEqual(found.body.templates.map((t) => t.templateId), [orderId]);
    assert.equal(found.body.listInfo.numResults, 1);
    const first = await templateApi().templateList(undefined, 1, 1);
    const second = await templateApi().templateList(undefined, 2, 1);
    assert.deepEqual([...first.body.templates, ...second.body.templates].map((t) => t.templateId),
      res.body.templates.map((t) => t.templateId), 'pages follow the list\'s order');
    assert.equal(second.body.listInfo.numPages, 2);
  });

  test('templateFiles (pdf, zip), templateFilesAsDataUri, templateFilesAsFileUrl: the document as given', async () => {
    const api = templateApi();
    const pdf = await api.templateFiles(ndaId, 'pdf');
    assert.equal(sha256(Buffer.from(pdf.body)), sha256(ndaPdf));
    const zip = await api.templateFiles(ndaId, 'zip');
    const entries = readZip(Buffer.from(zip.body));
    assert.deepEqual(entries.map((e) => sha256(e.data)), [sha256(ndaPdf)]);
    const dataUri = await api.templateFilesAsDataUri(ndaId);
    assert.equal(dataUri.body.dataUri, 'data:application/pdf;base64,' + ndaPdf.toString('base64'));
    const link = await api.templateFilesAsFileUrl(ndaId, 1);
    assert.ok(link.body.expiresAt > Date.now() / 1000);
    const fetched = await fetch(link.body.fileUrl);
    assert.equal(fetched.status, 200);
    assert.equal(sha256(Buffer.from(await fetched.arrayBuffer())), sha256(ndaPdf));
    // The link names the template: changed, it opens nothing.
    const tampered = await fetch(link.body.fileUrl.replace(ndaId, orderId));
    assert.equal(tampered.status, 404);
  });

  test('templateUpdateFiles: a new template with the new file and the old overlay; the old one stays', async () => {
    const newer = makePdf({ pages: 3, label: 'mutual-NDA-v2' });
    const res = await templateApi().templateUpdateFiles(ndaId, {
      files: [{ value: newer, options: { filename: 'nda-v2.pdf', contentType: 'application/pdf' } }],
      subject: 'Version 2',
    });
    assert.ok(res.body instanceof DropboxSign.TemplateUpdateFilesResponse);
    const newId = res.body.template.templateId;
    assert.match(newId, /^[0-9a-f]{40}$/);
    assert.notEqual(newId, ndaId);
    const fresh = (await templateApi().templateGet(newId)).body.template;
    assert.equal(fresh.documents[0].name, 'nda-v2.pdf');
    assert.deepEqual(fresh.documents[0].formFields.map((f) => f.apiId).sort(), ['uniqueIdHere_1', 'uniqueIdHere_2']);
    assert.equal(await pageCount(Buffer.from((await templateApi().templateFiles(newId, 'pdf')).body)), 3);
    const old = await templateApi().templateFiles(ndaId, 'pdf');
    assert.equal(sha256(Buffer.from(old.body)), sha256(ndaPdf));
    // A file with fewer pages than the overlay needs is refused.
    const err = await expectHttpError(() => templateApi().templateUpdateFiles(ndaId, {
      files: [{ value: makePdf({ pages: 1 }), options: { filename: 'short.pdf', contentType: 'application/pdf' } }],
    }), 400, 'bad_request');
    assert.equal(err.errorPath, 'files[0]');
    await templateApi().templateDelete(newId);
  });

  test('POST /template/update/{id} (openapi-sdk.yaml; not in SDK 1.11.0): the TemplateUpdateRequest example', async () => {
    const made = await templateApi().templateCreate(specCreateRequest());
    const id = made.body.template.templateId;
    const body = expectJson(await call(base, 'POST', `/v3/template/update/${id}`, {
      apiKey: user.api_key,
      json: {
        signer_experience: { form_view: 'disabled' },
        title: 'Test Title',
        subject: 'Test Subject',
        message: 'Test Message',
        cc_roles: ['CC Role 1', 'CC Role 2'],
        form_fields: [{ api_id: 'uniqueIdHere_1', name: 'New name 1' }, { api_id: 'uniqueIdHere_2', name: 'New name 2' }],
      },
    }), 200);
    assert.equal(body.template.template_id, id);
    const t = (await templateApi().templateGet(id)).body.template;
    assert.equal(t.title, 'Test Title');
    assert.equal(t.message, 'Test Message');
    assert.deepEqual(t.ccRoles.map((r) => r.name), ['CC Role 1', 'CC Role 2']);
    assert.deepEqual(t.documents[0].formFields.map((f) => [f.apiId, f.name]).sort(),
      [['uniqueIdHere_1', 'New name 1'], ['uniqueIdHere_2', 'New name 2']]);
    assertError(await call(base, 'POST', `/v3/template/update/${id}`, {
      apiKey: user.api_key, json: { form_fields: [{ api_id: 'nope', name: 'x' }] },
    }), 400, 'bad_request', 'form_fields[0].api_id');
    assertError(await call(base, 'POST', `/v3/template/update/${id}`, {
      apiKey: other.api_key, json: { title: 'Mine now' },
    }), 404, 'not_found');
    await templateApi().templateDelete(id);
  });

  test('signatureRequestSendWithTemplate: the spec example shape (signers and ccs by role, custom_fields)', async () => {
    const george = uniqueEmail('george');
    const accounting = uniqueEmail('accounting');
    const res = await requestApi().signatureRequestSendWithTemplate({
      templateIds: [orderId],
      subject: 'Purchase Order',
      message: 'Glad we could come to an agreement.',
      signers: [{ role: 'Client', name: 'George', emailAddress: george }],
      ccs: [{ role: 'Accounting', emailAddress: accounting }],
      customFields: [{ name: 'Cost', value: '$20,000', editor: 'Client', required: true }],
      signingOptions: { draw: true, type: true, upload: true, phone: false, defaultType: 'draw' },
      testMode: true,
    });
    assert.equal(res.response.status, 200);
    assert.ok(res.body instanceof DropboxSign.SignatureRequestGetResponse);
    const sr = res.body.signatureRequest;
    assert.equal(sr.title, 'Purchase order');
    assert.equal(sr.subject, 'Purchase Order');
    assert.equal(sr.message, 'Glad we could come to an agreement.');
    assert.equal(sr.testMode, true);
    assert.deepEqual(sr.signatures.map((s) => [s.signerName, s.signerEmailAddress, s.signerRole]),
      [['George', george, 'Client']]);
    assert.deepEqual(sr.templateIds, [orderId]);
    assert.deepEqual(sr.ccEmailAddresses, [accounting]);
    const cost = sr.customFields.find((f) => f.name === 'Cost');
    assert.ok(cost, `custom_fields ${JSON.stringify(sr.customFields)}`);
    assert.equal(cost.value, '$20,000');

    // The request owns its copy: deleting the template changes nothing about it.
    const before = (await requestApi().signatureRequestFiles(sr.signatureRequestId, 'pdf')).body;
    assert.equal(sha256(Buffer.from(before)), sha256(orderPdf));
    const copy = await templateApi().templateCreate(purchaseOrderRequest());
    await templateApi().templateDelete(copy.body.template.templateId);
    await expectHttpError(() => templateApi().templateGet(copy.body.template.templateId), 404, 'not_found');
    const again = await requestApi().signatureRequestGet(sr.signatureRequestId);
    assert.deepEqual(again.body.signatureRequest.signatures.map((s) => s.signerEmailAddress), [george]);
  });

  test('a signer signs a request made from a template: response_data holds the role\'s fields', async () => {
    const made = await templateApi().templateCreate({
      files: [{ value: orderPdf, options: { filename: 'form.pdf', contentType: 'application/pdf' } }],
      title: 'Form from a template',
      signerRoles: [{ name: 'Vendor', order: 0 }, { name: 'Buyer', order: 1 }],
      formFieldsPerDocument: [
        { documentIndex: 0, apiId: 'company', name: 'Company', type: 'text', x: 100, y: 100,
          width: 150, height: 20, required: true, signer: 'Buyer', page: 1 },
        { documentIndex: 0, apiId: 'vendor_sig', name: 'Vendor signature', type: 'signature', x: 100, y: 300,
          width: 150, height: 30, required: true, signer: 'Vendor', page: 1 },
        { documentIndex: 0, apiId: 'buyer_sig', name: 'Buyer signature', type: 'signature', x: 100, y: 400,
          width: 150, height: 30, required: true, signer: 'Buyer', page: 1 },
      ],
    });
    const buyer = uniqueEmail('buyer');
    const sent = await requestApi().signatureRequestSendWithTemplate({
      templateIds: [made.body.template.templateId],
      signers: [
        { role: 'Buyer', name: 'Bea Buyer', emailAddress: buyer },
        { role: 'Vendor', name: 'Vic Vendor', emailAddress: uniqueEmail('vendor') },
      ],
      testMode: true,
    });
    const sr = sent.body.signatureRequest;
    const [vendorSig, buyerSig] = sr.signatures;
    assert.deepEqual([vendorSig.signerRole, vendorSig.order, buyerSig.signerRole, buyerSig.order],
      ['Vendor', 0, 'Buyer', 1]);

    const signAs = async (signatureId, name, fields) => {
      const [mail] = await waitForMail(server.dataDir, (m) => m.links.some((l) => l.signatureId === signatureId));
      const link = new URL(mail.links.find((l) => l.signatureId === signatureId).url);
      const web = new WebSession(base);
      const form = findForm((await web.get(`${link.pathname}${link.search}`)).text, 'typed_name').fields;
      const res = await web.post(link.pathname, {
        ...form, kind: 'typed', typed_name: name, esign_consent: '1', action: 'sign', ...fields,
      });
      assert.ok(res.status === 303 || res.status === 200, `sign: HTTP ${res.status} ${res.text.slice(0, 300)}`);
    };
    await signAs(vendorSig.signatureId, 'Vic Vendor', {});
    await signAs(buyerSig.signatureId, 'Bea Buyer', { 'field[company]': 'Acme Corp' });

    const got = (await requestApi().signatureRequestGet(sr.signatureRequestId)).body.signatureRequest;
    const company = got.responseData.find((d) => d.apiId === 'company');
    assert.ok(company, `response_data ${JSON.stringify(got.responseData)}`);
    assert.equal(company.value, 'Acme Corp');
    assert.equal(company.signatureId, buyerSig.signatureId, 'the Buyer role\'s field, filled by its signer');
  });

  test('send_with_template: two templates merge in order (documents, roles)', async () => {
    const client = uniqueEmail('client');
    const witness = uniqueEmail('witness');
    const res = await requestApi().signatureRequestSendWithTemplate({
      templateIds: [ndaId, orderId],
      signers: [
        { role: 'Witness', name: 'Wanda', emailAddress: witness },
        { role: 'Client', name: 'Carl', emailAddress: client },
      ],
      ccs: [{ role: 'Manager', emailAddress: uniqueEmail('m') }, { role: 'Accounting', emailAddress: uniqueEmail('a') }],
      testMode: true,
    });
    const sr = res.body.signatureRequest;
    assert.equal(sr.title, 'Test Template');
    // Roles in template order, whatever the order of `signers`.
    assert.deepEqual(sr.signatures.map((s) => [s.signerEmailAddress, s.signerRole]),
      [[client, 'Client'], [witness, 'Witness']]);
    assert.deepEqual(sr.templateIds, [ndaId, orderId]);
    assert.equal(sr.ccEmailAddresses.length, 2);
    const zip = await requestApi().signatureRequestFiles(sr.signatureRequestId, 'zip');
    assert.deepEqual(readZip(Buffer.from(zip.body)).map((e) => sha256(e.data)), [sha256(ndaPdf), sha256(orderPdf)]);
  });

  test('send_with_template: a role no template has is 400 with error_path signers[0].role', async () => {
    const err = await expectHttpError(() => requestApi().signatureRequestSendWithTemplate({
      templateIds: [orderId],
      signers: [{ role: 'client', name: 'George', emailAddress: uniqueEmail('g') }], // case matters
      ccs: [{ role: 'Accounting', emailAddress: uniqueEmail('a') }],
    }), 400, 'bad_request');
    assert.equal(err.errorPath, 'signers[0].role');
  });

  test('send_with_template: a role left without a signer is 400 with error_path signers', async () => {
    const err = await expectHttpError(() => requestApi().signatureRequestSendWithTemplate({
      templateIds: [ndaId],
      signers: [{ role: 'Client', name: 'George', emailAddress: uniqueEmail('g') }],
      ccs: [{ role: 'Manager', emailAddress: uniqueEmail('m') }],
    }), 400, 'bad_request');
    assert.equal(err.errorPath, 'signers');
    assert.match(err.errorMsg, /Witness/);
  });

  test('another account\'s template is 404, never 403: get, files, delete, send_with_template', async () => {
    await expectHttpError(() => templateApi(other.api_key).templateGet(orderId), 404, 'not_found');
    await expectHttpError(() => templateApi(other.api_key).templateFiles(orderId, 'pdf'), 404);
    await expectHttpError(() => templateApi(other.api_key).templateDelete(orderId), 404, 'not_found');
    const err = await expectHttpError(() => requestApi(other.api_key).signatureRequestSendWithTemplate({
      templateIds: [orderId],
      signers: [{ role: 'Client', name: 'George', emailAddress: uniqueEmail('g') }],
      ccs: [{ role: 'Accounting', emailAddress: uniqueEmail('a') }],
    }), 404, 'not_found');
    assert.equal(err.errorPath, 'template_ids[0]');
    const list = await templateApi(other.api_key).templateList();
    assert.deepEqual(list.body.templates, []);
    await expectHttpError(() => templateApi().templateGet('0'.repeat(40)), 404, 'not_found');
  });

  test('templateAddUser / templateRemoveUser: shared, the other account sees and uses it but cannot change it', async () => {
    const shared = await templateApi().templateAddUser(orderId, { emailAddress: other.email_address });
    assert.deepEqual(shared.body.template.accounts.map((a) => a.accountId), [user.account_id, other.account_id]);
    const seen = (await templateApi(other.api_key).templateGet(orderId)).body.template;
    assert.equal(seen.isCreator, false);
    assert.equal(seen.canEdit, false);
    const list = await templateApi(other.api_key).templateList();
    assert.deepEqual(list.body.templates.map((t) => t.templateId), [orderId]);
    await expectHttpError(() => templateApi(other.api_key).templateDelete(orderId), 403, 'forbidden');
    const sent = await requestApi(other.api_key).signatureRequestSendWithTemplate({
      templateIds: [orderId],
      signers: [{ role: 'Client', name: 'George', emailAddress: uniqueEmail('g') }],
      ccs: [{ role: 'Accounting', emailAddress: uniqueEmail('a') }],
      testMode: true,
    });
    assert.equal(sent.body.signatureRequest.requesterEmailAddress, other.email_address);

    const removed = await templateApi().templateRemoveUser(orderId, { accountId: other.account_id });
    assert.deepEqual(removed.body.template.accounts.map((a) => a.accountId), [user.account_id]);
    await expectHttpError(() => templateApi(other.api_key).templateGet(orderId), 404, 'not_found');
  });

  test('Bearer tokens: template_access is needed; an app sees only the templates it created', async () => {
    await expectHttpError(() => templateApi({ bearer: narrowToken }).templateList(), 403, 'forbidden');
    // Made with the API key: not the app's.
    await expectHttpError(() => templateApi({ bearer: token }).templateGet(orderId), 404, 'not_found');
    const made = await templateApi({ bearer: token }).templateCreate({
      files: [{ value: orderPdf, options: { filename: 'app.pdf', contentType: 'application/pdf' } }],
      title: 'Made by the app',
      signerRoles: [{ name: 'Client' }],
      formFieldsPerDocument: [],
    });
    const appId = made.body.template.templateId;
    const list = await templateApi({ bearer: token }).templateList();
    assert.deepEqual(list.body.templates.map((t) => t.templateId), [appId]);
    const got = await templateApi({ bearer: token }).templateGet(appId);
    assert.equal(got.body.template.isCreator, true);
    // The user's API key sees it too.
    await templateApi().templateGet(appId);
    const sr = await requestApi({ bearer: token }).signatureRequestSendWithTemplate({
      templateIds: [appId],
      signers: [{ role: 'Client', name: 'Tok', emailAddress: uniqueEmail('tok') }],
      testMode: true,
    });
    assert.equal(sr.body.signatureRequest.title, 'Made by the app');
    await expectHttpError(() => requestApi({ bearer: token }).signatureRequestSendWithTemplate({
      templateIds: [orderId],
      signers: [{ role: 'Client', name: 'Tok', emailAddress: uniqueEmail('tok') }],
      ccs: [{ role: 'Accounting', emailAddress: uniqueEmail('a') }],
    }), 404, 'not_found');
  });

  test('templateCreate: a form field for a role the template does not have is 400', async () => {
    const req = purchaseOrderRequest();
    req.formFieldsPerDocument[1].signer = 'Witness';
    const err = await expectHttpError(() => templateApi().templateCreate(req), 400, 'bad_request');
    assert.equal(err.errorPath, 'form_fields_per_document[1].signer');
  });

  test('templateDelete: gone from get and list', async () => {
    const res = await templateApi().templateDelete(ndaId);
    assert.equal(res.response.status, 200);
    await expectHttpError(() => templateApi().templateGet(ndaId), 404, 'not_found');
    const list = await templateApi().templateList();
    assert.ok(!list.body.templates.some((t) => t.templateId === ndaId));
  });
});
