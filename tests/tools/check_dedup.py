#!/usr/bin/env python3
"""Scores a decruft run on a corpus from gen_dedup_corpus.py, using the tool's own outputs.

  check_dedup.py --truth CORPUS/truth.jsonl --report OUT/report.json --duplicates OUT/duplicates.jsonl

Reads report.json (every document's status and reason) and duplicates.jsonl (each dropped
duplicate and the document it duplicates). Checks, and exits 1 when one fails:

  recall     documents whose best Jaccard with an EARLIER member of their cluster is at least
             --threshold (0.8) must be dropped as duplicate_doc/near_duplicate_doc: share >= --min-recall
  lost       every cluster keeps at least one document
  distinct   no first-of-its-cluster document (a distinct article) is dropped as a duplicate, and no
             duplicate points to a document of another cluster

With --clean CLEAN.jsonl (the same corpus through decruft with the dedup steps disabled, JSON
Lines on stdout), Jaccard is also measured on the CLEANED text, which is what dedup compares: page
cruft the filters leave behind lowers it. The recall requirement then applies to documents at or
above the threshold on both the article (truth) and the cleaned text; recall by the article alone
is still printed. Jaccard uses gen_dedup_corpus.key_words, a Python rendering of text::match_key.

Prints recall by kind and by Jaccard bucket, and one JSON summary line (prefixed "summary: ").
--skip-kinds KIND,...  leaves planted kinds out of the recall requirement (still printed), e.g.
unicode kinds while text::match_key is a placeholder.
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_dedup_corpus import jaccard, key_words, shingles  # noqa: E402

DUP_REASONS = {"duplicate_doc", "near_duplicate_doc"}


def load_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--truth", required=True)
    ap.add_argument("--report", required=True)
    ap.add_argument("--duplicates", required=True)
    ap.add_argument("--clean", help="decruft JSONL output of the corpus with exact_dedup and near_dedup disabled")
    ap.add_argument("--threshold", type=float, default=0.8)
    ap.add_argument("--min-recall", type=float, default=0.98)
    ap.add_argument("--skip-kinds", default="")
    ap.add_argument("--show", type=int, default=10, help="misses and errors printed at most")
    args = ap.parse_args()
    skip = {k for k in args.skip_kinds.split(",") if k}

    truth = {t["id"]: t for t in load_jsonl(args.truth)}
    with open(args.report, encoding="utf-8") as f:
        report = json.load(f)
    status = {d["id"]: d for d in report["documents"]}
    try:
        dups = {d["id"]: d for d in load_jsonl(args.duplicates)}
    except FileNotFoundError:
        dups = {}

    # Jaccard on the cleaned text with the best earlier member of the cluster (corpus order).
    clean_j = {}
    if args.clean:
        texts = {}
        for r in load_jsonl(args.clean):
            lines = [l for l in r.get("text", "").split("\n") if l != r.get("title")]
            texts[r["id"]] = shingles(key_words("\n".join(lines)))
        earlier = {}
        for i, t in truth.items():
            members = earlier.setdefault(t["cluster"], [])
            sh = texts.get(i)
            if sh is not None:
                clean_j[i] = max((jaccard(sh, e) for e in members), default=None)
                members.append(sh)

    errors = []
    missing = [i for i in truth if i not in status]
    if missing:
        errors.append(f"{len(missing)} documents missing from the report, e.g. {missing[:3]}")

    def is_dup(i):
        d = status.get(i, {})
        return d.get("status") == "dropped" and d.get("reason") in DUP_REASONS

    # Recall over documents with an earlier cluster member at >= threshold.
    by_kind = {}
    by_bucket = {}
    by_clean = {}
    misses = []
    total = found = 0
    truth_total = truth_found = 0
    for i, t in truth.items():
        j = t["best_earlier"]
        if j is None or j < args.threshold:
            continue
        hit = is_dup(i)
        if t["kind"] not in skip:
            truth_total += 1
            truth_found += hit
        cj = clean_j.get(i)
        if args.clean:
            cb = "cleaned <0.80" if cj is None or cj < args.threshold else "cleaned >=0.80"
            c = by_clean.setdefault(cb, [0, 0])
            c[0] += 1
            c[1] += hit
            if cj is None or cj < args.threshold:
                continue
        k = by_kind.setdefault(t["kind"], [0, 0])
        k[0] += 1
        k[1] += hit
        bucket = "0.80-0.85" if j < 0.85 else "0.85-0.90" if j < 0.90 else "0.90-0.95" if j < 0.95 else "0.95-1.00"
        b = by_bucket.setdefault(bucket, [0, 0])
        b[0] += 1
        b[1] += hit
        if t["kind"] in skip:
            continue
        total += 1
        found += hit
        if not hit:
            misses.append((i, t["kind"], t["variants"], j, clean_j.get(i), status.get(i, {}).get("status")))
    recall = found / total if total else 1.0
    truth_recall = truth_found / truth_total if truth_total else 1.0

    # Below the threshold (heavy edits): informational.
    below = [i for i, t in truth.items() if t["best_earlier"] is not None and t["best_earlier"] < args.threshold]
    below_dropped = sum(1 for i in below if is_dup(i))

    # Distinct articles and wrong clusters.
    distinct_dropped = [i for i, t in truth.items() if t["first"] and is_dup(i)]
    wrong = []
    for i, d in dups.items():
        of = d.get("duplicate_of")
        if i in truth and of in truth and truth[i]["cluster"] != truth[of]["cluster"]:
            wrong.append((i, of, d.get("similarity")))

    # Lost clusters.
    kept_by_cluster = {}
    for i, t in truth.items():
        kept_by_cluster.setdefault(t["cluster"], 0)
        if status.get(i, {}).get("status") == "kept":
            kept_by_cluster[t["cluster"]] += 1
    lost = [c for c, n in kept_by_cluster.items() if n == 0]
    other_drops = {}
    for i in truth:
        d = status.get(i, {})
        if d.get("status") == "dropped" and d.get("reason") not in DUP_REASONS:
            other_drops[d.get("reason")] = other_drops.get(d.get("reason"), 0) + 1

    print(f"documents {len(truth)}, clusters {len(kept_by_cluster)}, duplicates reported {len(dups)}")
    left_out = f"  (kinds left out: {', '.join(sorted(skip))})" if skip else ""
    print(f"recall, article Jaccard >= {args.threshold}: {truth_found}/{truth_total} = {truth_recall:.4f}{left_out}")
    if args.clean:
        print(f"recall, article and cleaned-text Jaccard >= {args.threshold}: {found}/{total} = {recall:.4f}{left_out}")
    print("by kind / article Jaccard" + (" (documents at >= threshold on the cleaned text too)" if args.clean else "")
          + (" / cleaned-text Jaccard" if args.clean else "") + ", all kinds:")
    for name, table in (("kind", by_kind), ("jaccard", by_bucket), ("cleaned", by_clean)):
        for k in sorted(table):
            n, h = table[k]
            print(f"  {name:8} {k:14} {h:5}/{n:<5} {h / n:.3f}")
    print(f"below threshold (heavy edits): {below_dropped}/{len(below)} dropped (allowed either way)")
    print(f"distinct articles dropped: {len(distinct_dropped)}; wrong-cluster matches: {len(wrong)}; "
          f"clusters lost: {len(lost)}; dropped by other steps: {other_drops or 0}")
    for m in misses[:args.show]:
        print(f"  miss: {m}")
    for i in distinct_dropped[:args.show]:
        print(f"  distinct dropped: {i} -> {dups.get(i, {}).get('duplicate_of')} {dups.get(i, {}).get('similarity')}")
    for w in wrong[:args.show]:
        print(f"  wrong cluster: {w}")
    for c in lost[:args.show]:
        print(f"  lost cluster: {c}")
    summary = {"documents": len(truth), "recall": round(recall, 4), "expected": total, "found": found,
               "recall_article": round(truth_recall, 4), "expected_article": truth_total,
               "distinct_dropped": len(distinct_dropped), "wrong_cluster": len(wrong), "lost_clusters": len(lost),
               "below_threshold": len(below), "below_threshold_dropped": below_dropped}
    print("summary: " + json.dumps(summary))

    if recall < args.min_recall:
        errors.append(f"recall {recall:.4f} below {args.min_recall}")
    if distinct_dropped:
        errors.append(f"{len(distinct_dropped)} distinct articles dropped as duplicates")
    if wrong:
        errors.append(f"{len(wrong)} duplicates matched to another cluster")
    if lost:
        errors.append(f"{len(lost)} clusters lost entirely")
    for e in errors:
        print(f"check_dedup: FAIL: {e}", file=sys.stderr)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
