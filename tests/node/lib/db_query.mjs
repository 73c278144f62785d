// Reads or changes a test server's own database from outside, as another process would: psql
// when the data folder records a PostgreSQL database (pg_database.mjs), otherwise the sqlite3
// CLI on its countersign.db.

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { recordedDatabase } from './pg_database.mjs';

// Runs `sql` through the database's shell; resolves to the output's non-empty lines.
function runSql(dataDir, sql, { readonly }) {
  const url = recordedDatabase(dataDir);
  const [cmd, args] = url
    ? ['psql', ['-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql]]
    : ['sqlite3', [...(readonly ? ['-readonly'] : []), '-batch', '-noheader', '-bail',
      '-cmd', '.timeout 5000', join(dataDir, 'countersign.db'), sql]];
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd}: ${err.message} ${stderr}`));
      else resolve(String(stdout).split('\n').map((x) => x.trim()).filter(Boolean));
    });
  });
}

/**
 * Runs one SELECT against the database of the server using `dataDir`, read only; resolves to
 * the rows as lines of text (one column per row is what the callers use), empty lines dropped.
 */
export function queryRows(dataDir, sql) {
  return runSql(dataDir, sql, { readonly: true });
}

/**
 * Commits `sql` (one statement, e.g. an UPDATE) to the database of the server using `dataDir`
 * from another process, while the server runs; waits up to 5 s for SQLite's write lock.
 */
export function commitFromOutside(dataDir, sql) {
  return runSql(dataDir, sql, { readonly: false });
}
