// An event callback receiver for the tests: a real separate process (receiver_process.mjs) on
// 127.0.0.1 that records every POST it gets and answers each path as told — or goes down and
// comes back up on the same port. Records survive restarts of the process.
//
//   const rx = await startReceiver();
//   const url = rx.url('/alice');          // http://127.0.0.1:PORT/alice
//   rx.setMode('/alice', 'error');         // ok | error | noack | hang
//   const [post] = await rx.waitFor((p) => p.path === '/alice');
//   post.json.event.event_type;            // the parsed multipart field `json`
//   await rx.down(); await rx.up();        // SIGKILL, then the same port again
//   await rx.stop();

import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./receiver_process.mjs', import.meta.url));
const START_TIMEOUT_MS = 10_000;

const live = new Set();
process.on('exit', () => {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

class Receiver {
  constructor({ record }) {
    this.record = record;
    this.port = 0;
    this.modes = {};
    /** Every POST received: { at, method, path, contentType, fields, json, parseError, mode }. */
    this.posts = [];
    this.child = null;
    this.waiters = new Set();
    this.countReplies = [];
  }

  url(path) {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** The POSTs to `path`, in arrival order. */
  postsTo(path) {
    return this.posts.filter((p) => p.path === path);
  }

  setMode(path, mode) {
    this.modes[path] = mode;
    if (this.child) this.child.send({ type: 'mode', path, mode });
  }

  /**
   * Resolves with the POSTs matching `pred` once there are at least `count`; rejects after
   * `timeoutMs` with what did arrive.
   */
  waitFor(pred, { count = 1, timeoutMs = 15_000 } = {}) {
    const matching = () => this.posts.filter(pred);
    if (matching().length >= count) return Promise.resolve(matching());
    return new Promise((resolve, reject) => {
      const waiter = () => {
        const m = matching();
        if (m.length < count) return;
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve(m);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const got = matching().map((p) => `${p.path} ${p.json?.event?.event_type}`);
        reject(new Error(`receiver: ${got.length}/${count} matching POSTs after ${timeoutMs} ms: ` +
          JSON.stringify(got)));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Starts the process (on the same port as before, if any). */
  async up() {
    if (this.child) return;
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.spawn();
        return;
      } catch (err) {
        // The old socket may linger for a moment after a kill.
        if (attempt >= 20 || !/EADDRINUSE/.test(String(err))) throw err;
        await sleep(100);
      }
    }
  }

  spawn() {
    const child = fork(CHILD, [String(this.port), this.record ? 'record' : 'count',
      JSON.stringify(this.modes)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    live.add(child);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error('receiver did not start'));
      }, START_TIMEOUT_MS);
      child.on('message', (msg) => {
        if (msg.type === 'ready') {
          clearTimeout(timer);
          this.port = msg.port;
          this.child = child;
          resolve();
        } else if (msg.type === 'error') {
          clearTimeout(timer);
          reject(new Error(`receiver: ${msg.error}`));
        } else if (msg.type === 'post') {
          this.posts.push(msg);
          for (const w of [...this.waiters]) w();
        } else if (msg.type === 'count') {
          const reply = this.countReplies.shift();
          if (reply) reply(msg.count);
        }
      });
      child.on('exit', () => {
        live.delete(child);
        if (this.child === child) this.child = null;
      });
    });
  }

  /** Kills the process (SIGKILL): the port refuses connections until up(). */
  async down() {
    const child = this.child;
    if (!child) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    this.child = null;
  }

  /** How many POSTs the current process has received (works with record: false). */
  count() {
    return new Promise((resolve) => {
      this.countReplies.push(resolve);
      this.child.send({ type: 'count' });
    });
  }

  async stop() {
    await this.down();
  }
}

/** Starts a receiver process on a free loopback port. `record: false` only counts POSTs. */
export async function startReceiver({ record = true } = {}) {
  const rx = new Receiver({ record });
  await rx.up();
  return rx;
}
