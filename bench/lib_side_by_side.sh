# shellcheck shell=bash disable=SC2034,SC2154  # bs_* results are read by the caller; $work is its own
# Shared by bench/bench_side_by_side.sh, bench/bench_account.sh, bench/bench_oauth_peer.sh and
# (for its medians and ratios) bench/bench_send.sh:
# start the servers compared side by side (Countersign via bench/sr_common.sh,
# node-oidc-provider from bench/oidc_peer, nginx with its own prefix), all on 127.0.0.1 only,
# remember every process started so bs_stop_all (call it from the EXIT trap) ends them, and run
# bounded wrk measurements that fail on any non-2xx answer.
# Source it after scripts/lib/deps.sh, from the repository root, with $work set (a private
# temporary folder) and COUNTERSIGN_BIN exported.
#
# Defines:
#   bs_start_countersign BIN DIR [serve args...]   -> bs_url (fresh data folder DIR)
#   bs_start_peer DIR                              -> bs_url (oidc-provider, bs_peer_client/_secret)
#   bs_peer_mint BASE COUNT FILE                   (COUNT refresh tokens of the peer into FILE)
#   bs_countersign_tokens BASE DIR COUNT           -> bs_client, bs_secret, DIR/all.tokens
#   bs_countersign_access_token BASE DIR           -> bs_token (Bearer, scope account_access)
#   bs_start_nginx DIR BODY_FILE WORKERS           -> bs_url (BODY_FILE served at /v3/account)
#   bs_wrk_warm THREADS CONNECTIONS DURATION URL [wrk args...]
#   bs_run_wrk LABEL THREADS CONNECTIONS DURATION URL [wrk args...] -> bs_last_rps
#   bs_stop_all, bs_median VALUES..., bs_ratio A B, bs_loadavg
#   bs_cpu_ticks PID...             -> bs_ticks_user, bs_ticks_system: their summed CPU clock ticks

# shellcheck source=sr_common.sh
source "$(dirname "${BASH_SOURCE[0]}")/sr_common.sh"

bs_pids=()
bs_url=""
bs_last_rps=""
bs_client=""
bs_secret=""
bs_token=""
bs_peer_client="bench-client"
bs_peer_secret="bench-secret-0123456789"

# Stops every process started through this file: SIGTERM, SIGKILL after 5 s.
bs_stop_all() {
  local pid
  for pid in "${bs_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${bs_pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  bs_pids=()
  server_pid=""
}

bs_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

