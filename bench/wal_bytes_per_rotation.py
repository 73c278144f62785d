#!/usr/bin/env python3
"""WAL bytes one refresh rotation writes on SQLite, for two layouts of oauth_tokens (issue 16).

An offline model with Python's sqlite3 on the token and grant tables as the migrations make
them: TOKENS tokens over 128 grants, then 100 commits of 13 rotations each (the spend's UPDATE
and the new pair's INSERT, as SqlOAuthStore::Rotate runs them), WAL in synchronous = FULL with
no checkpoint during the run. Prints the WAL bytes per rotation and frames per commit for:
  random   keys = plain SHA-256 hex (tokens before 0c74f3c), index on grant_id for every token
  ordered  keys = 16 issue-order digits + SHA-256 (service/oauth_token_keys.h), same index
  partial  ordered keys, index on grant_id only WHERE pending = 1 (migration 0019)

  python3 bench/wal_bytes_per_rotation.py [TOKENS]     (default 200000)
"""
import hashlib
import os
import random
import secrets
import sqlite3
import sys
import tempfile

GRANTS, COMMITS, PER_COMMIT = 128, 100, 13


def run(layout, tokens, folder):
    path = os.path.join(folder, layout + ".db")
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = wal")
    db.execute("PRAGMA synchronous = full")
    db.execute("PRAGMA wal_autocheckpoint = 0")
    index_where = "pending = 1" if layout == "partial" else "1"
    db.executescript(f"""
      CREATE TABLE oauth_grants (id TEXT PRIMARY KEY, account_id TEXT NOT NULL,
        client_id TEXT NOT NULL, scopes TEXT NOT NULL, created_at BIGINT NOT NULL,
        revoked_at BIGINT NOT NULL DEFAULT 0, pending INTEGER NOT NULL DEFAULT 0,
        redirect_uri TEXT NOT NULL DEFAULT '');
      CREATE TABLE oauth_tokens (token_hash TEXT PRIMARY KEY,
        grant_id TEXT NOT NULL REFERENCES oauth_grants (id), kind INTEGER NOT NULL,
        expires_at BIGINT NOT NULL, spent_at BIGINT NOT NULL DEFAULT 0,
        pending INTEGER NOT NULL DEFAULT 0);
      CREATE INDEX oauth_tokens_grant ON oauth_tokens (grant_id) WHERE {index_where};
    """)
    order = [1700000000 << 20]

    def key():
        digest = hashlib.sha256(secrets.token_bytes(40)).hexdigest()
        if layout == "random":
            return digest
        order[0] += 1
        return "%016x" % order[0] + digest

    grants = [secrets.token_hex(16) for _ in range(GRANTS)]
    live = {}
    db.execute("BEGIN")
    for g in grants:
        db.execute("INSERT INTO oauth_grants (id, account_id, client_id, scopes, created_at) "
                   "VALUES (?, ?, 'client', '[]', 1)", (g, "account-" + g))
    for i in range(tokens // 2):
        g = grants[i % GRANTS]
        live[g] = key()
        db.execute("INSERT INTO oauth_tokens VALUES (?, ?, 1, 5, 0, 0), (?, ?, 2, 0, 0, 0)",
                   (key(), g, live[g], g))
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for _ in range(COMMITS):
        db.execute("BEGIN")
        for g in random.sample(grants, PER_COMMIT):
            spent = db.execute(
                "UPDATE oauth_tokens SET spent_at = 7 WHERE token_hash = ? AND kind = 2 AND "
                "spent_at = 0 AND EXISTS (SELECT 1 FROM oauth_grants g WHERE "
                "g.id = oauth_tokens.grant_id AND g.revoked_at = 0) RETURNING grant_id",
                (live[g],)).fetchall()
            assert spent, "the rotation found its token"
            live[g] = key()
            db.execute("INSERT INTO oauth_tokens (token_hash, grant_id, kind, expires_at, "
                       "spent_at, pending) SELECT ?, ?, 1, 5, 0, 0 UNION ALL "
                       "SELECT ?, ?, 2, 0, 0, 0", (key(), g, live[g], g))
        db.execute("COMMIT")
    wal = os.path.getsize(path + "-wal")
    db.close()
    rotations = COMMITS * PER_COMMIT
    print("%-8s %7d tokens: %5.1f KB of WAL per rotation, %5.1f frames per commit"
          % (layout, tokens, wal / rotations / 1024, (wal - 32) / (4096 + 24) / COMMITS))


def main():
    tokens = int(sys.argv[1]) if len(sys.argv) > 1 else 200000
    with tempfile.TemporaryDirectory(prefix="countersign-walmodel.") as folder:
        for layout in ("random", "ordered", "partial"):
            run(layout, tokens, folder)


if __name__ == "__main__":
    main()
