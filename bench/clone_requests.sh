#!/usr/bin/env bash
# Clones one real signature request COPIES times straight into a stopped server's SQLite
# database, for bench/bench_list.sh (creating a million requests over HTTP is far too slow).
#
#   bench/clone_requests.sh DB REQUEST_ID COPIES [FIRST_N]
#
# What is copied is discovered from the schema, not hard-coded: the signature_requests row and
# every row of every table that references it (a foreign key to signature_requests, or a
# `request_id` / `signature_request_id` column), and one level further every row of a table
# with a foreign key to one of those (e.g. event_deliveries -> events). In each copy the
# request id is new (same length, random hex); every other primary-key column that does not
# include the request id is new random hex of the same length (e.g. signatures.signature_id),
# and rows that point at such a key follow it; every `created_at` is moved FIRST_N+k seconds
# into the past (k = 1..COPIES), the same in every table. The per-account counters in
# request_counts are raised by COPIES for each (account, '*') and (account, creating app) the
# original request is listed under. Fails on deeper chains (the schema grew; update this
# script). One transaction; prints what it did.
set -euo pipefail
export LC_ALL=C

db="$1"
req="$2"
copies="$3"
first_n="${4:-0}"
[[ "$copies" =~ ^[0-9]+$ ]] || { echo "COPIES must be a number" >&2; exit 2; }
[[ "$first_n" =~ ^[0-9]+$ ]] || { echo "FIRST_N must be a number" >&2; exit 2; }
[[ "$req" =~ ^[A-Za-z0-9_-]+$ ]] || { echo "bad request id" >&2; exit 2; }

q() { sqlite3 -batch -noheader "$db" "$@"; }
table_exists() { [ "$(q "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '$1';")" = "1" ]; }

[ "$(q "SELECT count(*) FROM signature_requests WHERE id = '$req';")" = "1" ] || {
  echo "request $req not found in $db" >&2
  exit 1
}

col_list() {
  q "SELECT group_concat('\"' || name || '\"', ',') FROM (SELECT name FROM pragma_table_info('$1') ORDER BY cid);"
}

# The single primary-key column of TABLE, or nothing (composite or no key).
single_pk() {
  q "SELECT CASE WHEN count(*) = 1 THEN max(name) END FROM pragma_table_info('$1') WHERE pk > 0;"
}

# "table|fk_column|referenced_column" for every foreign key to TABLE.
dependents_of() {
  q "SELECT m.name || '|' || f.\"from\" || '|' || coalesce(f.\"to\", '') FROM sqlite_master m, pragma_foreign_key_list(m.name) f
      WHERE m.type = 'table' AND f.\"table\" = '$1';"
}

# SELECT list copying TABLE (alias t) for copy m: column REF takes REF_EXPR; a key column of
# its own (not composite with REF) takes KEY_EXPR when given, else fresh random hex.
select_list() {
  local table="$1" ref="$2" ref_expr="$3" key_expr="${4:-}"
  local pk_has_ref
  pk_has_ref="$(q "SELECT count(*) FROM pragma_table_info('$table') WHERE pk > 0 AND name = '$ref';")"
  local cols=() name pk expr
  while IFS='|' read -r name pk; do
    if [ "$name" = "$ref" ]; then
      expr="$ref_expr"
    elif [ "$name" = "created_at" ]; then
      expr="t.created_at - m.n"
    elif [ "$pk" -gt 0 ] && [ "$pk_has_ref" = "0" ]; then
      if [ -n "$key_expr" ]; then expr="$key_expr"; else expr="lower(hex(randomblob(length(t.\"$name\") / 2)))"; fi
    else
      expr="t.\"$name\""
    fi
    cols+=("$expr")
  done < <(q "SELECT name, pk FROM pragma_table_info('$table') ORDER BY cid;")
  local IFS=,
  echo "${cols[*]}"
}

