#include "filters/corpus_lines.h"

#include <fmt/format.h>
#include <xxhash.h>

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <vector>
#include <mutex>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define DECRUFT_CORPUS_LINES_AVX2 1
#endif

#include "core/cpu.h"
#include "core/reasons.h"
#include "filters/shape.h"
#include "text/key.h"

namespace decruft::filters {

namespace {

constexpr std::size_t k_max_words = 15;

#if defined(DECRUFT_CORPUS_LINES_AVX2)
// spaces_at_least's vector count 32 positions at a time, on CPUs with AVX2 (checked at run time;
// the build targets plain x86-64). Helpers instead of lambdas: a lambda would not inherit the
// target attribute.
#define DECRUFT_AVX2 __attribute__((target("avx2,popcnt")))
DECRUFT_AVX2 inline __m256i in_range_avx2(__m256i x, char first, char count) {  // first <= x < first + count
  __m256i t = _mm256_sub_epi8(x, _mm256_set1_epi8(first));
  return _mm256_cmpeq_epi8(_mm256_min_epu8(t, _mm256_set1_epi8(static_cast<char>(count - 1))), t);
}

// Adds to `n` the spaces before a solid character at [p, p + 32) while 34 bytes are readable,
// advancing `p`; stops once n reaches k_max_words.
DECRUFT_AVX2 std::size_t count_spaces_avx2(const unsigned char*& p, const unsigned char* end, std::size_t n) {
  while (end - p >= 34 && n < k_max_words) {
    __m256i b0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
    __m256i b1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 1));
    __m256i b2 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 2));
    __m256i next_solid = _mm256_or_si256(
        in_range_avx2(b1, 0x21, 0x5E),
        _mm256_or_si256(_mm256_and_si256(_mm256_cmpeq_epi8(b1, _mm256_set1_epi8(static_cast<char>(0xD8))),
                                         in_range_avx2(b2, static_cast<char>(0xA1), 0x1A)),
                        _mm256_and_si256(_mm256_cmpeq_epi8(b1, _mm256_set1_epi8(static_cast<char>(0xD9))),
                                         in_range_avx2(b2, static_cast<char>(0x81), 0x0A))));
    __m256i hits = _mm256_and_si256(_mm256_cmpeq_epi8(b0, _mm256_set1_epi8(' ')), next_solid);
    n += static_cast<std::size_t>(__builtin_popcount(static_cast<unsigned>(_mm256_movemask_epi8(hits))));
    p += 32;
  }
  return n;
}
#undef DECRUFT_AVX2

#endif

// The first pass's counts: hash -> number of documents. Open addressing with linear probing in
// one flat array (a node per line in std::unordered_map cost an allocation and a cache miss per
// new line); the keys are XXH3 hashes already, so their low bits pick the slot. Slot key 0 is
// empty: a count for hash 0 (only a merged export can hold one) is kept aside.
class LineCounts {
 public:
  std::uint32_t& operator[](std::uint64_t h) {
    if (h == 0) {
      has_zero_ = true;
      return zero_;
    }
    if ((used_ + 1) * 2 > slots_.size()) {
      grow();
    }
    Slot& s = slots_[slot_of(slots_, h)];
    if (s.hash == 0) {
      s.hash = h;
      ++used_;
    }
    return s.count;
  }

  // ++(*this)[h] for each of `hashes`, soon: a large corpus's table is much larger than the caches,
  // so each count touched is a miss to memory (observe, in the first pass's in-order stage, spent
  // its time waiting on them). The slots are asked for now and the additions made once another
  // k_soon hashes have come, when they are there. settle() makes the ones pending; every read of
  // the counts must come after it.
  void add_one_soon(const std::vector<std::uint64_t>& hashes) {
#if defined(__GNUC__) || defined(__clang__)
    if (!slots_.empty()) {  // (a growth in between only wastes the hints)
      const std::size_t mask = slots_.size() - 1;
      for (std::uint64_t h : hashes) {
        __builtin_prefetch(slots_.data() + (static_cast<std::size_t>(h) & mask), 1);
      }
    }
#endif
    soon_.insert(soon_.end(), hashes.begin(), hashes.end());
    if (soon_.size() >= k_soon) {
      for (std::uint64_t h : later_) {
        ++(*this)[h];
      }
      later_.swap(soon_);
      soon_.clear();
    }
  }

