#!/usr/bin/env bash
# How long one range of the OAuth housekeeping (OAuthStore::DeleteStale) holds SQLite's writer:
# a fresh Countersign data folder (the real schema, from the server's migrations), 10,000 grants
# (every tenth revoked) and 1,000,000 tokens with random hashes (every access token expired,
# every fourth refresh token spent), then the sweep's two statements for one range of 1,000
# keys, timed by the sqlite3 shell (`.timer on`). Loopback only; removes its folder.
#
#   bench/sweep_chunk_time.sh [BIN]      (BIN defaults to build/countersign)
set -euo pipefail
bin="${1:-$(dirname "$0")/../build/countersign}"
d=$(mktemp -d /tmp/countersign-sweep.XXXXXX); trap 'rm -rf "$d"' EXIT; mkdir -p $d/data
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
$bin serve --port $port --bind 127.0.0.1 --data-dir $d/data > $d/out 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q '^Countersign listening on' $d/out 2>/dev/null && break; sleep 0.1; done
kill $pid; wait $pid 2>/dev/null || true
db=$(ls $d/data/*.db | head -1)
sqlite3 $db <<'SQL'
PRAGMA journal_mode=WAL;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
INSERT INTO oauth_grants (id, account_id, client_id, scopes, created_at, revoked_at)
SELECT printf('%032x', i), 'acct', 'client', '[]', 1, CASE WHEN i % 10 = 0 THEN 5 ELSE 0 END FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)
INSERT INTO oauth_tokens (token_hash, grant_id, kind, expires_at, spent_at)
SELECT lower(hex(randomblob(32))), printf('%032x', 1 + i % 10000), 1 + i % 2,
       CASE WHEN i % 2 = 1 THEN 0 ELSE 100 + i % 1000 END,
       CASE WHEN i % 4 = 1 THEN 50 ELSE 0 END FROM n;
COMMIT;
SQL
ls -la $db
sqlite3 $db <<'SQL'
.timer on
SELECT count(*) FROM oauth_tokens;
CREATE TEMP TABLE k AS SELECT t.token_hash AS h FROM oauth_tokens t WHERE t.token_hash > '8' ORDER BY t.token_hash LIMIT 1000;
SELECT max(h) FROM k;
BEGIN;
DELETE FROM oauth_tokens AS t WHERE t.token_hash > '8' AND t.token_hash <= (SELECT max(h) FROM k) AND ((t.kind = 1 AND t.expires_at <> 0 AND t.expires_at < 10000 AND EXISTS (SELECT 1 FROM oauth_grants g WHERE g.id = t.grant_id AND g.pending = 0)) OR (t.kind = 2 AND t.spent_at <> 0 AND t.spent_at < 100) OR EXISTS (SELECT 1 FROM oauth_grants g WHERE g.id = t.grant_id AND g.revoked_at <> 0 AND g.revoked_at < 100));
SELECT changes();
COMMIT;
SQL
