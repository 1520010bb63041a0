// The three dedup steps. Each keeps only hashes/signatures and the ids of earlier documents (for
// the duplicates report), never text. See dedup.h for the contract and docs/dedup.md for the design.
#include "dedup/dedup.h"

#include <fmt/format.h>
#include <xxhash.h>

#include <string>
#include <vector>

#include "core/json.h"
#include "core/reasons.h"
#include "core/step.h"
#include "dedup/flat_map.h"
#include "dedup/minhash.h"
#include "text/key.h"

namespace decruft::dedup {

namespace {

// The ids of earlier documents, packed into one buffer (8 bytes + the id per document).
class IdArena {
 public:
  std::uint32_t add(std::string_view id) {
    offsets_.push_back(bytes_.size());
    bytes_.append(id);
    return static_cast<std::uint32_t>(offsets_.size() - 1);
  }
  std::string_view get(std::uint32_t i) const {
    std::size_t begin = offsets_[i];
    std::size_t end = i + 1 < offsets_.size() ? offsets_[i + 1] : bytes_.size();
    return std::string_view(bytes_).substr(begin, end - begin);
  }
  std::uint32_t size() const { return static_cast<std::uint32_t>(offsets_.size()); }

 private:
  std::string bytes_;
  std::vector<std::uint64_t> offsets_;
};

// The match key of the text a document is compared on: its kept body blocks. Titles are left out
// (outlets retitle the same wire story), except when the body is shorter than `title_below_words`
// words: a body that small ("بلاتر", a byline) says too little on its own, and two distinct
// articles whose scrape kept only that would otherwise be merged (titles then come first).
//
// It is the key of the blocks' texts joined with '\n', built from the blocks' cached keys: a key
// has its separators collapsed and trimmed, and keys do not reach across a line break, so
// match_key(a + "\n" + b) == key(a) + " " + key(b) when both keys are non-empty (unit test
// DedupKeys.BodyKeyFromBlockKeys checks it on the seed texts). Words are counted on the text, as
// split_words on the joined text would (a line break separates words).
std::string body_key(const Document& doc, const DedupOptions& options) {
  // Only whether the body has fewer than title_below_words words matters: counting stops there.
  const auto limit = static_cast<std::size_t>(std::max(0, options.title_below_words));
  std::size_t body_words = 0;
  bool any_title = false;
  for (const auto& b : doc.blocks) {
    if (b.kept()) {
      if (b.kind == BlockKind::k_title) {
        any_title = true;
      } else if (body_words < limit) {
        body_words += count_words(b.text, limit - body_words);
      }
    }
  }
  const bool with_titles = any_title && body_words < limit;
  std::string key;
  std::size_t size = 0;  // an upper bound: the keys and a space after each
  for (const auto& b : doc.blocks) {
    if (b.kept() && (with_titles || b.kind != BlockKind::k_title)) {
      size += b.key().size() + 1;
    }
  }
  key.reserve(size);
  auto append = [&](const Block& b) {
    const std::string& k = b.key();
    if (k.empty()) {
      return;
    }
    if (!key.empty()) {
      key += ' ';
    }
    key += k;
  };
  if (with_titles) {
    for (const auto& b : doc.blocks) {
      if (b.kept() && b.kind == BlockKind::k_title) {
        append(b);
      }
    }
  }
  for (const auto& b : doc.blocks) {
    if (b.kept() && b.kind != BlockKind::k_title) {
      append(b);
    }
  }
  return key;
}

const std::string& prepared_key(const Document& doc, const DedupOptions& options, Prepared& out) {
  if (!out.body_key) {
    out.body_key = body_key(doc, options);
  }
  return *out.body_key;
}

bool has_word(std::string_view key) { return key.find_first_not_of(" \t\r\n\f\v") != std::string_view::npos; }

void mark_duplicate(Document& doc, std::string_view reason, std::string_view step, std::string evidence,
                    std::string_view of, double similarity) {
  doc.drop = Drop{std::string(reason), std::string(step), std::move(evidence)};
  doc.metadata["duplicate_of"] = json::quote(of);
  doc.metadata["similarity"] = fmt::format("{:.3f}", similarity);
}

// A cluster run replays verdicts decided by another process (src/cli/cluster.h).
void apply_decision(Document& doc, const Prepared& p, std::string_view step) {
  if (!p.decision || p.decision->step != step) {
    return;
  }
  doc.drop = p.decision->drop;
  for (const auto& [k, v] : p.decision->metadata) {
    doc.metadata[k] = v;
  }
}

// A dedup step whose per-document work is done ahead (prepare(), on any thread): process(doc)
// does it inline; in a cluster run's write stage the verdict decided elsewhere is applied instead.
class PreparedStep : public Step {
 public:
  void process(Document& doc) final {
    Prepared p;
    prepare(doc, p);
    decide(doc, p);
  }
  void process(Document& doc, Prepared& p) final {
    if (p.replay) {
      apply_decision(doc, p, name());
      return;
    }
    decide(doc, p);
  }

