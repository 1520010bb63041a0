#!/usr/bin/env bash
# Seeing a run without the HTML page: the progress line (documents, MB/s, ETA) on stderr only
# when stderr is a terminal during a batch run, silent otherwise; --stats (a per-step table) and
# --stats-json FILE (per step: documents, blocks and bytes in and out, time), consistent with
# report.json and --steps.
source "$(dirname "$0")/lib/common.bash"

# Not a terminal (as under ctest): no progress line, whatever the output.
run 0 "$bin" "$src/raw" -o clean
if grep -q $'\r' err || grep -q "MB/s" err; then fail "progress printed while stderr is not a terminal"; fi

# On a terminal (a pseudo-terminal from script(1), util-linux): progress for batch runs.
if command -v script >/dev/null 2>&1 && script -qec true /dev/null >/dev/null 2>&1; then
  tty_run() { script -qec "$1" tty.log >/dev/null 2>&1 || fail "'$1' failed under script: $(cat tty.log)"; }
  tty_run "'$bin' '$src/raw' -o tty-out"
  grep -q "MB/s" tty.log || fail "no progress line on a terminal: $(cat -v tty.log)"
  grep -qE $'\rdecruft: 5 documents \\(5 kept, 0 dropped, 0 failed\\), [0-9.]+ MB, [0-9.]+ MB/s in [0-9.]+ s' tty.log ||
    fail "final progress line: $(cat -v tty.log)"
  tty_run "'$bin' '$src/raw' >stdout.txt"            # files to a redirected stdout: a batch run
  grep -q "MB/s" tty.log || fail "no progress for a batch run to a redirected stdout"
  tty_run "'$bin' --quiet '$src/raw' -o tty-out"
  ! grep -q "MB/s" tty.log || fail "progress despite --quiet"
  tty_run "'$bin' '$src/raw/000_62f8316c858fee73.txt'"  # documents to the terminal: no progress
  ! grep -q "MB/s" tty.log || fail "progress garbling documents on the terminal"
  tty_run "'$bin' <'$src/raw/000_62f8316c858fee73.txt' >piped.txt"  # pipe mode
  ! grep -q "MB/s" tty.log || fail "progress in pipe mode"
else
  echo "note: script(1) not available: the terminal cases are not checked" >&2
fi

# --stats: the table on stderr, one row per step, in pipeline order.
run 0 "$bin" "$src/raw" -o stats-out --stats --stats-json stats.json
head -1 err | grep -qE '^step +docs_in +docs_out +blocks_in +blocks_out +bytes_in +bytes_out +ms +dropped$' ||
  fail "--stats header: $(head -1 err)"
mv err table.txt
run 0 "$bin" --steps
awk '{print $1}' out >steps.txt
python3 - <<'PY' || fail "--stats / --stats-json disagree with --steps or report.json"
import json, re, sys
steps = open("steps.txt").read().split()
table = open("table.txt", encoding="utf-8").read().splitlines()
stats = json.load(open("stats.json", encoding="utf-8"))
report = json.load(open("stats-out/report.json", encoding="utf-8"))
s = report["summary"]
ok = True
def bad(msg):
    global ok
    ok = False
    print("FAIL:", msg, file=sys.stderr)
names = [st["step"] for st in stats]
if names != steps:
    bad(f"--stats-json steps {names} != --steps {steps}")
rows = [l.split()[0] for l in table[1:1 + len(steps)]]
if rows != steps:
    bad(f"--stats rows {rows} != --steps {steps}")
keys = {"step", "docs_in", "docs_out", "docs_dropped", "blocks_in", "blocks_out", "blocks_dropped", "bytes_in",
        "bytes_out", "seconds"}
removed = {}
for st in stats:
    if set(st) != keys:
        bad(f"{st['step']}: keys {sorted(st)}")
    if st["blocks_in"] > 0 and st["blocks_in"] - st["blocks_out"] != sum(st["blocks_dropped"].values()):
        bad(f"{st['step']}: blocks_in - blocks_out != dropped")  # (the blocks step makes them: 0 in)
    if st["docs_in"] - st["docs_out"] != sum(st["docs_dropped"].values()):
        bad(f"{st['step']}: docs_in - docs_out != dropped")
    if st["seconds"] < 0:
        bad(f"{st['step']}: negative time")
    for k, v in st["blocks_dropped"].items():
        removed[k] = removed.get(k, 0) + v
    # The table shows the same figures.
    row = next(l for l in table if l.split()[0] == st["step"]).split()
    if [int(x) for x in row[1:7]] != [st[k] for k in ("docs_in", "docs_out", "blocks_in", "blocks_out", "bytes_in", "bytes_out")]:
        bad(f"{st['step']}: table row {row[1:7]} != json")
if stats[0]["docs_in"] != s["documents_in"]:
    bad(f"decode docs_in {stats[0]['docs_in']} != documents_in {s['documents_in']}")
if s["dropped"] == 0 and removed != s["blocks_removed_by_reason"]:
    bad(f"blocks dropped by the steps {removed} != report.json {s['blocks_removed_by_reason']}")
last = [st for st in stats if st["docs_in"] > 0][-1]
if last["docs_out"] != s["kept"]:
    bad(f"last step docs_out {last['docs_out']} != kept {s['kept']}")
print(f"{len(stats)} steps; table == json; blocks removed {sum(removed.values())} == report.json")
sys.exit(0 if ok else 1)
PY
echo "ok"
