// Reads a test server's own database from outside, read only: psql when the data folder records
// a PostgreSQL database (pg_database.mjs), otherwise the sqlite3 CLI on its countersign.db.

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { recordedDatabase } from './pg_database.mjs';

/**
 * Runs one SELECT against the database of the server using `dataDir`; resolves to the rows as
 * lines of text (one column per row is what the callers use), empty lines dropped.
 */
export function queryRows(dataDir, sql) {
  const url = recordedDatabase(dataDir);
  const [cmd, args] = url
    ? ['psql', ['-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql]]
    : ['sqlite3', ['-readonly', '-batch', '-noheader', join(dataDir, 'countersign.db'), sql]];
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd}: ${err.message} ${stderr}`));
      else resolve(String(stdout).split('\n').map((x) => x.trim()).filter(Boolean));
    });
  });
}
