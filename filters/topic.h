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

 private:
  std::unordered_map<std::string, int> counts_;
};

// Share of `part`'s distinct terms that also occur in `reference`, weighting each term by its
// length-based specificity (longer, rarer-looking terms weigh more). 0 when part is empty.
double containment(const TermBag& part, const TermBag& reference);

}  // namespace decruft::filters
