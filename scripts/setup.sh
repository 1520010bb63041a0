#!/usr/bin/env bash
# decruft set-up, idempotent, for a fresh Debian 12 (run as root, or with sudo available).
#   scripts/setup.sh run    install dependencies, build into build/, clean raw/ into clean/
#   scripts/setup.sh test   install dependencies, build, run the whole test suite (ctest)
#   scripts/setup.sh deps   install dependencies only
#   scripts/setup.sh sanitize  build with ASan+UBSan into build-asan/ and run the tests there
#   scripts/setup.sh fuzz [SECONDS]  build the libFuzzer targets with clang into build-fuzz/ and
#                           run each for SECONDS (default 10), seeded from raw/ and tests/
#   Environment: CTEST_ARGS (extra ctest arguments, e.g. "-LE slow"), JOBS (default: nproc)
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(build-essential cmake ninja-build pkg-config python3
          libgumbo-dev libicu-dev libfmt-dev libgtest-dev libgmock-dev libcli11-dev libsimdjson-dev
          libxxhash-dev libtbb-dev libtomlplusplus-dev libzstd-dev zlib1g-dev libbenchmark-dev libmimalloc-dev zstd gzip)

install_deps() {
  local missing=()
  for p in "${PACKAGES[@]}" "$@"; do
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

# The test suite also starts a one-node Slurm cluster (tests/cli/slurm_cluster.sh, as root): the
# daemons come from Debian's packages, installed by `test` only.
TEST_PACKAGES=(slurm-wlm munge)

JOBS=${JOBS:-$(nproc)}

build() {
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  cmake --build build -j "$JOBS"
}

case "${1:-run}" in
  deps) install_deps ;;
  run)
    install_deps
    build
    build/decruft raw/ -o clean/
    ;;
  test)
    install_deps "${TEST_PACKAGES[@]}"
    build
    # shellcheck disable=SC2086
    ctest --test-dir build --output-on-failure -j "$JOBS" ${CTEST_ARGS:-}
    ;;
  sanitize)
    install_deps
    cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDECRUFT_SANITIZE=ON -DDECRUFT_BUILD_BENCH=OFF >/dev/null
    cmake --build build-asan -j "$JOBS"
    # detect_leaks: a leak is a bug too. halt_on_error: fail the test at the first report.
    # shellcheck disable=SC2086
    ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      ctest --test-dir build-asan --output-on-failure -j "$JOBS" ${CTEST_ARGS:-}
    ;;
  fuzz)
    install_deps clang
    seconds=${2:-10}
    CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDECRUFT_FUZZ=ON \
      -DDECRUFT_BUILD_TESTS=OFF -DDECRUFT_BUILD_BENCH=OFF >/dev/null
    cmake --build build-fuzz -j "$JOBS"
    status=0
    for exe in build-fuzz/fuzz/fuzz_*; do
      name=$(basename "$exe")
      target=${name#fuzz_}
      corpus=build-fuzz/corpus/$target
      mkdir -p "$corpus" build-fuzz/crashes/$target
      # Seeds: the raw samples, the saved regression inputs, and the CLI fixtures written by tests.
      cp -n raw/* "$corpus"/ 2>/dev/null || true
      if [ -d "tests/regression/fuzz/$target" ]; then
        cp -n tests/regression/fuzz/"$target"/* "$corpus"/ 2>/dev/null || true
      fi
      if [ -d tests/fuzz/seeds/"$target" ]; then
        cp -n tests/fuzz/seeds/"$target"/* "$corpus"/ 2>/dev/null || true
      fi
      echo "fuzz: $name for ${seconds}s" >&2
      if ! "$exe" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=20 \
          -artifact_prefix=build-fuzz/crashes/$target/ -print_final_stats=1 "$corpus" \
          >build-fuzz/$name.log 2>&1; then
        echo "fuzz: $name FAILED; see build-fuzz/$name.log and build-fuzz/crashes/$target/" >&2
        tail -40 build-fuzz/$name.log >&2
        status=1
      fi
      grep -E '^stat::(number_of_executed_units|new_units_added)' build-fuzz/$name.log >&2 || true
    done
    exit $status
    ;;
  *) echo "usage: $0 run|test|deps|sanitize|fuzz [SECONDS]" >&2; exit 2 ;;
esac
