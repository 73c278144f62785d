// Templates (issue 13) through the official Dropbox Sign Node SDK (@dropbox/sign 1.11.0)
// against a real Countersign server: templateCreate with the spec's example request
// (file_urls, signer roles with order, CC roles, merge fields, form fields by role index),
// templateGet, templateList, templateFiles (pdf, zip), templateFilesAsDataUri,
// templateFilesAsFileUrl, templateUpdateFiles, POST /template/update, templateDelete, and
// signatureRequestSendWithTemplate with the spec's example shape (signers and ccs by role,
// custom_fields filling a merge field), then the signers of such a request sign and
// response_data holds their roles' fields; a request sent from a template does not change when
// the template is deleted; an A4-landscape template's editor page shows its page's real size
// and accepts a field near its right edge. Who may see and change what:
// templates_access.test.mjs. Assertions are on the SDK's parsed models.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as DropboxSign from '@dropbox/sign';
import { startServer, uniqueEmail } from './lib/server.mjs';
import { makePdf, pageCount, sha256 } from './lib/pdf.mjs';
import { readZip } from './lib/zip.mjs';
import { startFileServer } from './lib/fileserver.mjs';
import { call, expectJson, assertError } from './lib/http.mjs';
import { waitForMail } from './lib/outbox.mjs';
import { WebSession, findForm, loggedIn } from './lib/web.mjs';
import { sdkFor, specCreateRequest, purchaseOrderRequest } from './lib/templates.mjs';
import { expectHttpError } from './lib/sdk.mjs';

let server;
let base;
let user; // owns the templates
let other; // another account
let files; // serves the file_urls
const ndaPdf = makePdf({ pages: 2, label: 'mutual-NDA-example' });
const orderPdf = makePdf({ pages: 1, label: 'purchase order' });

before(async () => {
  server = await startServer({ extraArgs: ['--allow-private-file-urls'] });
  base = server.url;
  user = await server.createAccount();
  other = await server.createAccount();
  files = await startFileServer();
});

after(async () => {
  if (files) await files.close();
  if (server) await server.stop();
});

const templateApi = (auth = user.api_key) => sdkFor(base, auth).templates;
const requestApi = (auth = user.api_key) => sdkFor(base, auth).requests;
const ndaRequest = () => specCreateRequest({ fileUrl: files.serve('/mutual-NDA-example.pdf', ndaPdf) });

describe('templates through the SDK', () => {
  let ndaId;
  let orderId;

  test('templateCreate: the spec example (JSON, file_urls) answers a template_id', async () => {
    let res;
    try {
      res = await templateApi().templateCreate(ndaRequest());
    } catch (e) {
      assert.fail(`templateCreate: ${e.statusCode} ${JSON.stringify(e.body)}`);
    }
    assert.equal(res.response.status, 200);
    assert.ok(res.body instanceof DropboxSign.TemplateCreateResponse);
    ndaId = res.body.template.templateId;
    assert.match(ndaId, /^[0-9a-f]{40}$/);
  });

  test('templateCreate: multipart with an uploaded file, roles by name and a placed merge field', async () => {
    const res = await templateApi().templateCreate(purchaseOrderRequest(orderPdf));
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
    // A page far past the end is empty, however large its number.
    const far = await templateApi().templateList(undefined, 2147483647, 20);
    assert.deepEqual(far.body.templates, []);
    assert.equal(far.body.listInfo.numResults, 2);
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
    const made = await templateApi().templateCreate(ndaRequest());
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
    const copy = await templateApi().templateCreate(purchaseOrderRequest(orderPdf));
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

  test('templateDelete: gone from get and list', async () => {
    const res = await templateApi().templateDelete(ndaId);
    assert.equal(res.response.status, 200);
    await expectHttpError(() => templateApi().templateGet(ndaId), 404, 'not_found');
    const list = await templateApi().templateList();
    assert.ok(!list.body.templates.some((t) => t.templateId === ndaId));
  });
});

test('an A4-landscape template: the editor frames its page 842 x 595 and saves a field near its right edge', async () => {
  // Same-length MediaBox edit keeps the cross-reference offsets right.
  const letter = makePdf({ pages: 1, label: 'landscape' }).toString('latin1');
  const wide = Buffer.from(letter.replace('/MediaBox [0 0 612 792]', '/MediaBox [0 0 842 595]'), 'latin1');
  const made = await templateApi().templateCreate({
    files: [{ value: wide, options: { filename: 'wide.pdf', contentType: 'application/pdf' } }],
    title: 'Landscape',
    signerRoles: [{ name: 'Client' }],
    testMode: true,
  });
  const id = made.body.template.templateId;
  const web = await loggedIn(base, user);
  const page = await web.get(`/templates/${id}`);
  assert.equal(page.status, 200, page.text.slice(0, 300));
  assert.match(page.text, /data-width="842\.000" data-height="595\.000"/);
  assert.match(page.text, /#pg-0-0\{aspect-ratio:842\.000 \/ 595\.000\}/);

  // x + width = 820: off a Letter-portrait page (612 wide), on this one.
  const form = findForm(page.text, 'fields').fields;
  const edge = { document_index: 0, api_id: 'edge', name: '', type: 'signature', x: 700, y: 540,
    width: 120, height: 30, required: true, signer: '0', page: 1 };
  const saved = await web.post(`/templates/${id}/fields`, { ...form, fields: JSON.stringify([edge]) });
  assert.equal(saved.status, 303, saved.text.slice(0, 500));
  const beyond = await web.post(`/templates/${id}/fields`, { ...form, fields: JSON.stringify([{ ...edge, x: 730 }]) });
  assert.equal(beyond.status, 400);
  assert.match(beyond.text, /842 x 595/);
});
