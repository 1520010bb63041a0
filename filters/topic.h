// Topical similarity between parts of a document, for telling an appended story from a new
// section of the same article. Content terms are light-stemmed words of the match key with
// function words removed; Arabic clitics (ال، و، ب، ل، ف، ك) and common suffixes are stripped.
#pragma once

#include <algorithm>
#include <string>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace decruft::filters {

// The end of the word at p (the next space, or `end`), adding its code points to `letters`: the
// content terms' word scan (declared for its test).
const char* scan_word(const char* p, const char* end, std::size_t& letters);

// Content terms of a text (its match key is computed inside), as strings (for bench/make_idf).
std::vector<std::string> content_terms(std::string_view text);

// A bag of content terms. Terms are kept as 64-bit hashes of their stems (no string per term);
// each distinct term carries its IDF weight, looked up once. (How often a term occurs is not kept:
// nothing reads it.)
class TermBag {
 public:
  // The content terms of a match key as term identities, appended to `out` in text order, each
  // with its IDF entry starting to load. add_terms(them) is add_key(key): a caller that puts one
  // block's terms into several bags splits, stems and hashes them once.
  static void key_terms(std::string_view key, std::vector<std::uint64_t>& out);
  void add(std::string_view text);     // the content terms of a text
  void add_key(std::string_view key);  // ... of a match key (Block::key()): no re-keying
  void add_terms(std::span<const std::uint64_t> terms);  // ... from key_terms
  void merge(const TermBag& other);
  // merge(other), returning other.shared_weight(*this) as it was before the merge: the same
  // sums, added up in the same order, with one probe of this bag per term instead of two.
  double merge_shared(const TermBag& other);
  // Empty again, as a new bag would be (same results), keeping the memory for reuse.
  void clear();
  std::size_t distinct() const { return size_; }
  // Sum of the IDF weights of the distinct terms, kept up to date by add/merge.
  double weight() const { return weight_; }
  // Sum of the weights of this bag's distinct terms that `other` holds too.
  double shared_weight(const TermBag& other) const;

 private:
  // The slot of `term`, or the empty slot where it goes.
  std::size_t find_slot(std::uint64_t term) const;
  bool contains(std::uint64_t term) const;
  // ... the table grown first if need be.
  std::size_t reserve_slot(std::uint64_t term);
  void grow();
  void add_hashes(std::span<const std::uint64_t> terms);
  // Open addressing in two parallel arrays: a probe reads the terms only (8 bytes a slot; the
  // main story's bag outgrows the first-level cache), a weight is read where a term is found.
  std::vector<std::uint64_t> terms_;  // 0: empty
  std::vector<double> weights_;
  std::size_t size_ = 0;
  double weight_ = 0;
};

// containment()'s formula on sums already known: `shared` of `part_weight` against a reference
// of `reference_weight`.
inline double containment_of(double shared, double part_weight, double reference_weight) {
  const double denom = std::min(part_weight, reference_weight);
  return denom > 0 ? shared / denom : 0.0;
}

// Overlap coefficient of the two bags' distinct terms: the weight of the shared terms over the
// weight of the smaller bag, each term weighted by its IDF (rules/idf.tsv, built from news text:
// common news words weigh little, names and rare words much).
// Sizes differ a lot (a three-paragraph lead against a long section), hence min, not union.
// 0 when either is empty.
double containment(const TermBag& part, const TermBag& reference);

}  // namespace decruft::filters
