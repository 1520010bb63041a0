#!/usr/bin/env bash
# Output that cannot be written: an output "directory" that is a file, a read-only file system,
# a full disk (a small tmpfs). Status 2, a message naming the path and the cause, and no partial
# or temporary files left behind.
source "$(dirname "$0")/lib/common.bash"
gen_articles in 30

# -o naming a file: usage/output error before any work.
: >a-file
run 2 "$bin" in -o a-file
expect_in err "decruft: a-file: output directory cannot be written"
run 2 "$bin" in -o a-file/sub
expect_in err "decruft: a-file/sub: output directory cannot be written"
# --report into a missing, uncreatable place.
run 2 "$bin" in -o ok --report a-file/report.json
expect_in err "decruft: a-file/report.json"

mkdir -p mnt
if ! mount -t tmpfs -o size=64k tmpfs mnt 2>/dev/null; then
  echo "SKIP (partly): cannot mount a tmpfs here; the read-only and full-disk cases need one" >&2
  exit 77
fi
trap 'umount "$work/mnt" 2>/dev/null || true; rm -rf "$work"' EXIT

# A full disk: the run stops with status 2 and names the cause; every file left is whole (no
# temporary files), and each kept document whose file exists is a complete rendering.
python3 - <<'PY'
import os
from pathlib import Path
for i in range(60):
    Path(f"big/{i:03d}.txt").parent.mkdir(exist_ok=True)
    Path(f"big/{i:03d}.txt").write_text(
        f"عنوان {i}\n" + "\n".join(f"أعلنت الوزارة في البيان رقم {i}-{j} عن مشروع {j * i} في المدينة لتطوير الطرق والمياه والكهرباء وخدمة المواطنين والطلاب في كل الأحياء." for j in range(12)) + "\n",
        encoding="utf-8")
PY
run 2 "$bin" big -o mnt/out -j2
expect_in err "No space left on device"
[ -z "$(find mnt -name '*.tmp*')" ] || fail "temporary files left on the full disk: $(find mnt -name '*.tmp*')"
for f in mnt/out/*.txt; do
  [ -e "$f" ] || continue
  cmp -s "$f" <("$bin" "big/$(basename "$f")" 2>/dev/null) || fail "$f is not a complete document"
done
# JSONL shards on a full disk: no partial shard, and no manifest of an earlier run left to
# describe shards that are partly this run's.
rm -rf mnt/out
mkdir mnt/out
echo '{"format":"jsonl","shards":[]}' >mnt/out/manifest.json
run 2 "$bin" big -o mnt/out --format jsonl --shard-compression none
[ -z "$(find mnt -name '*.tmp*' -o -name '.part-*')" ] || fail "partial shard left: $(find mnt)"
[ ! -e mnt/out/manifest.json ] || fail "an earlier run's manifest.json was left after a failed run"

# A read-only file system.
umount mnt
mount -t tmpfs -o size=64k,ro tmpfs mnt
run 2 "$bin" in -o mnt/out
expect_in err "decruft: mnt/out: output directory cannot be written"
echo ok
