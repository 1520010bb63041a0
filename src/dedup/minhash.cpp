#include "dedup/minhash.h"

// XXH3 inlined (header-only mode of the same xxHash): these hash a few bytes at a time, where the
// library call and its length dispatch cost as much as the hash. The values are the library's.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>

#include "dedup/flat_map.h"

namespace decruft::dedup {

namespace detail {
struct BandTable : FlatMap<std::uint64_t> {};
}  // namespace detail

namespace {

// splitmix64: the permutation parameters come from the seed, so a run is reproducible.
std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

// The hot loop: folds a batch of shingle values into the running minima. GCC vectorises it only
// at -O3 (its -O2 cost model declines), so the function asks for O3; it is cloned for AVX2 where
// the CPU has it (measured: 3x the scalar -O2 loop, see docs/dedup.md) and for AVX-512 (x86-64-v4:
// vpmullq, 8 lanes; 1.7x the AVX2 clone on Zen 4); clang vectorises at -O2.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(DECRUFT_NO_CLONES)
__attribute__((target_clones("arch=x86-64-v4", "avx2", "default"), optimize("O3")))
#endif
void fold_minima(const std::uint64_t* __restrict a, const std::uint64_t* __restrict b, std::uint32_t* __restrict sig,
                 std::size_t k, const std::uint32_t* __restrict xs, std::size_t n) {
  // Slots in chunks of 64, the chunk's parameters and minima held in registers across all the
  // shingles (slot-major): the minima are not loaded and stored again for every shingle.
  constexpr std::size_t k_chunk = 64;
  std::size_t i0 = 0;
  for (; i0 + k_chunk <= k; i0 += k_chunk) {
    std::uint64_t ca[k_chunk];
    std::uint64_t cb[k_chunk];
    std::uint32_t m[k_chunk];
    for (std::size_t i = 0; i < k_chunk; ++i) {
      ca[i] = a[i0 + i];
      cb[i] = b[i0 + i];
      m[i] = sig[i0 + i];
    }
    for (std::size_t j = 0; j < n; ++j) {
      const std::uint64_t x = xs[j];
      for (std::size_t i = 0; i < k_chunk; ++i) {
        const auto v = static_cast<std::uint32_t>((ca[i] * x + cb[i]) >> 32);
        m[i] = v < m[i] ? v : m[i];
      }
    }
    for (std::size_t i = 0; i < k_chunk; ++i) {
      sig[i0 + i] = m[i];
    }
  }
  for (std::size_t j = 0; j < n; ++j) {  // the slots past the last whole chunk
    const std::uint64_t x = xs[j];
    for (std::size_t i = i0; i < k; ++i) {
      const auto v = static_cast<std::uint32_t>((a[i] * x + b[i]) >> 32);
      sig[i] = v < sig[i] ? v : sig[i];
    }
  }
}

}  // namespace

namespace {

// The end of the word starting at `i` (the first white-space byte at or after it, or the key's
// size). Eight bytes at a time: a word of Arabic text is ~10 bytes, and the byte loop with six
// compares per byte cost more than hashing the word. A byte below 0x21 is flagged exactly when it
// is the lowest flagged byte (the borrow of the subtraction only disturbs bytes above a flagged
// one); bytes of 0x80 and up (UTF-8 sequences) are never flagged. Control bytes are flagged too
// and skipped here: only the six white-space bytes end a word.
std::size_t word_end(std::string_view key, std::size_t i) {
  const char* p = key.data();
  const std::size_t n = key.size();
  if constexpr (std::endian::native == std::endian::little) {
    while (i + 8 <= n) {
      std::uint64_t v;
      std::memcpy(&v, p + i, 8);
      const std::uint64_t low = (v - 0x2121212121212121ull) & ~v & 0x8080808080808080ull;
      if (low == 0) {
        i += 8;
        continue;
      }
      const std::size_t at = i + static_cast<std::size_t>(std::countr_zero(low) / 8);
      if (is_space(p[at])) {
        return at;
      }
      i = at + 1;
    }
  }
  while (i < n && !is_space(p[i])) {
    ++i;
  }
  return i;
}

// Calls f(word) for each word of `key` (split on white space, runs and ends ignored) until f
// returns false.
template <class F>
void for_each_word(std::string_view key, F f) {
  std::size_t i = 0;
  const std::size_t n = key.size();
  while (i < n) {
    while (i < n && is_space(key[i])) {
      ++i;
    }
    if (i == n) {
      return;
    }
    const std::size_t end = word_end(key, i);
    if (!f(key.substr(i, end - i))) {
      return;
    }
    i = end;
  }
}

// XXH3_64bits_withSeed(word): a word of up to 16 bytes (most Arabic words) goes straight to the
// routine the library's entry point dispatches it to, forced inline (the entry point was a call).
std::uint64_t word_hash(std::string_view w, std::uint64_t seed) {
  if (w.size() <= 16) {
    return XXH3_len_0to16_64b(reinterpret_cast<const xxh_u8*>(w.data()), w.size(), XXH3_kSecret, seed);
  }
  return XXH3_64bits_withSeed(w.data(), w.size(), seed);
}

// The XXH3 of each word of `key`, the first max_shingles + n - 1 at most, into `words`.
void word_hashes(std::string_view key, const DedupOptions& options, std::vector<std::uint64_t>& words) {
  words.clear();
  const std::size_t n = static_cast<std::size_t>(std::max(1, options.shingle_words));
  const std::size_t max_words = options.max_shingles + n - 1;
  if (max_words == 0) {
    return;
  }
  for_each_word(key, [&](std::string_view w) {
    words.push_back(word_hash(w, options.seed));
    return words.size() < max_words;
  });
}

// The number of shingles of `words` word hashes (a text under n words is one shingle) and their
// width in words.
std::pair<std::size_t, std::size_t> shingle_shape(std::size_t words, const DedupOptions& options) {
  const std::size_t n = static_cast<std::size_t>(std::max(1, options.shingle_words));
  if (words == 0) {
    return {0, 0};
  }
  return {words < n ? 1 : words - n + 1, std::min(n, words)};
}

// The hash of shingle `s`: the words s .. s + width - 1.
std::uint64_t shingle_hash(const std::uint64_t* words, std::size_t s, std::size_t width, std::uint64_t seed) {
  return XXH3_64bits_withSeed(words + s, width * sizeof(std::uint64_t), seed);
}

// The 32-bit key the permutations see.
std::uint32_t fold32(std::uint64_t h) { return static_cast<std::uint32_t>(h ^ (h >> 32)); }

// keys[j] = fold32(shingle_hash(words, j, width, seed)) for j < n. The default width (5 words, 40
// bytes) has its own loop calling XXH3's routine for 17-128 bytes, which XXH3_64bits_withSeed
// calls for that length with the default secret: forced inline with the length a constant, it is
// four multiplies and the avalanche, where the library entry point was a call (GCC did not inline
// it) and a dispatch on the length per shingle. Unit test Shingles.HashesAreXXH3OfTheWords checks
// the values against the library's.
void shingle_keys(const std::uint64_t* words, std::size_t n, std::size_t width, std::uint64_t seed,
                  std::uint32_t* keys) {
  constexpr std::size_t k_default_width = 5;
  if (width == k_default_width) {
    for (std::size_t j = 0; j < n; ++j) {
      keys[j] = fold32(XXH3_len_17to128_64b(reinterpret_cast<const xxh_u8*>(words + j),
                                            k_default_width * sizeof(std::uint64_t), XXH3_kSecret,
                                            sizeof(XXH3_kSecret), seed));
    }
    return;
  }
  for (std::size_t j = 0; j < n; ++j) {
    keys[j] = fold32(shingle_hash(words, j, width, seed));
  }
}

}  // namespace

std::vector<std::string_view> split_words(std::string_view key) {
  std::vector<std::string_view> words;
  for_each_word(key, [&](std::string_view w) {
    words.push_back(w);
    return true;
  });
  return words;
}

std::size_t count_words(std::string_view key, std::size_t limit) {
  std::size_t n = 0;
  bool in_word = false;
  for (char c : key) {
    bool space = is_space(c);
    if (!space && !in_word && ++n >= limit) {
      return limit;
    }
    in_word = !space;
  }
  return n;
}

std::vector<std::uint64_t> shingle_hashes(std::string_view key, const DedupOptions& options) {
  std::vector<std::uint64_t> words;
  word_hashes(key, options, words);
  const auto [count, width] = shingle_shape(words.size(), options);
  std::vector<std::uint64_t> shingles;
  shingles.reserve(count);
  for (std::size_t s = 0; s < count; ++s) {
    shingles.push_back(shingle_hash(words.data(), s, width, options.seed));
  }
  return shingles;
}

namespace {
int slots(const DedupOptions& o) { return std::max(std::max(1, o.bands) * std::max(1, o.rows), o.signature_slots); }
}  // namespace

MinHasher::MinHasher(const DedupOptions& options) : options_(options) {
  const auto k = static_cast<std::size_t>(slots(options));
  std::uint64_t state = options.seed ^ 0x6d696e68617368ull;  // "minhash"
  a_.resize(k);
  b_.resize(k);
  for (std::size_t i = 0; i < k; ++i) {
    a_[i] = splitmix64(state) | 1u;
    b_[i] = splitmix64(state);
  }
}

Signature MinHasher::signature(std::string_view key) const {
  // The same as signature_of_shingles(shingle_hashes(key)), without the list of shingles: each
  // batch of shingle keys is folded into the minima as it is hashed. The word hashes are kept in a
  // per-thread buffer (signatures are computed on the pipeline threads), so no allocation per
  // document but the signature.
  thread_local std::vector<std::uint64_t> words;
  word_hashes(key, options_, words);
  const auto [count, width] = shingle_shape(words.size(), options_);
  Signature sig;
  if (count == 0) {
    return sig;
  }
  thread_local std::vector<std::uint32_t> minima;
  minima.assign(a_.size(), std::numeric_limits<std::uint32_t>::max());
  constexpr std::size_t k_batch = 256;
  std::uint32_t xs[k_batch];
  for (std::size_t start = 0; start < count; start += k_batch) {
    const std::size_t n = std::min(k_batch, count - start);
    shingle_keys(words.data() + start, n, width, options_.seed, xs);
    fold_minima(a_.data(), b_.data(), minima.data(), a_.size(), xs, n);
  }
  sig.resize(minima.size());
  for (std::size_t i = 0; i < minima.size(); ++i) {
    sig[i] = static_cast<std::uint16_t>(minima[i]);
  }
  return sig;
}

Signature MinHasher::signature_of_shingles(std::span<const std::uint64_t> shingles) const {
  Signature sig;
  if (shingles.empty()) {
    return sig;
  }
  std::vector<std::uint32_t> minima(a_.size(), std::numeric_limits<std::uint32_t>::max());
  constexpr std::size_t k_batch = 256;
  std::uint32_t xs[k_batch];
  for (std::size_t start = 0; start < shingles.size(); start += k_batch) {
    const std::size_t n = std::min(k_batch, shingles.size() - start);
    for (std::size_t j = 0; j < n; ++j) {
      xs[j] = fold32(shingles[start + j]);
    }
    fold_minima(a_.data(), b_.data(), minima.data(), a_.size(), xs, n);
  }
  sig.resize(minima.size());
  for (std::size_t i = 0; i < minima.size(); ++i) {
    sig[i] = static_cast<std::uint16_t>(minima[i]);
  }
  return sig;
}

double estimate_jaccard(std::span<const std::uint16_t> a, std::span<const std::uint16_t> b) {
  if (a.empty() || a.size() != b.size()) {
    return 0.0;
  }
  // 64 slots at a time: a fixed-length count GCC vectorises at -O2 (the verification of every
  // LSH candidate runs here, in the in-order stage).
  std::size_t equal = 0;
  std::size_t i = 0;
  for (; i + 64 <= a.size(); i += 64) {
    unsigned block = 0;
    for (std::size_t j = 0; j < 64; ++j) {
      block += a[i + j] == b[i + j] ? 1u : 0u;
    }
    equal += block;
  }
  for (; i < a.size(); ++i) {
    equal += a[i] == b[i] ? 1 : 0;
  }
  return static_cast<double>(equal) / static_cast<double>(a.size());
}

std::uint64_t band_hash(std::span<const std::uint16_t> signature, int band, int rows, std::uint64_t seed) {
  const std::size_t begin = static_cast<std::size_t>(band) * static_cast<std::size_t>(rows);
  return XXH3_64bits_withSeed(signature.data() + begin, static_cast<std::size_t>(rows) * sizeof(std::uint16_t),
                              seed + static_cast<std::uint64_t>(band));
}

NearIndex::NearIndex(const DedupOptions& options)
    : options_(options),
      length_(slots(options)),
      tables_(static_cast<std::size_t>(std::max(1, options.bands))) {
  options_.bands = std::max(1, options.bands);
  options_.rows = std::max(1, options.rows);
  // The fewest equal slots whose share, computed as estimate_jaccard computes it, reaches the
  // threshold (length_ + 1: none does). Counts compare as their shares do: the share is a
  // correctly rounded division by the same length, so it is monotone in the count.
  need_ = 0;
  while (need_ <= static_cast<std::size_t>(length_) &&
         !(static_cast<double>(need_) / static_cast<double>(length_) >= options_.threshold)) {
    ++need_;
  }
}

NearIndex::~NearIndex() = default;

std::span<const std::uint16_t> NearIndex::signature(std::uint32_t ordinal) const {
  const auto& chunk = signatures_[ordinal / k_chunk];
  return {chunk.data() + (ordinal % k_chunk) * static_cast<std::size_t>(length_), static_cast<std::size_t>(length_)};
}

namespace {

// The number of equal slots of a and b (n slots), or any number below `bound` once `bound` cannot
// be reached: the slots are compared 64 at a time (a fixed-length count GCC vectorises at -O2)
// and the count stops when the slots left could not lift it to `bound`. Most LSH candidates share
// one band by chance and differ in most other slots: they are settled after the first 64 slots
// (two cache lines of a signature that is usually not in the cache) instead of all of them.
std::size_t equal_slots(const std::uint16_t* a, const std::uint16_t* b, std::size_t n, std::size_t bound) {
  std::size_t equal = 0;
  std::size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    unsigned block = 0;
    for (std::size_t j = 0; j < 64; ++j) {
      block += a[i + j] == b[i + j] ? 1u : 0u;
    }
    equal += block;
    if (equal + (n - i - 64) < bound) {
      return equal;
    }
  }
  for (; i < n; ++i) {
    equal += a[i] == b[i] ? 1 : 0;
  }
  return equal;
}

// Candidates whose first signature lines are prefetched before the verification starts.
constexpr std::size_t k_prefetch_candidates = 64;

}  // namespace