 protected:
  // The in-order part: look the prepared keys up, mark the document when it is a duplicate.
  virtual void decide(Document& doc, Prepared& p) = 0;
};

class ExactDedupStep final : public PreparedStep {
 public:
  explicit ExactDedupStep(const DedupOptions& o) : options_(o) {}
  std::string_view name() const override { return "exact_dedup"; }
  std::string_view description() const override {
    return "drop a document whose normalised text (match key, XXH3-128) equals an earlier one's";
  }
  void prepare(const Document& doc, Prepared& out) const override {
    const std::string& key = prepared_key(doc, options_, out);
    out.has_words = has_word(key);
    XXH128_hash_t h = XXH3_128bits_withSeed(key.data(), key.size(), options_.seed);
    out.exact_lo = h.low64;
    out.exact_hi = h.high64;
    out.exact_ready = true;
  }

 protected:
  void decide(Document& doc, Prepared& p) override {
    if (!p.exact_ready) {
      prepare(doc, p);
    }
    if (!p.has_words) {
      return;
    }
    detail::Hash128 k{p.exact_lo, p.exact_hi};
    if (std::uint32_t first = seen_.find(k); first != seen_.k_empty) {
      std::string_view of = ids_.get(first);
      mark_duplicate(doc, reason::k_duplicate_doc, name(), fmt::format("same normalised text as {}", of), of, 1.0);
      return;
    }
    seen_.put(k, ids_.add(doc.id));
  }

 private:
  DedupOptions options_;
  detail::FlatMap<detail::Hash128> seen_;
  IdArena ids_;
};

class NearDedupStep final : public PreparedStep {
 public:
  explicit NearDedupStep(const DedupOptions& o) : options_(o), hasher_(o), index_(o) {}
  std::string_view name() const override { return "near_dedup"; }
  std::string_view description() const override {
    return "drop a near-duplicate of an earlier document (MinHash of word shingles, LSH, Jaccard check)";
  }
  void prepare(const Document& doc, Prepared& out) const override {
    out.signature = hasher_.signature(prepared_key(doc, options_, out));
    out.near_ready = true;
  }

 protected:
  void decide(Document& doc, Prepared& p) override {
    NearIndex::Verdict v;
    if (p.pairs_ready) {
      v = replay_.offer(p.record, p.matches);
    } else {
      if (!p.near_ready) {
        prepare(doc, p);
      }
      const Signature& sig = p.signature;
      if (sig.empty()) {
        return;
      }
      v = index_.offer(sig);
    }
    if (v.ordinal != NearIndex::k_none) {
      ids_.add(doc.id);
    }
    if (v.duplicate) {
      std::string_view of = ids_.get(v.of);
      mark_duplicate(doc, reason::k_near_duplicate_doc, name(),
                     fmt::format("estimated Jaccard {:.3f} with {} ({}-word shingles, {} bands x {} rows)",
                                 v.similarity, of, options_.shingle_words, options_.bands, options_.rows),
                     of, v.similarity);
    }
  }

 private:
  DedupOptions options_;
  MinHasher hasher_;
  NearIndex index_;
  NearReplay replay_;  // a cluster run's dedup stage: the same decisions from verified pairs
  IdArena ids_;
};

class ParagraphDedupStep final : public Step {
 public:
  explicit ParagraphDedupStep(const DedupOptions& o) : options_(o) {}
  std::string_view name() const override { return "paragraph_dedup"; }
  std::string_view description() const override {
    return "drop a paragraph (at least paragraph_min_words words) already seen in an earlier document";
  }
  void process(Document& doc) override {
    Marks marks(doc, name());
    std::vector<std::uint64_t> fresh;
    bool body_left = false;
    bool dropped_any = false;
    for (std::size_t i = 0; i < doc.blocks.size(); ++i) {
      const Block& b = doc.blocks[i];
      if (!b.kept() || b.kind == BlockKind::k_title) {
        continue;
      }
      const std::string& key = b.key();
      if (const auto min_words = static_cast<std::size_t>(std::max(1, options_.paragraph_min_words));
          count_words(key, min_words) < min_words) {
        body_left = true;
        continue;
      }
      std::uint64_t h = XXH3_64bits_withSeed(key.data(), key.size(), options_.seed);
      if (std::uint32_t first = seen_.find(h); first != seen_.k_empty) {
        marks.drop(i, reason::k_duplicate_paragraph, fmt::format("also in {}", ids_.get(first)));
        dropped_any = true;
        continue;
      }
      body_left = true;
      fresh.push_back(h);
    }
    // Registered after the whole document: a paragraph repeated inside one document is not a
    // cross-document duplicate (filters handle that with duplicate_block).
    if (!fresh.empty()) {
      std::uint32_t ordinal = ids_.add(doc.id);
      for (std::uint64_t h : fresh) {
        seen_.put(h, ordinal);
      }
    }
    if (dropped_any && !body_left) {
      doc.drop = Drop{std::string(reason::k_empty_doc), std::string(name()),
                      "every paragraph appeared in earlier documents"};
    }
  }

 private:
  DedupOptions options_;
  detail::FlatMap<std::uint64_t> seen_;
  IdArena ids_;
};

}  // namespace

std::unique_ptr<Step> make_exact_dedup_step(const DedupOptions& options) {
  return std::make_unique<ExactDedupStep>(options);
}
std::unique_ptr<Step> make_near_dedup_step(const DedupOptions& options) {
  return std::make_unique<NearDedupStep>(options);
}
std::unique_ptr<Step> make_paragraph_dedup_step(const DedupOptions& options) {
  return std::make_unique<ParagraphDedupStep>(options);
}

}  // namespace decruft::dedup
