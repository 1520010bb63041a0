#!/usr/bin/env bash
# clean/ must be exactly what `build/decruft raw/ -o clean/` writes today (run from the source
# root, as the README's run command does, so the report's source paths match).
set -euo pipefail
bin=$1; src=$2
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
(cd "$src" && "$bin" raw/ -o "$out" -q)
if ! diff -r "$src/clean" "$out"; then
  echo "clean/ is stale: run 'build/decruft raw/ -o clean/' and commit the result" >&2
  exit 1
fi
