#!/usr/bin/env python3
"""The text filters on other sites' cruft: every page of ../shared/datasets/html-dev is turned into
a naive plain-text scrape (the visible text of the whole page, one block per line, as a scraper
that ran on <body> writes it: menus, footers, related links and all), cleaned by decruft in TEXT
mode (the HTML extractor is not involved) and scored against the page's gold text with the
project's scorer. Also prints the score of the unfiltered scrape, the floor.

usage: bench/text_scrape_eval.py [--decruft BUILD/decruft] [--data DIR] [--subsets a,b] [--keep DIR]
Exit 77 when the data set is absent.
"""
import argparse, html.parser, pathlib, re, shutil, subprocess, sys, tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from html_eval import clean_gold  # noqa: E402 - the same gold clean-up as the HTML evaluation
BLOCK = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "td", "th", "table",
         "section", "article", "header", "footer", "nav", "aside", "blockquote", "pre", "figure",
         "figcaption", "form", "dd", "dt", "dl", "main", "title", "option", "button", "label"}
SKIP = {"script", "style", "noscript", "template", "svg", "head", "select", "iframe", "object"}


class Scrape(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines, self.cur, self.skip = [], [], 0
        self.title, self.in_title = "", False

    def flush(self):
        t = re.sub(r"\s+", " ", "".join(self.cur)).strip()
        if t:
            self.lines.append(t)
        self.cur = []

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self.in_title = True
        if tag in SKIP and tag != "head":
            self.skip += 1
        if tag in BLOCK:
            self.flush()

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if tag in SKIP and tag != "head" and self.skip > 0:
            self.skip -= 1
        if tag in BLOCK:
            self.flush()

    def handle_data(self, data):
        if self.in_title:
            self.title += data
        elif self.skip == 0:
            self.cur.append(data)


def scrape(page: pathlib.Path) -> str:
    raw = page.read_bytes()
    text = raw.decode("utf-8", errors="replace")
    p = Scrape()
    try:
        p.feed(text)
        p.close()
    except Exception:  # noqa: BLE001 - a broken page scrapes to what was read
        pass
    p.flush()
    title = re.sub(r"\s+", " ", p.title).strip()
    return "\n".join(([title] if title else []) + p.lines) + "\n"


def score(out_dir, gold_dir):
    r = subprocess.run([sys.executable, str(ROOT.parent / "shared" / "tools" / "score.py"), str(out_dir), str(gold_dir)],
                       capture_output=True, text=True)
    return r.stdout + r.stderr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--decruft", default=str(ROOT / "build" / "decruft"))
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "datasets" / "html-dev"))
    ap.add_argument("--subsets", default="CleanPortalEval,cleaneval-dev,readability,dragnet")
    ap.add_argument("--keep", help="keep the scrapes and outputs here")
    args = ap.parse_args()
    data = pathlib.Path(args.data)
    if not data.is_dir():
        print("text_scrape_eval: no data set; skipped")
        return 77
    work = pathlib.Path(args.keep) if args.keep else pathlib.Path(tempfile.mkdtemp(prefix="decruft-ts."))
    for sub in args.subsets.split(","):
        src, gold = data / sub / "html", data / sub / "gold"
        if not src.is_dir():
            continue
        d = work / sub
        shutil.rmtree(d, ignore_errors=True)
        (d / "scrape").mkdir(parents=True)
        (d / "gold").mkdir()
        for page in sorted(src.glob("*.htm*")):
            g = gold / (page.stem + ".txt")
            if not g.exists():
                continue
            (d / "scrape" / (page.stem + ".txt")).write_text(scrape(page), encoding="utf-8")
            gt = clean_gold(g.read_text(encoding="utf-8", errors="replace"))
            (d / "gold" / (page.stem + ".txt")).write_text(gt, encoding="utf-8")
        # Each page is judged alone, as in html_eval.py: no cross-document dedup (the benchmark
        # sets hold copies of the same test text).
        subprocess.run([args.decruft, str(d / "scrape"), "-o", str(d / "clean"), "-q", "--input-format", "text",
                        "--disable", "exact_dedup", "--disable", "near_dedup"], check=False)
        base = score(d / "scrape", d / "gold").strip().splitlines()
        cleaned = score(d / "clean", d / "gold").strip().splitlines()
        print(f"{sub}: unfiltered scrape: {base[-1] if base else '?'}")
        print(f"{sub}: decruft (text mode): {cleaned[-1] if cleaned else '?'}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