  void settle() {
    for (const auto* pending : {&later_, &soon_}) {
      for (std::uint64_t h : *pending) {
        ++(*this)[h];
      }
    }
    later_.clear();
    soon_.clear();
  }

  // The count of `h`, or nullptr.
  const std::uint32_t* find(std::uint64_t h) const {
    if (h == 0) {
      return has_zero_ ? &zero_ : nullptr;
    }
    if (slots_.empty()) {
      return nullptr;
    }
    const Slot& s = slots_[slot_of(slots_, h)];
    return s.hash == 0 ? nullptr : &s.count;
  }

  bool empty() const { return used_ == 0 && !has_zero_; }

  // Every (hash, count), in no particular order.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> rows() const {
    std::vector<std::pair<std::uint64_t, std::uint32_t>> out;
    out.reserve(used_ + (has_zero_ ? 1 : 0));
    if (has_zero_) {
      out.emplace_back(0, zero_);
    }
    for (const Slot& s : slots_) {
      if (s.hash != 0) {
        out.emplace_back(s.hash, s.count);
      }
    }
    return out;
  }

  // Keeps the counts of at least `threshold` only.
  void keep_at_least(std::size_t threshold) {
    auto kept = rows();
    std::erase_if(kept, [threshold](const auto& row) { return row.second < threshold; });
    *this = LineCounts();
    for (const auto& [h, n] : kept) {
      (*this)[h] = n;
    }
  }

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t count = 0;
  };

  // The slot holding `h`, else the empty one it would go to (there is one: at most half full).
  static std::size_t slot_of(const std::vector<Slot>& slots, std::uint64_t h) {
    const std::size_t mask = slots.size() - 1;
    for (std::size_t i = static_cast<std::size_t>(h) & mask;; i = (i + 1) & mask) {
      if (slots[i].hash == h || slots[i].hash == 0) {
        return i;
      }
    }
  }

  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
    for (const Slot& s : old) {
      if (s.hash != 0) {
        slots_[slot_of(slots_, s.hash)] = s;
      }
    }
  }

  static constexpr std::size_t k_soon = 64;

  std::vector<Slot> slots_;  // a power of two long, at most half full
  std::vector<std::uint64_t> later_;  // add_one_soon's pending hashes: these asked for first,
  std::vector<std::uint64_t> soon_;   // then these
  std::size_t used_ = 0;
  std::uint32_t zero_ = 0;
  bool has_zero_ = false;
};

class CorpusLinesFilter final : public Filter {
 public:
  CorpusLinesFilter(std::size_t min_docs, double min_share) : min_docs_(min_docs), min_share_(min_share) {}
  std::string_view name() const override { return "corpus_lines"; }
  std::string_view description() const override {
    return "lines recurring in many text scrapes of the corpus (first pass counts them)";
  }
  bool needs_prepass() const override { return true; }
  // Text scrapes only: on an HTML page the extractor has already told the page's furniture from
  // its article by structure, and lines an article region shares with other pages of the site are
  // mostly the site's standing content (on html-dev this step removed twice as much article text
  // as boilerplate). Skipping pages also spares parsing every page twice.
  bool observes(const Document& doc) const override { return doc.format != InputFormat::k_html; }

  // Lines that will have k_max_words spaces or more once normalised are never counted: they are
  // not made blocks in the first pass, which saves copying and normalising most of the text.
  bool prepass_wants(BlockKind kind, std::string_view text) const override {
    return kind == BlockKind::k_title || spaces_at_least(text) < k_max_words;
  }

