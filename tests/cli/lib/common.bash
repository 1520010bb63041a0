# Shared helpers for tests/cli/*.sh (sourced; not a test itself).
# Each test is run as `bash script BINARY SOURCE_DIR`; exit 77 means skipped.
set -euo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")   # absolute: the tests cd into a scratch dir
src=$(cd "$2" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/decruft-cli.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
cd "$work"

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*" >&2; exit 77; }

# run EXPECTED_STATUS CMD...: runs CMD, stdout to ./out, stderr to ./err, checks the status.
run() {
  local want=$1; shift
  local got=0
  "$@" >out 2>err || got=$?
  if [ "$got" != "$want" ]; then
    echo "--- stdout"; head -c 2000 out; echo "--- stderr"; head -c 2000 err
    fail "'$*' exited $got, expected $want"
  fi
}

# expect_in FILE TEXT: FILE contains TEXT (fixed string).
expect_in() { grep -qF -- "$2" "$1" || { echo "--- $1:"; head -c 2000 "$1"; fail "'$2' not in $1"; }; }
expect_not_in() { ! grep -qF -- "$2" "$1" || fail "'$2' unexpectedly in $1"; }

# json FILE EXPR: evaluates a Python expression over the parsed JSON document `r`.
json() { python3 - "$1" "$2" <<'PY'
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
print(eval(sys.argv[2]))
PY
}

# check_accounting REPORT: documents_in == kept + dropped + failed, the per-reason counts add up,
# and the documents array lists every input document once with its status.
check_accounting() { python3 - "$1" <<'PY'
import json, sys, collections
r = json.load(open(sys.argv[1], encoding="utf-8"))
s = r["summary"]
assert s["documents_in"] == s["kept"] + s["dropped"] + s["failed"], s
assert s["dropped"] == sum(s["dropped_by_reason"].values()), s
docs = r["documents"]
assert len(docs) == s["documents_in"], (len(docs), s)
c = collections.Counter(d["status"] for d in docs)
assert c["kept"] == s["kept"] and c["dropped"] == s["dropped"] and c["failed"] == s["failed"], (c, s)
for d in docs:
    assert d["status"] in ("kept", "dropped", "failed"), d
    if d["status"] == "failed":
        assert d["error"], d
    if d["status"] == "dropped":
        assert d["reason"], d
removed = collections.Counter()
for d in docs:
    if d["status"] == "kept":
        removed.update(d["removed_by_reason"])
assert dict(removed) == s["blocks_removed_by_reason"], (removed, s["blocks_removed_by_reason"])
PY
}

# status_of REPORT SOURCE_SUFFIX: the status of the document whose source ends with the suffix.
status_of() { python3 - "$1" "$2" <<'PY'
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
m = [d for d in r["documents"] if d["source"].endswith(sys.argv[2])]
if not m:
    print("missing")
else:
    d = m[0]
    extra = d.get("reason", d.get("error", ""))
    print(d["status"] + (" " + extra if extra else ""))
PY
}

# gen_articles DIR N [EXT]: N distinct small Arabic articles (title line + paragraphs), DIR/NNNN.EXT.
# Words are drawn at random (seeded by the index), so no two are (near-)duplicates.
gen_articles() { python3 - "$1" "$2" "${3:-txt}" <<'PY'
import os, random, sys, zlib
d, n, ext = sys.argv[1], int(sys.argv[2]), sys.argv[3]
words = ("الوزارة الحكومة المدينة المستشفى الطلاب الجامعة الاقتصاد السوق النفط الرياض جدة مكة "
         "المشروع التعليم الصحة الملك الأمير المجلس القرار الشركة المواطنين البرنامج الخطة العام "
         "الماضي الجديد الكبير الدولي المحلي التنمية الطرق المياه الكهرباء الزراعة السياحة الثقافة "
         "الرياضة الفريق المباراة الدوري البطولة المنتخب اللاعبين المدرب النادي الجمهور الموسم").split()
os.makedirs(d, exist_ok=True)
for i in range(n):
    rnd = random.Random(i * 7919 + 17 + zlib.crc32(d.encode()) * 1000003)
    lines = ["عنوان " + " ".join(rnd.choice(words) for _ in range(6))]
    for _ in range(rnd.randint(3, 6)):
        lines.append("أعلنت " + " ".join(rnd.choice(words) for _ in range(rnd.randint(25, 45))) + ".")
    with open(os.path.join(d, f"{i:04d}.{ext}"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
PY
}
