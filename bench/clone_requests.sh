#!/usr/bin/env bash
# Clones one real signature request COPIES times straight into a stopped server's SQLite
# database, for bench/bench_list.sh (creating a million requests over HTTP is far too slow).
#
#   bench/clone_requests.sh DB REQUEST_ID COPIES [FIRST_N]
#
# What is copied is discovered from the schema, not hard-coded: the signature_requests row and
# every row of every table that references it (a foreign key to signature_requests, or a
# `request_id` column). In each copy the request id is new (same length, random hex), every
# other primary-key column that does not include the request id is new random hex of the same
# length (e.g. signatures.signature_id), and every `created_at` is moved FIRST_N+k seconds into
# the past (k = 1..COPIES), the same in every table. The per-account counters in
# request_counts are raised by COPIES for each (account, '*') and (account, creating app) the
# original request is listed under. Fails if another table hangs off a copied child table
# (the schema grew; update this script). One transaction; prints what it did.
set -euo pipefail
export LC_ALL=C

db="$1"
req="$2"
copies="$3"
first_n="${4:-0}"
[[ "$copies" =~ ^[0-9]+$ ]] || { echo "COPIES must be a number" >&2; exit 2; }
[[ "$req" =~ ^[A-Za-z0-9_-]+$ ]] || { echo "bad request id" >&2; exit 2; }

q() { sqlite3 -batch -noheader "$db" "$@"; }

# Tables referencing signature_requests: by foreign key, or by a request_id column.
mapfile -t children < <(q "
  SELECT m.name || '|' || f.\"from\" FROM sqlite_master m, pragma_foreign_key_list(m.name) f
   WHERE m.type = 'table' AND f.\"table\" = 'signature_requests'
  UNION
  SELECT m.name || '|request_id' FROM sqlite_master m, pragma_table_info(m.name) p
   WHERE m.type = 'table' AND p.name = 'request_id' AND m.name <> 'signature_requests';")

# Builds the SELECT list for copying TABLE, whose request reference is column REF.
select_list() {
  local table="$1" ref="$2"
  local pk_has_ref
  pk_has_ref="$(q "SELECT count(*) FROM pragma_table_info('$table') WHERE pk > 0 AND name = '$ref';")"
  local cols=() name type pk expr
  while IFS='|' read -r name type pk; do
    if [ "$name" = "$ref" ]; then
      expr="m.new_id"
    elif [ "$name" = "created_at" ]; then
      expr="t.created_at - m.n"
    elif [ "$pk" -gt 0 ] && [ "$pk_has_ref" = "0" ]; then
      # A key of its own (e.g. signature_id): fresh random hex of the same length.
      expr="lower(hex(randomblob(length(t.\"$name\") / 2)))"
    else
      expr="t.\"$name\""
    fi
    cols+=("$expr")
  done < <(q "SELECT name, type, pk FROM pragma_table_info('$table') ORDER BY cid;")
  local IFS=,
  echo "${cols[*]}"
}

col_list() {
  q "SELECT group_concat('\"' || name || '\"', ',') FROM (SELECT name FROM pragma_table_info('$1') ORDER BY cid);"
}

[ "$(q "SELECT count(*) FROM signature_requests WHERE id = '$req';")" = "1" ] || {
  echo "request $req not found in $db" >&2
  exit 1
}

sql="PRAGMA synchronous = OFF; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -262144;
BEGIN IMMEDIATE;
CREATE TEMP TABLE clone_map (n INTEGER PRIMARY KEY, new_id TEXT NOT NULL);
WITH RECURSIVE seq(n) AS (SELECT $first_n + 1 UNION ALL SELECT n + 1 FROM seq WHERE n < $first_n + $copies)
INSERT INTO clone_map SELECT n, lower(hex(randomblob(length('$req') / 2))) FROM seq;
INSERT INTO signature_requests ($(col_list signature_requests))
  SELECT $(select_list signature_requests id) FROM clone_map m, signature_requests t WHERE t.id = '$req';
"
copied_tables=(signature_requests)
echo "clone: signature_requests: 1 row per copy"
for entry in "${children[@]}"; do
  [ -n "$entry" ] || continue
  table="${entry%%|*}"
  ref="${entry#*|}"
  rows="$(q "SELECT count(*) FROM \"$table\" WHERE \"$ref\" = '$req';")"
  echo "clone: $table (by $ref): $rows row(s) per copy"
  copied_tables+=("$table")
  [ "$rows" = "0" ] && continue
  sql+="INSERT INTO \"$table\" ($(col_list "$table"))
  SELECT $(select_list "$table" "$ref") FROM clone_map m, \"$table\" t WHERE t.\"$ref\" = '$req';
"
done

# Nothing may hang off a copied child table (its keys were re-randomised).
for table in "${copied_tables[@]:1}"; do
  deps="$(q "SELECT group_concat(m.name) FROM sqlite_master m, pragma_foreign_key_list(m.name) f
             WHERE m.type = 'table' AND f.\"table\" = '$table';")"
  if [ -n "$deps" ]; then
    echo "clone: tables reference $table ($deps); this script does not know how to copy them" >&2
    exit 1
  fi
done

# Per-account counters.
if [ "$(q "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'request_counts';")" = "1" ]; then
  listing_table="request_listing"
  [ "$(q "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '$listing_table';")" = "1" ] || {
    echo "clone: request_counts without request_listing; update this script" >&2
    exit 1
  }
  echo "clone: request_counts before:"
  q "SELECT '  ' || account_id || ' ' || quote(client_id) || ' n=' || n FROM request_counts;"
  sql+="UPDATE request_counts SET n = n + $copies
   WHERE EXISTS (SELECT 1 FROM request_listing l
                  WHERE l.request_id = '$req' AND l.account_id = request_counts.account_id
                    AND (request_counts.client_id = '*' OR request_counts.client_id = l.created_by_client_id));
"
fi
sql+="COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);"

start=$(date +%s)
q <<<"$sql" >/dev/null
echo "clone: $copies copies in $(( $(date +%s) - start )) s; signature_requests now $(q 'SELECT count(*) FROM signature_requests;') rows"
if [ "$(q "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'request_counts';")" = "1" ]; then
  echo "clone: request_counts after:"
  q "SELECT '  ' || account_id || ' ' || quote(client_id) || ' n=' || n FROM request_counts;"
fi
