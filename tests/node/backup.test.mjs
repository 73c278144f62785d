// Backup and restore (issue 17; docs/backup.md), SQLite: `countersign backup --to FILE` runs
// while the server serves (and keeps being written to), `countersign restore --from FILE`
// unpacks it into a fresh data folder, and a server started there serves the same accounts,
// apps, API keys, OAuth tokens and documents. Restore refuses a non-empty folder without
// --force. On PostgreSQL the commands refuse and point at pg_dump (checked here too).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, runCli } from './lib/server.mjs';
import { usePostgres } from './lib/pg_database.mjs';
import { call, expectJson } from './lib/http.mjs';
import { createApp, loggedIn, obtainTokens } from './lib/web.mjs';
import { quickSend, downloadFiles } from './lib/sr.mjs';

let server;
let scratch;

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'countersign-backup-'));
});

after(async () => {
  if (server) await server.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

test('a backup taken while serving restores into a fresh folder that serves the same data', { skip: usePostgres() && 'SQLite only (PostgreSQL: pg_dump, docs/backup.md)', timeout: 120_000 }, async () => {
  server = await startServer();
  const base = server.url;
  const owner = await server.createAccount();
  const user = await server.createAccount();
  const app = await createApp(base, owner.api_key, { scopes: ['account_access', 'signature_request_access'] });
  await server.approveApp(app.clientId);
  const tokens = await obtainTokens(base, await loggedIn(base, user), app);
  const sr = await quickSend(base, { apiKey: owner.api_key }, { title: 'Backed up', pages: 2 });
  const original = await downloadFiles(base, { apiKey: owner.api_key }, sr.signature_request_id);
  assert.equal(original.status, 200);

  // Keep writing while the backup runs.
  let writing = true;
  const writer = (async () => {
    let n = 0;
    while (writing && n < 50) {
      await quickSend(base, { apiKey: owner.api_key }, { title: `during backup ${n++}` });
    }
    return n;
  })();
  const file = join(scratch, 'countersign.backup');
  const backup = await runCli(['backup', '--data-dir', server.dataDir, '--to', file]);
  writing = false;
  await writer;
  assert.equal(backup.code, 0, backup.stderr);
  assert.match(backup.stdout, /backed up to/);
  assert.ok((await stat(file)).size > 0);
  const again = await runCli(['backup', '--data-dir', server.dataDir, '--to', file]);
  assert.equal(again.code, 1, 'an existing backup file is never overwritten');

  // Restore refuses a non-empty folder unless --force.
  const busy = join(scratch, 'busy');
  await runCli(['restore', '--from', file, '--data-dir', busy]);  // now not empty
  const refused = await runCli(['restore', '--from', file, '--data-dir', busy]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /not empty.*--force/);
  const forced = await runCli(['restore', '--from', file, '--data-dir', busy, '--force']);
  assert.equal(forced.code, 0, forced.stderr);

  const restoredDir = join(scratch, 'restored');
  const restore = await runCli(['restore', '--from', file, '--data-dir', restoredDir]);
  assert.equal(restore.code, 0, restore.stderr);
  await server.stop();
  server = await startServer({ dataDir: restoredDir });
  const b = server.url;

  const account = expectJson(await call(b, 'GET', '/v3/account', { apiKey: owner.api_key }), 200).account;
  assert.equal(account.account_id, owner.account_id, 'the API key still works');
  assert.equal(account.email_address, owner.email_address);
  const restoredApp = expectJson(await call(b, 'GET', `/v3/api_app/${app.clientId}`, { apiKey: owner.api_key }), 200).api_app;
  assert.equal(restoredApp.client_id, app.clientId);
  const asUser = expectJson(await call(b, 'GET', '/v3/account', { token: tokens.access_token }), 200).account;
  assert.equal(asUser.account_id, user.account_id, 'the OAuth access token still works');
  const got = expectJson(await call(b, 'GET', `/v3/signature_request/${sr.signature_request_id}`, { apiKey: owner.api_key }), 200).signature_request;
  assert.equal(got.title, 'Backed up');
  const restored = await downloadFiles(b, { apiKey: owner.api_key }, sr.signature_request_id);
  assert.equal(restored.status, 200);
  assert.ok(restored.body.equals(original.body), 'the same document bytes');
  // The password still logs in.
  await loggedIn(b, owner);
});

test('backup and restore refuse a PostgreSQL database and a file that is not a backup', async () => {
  const pg = await runCli(['backup', '--database', 'postgres://nobody@127.0.0.1:1/none', '--to', join(scratch, 'pg.backup')]);
  assert.equal(pg.code, 1);
  assert.match(pg.stderr, /pg_dump/);
  const junk = join(scratch, 'junk.backup');
  await writeFile(junk, 'not a backup');
  const bad = await runCli(['restore', '--from', junk, '--data-dir', join(scratch, 'junk-restore')]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /not a Countersign backup|not a database|file is not/i);
});
