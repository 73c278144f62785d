// Shared by the template node tests: the official SDK's TemplateApi / SignatureRequestApi for a
// server and a caller (an API key, or {bearer: token}), and the spec's example requests. The
// SDK's HttpError as an assertion is lib/sdk.mjs.

import * as DropboxSign from '@dropbox/sign';

/** The SDK's APIs against `base` for `auth`: an API key, or { bearer: token }. */
export function sdkFor(base, auth) {
  const setUp = (api) => {
    api.basePath = `${base}/v3`;
    if (auth.bearer) api.accessToken = auth.bearer;
    else api.username = auth;
    return api;
  };
  return {
    templates: setUp(new DropboxSign.TemplateApi()),
    requests: setUp(new DropboxSign.SignatureRequestApi()),
  };
}

/**
 * The spec's TemplateCreateRequest example (examples/json/TemplateCreateRequest.json), its
 * document from `fileUrl`, or uploaded as `file` (a Buffer) when given.
 */
export function specCreateRequest({ fileUrl, file }) {
  return {
    ...(file
      ? { files: [{ value: file, options: { filename: 'mutual-NDA-example.pdf', contentType: 'application/pdf' } }] }
      : { fileUrls: [fileUrl] }),
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

/**
 * The template the spec's send_with_template example uses (role Client, CC Accounting, merge
 * field Cost), with `pdf` uploaded; its fields name their role by name.
 */
export function purchaseOrderRequest(pdf) {
  return {
    files: [{ value: pdf, options: { filename: 'purchase_order.pdf', contentType: 'application/pdf' } }],
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
