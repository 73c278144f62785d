# shellcheck shell=bash
# Shared set-up logic for scripts/run.sh, scripts/test.sh and bench/: which Debian packages the
# project needs, installing only the missing ones, and building with CMake + Ninja.
# Source it; it defines functions and variables and runs nothing by itself.

CS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CS_BUILD_DIR="${CS_BUILD_DIR:-$CS_ROOT/build}"
CS_JOBS="${CS_JOBS:-2}"

# Needed to build the server and its C++ unit tests (DESIGN.md, "Chosen dependencies").
CS_BUILD_PACKAGES=(
  cmake ninja-build g++ pkg-config
  librestinio-dev libasio-dev libhttp-parser-dev libfmt-dev
  nlohmann-json3-dev libsqlite3-dev libsodium-dev libcurl4-openssl-dev
  libctemplate-dev libcli11-dev libqpdf-dev libpoppler-cpp-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev libssl-dev libpq-dev libspdlog-dev
  prometheus-cpp-dev  # core library: the metrics registry and the Prometheus text format
  libjemalloc-dev  # the server binary's malloc (src/app/allocator.h)
  poppler-utils  # pdftoppm: the signing page renders page images in a child process
  ccache  # rebuilds (and CI on a machine that built before) reuse earlier compiles
)
# Needed on top of the build to run every test suite and the benchmark (clang, its sanitizer and
# libFuzzer runtimes and llvm-symbolizer for scripts/fuzz.sh).
CS_TEST_PACKAGES=(chromium nginx wrk clang-format curl ca-certificates qpdf poppler-utils python3-aiosmtpd sqlite3
  postgresql-15 clang libclang-rt-14-dev llvm)

# ccache keys on paths relative to the checkout, so another clone of the same commit (CI's)
# reuses this one's compiles.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$CS_ROOT}"
export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-true}"

# Each line carries the wall-clock time, so a log shows how long every phase took.
cs_log() { printf '==> %s %s\n' "$(date +%T)" "$*" >&2; }
cs_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Prints the packages among "$@" that are not installed.
cs_missing_packages() {
  local p
  for p in "$@"; do
    if [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" != "installed" ]; then
      printf '%s\n' "$p"
    fi
  done
}

# Runs a command as root (directly, or through sudo when available).
cs_as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    cs_die "need root to run: $*"
  fi
}

# Installs the packages among "$@" that are missing. apt-get update runs only when something
# is missing.
cs_apt_install() {
  local missing
  missing="$(cs_missing_packages "$@" | tr '\n' ' ')"
  missing="${missing% }"
  if [ -z "$missing" ]; then
    return 0
  fi
  command -v apt-get >/dev/null 2>&1 || cs_die "missing packages ($missing) and no apt-get"
  cs_log "installing: $missing"
  cs_as_root apt-get update
  # shellcheck disable=SC2086
  cs_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
}

# Makes sure node (>= 18) and npm are on PATH. A machine may already carry a newer Node.js
# than Debian's (with npm bundled); only when a command is absent do we install Debian's.
cs_ensure_node() {
  if ! command -v node >/dev/null 2>&1; then
    cs_apt_install nodejs
  fi
  if ! command -v npm >/dev/null 2>&1; then
    cs_apt_install npm
  fi
  command -v node >/dev/null 2>&1 || cs_die "node not found after install"
  command -v npm >/dev/null 2>&1 || cs_die "npm not found after install"
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  [ "$major" -ge 18 ] || cs_die "Node.js >= 18 needed, found $(node --version)"
}

# The optimised build's flags for every build folder the scripts configure: CMake's
# RelWithDebInfo but with line tables only (-g1) instead of full debug info (-g). Backtraces,
# perf and sanitizer reports keep their file:line; compiling takes about a third less time
# (10.4 s -> 6.5 s for a store test, 12.3 s -> 8.9 s for a service file). For variables in
# gdb, configure a folder of your own with plain -DCMAKE_BUILD_TYPE=RelWithDebInfo.
CS_CXX_FLAGS_OPTIMISED="-O2 -g1 -DNDEBUG"

# Configures (once) and builds into $CS_BUILD_DIR with at most $CS_JOBS jobs: the targets
# named ("countersign" for scripts/run.sh: the server alone), or everything (tests included)
# when none is.
cs_build() {
  local targets=()
  local t
  for t in "$@"; do targets+=(--target "$t"); done
  cs_log "building ${*:-everything} into $CS_BUILD_DIR (-j$CS_JOBS)"
  if [ ! -f "$CS_BUILD_DIR/build.ninja" ]; then
    local launcher=()
    if command -v ccache >/dev/null 2>&1; then
      launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
    fi
    cmake -S "$CS_ROOT" -B "$CS_BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$CS_CXX_FLAGS_OPTIMISED" "${launcher[@]}"
  fi
  cmake --build "$CS_BUILD_DIR" -j"$CS_JOBS" "${targets[@]}"
}
