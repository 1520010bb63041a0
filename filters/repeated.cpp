#include "filters/repeated.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

// XXH3 inlined (header-only mode): a call per short key cost as much as the hash.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "core/cpu.h"
#include "core/reasons.h"
#include "filters/shape.h"
#include "text/key.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define DECRUFT_REPEATED_AVX2 1
#endif

namespace decruft::filters {

namespace {

constexpr long k_max_duplicate_words = 20;

#if defined(DECRUFT_REPEATED_AVX2)
// The count 64 bytes a round with AVX2 (checked at run time; the build targets plain x86-64): two
// compares, two masks and a popcount instead of the byte sums of the loop below; the last 1-63
// bytes in overlapping 32-byte loads with the bytes counted already masked off. Text of fewer
// than 32 bytes takes the plain loop. Every long block's text is counted here (repeated skips it
// past 28 spaces, ~200 bytes of Arabic in).
// (A helper, not a lambda: a lambda would not inherit the target attribute.)
__attribute__((target("avx2"))) inline std::uint32_t spaces_at_avx2(const char* p) {  // a bit per byte of p[0, 32)
  const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  return static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8(' '))));
}

__attribute__((target("avx2,popcnt"))) bool more_spaces_than_avx2(const char* p, std::size_t size, long n) {
  long spaces = 0;
  std::size_t i = 0;
  for (; i + 64 <= size; i += 64) {
    const std::uint64_t m = spaces_at_avx2(p + i) | (static_cast<std::uint64_t>(spaces_at_avx2(p + i + 32)) << 32);
    spaces += __builtin_popcountll(m);
    if (spaces > n) {
      return true;
    }
  }
  if (i + 32 <= size) {
    spaces += __builtin_popcount(spaces_at_avx2(p + i));
    i += 32;
  }
  if (i < size) {  // size >= 32: the last 32 bytes, less the 32 - (size - i) of them counted already
    spaces += __builtin_popcount(spaces_at_avx2(p + size - 32) >> (32 - (size - i)));
  }
  return spaces > n;
}

#endif

}  // namespace

// count(text, ' ') > n without AVX2, reading 64-byte blocks (a fixed-length count GCC vectorises at -O2) and
// stopping at the block where the count passes n: long paragraphs stop early. A block's count fits
// a byte, so the vector code adds bytes instead of widening every compare to 32 bits (twice as
// fast); the rest goes 16 bytes at a time the same way, the last few one by one.
bool more_spaces_than_plain(std::string_view text, long n) {
  const char* p = text.data();
  const std::size_t size = text.size();
  long spaces = 0;
  std::size_t i = 0;
  for (; i + 64 <= size; i += 64) {
    std::uint8_t block = 0;
    for (std::size_t j = 0; j < 64; ++j) {
      block += p[i + j] == ' ' ? 1 : 0;
    }
    spaces += block;
    if (spaces > n) {
      return true;
    }
  }
  for (; i + 16 <= size; i += 16) {
    std::uint8_t block = 0;
    for (std::size_t j = 0; j < 16; ++j) {
      block += p[i + j] == ' ' ? 1 : 0;
    }
    spaces += block;
  }
  for (; i < size; ++i) {
    spaces += p[i] == ' ' ? 1 : 0;
  }
  return spaces > n;
}

bool more_spaces_than(std::string_view text, long n) {
#if defined(DECRUFT_REPEATED_AVX2)
  if (text.size() >= 32 && cpu::has_avx2()) {
    return more_spaces_than_avx2(text.data(), text.size(), n);
  }
#endif
  return more_spaces_than_plain(text, n);
}

namespace {

class SeenKeys {
 public:
  // Empties the table for a document of `blocks` blocks. Only the slots filled since the last
  // reset are cleared (a document fills a few; filling the whole table per document was most of
  // the step's own time); the table only grows, and its size changes no answer.
  void reset(std::size_t blocks) {
    std::size_t size = 16;
    while (size < 2 * blocks) {
      size *= 2;
    }
    if (size > slots_.size()) {
      slots_.assign(size, Slot{});
    } else {
      for (std::size_t i : used_) {
        slots_[i] = Slot{};
      }
    }
    used_.clear();
  }
  // The first index of `key` (non-empty), and whether it is new (then `index` was recorded).
  std::pair<std::size_t, bool> emplace(std::string_view key, std::size_t index) {
    const std::size_t mask = slots_.size() - 1;
    // XXH3 (inlined) picks the slot: std::hash's murmur call cost four times as much on keys of
    // ~100 bytes; the hash only decides where a key is looked for, never the answer.
    for (std::size_t i = static_cast<std::size_t>(XXH3_64bits(key.data(), key.size())) & mask;; i = (i + 1) & mask) {
      if (slots_[i].key.empty()) {
        slots_[i] = {key, index};
        used_.push_back(i);
        return {index, true};
      }
      if (slots_[i].key == key) {
        return {slots_[i].index, false};
      }
    }
  }

