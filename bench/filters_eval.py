#!/usr/bin/env python3
"""Measures the boilerplate filters on development data. Skips what is absent.

usage: bench/filters_eval.py [--bin build/decruft] [--data ../shared/datasets] [--limit N] [--show K]

1. seeds: raw/ against ../shared/gold/seeds (score.py's last line).
2. false positives: the 4,000 SaudiNewsNet articles written as text scrapes (title line, then
   one paragraph per line) and cleaned in one batch run (dedup off). Lines that are real scraper
   leftovers (share text, SMS footers, read-more tails, Next/Previous, bylines) are labelled by the
   patterns below, independently of decruft's rules. Reports the share of article tokens kept
   (target >= 99.5%) and the share of leftover lines removed, and lists the article lines removed.
3. appended stories: synthetic scrapes made of article A followed by article B (title + body),
   with and without page markers (captions twice + "TT" + title again), B unrelated or on the
   same topic; and long articles with synthetic subheadings, which must not be cut.
"""
import argparse, collections, json, os, pathlib, random, re, subprocess, sys, tempfile, unicodedata

ROOT = pathlib.Path(__file__).resolve().parent.parent
TOKEN = re.compile(r"\w+")
LEFTOVER = [re.compile(p) for p in [
    r"^\.*\s*المزيد\s*\.*$", r"^للتواصل", r"^\d{5,6}\s*-\s*(Zain|Stc|Mobily)$", r"SMS|sms",
    r"^Next Previous", r"^(Next|Previous)$", r"^[^\s]+\s[^\s]+\s[–-]\s[^\s]+(\s[^\s]+)?$",
    r"^عين اليوم\s*[–-]", r"^\*?\s*خدمة\s*«", r"^خاص بـ?«", r"^\*+\s*\*?$", r"^‫?\*?\s*تصوير",
    r"^[\w.]+@[\w.]+$", r"^(شارك|طباعة|واتساب|فيسبوك|تويتر)$", r"^https?://", r"^رابط الخبر",
]]


DROP = dict.fromkeys(map(ord, "\u0640\u200b\u200c\u200d\u200e\u200f\u061c\ufeff"))


