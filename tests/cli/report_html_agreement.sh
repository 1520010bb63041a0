#!/usr/bin/env bash
# `decruft explain`, the HTML report (--report-html) and the JSONL output agree on every removed
# block: the multisets of (document, line, reason) are identical, and the page's counts are
# report.json's. Runs on raw/ (the seeds) and on a corpus built from them that makes the
# corpus-level steps fire (a line recurring in every document, exact and near duplicates), -j2.
# No browser needed (tests/cli/report_html_browser.sh loads the page in one).
source "$(dirname "$0")/lib/common.bash"

# compare NAME INPUT [OPTIONS...]: one corpus run (JSONL to stdout, report.json, report.html) and
# one explain run over the same input with the same options, then the three-way comparison.
compare() {
  local name=$1 input=$2
  shift 2
  run 0 "$bin" "$@" -j2 --format jsonl --report "$name.json" --report-html "$name.html" "$input"
  mv out "$name.jsonl"
  run 0 "$bin" "$@" explain "$input"
  mv out "$name.explain"
  python3 - "$name" <<'PY' || fail "$1: explain, the HTML report and the JSONL output disagree"
import collections, html.parser, json, re, sys
name = sys.argv[1]

def key(doc, line, reason):
    return (doc, int(line) if line not in (None, "", "-") else None, reason)

# JSONL: kept documents only, each with its removed blocks.
jsonl, kept_ids = collections.Counter(), set()
for l in open(name + ".jsonl", encoding="utf-8"):
    d = json.loads(l)
    kept_ids.add(d["id"])
    for r in d["removed"]:
        jsonl[key(d["id"], r.get("line"), r["reason"])] += 1

# explain: every document; "# ID  (SOURCE)", then "LINE DROP step/reason text" per removed block.
explain, explain_kept, doc, dropped = collections.Counter(), set(), None, False
for l in open(name + ".explain", encoding="utf-8"):
    if l.startswith("# "):
        doc, dropped = l[2:].rsplit("  (", 1)[0], False
        explain_kept.add(doc)
        continue
    if l.startswith("  DOCUMENT DROPPED:") or l.startswith("  FAILED:"):
        explain_kept.discard(doc)
        continue
    m = re.match(r"^\s*(\d+|-) DROP (\S+)/(\S+) ", l)
    if m and doc in kept_ids:
        explain[key(doc, m.group(1), m.group(3))] += 1

# The page: <section class="doc" data-id data-status> ... <del data-reason data-line>.
class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.removed, self.kept, self.sections, self.counts, self.doc, self.status = collections.Counter(), set(), 0, {}, None, None
        self.cell = None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section" and "doc" in a.get("class", "").split():
            self.sections += 1
            self.doc, self.status = a["data-id"], a["data-status"]
            if self.status == "kept":
                self.kept.add(self.doc)
        elif tag == "del" and self.status == "kept":
            self.removed[key(self.doc, a.get("data-line"), a["data-reason"])] += 1
        elif tag == "td" and "data-reason-count" in a:
            self.cell = a["data-reason-count"]
    def handle_data(self, data):
        if self.cell:
            self.counts[self.cell] = int(data)
            self.cell = None
page = Page()
page.feed(open(name + ".html", encoding="utf-8").read())
report = json.load(open(name + ".json", encoding="utf-8"))["summary"]

ok = True
def check(what, a, b):
    global ok
    if a != b:
        ok = False
        print(f"{name}: {what} differ:\n  only in the first: {sorted((a - b).items())[:10]}\n"
              f"  only in the second: {sorted((b - a).items())[:10]}", file=sys.stderr)
check("JSONL and explain removed blocks", jsonl, explain)
check("JSONL and HTML removed blocks", jsonl, page.removed)
if not (kept_ids == explain_kept == page.kept):
    ok = False
    print(f"{name}: kept documents differ: jsonl {len(kept_ids)}, explain {len(explain_kept)}, html {len(page.kept)}",
          file=sys.stderr)
by_reason = collections.Counter()
for (_, _, reason), n in jsonl.items():
    by_reason[reason] += n
if dict(by_reason) != report["blocks_removed_by_reason"] or page.counts != report["blocks_removed_by_reason"]:
    ok = False
    print(f"{name}: counts differ: jsonl {dict(by_reason)} html {page.counts} report.json "
          f"{report['blocks_removed_by_reason']}", file=sys.stderr)
if page.sections != report["documents_in"]:
    ok = False
    print(f"{name}: {page.sections} document sections for {report['documents_in']} documents", file=sys.stderr)
print(f"{name}: {sum(jsonl.values())} removed blocks in {len(kept_ids)} kept documents agree; "
      f"reasons {sorted(by_reason)}; documents dropped {report['dropped_by_reason']}")
sys.exit(0 if ok else 1)
PY
}

compare seeds "$src/raw"

# A corpus where corpus_lines, exact_dedup and near_dedup fire: each seed three times with a line
# recurring in every document, the third copy without its first paragraph.
mkdir corpus
for f in "$src"/raw/*.txt; do
  b=$(basename "$f" .txt)
  { cat "$f"; printf '\nهيئة التحرير المركزية في العاصمة الإدارية الجديدة\n'; } >"corpus/a_$b.txt"
  cp "corpus/a_$b.txt" "corpus/b_$b.txt"
  { head -1 "$f"; tail -n +3 "$f"; printf '\nهيئة التحرير المركزية في العاصمة الإدارية الجديدة\n'; } >"corpus/c_$b.txt"
done
compare corpus corpus
# The run really exercised the corpus-level steps and the clusters.
[ "$(json corpus.json 'r["summary"]["dropped_by_reason"].get("duplicate_doc", 0)')" -ge 5 ] ||
  fail "no exact duplicates in the generated corpus"
expect_in corpus.html 'data-clusters="'
[ "$(json corpus.json 'r["summary"]["blocks_removed_by_reason"].get("corpus_boilerplate", 0)')" -ge 5 ] ||
  fail "the recurring line was not removed as corpus_boilerplate"

# The same page whatever -j is (the timings aside).
run 0 "$bin" -j1 --format jsonl --report-html j1.html "$src/raw"
run 0 "$bin" -j2 --format jsonl --report-html j2.html "$src/raw"
strip() { sed -E 's#<td class="n">[0-9.]+</td><td>#<td class="n">T</td><td>#' "$1"; }
diff <(strip j1.html) <(strip j2.html) >/dev/null || fail "-j1 and -j2 pages differ"

# Writing the page fails cleanly (status 2, message naming the file) when it cannot be written.
run 2 "$bin" --report-html /proc/decruft-no-such-dir/report.html "$src/raw/000_62f8316c858fee73.txt"
expect_in err "decruft: "
echo "ok"