 private:
  struct Slot {
    std::string_view key;  // empty: a free slot
    std::size_t index = 0;
  };
  std::vector<Slot> slots_;
  std::vector<std::size_t> used_;  // the slots filled since the last reset
};

class TitleStep final : public Step {
 public:
  std::string_view name() const override { return "title"; }
  std::string_view description() const override { return "the first headline-like block becomes the title"; }
  void process(Document& doc) override {
    for (auto& b : doc.blocks) {
      if (!b.kept()) {
        continue;
      }
      if (b.kind == BlockKind::k_title) {
        doc.title = b.text;
        return;
      }
      Shape s = shape_of(b);
      if (s.words >= 1 && s.words <= 30 && !s.ends_sentence) {
        b.kind = BlockKind::k_title;
        doc.title = b.text;
      }
      return;
    }
  }
};

class RepeatedFilter final : public Filter {
 public:
  std::string_view name() const override { return "repeated"; }
  std::string_view description() const override {
    return "the title repeated, and blocks repeated within the document (first kept)";
  }

 protected:
  void classify(const Document& doc, Marks& marks) override {
    std::string_view title_key;
    long title_spaces = -1;  // spaces in title_key, counted when first needed (-1: not yet)
    // key -> first index; the keys are the blocks' cached ones, which outlive the table. One table
    // per thread (the step is shared by the pipeline's threads), reset per document.
    thread_local SeenKeys seen;
    seen.reset(doc.blocks.size());
    for (std::size_t i = 0; i < doc.blocks.size(); ++i) {
      const auto& b = doc.blocks[i];
      if (!b.kept()) {
        continue;
      }
      // Only short blocks can be titles or counted duplicates: skip the key of long ones.
      if (more_spaces_than(b.text, k_max_duplicate_words + 8) &&
          !(b.kind == BlockKind::k_title && title_key.empty())) {
        continue;
      }
      const std::string& key = b.key();
      if (key.empty()) {
        continue;
      }
      if (b.kind == BlockKind::k_title && title_key.empty()) {
        title_key = key;
        seen.emplace(key, i);
        continue;
      }
      if (!title_key.empty() && (key == title_key || is_title_with_suffix(key, title_key, title_spaces))) {
        marks.drop(i, reason::k_repeated_title, "the title again");
        continue;
      }
      // Only short blocks (headlines, labels, menu lines) count as duplicates here: a long paragraph
      // quoted twice is the author's choice, and corpus-level dedup handles copied paragraphs.
      if (more_spaces_than(key, k_max_duplicate_words - 1)) {  // 20 spaces or more
        continue;
      }
      if (doc.format == InputFormat::k_html) {
        continue;  // the page's own repetition (pull quotes, lists) is content; the extractor saw the DOM
      }
      auto [first, inserted] = seen.emplace(key, i);
      if (!inserted) {
        marks.drop(i, reason::k_duplicate_block,
                   doc.blocks[first].line > 0 ? fmt::format("same as line {}", doc.blocks[first].line)
                                              : std::string("same as an earlier block"));
      }
    }
  }

 private:
  // "Title | Site", "Site - Title": the title plus at most four words. The spaces around the title
  // are the key's less the title's (`title_spaces`) wherever it stands, so they are counted first
  // (stopping at six more): most keys fail there, and the search for the title (a memchr and a
  // memcmp per occurrence of its first byte, a common Arabic lead byte) runs only on the rest.
  static bool is_title_with_suffix(std::string_view key, std::string_view title, long& title_spaces) {
    if (key.size() <= title.size() || title.size() < 12) {
      return false;
    }
    if (title_spaces < 0) {  // most documents never get here: their titles are not counted
      title_spaces = static_cast<long>(std::count(title.begin(), title.end(), ' '));
    }
    if (more_spaces_than(key, title_spaces + 5)) {
      return false;
    }
    return key.find(title) != std::string_view::npos;
  }
};

}  // namespace

std::unique_ptr<Step> make_title_step() { return std::make_unique<TitleStep>(); }
std::unique_ptr<Step> make_repeated_filter() { return std::make_unique<RepeatedFilter>(); }

}  // namespace decruft::filters
