// Helpers for the event callback tests: checking a received event with the official SDK
// (EventCallbackHelper.isValid / getCallbackType), saving callback URLs, and reading the event
// deliveries page (docs/web-contract.md, "Pages").

import assert from 'node:assert/strict';
import DropboxSign from '@dropbox/sign';
import { call, expectJson } from './http.mjs';
import { decodeHtml, parseForms, loggedIn } from './web.mjs';

const { EventCallbackHelper, EventCallbackRequest } = DropboxSign;

/** The SDK's view of a received POST: { request, valid(apiKey), type }. */
export function sdkView(post) {
  const request = EventCallbackRequest.init(post.json);
  return {
    request,
    valid: (apiKey) => EventCallbackHelper.isValid(apiKey, request),
    type: EventCallbackHelper.getCallbackType(request),
  };
}

/**
 * Asserts a received POST is a Dropbox Sign event callback signed with `apiKey`: multipart with
 * the field `json`, event_time a string of Unix seconds, and the SDK's isValid accepting it.
 * Returns the parsed body.
 */
export function assertSignedEvent(post, apiKey, what = '') {
  assert.match(post.contentType, /^multipart\/form-data; boundary=/, `content type ${what}`);
  assert.deepEqual(post.fields, ['json'], `multipart fields ${what}`);
  assert.equal(post.parseError, null, `json field parses ${what}`);
  const { event } = post.json;
  assert.equal(typeof event.event_time, 'string', `event_time is a string ${what}`);
  assert.match(event.event_time, /^\d{10}$/, `event_time ${what}`);
  assert.match(event.event_hash, /^[0-9a-f]{64}$/, `event_hash ${what}`);
  assert.ok(sdkView(post).valid(apiKey),
    `EventCallbackHelper.isValid rejects ${event.event_type} ${what} ${JSON.stringify(event)}`);
  return post.json;
}

/** PUT /v3/account {callback_url}; returns the raw response. */
export function putAccountCallback(base, apiKey, url) {
  return call(base, 'PUT', '/v3/account', { apiKey, json: { callback_url: url } });
}

/** PUT /v3/account {callback_url}; asserts 200. */
export async function saveAccountCallback(base, apiKey, url) {
  const body = expectJson(await putAccountCallback(base, apiKey, url), 200);
  assert.equal(body.account.callback_url, url);
}

/**
 * The rows of an event deliveries page, newest first:
 * [{ id, status, time, eventType, attempts, code, error, resend: form|undefined }].
 */
export function parseDeliveries(html) {
  const forms = parseForms(html);
  const rows = [];
  const rowRe = /<tr class="delivery" id="delivery-([0-9a-f]+)" data-status="([a-z]+)">([\s\S]*?)<\/tr>/g;
  let m;
  while ((m = rowRe.exec(html)) !== null) {
    const cell = (cls) => {
      const c = new RegExp(`<td class="${cls}">([\\s\\S]*?)</td>`).exec(m[3]);
      return c ? decodeHtml(c[1].replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim() : undefined;
    };
    const id = m[1];
    rows.push({
      id,
      status: m[2],
      time: cell('time'),
      eventType: cell('event-type'),
      statusText: cell('status'),
      attempts: Number(cell('attempts')),
      code: cell('response-code'),
      error: cell('last-error'),
      resend: forms.find((f) => f.action.endsWith(`/${id}/resend`)),
    });
  }
  return rows;
}

/** The deliveries page `pagePath` as `acct` (a fresh log-in): { session, html, rows }. */
export async function deliveries(srv, acct, pagePath = '/account/deliveries') {
  const s = await loggedIn(srv.url, acct);
  const page = await s.get(pagePath);
  assert.equal(page.status, 200, `GET ${pagePath}: ${page.status}`);
  return { session: s, html: page.text, rows: parseDeliveries(page.text) };
}

/** Polls the deliveries page until `pred(rows)` holds; fails after `timeoutMs`. */
export async function waitForRows(srv, acct, pred, pagePath = undefined, timeoutMs = 15_000) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    last = (await deliveries(srv, acct, pagePath)).rows;
    if (pred(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.fail(`deliveries page never matched: ${JSON.stringify(last)}`);
}

/**
 * Receiver paths and the API key that must sign the events POSTed to each:
 * `const paths = new SignedPaths(); const p = paths.add('alice', apiKey);` and at the end
 * `paths.checkAll(rx.posts)` checks every POST received.
 */
export class SignedPaths {
  constructor(prefix = '') {
    this.prefix = prefix;
    this.keys = new Map();
    this.counter = 0;
  }

  add(name, apiKey) {
    this.counter += 1;
    const p = `/${this.prefix}${name}-${this.counter}`;
    this.keys.set(p, apiKey);
    return p;
  }

  checkAll(posts) {
    for (const post of posts) {
      const key = this.keys.get(post.path);
      assert.ok(key, `a POST to an unknown path ${post.path}`);
      assertSignedEvent(post, key, post.path);
    }
  }
}