NearIndex::Verdict NearIndex::offer(std::span<const std::uint16_t> sig) {
  Verdict verdict;
  if (sig.size() != static_cast<std::size_t>(length_)) {
    return verdict;
  }
  const int bands = options_.bands;
  const auto nbands = static_cast<std::size_t>(bands);
  std::uint64_t hashes[256];
  std::uint32_t heads_small[256];
  std::vector<std::uint64_t> big;
  std::vector<std::uint32_t> big_heads;
  std::uint64_t* band_hashes = hashes;
  std::uint32_t* heads = heads_small;
  if (bands > 256) {
    big.resize(nbands);
    big_heads.resize(nbands);
    band_hashes = big.data();
    heads = big_heads.data();
  }
  // Candidates: every earlier document in a bucket this signature falls into, each once. The
  // bound counts bucket entries (a document in several buckets counts in each), as it always has.
  candidates_.clear();
  if (++query_ == 0) {  // wrapped: stamps of 2^32 queries ago would look current
    std::fill(listed_in_.begin(), listed_in_.end(), 0);
    query_ = 1;
  }
  // The band keys first, and their table slots prefetched: on a large corpus each lookup misses
  // the cache (measured: the lookups were 2/3 of offer's time, one miss after the other).
  for (std::size_t band = 0; band < nbands; ++band) {
    band_hashes[band] = band_hash(sig, static_cast<int>(band), options_.rows, options_.seed);
    tables_[band].prefetch(band_hashes[band]);
  }
  // Then every bucket's latest entry, and the chain links and stamp of each prefetched before any
  // chain is walked: those were the next miss in line (a third of offer's samples under perf), one
  // bucket after the other. A document's links for all bands share a line or two.
  for (std::size_t band = 0; band < nbands; ++band) {
    heads[band] = tables_[band].find(band_hashes[band]);
    if (heads[band] != k_none) {
      const std::uint32_t* link = next_.data() + static_cast<std::size_t>(heads[band]) * nbands;
      __builtin_prefetch(link);
      __builtin_prefetch(link + nbands - 1);
      __builtin_prefetch(listed_in_.data() + heads[band]);
    }
  }
  std::size_t entries = 0;
  for (std::size_t band = 0; band < nbands; ++band) {
    for (std::uint32_t e = heads[band]; e != k_none && entries < k_max_candidates;
         e = next_[static_cast<std::size_t>(e) * nbands + band]) {
      ++entries;
      if (listed_in_[e] != query_) {
        listed_in_[e] = query_;
        candidates_.push_back(e);
      }
    }
  }
  // The first two lines (64 slots) of each candidate's signature, which settle most candidates.
  for (std::size_t c = 0; c < candidates_.size() && c < k_prefetch_candidates; ++c) {
    const char* first = reinterpret_cast<const char*>(signature(candidates_[c]).data());
    __builtin_prefetch(first);
    __builtin_prefetch(first + 64);
  }
  std::sort(candidates_.begin(), candidates_.end());
  // Verification, in ordinal order so ties go to the earliest; the rule of choose() applied as the
  // candidates come (a differential test checks it against choose() over all verified matches).
  // A candidate is only counted to the end while it can still reach the threshold and at least
  // tie the best match so far: one that cannot would not change the verdict.
  const auto n = static_cast<std::size_t>(length_);
  bool best_kept = false;
  std::size_t best_equal = 0;
  for (std::size_t c = 0; c < candidates_.size(); ++c) {
    const std::uint32_t e = candidates_[c];
    const std::size_t bound = std::max(need_, best_equal);
    const std::size_t equal = equal_slots(sig.data(), signature(e).data(), n, bound);
    if (equal < bound) {
      continue;
    }
    const bool k = kept_[e];
    if (!verdict.duplicate || equal > best_equal || (k && !best_kept)) {
      verdict.duplicate = true;
      verdict.of = e;
      verdict.similarity = static_cast<double>(equal) / static_cast<double>(n);
      best_kept = k;
      best_equal = equal;
    }
  }
  if (!inserted(verdict)) {
    return verdict;  // an identical signature is indexed already: this one adds nothing
  }
  const auto ordinal = static_cast<std::uint32_t>(kept_.size());
  verdict.ordinal = ordinal;
  if (ordinal % k_chunk == 0) {
    signatures_.emplace_back();
    signatures_.back().reserve(k_chunk * n);
  }
  signatures_.back().insert(signatures_.back().end(), sig.begin(), sig.end());
  kept_.push_back(!verdict.duplicate);
  listed_in_.push_back(0);
  for (std::size_t band = 0; band < nbands; ++band) {
    std::uint32_t previous = tables_[band].put(band_hashes[band], ordinal);
    next_.push_back(previous);
  }
  return verdict;
}

