// The Templates pages (issue 13, browser half) in Chromium: a sender logged in creates a
// template by uploading a PDF and naming two signer roles, a CC role and a merge field; places
// four fields by clicking on the page image (a signature and a text field for "Client", a
// signature and a checkbox for "Witness"), moves one by dragging and one with the arrow keys,
// names one, saves, changes the message; the template API reports the fields by role. "Use template" asks for each
// role's name and email, the CC's email and the merge field; the request page follows; both
// signers sign from their emailed links and the completed request's response_data holds their
// fields. Deleting removes it from the list. axe-core finds nothing serious on any page.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium, loggedInPage as logIn, signAtLink } from './lib/chromium.mjs';
import { seriousViolations } from './lib/axe.mjs';
import { startServer, uniqueEmail } from './lib/server.mjs';
import { call, expectJson } from './lib/http.mjs';
import { makePdf } from './lib/pdf.mjs';
import { waitForMailTo } from './lib/outbox.mjs';

let server;
let base;
let sender;
let browser;

before(async () => {
  server = await startServer();
  base = server.url;
  sender = await server.createAccount();
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

const loggedInPage = (account) => logIn(browser, base, account);

async function signFromMail(email, fill) {
  const [mail] = await waitForMailTo(server.dataDir, email, { timeoutMs: 15_000 });
  const link = mail.links.find((l) => l.signatureId);
  assert.ok(link, `a signing link in the mail to ${email}`);
  await signAtLink(browser, link.url, fill);
}

// Clicks the first page at (fx, fy), fractions of its size, to add a `kind` field for `role`.
async function placeField(page, kind, role, fx, fy) {
  await page.selectOption('#new-field-type', kind);
  await page.selectOption('#new-field-role', { label: role });
  const frame = page.locator('#pg-0-0');
  const box = await frame.boundingBox();
  await frame.click({ position: { x: box.width * fx, y: box.height * fy } });
}

test('create a template with two roles and four fields in the browser, send from it, both sign', { timeout: 180_000 }, async () => {
  const { context, page } = await loggedInPage(sender);
  let templateId;
  try {
    await page.getByRole('link', { name: 'Templates' }).click();
    assert.equal(new URL(page.url()).pathname, '/templates');
    assert.deepEqual(await seriousViolations(page), []);
    await page.getByRole('link', { name: 'New template' }).click();
    assert.deepEqual(await seriousViolations(page), []);

    await page.setInputFiles('#template-files', {
      name: 'consulting.pdf', mimeType: 'application/pdf', buffer: makePdf({ pages: 1, label: 'Consulting' }),
    });
    await page.fill('#template-title', 'Consulting agreement');
    await page.fill('#template-message', 'Please sign the agreement.');
    await page.fill('#template-signer-roles', 'Client\nWitness\n');
    await page.fill('#template-cc-roles', 'Manager');
    await page.fill('#template-merge-fields', 'Project');
    await Promise.all([
      page.waitForURL(/\/templates\/[0-9a-f]{40}\?done=create/),
      page.getByRole('button', { name: 'Create and place fields' }).click(),
    ]);
    templateId = new URL(page.url()).pathname.split('/')[2];
    await page.waitForFunction(() => {
      const img = document.querySelector('img.sign-page');
      return img && img.complete && img.naturalWidth > 0;
    });
    assert.match(await page.locator('.notice').textContent(), /place its fields/);

    // Four fields, each placed by a click on the page image.
    await placeField(page, 'signature', 'Client', 0.3, 0.15);
    await placeField(page, 'text', 'Client', 0.3, 0.3);
    await placeField(page, 'signature', 'Witness', 0.3, 0.5);
    await placeField(page, 'checkbox', 'Witness', 0.3, 0.7);
    assert.equal(await page.locator('#field-list fieldset').count(), 4);
    assert.equal(await page.locator('#pg-0-0 .sign-field').count(), 4);
    assert.equal(await page.inputValue('#f1-role'), '0');
    assert.equal(await page.inputValue('#f3-role'), '1');
    assert.equal(await page.inputValue('#f3-type'), 'checkbox');
    await page.fill('#f1-name', 'Company');
    await page.locator('#f3-required').uncheck();

    // Drag the first signature 60 pixels to the right: its x grows.
    const x0 = Number(await page.inputValue('#f0-x'));
    await page.locator('#pg-0-0 .sign-field').first().scrollIntoViewIfNeeded();
    const sig = await page.locator('#pg-0-0 .sign-field').first().boundingBox();
    await page.mouse.move(sig.x + sig.width / 2, sig.y + sig.height / 2);
    await page.mouse.down();
    await page.mouse.move(sig.x + sig.width / 2 + 60, sig.y + sig.height / 2, { steps: 6 });
    await page.mouse.up();
    const x1 = Number(await page.inputValue('#f0-x'));
    assert.ok(x1 > x0 + 20, `dragged from ${x0} to ${x1}`);
    // The keyboard: focus the Witness signature on the page and move it 10 points down.
    const y0 = Number(await page.inputValue('#f2-y'));
    await page.locator('#pg-0-0 .sign-field').nth(2).focus();
    await page.keyboard.press('Shift+ArrowDown');
    assert.equal(Number(await page.inputValue('#f2-y')), y0 + 10);
    assert.match(await page.locator('#pg-0-0 .sign-field').nth(2).getAttribute('aria-label'), /Signature for Witness, page 1/);
    assert.deepEqual(await seriousViolations(page), []);

    await Promise.all([page.waitForURL(/\?done=fields/), page.getByRole('button', { name: 'Save fields' }).click()]);
    assert.match(await page.locator('.notice').textContent(), /Fields saved/);
    assert.equal(await page.locator('#field-list fieldset').count(), 4, 'the saved fields come back');
    assert.equal(await page.inputValue('#f1-name'), 'Company');

    const tpl = expectJson(await call(base, 'GET', `/v3/template/${templateId}`, { apiKey: sender.api_key }), 200).template;
    assert.deepEqual(tpl.signer_roles.map((r) => r.name), ['Client', 'Witness']);
    assert.deepEqual(tpl.cc_roles.map((r) => r.name), ['Manager']);
    const fields = tpl.documents[0].form_fields;
    assert.equal(fields.length, 4);
    assert.deepEqual(fields.map((f) => [f.type, String(f.signer)]), [['signature', '1'], ['text', '1'], ['signature', '2'], ['checkbox', '2']]);

    // A field off the page is refused and nothing is saved.
    await page.fill('#f1-y', '5000');
    await page.getByRole('button', { name: 'Save fields' }).click();
    assert.match(await page.locator('.error').textContent(), /not saved.*off its page/);
    const still = expectJson(await call(base, 'GET', `/v3/template/${templateId}`, { apiKey: sender.api_key }), 200).template;
    assert.ok(still.documents[0].form_fields.every((f) => f.y < 5000));

    // The details: a new message.
    await page.goto(`${base}/templates/${templateId}`);
    await page.locator('summary', { hasText: 'Title, message and CC roles' }).click();
    await page.fill('#edit-message', 'Please sign the agreement by Friday.');
    await Promise.all([page.waitForURL(/\?done=details/), page.getByRole('button', { name: 'Save details' }).click()]);
    assert.match(await page.locator('.notice').textContent(), /Details saved/);

    // Use template: the list's link, then a name and email per role.
    await page.goto(`${base}/templates`);
    assert.equal(await page.getByRole('link', { name: 'Consulting agreement', exact: true }).count(), 1);
    await page.getByRole('link', { name: 'Use template Consulting agreement' }).click();
    assert.deepEqual(await seriousViolations(page), []);
    assert.equal(await page.inputValue('#send-title'), 'Consulting agreement');
    assert.equal(await page.inputValue('#send-message'), 'Please sign the agreement by Friday.');
    const client = uniqueEmail('client');
    const witness = uniqueEmail('witness');
    await page.fill('#signer-name-1', 'Cleo Client');
    await page.fill('#signer-email-1', client);
    await page.fill('#signer-name-2', 'Walt Witness');
    await page.fill('#signer-email-2', witness);
    await page.fill('#cc-role-1', uniqueEmail('manager'));
    await page.fill('#merge-0', 'Apollo');
    await page.check('#send-test-mode');
    const expiresOn = new Date(Date.now() + 30 * 86400_000).toISOString().slice(0, 10);
    await page.fill('#send-expires', expiresOn);
    // Refused (the witness has no address): the form comes back with what was typed.
    await page.fill('#signer-email-2', '');
    await page.locator('#send-form, form').first().evaluate((f) => { f.noValidate = true; });
    await page.getByRole('button', { name: 'Send for signature' }).click();
    assert.match(await page.locator('.error').textContent(), /email/i);
    assert.equal(await page.inputValue('#signer-name-1'), 'Cleo Client');
    assert.equal(await page.inputValue('#signer-email-1'), client);
    assert.equal(await page.inputValue('#send-expires'), expiresOn);
    await page.fill('#signer-email-2', witness);
    await Promise.all([page.waitForURL(/\/requests\/[0-9a-f]+$/), page.getByRole('button', { name: 'Send for signature' }).click()]);
    const requestId = new URL(page.url()).pathname.split('/')[2];

    await signFromMail(client, async (p) => {
      await p.fill(`[name="field[${fields[1].api_id}]"]`, 'Acme Ltd');
    });
    await signFromMail(witness, async (p) => {
      await p.check(`[name="field[${fields[3].api_id}]"]`);
    });

    let sr;
    for (let i = 0; i < 100; i += 1) {
      sr = expectJson(await call(base, 'GET', `/v3/signature_request/${requestId}`, { apiKey: sender.api_key }), 200).signature_request;
      if (sr.is_complete) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(sr.is_complete, true);
    assert.deepEqual(sr.template_ids, [templateId]);
    assert.deepEqual(sr.signatures.map((s) => [s.signer_role, s.signer_email_address]), [['Client', client], ['Witness', witness]]);
    const data = Object.fromEntries(sr.response_data.map((d) => [d.api_id, d]));
    assert.equal(data[fields[1].api_id].value, 'Acme Ltd');
    assert.equal(data[fields[1].api_id].signature_id, sr.signatures[0].signature_id);
    assert.equal(data[fields[3].api_id].value, true);
    assert.equal(data[fields[3].api_id].signature_id, sr.signatures[1].signature_id);
    assert.equal(data[fields[0].api_id].signature_id, sr.signatures[0].signature_id);
    assert.equal(data[fields[2].api_id].signature_id, sr.signatures[1].signature_id);
    assert.deepEqual(sr.custom_fields.map((c) => [c.name, c.value]), [['Project', 'Apollo']]);
    assert.equal(sr.expires_at, Date.parse(`${expiresOn}T23:59:59Z`) / 1000);

    // Delete from the template's page: gone from the list and the API. A page of its own: the
    // request page still open in `page` reloads itself once the request completes.
    const templatePage = await context.newPage();
    await templatePage.goto(`${base}/templates/${templateId}`);
    await Promise.all([
      templatePage.waitForURL(/\/templates\?done=delete/),
      templatePage.getByRole('button', { name: 'Delete template' }).click(),
    ]);
    assert.equal(await templatePage.getByRole('link', { name: 'Consulting agreement', exact: true }).count(), 0);
    expectJson(await call(base, 'GET', `/v3/template/${templateId}`, { apiKey: sender.api_key }), 404);
  } finally {
    await context.close();
  }
});

test('the template pages need a log-in and the owner', { timeout: 60_000 }, async () => {
  const res = await fetch(`${base}/templates`, { redirect: 'manual' });
  assert.equal(res.status, 303);
  assert.match(res.headers.get('location'), /^\/login\?next=/);
  const other = await server.createAccount();
  const { context, page } = await loggedInPage(other);
  try {
    const missing = await page.goto(`${base}/templates/${'0'.repeat(40)}`);
    assert.equal(missing.status(), 404);
  } finally {
    await context.close();
  }
});