# Tables referencing signature_requests: by foreign key, or by a request id column.
mapfile -t children < <(q "
  SELECT m.name || '|' || f.\"from\" FROM sqlite_master m, pragma_foreign_key_list(m.name) f
   WHERE m.type = 'table' AND f.\"table\" = 'signature_requests'
  UNION
  SELECT m.name || '|' || p.name FROM sqlite_master m, pragma_table_info(m.name) p
   WHERE m.type = 'table' AND p.name IN ('request_id', 'signature_request_id')
     AND m.name <> 'signature_requests';")

sql="PRAGMA synchronous = OFF; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -262144;
BEGIN IMMEDIATE;
CREATE TEMP TABLE clone_map (n INTEGER PRIMARY KEY, new_id TEXT NOT NULL);
WITH RECURSIVE seq(n) AS (SELECT $first_n + 1 UNION ALL SELECT n + 1 FROM seq WHERE n < $first_n + $copies)
INSERT INTO clone_map SELECT n, lower(hex(randomblob(length('$req') / 2))) FROM seq;
INSERT INTO signature_requests ($(col_list signature_requests))
  SELECT $(select_list signature_requests id m.new_id) FROM clone_map m, signature_requests t WHERE t.id = '$req';
"
echo "clone: signature_requests: 1 row per copy"
declare -A seen=()
for entry in "${children[@]}"; do
  [ -n "$entry" ] || continue
  table="${entry%%|*}"
  ref="${entry#*|}"
  [ -z "${seen[$table]:-}" ] || { echo "clone: $table references the request twice; update this script" >&2; exit 1; }
  seen[$table]=1
  rows="$(q "SELECT count(*) FROM \"$table\" WHERE \"$ref\" = '$req';")"
  echo "clone: $table (by $ref): $rows row(s) per copy"
  [ "$rows" = "0" ] && continue

  pk="$(single_pk "$table")"
  mapfile -t deps < <(dependents_of "$table")
  dep_rows=0
  for d in "${deps[@]}"; do
    [ -n "$d" ] || continue
    IFS='|' read -r dtable dcol dto <<<"$d"
    [ -n "$dto" ] || dto="$pk"
    n="$(q "SELECT count(*) FROM \"$dtable\" WHERE \"$dcol\" IN (SELECT \"$dto\" FROM \"$table\" WHERE \"$ref\" = '$req');")"
    dep_rows=$((dep_rows + n))
  done
  if [ "$dep_rows" = "0" ]; then
    sql+="INSERT INTO \"$table\" ($(col_list "$table"))
  SELECT $(select_list "$table" "$ref" m.new_id) FROM clone_map m, \"$table\" t WHERE t.\"$ref\" = '$req';
"
    continue
  fi
  # Rows hang off this table: give its rows new keys through a map the dependents follow.
  [ -n "$pk" ] && [ "$pk" != "$ref" ] || { echo "clone: $table has dependents but no key of its own; update this script" >&2; exit 1; }
  map="clone_map_$table"
  sql+="CREATE TEMP TABLE \"$map\" AS SELECT m.n AS n, t.\"$pk\" AS old_key,
    lower(hex(randomblob(length(t.\"$pk\") / 2))) AS new_key FROM clone_map m, \"$table\" t WHERE t.\"$ref\" = '$req';
CREATE INDEX \"${map}_idx\" ON \"$map\" (old_key, n);
INSERT INTO \"$table\" ($(col_list "$table"))
  SELECT $(select_list "$table" "$ref" m.new_id k.new_key) FROM clone_map m, \"$table\" t, \"$map\" k
   WHERE t.\"$ref\" = '$req' AND k.n = m.n AND k.old_key = t.\"$pk\";
"
  for d in "${deps[@]}"; do
    [ -n "$d" ] || continue
    IFS='|' read -r dtable dcol dto <<<"$d"
    [ -n "$dto" ] || dto="$pk"
    [ "$dto" = "$pk" ] || { echo "clone: $dtable references $table.$dto, not its key; update this script" >&2; exit 1; }
    n="$(q "SELECT count(*) FROM \"$dtable\" WHERE \"$dcol\" IN (SELECT \"$pk\" FROM \"$table\" WHERE \"$ref\" = '$req');")"
    echo "clone:   $dtable (by $dcol -> $table.$pk): $n row(s) per copy"
    [ "$n" = "0" ] && continue
    deeper="$(q "SELECT count(*) FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table' AND f.\"table\" = '$dtable';")"
    [ "$deeper" = "0" ] || { echo "clone: tables reference $dtable; update this script" >&2; exit 1; }
    sql+="INSERT INTO \"$dtable\" ($(col_list "$dtable"))
  SELECT $(select_list "$dtable" "$dcol" k.new_key) FROM clone_map m, \"$map\" k, \"$dtable\" t
   WHERE k.n = m.n AND t.\"$dcol\" = k.old_key;
"
  done
done

# Per-account counters.
if table_exists request_counts; then
  table_exists request_listing || { echo "clone: request_counts without request_listing; update this script" >&2; exit 1; }
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
echo "clone: $copies copies in $(($(date +%s) - start)) s; signature_requests now $(q 'SELECT count(*) FROM signature_requests;') rows"
if table_exists request_counts; then
  echo "clone: request_counts after:"
  q "SELECT '  ' || account_id || ' ' || quote(client_id) || ' n=' || n FROM request_counts;"
fi
