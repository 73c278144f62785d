// Reads the `.eml` files the server's mail worker writes into `<data-dir>/outbox/` and waits
// for mail to arrive (polling; never a blind sleep). Each mail is parsed just enough for the
// tests: To (address and name), Subject, the decoded text of every part, and the signer links
// `<base>/sign/<signature_id>?t=<secret>` it contains.
//
//   const mails = await waitForMail(dataDir, (m) => m.to === 'jill@example.com');
//   mails[0].links[0] // { url, signatureId, secret }

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

function splitHeaderBody(raw) {
  const m = /\r?\n\r?\n/.exec(raw);
  if (!m) return { head: raw, body: '' };
  return { head: raw.slice(0, m.index), body: raw.slice(m.index + m[0].length) };
}

/** Header map (lower-case names, unfolded; the first occurrence wins). */
function parseHeaders(head) {
  const headers = {};
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  for (const line of unfolded.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const name = line.slice(0, i).trim().toLowerCase();
    if (!(name in headers)) headers[name] = line.slice(i + 1).trim();
  }
  return headers;
}

/** Decodes RFC 2047 encoded-words (=?utf-8?B?...?= and =?utf-8?Q?...?=). */
export function decodeWords(s) {
  return s.replace(/=\?([^?]+)\?([bqBQ])\?([^?]*)\?=\s*(?==\?)?/g, (m, charset, enc, text) => {
    try {
      if (enc.toUpperCase() === 'B') return Buffer.from(text, 'base64').toString('utf8');
      const bytes = text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (x, h) => String.fromCharCode(parseInt(h, 16)));
      return Buffer.from(bytes, 'latin1').toString('utf8');
    } catch {
      return m;
    }
  });
}

function decodeQuotedPrintable(s) {
  const soft = s.replace(/=\r?\n/g, '');
  const bytes = soft.replace(/=([0-9A-Fa-f]{2})/g, (m, h) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

function decodeBody(body, headers) {
  const cte = (headers['content-transfer-encoding'] || '').toLowerCase();
  if (cte === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (cte === 'quoted-printable') return decodeQuotedPrintable(body);
  return body;
}

/** The decoded text of every leaf part of a MIME entity, in order. */
function leafTexts(raw) {
  const { head, body } = splitHeaderBody(raw);
  const headers = parseHeaders(head);
  const ct = headers['content-type'] || 'text/plain';
  const bm = /boundary="?([^";]+)"?/i.exec(ct);
  if (/^multipart\//i.test(ct) && bm) {
    const boundary = bm[1];
    const parts = body.split(new RegExp(`\\r?\\n?--${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:--)?[ \\t]*\\r?\\n?`));
    const out = [];
    for (const p of parts.slice(1)) {
      if (!p.trim()) continue;
      out.push(...leafTexts(p));
    }
    return out;
  }
  return [{ contentType: ct, text: decodeBody(body, headers) }];
}

/** Splits "Name <a@b>" / "<a@b>" / "a@b" into { name, email } (email lower-cased). */
export function parseAddress(value) {
  const v = decodeWords(value || '').trim();
  const m = /^(.*)<([^>]+)>\s*$/.exec(v);
  if (m) {
    let name = m[1].trim();
    if (name.startsWith('"') && name.endsWith('"')) name = name.slice(1, -1).replace(/\\(.)/g, '$1');
    return { name, email: m[2].trim().toLowerCase() };
  }
  return { name: '', email: v.toLowerCase() };
}

const LINK_RE = /(https?:\/\/[^\s"'<>]+)?\/sign\/([A-Za-z0-9_-]+)\?t=([A-Za-z0-9_%.~-]+)/g;

/** Parses one .eml text. */
export function parseMail(raw, file = '') {
  const { head } = splitHeaderBody(raw);
  const headers = parseHeaders(head);
  const to = parseAddress(headers.to || '');
  const parts = leafTexts(raw);
  const text = parts.map((p) => p.text).join('\n');
  const links = [];
  const seen = new Set();
  for (const p of parts) {
    // In HTML parts the link may carry &amp; entities; decode the one that matters.
    const t = p.text.replace(/&amp;/g, '&');
    for (const m of t.matchAll(LINK_RE)) {
      const key = `${m[2]}?${m[3]}`;
      if (seen.has(key)) continue;
      seen.add(key);
      links.push({ url: m[0], signatureId: m[2], secret: decodeURIComponent(m[3]) });
    }
  }
  return {
    file,
    headers,
    to: to.email,
    toName: to.name,
    subject: decodeWords(headers.subject || ''),
    text,
    parts,
    links,
    raw,
  };
}

/** Every mail currently in `<dataDir>/outbox/` (an empty list when the folder is missing). */
export async function readOutbox(dataDir) {
  const dir = join(dataDir, 'outbox');
  let names;
  try {
    names = await readdir(dir);
  } catch (e) {
    if (e.code === 'ENOENT') return [];
    throw e;
  }
  const mails = [];
  for (const name of names.filter((n) => n.endsWith('.eml')).sort()) {
    let raw;
    try {
      raw = await readFile(join(dir, name), 'utf8');
    } catch (e) {
      if (e.code === 'ENOENT') continue; // renamed or removed meanwhile
      throw e;
    }
    mails.push(parseMail(raw, name));
  }
  return mails;
}

/**
 * Polls the outbox until at least `count` mails match `predicate`; resolves the matching
 * mails. Rejects after `timeoutMs` with what the outbox held.
 */
export async function waitForMail(dataDir, predicate, { count = 1, timeoutMs = 10_000, intervalMs = 50 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const all = await readOutbox(dataDir);
    const hits = all.filter(predicate);
    if (hits.length >= count) return hits;
    if (Date.now() > deadline) {
      throw new Error(`expected ${count} mail(s) within ${timeoutMs} ms, found ${hits.length}; ` +
        `outbox recipients: ${JSON.stringify(all.map((m) => m.to))}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Mails addressed to `email` (case-insensitive) currently in the outbox. */
export async function mailsTo(dataDir, email) {
  const e = email.toLowerCase();
  return (await readOutbox(dataDir)).filter((m) => m.to === e);
}

/** Waits until `email` has received at least `count` mails; resolves them. */
export function waitForMailTo(dataDir, email, opts = {}) {
  const e = email.toLowerCase();
  return waitForMail(dataDir, (m) => m.to === e, opts);
}
