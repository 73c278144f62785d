// Opt-in PostgreSQL backend for the Node suites (issue 7). With COUNTERSIGN_TEST_DATABASE=postgres
// and COUNTERSIGN_TEST_PG_URL naming the server scripts/test.sh started (scripts/lib/pg.sh),
// every test server gets its own fresh database (CREATE DATABASE through psql), remembered in its
// data folder so a restart on the same folder finds it again, and dropped when it stops.
// Without the variable nothing changes: the servers use SQLite in their data folder.

import { execFile, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

const MARKER = 'test-database-url'; // in the data folder

/** True when the suites run against PostgreSQL. */
export function usePostgres() {
  const wanted = (process.env.COUNTERSIGN_TEST_DATABASE || '').toLowerCase();
  if (wanted !== 'postgres') return false;
  if (!process.env.COUNTERSIGN_TEST_PG_URL) {
    throw new Error('COUNTERSIGN_TEST_DATABASE=postgres needs COUNTERSIGN_TEST_PG_URL (scripts/test.sh starts one)');
  }
  return true;
}

/** `url` with its database name replaced by `name`. */
export function withDatabase(url, name) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

function psql(sql) {
  const admin = withDatabase(process.env.COUNTERSIGN_TEST_PG_URL, 'postgres');
  return new Promise((resolve, reject) => {
    execFile('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', admin, '-c', sql], { timeout: 30_000 },
      (err, stdout, stderr) => (err ? reject(new Error(`psql ${sql}: ${err.message} ${stderr}`)) : resolve()));
  });
}

/**
 * The database URL for the server using `dataDir`: a fresh database on first use, the same one
 * when the folder is reused.
 */
export async function databaseFor(dataDir) {
  const marker = join(dataDir, MARKER);
  if (existsSync(marker)) return readFileSync(marker, 'utf8').trim();
  const name = `cs_node_${process.pid}_${randomBytes(4).toString('hex')}`;
  await psql(`CREATE DATABASE ${name}`);
  const url = withDatabase(process.env.COUNTERSIGN_TEST_PG_URL, name);
  writeFileSync(marker, `${url}\n`);
  return url;
}

/** The database URL recorded in `dataDir`, or null. */
export function recordedDatabase(dataDir) {
  try {
    return readFileSync(join(dataDir, MARKER), 'utf8').trim();
  } catch {
    return null;
  }
}

/** Drops the database recorded in `dataDir` (after its server stopped). */
export async function dropDatabaseFor(dataDir) {
  const url = recordedDatabase(dataDir);
  if (!url) return;
  const name = new URL(url).pathname.slice(1);
  await psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

/** Synchronous best effort, for process exit. */
export function dropDatabaseForSync(dataDir) {
  const url = recordedDatabase(dataDir);
  if (!url) return;
  const name = new URL(url).pathname.slice(1);
  try {
    execFileSync('psql', ['-X', '-q', '-d', withDatabase(process.env.COUNTERSIGN_TEST_PG_URL, 'postgres'),
      '-c', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`], { timeout: 10_000, stdio: 'ignore' });
  } catch {
    // the server is going away with the run anyway
  }
}

/**
 * CLI arguments with `--database URL` added when they name (`--data-dir DIR`) the data folder
 * of a PostgreSQL-backed test server and have no --database yet.
 */
export function withDatabaseArgs(args) {
  if (args.includes('--database')) return args;
  const i = args.indexOf('--data-dir');
  if (i < 0 || i + 1 >= args.length) return args;
  const url = recordedDatabase(args[i + 1]);
  return url ? [...args, '--database', url] : args;
}
