#!/usr/bin/env bash
# Throughput of GET /v3/account with a Bearer token, next to nginx serving a static JSON body
# of the same size on the same machine. Loopback only, bounded in time (about 30 s of load).
#
#   bench/bench_account.sh            # builds if needed, runs, prints both req/s and the ratio
#
# Environment: COUNTERSIGN_BIN (default build/countersign), BENCH_DURATION (default 10s),
# BENCH_CONNECTIONS (default 50), BENCH_THREADS (wrk threads, default 2),
# SERVER_THREADS (countersign --threads, default 2), NGINX_WORKERS (default 2),
# BENCH_RATE_LIMIT (--rate-limit-standard, default 1e9 a minute: every call still goes through
# the rate limiter, which leases 1000 calls at a time from the database).
set -euo pipefail
export LC_ALL=C

# shellcheck source=../scripts/lib/deps.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/deps.sh"
cd "$CS_ROOT"

duration="${BENCH_DURATION:-10s}"
connections="${BENCH_CONNECTIONS:-50}"
wrk_threads="${BENCH_THREADS:-2}"
server_threads="${SERVER_THREADS:-}"  # empty: the server default (two per core)
nginx_workers="${NGINX_WORKERS:-2}"

cs_apt_install "${CS_BUILD_PACKAGES[@]}" nginx wrk curl
cs_ensure_node
export COUNTERSIGN_BIN="${COUNTERSIGN_BIN:-$CS_BUILD_DIR/countersign}"
if [ ! -x "$COUNTERSIGN_BIN" ]; then
  cs_build
fi

work="$(mktemp -d /tmp/countersign-bench.XXXXXX)"
server_pid=""
nginx_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null || true
  [ -n "$nginx_pid" ] && kill -QUIT "$nginx_pid" 2>/dev/null || true
  for pid in $server_pid $nginx_pid; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- Countersign (SQLite in a temp data dir) ---------------------------------------------------
mkdir -p "$work/data"
threads_arg=()
[ -n "$server_threads" ] && threads_arg=(--threads "$server_threads")
"$COUNTERSIGN_BIN" serve --port 0 --data-dir "$work/data" "${threads_arg[@]}" \
  --rate-limit-standard "${BENCH_RATE_LIMIT:-1000000000}" \
  >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
url=""
for _ in $(seq 200); do
  line="$(head -n1 "$work/server.out" 2>/dev/null || true)"
  if [[ "$line" =~ ^Countersign\ listening\ on\ (http://[^[:space:]]+) ]]; then
    url="${BASH_REMATCH[1]}"
    break
  fi
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$url" ] || { cat "$work/server.err" >&2; cs_die "countersign did not start"; }
url="${url%/}"
cs_log "countersign at $url (--threads ${server_threads:-default})"

creds="$(node bench/get_token.mjs "$url" "$work/data")"
token="$(node -e 'console.log(JSON.parse(process.argv[1]).access_token)' "$creds")"
[ -n "$token" ] || cs_die "no access token"

# The exact body GET /v3/account returns, for nginx to serve as a static file.
mkdir -p "$work/nginx/html/v3"
status="$(curl -sS -o "$work/nginx/html/v3/account" -w '%{http_code}' -H "Authorization: Bearer $token" "$url/v3/account")"
[ "$status" = "200" ] || cs_die "GET /v3/account answered $status: $(cat "$work/nginx/html/v3/account")"
body_bytes="$(wc -c <"$work/nginx/html/v3/account")"

# --- nginx (own prefix and config, loopback, free port) ----------------------------------------
nginx_port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
mkdir -p "$work/nginx/logs" "$work/nginx/tmp"
# As root, nginx workers run as an unprivileged user who must be able to read the body.
chmod a+rx "$work"
chmod -R a+rX "$work/nginx"
nginx_user=""
if [ "$(id -u)" -eq 0 ] && id www-data >/dev/null 2>&1; then nginx_user="user www-data;"; fi
cat >"$work/nginx/nginx.conf" <<CONF
$nginx_user
worker_processes $nginx_workers;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
daemon off;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx/tmp/body;
  proxy_temp_path $work/nginx/tmp/proxy;
  fastcgi_temp_path $work/nginx/tmp/fastcgi;
  uwsgi_temp_path $work/nginx/tmp/uwsgi;
  scgi_temp_path $work/nginx/tmp/scgi;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/nginx/html;
    location = /v3/account { default_type application/json; }
  }
}
CONF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/logs/error.log" &
nginx_pid=$!
for _ in $(seq 100); do
  curl -fsS -o /dev/null "http://127.0.0.1:$nginx_port/v3/account" 2>/dev/null && break
  kill -0 "$nginx_pid" 2>/dev/null || { cat "$work/nginx/logs/error.log" >&2; cs_die "nginx did not start"; }
  sleep 0.1
done
cs_log "nginx at http://127.0.0.1:$nginx_port ($nginx_workers workers), static body of $body_bytes bytes"

# --- load ----------------------------------------------------------------------------------------
# run_wrk NAME URL [wrk args...] -> prints wrk's output, sets rps_NAME; fails on any non-2xx.
run_wrk() {
  local name="$1" target="$2"
  shift 2
  wrk -t"$wrk_threads" -c"$connections" -d2s "$@" "$target" >/dev/null # warm-up
  local out
  out="$(wrk -t"$wrk_threads" -c"$connections" -d"$duration" "$@" "$target")"
  printf '%s\n' "--- $name: wrk -t$wrk_threads -c$connections -d$duration $target" "$out"
  if grep -q 'Non-2xx or 3xx responses' <<<"$out"; then
    cs_die "$name answered non-2xx responses; the number above is not a valid result"
  fi
  local rps
  rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
  [ -n "$rps" ] || cs_die "could not read Requests/sec for $name"
  printf -v "rps_$name" '%s' "$rps"
}

# Alternate the two targets for several rounds: on this VM whichever runs second after a
# saturating run measures lower, so a single ordered pair is biased. Report every round and
# the median of the per-round ratios.
rounds="${BENCH_ROUNDS:-3}"
ratios=()
for round in $(seq "$rounds"); do
  if [ $((round % 2)) -eq 1 ]; then
    run_wrk countersign "$url/v3/account" -H "Authorization: Bearer $token"
    run_wrk nginx "http://127.0.0.1:$nginx_port/v3/account"
  else
    run_wrk nginx "http://127.0.0.1:$nginx_port/v3/account"
    run_wrk countersign "$url/v3/account" -H "Authorization: Bearer $token"
  fi
  ratio="$(awk -v a="$rps_countersign" -v b="$rps_nginx" 'BEGIN { printf "%.1f", 100 * a / b }')"
  ratios+=("$ratio")
  printf 'round %d: nginx %.1f req/s, countersign %.1f req/s, ratio %s %%\n' \
    "$round" "$rps_nginx" "$rps_countersign" "$ratio" >>"$work/rounds.txt"
done

echo
echo "=== GET /v3/account, body $body_bytes bytes, wrk -t$wrk_threads -c$connections -d$duration, $(nproc) cores"
echo "nginx: static file; countersign: Bearer token, SQLite, --threads ${server_threads:-default (2 per core, at least 32)}"
cat "$work/rounds.txt"
median="$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')"
echo "median ratio countersign/nginx: $median %"
