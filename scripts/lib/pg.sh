# shellcheck shell=bash
# A throw-away PostgreSQL 15 server for tests and benchmarks: initdb in a fresh temporary
# folder, `postgres` on a free loopback port (its socket in that folder too), one database.
# Source it, then:
#   cs_pg_start            # exports COUNTERSIGN_TEST_PG_URL=postgres://cs@127.0.0.1:PORT/countersign
#   ...                    # run tests against it
#   cs_pg_stop             # fast shutdown, folder removed (also safe to call twice)
# When running as root, the server runs as the `postgres` system user (PostgreSQL refuses to
# run as root), which owns the temporary folder. Fails (returns non-zero) when it cannot start;
# never falls back to skipping.
#
# Environment: CS_PG_BIN (default /usr/lib/postgresql/15/bin), CS_PG_USER (the system user
# when root, default postgres), CS_PG_MAX_CONNECTIONS (default 300), CS_PG_SETTINGS (server
# settings, space-separated; default "fsync=off synchronous_commit=off full_page_writes=off").

CS_PG_BIN="${CS_PG_BIN:-/usr/lib/postgresql/15/bin}"
CS_PG_DIR=""
CS_PG_PID=""        # the background job (a subshell around the server)
CS_PG_POSTMASTER="" # the server itself, from its postmaster.pid

# Runs "$@" as the server's user (directly when not root). setpriv execs in place, so the
# PID of a background `cs_pg_as_owner postgres ...` is the postmaster's own.
cs_pg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    local user="${CS_PG_USER:-postgres}"
    setpriv --reuid="$user" --regid="$(id -g "$user")" --init-groups -- "$@"
  else
    "$@"
  fi
}

# Prints a free TCP port on 127.0.0.1.
cs_pg_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

cs_pg_start() {
  [ -x "$CS_PG_BIN/initdb" ] || { echo "error: no initdb in $CS_PG_BIN (install postgresql-15)" >&2; return 1; }
  CS_PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/cs-pg-XXXXXX")" || return 1
  if [ "$(id -u)" -eq 0 ]; then
    chown "${CS_PG_USER:-postgres}" "$CS_PG_DIR" || return 1
  fi
  chmod 700 "$CS_PG_DIR"
  if ! cs_pg_as_owner "$CS_PG_BIN/initdb" -D "$CS_PG_DIR/data" -U cs --auth=trust -E UTF8 \
    --locale=C.UTF-8 --no-sync >"$CS_PG_DIR/initdb.log" 2>&1; then
    echo "error: initdb failed:" >&2
    cat "$CS_PG_DIR/initdb.log" >&2
    return 1
  fi
  local port attempt
  for attempt in 1 2 3; do
    port="$(cs_pg_free_port)" || return 1
    # Durability off by default: a test cluster is thrown away after the run.
    local settings=() setting
    for setting in ${CS_PG_SETTINGS-fsync=off synchronous_commit=off full_page_writes=off}; do
      settings+=(-c "$setting")
    done
    cs_pg_as_owner "$CS_PG_BIN/postgres" -D "$CS_PG_DIR/data" -k "$CS_PG_DIR" \
      -c listen_addresses=127.0.0.1 -p "$port" -c "max_connections=${CS_PG_MAX_CONNECTIONS:-300}" \
      -c shared_buffers=64MB "${settings[@]}" >"$CS_PG_DIR/server.log" 2>&1 &
    CS_PG_PID=$!
    local i
    for ((i = 0; i < 150; i++)); do
      if "$CS_PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U cs -d postgres; then
        break
      fi
      kill -0 "$CS_PG_PID" 2>/dev/null || break
      sleep 0.1
    done
    if "$CS_PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U cs -d postgres; then
      if ! "$CS_PG_BIN/psql" -q -h 127.0.0.1 -p "$port" -U cs -d postgres \
        -c 'CREATE DATABASE countersign' >/dev/null; then
        echo "error: cannot create the test database" >&2
        cs_pg_stop
        return 1
      fi
      CS_PG_POSTMASTER="$(head -n 1 "$CS_PG_DIR/data/postmaster.pid" 2>/dev/null || true)"
      export COUNTERSIGN_TEST_PG_URL="postgres://cs@127.0.0.1:$port/countersign"
      printf '==> PostgreSQL %s on 127.0.0.1:%s (pid %s, %s)\n' \
        "$("$CS_PG_BIN/postgres" --version | awk '{print $3}')" "$port" "$CS_PG_POSTMASTER" \
        "$CS_PG_DIR" >&2
      return 0
    fi
    # Most likely the port was taken between the check and the start: try another one.
    local stale
    stale="$(head -n 1 "$CS_PG_DIR/data/postmaster.pid" 2>/dev/null || true)"
    [ -z "$stale" ] || kill -INT "$stale" 2>/dev/null || true
    kill -TERM "$CS_PG_PID" 2>/dev/null || true
    wait "$CS_PG_PID" 2>/dev/null || true
    CS_PG_PID=""
  done
  echo "error: PostgreSQL did not start; its log:" >&2
  cat "$CS_PG_DIR/server.log" >&2
  rm -rf "$CS_PG_DIR"
  CS_PG_DIR=""
  return 1
}

cs_pg_stop() {
  local server="$CS_PG_POSTMASTER"
  if [ -z "$server" ] && [ -n "$CS_PG_DIR" ]; then
    server="$(head -n 1 "$CS_PG_DIR/data/postmaster.pid" 2>/dev/null || true)"
  fi
  if [ -n "$server" ]; then
    kill -INT "$server" 2>/dev/null || true  # fast shutdown: disconnects clients
    local i
    for ((i = 0; i < 100; i++)); do
      kill -0 "$server" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$server" 2>/dev/null || true
    CS_PG_POSTMASTER=""
  fi
  if [ -n "$CS_PG_PID" ]; then
    kill -TERM "$CS_PG_PID" 2>/dev/null || true
    wait "$CS_PG_PID" 2>/dev/null || true
    CS_PG_PID=""
  fi
  if [ -n "$CS_PG_DIR" ]; then
    rm -rf "$CS_PG_DIR"
    CS_PG_DIR=""
  fi
  unset COUNTERSIGN_TEST_PG_URL
}
