# shellcheck shell=bash
# Shared by bench/bench_send.sh, bench/bench_list.sh and bench/lib_side_by_side.sh: start and
# stop one countersign server on loopback with a data folder under $work, and create an account
# with the operator CLI.
# Source it after scripts/lib/deps.sh, with $work set and COUNTERSIGN_BIN exported.
# Defines: sr_start_server DATA_DIR [serve args...] (sets $server_pid and $url),
#          sr_stop_server, sr_create_account DATA_DIR (prints the account JSON).

server_pid=""
url=""

# Starts `countersign serve --port 0 --data-dir DATA_DIR "$@"` and waits for its URL.
sr_start_server() {
  local data_dir="$1"
  shift
  mkdir -p "$data_dir"
  local out="$work/server.$$.$RANDOM.out"
  # Load far beyond Dropbox Sign's per-minute quotas: every call still passes the limiter.
  # BENCH_RATE_LIMIT overrides the standard quota (calls a minute).
  "$COUNTERSIGN_BIN" serve --port 0 --bind 127.0.0.1 --data-dir "$data_dir" \
    --rate-limit-standard "${BENCH_RATE_LIMIT:-1000000000}" --rate-limit-high 1000000000 --rate-limit-test-mode 1000000000 "$@" \
    >"$out" 2>>"$work/server.err" &
  server_pid=$!
  url=""
  local line
  for _ in $(seq 300); do
    line="$(head -n1 "$out" 2>/dev/null || true)"
    if [[ "$line" =~ ^Countersign\ listening\ on\ (http://[^[:space:]]+) ]]; then
      url="${BASH_REMATCH[1]%/}"
      break
    fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$url" ]; then
    tail -n 20 "$work/server.err" >&2 || true
    cs_die "countersign did not start"
  fi
  case "$url" in
    http://127.0.0.1:*) ;;
    *) cs_die "server is not on loopback: $url" ;;
  esac
}

# Stops the server started last (SIGTERM, then SIGKILL after 10 s) and waits for it.
sr_stop_server() {
  [ -n "$server_pid" ] || return 0
  kill -TERM "$server_pid" 2>/dev/null || true
  for _ in $(seq 100); do
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

# Creates an account in DATA_DIR and prints the CLI's JSON ({account_id, email_address, api_key}).
sr_create_account() {
  local data_dir="$1"
  local email="bench-$RANDOM$RANDOM@example.com"
  "$COUNTERSIGN_BIN" account create --data-dir "$data_dir" --email "$email" \
    --password "Bench-$RANDOM$RANDOM-pw-9" --fast-password-hashing | tail -n1
}

# Reads KEY from a one-line JSON object.
sr_json_field() {
  node -e 'const o = JSON.parse(process.argv[1]); const v = o[process.argv[2]]; if (v === undefined) process.exit(1); console.log(v)' "$1" "$2"
}
