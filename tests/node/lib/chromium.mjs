// Debian's Chromium for the page tests, through playwright-core: headless, no sandbox (root in
// CI), no GPU, no background networking. Fails the suite when Chromium is missing (CI installs
// it; a page test never silently skips).

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** A launched browser; close it in the suite's `after`. */
export function launchChromium() {
  assert.ok(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM} (apt-get install chromium)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * A new browser context (`viewport`, default 1100×900) with a page logged in as `account`
 * ({ email_address, password }, as server.createAccount() returns) through the log-in form;
 * the page is on /home. Close the returned context when done.
 */
export async function loggedInPage(browser, base, account, { viewport = { width: 1100, height: 900 } } = {}) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${base}/login`);
  await page.fill('#email', account.email_address);
  await page.fill('#password', account.password);
  await Promise.all([page.waitForURL(/\/home/), page.getByRole('button', { name: 'Log in' }).click()]);
  return { context, page };
}

/**
 * Opens the signing link `url` in a fresh context (not logged in), lets `fill(page)` fill the
 * signer's fields, consents and signs; resolves once the done page shows.
 */
export async function signAtLink(browser, url, fill = async () => {}) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  try {
    await page.goto(url);
    await fill(page);
    await page.locator('#esign-consent').check();
    await Promise.all([page.waitForURL(/\/done\?/), page.locator('button[name=action][value=sign]').click()]);
  } finally {
    await context.close();
  }
}

/**
 * On a logged-in `page`: Documents → "Waiting for me" → the request titled `title` → "Sign now",
 * then consents and signs; resolves once the done page shows. `onList(page)` runs on the
 * "Waiting for me" list (e.g. an accessibility check).
 */
export async function signNowFromWaitingForMe(page, base, title, { onList } = {}) {
  await page.goto(`${base}/documents`);
  await page.getByRole('link', { name: 'Waiting for me' }).click();
  if (onList) await onList(page);
  await page.getByRole('link', { name: title }).click();
  await Promise.all([page.waitForURL(/\/sign\//), page.getByRole('button', { name: 'Sign now' }).click()]);
  await page.locator('#esign-consent').check();
  await Promise.all([page.waitForURL(/\/done\?/), page.locator('button[name=action][value=sign]').click()]);
}
