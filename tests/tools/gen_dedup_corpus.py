#!/usr/bin/env python3
"""Dedup test corpus generator: plants duplicates of every kind into articles wrapped in page cruft.

Articles come from a JSON Lines file (--articles, e.g. ../shared/datasets/arabic-articles/
saudinewsnet-2015-07.jsonl: `title` and `content` fields) or are synthesised (--synthetic N: Arabic
words from a seeded generator, no data needed). Each chosen article is an *original*; some get
copies:

  exact        the same page scraped twice (identical text, cruft included)
  cruft        the same article under other page cruft (navigation, share, read-also, tags, footer)
  unicode      the same page with Unicode-only differences: tatweel, diacritics, alef/yeh/teh marbuta
               variants, presentation forms, zero-width marks, spacing and punctuation
  near         the same wire story with small edits (dateline, a few words, a sentence less or more,
               an outlet line) under other cruft
  near_unicode a near copy that also differs in Unicode details
  chain        a near copy of an earlier near copy (a copy of a copy)
  heavy        a heavily rewritten copy (mostly below the 0.8 threshold: may be kept or dropped)

Originals are chosen mutually dissimilar (5-gram Jaccard below --max-original-jaccard), so every
original is a distinct article. All documents are shuffled together (a copy may come before its
original). Writes:

  OUT/corpus.jsonl  {"id", "title", "text"}: text = cruft lines + article paragraphs, one per line
  OUT/truth.jsonl   one line per document: id, cluster (the original's id), kind, variants,
                    jaccard (with the original), best_earlier (highest Jaccard with an earlier member
                    of its cluster in corpus order; null for the first), first (first of its cluster)

Jaccard is over word 5-gram shingles of the article body after a key normalisation that follows
text::match_key's contract (NFKC, no marks/tatweel, unified alef/yeh/teh marbuta, no punctuation).
Python 3 standard library only; deterministic for a given --seed.

  gen_dedup_corpus.py --synthetic 150 --out /tmp/dd-corpus
  gen_dedup_corpus.py --articles ../shared/datasets/arabic-articles/saudinewsnet-2015-07.jsonl \
      --originals 1000 --out /tmp/dd-real
"""

import argparse
import json
import os
import random
import sys
import unicodedata

SHINGLE = 5

# ---- key and Jaccard (mirrors the text::match_key contract) ----

ALEF_FORMS = {"\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627",
              "\u0649": "\u064a", "\u0629": "\u0647"}


def key_words(text):
    text = unicodedata.normalize("NFKC", text)
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch == "\u0640" or cat in ("Mn", "Me", "Cf"):
            continue
        if cat[0] in ("P", "S") or cat[0] == "Z" or ch.isspace() or cat == "Cc":
            out.append(" ")
            continue
        out.append(ALEF_FORMS.get(ch, ch))
    return "".join(out).casefold().split()


