// The official Dropbox Sign Node SDK (@dropbox/sign 1.11.0) against a real Countersign server
// for signature requests: the OAuth walkthrough's "Signature Request with Access Token"
// (signatureRequestSend) and "Making API Calls With Access Tokens" (signatureRequestList)
// examples run as published except for basePath, the token and the local file, then get,
// list, remind, update, files (pdf/zip as Buffer), files_as_data_uri, files_as_file_url and
// cancel, each with `api.username = apiKey` and with `api.accessToken = token`. Assertions are
// on the SDK's parsed models and on its HttpError for 4xx answers.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as DropboxSign from '@dropbox/sign';
import { startServer, uniqueEmail } from './lib/server.mjs';
import { createApp, loggedIn, obtainTokens } from './lib/web.mjs';
import { makePdf, pageCount, sha256 } from './lib/pdf.mjs';
import { readZip } from './lib/zip.mjs';
import { expectHttpError } from './lib/sdk.mjs';
import { waitForMail, readOutbox } from './lib/outbox.mjs';
import { startFileServer } from './lib/fileserver.mjs';

let server;
let base;
let user;
let token;
let workDir;
let examplePdfPath; // "example_signature_request.pdf" of the walkthrough, generated
let examplePdf;

before(async () => {
  server = await startServer({ extraArgs: ['--allow-private-file-urls'] });
  base = server.url;
  const owner = await server.createAccount();
  user = await server.createAccount();
  const app = await createApp(base, owner.api_key, { name: 'SR SDK app', scopes: ['signature_request_access'] });
  await server.approveApp(app.clientId);
  const session = await loggedIn(base, user);
  token = (await obtainTokens(base, session, app)).access_token;
  workDir = mkdtempSync(join(tmpdir(), 'countersign-sdk-'));
  examplePdfPath = join(workDir, 'example_signature_request.pdf');
  examplePdf = makePdf({ pages: 2, label: 'example_signature_request' });
  writeFileSync(examplePdfPath, examplePdf);
});

