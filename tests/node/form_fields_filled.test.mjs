// Signers fill their own form fields in a real browser (Debian's Chromium through playwright-core),
// end to end through the official SDK (@dropbox/sign 1.11.0): a request with text (validation
// types, masked, placeholder), checkbox, radio group, dropdown, signature, initials and date
// fields for two ordered signers plus a text-merge field filled by custom_fields.
//  - The fields are drawn over the page images where they are placed, each labelled.
//  - Signer 1 uses the keyboard only: the fields come in document order with Tab, the browser
//    blocks submitting while a required field is empty or a value has the wrong format (with a
//    message), and the page moves to the offending field.
//  - Forged POSTs are refused by the server: a field of the other signer, a required field left
//    out, a value in the wrong format.
//  - Axe-core finds nothing serious on the page, at desktop and phone sizes; on a phone every
//    field stays on its page image and nothing scrolls sideways.
//  - Signer 2 uses the mouse (clicks the fields, draws the signature); a checkbox group
//    (form_field_groups, require_1) blocks signing until exactly one box is checked, and a rule
//    (form_field_rules) shows a required text field once a checkbox is checked.
//  - response_data reports each value exactly as typed, in the SDK's classes; the final PDF
//    shows each value on its page (masked text as asterisks) and the audit trail names who
//    filled which fields.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as DropboxSign from '@dropbox/sign';
import { launchChromium } from './lib/chromium.mjs';
import { seriousViolations } from './lib/axe.mjs';
import { startServer, uniqueEmail } from './lib/server.mjs';
import { makePdf, pdfText } from './lib/pdf.mjs';
import { waitForMail } from './lib/outbox.mjs';
import { WebSession, findForm } from './lib/web.mjs';
import { waitForFinalPdf, sdkSignatureRequests } from './lib/sr.mjs';

let server;
let user;
let browser;

