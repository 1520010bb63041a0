// Differential tests: the LSH index against brute-force all-pairs oracles on random corpora.
//
// 1. Band oracle (exact): every earlier document that shares a band and whose estimated Jaccard
//    reaches the threshold is a match; the index must give the same verdict, the same `of` and the
//    same similarity for every document. This checks the hash tables, chains and the online rule.
// 2. Estimate oracle: all pairs by estimated Jaccard, no banding. LSH drops a subset of what it
//    drops (every LSH match is verified the same way) and misses few.
// 3. Truth oracle: all pairs by the true Jaccard of the shingle sets. A document with an earlier
//    one at J >= 0.9 is dropped (recall), one with none above 0.6 never is (precision).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

#include "dedup/minhash.h"

namespace decruft::dedup {
namespace {

struct Corpus {
  std::vector<std::string> keys;
};

// Random corpus: `bases` documents of 60-400 random words, then variants of random bases with a
// random share of words substituted, inserted or deleted; all shuffled together.
Corpus random_corpus(std::uint64_t seed, int bases, int variants) {
  std::mt19937_64 rng(seed);
  auto pick = [&](std::uint64_t n) { return rng() % n; };
  auto token = [&]() { return "t" + std::to_string(pick(3000)); };
  std::vector<std::vector<std::string>> base_words(static_cast<std::size_t>(bases));
  for (auto& words : base_words) {
    std::size_t n = 60 + pick(340);
    for (std::size_t i = 0; i < n; ++i) {
      words.push_back(token());
    }
  }
  std::vector<std::vector<std::string>> docs = base_words;
  const double rates[] = {0.0, 0.005, 0.01, 0.02, 0.03, 0.05, 0.08, 0.12, 0.2, 0.4};
  for (int v = 0; v < variants; ++v) {
    const auto& src = base_words[pick(static_cast<std::uint64_t>(bases))];
    double rate = rates[pick(std::size(rates))];
    std::vector<std::string> words;
    for (const auto& w : src) {
      double r = static_cast<double>(pick(1000000)) / 1e6;
      if (r < rate / 3) {
        continue;  // delete
      }
      if (r < 2 * rate / 3) {
        words.push_back(token());  // substitute
        continue;
      }
      words.push_back(w);
      if (r < rate) {
        words.push_back(token());  // insert
      }
    }
    docs.push_back(std::move(words));
  }
  for (std::size_t i = docs.size(); i > 1; --i) {
    std::swap(docs[i - 1], docs[pick(i)]);
  }
  Corpus c;
  for (const auto& words : docs) {
    std::string key;
    for (const auto& w : words) {
      key += key.empty() ? "" : " ";
      key += w;
    }
    c.keys.push_back(std::move(key));
  }
  return c;
}

struct OracleVerdict {
  bool duplicate = false;
  int of = -1;  // document number
  double similarity = 0.0;
  bool operator==(const OracleVerdict&) const = default;
};

bool share_band(const Signature& a, const Signature& b, int bands, int rows) {
  for (int band = 0; band < bands; ++band) {
    auto first = a.begin() + band * rows;
    if (std::equal(first, first + rows, b.begin() + band * rows)) {
      return true;
    }
  }
  return false;
}

// The online rule over all earlier inserted documents, by brute force.
std::vector<OracleVerdict> brute_force(const std::vector<Signature>& sigs, const DedupOptions& o, bool banded) {
  std::vector<OracleVerdict> out(sigs.size());
  std::vector<int> inserted;
  std::vector<bool> kept(sigs.size(), false);
  for (std::size_t j = 0; j < sigs.size(); ++j) {
    OracleVerdict v;
    bool best_kept = false;
    for (int i : inserted) {
      if (banded && !share_band(sigs[j], sigs[static_cast<std::size_t>(i)], o.bands, o.rows)) {
        continue;
      }
      double s = estimate_jaccard(sigs[j], sigs[static_cast<std::size_t>(i)]);
      if (s < o.threshold) {
        continue;
      }
      bool k = kept[static_cast<std::size_t>(i)];
      if (!v.duplicate || s > v.similarity || (s == v.similarity && k && !best_kept)) {
        v = {true, i, s};
        best_kept = k;
      }
    }
    out[j] = v;
    if (!(v.duplicate && v.similarity >= 1.0)) {
      inserted.push_back(static_cast<int>(j));
      kept[j] = !v.duplicate;
    }
  }
  return out;
}

std::vector<OracleVerdict> run_index(const std::vector<Signature>& sigs, const DedupOptions& o) {
  NearIndex index(o);
  std::vector<int> doc_of_ordinal;
  std::vector<OracleVerdict> out;
  for (std::size_t j = 0; j < sigs.size(); ++j) {
    auto v = index.offer(sigs[j]);
    OracleVerdict r;
    if (v.duplicate) {
      r = {true, doc_of_ordinal.at(v.of), v.similarity};
    }
    if (v.ordinal != NearIndex::k_none) {
      EXPECT_EQ(v.ordinal, doc_of_ordinal.size());
      doc_of_ordinal.push_back(static_cast<int>(j));
    }
    out.push_back(r);
  }
  return out;
}

double true_jaccard(const std::unordered_set<std::uint64_t>& a, const std::unordered_set<std::uint64_t>& b) {
  std::size_t inter = 0;
  for (auto x : a) {
    inter += b.count(x);
  }
  std::size_t uni = a.size() + b.size() - inter;
  return uni == 0 ? 0.0 : static_cast<double>(inter) / static_cast<double>(uni);
}

struct Params {
  int shingle_words;
  int bands;
  int rows;
  double threshold;
  std::uint64_t seed;
  int slots = 256;
};

class DedupOracle : public ::testing::TestWithParam<Params> {};

TEST_P(DedupOracle, LshMatchesBruteForce) {
  const Params p = GetParam();
  DedupOptions o;
  o.shingle_words = p.shingle_words;
  o.bands = p.bands;
  o.rows = p.rows;
  o.threshold = p.threshold;
  o.seed = p.seed;
  o.signature_slots = p.slots;
  Corpus corpus = random_corpus(p.seed * 7919, 50, 250);
  MinHasher hasher(o);
  std::vector<Signature> sigs;
  std::vector<std::unordered_set<std::uint64_t>> sets;
  for (const auto& key : corpus.keys) {
    sigs.push_back(hasher.signature(key));
    auto sh = shingle_hashes(key, o);
    sets.emplace_back(sh.begin(), sh.end());
  }

  // 1. Exactly the banded brute force.
  auto lsh = run_index(sigs, o);
  auto banded = brute_force(sigs, o, true);
  int dropped = 0;
  for (std::size_t j = 0; j < sigs.size(); ++j) {
    EXPECT_EQ(lsh[j], banded[j]) << "document " << j;
    dropped += lsh[j].duplicate ? 1 : 0;
  }
  EXPECT_GT(dropped, 50) << "the corpus must exercise the index";

  // 1b. NearReplay (a cluster run's dedup stage) on the pairs the band tasks would verify: every
  // EARLIER document sharing a band at >= threshold, inserted or not, numbered with gaps as
  // records never offered leave them. The same verdicts as the index.
  NearReplay replay;
  std::vector<int> doc_of_ordinal;
  for (std::size_t j = 0; j < sigs.size(); ++j) {
    std::vector<std::pair<std::uint64_t, double>> matches;
    for (std::size_t i = 0; i < j; ++i) {
      if (share_band(sigs[j], sigs[i], o.bands, o.rows)) {
        const double s = estimate_jaccard(sigs[j], sigs[i]);
        if (s >= o.threshold) {
          matches.emplace_back(3 * i + 1, s);
        }
      }
    }
    auto v = replay.offer(3 * j + 1, matches);
    OracleVerdict r;
    if (v.duplicate) {
      r = {true, doc_of_ordinal.at(v.of), v.similarity};
    }
    if (v.ordinal != NearIndex::k_none) {
      ASSERT_EQ(v.ordinal, doc_of_ordinal.size());
      doc_of_ordinal.push_back(static_cast<int>(j));
    }
    EXPECT_EQ(r, lsh[j]) << "replay, document " << j;
  }

  // 2. Against all pairs by estimate: a subset, with high recall.
  auto all_pairs = brute_force(sigs, o, false);
  int oracle_dropped = 0;
  int both = 0;
  for (std::size_t j = 0; j < sigs.size(); ++j) {
    if (lsh[j].duplicate) {
      EXPECT_TRUE(all_pairs[j].duplicate) << "LSH dropped " << j << " which no verified pair supports";
    }
    oracle_dropped += all_pairs[j].duplicate ? 1 : 0;
    both += (all_pairs[j].duplicate && lsh[j].duplicate) ? 1 : 0;
  }
  EXPECT_GE(static_cast<double>(both), 0.95 * oracle_dropped);

  // 3. Against the true Jaccard.
  int should = 0;
  int found = 0;
  for (std::size_t j = 0; j < sigs.size(); ++j) {
    double best = 0.0;
    for (std::size_t i = 0; i < j; ++i) {
      best = std::max(best, true_jaccard(sets[j], sets[i]));
    }
    if (best >= p.threshold + 0.1) {
      ++should;
      found += lsh[j].duplicate ? 1 : 0;
    }
    if (best < p.threshold - 0.2) {
      EXPECT_FALSE(lsh[j].duplicate) << "document " << j << " dropped; best true Jaccard " << best;
    }
  }
  std::printf("dropped %d (all-pairs oracle %d, both %d); true J >= %.2f: %d, found %d\n", dropped, oracle_dropped,
              both, p.threshold + 0.1, should, found);
  ASSERT_GT(should, 20);
  EXPECT_GE(static_cast<double>(found), 0.97 * should) << found << " of " << should;
}

// The index verifies a candidate only as far as it can still reach the threshold and tie the best
// match so far (NearIndex::offer); the oracle counts every slot of every pair. Signatures are made
// directly, in groups sharing band 0, each a copy of the group's base with a number of slots
// changed around the threshold's count (205 of 256 at 0.8) to values from a small alphabet, so
// that candidates fall just above and below the threshold, tie one another exactly and lose the
// tie to kept or earlier documents, and some are settled in each 64-slot block.
TEST(DedupOracleFastPath, BoundedVerificationMatchesFullCount) {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    DedupOptions o;
    o.threshold = seed % 4 == 0 ? 0.85 : 0.8;
    if (seed % 10 == 0) {
      o.signature_slots = 300;  // slots past the last whole block of 64
    }
    const int slots = std::max(o.bands * o.rows, o.signature_slots);
    std::mt19937_64 rng(seed);
    std::vector<Signature> sigs;
    const int groups = 3 + static_cast<int>(rng() % 4);
    std::vector<Signature> bases;
    for (int g = 0; g < groups; ++g) {
      Signature base(static_cast<std::size_t>(slots));
      for (auto& v : base) {
        v = static_cast<std::uint16_t>(rng() % 7);
      }
      bases.push_back(base);
    }
    const int changes[] = {0, 1, 2, 20, 38, 39, 40, 45, 49, 50, 51, 52, 53, 60, 64, 65, 100, 200};
    for (int d = 0; d < 300; ++d) {
      Signature s = bases[rng() % bases.size()];
      const int k = changes[rng() % std::size(changes)];
      for (int c = 0; c < k; ++c) {
        // Slots past band 0 (kept: every group member is a candidate of every other), biased to
        // one 64-slot block so that some candidates fail late and some early.
        const int block = static_cast<int>(rng() % 4);
        int at = o.rows + static_cast<int>(rng() % static_cast<std::uint64_t>(slots - o.rows));
        if (rng() % 2 == 0) {
          at = std::max(o.rows, std::min(slots - 1, block * 64 + static_cast<int>(rng() % 64)));
        }
        s[static_cast<std::size_t>(at)] = static_cast<std::uint16_t>(rng() % 7);
      }
      sigs.push_back(std::move(s));
    }
    auto lsh = run_index(sigs, o);
    auto oracle = brute_force(sigs, o, true);
    int dropped = 0;
    for (std::size_t j = 0; j < sigs.size(); ++j) {
      ASSERT_EQ(lsh[j], oracle[j]) << "seed " << seed << " document " << j << " similarity " << lsh[j].similarity
                                   << " vs " << oracle[j].similarity;
      dropped += lsh[j].duplicate ? 1 : 0;
    }
    EXPECT_GT(dropped, 30) << "seed " << seed;
    EXPECT_LT(dropped, 290) << "seed " << seed;
  }
}

INSTANTIATE_TEST_SUITE_P(Params, DedupOracle,
                         ::testing::Values(Params{5, 14, 8, 0.8, 1}, Params{5, 14, 8, 0.8, 2}, Params{3, 20, 5, 0.7, 3},
                                           Params{5, 9, 13, 0.85, 4}, Params{1, 14, 8, 0.8, 5},
                                           Params{5, 14, 8, 0.8, 6, 112}));

}  // namespace
}  // namespace decruft::dedup
