// template_created events (issue 13): a template made with the API key reaches the account
// callback; one made through an app's token also reaches that app's callback (signed with the
// app owner's key); templateUpdateFiles makes a new template and says so too. Each body is the
// Dropbox Sign event callback with a `template` object, which the official SDK's
// EventCallbackHelper accepts.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as DropboxSign from '@dropbox/sign';
import { startServer } from './lib/server.mjs';
import { startReceiver } from './lib/receiver.mjs';
import { createApp, loggedIn, obtainTokens } from './lib/web.mjs';
import { assertSignedEvent, saveAccountCallback, sdkView } from './lib/events.mjs';
import { call, expectJson } from './lib/http.mjs';
import { makePdf } from './lib/pdf.mjs';

let server;
let base;
let rx;

before(async () => {
  rx = await startReceiver();
  server = await startServer({ extraArgs: ['--allow-private-callbacks'] });
  base = server.url;
});

after(async () => {
  if (server) await server.stop();
  if (rx) await rx.stop();
});

function templateApi(auth) {
  const api = new DropboxSign.TemplateApi();
  api.basePath = `${base}/v3`;
  if (auth.bearer) api.accessToken = auth.bearer;
  else api.username = auth;
  return api;
}

function createRequest(title) {
  return {
    files: [{ value: makePdf({ pages: 1 }), options: { filename: 'doc.pdf', contentType: 'application/pdf' } }],
    title,
    signerRoles: [{ name: 'Client', order: 0 }],
    formFieldsPerDocument: [{
      documentIndex: 0, apiId: 'sig', name: '', type: 'signature',
      x: 100, y: 600, width: 120, height: 30, required: true, signer: 0, page: 1,
    }],
  };
}

const createdAt = (path, id) => rx.waitFor((p) => p.path === path &&
  p.json.event.event_type === 'template_created' && p.json.template?.template_id === id);

describe('template_created', () => {
  test('with the API key: the account callback gets the template', async () => {
    const user = await server.createAccount();
    await saveAccountCallback(base, user.api_key, rx.url('/key-user'));
    const res = await templateApi(user.api_key).templateCreate(createRequest('Keyed'));
    const id = res.body.template.templateId;
    const [post] = await createdAt('/key-user', id);
    const body = assertSignedEvent(post, user.api_key, '/key-user');
    assert.equal(body.event.event_metadata.reported_for_account_id, user.account_id);
    assert.equal(body.template.title, 'Keyed');
    assert.deepEqual(body.template.signer_roles, [{ name: 'Client', order: 0 }]);
    assert.equal(body.template.documents[0].form_fields[0].api_id, 'sig');
    assert.equal(sdkView(post).type, 'account_callback');
    assert.equal(sdkView(post).request.template.templateId, id);

    // update_files makes a new template: template_created for it as well.
    const updated = await templateApi(user.api_key).templateUpdateFiles(id, {
      files: [{ value: makePdf({ pages: 2 }), options: { filename: 'v2.pdf', contentType: 'application/pdf' } }],
    });
    const newId = updated.body.template.templateId;
    const [again] = await createdAt('/key-user', newId);
    assertSignedEvent(again, user.api_key, '/key-user');
  });

  test("through an app's token: the app callback (owner's key) and the user's account callback", async () => {
    const owner = await server.createAccount();
    const user = await server.createAccount();
    const app = await createApp(base, owner.api_key, { name: 'Template events', scopes: ['template_access'] });
    await server.approveApp(app.clientId);
    expectJson(await call(base, 'PUT', `/v3/api_app/${app.clientId}`,
      { apiKey: owner.api_key, json: { callback_url: rx.url('/app') } }), 200);
    await saveAccountCallback(base, user.api_key, rx.url('/app-user'));
    const session = await loggedIn(base, user);
    const token = (await obtainTokens(base, session, app)).access_token;
    const res = await templateApi({ bearer: token }).templateCreate(createRequest('Through the app'));
    const id = res.body.template.templateId;
    const [toApp] = await createdAt('/app', id);
    const appBody = assertSignedEvent(toApp, owner.api_key, '/app');
    assert.equal(appBody.event.event_metadata.reported_for_app_id, app.clientId);
    assert.equal(sdkView(toApp).type, 'app_callback');
    const [toUser] = await createdAt('/app-user', id);
    assertSignedEvent(toUser, user.api_key, '/app-user');
  });
});