after(async () => {
  if (server) await server.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

function srApi(mode) {
  const api = new DropboxSign.SignatureRequestApi();
  api.basePath = `${base}/v3`;
  if (mode === 'apiKey') api.username = user.api_key;
  else api.accessToken = token;
  return api;
}

/**
 * The walkthrough's "Signature Request with Access Token" Node example, as published, except:
 * basePath and the token (or the API key) are set, the PDF is generated, and fileBufferAlt
 * (a text file the server rightly refuses) is only included when `withTextFile`.
 */
function walkthroughSend({ mode = 'token', withTextFile = false } = {}) {
  const signatureRequestApi = new DropboxSign.SignatureRequestApi();
  signatureRequestApi.basePath = `${base}/v3`; // changed: the server under test

  // Configure Bearer authorization: oauth2
  if (mode === 'token') signatureRequestApi.accessToken = token; // changed: a real token
  else signatureRequestApi.username = user.api_key;

  const signer1 = {
    emailAddress: "jack@example.com",
    name: "Jack",
    order: 0,
  };

  const signer2 = {
    emailAddress: "jill@example.com",
    name: "Jill",
    order: 1,
  };

  const signingOptions = {
    draw: true,
    type: true,
    upload: true,
    phone: false,
    defaultType: "draw",
  };

  const fieldOptions = {
    dateFormat: "DD - MM - YYYY",
  };

  // Upload a local file
  const file = fs.createReadStream(examplePdfPath);

  // or, upload from buffer
  const fileBuffer = {
    value: fs.readFileSync(examplePdfPath),
    options: {
      filename: "example_signature_request.pdf",
      contentType: "application/pdf",
    },
  };

  // or, upload from buffer alternative
  const fileBufferAlt = {
    value: Buffer.from("abc-123"),
    options: {
      filename: "txt-sample.txt",
      contentType: "text/plain",
    },
  };

  const data = {
    title: "NDA with Acme Co.",
    subject: "The NDA we talked about",
    message: "Please sign this NDA and then we can discuss more. Let me know if you have any questions.",
    signers: [ signer1, signer2 ],
    ccEmailAddresses: [
      "lawyer1@dropboxsign.com",
      "lawyer2@example.com",
    ],
    files: withTextFile ? [ file, fileBuffer, fileBufferAlt ] : [ file, fileBuffer ],
    metadata: {
      "custom_id": 1234,
      "custom_text": "NDA #9",
    },
    signingOptions,
    fieldOptions,
    testMode: true,
  };

  const result = signatureRequestApi.signatureRequestSend(data);
  return result;
}

function assertWalkthroughRequest(sr) {
  assert.ok(sr instanceof DropboxSign.SignatureRequestResponse);
  assert.equal(sr.title, 'NDA with Acme Co.');
  assert.equal(sr.subject, 'The NDA we talked about');
  assert.equal(sr.message, 'Please sign this NDA and then we can discuss more. Let me know if you have any questions.');
  assert.equal(sr.testMode, true);
  assert.equal(sr.isComplete, false);
  assert.equal(sr.isDeclined, false);
  assert.equal(sr.hasError, false);
  assert.equal(sr.requesterEmailAddress, user.email_address);
  assert.deepEqual(sr.ccEmailAddresses, ['lawyer1@dropboxsign.com', 'lawyer2@example.com']);
  assert.ok(sr.metadata.custom_id === 1234 || sr.metadata.custom_id === '1234', `custom_id ${sr.metadata.custom_id}`);
  assert.equal(sr.metadata.custom_text, 'NDA #9');
  assert.equal(sr.filesUrl, `${base}/v3/signature_request/files/${sr.signatureRequestId}`);
  assert.equal(sr.signatures.length, 2);
  const [jack, jill] = sr.signatures;
  assert.ok(jack instanceof DropboxSign.SignatureRequestResponseSignatures);
  assert.equal(jack.signerEmailAddress, 'jack@example.com');
  assert.equal(jack.signerName, 'Jack');
  assert.equal(jack.order, 0);
  assert.equal(jack.statusCode, 'awaiting_signature');
  assert.equal(jill.signerEmailAddress, 'jill@example.com');
  assert.equal(jill.signerName, 'Jill');
  assert.equal(jill.order, 1);
  assert.equal(jill.statusCode, 'awaiting_signature');
  assert.equal(typeof jack.signatureId, 'string');
  assert.notEqual(jack.signatureId, jill.signatureId);
}

describe('walkthrough examples', () => {
  let sentWithToken;

  test('"Signature Request with Access Token": signatureRequestSend (multipart, ReadStream + Buffer files)', async () => {
    const response = await walkthroughSend({ mode: 'token' });
    assert.equal(response.response.status, 200);
    assert.ok(response.body instanceof DropboxSign.SignatureRequestGetResponse);
    const sr = response.body.signatureRequest;
    assertWalkthroughRequest(sr);
    sentWithToken = sr;

    // Jack (order 0) is mailed a link to his signature; Jill (order 1) is not, yet.
    const [jack, jill] = sr.signatures;
    await waitForMail(server.dataDir, (m) => m.to === 'jack@example.com' && m.links.some((l) => l.signatureId === jack.signatureId));
    await new Promise((r) => setTimeout(r, 500));
    const toJill = (await readOutbox(server.dataDir)).filter((m) => m.links.some((l) => l.signatureId === jill.signatureId));
    assert.deepEqual(toJill, [], 'Jill waits for her turn');

    // Both files, byte for byte.
    const zip = await srApi('token').signatureRequestFiles(sr.signatureRequestId, 'zip');
    const entries = readZip(Buffer.from(zip.body));
    assert.deepEqual(entries.map((e) => sha256(e.data)), [sha256(examplePdf), sha256(examplePdf)]);
  });

  test('the same example with api.username = API key', async () => {
    const response = await walkthroughSend({ mode: 'apiKey' });
    assertWalkthroughRequest(response.body.signatureRequest);
  });

  test('with the example\'s text file as well: HttpError 400 bad_request, errorPath files[2]', async () => {
    const err = await expectHttpError(() => walkthroughSend({ mode: 'token', withTextFile: true }), 400, 'bad_request');
    assert.equal(err.errorPath, 'files[2]');
  });

  test('signatureRequestSend in JSON (fileUrls, model class defaults such as isQualifiedSignature)', async () => {
    const files = await startFileServer();
    try {
      const req = new DropboxSign.SignatureRequestSendRequest();
      req.fileUrls = [files.serve('/sdk.pdf', makePdf({ pages: 2 }))];
      const signer = new DropboxSign.SubSignatureRequestSigner();
      signer.name = 'Json Signer';
      signer.emailAddress = uniqueEmail('sdk-json');
      signer.order = 0;
      req.signers = [signer];
      req.title = 'SDK JSON send';
      let contentType;
      const api = srApi('apiKey');
      api.addInterceptor((opts) => {
        contentType = opts.headers['content-type'];
      });
      const res = await api.signatureRequestSend(req);
      assert.match(String(contentType), /^application\/json/);
      const sr = res.body.signatureRequest;
      assert.equal(sr.title, 'SDK JSON send');
      assert.equal(sr.signatures[0].order, 0);
      assert.equal(sr.testMode, false);
      const pdf = await srApi('apiKey').signatureRequestFiles(sr.signatureRequestId, 'pdf');
      assert.equal(await pageCount(Buffer.from(pdf.body)), 2);
    } finally {
      await files.close();
    }
  });

  test('"Making API Calls With Access Tokens": signatureRequestList(accountId = null, page = 1)', async () => {
    const signatureRequestApi = new DropboxSign.SignatureRequestApi();
    signatureRequestApi.basePath = `${base}/v3`; // changed: the server under test

    // Configure Bearer authorization: oauth2
    signatureRequestApi.accessToken = token; // changed: a real token

    const accountId = null;
    const page = 1;

    const result = signatureRequestApi.signatureRequestList(accountId, page);
    const response = await result;
    assert.ok(response.body instanceof DropboxSign.SignatureRequestListResponse);
    const { listInfo, signatureRequests } = response.body;
    assert.ok(listInfo instanceof DropboxSign.ListInfoResponse);
    assert.equal(listInfo.page, 1);
    assert.equal(listInfo.pageSize, 20);
    assert.equal(listInfo.numResults, signatureRequests.length);
    assert.ok(signatureRequests.every((r) => r instanceof DropboxSign.SignatureRequestResponse));
    const ids = signatureRequests.map((r) => r.signatureRequestId);
    assert.ok(sentWithToken && ids.includes(sentWithToken.signatureRequestId), 'the request sent with the token is listed');
    // The one sent with the API key is not the app's: invisible to the token.
    assert.equal(signatureRequests.length, 1, `only the app's request: ${JSON.stringify(ids)}`);
  });
});

for (const mode of ['apiKey', 'token']) {
  describe(`SignatureRequestApi with ${mode === 'apiKey' ? 'api.username = API key' : 'api.accessToken = token'}`, () => {
    let sr; // sent with model classes in this mode
    const signers = [
      { name: 'Model Signer A', email: uniqueEmail(`sdk-${mode.toLowerCase()}-a`) },
      { name: 'Model Signer B', email: uniqueEmail(`sdk-${mode.toLowerCase()}-b`) },
    ];
    const docA = makePdf({ pages: 1, label: `sdk ${mode} A` });
    const docB = makePdf({ pages: 3, label: `sdk ${mode} B` });

    before(async () => {
      const req = new DropboxSign.SignatureRequestSendRequest();
      req.title = `SDK ${mode} request`;
      req.subject = 'SDK subject';
      req.message = 'SDK message';
      req.signers = signers.map((s) => {
        const m = new DropboxSign.SubSignatureRequestSigner();
        m.name = s.name;
        m.emailAddress = s.email;
        return m;
      });
      req.files = [
        { value: docA, options: { filename: 'a.pdf', contentType: 'application/pdf' } },
        { value: docB, options: { filename: 'b.pdf', contentType: 'application/pdf' } },
      ];
      req.metadata = { mode };
      req.testMode = true;
      const res = await srApi(mode).signatureRequestSend(req);
      sr = res.body.signatureRequest;
    });

    test('signatureRequestSend with the model classes', () => {
      assert.ok(sr instanceof DropboxSign.SignatureRequestResponse);
      assert.equal(sr.title, `SDK ${mode} request`);
      assert.deepEqual(sr.metadata, { mode });
      assert.deepEqual(sr.signatures.map((s) => s.signerEmailAddress), signers.map((s) => s.email));
      assert.ok(sr.signatures.every((s) => s.statusCode === 'awaiting_signature'));
    });

    test('signatureRequestGet', async () => {
      const res = await srApi(mode).signatureRequestGet(sr.signatureRequestId);
      assert.ok(res.body instanceof DropboxSign.SignatureRequestGetResponse);
      const got = res.body.signatureRequest;
      assert.equal(got.signatureRequestId, sr.signatureRequestId);
      assert.equal(got.title, sr.title);
      assert.equal(got.createdAt, sr.createdAt);
      assert.deepEqual(got.signatures.map((s) => s.signatureId), sr.signatures.map((s) => s.signatureId));
      await expectHttpError(() => srApi(mode).signatureRequestGet('0123456789abcdef0123456789abcdef01234567'), 404, 'not_found');
    });

    test('signatureRequestList with pageSize and a query (axios encoding)', async () => {
      const res = await srApi(mode).signatureRequestList(undefined, 1, 5, `title:SDK AND to:${signers[0].email}`);
      assert.ok(res.body instanceof DropboxSign.SignatureRequestListResponse);
      assert.deepEqual(res.body.signatureRequests.map((r) => r.signatureRequestId), [sr.signatureRequestId]);
      assert.equal(res.body.listInfo.numResults, 1);
      assert.equal(res.body.listInfo.pageSize, 5);
      await expectHttpError(() => srApi(mode).signatureRequestList(undefined, 1, 101), 400, 'bad_request');
    });

    test('signatureRequestFiles: pdf and zip as Buffers', async () => {
      const pdf = await srApi(mode).signatureRequestFiles(sr.signatureRequestId, 'pdf');
      const pdfBuf = Buffer.from(pdf.body);
      assert.equal(pdfBuf.subarray(0, 5).toString('latin1'), '%PDF-');
      assert.equal(await pageCount(pdfBuf), 4);
      const dflt = await srApi(mode).signatureRequestFiles(sr.signatureRequestId);
      assert.equal(Buffer.from(dflt.body).subarray(0, 5).toString('latin1'), '%PDF-');
      const zip = await srApi(mode).signatureRequestFiles(sr.signatureRequestId, 'zip');
      const entries = readZip(Buffer.from(zip.body));
      assert.deepEqual(entries.map((e) => sha256(e.data)), [sha256(docA), sha256(docB)]);
    });

    test('signatureRequestFilesAsDataUri', async () => {
      const res = await srApi(mode).signatureRequestFilesAsDataUri(sr.signatureRequestId);
      assert.ok(res.body instanceof DropboxSign.FileResponseDataUri);
      assert.ok(res.body.dataUri.startsWith('data:application/pdf;base64,'));
      const buf = Buffer.from(res.body.dataUri.slice('data:application/pdf;base64,'.length), 'base64');
      assert.equal(await pageCount(buf), 4);
    });

    test('signatureRequestFilesAsFileUrl: the URL downloads without credentials', async () => {
      const res = await srApi(mode).signatureRequestFilesAsFileUrl(sr.signatureRequestId, 1);
      assert.ok(res.body instanceof DropboxSign.FileResponse);
      assert.equal(typeof res.body.fileUrl, 'string');
      assert.ok(Number.isInteger(res.body.expiresAt));
      const dl = await fetch(res.body.fileUrl);
      assert.equal(dl.status, 200);
      const buf = Buffer.from(await dl.arrayBuffer());
      assert.equal(await pageCount(buf), 4);
    });

    test('signatureRequestRemind, then HttpError 409 within the hour', async () => {
      const req = new DropboxSign.SignatureRequestRemindRequest();
      req.emailAddress = signers[0].email;
      const res = await srApi(mode).signatureRequestRemind(sr.signatureRequestId, req);
      assert.ok(res.body instanceof DropboxSign.SignatureRequestGetResponse);
      const s = res.body.signatureRequest.signatures[0];
      assert.equal(s.signerEmailAddress, signers[0].email);
      assert.ok(Number.isInteger(s.lastRemindedAt));
      await expectHttpError(() => srApi(mode).signatureRequestRemind(sr.signatureRequestId, { emailAddress: signers[0].email }), 409, 'conflict');
      const err = await expectHttpError(() => srApi(mode).signatureRequestRemind(sr.signatureRequestId,
        { emailAddress: uniqueEmail('not-a-signer') }), 400, 'bad_request');
      assert.equal(err.errorPath, 'email_address');
    });

    test('signatureRequestUpdate: a new email gives a new signatureId', async () => {
      const req = new DropboxSign.SignatureRequestUpdateRequest();
      req.signatureId = sr.signatures[1].signatureId;
      req.emailAddress = uniqueEmail(`sdk-${mode.toLowerCase()}-new`);
      const res = await srApi(mode).signatureRequestUpdate(sr.signatureRequestId, req);
      assert.ok(res.body instanceof DropboxSign.SignatureRequestGetResponse);
      const s = res.body.signatureRequest.signatures[1];
      assert.equal(s.signerEmailAddress, req.emailAddress);
      assert.notEqual(s.signatureId, sr.signatures[1].signatureId);
    });

    test('signatureRequestCancel (runs last): 200, then Get and Cancel give HttpError 410', async () => {
      const res = await srApi(mode).signatureRequestCancel(sr.signatureRequestId);
      assert.equal(res.response.status, 200);
      await expectHttpError(() => srApi(mode).signatureRequestGet(sr.signatureRequestId), 410, 'deleted');
      await expectHttpError(() => srApi(mode).signatureRequestCancel(sr.signatureRequestId), 410, 'deleted');
      // Binary endpoint: only the status matters.
      await expectHttpError(() => srApi(mode).signatureRequestFiles(sr.signatureRequestId, 'pdf'), 410);
    });
  });
}
