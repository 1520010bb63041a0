#!/usr/bin/env bash
# Submits a whole decruft cluster run to Slurm: six jobs chained with --dependency=afterok, the
# per-shard stages (prepass, clean, bands, write) as job arrays of N tasks, dedup and merge as one
# task each. The result in OUT is byte-identical to
#   decruft INPUT -o OUT [DECRUFT-OPTIONS]
# Usage:
#   scripts/slurm/run.sh INPUT OUT WORK [N] [-- DECRUFT-OPTIONS...]
#     INPUT   input file or directory (on a file system every node sees; split into N shards by
#             file, so give at least N files)
#     OUT     output directory; WORK: work directory (shared too; logs in WORK/logs)
#     N       shards = array tasks per stage (default 4)
# Environment:
#   DECRUFT            the decruft binary (default: decruft on PATH, else build/decruft)
#   DECRUFT_SBATCH     extra sbatch options for every job (e.g. "--partition=cpu --cpus-per-task=8")
#   DECRUFT_WAIT=1     wait for the last job (sbatch --wait); its exit status is the run's
# Prints the job ids. A failed task cancels the jobs after it (--kill-on-invalid-dep=yes); rerun
# the failed stage by hand (docs/cli.md) or the whole script: every stage overwrites its files.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 3 ] || { sed -n '2,20p' "$0" >&2; exit 2; }
# The paths stay as given (the report names sources as given, as a single-machine run does); the
# jobs run in this directory (sbatch's default), so give paths every node resolves the same.
input=$1; out=$2; work=$3; shift 3
n=4
if [ $# -gt 0 ] && [ "$1" != "--" ]; then n=$1; shift; fi
[ "${1:-}" = "--" ] && shift
[[ $n =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: N must be a positive number, got '$n'" >&2; exit 2; }
decruft=${DECRUFT:-$(command -v decruft || echo "$here/../../build/decruft")}
decruft=$(realpath -m "$decruft")
[ -x "$decruft" ] || { echo "run.sh: decruft binary not found ($decruft); set DECRUFT" >&2; exit 2; }
mkdir -p "$work/logs"

# shellcheck disable=SC2206
extra=(${DECRUFT_SBATCH:-})
cmd=("$decruft" "$input" -o "$out" --work "$work" "$@")
submit() {  # submit NAME DEPENDENCY ARRAY [--wait]
  local name=$1 dep=$2 array=$3; shift 3
  local args=(--parsable --job-name="decruft-$name" --kill-on-invalid-dep=yes
              --output="$work/logs/%x-%A_%a.log" "${extra[@]}")
  [ -n "$dep" ] && args+=(--dependency="afterok:$dep")
  [ -n "$array" ] && args+=(--array="$array")
  sbatch "${args[@]}" "$@" "$here/stage.sbatch" "$name" "$n" "${cmd[@]}"
}
all="0-$((n - 1))"
prepass=$(submit prepass "" "$all")
clean=$(submit clean "$prepass" "$all")
bands=$(submit bands "$clean" "$all")
dedup=$(submit dedup "$bands" "")
write=$(submit write "$dedup" "$all")
echo "decruft cluster run: prepass $prepass, clean $clean, bands $bands, dedup $dedup, write $write" >&2
if [ "${DECRUFT_WAIT:-0}" = 1 ]; then
  submit merge "$write" "" --wait
else
  merge=$(submit merge "$write" "")
  echo "decruft cluster run: merge $merge; output in $out when it completes (logs: $work/logs)" >&2
fi
