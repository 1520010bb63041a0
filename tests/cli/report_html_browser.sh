#!/usr/bin/env bash
# The HTML report in a real browser: Debian's chromium, headless, loads the page of a run on the
# seeds (raw/), and
#   - the DOM the browser built has the expected counts: per reason, the struck-through blocks of
#     kept documents == report.json's blocks_removed_by_reason; one section per document;
#   - each block's computed direction is rtl when most of its letters are Arabic, ltr when Latin;
#     removed blocks are computed line-through; every chart bar has a rendered width;
#   - a screenshot is taken (1200x2000) and is not blank.
# Skips (77) when chromium is not installed, unless DECRUFT_REQUIRE_BROWSER=1 (CI sets it: there
# a missing browser is a failure, not a skip). DECRUFT_SCREENSHOT=FILE copies the screenshot out
# (docs/report-seeds.png is made that way).
source "$(dirname "$0")/lib/common.bash"

browser=""
for b in chromium chromium-browser; do
  if command -v "$b" >/dev/null 2>&1; then
    browser=$(command -v "$b")
    break
  fi
done
if [ -z "$browser" ]; then
  [ "${DECRUFT_REQUIRE_BROWSER:-0}" = 1 ] && fail "chromium is not installed (apt-get install chromium)"
  skip "chromium is not installed"
fi

# Headless, offline, no profile left behind; --no-sandbox because CI runs as root.
chrome() {
  local profile
  profile=$(mktemp -d "$work/profile.XXXXXX")
  timeout 180 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --disable-dev-shm-usage \
    --hide-scrollbars --user-data-dir="$profile" "$@" 2>>chrome.log
}

run 0 "$bin" "$src/raw" -o clean --report-html report.html
[ -s report.html ] || fail "no report.html"

# 1. The page as the browser parsed it, with a probe script added to a copy (the report itself
#    has no script): it records what the browser computed into the DOM, which --dump-dom prints.
python3 - <<'PY'
page = open("report.html", encoding="utf-8").read()
probe = r"""<script>
const out = {sections: 0, kept_sections: 0, removed: {}, blocks: [], bars: [], cards: {}};
out.sections = document.querySelectorAll('section.doc').length;
out.kept_sections = document.querySelectorAll('section.doc[data-status="kept"]').length;
for (const d of document.querySelectorAll('section.doc[data-status="kept"] del[data-reason]')) {
  out.removed[d.dataset.reason] = (out.removed[d.dataset.reason] || 0) + 1;
}
for (const b of document.querySelectorAll('section.doc .b')) {
  const cs = getComputedStyle(b);
  out.blocks.push({text: b.textContent, dir: cs.direction, tag: b.tagName,
                   line: cs.textDecorationLine, width: b.getBoundingClientRect().width});
}
for (const r of document.querySelectorAll('#reason-chart rect')) {
  out.bars.push({reason: r.parentNode.dataset.reason, width: r.getBoundingClientRect().width});
}
for (const c of document.querySelectorAll('[data-summary]')) {
  out.cards[c.dataset.summary] = c.querySelector('.v').textContent;
}
const pre = document.createElement('pre');
pre.id = 'probe';
pre.textContent = JSON.stringify(out);
document.body.appendChild(pre);
</script>"""
open("probe.html", "w", encoding="utf-8").write(page.replace("</body>", probe + "\n</body>"))
PY
chrome --dump-dom "file://$work/probe.html" >dom.html || { tail -20 chrome.log; fail "chromium --dump-dom failed"; }
grep -q 'id="probe"' dom.html || { tail -20 chrome.log; fail "the browser did not run the probe"; }

python3 - <<'PY' || fail "the DOM the browser built does not match report.json"
import html, json, re, sys, unicodedata
dom = open("dom.html", encoding="utf-8").read()
probe = json.loads(html.unescape(re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S).group(1)))
report = json.load(open("clean/report.json", encoding="utf-8"))["summary"]
ok = True
def bad(msg):
    global ok
    ok = False
    print("FAIL:", msg, file=sys.stderr)

if probe["removed"] != report["blocks_removed_by_reason"]:
    bad(f"removed blocks by reason: DOM {probe['removed']} != report.json {report['blocks_removed_by_reason']}")
if probe["sections"] != report["documents_in"] or probe["kept_sections"] != report["kept"]:
    bad(f"sections: {probe['sections']} ({probe['kept_sections']} kept) for {report['documents_in']} documents")
if probe["cards"].get("documents_in") != str(report["documents_in"]):
    bad(f"summary card documents_in {probe['cards'].get('documents_in')}")
if {b["reason"] for b in probe["bars"]} != set(report["blocks_removed_by_reason"]) or \
        any(b["width"] < 1 for b in probe["bars"]):
    bad(f"chart bars: {probe['bars']}")

def majority(text):
    r = sum(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)
    l = sum(unicodedata.bidirectional(ch) == "L" for ch in text)
    return None if r == l == 0 else "rtl" if r >= l else "ltr"
rtl = ltr = 0
for b in probe["blocks"]:
    want = majority(b["text"])
    if want and b["dir"] != want:
        bad(f"block {b['text'][:60]!r}: direction {b['dir']}, expected {want}")
    rtl += b["dir"] == "rtl"
    ltr += b["dir"] == "ltr"
    if b["tag"] == "DEL" and "line-through" not in b["line"]:
        bad(f"removed block {b['text']!r} is not struck through ({b['line']})")
    if b["width"] <= 0:
        bad(f"block {b['text']!r} not rendered")
if rtl == 0:
    bad("no right-to-left block: the seeds are Arabic")
print(f"DOM: {probe['sections']} documents, {len(probe['blocks'])} blocks ({rtl} rtl, {ltr} ltr), "
      f"removed {sum(probe['removed'].values())} == report.json, {len(probe['bars'])} chart bars")
sys.exit(0 if ok else 1)
PY

# 2. The screenshot of the report itself (no probe).
chrome --screenshot="$work/shot.png" --window-size=1200,2000 "file://$work/report.html" >/dev/null ||
  { tail -20 chrome.log; fail "chromium --screenshot failed"; }
python3 - <<'PY' || fail "bad screenshot"
import struct, sys, zlib
data = open("shot.png", "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
w, h = struct.unpack(">II", data[16:24])
assert (w, h) == (1200, 2000), (w, h)
# Not blank: the decompressed rows hold many distinct byte values (a blank page has a handful).
idat, i = b"", 8
while i < len(data):
    n, kind = struct.unpack(">I4s", data[i:i + 8])
    if kind == b"IDAT":
        idat += data[i + 8:i + 8 + n]
    i += 12 + n
distinct = len(set(zlib.decompress(idat)))
assert distinct > 64, f"the screenshot looks blank ({distinct} distinct byte values)"
print(f"screenshot {w}x{h}, {len(data)} bytes")
PY
if [ -n "${DECRUFT_SCREENSHOT:-}" ]; then
  cp shot.png "$DECRUFT_SCREENSHOT"
fi
echo "ok"
