// Who may see, use and change a template (issue 13), through the official Dropbox Sign Node SDK
// (@dropbox/sign 1.11.0): another account's template is 404 (get, files, delete,
// send_with_template with error_path template_ids[0]), never 403; templateAddUser shares one
// (seen with is_creator and can_edit false, usable, not changeable: 403) until
// templateRemoveUser; an app's Bearer token needs template_access (403 without) and sees only
// the templates that app created; send_with_template refuses a role no template has
// (case-sensitive, error_path signers[i].role) and a role left without a signer (signers);
// templateCreate refuses a field for a role the template does not have.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, uniqueEmail } from './lib/server.mjs';
import { createApp, loggedIn, obtainTokens } from './lib/web.mjs';
import { makePdf } from './lib/pdf.mjs';
import { sdkFor, specCreateRequest, purchaseOrderRequest } from './lib/templates.mjs';
import { expectHttpError } from './lib/sdk.mjs';

let server;
let base;
let user; // owns the templates
let other; // another account
let token; // user's token for an app with template_access and signature_request_access
let narrowToken; // user's token for an app with signature_request_access only
let ndaId; // roles Client, Witness; CC Manager
let orderId; // role Client; CC Accounting
const orderPdf = makePdf({ pages: 1, label: 'purchase order' });

before(async () => {
  server = await startServer();
  base = server.url;
  user = await server.createAccount();
  other = await server.createAccount();
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
  const api = sdkFor(base, user.api_key).templates;
  ndaId = (await api.templateCreate(specCreateRequest({ file: makePdf({ pages: 2 }) }))).body.template.templateId;
  orderId = (await api.templateCreate(purchaseOrderRequest(orderPdf))).body.template.templateId;
});

after(async () => {
  if (server) await server.stop();
});

const templateApi = (auth = user.api_key) => sdkFor(base, auth).templates;
const requestApi = (auth = user.api_key) => sdkFor(base, auth).requests;

describe('who sees and changes a template', () => {
  test('send_with_template: a role no template has is 400 with error_path signers[0].role', async () => {
    const err = await expectHttpError(() => requestApi().signatureRequestSendWithTemplate({
      templateIds: [orderId],
      signers: [{ role: 'client', name: 'George', emailAddress: uniqueEmail('g') }], // case matters
      ccs: [{ role: 'Accounting', emailAddress: uniqueEmail('a') }],
    }), 400, 'bad_request');
    assert.equal(err.errorPath, 'signers[0].role');
  });

  test('send_with_template: a CC that is no address is 400 with error_path ccs[0].email_address', async () => {
    const err = await expectHttpError(() => requestApi().signatureRequestSendWithTemplate({
      templateIds: [orderId],
      signers: [{ role: 'Client', name: 'George', emailAddress: uniqueEmail('g') }],
      ccs: [{ role: 'Accounting', emailAddress: 'not-an-email' }],
    }), 400, 'bad_request');
    assert.equal(err.errorPath, 'ccs[0].email_address');
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
    const req = purchaseOrderRequest(orderPdf);
    req.formFieldsPerDocument[1].signer = 'Witness';
    const err = await expectHttpError(() => templateApi().templateCreate(req), 400, 'bad_request');
    assert.equal(err.errorPath, 'form_fields_per_document[1].signer');
  });

});
