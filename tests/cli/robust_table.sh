#!/usr/bin/env bash
# Issue 7's table of broken inputs, in one tree: each has a defined outcome, one bad file costs
# one document (named on stderr and in the report), and the report accounts for everything:
# documents_in == kept + dropped + failed.
source "$(dirname "$0")/lib/common.bash"

gen_articles t 3                          # t/0000.txt t/0001.txt t/0002.txt: good documents
# invalid UTF-8: repaired with U+FFFD, counted, kept
{ head -3 t/0000.txt | sed 's/الوزارة/الوز\xffارة/'; } >t/invalid-utf8.txt
gen_articles nul 1
# a few NUL bytes inside text: removed, kept
python3 -c "
d=open('nul/0000.txt','rb').read(); i=d.index(b' ', 200)
open('t/nul-bytes.txt','wb').write(d[:i]+b'\0'+d[i:]+b'\0')"
# a binary file named .txt: failed as binary
head -c 4096 /bin/ls >t/binary.txt
# an empty file, and one of blanks only: dropped as empty_doc
: >t/empty.txt
printf ' \n\t\n\n' >t/blank.txt
# HTML nested 100,000 deep: handled (kept or dropped), never a crash
python3 -c "
print('<html><body>' + '<div>'*100000 + '<p>أعلنت الوزارة اليوم عن مشروع جديد في المدينة لتطوير الطرق والمياه والكهرباء وخدمة المواطنين.</p>' + '</div>'*100000 + '</body></html>')" >t/deep.html
# truncated .gz and .zst: failed
gen_articles z 2
gzip -c z/0000.txt | head -c 200 >t/trunc.txt.gz
zstd -q -c z/0001.txt | head -c 200 >t/trunc.txt.zst
# JSON Lines: a malformed line and a record without text fail alone; the others go on
python3 - <<'PY'
import json
t = open("z/0000.txt", encoding="utf-8").read()
with open("t/records.jsonl", "w", encoding="utf-8") as f:
    f.write(json.dumps({"id": "r1", "text": t}, ensure_ascii=False) + "\n")
    f.write('{"id": "r2", "text": "unterminated\n')
    f.write(json.dumps({"id": "r3", "title": "no text"}) + "\n")
    f.write("[1, 2]\n")
    f.write(json.dumps({"id": "r5", "text": open("z/0001.txt", encoding="utf-8").read()}, ensure_ascii=False) + "\n")
PY
# unreadable files (as root): a dangling symbolic link, and a link loop
ln -s does-not-exist t/dangling.txt
ln -s loop.txt t/loop.txt
# a symbolic link to a directory up the tree (a loop if followed): not followed
ln -s .. t/up

run 1 "$bin" t /proc/self/mem -o res
r=res/report.json
check_accounting $r
expect() {
  local got; got=$(status_of $r "$1")
  case "$got" in $2) ;; *) fail "$1: got '$got', expected '$2'" ;; esac
}
expect t/0000.txt kept
expect t/invalid-utf8.txt kept
[ "$(json $r '[d for d in r["documents"] if d["source"].endswith("invalid-utf8.txt")][0]["repaired_bytes"] >= 1')" = True ] || fail "repaired_bytes"
expect t/nul-bytes.txt kept
expect t/binary.txt "failed *binary data*"
expect t/empty.txt "dropped empty_doc"
expect t/blank.txt "dropped empty_doc"
expect t/deep.html "[kd]*"  # kept or dropped, not failed
expect t/trunc.txt.gz "failed *truncated gzip data*"
expect t/trunc.txt.zst "failed *truncated zstd data*"
expect t/records.jsonl:1 kept
expect t/records.jsonl:2 "failed *records.jsonl:2: invalid JSON*"
expect t/records.jsonl:3 "failed *records.jsonl:3: record has no string 'text' field*"
expect t/records.jsonl:4 "failed *must be an object*"
expect t/records.jsonl:5 kept
expect t/dangling.txt "failed *"
expect t/loop.txt "failed *"
expect /proc/self/mem "failed *read error*"
# Each failure is named on stderr, prefixed.
for s in binary.txt trunc.txt.gz trunc.txt.zst records.jsonl:2 records.jsonl:3 dangling.txt loop.txt /proc/self/mem; do
  expect_in err "$s"
done
expect_in err "t/up: symbolic link to a directory, not followed"
[ "$(json $r 'r["summary"]["documents_in"]')" = 19 ] || fail "documents_in: $(json $r 'r["summary"]')"
[ "$(json $r 'r["summary"]["failed"]')" = 9 ] || fail "failed: $(json $r 'r["summary"]')"
# The kept documents' files exist; failed and dropped ones have none.
[ -s res/invalid-utf8.txt ] && [ -s res/records/r1.txt ] && [ -s res/records/r5.txt ] || fail "kept outputs missing: $(ls -R res)"
[ ! -e res/binary.txt ] && [ ! -e res/empty.txt ] && [ ! -e res/trunc.txt ] || fail "outputs for failed documents"
# The same run on one thread gives the same report, byte for byte.
run 1 "$bin" t /proc/self/mem -o res1 -j1
cmp -s res/report.json res1/report.json || fail "report differs between -j2 and -j1"
echo ok