def shingles(words):
    if not words:
        return set()
    if len(words) < SHINGLE:
        return {tuple(words)}
    return {tuple(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def jaccard(a, b):
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


# ---- synthetic articles ----

LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
SPECIAL = "أإآةىؤئء"


def synthetic_vocabulary(rng, size):
    words = set()
    while len(words) < size:
        n = rng.randint(2, 6)
        w = "".join(rng.choice(LETTERS) for _ in range(n))
        r = rng.random()
        if r < 0.15:
            w = rng.choice("أإآ") + w
        elif r < 0.3:
            w = w + rng.choice("ةى")
        elif r < 0.4:
            w = w[:1] + rng.choice("ؤئ") + w[1:]
        if rng.random() < 0.35:
            w = "ال" + w
        words.add(w)
    words = sorted(words)
    rng.shuffle(words)  # frequency rank independent of spelling
    return words


def synthetic_articles(rng, count):
    vocab = synthetic_vocabulary(rng, 8000)

    def word():
        # Log-uniform rank: a few frequent words, a long tail (roughly Zipf).
        return vocab[min(len(vocab) - 1, int(len(vocab) ** rng.random()) - 1)]

    def sentence():
        s = " ".join(word() for _ in range(rng.randint(8, 22)))
        if rng.random() < 0.3:
            words = s.split()
            i = rng.randrange(1, len(words))
            words[i - 1] += "،"
            s = " ".join(words)
        return s + rng.choice([".", ".", ".", "؟", "!"])

    out = []
    for i in range(count):
        paragraphs = [" ".join(sentence() for _ in range(rng.randint(2, 4))) for _ in range(rng.randint(3, 7))]
        title = " ".join(word() for _ in range(rng.randint(5, 10)))
        out.append({"id": f"syn-{i:05d}", "title": title, "paragraphs": paragraphs})
    return out


def dataset_articles(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            rec = json.loads(line)
            text = rec.get("content") or rec.get("text") or ""
            paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
            if paragraphs:
                out.append({"id": str(rec.get("id")), "title": rec.get("title") or "", "paragraphs": paragraphs})
    return out


def choose_originals(articles, want, min_words, max_j):
    """Greedy, in order: long enough and below max_j Jaccard with every article chosen before."""
    chosen = []
    index = {}  # shingle -> chosen positions
    for art in articles:
        words = key_words("\n".join(art["paragraphs"]))
        if len(words) < min_words:
            continue
        sh = shingles(words)
        overlap = {}
        for s in sh:
            for j in index.get(s, ()):
                overlap[j] = overlap.get(j, 0) + 1
        if any(c / (len(sh) + len(chosen[j]["shingles"]) - c) >= max_j for j, c in overlap.items()):
            continue
        art = dict(art, shingles=sh)
        for s in sh:
            index.setdefault(s, []).append(len(chosen))
        chosen.append(art)
        if len(chosen) >= want:
            break
    return chosen


# ---- page cruft ----

NAV = ["الرئيسية", "آخر الأخبار", "محليات", "اقتصاد", "رياضة", "ثقافة وفنون", "الأكثر قراءة", "اتصل بنا",
       "من نحن", "الأرشيف", "مقالات", "دولي", "تقنية", "منوعات"]
SHARE = ["شارك على فيسبوك", "شارك عبر تويتر", "فيسبوك تويتر واتساب", "طباعة", "أرسل لصديق", "نسخ الرابط",
         "شارك الخبر"]
OUTLETS = ["سبق", "عكاظ", "الرياض", "اليوم", "المدينة", "الوطن", "الجزيرة", "الاقتصادية", "عاجل", "الوئام"]
CITIES = ["الرياض", "جدة", "الدمام", "مكة المكرمة", "المدينة المنورة", "أبها", "تبوك", "القصيم"]


def cruft(rng, other_titles):
    before, after = [], []
    if rng.random() < 0.8:
        before.append(" | ".join(rng.sample(NAV, rng.randint(3, 6))))
    if rng.random() < 0.5:
        before.append(f"نشر في {rng.randint(1, 28)} يوليو 2015")
    if rng.random() < 0.8:
        after.append(rng.choice(SHARE))
    if rng.random() < 0.6 and other_titles:
        after.append("اقرأ أيضا: " + rng.choice(other_titles))
    if rng.random() < 0.4:
        after.append("الوسوم: " + " ، ".join(rng.sample(NAV, 3)))
    if rng.random() < 0.7:
        after.append(f"جميع الحقوق محفوظة © 2015 صحيفة {rng.choice(OUTLETS)}")
    return before, after


def page(title, paragraphs, before, after):
    return {"title": title, "text": "\n".join(before + paragraphs + after)}


# ---- Unicode variations (the key must see through all of them) ----

DIACRITICS = ["\u064e", "\u064f", "\u0650", "\u0652", "\u0651", "\u064b"]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u200f", "\u200e", "\u2060"]


def presentation_table():
    """Base letter -> its presentation forms (isolated/final/initial/medial), from NFKC."""
    table = {}
    for cp in list(range(0xFE70, 0xFEFD)) + list(range(0xFB50, 0xFBB2)):
        ch = chr(cp)
        if unicodedata.category(ch) != "Lo":
            continue
        base = unicodedata.normalize("NFKC", ch)
        if len(base) == 1:
            table.setdefault(base, []).append(ch)
    return table


PRESENTATION = presentation_table()
ARABIC_LETTER = set(LETTERS + SPECIAL + "\u0627\u0644")


def vary_word(rng, w, how):
    if how == "tatweel" and len(w) > 2:
        i = rng.randrange(1, len(w))
        if w[i - 1] in "بتثجحخسشصضطظعغفقكلمنهي" and w[i] in ARABIC_LETTER:
            return w[:i] + "\u0640" * rng.randint(1, 3) + w[i:]
        return w
    if how == "diacritics":
        return "".join(c + (rng.choice(DIACRITICS) if c in ARABIC_LETTER and rng.random() < 0.5 else "") for c in w)
    if how == "alef":
        swap = {"أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه", "ى": "ي", "ا": "أ"}
        return "".join(swap.get(c, c) if rng.random() < 0.7 else c for c in w)
    if how == "presentation":
        return "".join(rng.choice(PRESENTATION[c]) if c in PRESENTATION and rng.random() < 0.6 else c for c in w)
    if how == "zero_width" and len(w) > 1:
        i = rng.randrange(1, len(w))
        return w[:i] + rng.choice(ZERO_WIDTH) + w[i:]
    return w


def vary_unicode(rng, paragraphs, kinds):
    out = []
    for p in paragraphs:
        words = p.split(" ")
        for how in kinds:
            if how == "spacing":
                continue
            words = [vary_word(rng, w, how) if rng.random() < 0.35 else w for w in words]
        text = " ".join(words)
        if "spacing" in kinds:
            text = text.replace(" ", "  ", 3).replace("،", " ، ").replace(".", " .")
            text = "« " + text + " »" if rng.random() < 0.5 else text + " -"
        out.append(text)
    return out


# ---- near-duplicate edits ----

def near_edit(rng, paragraphs, vocab_words, strength):
    """Small edits a wire story gets from outlet to outlet. strength 1: light, 3: heavy."""
    paras = [p for p in paragraphs]
    if rng.random() < 0.7:
        paras[0] = f"{rng.choice(CITIES)} - {rng.choice(OUTLETS)}: " + paras[0]
    words_total = sum(len(p.split()) for p in paras)
    subs = max(1, int(words_total * {1: 0.004, 2: 0.015, 3: 0.08}[strength]))
    for _ in range(rng.randint(1, subs)):
        i = rng.randrange(len(paras))
        words = paras[i].split()
        if len(words) > 3:
            words[rng.randrange(len(words))] = rng.choice(vocab_words)
            paras[i] = " ".join(words)
    if strength >= 2 and rng.random() < 0.5 and len(paras) > 1:
        # One sentence less: cut the last sentence of some paragraph.
        i = rng.randrange(len(paras))
        cut = max(paras[i].rfind(".", 0, len(paras[i]) - 1), paras[i].rfind("؟", 0, len(paras[i]) - 1))
        if cut > 0:
            paras[i] = paras[i][:cut + 1]
    if strength == 3 and len(paras) > 2:
        del paras[rng.randrange(1, len(paras))]
    if rng.random() < 0.4:
        paras.append(f"المصدر: صحيفة {rng.choice(OUTLETS)}")
    return paras


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--articles", help="JSON Lines articles (title, content)")
    src.add_argument("--synthetic", type=int, help="synthesise this many candidate articles")
    ap.add_argument("--out", required=True)
    ap.add_argument("--originals", type=int, default=1000, help="articles to use at most")
    ap.add_argument("--min-words", type=int, default=120, help="shorter articles are not used")
    ap.add_argument("--max-original-jaccard", type=float, default=0.3)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    rng = random.Random(args.seed)
    articles = dataset_articles(args.articles) if args.articles else synthetic_articles(rng, args.synthetic)
    originals = choose_originals(articles, args.originals, args.min_words, args.max_original_jaccard)
    if not originals:
        sys.exit("gen_dedup_corpus: no usable articles")
    titles = [a["title"] for a in originals if a["title"]]
    vocab_words = sorted({w for a in originals[:200] for p in a["paragraphs"] for w in p.split() if len(w) > 3})

    docs = []  # (record, truth)
    unicode_kinds = ["tatweel", "diacritics", "alef", "presentation", "zero_width", "spacing"]

    def add(cluster, kind, variants, title, paragraphs, same_page=None, same_cruft=None):
        """Appends one document; same_page: reuse a page verbatim; same_cruft: (before, after)."""
        before, after = same_cruft if same_cruft else cruft(rng, titles)
        rec_page = dict(same_page) if same_page else page(title, paragraphs, before, after)
        n = sum(1 for d in docs if d[1]["cluster"] == cluster["id"])
        rec = dict(rec_page, id=f"{cluster['id']}~{n}")
        sh = shingles(key_words("\n".join(paragraphs)))
        truth = {"id": rec["id"], "cluster": cluster["id"], "kind": kind, "variants": variants,
                 "jaccard": round(jaccard(sh, cluster["shingles"]), 4)}
        docs.append((rec, truth, sh))
        return rec, paragraphs, (before, after)

    for art in originals:
        orig_rec, _, orig_cruft = add(art, "original", [], art["title"], art["paragraphs"])
        copies = rng.choices([0, 1, 2, 3, 4], weights=[30, 30, 20, 12, 8])[0]
        last_near = None
        for _ in range(copies):
            kind = rng.choices(["exact", "cruft", "unicode", "near", "near_unicode", "chain", "heavy"],
                               weights=[12, 15, 20, 25, 12, 8, 8])[0]
            if kind == "chain" and last_near is None:
                kind = "near"
            if kind == "exact":
                add(art, kind, [], art["title"], art["paragraphs"], same_page=orig_rec)
            elif kind == "cruft":
                add(art, kind, [], art["title"], art["paragraphs"])
            elif kind == "unicode":
                # The original's page with only the article's Unicode changed.
                variants = rng.sample(unicode_kinds, rng.randint(1, 2))
                add(art, kind, variants, art["title"], vary_unicode(rng, art["paragraphs"], variants),
                    same_cruft=orig_cruft)
            elif kind in ("near", "near_unicode"):
                paras = near_edit(rng, art["paragraphs"], vocab_words, rng.choice([1, 1, 2]))
                variants = []
                if kind == "near_unicode":
                    variants = rng.sample(unicode_kinds, 1)
                    paras = vary_unicode(rng, paras, variants)
                _, last_near, _ = add(art, kind, variants, art["title"], paras)
            elif kind == "chain":
                _, last_near, _ = add(art, kind, [], art["title"], near_edit(rng, last_near, vocab_words, 1))
            else:
                add(art, kind, [], art["title"], near_edit(rng, art["paragraphs"], vocab_words, 3))

    rng.shuffle(docs)
    seen = {}  # cluster -> shingle sets of earlier members
    for rec, truth, sh in docs:
        earlier = seen.setdefault(truth["cluster"], [])
        truth["first"] = not earlier
        truth["best_earlier"] = round(max(jaccard(sh, e) for e in earlier), 4) if earlier else None
        earlier.append(sh)

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "corpus.jsonl"), "w", encoding="utf-8") as f:
        for rec, _, _ in docs:
            f.write(json.dumps({"id": rec["id"], "title": rec["title"], "text": rec["text"]}, ensure_ascii=False) + "\n")
    with open(os.path.join(args.out, "truth.jsonl"), "w", encoding="utf-8") as f:
        for _, truth, _ in docs:
            f.write(json.dumps(truth, ensure_ascii=False) + "\n")
    kinds = {}
    for _, t, _ in docs:
        kinds[t["kind"]] = kinds.get(t["kind"], 0) + 1
    print(f"gen_dedup_corpus: {len(docs)} documents, {len(originals)} originals; "
          + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())), file=sys.stderr)


if __name__ == "__main__":
    main()
