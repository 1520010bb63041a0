#!/usr/bin/env bash
# Readers: text scrapes (blank-line or single-newline paragraphs, CRLF, BOM), invalid UTF-8
# repaired and counted, .gz/.zst, JSON Lines on stdin, WARC (.warc and .warc.gz), directory trees.
source "$(dirname "$0")/lib/common.bash"

gen_articles base 1
f=base/0000.txt
"$bin" "$f" >expected.txt 2>/dev/null

# Blank-line-separated paragraphs, CRLF line ends and a BOM all give the same text.
sed 's/$/\n/' "$f" >blank.txt
sed 's/$/\r/' "$f" >crlf.txt
{ printf '\xef\xbb\xbf'; cat "$f"; } >bom.txt
for v in blank crlf bom; do
  "$bin" $v.txt >got.txt 2>/dev/null || fail "$v failed"
  cmp -s expected.txt got.txt || { diff expected.txt got.txt | head; fail "$v differs"; }
done

# Compressed inputs are read transparently.
gzip -c "$f" >c.txt.gz
zstd -q -c "$f" >c.txt.zst
for v in c.txt.gz c.txt.zst; do
  "$bin" $v >got.txt 2>/dev/null || fail "$v failed"
  cmp -s expected.txt got.txt || fail "$v differs"
done
run 0 "$bin" c.txt.gz -o zout
[ -s zout/c.txt ] || fail "compressed input: output is not c.txt ($(ls zout))"

# Invalid UTF-8 is repaired with U+FFFD and counted, never a failure.
{ head -2 "$f"; printf 'كلمة \xff\xfe صحيحة \xc3 ثم نص طويل بما يكفي ليبقى في المقال بعد كل المرشحات المعتادة هنا.\n'; tail -n +3 "$f"; } >bad-utf8.txt
run 0 "$bin" --format jsonl bad-utf8.txt
python3 -c "
import json,sys
r=json.loads(open('out',encoding='utf-8').read())
assert r['repaired_bytes']==3, r.get('repaired_bytes')
assert '\ufffd' in r['text'] or any(x['text'].count('\ufffd') for x in r['removed'])
" || fail "invalid UTF-8 not repaired/counted"

# JSON Lines on stdin is recognised by its first line.
python3 -c "
import json
t=open('$f',encoding='utf-8').read().split('\n')
print(json.dumps({'id':'x1','title':t[0],'text':'\n'.join(t[1:])},ensure_ascii=False))
" >one.jsonl
"$bin" --format jsonl <one.jsonl >got.jsonl 2>err || fail "jsonl on stdin: $(cat err)"
python3 -c "import json; r=json.load(open('got.jsonl')); assert r['id']=='x1', r['id']" || fail "stdin JSONL not sniffed"

# WARC: only HTTP responses with HTML become documents; URL and date go into metadata.
python3 - <<'PY'
import gzip
page = ("<!DOCTYPE html><html><head><title>عنوان الصفحة</title></head><body><article>"
        + "".join(f"<p>أعلنت الوزارة اليوم عن مشروع جديد رقم {i} في المدينة لتطوير الطرق والمياه والكهرباء وخدمة المواطنين في كل الأحياء.</p>" for i in range(4))
        + "</article></body></html>").encode()
def record(kind, uri, payload, ctype):
    head = (f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-01-02T03:04:05Z\r\n"
            f"WARC-Record-ID: <urn:uuid:{abs(hash(uri)) % 10**8}>\r\nContent-Type: {ctype}\r\nContent-Length: {len(payload)}\r\n\r\n").encode()
    return head + payload + b"\r\n\r\n"
http = lambda ct, body: (f"HTTP/1.1 200 OK\r\nContent-Type: {ct}\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
recs = [record("warcinfo", "", b"software: test\r\n", "application/warc-fields"),
        record("request", "http://a.example/1", b"GET /1 HTTP/1.1\r\n\r\n", "application/http; msgtype=request"),
        record("response", "http://a.example/1", http("text/html; charset=utf-8", page), "application/http; msgtype=response"),
        record("response", "http://a.example/img.png", http("image/png", b"\x89PNG\r\n\x1a\n\0\0"), "application/http; msgtype=response"),
        record("response", "http://a.example/2", http("text/html", page.replace(b"0 ", b"7 ")), "application/http; msgtype=response")]
open("crawl.warc", "wb").write(b"".join(recs))
with open("crawl.warc.gz", "wb") as f:
    for r in recs:  # one gzip member per record, as Common Crawl does
        f.write(gzip.compress(r))
PY
for w in crawl.warc crawl.warc.gz; do
  run 0 "$bin" --format jsonl --disable near_dedup --disable exact_dedup $w
  python3 - out <<'PY' || fail "$w"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert len(recs) == 2, [r["source"] for r in recs]
assert recs[0]["metadata"]["url"] == "http://a.example/1", recs[0]["metadata"]
assert recs[0]["metadata"]["date"] == "2024-01-02T03:04:05Z"
assert recs[0]["source"].endswith("#3") and recs[1]["metadata"]["url"] == "http://a.example/2"
assert "مشروع جديد" in recs[0]["text"], recs[0]["text"][:200]
PY
done
run 0 "$bin" crawl.warc.gz -o wout --disable near_dedup
[ -s wout/crawl/000003.txt ] || fail "WARC output layout: $(find wout)"
check_accounting wout/report.json

# A truncated .warc.gz: the records before the damage, then one failed document.
head -c $(( $(stat -c %s crawl.warc.gz) - 40 )) crawl.warc.gz >cut.warc.gz
run 1 "$bin" --format jsonl --disable near_dedup --disable exact_dedup cut.warc.gz
[ "$(wc -l <out)" = 1 ] || fail "truncated WARC: expected the first page only"
expect_in err "cut.warc.gz: truncated gzip data"

# Directory trees recursively, in sorted order; hidden files skipped; -o DIR inside the input tree
# is not read back.
gen_articles tree/z 1
gen_articles tree/a/deep/er 1
echo "secret" >tree/.hidden.txt
run 0 "$bin" --format jsonl tree
[ "$(python3 -c "import json; print(' '.join(json.loads(l)['id'] for l in open('out')))")" = "a/deep/er/0000 z/0000" ] || fail "tree order: $(cat out | cut -c1-80)"
run 0 "$bin" tree -o tree/clean
run 0 "$bin" tree -o tree/clean
[ "$(json tree/clean/report.json 'r["summary"]["documents_in"]')" = 2 ] || fail "output dir read back as input"
echo ok
