// Topical similarity between parts of a document, for telling an appended story from a new
// section of the same article. Content terms are light-stemmed words of the match key with
// function words removed; Arabic clitics (ال، و، ب، ل، ف، ك) and common suffixes are stripped.
#pragma once

#include <string>
#include <cstdint>
#include <string_view>
#include <vector>

namespace decruft::filters {

// Content terms of a text (its match key is computed inside), as strings (for bench/make_idf).
std::vector<std::string> content_terms(std::string_view text);

// A bag of content terms with counts. Terms are kept as 64-bit hashes of their stems (no string
// per term); each distinct term carries its IDF weight, looked up once.
class TermBag {
 public:
  void add(std::string_view text);     // the content terms of a text
  void add_key(std::string_view key);  // ... of a match key (Block::key()): no re-keying
  void merge(const TermBag& other);
  // Empty again, as a new bag would be (same results), keeping the memory for reuse.
  void clear();
  std::size_t distinct() const { return size_; }
  // Sum of the IDF weights of the distinct terms, kept up to date by add/merge.
  double weight() const { return weight_; }
  // Sum of the weights of this bag's distinct terms that `other` holds too.
  double shared_weight(const TermBag& other) const;

 private:
  struct Slot {
    std::uint64_t term = 0;  // 0: empty
    std::uint32_t count = 0;
    double weight = 0;
  };
  Slot* find_slot(std::uint64_t term);
  bool contains(std::uint64_t term) const;
  void count(std::uint64_t term, std::uint32_t n, double weight);
  // The slot of `term`, or the empty slot where it goes (the table grown first if need be).
  Slot* reserve_slot(std::uint64_t term);
  std::vector<Slot> slots_;
  std::size_t size_ = 0;
  double weight_ = 0;
};

// Overlap coefficient of the two bags' distinct terms: the weight of the shared terms over the
// weight of the smaller bag, each term weighted by its IDF (rules/idf.tsv, built from news text:
// common news words weigh little, names and rare words much).
// Sizes differ a lot (a three-paragraph lead against a long section), hence min, not union.
// 0 when either is empty.
double containment(const TermBag& part, const TermBag& reference);

}  // namespace decruft::filters