  // The keys of the short lines, computed on the pipeline thread (Block caches them).
  void ready_for_observe(const Document& doc) const override {
    for (const auto& b : doc.blocks) {
      if (b.kept() && b.kind != BlockKind::k_title) {
        (void)line_hash(b, /*key_alone=*/true);  // the first pass never needs the profile
      }
    }
  }

  void observe(const Document& doc) override {
    std::lock_guard<std::mutex> lock(mu_);
    // One buffer for every document (observe runs in order, under the lock), not one each.
    std::vector<std::uint64_t>& mine = observed_;
    mine.clear();
    for (const auto& b : doc.blocks) {
      if (b.kept() && b.kind != BlockKind::k_title) {
        if (auto h = line_hash(b)) {
          mine.push_back(h);
        }
      }
    }
    std::sort(mine.begin(), mine.end());
    mine.erase(std::unique(mine.begin(), mine.end()), mine.end());
    ++documents_;
    counts_.add_one_soon(mine);
  }

  // Cluster run: the counts of one shard's first pass, as text: a header line with the number of
  // documents observed, then one "hash count" line per distinct line, sorted by hash (the same
  // shard gives the same bytes).
  bool save_prepass(std::string& out) const override {
    std::lock_guard<std::mutex> lock(mu_);
    counts_.settle();
    std::vector<std::pair<std::uint64_t, std::uint32_t>> rows = counts_.rows();
    sort_by_hash(rows);
    out = fmt::format("corpus_lines 1 {}\n", documents_);
    out.reserve(out.size() + rows.size() * 24);
    // "{:016x} {}\n" per row, by hand: fmt's format-string parsing per row was most of the export.
    for (const auto& [h, n] : rows) {
      char line[32];
      for (int i = 0; i < 16; ++i) {
        line[i] = "0123456789abcdef"[(h >> (60 - 4 * i)) & 0xF];
      }
      line[16] = ' ';
      char* end = std::to_chars(line + 17, line + sizeof line - 1, n).ptr;
      *end++ = '\n';
      out.append(line, end);
    }
    return true;
  }

  // Adds another shard's counts; false (nothing changed) when the text is not a save_prepass().
  bool merge_prepass(std::string_view in) override {
    std::size_t nl = in.find('\n');
    std::string_view header = in.substr(0, nl);
    constexpr std::string_view k_magic = "corpus_lines 1 ";
    std::size_t documents = 0;
    if (nl == std::string_view::npos || header.substr(0, k_magic.size()) != k_magic ||
        !parse_number(header.substr(k_magic.size()), 10, documents)) {
      return false;
    }
    std::vector<std::pair<std::uint64_t, std::uint32_t>> rows;
    for (std::size_t pos = nl + 1; pos < in.size();) {
      std::size_t end = in.find('\n', pos);
      std::string_view line = in.substr(pos, (end == std::string_view::npos ? in.size() : end) - pos);
      pos = end == std::string_view::npos ? in.size() : end + 1;
      std::size_t sp = line.find(' ');
      std::size_t hash = 0;
      std::size_t count = 0;
      if (sp == std::string_view::npos || !parse_number(line.substr(0, sp), 16, hash) ||
          !parse_number(line.substr(sp + 1), 10, count)) {
        return false;
      }
      rows.emplace_back(hash, static_cast<std::uint32_t>(count));
    }
    std::lock_guard<std::mutex> lock(mu_);
    counts_.settle();
    documents_ += documents;
    for (const auto& [h, n] : rows) {
      counts_[h] += n;
    }
    return true;
  }

  void end_prepass() override {
    std::lock_guard<std::mutex> lock(mu_);
    threshold_ = std::max<std::size_t>(
        min_docs_, static_cast<std::size_t>(std::ceil(min_share_ * static_cast<double>(documents_))));
    counts_.settle();
    counts_.keep_at_least(threshold_);
    ready_ = true;
  }

