#!/usr/bin/env python3
"""Builds throughput corpora for bench/throughput.sh from the development data (never stored in
the repository):

  text: ../shared/datasets/arabic-articles/*.jsonl replicated to SIZE_MB of JSON Lines. Each
        replica after the first is perturbed (a few words per paragraph swapped, paragraphs of
        some articles reordered, a replica tag in the title and id), so exact dedup does not drop
        them and near dedup has real work: the mix of exact, near and distinct duplicates of a
        scraped news corpus.
  html: ../shared/datasets/html-dev/*/html/*.html replicated to SIZE_MB of .html files in a tree,
        each copy with a distinct comment and its paragraphs' text perturbed in the same way.

usage: make_corpus.py text OUT.jsonl SIZE_MB | make_corpus.py html OUT_DIR SIZE_MB
"""
import json
import os
import random
import re
import sys
from pathlib import Path

DATASETS = Path(__file__).resolve().parent.parent.parent / "shared" / "datasets"


def perturb_words(text, rnd, vocab, rate):
    words = text.split(" ")
    for _ in range(max(1, int(len(words) * rate))):
        if words:
            words[rnd.randrange(len(words))] = rnd.choice(vocab)
    return " ".join(words)


def swap_two(text, rnd):
    words = text.split(b" ")
    if len(words) > 2:
        i, j = rnd.randrange(len(words)), rnd.randrange(len(words))
        words[i], words[j] = words[j], words[i]
    return b" ".join(words)


def text_corpus(out, size_mb):
    src = sorted((DATASETS / "arabic-articles").glob("*.jsonl"))
    if not src:
        sys.exit("make_corpus: ../shared/datasets/arabic-articles is missing")
    records = [json.loads(l) for f in src for l in open(f, encoding="utf-8") if l.strip()]
    vocab = [w for r in records[:500] for w in r.get("content", "").split() if len(w) > 3][:20000]
    target = size_mb << 20
    written = 0
    replica = 0
    with open(out, "w", encoding="utf-8") as f:
        while written < target:
            rnd = random.Random(replica)
            for r in records:
                r2 = dict(r)
                if replica > 0:
                    r2["id"] = f"{r['id']}~{replica}"
                    paras = r.get("content", "").split("\n")
                    paras = [perturb_words(p, rnd, vocab, 0.03) if p.strip() else p for p in paras]
                    if rnd.random() < 0.3:
                        rnd.shuffle(paras)
                    r2["content"] = "\n".join(paras)
                    r2["title"] = f"{r.get('title', '')} ({replica})"
                line = json.dumps(r2, ensure_ascii=False) + "\n"
                f.write(line)
                written += len(line.encode())
                if written >= target:
                    break
            replica += 1
    print(f"{out}: {written / 2**20:.0f} MB, {replica} replicas")


def html_corpus(out, size_mb):
    pages = sorted(DATASETS.glob("html-dev/*/html/*.html"))
    if not pages:
        sys.exit("make_corpus: ../shared/datasets/html-dev is missing")
    blobs = [p.read_bytes() for p in pages]
    target = size_mb << 20
    written = 0
    replica = 0
    para = re.compile(rb"(<p[^>]*>)([^<]{20,})")
    while written < target:
        rnd = random.Random(replica)
        d = Path(out) / f"r{replica:03d}"
        d.mkdir(parents=True, exist_ok=True)
        for i, b in enumerate(blobs):
            if replica > 0:
                b = para.sub(lambda m: m.group(1) + swap_two(m.group(2), rnd) if rnd.random() < 0.3 else m.group(0), b)
                b = b + f"<!-- replica {replica} -->".encode()
            (d / f"{i:04d}.html").write_bytes(b)
            written += len(b)
            if written >= target:
                break
        replica += 1
    print(f"{out}: {written / 2**20:.0f} MB of HTML in {replica} replicas")


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("text", "html"):
        sys.exit(__doc__)
    (text_corpus if sys.argv[1] == "text" else html_corpus)(sys.argv[2], int(sys.argv[3]))
