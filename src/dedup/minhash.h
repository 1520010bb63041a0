// MinHash signatures and the online LSH index behind near_dedup, usable without a Document (tests,
// benchmarks, the differential oracle).
//
//   MinHasher hasher(options);
//   NearIndex index(options);
//   for (auto& key : keys) {                      // keys: text::match_key of each document, in order
//     auto sig = hasher.signature(key);
//     if (sig.empty()) continue;                  // no words: nothing to compare
//     NearIndex::Verdict v = index.offer(sig);    // v.duplicate, v.of (ordinal), v.similarity
//   }
//
// Signature scheme (one hash per shingle, cheap per-permutation mixing):
//   word hash  w = XXH3_64(word, seed)                       every word hashed once
//   shingle    h = XXH3_64(w_i .. w_{i+n-1}, seed)           folded to x = lo32(h) ^ hi32(h)
//   value k    v_k(x) = ((a_k * x + b_k) mod 2^64) >> 32     a_k odd, a_k and b_k random 64-bit
//   sig[k]     = low 16 bits of (min over shingles of v_k)
// v_k is Dietzfelbinger's multiply-add-shift family, strongly universal for 32-bit keys, so each
// slot is a min-wise hash whose collision rate estimates the Jaccard similarity; it costs one
// multiply and add per slot and vectorises (AVX2 clone where available). Keeping the low 16 bits of
// each 32-bit minimum is b-bit minwise hashing (Li & Koenig): two different minima agree by chance
// with probability 2^-16 (a bias of 0.00002 on the estimate), and for the memory of 128 full slots
// the signature holds 256, so the Jaccard check is sharper: its standard error at J = 0.85 is
// 0.022 instead of 0.034 with the 112 slots of the bands alone (512 bytes per document).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "dedup/dedup.h"

namespace decruft::dedup {

using Signature = std::vector<std::uint16_t>;

// Splits a match key into words on ASCII white space (runs and ends ignored).
std::vector<std::string_view> split_words(std::string_view key);
// min(split_words(key).size(), limit), without building the list; stops at `limit` words.
std::size_t count_words(std::string_view key, std::size_t limit = SIZE_MAX);

// The 64-bit hashes of the word n-gram shingles of `key`, in text order (duplicates kept; at
// most max_shingles). A key with fewer than n words (but at least one) is one shingle.
std::vector<std::uint64_t> shingle_hashes(std::string_view key, const DedupOptions& options);

class MinHasher {
 public:
  explicit MinHasher(const DedupOptions& options = {});
  int size() const { return static_cast<int>(a_.size()); }
  // The signature of a match key; empty when the key has no words.
  Signature signature(std::string_view key) const;
  // The signature of a set of shingle hashes (as shingle_hashes returns); empty for none.
  Signature signature_of_shingles(std::span<const std::uint64_t> shingles) const;

 private:
  DedupOptions options_;
  std::vector<std::uint64_t> a_;
  std::vector<std::uint64_t> b_;
};

// Share of equal slots: the MinHash estimate of the Jaccard similarity. Sizes must match.
double estimate_jaccard(std::span<const std::uint16_t> a, std::span<const std::uint16_t> b);

// 64-bit hash of band `band` (slots [band*rows, (band+1)*rows)) of a signature.
std::uint64_t band_hash(std::span<const std::uint16_t> signature, int band, int rows, std::uint64_t seed);

namespace detail {
struct BandTable;
}

// Online near-duplicate detection over signatures offered in input order.
//
// Rule: document d is a near-duplicate when some EARLIER document e shares at least one LSH band
// with it (all `rows` slots of a band equal) and estimate_jaccard(d, e) >= threshold. Earlier
// documents include those already found to be duplicates, so a copy of a copy is caught. Every
// verified pair is an edge of the offline union-find graph; the kept documents are exactly those
// with no edge to an earlier document, which (a) contains the first document of every offline
// cluster, so no cluster is lost, and (b) is an independent set: no two kept documents are
// near-duplicates. It differs from offline union-find only when a later document bridges two
// earlier, mutually dissimilar documents: offline would drop the second of them retroactively,
// online keeps both (they were not similar to each other) and drops the bridge.
//
// `of` names the earlier document reported in the duplicates report: among the verified matches,
// the most similar, a kept document before a duplicate one, then the earliest.
//
// Memory per document inserted: the signature (2 * signature_slots bytes), one chain link per band
// (4 * bands) and one band-table slot per band (16 bytes at a load of 0.35-0.7): about 1000 bytes
// with the defaults; memory_bytes() reports the exact figure. A document whose signature equals an
// earlier one's is not inserted (every later query would find the earlier one with the same
// similarity), which also keeps band chains short when many copies arrive.
class NearIndex {
 public:
  static constexpr std::uint32_t k_none = 0xffffffffu;
  // Candidates verified per query at most (the earliest in each band chain come last): bounds a
  // query on pathological input where thousands of documents share a band.
  static constexpr std::size_t k_max_candidates = 4096;

