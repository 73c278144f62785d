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
