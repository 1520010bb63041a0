#!/usr/bin/env python3
"""Which text filters remove article text from HTML pages: for every block a filter (not the
HTML extractor) removed, counts its tokens that are / are not in the gold, per step and reason,
with examples. Run bench/html_eval.py --keep DIR first (it writes the cleaned gold to DIR/gold).

usage: bench/html_filter_harm.py EVAL_DIR [--subsets a,b] [--decruft BUILD/decruft] [--data DIR]
"""
import argparse, collections, json, pathlib, re, subprocess, sys, unicodedata

ROOT = pathlib.Path(__file__).resolve().parent.parent


def toks(t):
    return collections.Counter(re.findall(r"\w+", unicodedata.normalize("NFKC", t)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("eval_dir")
    ap.add_argument("--decruft", default=str(ROOT / "build" / "decruft"))
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "datasets" / "html-dev"))
    ap.add_argument("--subsets", default="CleanPortalEval,cleaneval-dev,readability,dragnet")
    args = ap.parse_args()
    data, gold_root = pathlib.Path(args.data), pathlib.Path(args.eval_dir) / "gold"
    if not data.is_dir() or not gold_root.is_dir():
        print("html_filter_harm: data or gold absent, skipped")
        return 77
    in_gold, not_gold = collections.Counter(), collections.Counter()
    examples = collections.defaultdict(list)
    for sub in args.subsets.split(","):
        if not (gold_root / sub).is_dir():
            continue
        cmd = [args.decruft, str(data / sub / "html"), "--format", "jsonl", "-q"]
        for s in ("exact_dedup", "near_dedup"):
            cmd += ["--disable", s]
        out = subprocess.run(cmd, capture_output=True, text=True).stdout
        for line in out.splitlines():
            r = json.loads(line)
            name = pathlib.Path(r["source"]).stem
            gold = toks((gold_root / sub / f"{name}.txt").read_text(encoding="utf-8"))
            for rm in r.get("removed", []):
                if rm["step"] in ("blocks", "normalize"):
                    continue
                t = toks(rm["text"])
                n, hit = sum(t.values()), sum((t & gold).values())
                key = (rm["step"], rm["reason"])
                in_gold[key] += hit
                not_gold[key] += n - hit
                if hit > 0.8 * n and n >= 8 and len(examples[key]) < 4:
                    examples[key].append(f"{sub}/{name}: {rm['text'][:120]}")
    for k in sorted(set(in_gold) | set(not_gold), key=lambda k: -in_gold[k]):
        print(f"{k[0] + '/' + k[1]:<36} removed tokens in gold {in_gold[k]:>6}   not in gold {not_gold[k]:>6}")
        for e in examples[k]:
            print("      e.g.", e)
    return 0


if __name__ == "__main__":
    sys.exit(main())
