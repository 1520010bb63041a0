#!/usr/bin/env bash
# Cluster run without Slurm: the stages (prepass, clean, bands per shard; dedup; write per shard; merge)
# run by hand over N shards must give output byte-identical to the single-machine run: JSONL parts
# re-split by size, manifest, report.json, duplicates.jsonl; and the text format's files. N=1, N=3,
# and N larger than the number of input files (empty shards); with and without corpus_lines' first
# pass; an LSH bucket too full for the band tasks' pairs (the dedup stage falls back to the index).
# A write stage given other inputs than its clean stage fails instead of writing wrong verdicts.
set -euo pipefail
bin=$1; src=$2
command -v python3 >/dev/null || { echo "python3 not found: skipped"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

# A generated corpus with planted exact and near duplicates, in 7 JSONL files of uneven size, plus
# the seed scrapes (text files with titles).
python3 "$src/tests/tools/gen_dedup_corpus.py" --synthetic 300 --seed 2 --out gen >/dev/null
mkdir in
head -n 150 gen/corpus.jsonl > in/a.jsonl
sed -n '151,200p' gen/corpus.jsonl > in/b.jsonl
sed -n '201,420p' gen/corpus.jsonl > in/c.jsonl
sed -n '421,430p' gen/corpus.jsonl > in/d.jsonl
sed -n '431,560p' gen/corpus.jsonl > in/e.jsonl
sed -n '561,600p' gen/corpus.jsonl > in/f.jsonl
sed -n '601,$p' gen/corpus.jsonl > in/g.jsonl
cp "$src"/raw/*.txt in/

opts=(-q)

stages() {  # stages N OUT OPTIONS...: the whole cluster run by hand
  local n=$1 out=$2; shift 2
  local work=$tmp/work-$n-$(basename "$out")
  for stage in prepass clean bands; do
    for ((i = 0; i < n; i++)); do "$bin" in -o "$out" "$@" --stage $stage --shard "$i/$n" --work "$work"; done
  done
  "$bin" in -o "$out" "$@" --stage dedup --shard "$n" --work "$work"
  for ((i = 0; i < n; i++)); do "$bin" in -o "$out" "$@" --stage write --shard "$i/$n" --work "$work"; done
  "$bin" in -o "$out" "$@" --stage merge --shard "$n" --work "$work"
}

same() {  # same A B WHAT
  if ! diff -rq "$1" "$2"; then
    echo "cluster output differs from the single-machine output ($3)" >&2
    exit 1
  fi
}

jsonl=(--format jsonl --shard-size 200KB "${opts[@]}")
"$bin" in -o single "${jsonl[@]}"
[ "$(ls single/part-*.jsonl.zst | wc -l)" -ge 3 ] || { echo "expected several JSONL parts" >&2; exit 1; }
[ -s single/duplicates.jsonl ] || { echo "no duplicates found: the corpus should plant some" >&2; exit 1; }
# corpus_lines (on by default) must have work here: its first-pass counts are exported per shard
# and summed (Step::save_prepass / merge_prepass).
grep -q '"corpus_boilerplate"' single/report.json || { echo "corpus_lines dropped nothing here" >&2; exit 1; }
for n in 1 3 20; do
  stages $n "c$n" "${jsonl[@]}"
  same single "c$n" "jsonl, $n shards"
done

# Text files, and a pipeline without a first pass.
"$bin" in -o single-text "${opts[@]}" --disable corpus_lines
stages 4 c4-text "${opts[@]}" --disable corpus_lines
same single-text c4-text "text files, 4 shards, corpus_lines off"

# A bucket too full for the band tasks' pairs to be exact (a document with 4096/N or more earlier
# bucket-mates: the index caps a query's candidates) makes the dedup stage fall back to the index
# itself: still identical. 150 copies of one text, each with its own last word, over 32 shards.
mkdir full
python3 - > full/copies.jsonl <<'PY'
import json
base = " ".join(f"كلمة{i % 97}x{i}" for i in range(200))
for k in range(150):
    print(json.dumps({"id": f"c{k}", "text": f"{base} فريد{k}"}, ensure_ascii=False))
PY
mv in in-main; mv full in
"$bin" in -o single-full --format jsonl -q
n=32; out=c32-full; work=$tmp/work-full
for stage in prepass clean bands; do
  for ((i = 0; i < n; i++)); do "$bin" in -o $out --format jsonl -q --stage $stage --shard "$i/$n" --work "$work"; done
done
"$bin" in -o $out --format jsonl --stage dedup --shard $n --work "$work" 2> dedup.err
grep -q "by the index" dedup.err || { cat dedup.err >&2; echo "the full bucket did not make dedup fall back" >&2; exit 1; }
for ((i = 0; i < n; i++)); do "$bin" in -o $out --format jsonl -q --stage write --shard "$i/$n" --work "$work"; done
"$bin" in -o $out --format jsonl -q --stage merge --shard $n --work "$work"
same single-full $out "a full LSH bucket, 32 shards"
[ "$(wc -l < single-full/duplicates.jsonl)" -ge 100 ] || { echo "the copies should be duplicates" >&2; exit 1; }
rm -rf in; mv in-main in

# A write stage whose documents are not those its verdicts were made for fails (exit 2).
cp gen/corpus.jsonl in/0-extra.jsonl
if "$bin" in -o c3 "${jsonl[@]}" --stage write --shard 0/3 --work "$tmp/work-3-c3" 2> err.txt; then
  echo "write stage accepted verdicts made for other inputs" >&2; exit 1
fi
grep -q "not for these documents" err.txt || { cat err.txt >&2; exit 1; }
rm in/0-extra.jsonl

# A stage given other options than the stages before it fails: the work files carry them.
if "$bin" in -o c3 "${jsonl[@]}" --near-threshold 0.5 --stage dedup --shard 3 --work "$tmp/work-3-c3" 2> err.txt; then
  echo "dedup stage accepted work files made with other options" >&2; exit 1
fi
grep -q "other inputs or options" err.txt || { cat err.txt >&2; exit 1; }

# Usage errors.
if "$bin" in -o x --stage clean --work w 2>/dev/null; then echo "--stage without --shard accepted" >&2; exit 1; fi
if "$bin" in -o x --stage clean --shard 3/3 --work w 2>/dev/null; then echo "--shard 3/3 accepted" >&2; exit 1; fi
if "$bin" in --stage clean --shard 0/3 --work w 2>/dev/null; then echo "cluster run without -o accepted" >&2; exit 1; fi

echo "shard_equivalence: ok ($(wc -l < single/duplicates.jsonl) duplicates; N=1,3,20 jsonl, N=4 text without corpus_lines, a full bucket: identical to the single run)"
