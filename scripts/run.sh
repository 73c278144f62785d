#!/usr/bin/env bash
# Sets up and starts Countersign on this machine (Debian 12):
#   1. installs the missing build dependencies with apt-get,
#   2. builds the server (only the `countersign` target, not the tests) with CMake + Ninja
#      into build/,
#   3. creates the data folder (./data unless --data-dir says otherwise),
#   4. on the first run, creates the account admin@countersign.local with a random password, prints it
#      and keeps it in <data>/admin-credentials.txt (readable by the owner only),
#   5. starts `countersign serve` (port 8080 unless --port says otherwise).
# Any arguments are passed on to `countersign serve`, e.g.
#   scripts/run.sh --port 9000 --base-url https://sign.example.com --threads 4
# COUNTERSIGN_ADMIN_EMAIL changes the first account's email (default admin@countersign.local).
set -euo pipefail

# shellcheck source=lib/deps.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/deps.sh"
cd "$CS_ROOT"

data_dir="./data"
have_port=0
have_data=0
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --data-dir) have_data=1; data_dir="${args[$((i + 1))]:-}" ;;
    --data-dir=*) have_data=1; data_dir="${args[$i]#--data-dir=}" ;;
    --port | --port=*) have_port=1 ;;
  esac
done
[ -n "$data_dir" ] || cs_die "--data-dir needs a value"

cs_apt_install "${CS_BUILD_PACKAGES[@]}"
cs_build countersign

bin="$CS_BUILD_DIR/countersign"
[ -x "$bin" ] || cs_die "build did not produce $bin"

mkdir -p "$data_dir"
chmod 700 "$data_dir"
creds="$data_dir/admin-credentials.txt"
admin_email="${COUNTERSIGN_ADMIN_EMAIL:-admin@countersign.local}"

if [ ! -f "$creds" ]; then
  password="$(head -c 18 /dev/urandom | base64 | tr -d '/+=\n')"
  cs_log "creating the first account ($admin_email)"
  err_file="$(mktemp)"
  if out="$("$bin" account create --data-dir "$data_dir" --email "$admin_email" --password "$password" --admin 2>"$err_file")"; then
    (
      umask 077
      {
        echo "# Countersign first account, created $(date -u +%Y-%m-%dT%H:%M:%SZ) by scripts/run.sh"
        echo "email=$admin_email"
        echo "password=$password"
        echo "account=$out"
      } >"$creds"
    )
  elif grep -qi 'already exists' "$err_file"; then
    cs_log "$admin_email already exists but its password is not in $creds; log in with the password" \
      "you chose, or create another account with: $bin account create --data-dir $data_dir ..."
  else
    cat "$err_file" >&2
    rm -f "$err_file"
    cs_die "could not create the first account $admin_email"
  fi
  rm -f "$err_file"
fi

if [ -f "$creds" ]; then
  echo "Log in with:"
  echo "  email:    $(sed -n 's/^email=//p' "$creds")"
  echo "  password: $(sed -n 's/^password=//p' "$creds")"
  echo "(kept in $creds)"
fi

serve_args=(serve)
[ "$have_data" -eq 1 ] || serve_args+=(--data-dir "$data_dir")
[ "$have_port" -eq 1 ] || serve_args+=(--port "${PORT:-8080}")
cs_log "starting: $bin ${serve_args[*]} $*"
exec "$bin" "${serve_args[@]}" "$@"
