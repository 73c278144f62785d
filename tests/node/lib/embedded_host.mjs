// A host app's page for the real hellosign-embedded client (the UMD build from node_modules,
// pinned in package.json), served on loopback by lib/fileserver.mjs: it loads the library as a
// customer does and records every event the client emits in window.events.
//
//   const host = await startEmbeddedHost();            // host.base: "http://127.0.0.1:P"
//   await page.goto(`${host.base}/host.html`);
//   await page.evaluate(({ url, clientId }) => window.openEmbedded(url, { clientId, ... }), …);
//   const ev = await waitForHostEvent(page, 'send');   // { name, data }
//   await host.close();

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { startFileServer } from './fileserver.mjs';

const require = createRequire(import.meta.url);
const EMBEDDED_JS = readFileSync(require.resolve('hellosign-embedded/umd/embedded.development.js'));

const EVENTS = ['open', 'ready', 'sign', 'decline', 'send', 'cancel', 'close', 'error', 'finish'];

const HOST_HTML = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Host app</title><script src="/hellosign-embedded.js"></script></head>
<body><h1>Host app</h1><script>
window.events = [];
var HelloSign = window.HelloSign.default || window.HelloSign;
var client = new HelloSign();
${JSON.stringify(EVENTS)}.forEach(function (name) {
  client.on(name, function (data) { window.events.push({ name: name, data: data || null }); });
});
window.openEmbedded = function (url, options) { client.open(url, options); };
</script></body></html>`;

/** A file server with /host.html and /hellosign-embedded.js; close() it when done. */
export async function startEmbeddedHost() {
  const host = await startFileServer();
  host.serve('/host.html', HOST_HTML, { contentType: 'text/html; charset=utf-8' });
  host.serve('/hellosign-embedded.js', EMBEDDED_JS, { contentType: 'text/javascript' });
  return host;
}

/** Waits for the first host event called `name`; resolves { name, data }. */
export async function waitForHostEvent(page, name, timeout = 15_000) {
  const handle = await page.waitForFunction((n) => window.events.find((e) => e.name === n), name, { timeout });
  return handle.jsonValue();
}

/** The frame hellosign-embedded opened on the host page. */
export const embeddedFrame = (page) => page.frameLocator('iframe.x-hellosign-embedded__iframe');
