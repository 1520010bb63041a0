#!/usr/bin/env bash
# End-to-end dedup on real articles: duplicates of every kind planted into 1,000 articles of
# ../shared/datasets/arabic-articles (skipped when the dataset is absent; DECRUFT_DATASETS=DIR
# points elsewhere). Same checks as dedup_synthetic.sh.
set -euo pipefail
bin=$1; src=$2
data=${DECRUFT_DATASETS:-$src/../shared/datasets}/arabic-articles/saudinewsnet-2015-07.jsonl
[ -r "$data" ] || { echo "dataset not found ($data): skipped"; exit 77; }
command -v python3 >/dev/null || { echo "python3 not found: skipped"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

python3 "$src/tests/tools/gen_dedup_corpus.py" --articles "$data" --originals 1000 --seed 3 --out "$tmp/corpus"
"$bin" "$tmp/corpus/corpus.jsonl" -o "$tmp/out" --format jsonl -q
"$bin" "$tmp/corpus/corpus.jsonl" --format jsonl -q --disable exact_dedup --disable near_dedup > "$tmp/clean.jsonl"
python3 "$src/tests/tools/check_dedup.py" --truth "$tmp/corpus/truth.jsonl" --report "$tmp/out/report.json" \
  --duplicates "$tmp/out/duplicates.jsonl" --clean "$tmp/clean.jsonl"
