#!/usr/bin/env python3
"""Main-content extraction quality of decruft on ../shared/datasets/html-dev.

usage: bench/html_eval.py [--decruft BUILD/decruft] [--data DIR] [--subsets a,b] [--keep DIR] [-v]

For every subset (CleanPortalEval, cleaneval-dev, readability, dragnet) and the two Arabic pages,
runs decruft twice:
  pipeline    every step except the cross-document ones (exact/near/paragraph dedup, which drop
              whole pages and are not extraction)
  no-filters  decode, blocks and normalize only: the HTML extractor alone, text filters off
then scores token precision / recall / F1 with ../shared/tools/score.py against a cleaned copy
of the gold (the CleanEval `URL:` line and <p>/<h>/<l> markers, and the HTML of the readability
gold, are turned into plain text; entities are decoded). Prints one table. The Arabic pages:
cnn-arabic is scored against cnn-arabic.gold.txt; assabah is checked against its must-contain /
must-not-contain snippets. Exits 77 (skipped) when the data set is absent.
"""
import argparse, html, html.parser, json, os, pathlib, re, shutil, subprocess, sys, tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
SUBSETS = ["CleanPortalEval", "cleaneval-dev", "readability", "dragnet"]
BLOCK_TAGS = {"p", "h", "l", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "section",
              "article", "pre", "blockquote", "ul", "ol", "table", "dd", "dt", "figure", "figcaption", "header",
              "footer", "hr", "main", "aside", "nav"}


class _Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        if tag in BLOCK_TAGS:
            self.out.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        if tag in BLOCK_TAGS:
            self.out.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.out.append(data)


def clean_gold(text):
    """Gold in any of the data set's formats -> plain text, one paragraph per line."""
    text = re.sub(r"\A\s*URL:[^\n]*\n", "", text)
    if re.search(r"<(p|h|l|div|section|br|span|a)\b[^>]*>", text, re.I):
        p = _Text()
        p.feed(text)
        p.close()
        text = "".join(p.out)
    else:
        text = html.unescape(text)
    lines = (re.sub(r"\s+", " ", l).strip() for l in text.split("\n"))
    return "\n".join(l for l in lines if l) + "\n"


def steps(decruft):
    out = subprocess.run([decruft, "--steps"], capture_output=True, text=True, check=True).stdout
    return [l.split()[0] for l in out.splitlines() if l.strip()]


def run(decruft, inputs, out_dir, disable):
    cmd = [decruft, *inputs, "-o", str(out_dir), "-q"]
    for s in disable:
        cmd += ["--disable", s]
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL)


def score(out_dir, gold_dir, verbose):
    r = subprocess.run([sys.executable, str(SCORE), str(out_dir), str(gold_dir)], capture_output=True, text=True)
    if verbose:
        print(r.stdout)
    m = re.search(r"P=([\d.]+) R=([\d.]+) F1=([\d.]+)", r.stdout.strip().splitlines()[-1])
    # Macro F1: the mean of the per-page F1 (a missing page scores 0), as extraction benchmarks
    # that average over pages report it; the micro figures above weigh long pages more.
    f1s = []
    for line in r.stdout.splitlines():
        if line.endswith("MISSING output"):
            f1s.append(0.0)
        d = re.search(r"tokens P=([\d.]+) R=([\d.]+)$", line)
        if d:
            p, rc = float(d.group(1)), float(d.group(2))
            f1s.append(2 * p * rc / (p + rc) if p + rc else 0.0)
    return tuple(float(x) for x in m.groups()) + (sum(f1s) / max(1, len(f1s)),)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--decruft", default=str(ROOT / "build" / "decruft"))
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "datasets" / "html-dev"))
    ap.add_argument("--subsets", default=",".join(SUBSETS))
    ap.add_argument("--modes", default="pipeline,no-filters")
    ap.add_argument("--keep", help="keep outputs under this directory")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    data = pathlib.Path(args.data)
    if not data.is_dir():
        print(f"html_eval: {data} absent, skipped")
        return 77
    global SCORE
    SCORE = data.parent.parent / "tools" / "score.py"
    all_steps = steps(args.decruft)
    cross_doc = [s for s in all_steps if s.endswith("dedup")]
    modes = {
        "pipeline": cross_doc,
        "no-filters": [s for s in all_steps if s not in ("decode", "blocks", "normalize")],
    }
    modes = {k: v for k, v in modes.items() if k in args.modes.split(",")}
    work = pathlib.Path(args.keep) if args.keep else pathlib.Path(tempfile.mkdtemp(prefix="html_eval_"))
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    for subset in args.subsets.split(","):
        if subset == "arabic":
            continue
        gold = work / "gold" / subset
        gold.mkdir(parents=True, exist_ok=True)
        for g in (data / subset / "gold").iterdir():
            (gold / g.name).write_text(clean_gold(g.read_text(encoding="utf-8", errors="replace")), encoding="utf-8")
        row = [subset, len(list(gold.iterdir()))]
        for mode, disable in modes.items():
            out = work / mode / subset
            shutil.rmtree(out, ignore_errors=True)
            run(args.decruft, [str(data / subset / "html")], out, disable)
            row.append(score(out, gold, args.verbose))
        rows.append(row)
    # Arabic: cnn-arabic against its gold, assabah against its snippets.
    arabic = data / "arabic"
    if arabic.is_dir():
        gold = work / "gold" / "arabic"
        gold.mkdir(parents=True, exist_ok=True)
        (gold / "cnn-arabic.txt").write_text(clean_gold((arabic / "cnn-arabic.gold.txt").read_text(encoding="utf-8")),
                                             encoding="utf-8")
        row = ["arabic/cnn-arabic", 1]
        snippets = json.loads((arabic / "assabah.snippets.json").read_text(encoding="utf-8"))
        checks = []
        for mode, disable in modes.items():
            out = work / mode / "arabic"
            shutil.rmtree(out, ignore_errors=True)
            run(args.decruft, [str(arabic / "cnn-arabic.html"), str(arabic / "assabah.html")], out, disable)
            row.append(score(out, gold, args.verbose))
            text = ""
            for f in out.rglob("assabah*.txt"):
                text = f.read_text(encoding="utf-8")
            have = sum(s in text for s in snippets["with"])
            leak = sum(s in text for s in snippets["without"])
            checks.append(f"{mode}: contains {have}/{len(snippets['with'])}, "
                          f"must-not-contain leaked {leak}/{len(snippets['without'])}")
        rows.append(row)
    header = f"{'subset':<20} {'docs':>5}" + "".join(f"  {m + ' P / R / F1 / macro':>36}" for m in modes)
    print(header)
    print("-" * len(header))
    for r in rows:
        print(f"{r[0]:<20} {r[1]:>5}" + "".join(f"  {p:>8.3f} {rc:>8.3f} {f:>8.3f} {mf:>8.3f}" for p, rc, f, mf in r[2:]))
    if arabic.is_dir():
        for c in checks:
            print(f"arabic/assabah       {c}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
