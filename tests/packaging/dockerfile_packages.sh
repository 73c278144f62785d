#!/usr/bin/env bash
# The Dockerfile (not built in CI) must not drift from what the binary needs:
#  1. its build stage installs every package of CS_BUILD_PACKAGES (scripts/lib/deps.sh) that a
#     server build uses (not ccache, nor poppler-utils, which the runtime stage installs);
#  2. its runtime stage installs the Debian package of every shared library the built binary
#     names directly (readelf's NEEDED), apart from those debian:12-slim already has.
# Run by ctest as packaging.dockerfile_packages with the binary's path; prints what is missing.
#
#   tests/packaging/dockerfile_packages.sh BUILD/countersign
set -euo pipefail
export LC_ALL=C
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
binary="$1"
# shellcheck source=../../scripts/lib/deps.sh
source "$root/scripts/lib/deps.sh"

# stage_packages N: the words of the apt-get install lines of the Dockerfile's Nth FROM stage.
stage_packages() {
  awk -v want="$1" '
    /^FROM / { stage++ }
    stage == want && /apt-get install/ { on = 1; next }
    stage == want && on { if ($0 ~ /^ *&&/) { on = 0; next } gsub(/\\/, ""); print }
  ' "$root/Dockerfile" | tr -s ' ' '\n' | grep -v '^$' | sort -u
}
build_stage="$(stage_packages 1)"
runtime_stage="$(stage_packages 2)"
if [ -z "$build_stage" ] || [ -z "$runtime_stage" ]; then
  echo "no apt-get install found in a stage of the Dockerfile"
  exit 1
fi

missing=0
for package in "${CS_BUILD_PACKAGES[@]}"; do
  case "$package" in ccache | poppler-utils) continue ;; esac
  if ! grep -qx "$package" <<<"$build_stage"; then
    echo "Dockerfile build stage lacks $package (CS_BUILD_PACKAGES)"
    missing=1
  fi
done

# In debian:12-slim already (apt itself needs them).
base="libc6 libgcc-s1 libstdc++6 zlib1g"
while read -r library; do
  path="$(ldd "$binary" | awk -v l="$library" '$1 == l { print $3 }')"
  [ -n "$path" ] || { echo "ldd does not resolve $library"; missing=1; continue; }
  package="$(dpkg -S "$path" 2>/dev/null || dpkg -S "/usr$path" 2>/dev/null || true)"
  package="${package%%:*}"
  [ -n "$package" ] || { echo "no Debian package owns $path"; missing=1; continue; }
  case " $base " in *" $package "*) continue ;; esac
  if ! grep -qx "$package" <<<"$runtime_stage"; then
    echo "Dockerfile runtime stage lacks $package (for $library)"
    missing=1
  fi
done < <(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
exit "$missing"
