// Signing through the embedded page's own HTTP form, as the frame would (for the API suites;
// embedded_browser.test.mjs drives the real hellosign-embedded client in Chromium).
//
//   await embeddedSign(signUrl, { clientId });                  // signs (typed name)
//   await embeddedSign(signUrl, { clientId, decline: 'why' });  // declines

import assert from 'node:assert/strict';

/** The frame parameters hellosign-embedded appends to a sign_url (test mode, domain check skipped). */
export function frameParams(clientId, parentUrl = 'http://localhost/host') {
  return `&client_id=${encodeURIComponent(clientId)}&parent_url=${encodeURIComponent(parentUrl)}` +
    '&skip_domain_verification=1&js_version=2.12.4';
}

/** The hidden inputs of the signing form in `html`. */
export function hiddenInputs(html) {
  const out = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
    out[m[1]] = m[2].replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#x2f;/gi, '/').replace(/&#x3d;/gi, '=');
  }
  return out;
}

/** Opens `signUrl` as the frame would and signs (or declines); returns the final page's HTML. */
export async function embeddedSign(signUrl, { clientId, parentUrl, typedName = 'Embedded Signer', decline } = {}) {
  const opened = await fetch(signUrl + frameParams(clientId, parentUrl));
  const html = await opened.text();
  assert.equal(opened.status, 200, html.slice(0, 500));
  const base = new URL(signUrl).origin;
  const form = new URLSearchParams({ ...hiddenInputs(html) });
  if (decline !== undefined) {
    form.set('action', 'decline');
    form.set('reason', decline);
  } else {
    form.set('action', 'sign');
    form.set('kind', 'typed');
    form.set('typed_name', typedName);
    form.set('esign_consent', '1');
  }
  const done = await fetch(`${base}/editor/embeddedSign`, { method: 'POST', body: form });
  const page = await done.text();
  assert.equal(done.status, 200, page.slice(0, 800));
  assert.match(page, new RegExp(`data-state="${decline !== undefined ? 'declined' : 'signed'}"`));
  return page;
}