 protected:
  void classify(const Document& doc, Marks& marks) override {
    if (!ready_ || counts_.empty() || !observes(doc)) {
      return;
    }
    for (std::size_t i = 0; i < doc.blocks.size(); ++i) {
      const auto& b = doc.blocks[i];
      if (!b.kept() || b.kind == BlockKind::k_title) {
        continue;
      }
      auto h = line_hash(b);
      if (h == 0) {
        continue;
      }
      if (const std::uint32_t* n = counts_.find(h)) {
        marks.drop(i, reason::k_corpus_boilerplate,
                   fmt::format("in {} of {} documents (threshold {})", *n, documents_, threshold_));
      }
    }
  }

 private:
  // Sorts rows of distinct hashes: a large table's rows (millions for 1 GB) are first spread by
  // their hash's top bits, about eight to a bucket, then each bucket is sorted; the hashes are
  // uniform, so this is two passes over the rows where std::sort took log2(n).
  static void sort_by_hash(std::vector<std::pair<std::uint64_t, std::uint32_t>>& rows) {
    if (rows.size() < 4096) {
      std::sort(rows.begin(), rows.end());
      return;
    }
    const int bits = std::clamp(static_cast<int>(std::bit_width(rows.size() / 8)), 9, 22);
    const int shift = 64 - bits;
    std::vector<std::size_t> end(std::size_t{1} << bits, 0);  // bucket b: [end[b - 1], end[b])
    for (const auto& row : rows) {
      ++end[row.first >> shift];
    }
    std::size_t total = 0;
    for (std::size_t& e : end) {
      total += e;
      e = total - e;  // the bucket's start, for now
    }
    std::vector<std::pair<std::uint64_t, std::uint32_t>> out(rows.size());
    for (const auto& row : rows) {
      out[end[row.first >> shift]++] = row;
    }
    for (std::size_t b = 0, begin = 0; b < end.size(); begin = end[b++]) {
      std::sort(out.begin() + static_cast<std::ptrdiff_t>(begin), out.begin() + static_cast<std::ptrdiff_t>(end[b]));
    }
    rows.swap(out);
  }

  static bool parse_number(std::string_view s, int base, std::size_t& out) {
    if (s.empty()) {
      return false;
    }
    std::uint64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
    out = static_cast<std::size_t>(v);
    return ec == std::errc() && end == s.data() + s.size();
  }

  // A lower bound on the spaces normalize() leaves in `text` (stops counting at k_max_words).
  // "Solid" characters are those no normalisation removes or turns into white space: printable
  // ASCII other than the space, and the Arabic letters U+0621-063A, U+0641-064A. Normalisation
  // only collapses runs of white space (with the invisible characters between them), trims the
  // ends and inserts spaces, so the stretch between two solid characters that holds an ASCII space
  // keeps at least one space. Counted: the ASCII spaces right before a solid character, after the
  // first solid one; each ends a stretch of its own. Without normalisation the count is of raw
  // spaces, which is more.
  static std::size_t spaces_at_least(std::string_view text) {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const auto* end = p + text.size();
    auto solid = [end](const unsigned char* q) {
      if (static_cast<unsigned char>(q[0] - 0x21) < 0x5E) {
        return true;
      }
      if (q + 1 >= end) {
        return false;
      }
      return (q[0] == 0xD8 && static_cast<unsigned char>(q[1] - 0xA1) <= 0x19) ||
             (q[0] == 0xD9 && static_cast<unsigned char>(q[1] - 0x81) <= 0x09);
    };
    while (p < end && !solid(p)) {
      ++p;
    }
    std::size_t n = 0;
#if defined(DECRUFT_CORPUS_LINES_AVX2)
    if (cpu::has_avx2()) {
      n = count_spaces_avx2(p, end, n);
      if (n >= k_max_words) {
        return k_max_words;
      }
    }
#endif
#if defined(__SSE2__)
    // The same count 16 positions at a time (most lines are long: the first pass asks this of
    // every line of the corpus, and 15 spaces are reached ~150 bytes in): a space whose next byte
    // is printable ASCII, or D8 A1-BA / D9 81-8A. Reads up to p[17].
    auto in_range = [](__m128i x, char first, char count) {  // first <= x < first + count, unsigned
      __m128i t = _mm_sub_epi8(x, _mm_set1_epi8(first));
      return _mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8(static_cast<char>(count - 1))), t);
    };
    while (end - p >= 18) {
      __m128i b0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      __m128i b1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 1));
      __m128i b2 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 2));
      __m128i next_solid = _mm_or_si128(
          in_range(b1, 0x21, 0x5E),
          _mm_or_si128(
              _mm_and_si128(_mm_cmpeq_epi8(b1, _mm_set1_epi8(static_cast<char>(0xD8))),
                            in_range(b2, static_cast<char>(0xA1), 0x1A)),
              _mm_and_si128(_mm_cmpeq_epi8(b1, _mm_set1_epi8(static_cast<char>(0xD9))),
                            in_range(b2, static_cast<char>(0x81), 0x0A))));
      __m128i hits = _mm_and_si128(_mm_cmpeq_epi8(b0, _mm_set1_epi8(' ')), next_solid);
      // A bit or two per block: clearing them one by one beats a popcount (a libgcc call without
      // -mpopcnt).
      for (auto bits = static_cast<unsigned>(_mm_movemask_epi8(hits)); bits != 0; bits &= bits - 1) {
        ++n;
      }
      if (n >= k_max_words) {
        return k_max_words;
      }
      p += 16;
    }
