// The signing page of a 30-page document in Chromium (issue 12): first contentful paint and the
// time until every page image is shown, for a document whose pages were never rendered (cold)
// and once they are in the server's page cache (warm, a fresh browser profile each time), next
// to the log-in page's first paint as the in-run reference. Median of ROUNDS rounds; loopback
// only; one server started for the run (SQLite, its own data folder).
//
//   node bench/signing_paint.mjs [--rounds 3] [--pages 30]
//   (COUNTERSIGN_BIN names the server binary; default build/countersign)

import { createRequire } from 'node:module';
import { startServer, uniqueEmail } from '../tests/node/lib/server.mjs';
import { makePdf } from '../tests/node/lib/pdf.mjs';
import { waitForMail } from '../tests/node/lib/outbox.mjs';
import { call, expectJson } from '../tests/node/lib/http.mjs';
import { option } from './cli_option.mjs';

const require = createRequire(new URL('../tests/node/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const opt = (name, dflt) => {
  const value = option(name);
  return value === undefined ? dflt : Number(value);
};
const ROUNDS = opt('rounds', 3);
const PAGES = opt('pages', 30);
if (!(ROUNDS >= 1 && ROUNDS <= 10) || !(PAGES >= 1 && PAGES <= 200)) throw new Error('bad --rounds/--pages');
process.env.COUNTERSIGN_BIN ??= new URL('../build/countersign', import.meta.url).pathname;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const server = await startServer();
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  const user = await server.createAccount();

  // A fresh request of PAGES pages with a text field per page for its one signer; its link.
  async function newLink(i) {
    const signer = { name: 'Bench Signer', email_address: uniqueEmail(`paint${i}`) };
    const fields = Array.from({ length: PAGES }, (_, p) => ({
      document_index: 0, api_id: `t${p}`, type: 'text', required: false, signer: 0, page: p + 1,
      x: 72, y: 100, width: 200, height: 20,
    }));
    const form = new FormData();
    form.append('title', `Paint ${i}`);
    form.append('signers', JSON.stringify([signer]));
    form.append('form_fields_per_document', JSON.stringify(fields));
    form.append('files[0]', new Blob([makePdf({ pages: PAGES })], { type: 'application/pdf' }), 'long.pdf');
    const sr = expectJson(await call(server.url, 'POST', '/v3/signature_request/send',
      { apiKey: user.api_key, multipart: form }), 200).signature_request;
    const id = sr.signatures[0].signature_id;
    const [mail] = await waitForMail(server.dataDir, (m) => m.links.some((l) => l.signatureId === id));
    return mail.links.find((l) => l.signatureId === id).url;
  }

  // First contentful paint and (when `images`) the time until every page image has loaded,
  // in ms from navigation start, in a fresh browser context.
  async function measure(url, images) {
    const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
    const page = await context.newPage();
    await page.goto(url);
    if (images) {
      // Lazy images load as they scroll into view: scroll through the pages, as a reader would.
      await page.evaluate(async () => {
        for (const img of document.querySelectorAll('img.sign-page')) {
          img.loading = 'eager';
        }
      });
      await page.waitForFunction(() => [...document.querySelectorAll('img.sign-page')]
        .every((i) => i.complete && i.naturalWidth > 0), null, { timeout: 60_000 });
    }
    const result = await page.evaluate(() => {
      const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
      const imgs = performance.getEntriesByType('resource').filter((e) => e.name.includes('/page/'));
      const last = imgs.reduce((m, e) => Math.max(m, e.responseEnd), 0);
      return { fcp, images: last };
    });
    await context.close();
    return result;
  }

  const reference = [];
  const cold = [];
  const warm = [];
  for (let round = 0; round < ROUNDS; round++) {
    reference.push((await measure(`${server.url}/login`, false)).fcp);
    const link = await newLink(round);
    cold.push(await measure(link, true));
    warm.push(await measure(link, true));
  }
  const row = (name, xs) => {
    const fcp = median(xs.map((x) => x.fcp));
    const img = median(xs.map((x) => x.images));
    console.log(`${name.padEnd(34)} first paint ${fcp.toFixed(0).padStart(5)} ms   all ${PAGES} pages ${img.toFixed(0).padStart(6)} ms`);
    return fcp;
  };
  const ref = median(reference);
  console.log(`=== signing page of a ${PAGES}-page document, Chromium, median of ${ROUNDS}`);
  console.log(`${'log-in page (reference)'.padEnd(34)} first paint ${ref.toFixed(0).padStart(5)} ms`);
  const c = row('signing page, pages not rendered', cold);
  const w = row('signing page, pages cached', warm);
  console.log(`ratio first paint / reference: cold ${(c / ref).toFixed(2)}, warm ${(w / ref).toFixed(2)}`);
  console.log(`goal first paint < 1000 ms: ${c < 1000 && w < 1000 ? 'met' : 'NOT met'}`);
} finally {
  await browser.close();
  await server.stop();
}
