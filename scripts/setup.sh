#!/usr/bin/env bash
# decruft set-up, idempotent, for a fresh Debian 12 (run as root, or with sudo available).
#   scripts/setup.sh run    install dependencies, build into build/, clean raw/ into clean/
#   scripts/setup.sh test   install dependencies, build, run the whole test suite (ctest)
#   scripts/setup.sh deps   install dependencies only
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(build-essential cmake ninja-build pkg-config python3
          libgumbo-dev libicu-dev libfmt-dev libgtest-dev libgmock-dev libcli11-dev libsimdjson-dev
          libxxhash-dev libtbb-dev libtomlplusplus-dev libzstd-dev zlib1g-dev libbenchmark-dev zstd gzip)

install_deps() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return
  fi
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

build() {
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  cmake --build build -j "$(nproc)"
}

case "${1:-run}" in
  deps) install_deps ;;
  run)
    install_deps
    build
    build/decruft raw/ -o clean/
    ;;
  test)
    install_deps
    build
    ctest --test-dir build --output-on-failure -j "$(nproc)"
    ;;
  *) echo "usage: $0 run|test|deps" >&2; exit 2 ;;
esac
