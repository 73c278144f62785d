// Drives the server-rendered pages without a browser: a cookie jar, a tiny HTML form parser,
// log-in, and the OAuth consent flow (GET /oauth/authorize -> POST /oauth/authorize).
// Also the API-side helpers of the OAuth flow: creating an app and exchanging a code.

import assert from 'node:assert/strict';
import { call, expectJson, describe } from './http.mjs';
import { waitForMailTo } from './outbox.mjs';

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decodes HTML character references (&amp; &#39; &#x2F; …). */
export function decodeHtml(s) {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, ref) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return String.fromCodePoint(code);
    }
    return ENTITIES[ref.toLowerCase()] ?? m;
  });
}

function parseAttributes(tag) {
  const attrs = {};
  const re = /([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  // Skip the tag name.
  const inner = tag.replace(/^<\s*[a-zA-Z]+/, '').replace(/\/?>$/, '');
  let m;
  while ((m = re.exec(inner)) !== null) {
    const value = m[2] ?? m[3] ?? m[4] ?? '';
    attrs[m[1].toLowerCase()] = decodeHtml(value);
  }
  return attrs;
}

/**
 * The forms of a page: [{ action, method, fields: {name: value} (hidden and text inputs),
 * inputs: [attrs], buttons: [{name, value, text}] }].
 */
export function parseForms(html) {
  const forms = [];
  const formRe = /<form\b[^>]*>([\s\S]*?)<\/form>/gi;
  let m;
  while ((m = formRe.exec(html)) !== null) {
    const openTag = m[0].slice(0, m[0].indexOf('>') + 1);
    const attrs = parseAttributes(openTag);
    const body = m[1];
    const inputs = [...body.matchAll(/<input\b[^>]*>/gi)].map((x) => parseAttributes(x[0]));
    const fields = {};
    for (const inp of inputs) {
      if (!inp.name) continue;
      const type = (inp.type || 'text').toLowerCase();
      if (['checkbox', 'radio', 'submit', 'button', 'image', 'file'].includes(type)) continue;
      fields[inp.name] = inp.value ?? '';
    }
    const buttons = [...body.matchAll(/<button\b([^>]*)>([\s\S]*?)<\/button>/gi)].map((x) => {
      const a = parseAttributes(`<button${x[1]}>`);
      return { name: a.name, value: a.value, type: a.type, text: decodeHtml(x[2].replace(/<[^>]*>/g, '')).trim() };
    });
    forms.push({ action: attrs.action ?? '', method: (attrs.method || 'get').toLowerCase(), fields, inputs, buttons });
  }
  return forms;
}

/** The first form having an input named `inputName`; fails the test if there is none. */
export function findForm(html, inputName) {
  const form = parseForms(html).find((f) => f.inputs.some((i) => i.name === inputName));
  assert.ok(form, `no form with an input named ${inputName} in page:\n${html.slice(0, 2000)}`);
  return form;
}

/** Text content of the first element with the given id (tags stripped, entities decoded). */
export function textById(html, id) {
  const re = new RegExp(`<([a-zA-Z0-9]+)\\b[^>]*\\bid=["']${id}["'][^>]*>([\\s\\S]*?)</\\1>`, 'i');
  const m = re.exec(html);
  return m ? decodeHtml(m[2].replace(/<[^>]*>/g, '')).trim() : undefined;
}

/** A browser-less client for the pages: keeps cookies, never follows redirects. */
export class WebSession {
  constructor(base) {
    this.base = base;
    this.cookies = new Map();
    this.lastSetCookies = [];
  }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(method, path, { form, headers = {} } = {}) {
    const h = { ...headers };
    if (this.cookies.size) h.cookie = this.cookieHeader();
    let body;
    if (form !== undefined) {
      h['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(form).toString();
    }
    const url = path.startsWith('http') ? path : this.base + path;
    const res = await fetch(url, { method, headers: h, body, redirect: 'manual' });
    this.lastSetCookies = res.headers.getSetCookie();
    for (const sc of this.lastSetCookies) {
      const [pair, ...attrs] = sc.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a) ||
        (/^\s*expires\s*=/i.test(a) && Date.parse(a.split('=')[1]) < Date.now()));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, location: res.headers.get('location') };
  }

  get(path, opts) {
    return this.request('GET', path, opts);
  }

  post(path, form, opts = {}) {
    return this.request('POST', path, { ...opts, form });
  }

  /** Resolves a Location header against the server's base URL. */
  resolve(location) {
    return new URL(location, this.base + '/');
  }

  /** GET /login then POST /login with the page's hidden fields; asserts the 303. */
  async login(email, password, next) {
    const page = await this.get(next ? `/login?next=${encodeURIComponent(next)}` : '/login');
    assert.equal(page.status, 200, `GET /login: ${page.status} ${page.text.slice(0, 300)}`);
    const form = findForm(page.text, 'password');
    assert.ok(form.fields.csrf_token, 'login form has a csrf_token');
    const res = await this.post('/login', { ...form.fields, email, password });
    assert.equal(res.status, 303, `POST /login: ${res.status} ${res.text.slice(0, 300)}`);
    return res;
  }

  /** The hidden csrf_token of any form on `path` (for POSTs such as /logout or revoke). */
  async csrfFrom(path) {
    const page = await this.get(path);
    assert.equal(page.status, 200, `GET ${path}: ${page.status}`);
    const form = parseForms(page.text).find((f) => f.fields.csrf_token);
    assert.ok(form, `no form with csrf_token on ${path}`);
    return form.fields.csrf_token;
  }
}

/** The query string of GET /oauth/authorize. */
export function authorizeQuery({ clientId, state, redirectUri, responseType = 'code' }) {
  const q = new URLSearchParams();
  if (responseType !== null) q.set('response_type', responseType);
  if (clientId !== null) q.set('client_id', clientId);
  if (state !== undefined && state !== null) q.set('state', state);
  if (redirectUri !== undefined) q.set('redirect_uri', redirectUri);
  return q.toString();
}

/** GET the consent page; asserts 200 and returns { page, form }. */
export async function openConsent(session, params) {
  const page = await session.get(`/oauth/authorize?${authorizeQuery(params)}`);
  assert.equal(page.status, 200, `consent page: HTTP ${page.status} ${page.location ?? ''} ${page.text.slice(0, 400)}`);
  const form = findForm(page.text, 'client_id');
  return { page, form };
}

/**
 * Full consent as a logged-in session: GET the consent page, POST the decision, return the
 * redirect target as a URL (asserts the 303).
 */
export async function consent(session, { clientId, state, redirectUri, decision = 'accept' }) {
  const { form } = await openConsent(session, { clientId, state, redirectUri });
  const res = await session.post('/oauth/authorize', { ...form.fields, decision });
  assert.equal(res.status, 303, `POST /oauth/authorize: HTTP ${res.status} ${res.text.slice(0, 400)}`);
  assert.ok(res.location, 'redirect has a Location');
  return new URL(res.location);
}

/** Consent with Accept and return the authorization code (asserts the state is echoed). */
export async function getCode(session, { clientId, state = 'st-' + Math.random().toString(36).slice(2), redirectUri }) {
  const loc = await consent(session, { clientId, state, redirectUri, decision: 'accept' });
  const code = loc.searchParams.get('code');
  assert.ok(code, `no code in ${loc}`);
  assert.equal(loc.searchParams.get('state'), state);
  return { code, state, location: loc };
}

/** Creates an API app with POST /v3/api_app (JSON) as the owner of `apiKey`. */
export async function createApp(base, apiKey, { name = 'Test app ' + Math.random().toString(36).slice(2, 8),
  domains = ['example.com'], callbackUrl = 'https://example.com/oauth/callback', scopes = ['account_access'],
  eventCallbackUrl } = {}) {
  const body = { name, domains, oauth: { callback_url: callbackUrl, scopes } };
  if (eventCallbackUrl) body.callback_url = eventCallbackUrl;
  const res = await call(base, 'POST', '/v3/api_app', { apiKey, json: body });
  const json = expectJson(res, 201);
  return { clientId: json.api_app.client_id, secret: json.api_app.oauth.secret, app: json.api_app, callbackUrl, name, scopes };
}

/** POST /oauth/token (authorization_code) in JSON; asserts 200 and returns the body. */
export async function exchangeCode(base, app, { code, state }, path = '/oauth/token') {
  const res = await call(base, 'POST', path, {
    json: { grant_type: 'authorization_code', client_id: app.clientId, client_secret: app.secret, code, state },
  });
  assert.equal(res.status, 200, `token exchange: ${describe(res)}`);
  return res.json;
}

/** POST /oauth/token?refresh in JSON; returns the raw response. */
export function refresh(base, app, refreshToken, path = '/oauth/token?refresh') {
  return call(base, 'POST', path, {
    json: { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: app.clientId, client_secret: app.secret },
  });
}

/** A logged-in WebSession for an account created with server.createAccount(). */
export async function loggedIn(base, account) {
  const s = new WebSession(base);
  await s.login(account.email_address, account.password);
  return s;
}

/** Whole flow: consent as `account` and exchange the code; returns the token response. */
export async function obtainTokens(base, session, app, state = 'state-' + Math.random().toString(36).slice(2)) {
  const { code } = await getCode(session, { clientId: app.clientId, state });
  return exchangeCode(base, app, { code, state });
}

/**
 * Opens an emailed confirmation link (`<base>/account/confirm?token=…`) in `session` and submits
 * its form (with `password` when the page asks for one). Returns the POST's response (303 to
 * `/account/authorize?client_id=…` for an account an app created, else to `/home`).
 */
export async function confirmEmail(session, link, password) {
  const page = await session.get(link);
  assert.equal(page.status, 200, `GET ${link}: HTTP ${page.status} ${page.text.slice(0, 400)}`);
  const form = findForm(page.text, 'token');
  const fields = { ...form.fields };
  if (form.inputs.some((i) => i.name === 'password')) fields.password = password;
  const res = await session.post('/account/confirm', fields);
  assert.equal(res.status, 303, `POST /account/confirm: HTTP ${res.status} ${res.text.slice(0, 400)}`);
  return res;
}

/** The newest confirmation link mailed to `email` through the outbox (.eml files) of `dataDir`. */
export async function confirmationLinkFromOutbox(dataDir, email) {
  const mails = await waitForMailTo(dataDir, email);
  const text = mails.at(-1).parts.map((p) => p.text).join('\n');
  const m = /https?:\/\/[^\s"'<>]+\/account\/confirm\?token=[0-9a-f]+/.exec(text);
  assert.ok(m, `no confirmation link in the mail to ${email}:\n${text.slice(0, 600)}`);
  return m[0];
}

/**
 * GET /signup (with `next` when given) and POST its form with `email` and `password`; returns
 * the POST's response. Every well-formed sign-up answers 200 "We sent a link to …", whether
 * the address is new or taken, and logs nobody in.
 */
export async function submitSignUp(session, { email, password, next }) {
  const page = await session.get(next ? `/signup?next=${encodeURIComponent(next)}` : '/signup');
  assert.equal(page.status, 200, `GET /signup: ${page.status} ${page.text.slice(0, 300)}`);
  return session.post('/signup', { ...findForm(page.text, 'password').fields, email, password });
}

/**
 * Signs `email` up through the pages and follows the confirmation link mailed to it (read from
 * the outbox .eml files of `dataDir`), which confirms the address and leaves `session` logged
 * in. Returns the confirmation POST's response (303 to /home).
 */
export async function signUpAndConfirm(session, dataDir, { email, password }) {
  const res = await submitSignUp(session, { email, password });
  assert.equal(res.status, 200, `POST /signup: ${res.status} ${res.text.slice(0, 300)}`);
  return confirmEmail(session, await confirmationLinkFromOutbox(dataDir, email), password);
}
