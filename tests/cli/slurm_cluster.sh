#!/usr/bin/env bash
# The cluster run through Slurm: starts a one-node Slurm cluster from Debian's packages on this
# machine (scripts/slurm/local_cluster.sh: munged, slurmctld, slurmd), runs the whole pipeline
# with scripts/slurm/run.sh (job arrays chained with afterok, the last one `sbatch --wait`) on a
# generated corpus with planted exact and near duplicates, and checks that the output directory is
# byte-identical to the single-machine run's.
# Skips (77) where Slurm cannot start here (not root, packages missing) unless
# DECRUFT_REQUIRE_SLURM=1 (CI), which makes that a failure.
set -euo pipefail
bin=$1; src=$2
skip() {
  if [ "${DECRUFT_REQUIRE_SLURM:-0}" = 1 ]; then
    echo "slurm_cluster: $* (DECRUFT_REQUIRE_SLURM=1: failing)" >&2; exit 1
  fi
  echo "slurm_cluster: $*: skipped"; exit 77
}
command -v python3 >/dev/null || skip "python3 not found"
[ "$(id -u)" = 0 ] || skip "not root"
for b in sbatch slurmctld slurmd munged; do
  command -v "$b" >/dev/null || [ -x "/usr/sbin/$b" ] || skip "$b not found (apt-get install slurm-wlm munge)"
done

tmp=$(mktemp -d)
cluster=$tmp/slurm
cleanup() {
  "$src/scripts/slurm/local_cluster.sh" stop "$cluster" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
cd "$tmp"
start=$(date +%s.%N)
export DECRUFT_SLURM_PORT=$((20000 + $$ % 20000))
status=0
"$src/scripts/slurm/local_cluster.sh" start "$cluster" > conf.sh 2> start.err || status=$?
if [ "$status" -ne 0 ]; then
  cat start.err >&2
  [ "$status" -eq 3 ] && skip "Slurm cannot start here"
  exit 1
fi
# shellcheck disable=SC1091
. ./conf.sh
up=$(date +%s.%N)

python3 "$src/tests/tools/gen_dedup_corpus.py" --synthetic 400 --seed 1 --out gen >/dev/null 2>&1
mkdir in
split -n l/8 -d --additional-suffix=.jsonl gen/corpus.jsonl in/part-
opts=(--format jsonl --shard-size 256KB)
"$bin" in -o single "${opts[@]}" -q
[ -s single/duplicates.jsonl ] || { echo "no duplicates found: the corpus should plant some" >&2; exit 1; }

t0=$(date +%s.%N)
if ! DECRUFT="$bin" DECRUFT_WAIT=1 "$src/scripts/slurm/run.sh" in out work 4 -- "${opts[@]}" > jobs.txt 2>&1; then
  cat jobs.txt >&2
  tail -n 5 work/logs/* >&2 || true
  echo "slurm_cluster: the Slurm run failed" >&2
  exit 1
fi
t1=$(date +%s.%N)
if ! diff -rq single out; then
  echo "slurm_cluster: the Slurm run's output differs from the single-machine run's" >&2
  exit 1
fi
[ "$(ls work/logs | wc -l)" -ge 18 ] || { ls work/logs >&2; echo "expected 4 x 4 array tasks + 2 jobs" >&2; exit 1; }
printf 'slurm_cluster: ok: %s documents (%s bytes in 8 files), %s duplicates, 4 shards, options: %s; output identical; cluster start %.1f s, Slurm run %.1f s\n' \
  "$(wc -l < gen/corpus.jsonl)" "$(cat in/* | wc -c)" "$(wc -l < single/duplicates.jsonl)" "${opts[*]}" \
  "$(awk -v a="$start" -v b="$up" 'BEGIN {print b - a}')" "$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')"