  explicit NearIndex(const DedupOptions& options = {});
  ~NearIndex();
  NearIndex(const NearIndex&) = delete;
  NearIndex& operator=(const NearIndex&) = delete;

  struct Verdict {
    bool duplicate = false;
    std::uint32_t of = k_none;         // ordinal of the matched earlier document
    double similarity = 0.0;           // estimated Jaccard with it
    std::uint32_t ordinal = k_none;    // this document's ordinal, or k_none when not inserted
  };
  // Checks a signature against all earlier ones, then inserts it. Ordinals count inserted
  // documents from 0. The signature size must be MinHasher(options).size().
  Verdict offer(std::span<const std::uint16_t> signature);

  // The verified earlier matches of a document: ordinal and estimated Jaccard (>= threshold).
  struct Match {
    std::uint32_t ordinal;
    double similarity;
  };
  // The rule naming duplicate_of among verified matches given in ascending ordinal order: the most
  // similar, a kept document before a duplicate one, then the earliest. `kept(ordinal)` tells
  // whether that document was kept. NearReplay applies it; offer() applies the same rule as it
  // verifies the candidates (unit test DedupOracleFastPath checks the two agree).
  template <class Kept>
  static Verdict choose(std::span<const Match> matches, Kept kept) {
    Verdict verdict;
    bool best_kept = false;
    for (const Match& m : matches) {
      const bool k = kept(m.ordinal);
      if (!verdict.duplicate || m.similarity > verdict.similarity ||
          (m.similarity == verdict.similarity && k && !best_kept)) {
        verdict.duplicate = true;
        verdict.of = m.ordinal;
        verdict.similarity = m.similarity;
        best_kept = k;
      }
    }
    return verdict;
  }
  // Whether a document with this verdict is inserted: not when an identical signature is indexed
  // already (every later query would find that one with the same similarity).
  static bool inserted(const Verdict& v) { return !(v.duplicate && v.similarity >= 1.0); }

  std::size_t size() const { return kept_.size(); }
  std::span<const std::uint16_t> signature(std::uint32_t ordinal) const;
  bool kept(std::uint32_t ordinal) const { return kept_[ordinal]; }
  std::size_t memory_bytes() const;

 private:
  DedupOptions options_;
  int length_;
  // Signatures in chunks of k_chunk documents: no reallocation copies (a doubling vector would
  // need 1.5-2x the memory at the moment it grows).
  static constexpr std::size_t k_chunk = 4096;
  std::vector<std::vector<std::uint16_t>> signatures_;
  std::vector<std::uint32_t> next_;        // size() * bands: previous ordinal in the same bucket
  std::vector<bool> kept_;
  std::vector<detail::BandTable> tables_;  // one per band: band hash -> latest ordinal
  std::vector<std::uint32_t> candidates_;  // scratch
  // ordinal -> the last query that listed it as a candidate: a document in several of the query's
  // buckets is listed once (sorting every bucket entry cost more than the verification)
  std::vector<std::uint32_t> listed_in_;
  std::uint32_t query_ = 0;
  std::size_t need_ = 0;                   // equal slots at which a share reaches the threshold
};

// NearIndex's decisions from pairs verified elsewhere (a cluster run's band tasks, src/cli/cluster.h):
// documents are numbered by record (any increasing numbering; records never offered are skipped),
// and each offer gives every EARLIER record that shares an LSH band with it and whose estimated
// Jaccard reaches the threshold. The verdicts equal NearIndex::offer's on the same documents
// whenever no query reached NearIndex::k_max_candidates (the caller checks that bound).
class NearReplay {
 public:
  using Verdict = NearIndex::Verdict;
  // `matches`: (record, estimated Jaccard), ascending by record, records below `record`.
  Verdict offer(std::uint64_t record, std::span<const std::pair<std::uint64_t, double>> matches);

 private:
  std::vector<std::uint32_t> ordinal_of_;  // record -> ordinal in the index, or k_none
  std::vector<bool> kept_;                 // ordinal -> kept
  std::vector<NearIndex::Match> scratch_;
};

}  // namespace decruft::dedup
