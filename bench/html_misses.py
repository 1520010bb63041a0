#!/usr/bin/env python3
"""Where the HTML extractor loses gold text and keeps extra text, per page and per reason.

usage: bench/html_misses.py EVAL_DIR [--subsets a,b] [--mode no-filters|pipeline] [--pages N]
                            [--lines N] [--decruft BUILD/decruft] [--data DIR]

Run bench/html_eval.py --keep EVAL_DIR first (it writes the cleaned gold to EVAL_DIR/gold). For
every page: the gold tokens missing from the output, attributed to the removed blocks that held
them (by evidence, digits folded: "class/id comment on <div>", "outside article region ..."),
and the output lines whose tokens are mostly not in the gold. Prints a summary per evidence,
then the worst pages (most lost + extra tokens) with their lines.
"""
import argparse, collections, json, pathlib, re, subprocess, sys, unicodedata

ROOT = pathlib.Path(__file__).resolve().parent.parent
DROP = dict.fromkeys(map(ord, "\u0640\u200b\u200c\u200d\u200e\u200f\u061c\ufeff"))


def toks(t):
    return collections.Counter(re.findall(r"\w+", unicodedata.normalize("NFKC", t).translate(DROP)))


def fold(evidence):
    e = re.sub(r"\d+(\.\d+)?", "N", evidence)
    e = re.sub(r"score N vs <\w+> score N", "score vs region", e)
    return e


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("eval_dir")
    ap.add_argument("--subsets", default="CleanPortalEval,cleaneval-dev,readability,dragnet")
    ap.add_argument("--mode", default="no-filters")
    ap.add_argument("--pages", type=int, default=15)
    ap.add_argument("--lines", type=int, default=6)
    ap.add_argument("--decruft", default=str(ROOT / "build" / "decruft"))
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "datasets" / "html-dev"))
    args = ap.parse_args()
    data, gold_root = pathlib.Path(args.data), pathlib.Path(args.eval_dir) / "gold"
    if not data.is_dir() or not gold_root.is_dir():
        print("html_misses: data or gold absent, skipped")
        return 77
    steps = subprocess.run([args.decruft, "--steps"], capture_output=True, text=True).stdout.split("\n")
    steps = [s.split()[0] for s in steps if s.strip()]
    keep = {"decode", "blocks", "normalize"} if args.mode == "no-filters" else None
    disable = [s for s in steps if (keep is not None and s not in keep) or s.endswith("dedup")]
    lost_by = collections.Counter()
    extra_by_kind = collections.Counter()
    pages = []
    for sub in args.subsets.split(","):
        cmd = [args.decruft, str(data / sub / "html"), "--format", "jsonl", "-q"]
        for s in disable:
            cmd += ["--disable", s]
        out = subprocess.run(cmd, capture_output=True, text=True).stdout
        for line in out.splitlines():
            r = json.loads(line)
            name = pathlib.Path(r["source"]).stem
            gfile = gold_root / sub / f"{name}.txt"
            if not gfile.is_file():
                continue
            gold = toks(gfile.read_text(encoding="utf-8"))
            text = r.get("text", "")
            got = toks(text)
            missing = gold - got
            lost = collections.Counter()
            for rm in r.get("removed", []):
                t = toks(rm["text"])
                hit = t & missing
                n = sum(hit.values())
                if n:
                    key = f"{rm['step']}: {fold(rm.get('evidence', rm['reason']))}"
                    lost[key] += n
                    lost_by[key] += n
                    missing -= hit
            extra_lines = []
            remaining_gold = gold.copy()
            for ln in text.split("\n"):
                t = toks(ln)
                n = sum(t.values())
                if not n:
                    continue
                hit = t & remaining_gold
                remaining_gold -= hit
                bad = n - sum(hit.values())
                if bad:
                    extra_lines.append((bad, ln))
            extra = sum(b for b, _ in extra_lines)
            pages.append((sum((gold - got).values()), extra, f"{sub}/{name}", lost, extra_lines,
                          sum(gold.values()), sum(got.values())))
    print("lost gold tokens by evidence:")
    for k, n in lost_by.most_common(25):
        print(f"  {n:>7}  {k}")
    tot_lost = sum(p[0] for p in pages)
    tot_extra = sum(p[1] for p in pages)
    print(f"total lost {tot_lost}, extra {tot_extra}")
    pages.sort(key=lambda p: -(p[0] + p[1]))
    for lost_n, extra_n, name, lost, extra_lines, gn, on in pages[:args.pages]:
        print(f"\n== {name}: gold {gn} out {on} lost {lost_n} extra {extra_n}")
        for k, n in lost.most_common(4):
            print(f"   lost {n:>5}  {k}")
        for bad, ln in sorted(extra_lines, key=lambda x: -x[0])[:args.lines]:
            print(f"   extra {bad:>4}  {ln[:130]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
