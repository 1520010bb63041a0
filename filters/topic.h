// Topical similarity between parts of a document, for telling an appended story from a new
// section of the same article. Content terms are light-stemmed words of the match key with
// function words removed; Arabic clitics (ال، و، ب، ل، ف، ك) and common suffixes are stripped.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace decruft::filters {

// Content terms of a text (its match key is computed inside).
std::vector<std::string> content_terms(std::string_view text);

// A bag of content terms with counts.
class TermBag {
 public:
  void add(std::string_view text);
  void add_terms(const std::vector<std::string>& terms);
  void merge(const TermBag& other);
  std::size_t distinct() const { return counts_.size(); }
  bool contains(const std::string& term) const { return counts_.count(term) > 0; }
  const std::unordered_map<std::string, int>& counts() const { return counts_; }
  // Sum of the IDF weights of the distinct terms, kept up to date by add/merge.
  double weight() const { return weight_; }

 private:
  void count(const std::string& term, int n);
  std::unordered_map<std::string, int> counts_;
  double weight_ = 0;
};

// Overlap coefficient of the two bags' distinct terms: the weight of the shared terms over the
// weight of the smaller bag, each term weighted by its IDF (rules/idf.tsv, built from news text:
// common news words weigh little, names and rare words much).
// Sizes differ a lot (a three-paragraph lead against a long section), hence min, not union.
// 0 when either is empty.
double containment(const TermBag& part, const TermBag& reference);

}  // namespace decruft::filters