bs_loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# utime and stime are fields 14 and 15 of /proc/PID/stat, counted after the name's closing
# parenthesis (a name may hold spaces). Fails when a process is gone or none is given.
bs_ticks_user=0
bs_ticks_system=0
bs_cpu_ticks() {
  [ $# -gt 0 ] || cs_die "bs_cpu_ticks: no process"
  local pid stat rest user=0 system=0 fields
  for pid in "$@"; do
    stat="$(cat "/proc/$pid/stat" 2>/dev/null)" || cs_die "process $pid is gone"
    rest="${stat##*) }"
    read -ra fields <<<"$rest"
    user=$((user + fields[11]))
    system=$((system + fields[12]))
  done
  bs_ticks_user="$user"
  bs_ticks_system="$system"
}

# bs_wait_for_line FILE PATTERN PID: until FILE has a line matching PATTERN (20 s at most).
bs_wait_for_line() {
  local file="$1" pattern="$2" pid="$3"
  for _ in $(seq 200); do
    grep -q "$pattern" "$file" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  cat "${file%.out}.err" >&2 || true
  cs_die "no '$pattern' in $file"
}

# bs_start_countersign BIN DIR [serve args...] -> bs_url: `countersign serve` on a fresh data
# folder DIR, loopback, rate limits far above the load (sr_start_server).
bs_start_countersign() {
  local bin="$1" dir="$2"
  shift 2
  rm -rf "$dir"
  COUNTERSIGN_BIN="$bin" sr_start_server "$dir" "$@"
  bs_pids+=("$server_pid")
  bs_url="$url"
}

# bs_start_peer DIR -> bs_url: node-oidc-provider (bench/oidc_peer, in-memory adapter) on a free
# loopback port, one client ($bs_peer_client / $bs_peer_secret).
bs_start_peer() {
  local dir="$1" port
  rm -rf "$dir"
  mkdir -p "$dir"
  port="$(bs_free_port)"
  node bench/oidc_peer/server.mjs "$port" "$bs_peer_client" "$bs_peer_secret" \
    >"$dir/server.out" 2>"$dir/server.err" &
  bs_pids+=("$!")
  bs_wait_for_line "$dir/server.out" '^oidc-provider listening on' "${bs_pids[-1]}"
  bs_url="http://127.0.0.1:$port"
}

# bs_peer_mint BASE COUNT FILE: COUNT fresh refresh tokens from the peer's bench hook, one a line.
bs_peer_mint() {
  local base="$1" count="$2" file="$3"
  curl -fsS -X POST -o "$file" "$base/bench/mint?count=$count" || cs_die "minting peer tokens failed"
  [ "$(wc -l <"$file")" -eq "$count" ] || cs_die "the peer minted $(wc -l <"$file") of $count tokens"
}

# bs_countersign_tokens BASE DIR COUNT -> bs_client, bs_secret and DIR/all.tokens: an account,
# an approved app and COUNT separate consent grants (bench/pg_tokens.mjs), one refresh token each.
bs_countersign_tokens() {
  local base="$1" dir="$2" count="$3" creds
  creds="$(node bench/pg_tokens.mjs "$base" "$count" -- --data-dir "$dir")"
  bs_client="$(sr_json_field "$creds" client_id)"
  bs_secret="$(sr_json_field "$creds" client_secret)"
  node -e 'console.log(JSON.parse(process.argv[1]).refresh_tokens.join("\n"))' "$creds" \
    >"$dir/all.tokens"
}

# bs_countersign_access_token BASE DIR -> bs_token: a real OAuth access token (account, app,
# consent, code exchange: bench/get_token.mjs).
bs_countersign_access_token() {
  local base="$1" dir="$2" creds
  creds="$(node bench/get_token.mjs "$base" "$dir")"
  bs_token="$(sr_json_field "$creds" access_token)"
  [ -n "$bs_token" ] || cs_die "no access token"
}

# bs_start_nginx DIR BODY_FILE WORKERS -> bs_url: nginx with its own prefix DIR and config on a
# free loopback port, serving BODY_FILE as application/json at /v3/account.
bs_start_nginx() {
  local dir="$1" body="$2" workers="$3" port nginx_user=""
  mkdir -p "$dir/html/v3" "$dir/logs" "$dir/tmp"
  cp "$body" "$dir/html/v3/account"
  port="$(bs_free_port)"
  # As root, nginx workers run as an unprivileged user who must be able to read the body.
  chmod a+rx "$work" "$dir"
  chmod -R a+rX "$dir"
  if [ "$(id -u)" -eq 0 ] && id www-data >/dev/null 2>&1; then nginx_user="user www-data;"; fi
  cat >"$dir/nginx.conf" <<CONF
$nginx_user
worker_processes $workers;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
daemon off;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  server {
    listen 127.0.0.1:$port;
    root $dir/html;
    location = /v3/account { default_type application/json; }
  }
}
CONF
  nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/logs/error.log" &
  bs_pids+=("$!")
  for _ in $(seq 100); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/v3/account" 2>/dev/null && break
    kill -0 "${bs_pids[-1]}" 2>/dev/null || { cat "$dir/logs/error.log" >&2; cs_die "nginx did not start"; }
    sleep 0.1
  done
  bs_url="http://127.0.0.1:$port"
}

# bs_wrk_warm THREADS CONNECTIONS DURATION URL [wrk args...]: load whose figures are dropped.
bs_wrk_warm() {
  local threads="$1" connections="$2" duration="$3" target="$4"
  shift 4
  wrk -t"$threads" -c"$connections" -d"$duration" "$target" "$@" >/dev/null
}

# bs_run_wrk LABEL THREADS CONNECTIONS DURATION URL [wrk args...] -> wrk's output on stderr,
# Requests/sec in bs_last_rps; fails on any non-2xx answer. (Call it without command substitution: the
# servers started through this file must stay in this shell's bs_pids.)
bs_run_wrk() {
  local label="$1" threads="$2" connections="$3" duration="$4" target="$5"
  shift 5
  local out
  out="$(wrk -t"$threads" -c"$connections" -d"$duration" "$target" "$@")"
  printf '%s\n' "--- $label: wrk -t$threads -c$connections -d$duration $target $*" "$out" >&2
  if grep -q 'Non-2xx or 3xx responses' <<<"$out"; then
    cs_die "$label answered non-2xx responses; the number above is not a valid result"
  fi
  bs_last_rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
  [ -n "$bs_last_rps" ] || cs_die "could not read Requests/sec for $label"
}

bs_median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
bs_ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
