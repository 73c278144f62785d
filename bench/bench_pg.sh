#!/usr/bin/env bash
# Issue 7 benchmark: Bearer GET /v3/account and the refresh grant (POST /oauth/token?refresh,
# every request rotating a live refresh token, bench/refresh.lua) on
#   sqlite : one instance, SQLite in its data folder,
#   pg1    : one instance on PostgreSQL 15,
#   pg2    : two instances on one PostgreSQL behind nginx (round-robin, upstream keep-alive),
# one configuration at a time, requests/s side by side. Everything on loopback; PostgreSQL is a
# throw-away cluster (scripts/lib/pg.sh) with fsync and synchronous_commit on: every
# acknowledged write is on disk, as on SQLite (synchronous=FULL, one WAL sync per group commit),
# so the configurations compare like for like.
#
#   bench/bench_pg.sh        # builds if needed; about 2 minutes
#
# Environment: COUNTERSIGN_BIN (default build/countersign), BENCH_DURATION (default 10s),
# BENCH_CONNECTIONS (default 32), BENCH_THREADS (wrk threads, default 2), SERVER_THREADS
# (countersign --threads per instance, default: the server's), BENCH_POOL (--database-pool,
# default 8).
set -euo pipefail
export LC_ALL=C

# shellcheck source=../scripts/lib/deps.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/deps.sh"
# shellcheck source=../scripts/lib/pg.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/pg.sh"
cd "$CS_ROOT"

duration="${BENCH_DURATION:-10s}"
connections="${BENCH_CONNECTIONS:-32}"
wrk_threads="${BENCH_THREADS:-2}"
pool="${BENCH_POOL:-8}"
threads_arg=()
[ -n "${SERVER_THREADS:-}" ] && threads_arg=(--threads "$SERVER_THREADS")

cs_apt_install "${CS_BUILD_PACKAGES[@]}" nginx wrk curl postgresql-15
cs_ensure_node
export COUNTERSIGN_BIN="${COUNTERSIGN_BIN:-$CS_BUILD_DIR/countersign}"
[ -x "$COUNTERSIGN_BIN" ] || cs_build

work="$(mktemp -d /tmp/countersign-bench-pg.XXXXXX)"
pids=()
stop_all() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  pids=()
}
cleanup() {
  stop_all
  cs_pg_stop
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_instance DATA_DIR PORT [serve args...]: starts countersign, waits until it listens.
start_instance() {
  local dir="$1" port="$2"
  shift 2
  mkdir -p "$dir"
  "$COUNTERSIGN_BIN" serve --port "$port" --data-dir "$dir" --database-pool "$pool" \
    --rate-limit-standard 1000000000 --rate-limit-high 1000000000 --rate-limit-test-mode 1000000000 \
    "${threads_arg[@]}" "$@" >"$dir/server.out" 2>"$dir/server.err" &
  local pid=$!
  pids+=("$pid")
  for _ in $(seq 200); do
    grep -q '^Countersign listening on' "$dir/server.out" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  cat "$dir/server.err" >&2
  cs_die "countersign did not start ($dir)"
}

# start_nginx PORT UPSTREAM_PORT...: round-robin proxy with its own prefix, as bench_account.sh.
start_nginx() {
  local port="$1"
  shift
  local dir="$work/nginx" servers="" p
  mkdir -p "$dir/logs" "$dir/tmp"
  for p in "$@"; do servers+="    server 127.0.0.1:$p;"$'\n'; done
  local user=""
  [ "$(id -u)" -eq 0 ] && user="user root;"
  cat >"$dir/nginx.conf" <<CONF
$user
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
daemon off;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  upstream countersign {
$servers    keepalive 64;
  }
  server {
    listen 127.0.0.1:$port;
    location / {
      proxy_pass http://countersign;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$http_host;
    }
  }
}
CONF
  nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/logs/error.log" &
  pids+=("$!")
  for _ in $(seq 100); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && return 0
    curl -sS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && return 0
    sleep 0.1
  done
  cat "$dir/logs/error.log" >&2
  cs_die "nginx did not start"
}

