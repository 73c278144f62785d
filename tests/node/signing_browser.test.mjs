// The signer's pages in a real browser (Debian's Chromium through playwright-core): an ordered
// two-signer request signed by drawing and by typing, ending in a sealed final PDF that pdfsig
// validates (and rejects once a byte is flipped); declining with a reason; a canceled request's
// link; the security headers of the page and the order check ("not your turn").

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { launchChromium } from './lib/chromium.mjs';
import { startServer } from './lib/server.mjs';
import { call, expectJson, basicAuth } from './lib/http.mjs';
import { quickSend, twoSigners } from './lib/sr.mjs';
import { waitForMailTo, mailsTo } from './lib/outbox.mjs';

let server;
let base;
let browser;
let acct;
let tmp;

before(async () => {
  server = await startServer();
  base = server.url;
  acct = await server.createAccount();
  tmp = await mkdtemp(join(tmpdir(), 'countersign-signing-'));
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const AUTH = () => ({ apiKey: acct.api_key });

function run(cmd, args) {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (err.code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

async function linkFor(email, signatureId) {
  const [mail] = await waitForMailTo(server.dataDir, email, { timeoutMs: 15_000 });
  const link = mail.links.find((l) => l.signatureId === signatureId);
  assert.ok(link, `a /sign/${signatureId} link in ${JSON.stringify(mail.links)}`);
  return link.url;
}

async function getRequest(id) {
  return expectJson(await call(base, 'GET', `/v3/signature_request/${id}`, AUTH()), 200).signature_request;
}

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page };
}

async function pageImagesLoaded(page, expected) {
  await page.waitForFunction(
    (n) => {
      const imgs = [...document.querySelectorAll('img.sign-page')];
      return imgs.length === n && imgs.every((i) => i.complete && i.naturalWidth > 0);
    },
    expected,
    { timeout: 20_000 },
  );
}

test('ordered signers: draw, then type; the sealed PDF validates and tampering is detected', { timeout: 90_000 }, async () => {
  const signers = twoSigners({ ordered: true, prefix: 'browser' });
  const sr = await quickSend(base, AUTH(), { title: 'Browser signing', message: 'Please sign, thanks!', signers, pages: 2 });
  const [first, second] = sr.signatures;
  const firstUrl = await linkFor(first.signer_email_address, first.signature_id);
  assert.equal((await mailsTo(server.dataDir, second.signer_email_address)).length, 0,
    'the order-1 signer gets no email before the order-0 signer signed');

  // Headers of the page.
  const head = await fetch(firstUrl, { redirect: 'manual' });
  assert.equal(head.status, 200);
  assert.equal(head.headers.get('x-frame-options'), 'DENY');
  assert.match(head.headers.get('content-security-policy') || '', /frame-ancestors 'none'/);
  await head.text();

  const { context, page } = await newPage();
  try {
    await page.goto(firstUrl);
    assert.equal(await page.locator('h1').first().textContent(), 'Browser signing');
    assert.ok((await page.content()).includes('Please sign, thanks!'));
    await pageImagesLoaded(page, 2);
    const pad = page.locator('#signature-pad');
    await pad.scrollIntoViewIfNeeded();
    const box = await pad.boundingBox();
    assert.ok(box && box.width > 50, 'the pad is visible');
    await page.mouse.move(box.x + box.width * 0.1, box.y + box.height * 0.6);
    await page.mouse.down();
    for (let i = 1; i <= 12; i++) {
      await page.mouse.move(box.x + box.width * (0.1 + 0.06 * i), box.y + box.height * (0.6 - 0.3 * Math.sin(i / 2)));
    }
    await page.mouse.up();
    assert.ok(await page.locator('#kind-drawn').isChecked(), 'drawing selects Draw');
    const strokes = JSON.parse(await page.locator('#strokes').inputValue());
    assert.ok(Array.isArray(strokes) && strokes.length === 1 && strokes[0].length >= 5);
    assert.ok(strokes[0].every(([x, y]) => x >= 0 && x <= 1 && y >= 0 && y <= 1));
    await page.locator('#esign-consent').check();
    await Promise.all([page.waitForURL(/\/done\?/), page.locator('button[name=action][value=sign]').click()]);
    assert.match(await page.locator('h1').textContent(), /Thank you/);
  } finally {
    await context.close();
  }

  // Now the second signer's turn: their email arrives. Typed signing with the keyboard only.
  const secondUrl = await linkFor(second.signer_email_address, second.signature_id);
  {
    const { context: c2, page: p2 } = await newPage();
    try {
      await p2.goto(secondUrl);
      await pageImagesLoaded(p2, 2);
      assert.equal(await p2.locator('#typed-name').inputValue(), 'Jill Signer');
      await p2.locator('#typed-name').focus();
      await p2.keyboard.press('End');
      await p2.keyboard.type(' Q');
      // Without agreeing to sign electronically the browser does not submit.
      await p2.keyboard.press('Enter');
      await p2.waitForTimeout(300);
      assert.match(p2.url(), /\/sign\//);
      assert.equal(await p2.locator('#esign-consent').evaluate((e) => e.validity.valueMissing), true);
      await p2.locator('#esign-consent').focus();
      await p2.keyboard.press('Space');
      await p2.locator('#typed-name').focus();
      await Promise.all([p2.waitForURL(/\/done\?/), p2.keyboard.press('Enter')]);
      assert.match(await p2.locator('h1').textContent(), /Thank you/);
    } finally {
      await c2.close();
    }
  }

  // The first signer's link now says "already signed".
  const again = await fetch(firstUrl);
  assert.equal(again.status, 409);
  assert.match(await again.text(), /already signed/i);

  // Complete, then the sealed PDF.
  const deadline = Date.now() + 40_000;
  let pdf;
  for (;;) {
    assert.ok(Date.now() < deadline, 'the request completes and its final PDF is made in time');
    const cur = await getRequest(sr.signature_request_id);
    if (cur.is_complete) {
      const res = await fetch(`${base}/v3/signature_request/files/${sr.signature_request_id}?file_type=pdf`,
        { headers: { authorization: basicAuth(acct.api_key) } });
      const buf = Buffer.from(await res.arrayBuffer());
      if (res.status === 200) {
        pdf = buf;
        break;
      }
      assert.equal(res.status, 409, `files while preparing: ${res.status} ${buf.toString().slice(0, 200)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const done = await getRequest(sr.signature_request_id);
  assert.ok(done.signatures.every((s) => s.status_code === 'signed'));
  const file = join(tmp, 'final.pdf');
  await writeFile(file, pdf);
  const sig = await run('pdfsig', [file]);
  assert.match(sig.stdout, /Signature is Valid/, `pdfsig: ${sig.stdout}${sig.stderr}`);
  const text = await run('pdftotext', [file, '-']);
  assert.ok(text.stdout.includes(sr.signature_request_id), 'the audit page names the request');
  assert.ok(text.stdout.includes(first.signer_email_address));
  assert.ok(text.stdout.includes(second.signer_email_address));
  assert.match(text.stdout, /sealed/i);

  // Flip one byte near the middle that the signature covers (not the /Contents hole).
  const tampered = Buffer.from(pdf);
  const br = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(pdf.toString('latin1'));
  assert.ok(br, 'the sealed PDF has a /ByteRange');
  const [a0, a1, b0, b1] = br.slice(1).map(Number);
  let mid = Math.floor(tampered.length / 2);
  if (mid >= a0 + a1 && mid < b0) mid = a1 > b1 ? a0 + Math.floor(a1 / 2) : b0 + Math.floor(b1 / 2);
  tampered[mid] ^= 0x01;
  const bad = join(tmp, 'tampered.pdf');
  await writeFile(bad, tampered);
  const sig2 = await run('pdfsig', [bad]);
  assert.doesNotMatch(sig2.stdout, /Signature is Valid/, `tampered pdfsig: ${sig2.stdout}`);
});

test('the order-1 signer has no link before their turn (not-your-turn case not reachable)', async () => {
  // A signer's link is mailed only when their turn comes and remind refuses signers whose turn
  // has not come, so a "not your turn" link cannot be obtained from outside; check that no link
  // exists, and that a made-up secret is a 404.
  const signers = twoSigners({ ordered: true, prefix: 'order' });
  const sr = await quickSend(base, AUTH(), { signers });
  const [first, second] = sr.signatures;
  await linkFor(first.signer_email_address, first.signature_id);
  assert.equal((await mailsTo(server.dataDir, second.signer_email_address)).length, 0);
  const res = await fetch(`${base}/sign/${second.signature_id}?t=${'a'.repeat(43)}`);
  assert.equal(res.status, 404);
  await res.text();
});

test('declining with a reason', { timeout: 45_000 }, async () => {
  const signers = twoSigners({ prefix: 'decline' });
  const sr = await quickSend(base, AUTH(), { signers, extra: { allow_decline: 'true' } });
  const [first, second] = sr.signatures;
  const url = await linkFor(first.signer_email_address, first.signature_id);
  const otherUrl = new URL(await linkFor(second.signer_email_address, second.signature_id));
  const otherDone = `${base}/sign/${second.signature_id}/done${otherUrl.search}`;
  // Before anyone acted, the done page sends a signer back to the form.
  const early = await fetch(otherDone, { redirect: 'manual' });
  assert.equal(early.status, 303);
  assert.equal(new URL(early.headers.get('location'), base).pathname, `/sign/${second.signature_id}`);
  const { context, page } = await newPage();
  try {
    await page.goto(url);
    await page.locator('#decline-reason').fill('Wrong amount on page 1');
    await Promise.all([page.waitForURL(/\/done\?/), page.locator('button[name=action][value=decline]').click()]);
    assert.match(await page.locator('h1').textContent(), /declined/i);
  } finally {
    await context.close();
  }
  const cur = await getRequest(sr.signature_request_id);
  assert.equal(cur.is_declined, true);
  const mine = cur.signatures.find((s) => s.signature_id === first.signature_id);
  assert.equal(mine.status_code, 'declined');
  assert.equal(mine.decline_reason, 'Wrong amount on page 1');
  const after = await fetch(url);
  assert.equal(after.status, 409);
  assert.match(await after.text(), /You declined/);
  // The other signer did not decline: their done page is the closed request's 410, whatever its
  // query says.
  for (const query of ['', '&declined=1']) {
    const theirs = await fetch(otherDone + query);
    assert.equal(theirs.status, 410);
    assert.doesNotMatch(await theirs.text(), /You declined/);
  }
});

test('a canceled request\'s link shows a 410 page; a bad secret a 404 page', async () => {
  const signers = twoSigners({ prefix: 'cancel' });
  const sr = await quickSend(base, AUTH(), { signers });
  const [first] = sr.signatures;
  const url = await linkFor(first.signer_email_address, first.signature_id);
  const res = await call(base, 'POST', `/v3/signature_request/cancel/${sr.signature_request_id}`, AUTH());
  assert.equal(res.status, 200, res.text);
  const { context, page } = await newPage();
  try {
    const resp = await page.goto(url);
    assert.equal(resp.status(), 410);
    assert.match(await page.locator('.error').textContent(), /cancel/i);
    const img = await fetch(`${url.replace('?', '/page/0/0.png?')}`);
    assert.equal(img.status, 410);
    await img.text();
    const wrong = await page.goto(`${base}/sign/${first.signature_id}?t=nope`);
    assert.equal(wrong.status(), 404);
  } finally {
    await context.close();
  }
});