before(async () => {
  server = await startServer();
  user = await server.createAccount();
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

const api = () => sdkSignatureRequests(server.url, user.api_key);

// Letter pages (612 x 792 points); boxes in points from the top-left.
function field(type, apiId, signer, page, y, extra = {}) {
  return { documentIndex: 0, apiId, type, required: true, signer, page, x: 72, y, width: 200, height: 24, ...extra };
}

const FIELDS = [
  field('text', 'full_name', 0, 1, 80, { name: 'Full name' }),
  field('text', 'zip', 0, 1, 120, { name: 'ZIP', validationType: 'zip_code' }),
  field('checkbox', 'agree', 0, 1, 160, { name: 'I agree', width: 18, height: 18 }),
  field('radio', 'plan_basic', 0, 1, 200, { name: 'Basic', group: 'plan', width: 18, height: 18 }),
  field('radio', 'plan_pro', 0, 1, 200, { name: 'Pro', group: 'plan', required: false, x: 200, width: 18, height: 18 }),
  field('dropdown', 'colour', 0, 1, 240, { name: 'Colour', options: ['red', 'blue'] }),
  field('signature', 'sig_0', 0, 1, 300, { height: 40 }),
  field('initials', 'init_0', 0, 1, 360, { width: 60 }),
  field('date_signed', 'date_0', 0, 1, 400),
  field('text', 'company', 1, 2, 80, { name: 'Company', required: false, placeholder: 'Your company' }),
  field('checkbox', 'newsletter', 1, 2, 120, { name: 'Newsletter', required: false, width: 18, height: 18 }),
  field('text', 'ssn', 1, 2, 160, { name: 'SSN', masked: true, validationType: 'social_security_number' }),
  field('signature', 'sig_1', 1, 2, 220, { height: 40 }),
  field('text-merge', 'ref', 'sender', 2, 300, { name: 'Reference', required: false }),
  field('checkbox', 'pay_card', 1, 2, 360, { name: 'Card', group: 'pay', width: 18, height: 18 }),
  field('checkbox', 'pay_bank', 1, 2, 360, { name: 'Bank', group: 'pay', required: false, x: 200, width: 18, height: 18 }),
  field('checkbox', 'other', 1, 2, 420, { name: 'Other terms', required: false, width: 18, height: 18 }),
  field('text', 'detail', 1, 2, 460, { name: 'Which terms' }),
];

async function openSigningPage(link, viewport = { width: 900, height: 900 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(link);
  await page.waitForFunction(() => [...document.querySelectorAll('img.sign-page')].every((i) => i.complete && i.naturalWidth > 0));
  return { context, page };
}

// The name of the focused element after pressing Tab until `name` has the focus (bounded).
async function tabTo(page, name) {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((n) => document.activeElement?.getAttribute('name') === n, name)) return;
  }
  assert.fail(`Tab never reached ${name}`);
}

const focusedName = (page) => page.evaluate(() => document.activeElement?.getAttribute('name'));

test('two signers fill every kind of field, by keyboard and by mouse; values reach response_data and the final PDF', async () => {
  const signers = [
    { emailAddress: uniqueEmail('ann'), name: 'Ann Lee', order: 0 },
    { emailAddress: uniqueEmail('bo'), name: 'Bo Park', order: 1 },
  ];
  const sent = await api().signatureRequestSend({
    title: 'Filled fields',
    testMode: true,
    files: [{ value: makePdf({ pages: 2 }), options: { filename: 'contract.pdf', contentType: 'application/pdf' } }],
    signers,
    formFieldsPerDocument: FIELDS,
    customFields: [{ name: 'Reference', value: 'REF-42' }],
    formFieldGroups: [{ groupId: 'pay', groupLabel: 'Payment', requirement: 'require_1' }],
    formFieldRules: [{
      id: 'show-detail',
      triggerOperator: 'AND',
      triggers: [{ id: 'other', operator: 'is', value: '1' }],
      actions: [{ fieldId: 'detail', hidden: false, type: 'change-field-visibility' }],
    }],
  });
  const sr = sent.body.signatureRequest;
  assert.deepEqual((sent.body.warnings ?? []).map((w) => w.warningMsg), [], 'every field is acted on');
  const [annId, boId] = sr.signatures.map((s) => s.signatureId);
  const linkOf = async (id) => {
    const [mail] = await waitForMail(server.dataDir, (m) => m.links.some((l) => l.signatureId === id));
    return mail.links.find((l) => l.signatureId === id).url;
  };

  // --- Ann, keyboard only.
  const ann = await openSigningPage(await linkOf(annId));
  const page = ann.page;
  // Her fields sit on page 1's image where they were placed (x / 612, y / 792 of the frame).
  const frame = await page.locator('.sign-page-frame').first().boundingBox();
  for (const f of FIELDS.filter((x) => x.signer === 0)) {
    const index = FIELDS.indexOf(f);
    const box = await page.locator(`#fld-${index}`).boundingBox();
    assert.ok(box, `field ${f.apiId} is shown`);
    assert.ok(Math.abs(box.x - (frame.x + (f.x / 612) * frame.width)) < 2, `${f.apiId} left`);
    assert.ok(Math.abs(box.y - (frame.y + (f.y / 792) * frame.height)) < 2, `${f.apiId} top`);
    assert.ok(Math.abs(box.width - (f.width / 612) * frame.width) < 2, `${f.apiId} width`);
  }
  assert.equal(await page.locator('[name="field[company]"]').count(), 0, "Bo's fields are not on Ann's page");
  assert.equal((await page.locator('.sign-field-text-merge').textContent()).trim(), 'REF-42');
  assert.equal(await page.getAttribute('[name="field[zip]"]', 'aria-label'), 'ZIP on page 1 (required)');
  assert.deepEqual(await seriousViolations(page), [], 'axe-core: no serious or critical violations');
  assert.equal(await page.textContent('#sign-guide-status'), '5 required fields are still empty.');

  // Tab visits her fields in document order.
  await tabTo(page, 'field[full_name]');
  const order = ['field[full_name]'];
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press('Tab');
    order.push(await focusedName(page));
  }
  assert.deepEqual(order, ['field[full_name]', 'field[zip]', 'field[agree]', 'radio[plan]', 'field[colour]']);

  // Submitting with required fields empty is blocked by the browser, with a message.
  await tabTo(page, 'esign_consent');
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');  // the Sign button
  await page.waitForTimeout(300);
  assert.match(page.url(), /\/sign\/[0-9a-f]+\?t=/, 'still on the signing page');
  assert.equal(await focusedName(page), 'field[full_name]', 'the browser moved to the first empty field');
  assert.notEqual(await page.evaluate(() => document.activeElement.validationMessage), '');

  await page.keyboard.type('Ann Lee');
  await page.keyboard.press('Tab');
  await page.keyboard.type('1234');  // not a ZIP code yet
  await page.keyboard.press('Tab');
  await page.keyboard.press('Space');  // I agree
  await page.keyboard.press('Tab');
  await page.keyboard.press('ArrowRight');  // Basic -> Pro
  await page.keyboard.press('Tab');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');  // Choose… -> red -> blue
  assert.equal(await page.inputValue('[name="field[colour]"]'), 'blue');
  assert.equal(await page.isChecked('[name="radio[plan]"][value="plan_pro"]'), true);
  await tabTo(page, 'typed_name');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('Ann Lee');
  await tabTo(page, 'action');  // the Sign button
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300);
  assert.equal(await focusedName(page), 'field[zip]', 'a value in the wrong format blocks too');
  assert.notEqual(await page.evaluate(() => document.activeElement.validationMessage), '');
  assert.match(await page.evaluate(() => document.activeElement.title), /ZIP code/);
  await page.keyboard.press('Control+A');
  await page.keyboard.type('12345');
  await page.keyboard.press('Enter');  // Enter in a text input submits the form
  await page.waitForURL(/\/done/);
  await ann.context.close();

  // --- Forged posts for Bo's link are refused by the server.
  const boLink = new URL(await linkOf(boId));
  const session = new WebSession(server.url);
  const form = findForm((await session.get(`${boLink.pathname}${boLink.search}`)).text, 'typed_name').fields;
  const base = { ...form, kind: 'typed', typed_name: 'Bo Park', esign_consent: '1', action: 'sign', 'field[pay_card]': '1' };
  for (const [extra, message] of [
    [{ 'field[ssn]': '123-45-6789', 'field[pay_bank]': '1' }, /Check exactly one of “Payment”/],
    [{ 'field[ssn]': '123-45-6789', 'field[full_name]': 'Mallory' }, /no field of yours named field\[full_name\]/],
    [{}, /Fill in &quot;SSN&quot;|Fill in "SSN"/],
    [{ 'field[ssn]': 'not a number' }, /social security number/],
    [{ 'field[ssn]': '123-45-6789', typed_name: 'Bo\u0000\u001b[31mPark' }, /control character/],
    [{ 'field[ssn]': '123-45-6789', typed_name: 'Bo\u202ekraP' }, /bidirectional/],
    [{ 'field[ssn]': '123-45-6789', typed_name: '名'.repeat(101) }, /at most 100 characters/],
    [{ 'field[ssn]': '123-45-6789', 'field[company]': 'Acme\u202eLtd' }, /bidirectional/],
  ]) {
    const res = await session.post(boLink.pathname, { ...base, ...extra });
    assert.equal(res.status, 400, JSON.stringify(extra));
    assert.match(res.text, message);
  }
  const still = (await api().signatureRequestGet(sr.signatureRequestId)).body.signatureRequest;
  assert.equal(still.signatures[1].statusCode, 'awaiting_signature');

  // --- Bo's page on a phone-sized screen: no horizontal scrolling, every field of his on its
  // page's image, nothing axe-core calls serious.
  const phone = await openSigningPage(boLink.toString(), { width: 390, height: 844 });
  assert.ok(await phone.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no sideways scrolling');
  const pageTwo = await phone.page.locator('.sign-page-frame').nth(1).boundingBox();
  for (const name of ['field[company]', 'field[ssn]', 'field[pay_card]']) {
    const box = await phone.page.locator(`[name="${name}"]`).boundingBox();
    assert.ok(box.x >= pageTwo.x && box.x + box.width <= pageTwo.x + pageTwo.width + 1, `${name} within the page`);
    assert.ok(box.y >= pageTwo.y && box.y + box.height <= pageTwo.y + pageTwo.height + 1, `${name} within the page`);
  }
  assert.deepEqual(await seriousViolations(phone.page), [], 'axe-core on a phone-sized screen');
  await phone.context.close();

  // --- Bo, with the mouse.
  const bo = await openSigningPage(boLink.toString());
  await bo.page.click('[name="field[company]"]');
  assert.equal(await bo.page.getAttribute('[name="field[company]"]', 'placeholder'), 'Your company');
  await bo.page.keyboard.type('Acme  Ltd');
  await bo.page.click('[name="field[newsletter]"]');
  assert.equal(await bo.page.getAttribute('[name="field[ssn]"]', 'type'), 'password');
  await bo.page.click('[name="field[ssn]"]');
  await bo.page.keyboard.type('123-45-6789');
  await bo.page.click('#kind-drawn');
  const pad = await bo.page.locator('#signature-pad').boundingBox();
  await bo.page.mouse.move(pad.x + 20, pad.y + pad.height / 2);
  await bo.page.mouse.down();
  await bo.page.mouse.move(pad.x + pad.width / 2, pad.y + 20, { steps: 8 });
  await bo.page.mouse.move(pad.x + pad.width - 20, pad.y + pad.height - 20, { steps: 8 });
  await bo.page.mouse.up();
  await bo.page.click('#esign-consent');
  await bo.page.click('button[value="sign"]');  // no payment chosen: the group blocks it
  await bo.page.waitForTimeout(300);
  assert.match(bo.page.url(), /\/sign\/[0-9a-f]+\?t=/, 'still on the signing page');
  assert.equal(await bo.page.evaluate(() => document.querySelector('[name="field[pay_card]"]').validationMessage),
    'Check exactly one of “Payment”.');
  await bo.page.click('[name="field[pay_bank]"]');
  // A rule: "Which terms" shows (and is required) once "Other terms" is checked.
  assert.equal(await bo.page.isVisible('[name="field[detail]"]'), false);
  await bo.page.click('[name="field[other]"]');
  assert.equal(await bo.page.isVisible('[name="field[detail]"]'), true);
  await bo.page.click('button[value="sign"]');  // blocked: the shown field is required
  await bo.page.waitForTimeout(300);
  assert.match(bo.page.url(), /\/sign\/[0-9a-f]+\?t=/, 'still on the signing page');
  await bo.page.fill('[name="field[detail]"]', 'Net 30');
  await bo.page.click('button[value="sign"]');
  await bo.page.waitForURL(/\/done/);
  await bo.context.close();

  // --- What the sender sees.
  const { pdf } = await waitForFinalPdf(server.url, { apiKey: user.api_key }, sr.signatureRequestId);
  const done = (await api().signatureRequestGet(sr.signatureRequestId)).body.signatureRequest;
  assert.ok(done.isComplete);
  const data = Object.fromEntries(done.responseData.map((d) => [d.apiId, d]));
  const expect = {
    full_name: [DropboxSign.SignatureRequestResponseDataValueText, 'Ann Lee', annId],
    zip: [DropboxSign.SignatureRequestResponseDataValueText, '12345', annId],
    agree: [DropboxSign.SignatureRequestResponseDataValueCheckbox, true, annId],
    plan_basic: [DropboxSign.SignatureRequestResponseDataValueRadio, false, annId],
    plan_pro: [DropboxSign.SignatureRequestResponseDataValueRadio, true, annId],
    colour: [DropboxSign.SignatureRequestResponseDataValueDropdown, 'blue', annId],
    company: [DropboxSign.SignatureRequestResponseDataValueText, 'Acme  Ltd', boId],
    newsletter: [DropboxSign.SignatureRequestResponseDataValueCheckbox, true, boId],
    ssn: [DropboxSign.SignatureRequestResponseDataValueText, '123-45-6789', boId],
    ref: [DropboxSign.SignatureRequestResponseDataValueTextMerge, 'REF-42', undefined],
    pay_card: [DropboxSign.SignatureRequestResponseDataValueCheckbox, false, boId],
    pay_bank: [DropboxSign.SignatureRequestResponseDataValueCheckbox, true, boId],
    other: [DropboxSign.SignatureRequestResponseDataValueCheckbox, true, boId],
    detail: [DropboxSign.SignatureRequestResponseDataValueText, 'Net 30', boId],
  };
  for (const [apiId, [cls, value, signatureId]] of Object.entries(expect)) {
    assert.ok(data[apiId] instanceof cls, `${apiId}: ${data[apiId]?.constructor.name}`);
    assert.equal(data[apiId].value, value, apiId);
    assert.equal(data[apiId].signatureId ?? undefined, signatureId, apiId);
  }
  assert.equal(data.sig_0.isSigned, true);
  assert.equal(data.init_0.isSigned, true);

  const one = pdfText(pdf.body, 1);
  for (const text of ['Ann Lee', '12345', 'blue']) assert.ok(one.includes(text), `${text} on page 1:\n${one}`);
  const two = pdfText(pdf.body, 2);
  for (const text of ['Acme Ltd', 'REF-42', '********']) assert.ok(two.includes(text), `${text} on page 2:\n${two}`);
  const all = pdfText(pdf.body, 1) + two + pdfText(pdf.body, 3);
  assert.ok(!all.includes('123-45-6789'), 'masked text is not in the PDF');
  const audit = pdfText(pdf.body).replace(/\s+/g, ' ');
  assert.match(audit, /filled 5 fields: Full name, ZIP, I agree, plan, Colour/);
  assert.match(audit, /filled 7 fields: Company, Newsletter, SSN, Card, Bank, Other terms, Which terms/);
});
