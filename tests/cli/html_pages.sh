#!/usr/bin/env bash
# HTML pages through the real binary: article kept, furniture dropped with evidence in
# `explain`, legacy Arabic charsets decoded, an HTML field of JSON Lines, junk is a per-document
# error (exit 1) that does not stop the run.
set -euo pipefail
bin=$1; src=$2
pages=$src/tests/testdata/html
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "html_pages: $*" >&2; exit 1; }

out=$("$bin" -q "$pages/news_article.html")
grep -q "The old harbour bridge reopened" <<<"$out" || fail "article paragraph missing"
[[ $(head -n1 <<<"$out") == "Harbour bridge reopens after repairs" ]] || fail "title not first: $(head -n1 <<<"$out")"
! grep -q "Share on Facebook" <<<"$out" || fail "share buttons kept"
! grep -q "Copyright 2024" <<<"$out" || fail "footer kept"
! grep -q "City council approves" <<<"$out" || fail "related teaser kept"

ex=$("$bin" explain --color never "$pages/news_article.html")
grep -q "html_boilerplate" <<<"$ex" || fail "explain shows no html_boilerplate drop"
grep -q "evidence: in <nav>" <<<"$ex" || fail "explain shows no nav evidence"

for f in arabic_windows1256 arabic_windows1256_wrong_decl arabic_iso8859_6 arabic_utf16le_bom; do
  t=$("$bin" -q "$pages/$f.html")
  grep -q "أعلنت وزارة الصحة" <<<"$t" || fail "$f: Arabic text not decoded"
done

# JSONL records with an `html` field; metadata comes back in the record.
python3 - "$pages/news_article.html" >"$tmp/pages.jsonl" <<'PY'
import json, sys
page = open(sys.argv[1], encoding="utf-8").read()
print(json.dumps({"id": "p1", "html": page}))
PY
j=$("$bin" -q --format jsonl "$tmp/pages.jsonl")
grep -q '"url":"https://example.org/news/harbour-bridge"' <<<"$j" || fail "metadata url missing from JSONL: $j"
grep -q "The old harbour bridge reopened" <<<"$j" || fail "JSONL html field not extracted"

# Binary junk named .html: a clear per-document error, the other page still processed.
head -c 20000 /dev/urandom >"$tmp/junk.html"
cp "$pages/news_article.html" "$tmp/ok.html"
set +e
"$bin" "$tmp/junk.html" "$tmp/ok.html" -o "$tmp/out" 2>"$tmp/err"
rc=$?
set -e
[[ $rc == 1 ]] || fail "junk page: expected exit 1, got $rc"
grep -q "junk.html" "$tmp/err" || fail "error does not name the page: $(cat "$tmp/err")"
[[ -s $tmp/out/ok.txt ]] || fail "the good page was not written"
echo "html_pages: ok"
