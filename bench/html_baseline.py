#!/usr/bin/env python3
"""Mozilla Readability (readability.js) on ../shared/datasets/html-dev, scored like html_eval.py.

usage: bench/html_baseline.py [--data DIR] [--subsets a,b] [--modules DIR] [--no-title] [--keep DIR]

Runs bench/baseline/readability.js (Readability + jsdom under node) on every subset and on
cnn-arabic, cleans the gold exactly as bench/html_eval.py does and scores token P / R / F1 with
../shared/tools/score.py, so the two tables compare. Readability's title line comes first, as
decruft's title block does; --no-title leaves it out. Modules: bench/baseline/node_modules
(`npm install` there) or --modules DIR (a node_modules directory). Exits 77 (skipped) when node,
the modules or the data set are absent.
"""
import argparse, os, pathlib, shutil, subprocess, sys, tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import html_eval  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(HERE.parent.parent / "shared" / "datasets" / "html-dev"))
    ap.add_argument("--subsets", default=",".join(html_eval.SUBSETS + ["arabic"]))
    ap.add_argument("--modules", default=str(HERE / "baseline" / "node_modules"))
    ap.add_argument("--no-title", action="store_true")
    ap.add_argument("--keep", help="keep outputs under this directory")
    ap.add_argument("--rescore", action="store_true", help="score the outputs already in --keep DIR")
    args = ap.parse_args()
    data, modules = pathlib.Path(args.data), pathlib.Path(args.modules)
    node = shutil.which("node")
    if not data.is_dir() or not node or not (modules / "@mozilla" / "readability").is_dir() \
            or not (modules / "jsdom").is_dir():
        print("html_baseline: node, Readability/jsdom modules or the data set absent, skipped")
        return 77
    score_py = data.parent.parent / "tools" / "score.py"
    env = dict(os.environ, NODE_PATH=str(modules))
    work = pathlib.Path(args.keep) if args.keep else pathlib.Path(tempfile.mkdtemp(prefix="html_baseline_"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"{'subset':<20} {'docs':>5}  {'readability.js P / R / F1 / macro':>36}")
    for subset in args.subsets.split(","):
        gold, inp, out = work / "gold" / subset, work / "in" / subset, work / "readability" / subset
        for d in (gold,) if args.rescore else (gold, out):
            shutil.rmtree(d, ignore_errors=True)
            d.mkdir(parents=True)
        if subset == "arabic":
            inp.mkdir(parents=True, exist_ok=True)
            shutil.copy(data / "arabic" / "cnn-arabic.html", inp / "cnn-arabic.html")
            golds = {"cnn-arabic.txt": data / "arabic" / "cnn-arabic.gold.txt"}
            name = "arabic/cnn-arabic"
        else:
            inp = data / subset / "html"
            golds = {g.name: g for g in (data / subset / "gold").iterdir()}
            name = subset
        for n, g in golds.items():
            (gold / n).write_text(html_eval.clean_gold(g.read_text(encoding="utf-8", errors="replace")),
                                  encoding="utf-8")
        cmd = [node, str(HERE / "baseline" / "readability.js"), str(inp), str(out)]
        if args.no_title:
            cmd.append("--no-title")
        if not args.rescore:
            subprocess.run(cmd, env=env, check=False)
        html_eval.SCORE = score_py
        p, r, f, mf = html_eval.score(out, gold, False)
        print(f"{name:<20} {len(golds):>5}  {p:>8.3f} {r:>8.3f} {f:>8.3f} {mf:>8.3f}", flush=True)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
