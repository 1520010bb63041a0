#!/usr/bin/env bash
# Every --format, the -o DIR layout, JSON Lines input and output, shards, report accounting.
source "$(dirname "$0")/lib/common.bash"

# A tree: nested directories, several extensions, an empty document (dropped: no file).
gen_articles tree/a 3
gen_articles tree/b/c 2
mv tree/b/c/0001.txt tree/b/c/page.text
: >tree/empty.txt
run 0 "$bin" tree -o res
for f in a/0000.txt a/0001.txt a/0002.txt b/c/0000.txt b/c/page.txt; do
  [ -s "res/$f" ] || fail "missing res/$f"
done
[ ! -e res/empty.txt ] || fail "a dropped document got a file"
check_accounting res/report.json
[ "$(json res/report.json 'r["summary"]["documents_in"]')" = 6 ] || fail "documents_in != 6"
[ "$(json res/report.json 'r["summary"]["kept"]')" = 5 ] || fail "kept != 5"
[ "$(json res/report.json 'r["summary"]["dropped_by_reason"]')" = "{'empty_doc': 1}" ] || fail "empty doc not dropped as empty_doc"
[ "$(status_of res/report.json tree/empty.txt)" = "dropped empty_doc" ] || fail "empty.txt status"
# The report names each kept document's output file.
[ "$(json res/report.json '[d["output"] for d in r["documents"] if d["status"]=="kept"][0]')" = a/0000.txt ] || fail "output path"
# No temporary files are left behind.
[ -z "$(find res -name '*.tmp*')" ] || fail "temporary files left: $(find out -name '*.tmp*')"

# text: one paragraph per line, the title first; the file equals stdout output for that input.
"$bin" tree/a/0000.txt >one.txt 2>/dev/null
cmp -s one.txt res/a/0000.txt || fail "-o DIR file differs from stdout"
[ "$(head -1 one.txt)" = "$(head -1 tree/a/0000.txt)" ] || fail "title not first"

# sentences: one sentence per line, a blank line between paragraphs.
run 0 "$bin" --format sentences tree/a/0000.txt
paragraphs=$(wc -l <one.txt)
blanks=$(grep -c '^$' out || true)
[ "$blanks" = $((paragraphs - 1)) ] || fail "sentences: $blanks blank lines for $paragraphs paragraphs"

# jsonl: one valid record per document with the documented fields; sentences (a list per
# paragraph) only with --jsonl-sentences, and then the same records otherwise.
run 0 "$bin" --format jsonl tree
cp out plain.jsonl
run 0 "$bin" --format jsonl --jsonl-sentences tree
python3 - plain.jsonl out <<'PY' || fail "jsonl output invalid"
import json, sys
plain = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
recs = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
assert len(recs) == 5 and len(plain) == 5, (len(recs), len(plain))
for p, r in zip(plain, recs):
    for k in ("id", "source", "title", "text", "removed"):
        assert k in r and k in p, (k, r.keys())
    assert "sentences" not in p, p.keys()
    assert isinstance(r["sentences"], list) and all(isinstance(x, list) for x in r["sentences"])
    assert r["text"].count("\n") + 1 == len(r["sentences"]), r["id"]
    assert " ".join(s for para in r["sentences"] for s in para).split() == r["text"].split(), r["id"]
    del r["sentences"]
    assert r == p, r["id"]
assert recs[0]["id"] == "a/0000", recs[0]["id"]
PY

# JSON Lines input: `text` (or `content`), `id` when present, other fields into metadata; a
# malformed line and a record without text fail alone, naming file and line.
python3 - <<'PY'
import json
from pathlib import Path
p = [l for l in Path("tree/a/0000.txt").read_text(encoding="utf-8").splitlines()]
q = [l for l in Path("tree/a/0001.txt").read_text(encoding="utf-8").splitlines()]
with open("in.jsonl", "w", encoding="utf-8") as f:
    f.write(json.dumps({"id": "doc-1", "title": p[0], "text": "\n".join(p[1:]), "url": "http://x/1", "tags": [1, 2]}, ensure_ascii=False) + "\n")
    f.write("{not json\n")
    f.write(json.dumps({"id": "doc-3", "body": "no text here"}) + "\n")
    f.write("\n")
    f.write(json.dumps({"content": "\n\n".join(q[1:]), "title": q[0]}, ensure_ascii=False) + "\n")
PY
run 1 "$bin" --format jsonl in.jsonl
expect_in err "decruft: in.jsonl:2: invalid JSON"
expect_in err "decruft: in.jsonl:3: record has no string 'text' field"
python3 - out <<'PY' || fail "jsonl metadata"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert [r["id"] for r in recs] == ["doc-1", "in:5"], [r["id"] for r in recs]
assert recs[0]["metadata"] == {"url": "http://x/1", "tags": [1, 2]}, recs[0]["metadata"]
assert recs[0]["source"] == "in.jsonl:1"
assert recs[0]["title"] and recs[0]["text"].split("\n")[0] == recs[0]["title"], recs[0]["text"][:80]
PY
run 1 "$bin" in.jsonl -o jres
[ -s jres/in/doc-1.txt ] || fail "JSONL record file jres/in/doc-1.txt missing"
check_accounting jres/report.json
[ "$(json jres/report.json 'r["summary"]["failed"]')" = 2 ] || fail "two failed records expected"

# JSONL output to a directory: zstd shards and a manifest, readable as they are.
gen_articles many 40
run 0 "$bin" --format jsonl many -o shards --shard-size 20KB
n=$(ls shards/part-*.jsonl.zst | wc -l)
[ "$n" -ge 2 ] || fail "expected several shards, got $n"
zstd -dc shards/part-*.jsonl.zst >all.jsonl
python3 - all.jsonl shards/manifest.json shards/report.json <<'PY' || fail "shards"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
m = json.load(open(sys.argv[2]))
r = json.load(open(sys.argv[3]))
assert len(recs) == 40 == m["documents"] == r["summary"]["kept"], (len(recs), m["documents"])
assert m["compression"] == "zstd" and sum(s["documents"] for s in m["shards"]) == 40
assert [d["id"] for d in recs] == [f"{i:04d}" for i in range(40)], "input order"
assert all(d["output"].startswith("part-") for d in r["documents"])
PY
# A rerun with fewer documents leaves no stale shard behind.
run 0 "$bin" --format jsonl many/0000.txt -o shards --shard-compression none
[ "$(ls shards/part-* | tr '\n' ' ')" = "shards/part-00000.jsonl " ] || fail "stale shards: $(ls shards)"
# Output order and results do not depend on -j; --stats-json holds the tool's per-step numbers.
run 0 "$bin" many -j1 --stats-json s1.json
cp out j1.txt
run 0 "$bin" many -j2 --stats-json s2.json --stats
cmp -s j1.txt out || fail "-j2 output differs from -j1"
expect_in err "near_dedup"
expect_in err "40 documents: 40 kept, 0 dropped, 0 failed"
python3 - s1.json s2.json <<'PY' || fail "stats-json"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
strip = lambda s: [{k: v for k, v in x.items() if k != "seconds"} for x in s]
assert strip(a) == strip(b), "per-step stats differ between -j1 and -j2"
assert a[0]["step"] == "decode" and a[0]["docs_in"] == 40, a[0]
PY
echo ok