#endif
    for (; p + 1 < end; ++p) {
      if (*p == ' ' && solid(p + 1) && ++n >= k_max_words) {
        return n;
      }
    }
    return n;
  }

  // The ASCII spaces of `text`, counted up to k_max_words at least (then it may stop). Eight bytes
  // a round: a byte loop here, asked of every short line three times (both passes), mispredicted
  // its branch on every space and was most of the in-order observe().
  static std::size_t spaces(std::string_view text) {
    constexpr std::uint64_t k_ones = 0x0101010101010101ULL;
    constexpr std::uint64_t k_low7 = 0x7F7F7F7F7F7F7F7FULL;
    const char* p = text.data();
    const char* end = p + text.size();
    std::size_t n = 0;
    for (; end - p >= 8 && n < k_max_words; p += 8) {
      std::uint64_t v = 0;
      std::memcpy(&v, p, 8);
      v ^= k_ones * ' ';  // spaces become zero bytes
      // The high bit of each zero byte (exact: no carry crosses bytes), then their sum.
      const std::uint64_t zero = ~(((v & k_low7) + k_low7) | v | k_low7);
      n += static_cast<std::size_t>(((zero >> 7) * k_ones) >> 56);
    }
    if (n >= k_max_words) {
      return n;
    }
    for (; p < end; ++p) {
      n += *p == ' ' ? 1 : 0;
    }
    return n;
  }

  // 0 for blocks that are not short lines.
  static std::uint64_t line_hash(const Block& b, bool key_alone = false) {
    if (spaces(b.text) >= k_max_words) {
      return 0;
    }
    const std::string& key = key_alone ? b.key_alone() : b.key();
    if (key.empty()) {
      return 0;
    }
    std::uint64_t h = XXH3_64bits(key.data(), key.size());
    return h == 0 ? 1 : h;
  }

  std::size_t min_docs_;
  double min_share_;
  mutable std::mutex mu_;
  mutable LineCounts counts_;  // mutable: the export (const) settles the additions still pending
  std::vector<std::uint64_t> observed_;  // observe's scratch: one document's distinct line hashes
  std::size_t documents_ = 0;
  std::size_t threshold_ = 0;
  bool ready_ = false;
};

}  // namespace

std::unique_ptr<Step> make_corpus_lines_filter(std::size_t min_docs, double min_share) {
  return std::make_unique<CorpusLinesFilter>(min_docs, min_share);
}

}  // namespace decruft::filters