def canon(line):
    """As score.py compares: NFKC, tatweel and zero-width removed, white space ignored."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", line).translate(DROP))


def is_leftover(line):
    s = line.strip()
    return len(s.split()) <= 12 and any(p.search(s) for p in LEFTOVER)


def run(binary, args):
    return subprocess.run([binary, *args], capture_output=True, text=True)


def seeds(binary):
    out = tempfile.mkdtemp()
    run(binary, [str(ROOT / "raw"), "-o", out, "-q"])
    r = subprocess.run([sys.executable, str(ROOT.parent / "shared/tools/score.py"), out,
                        str(ROOT.parent / "shared/gold/seeds")], capture_output=True, text=True)
    print("== seeds"); print(r.stdout.strip().splitlines()[-1])


def load_articles(data, limit):
    path = pathlib.Path(data) / "arabic-articles/saudinewsnet-2015-07.jsonl"
    if not path.exists():
        return None
    docs = [json.loads(l) for l in path.open(encoding="utf-8")]
    return docs[:limit] if limit else docs


def paragraphs(d):
    return [p.strip() for p in d["content"].split("\n") if p.strip()]


def false_positives(binary, docs, show):
    tmp = pathlib.Path(tempfile.mkdtemp())
    src = tmp / "in"; src.mkdir()
    lines_by_id = {}
    for d in docs:
        lines = [d["title"].strip()] + paragraphs(d)
        lines_by_id[d["id"]] = lines
        (src / f"{d['id']}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp / "out"
    run(binary, [str(src), "-o", str(out), "-q", "--format", "jsonl", "--shard-compression", "none",
                 "--disable", "exact_dedup", "--disable", "near_dedup"])
    art_tok = art_kept = left_lines = left_removed = 0
    removed = collections.Counter(); removed_examples = []; left_kept = []
    records = [l for part in sorted(out.glob("part-*.jsonl")) for l in part.open(encoding="utf-8")]
    for line in records:
        rec = json.loads(line)
        gone = collections.Counter()
        for r in rec["removed"]:
            gone[r["text"]] += 1
        for l in lines_by_id[rec["id"]]:
            l = " ".join(l.split())
            n = len(TOKEN.findall(l))
            hit = False
            for g in list(gone):
                if " ".join(g.split()) == l or TOKEN.findall(g) == TOKEN.findall(l):
                    gone[g] -= 1
                    if gone[g] == 0:
                        del gone[g]
                    hit = True
                    break
            if is_leftover(l):
                left_lines += 1; left_removed += hit
                if not hit:
                    left_kept.append(l[:100])
            else:
                art_tok += n; art_kept += 0 if hit else n
                if hit:
                    reason = next((r["reason"] for r in rec["removed"] if TOKEN.findall(r["text"]) == TOKEN.findall(l)), "?")
                    removed[reason] += n; removed_examples.append((n, reason, rec["id"], l[:110]))
    print(f"== false positives on {len(docs)} articles")
    print(f"article tokens kept: {art_kept}/{art_tok} = {100 * art_kept / max(1, art_tok):.3f}%"
          f"   removed by reason: {dict(removed.most_common())}")
    print(f"leftover lines removed: {left_removed}/{left_lines} = {100 * left_removed / max(1, left_lines):.1f}%")
    if os.environ.get("DECRUFT_EVAL_DEBUG"):
        for l in collections.Counter(left_kept).most_common(30):
            print("   leftover kept:", l)
    removed_examples.sort(reverse=True)
    for n, reason, i, l in removed_examples[:show]:
        print(f"   -{n:4d} {reason:18} {i} {l}")


def story_cases(binary, docs, n_cases, seed=7):
    rng = random.Random(seed)
    long_docs = [d for d in docs if len(paragraphs(d)) >= 3 and all(len(p.split()) >= 8 for p in paragraphs(d))]
    if len(long_docs) < 10:
        return
    tmp = pathlib.Path(tempfile.mkdtemp())

    def bag(d):
        return set(w for w in TOKEN.findall(d["content"]) if len(w) > 3)

    cases = []
    for k in range(n_cases):
        a, b = rng.sample(long_docs, 2)
        a_lines = [a["title"]] + paragraphs(a)
        b_lines = [b["title"]] + paragraphs(b)
        cases.append(("unrelated, no markers", a_lines, a_lines + b_lines))
        cap = f"{' '.join(b['title'].split()[:6])} في صورة أرشيفية (رويترز)"
        cases.append(("unrelated, markers", a_lines, a_lines + [b["title"], cap, cap, "TT", b["title"], cap, cap] + b_lines[1:]))
    # Same topic: B is the article sharing most words with A (but not a copy).
    bags = [bag(d) for d in long_docs[:800]]
    for k in range(n_cases):
        i = rng.randrange(len(bags))
        best, best_j = 0, None
        for j in range(len(bags)):
            if j == i: continue
            inter = len(bags[i] & bags[j]); jac = inter / max(1, len(bags[i] | bags[j]))
            if jac < 0.5 and inter > best:
                best, best_j = inter, j
        a, b = long_docs[i], long_docs[best_j]
        a_lines = [a["title"]] + paragraphs(a)
        cap = f"{' '.join(b['title'].split()[:6])} (أ.ف.ب)"
        cases.append(("same topic, markers", a_lines, a_lines + [b["title"], cap, cap, "TT", b["title"]] + paragraphs(b)))
        cases.append(("same topic, no markers", a_lines, a_lines + [b["title"]] + paragraphs(b)))
    # Long articles with subheadings made from their own sections: must stay whole.
    longer = [d for d in docs if len(paragraphs(d)) >= 8]
    for d in rng.sample(longer, min(n_cases, len(longer))):
        ps = paragraphs(d); lines = [d["title"]]
        for k, p in enumerate(ps):
            if k and k % 3 == 0:
                lines.append(" ".join(p.split()[:4]).rstrip("،.:"))
            lines.append(p)
        cases.append(("long with subheadings", lines, lines))
    src = tmp / "in"; src.mkdir()
    for k, (_, _, lines) in enumerate(cases):
        (src / f"c{k:04d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp / "out"
    run(binary, [str(src), "-o", str(out), "-q", "--disable", "exact_dedup", "--disable", "near_dedup",
                 "--disable", "corpus_lines"])
    ok = collections.Counter(); total = collections.Counter(); tok = collections.Counter()
    for k, (kind, expect, _) in enumerate(cases):
        f = out / f"c{k:04d}.txt"
        got = f.read_text(encoding="utf-8").split("\n") if f.exists() else []
        got = [canon(g) for g in got if g.strip()]
        exp = [canon(e) for e in expect if e.strip()]
        total[kind] += 1
        ok[kind] += got == exp
        if got != exp and os.environ.get("DECRUFT_EVAL_DEBUG"):
            print(f"   FAIL {kind}: {src / f'c{k:04d}.txt'}")
        e_t = collections.Counter(TOKEN.findall(" ".join(exp))); g_t = collections.Counter(TOKEN.findall(" ".join(got)))
        hit = sum((e_t & g_t).values())
        tok[kind, "p"] += hit; tok[kind, "o"] += sum(g_t.values()); tok[kind, "g"] += sum(e_t.values())
    print("== appended stories (exact = output is exactly the main article)")
    for kind in total:
        P = tok[kind, "p"] / max(1, tok[kind, "o"]); R = tok[kind, "p"] / max(1, tok[kind, "g"])
        print(f"{kind:26} exact {ok[kind]:3d}/{total[kind]:3d}   tokens P={P:.3f} R={R:.3f}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(ROOT / "build/decruft"))
    ap.add_argument("--data", default=str(ROOT.parent / "shared/datasets"))
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--show", type=int, default=25)
    ap.add_argument("--cases", type=int, default=100)
    ap.add_argument("--only", default="seeds,fp,stories")
    a = ap.parse_args()
    only = a.only.split(",")
    if "seeds" in only:
        seeds(a.bin)
    docs = load_articles(a.data, a.limit)
    if docs is None:
        print("datasets absent: skipping the false-positive and story measurements")
        return
    if "fp" in only:
        false_positives(a.bin, docs, a.show)
    if "stories" in only:
        story_cases(a.bin, docs, a.cases)


if __name__ == "__main__":
    main()