# run_wrk NAME URL [wrk options...] [-- script args...] -> prints wrk's output, sets rps_NAME;
# fails on any non-2xx.
run_wrk() {
  local name="$1" target="$2"
  shift 2
  local options=() script_args=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do
    options+=("$1")
    shift
  done
  [ $# -gt 0 ] && script_args=("$@")  # keeps the leading "--"
  local out
  out="$(wrk -t"$wrk_threads" -c"$connections" -d"$duration" "${options[@]}" "$target" \
    "${script_args[@]}")"
  printf '%s\n' "--- $name: wrk -t$wrk_threads -c$connections -d$duration ${options[*]} $target" \
    "$out" >&2
  if grep -q 'Non-2xx or 3xx responses' <<<"$out"; then
    cs_die "$name answered non-2xx responses; the number above is not a valid result"
  fi
  local rps
  rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
  [ -n "$rps" ] || cs_die "could not read Requests/sec for $name"
  printf -v "rps_$name" '%s' "$rps"
}

# bench CONFIG BASE_URL CLI_ARGS...: tokens through BASE_URL, then both loads.
bench() {
  local config="$1" base="$2"
  shift 2
  local creds
  creds="$(node bench/pg_tokens.mjs "$base" $((connections * 2)) -- "$@")"
  local token client secret
  token="$(node -e 'console.log(JSON.parse(process.argv[1]).access_token)' "$creds")"
  client="$(node -e 'console.log(JSON.parse(process.argv[1]).client_id)' "$creds")"
  secret="$(node -e 'console.log(JSON.parse(process.argv[1]).client_secret)' "$creds")"
  node -e 'console.log(JSON.parse(process.argv[1]).refresh_tokens.join("\n"))' "$creds" \
    >"$work/$config.tokens"
  wrk -t"$wrk_threads" -c"$connections" -d2s -H "Authorization: Bearer $token" \
    "$base/v3/account" >/dev/null  # warm-up
  run_wrk "${config}_account" "$base/v3/account" -H "Authorization: Bearer $token"
  run_wrk "${config}_refresh" "$base" -s bench/refresh.lua -- "$client" "$secret" \
    "$work/$config.tokens" "$wrk_threads"
}

CS_PG_SETTINGS="synchronous_commit=on" cs_pg_start || cs_die "PostgreSQL did not start"
pg_admin="$COUNTERSIGN_TEST_PG_URL"
pg_url() { printf '%s' "${pg_admin%/*}/$1"; }

# --- sqlite: one instance ----------------------------------------------------------------------
port="$(free_port)"
start_instance "$work/sqlite" "$port"
bench sqlite "http://127.0.0.1:$port" --data-dir "$work/sqlite"
stop_all

# --- pg1: one instance on PostgreSQL -------------------------------------------------------------
psql -q "$pg_admin" -c 'CREATE DATABASE bench_pg1'
port="$(free_port)"
start_instance "$work/pg1" "$port" --database "$(pg_url bench_pg1)"
bench pg1 "http://127.0.0.1:$port" --data-dir "$work/pg1" --database "$(pg_url bench_pg1)"
stop_all

# --- pg2: two instances on one PostgreSQL behind nginx -------------------------------------------
psql -q "$pg_admin" -c 'CREATE DATABASE bench_pg2'
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$work/secret.key"
shared=(--database "$(pg_url bench_pg2)" --files-dir "$work/files" --secret-key-file "$work/secret.key")
port_a="$(free_port)"
port_b="$(free_port)"
nginx_port="$(free_port)"
start_instance "$work/pg2a" "$port_a" "${shared[@]}" --base-url "http://127.0.0.1:$nginx_port"
start_instance "$work/pg2b" "$port_b" "${shared[@]}" --base-url "http://127.0.0.1:$nginx_port"
start_nginx "$nginx_port" "$port_a" "$port_b"
bench pg2 "http://127.0.0.1:$nginx_port" --data-dir "$work/pg2a" "${shared[@]}"
stop_all

echo
echo "=== requests/s, wrk -t$wrk_threads -c$connections -d$duration, $(nproc) cores, loopback;"
echo "    countersign --threads ${SERVER_THREADS:-default (SQLite 2 per core, a loop each; PostgreSQL at least 32)} --database-pool $pool per instance"
printf '%-34s %12s %12s %12s\n' "" "sqlite (1)" "pg (1)" "pg (2+nginx)"
printf '%-34s %12s %12s %12s\n' "Bearer GET /v3/account" "$rps_sqlite_account" "$rps_pg1_account" \
  "$rps_pg2_account"
printf '%-34s %12s %12s %12s\n' "POST /oauth/token?refresh" "$rps_sqlite_refresh" "$rps_pg1_refresh" \
  "$rps_pg2_refresh"