NearReplay::Verdict NearReplay::offer(std::uint64_t record, std::span<const std::pair<std::uint64_t, double>> matches) {
  scratch_.clear();
  for (const auto& [e, s] : matches) {
    if (e < ordinal_of_.size() && ordinal_of_[e] != NearIndex::k_none) {
      scratch_.push_back({ordinal_of_[e], s});
    }
  }
  Verdict verdict = NearIndex::choose(scratch_, [&](std::uint32_t e) { return static_cast<bool>(kept_[e]); });
  if (ordinal_of_.size() <= record) {
    ordinal_of_.resize(record + 1, NearIndex::k_none);
  }
  if (NearIndex::inserted(verdict)) {
    verdict.ordinal = static_cast<std::uint32_t>(kept_.size());
    ordinal_of_[record] = verdict.ordinal;
    kept_.push_back(!verdict.duplicate);
  }
  return verdict;
}

std::size_t NearIndex::memory_bytes() const {
  std::size_t bytes = next_.capacity() * sizeof(std::uint32_t) + listed_in_.capacity() * sizeof(std::uint32_t) +
                      kept_.capacity() / 8 + candidates_.capacity() * sizeof(std::uint32_t);
  for (const auto& chunk : signatures_) {
    bytes += chunk.capacity() * sizeof(std::uint16_t);
  }
  for (const auto& t : tables_) {
    bytes += t.memory_bytes();
  }
  return bytes;
}

}  // namespace decruft::dedup
