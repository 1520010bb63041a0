#!/usr/bin/env bash
# Slow (ctest label "slow"): a 200 MB single line and a document of a million lines.
# A 200 MB line is larger than --max-bytes (64 MiB): that document fails with a message and is
# never held whole in memory (the reader skips it); the next record goes on. A million-line
# document (56 MB) is processed as one document.
source "$(dirname "$0")/lib/common.bash"
command -v /usr/bin/time >/dev/null || skip "needs /usr/bin/time"
# Under AddressSanitizer, shadow memory and the free quarantine inflate RSS: no RSS bound then.
rss_limit=300000
grep -q __asan_init "$bin" && rss_limit=1000000

# 200 MB on one line, as a text file and as a JSON Lines record between two good ones.
python3 - <<'PY'
import json
chunk = ("أعلنت الوزارة " * 4096).encode()
with open("line.txt", "wb") as f:
    for _ in range(200 * 2**20 // len(chunk) + 1):
        f.write(chunk)
    f.write(b"\n")
good = json.dumps({"id": "ok", "text": "عنوان الخبر\n" + "أعلنت الوزارة اليوم عن مشروع جديد في المدينة لتطوير الطرق والمياه والكهرباء وخدمة المواطنين في كل الأحياء."}, ensure_ascii=False).encode()
with open("line.jsonl", "wb") as f:
    f.write(good + b"\n")
    f.write(b'{"id": "huge", "text": "')
    for _ in range(200 * 2**20 // len(chunk) + 1):
        f.write(chunk)
    f.write(b'"}\n')
    f.write(good.replace(b'"ok"', b'"ok2"').replace("المدينة".encode(), "القرية".encode()) + b"\n")
PY
/usr/bin/time -f "%M" -o rss "$bin" line.txt -o r1 >out 2>err && fail "200 MB line: expected status 1"
expect_in err "line.txt: larger than 67108864 bytes (--max-bytes)"
[ "$(tail -1 rss)" -lt $rss_limit ] || fail "200 MB line read into memory: peak RSS $(tail -1 rss) KB"
check_accounting r1/report.json

/usr/bin/time -f "%M" -o rss "$bin" line.jsonl -o r2 >out 2>err && fail "200 MB record: expected status 1"
expect_in err "line.jsonl:2: line of"
[ "$(tail -1 rss)" -lt $rss_limit ] || fail "200 MB record read into memory: peak RSS $(tail -1 rss) KB"
check_accounting r2/report.json
[ "$(json r2/report.json '[d["status"] for d in r["documents"]]')" = "['kept', 'failed', 'kept']" ] || fail "records around the huge one"

# A million lines, one document.
python3 - <<'PY'
import random
w = "الوزارة الحكومة المدينة المستشفى الطلاب الجامعة الاقتصاد السوق النفط الرياض".split()
r = random.Random(1)
with open("million.txt", "w", encoding="utf-8") as f:
    for i in range(1_000_000):
        f.write(" ".join(r.choice(w) for _ in range(4)) + "\n")
PY
run 0 "$bin" million.txt -o r3 -j2
check_accounting r3/report.json
[ "$(json r3/report.json 'r["documents"][0]["blocks"]')" = 1000000 ] || fail "million lines: $(json r3/report.json 'r["documents"][0]["blocks"]') blocks"
echo ok
