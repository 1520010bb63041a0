// Writes filters/rules/idf.tsv: document frequencies of content terms (filters::content_terms)
// over a JSONL corpus, for the topical-similarity weights of appended_stories.
//   build/bench/make_idf ../shared/datasets/arabic-articles/saudinewsnet-2015-07.jsonl > filters/rules/idf.tsv
// Only terms in at least 0.2% of the documents are written: rarer terms all get the top weight.
#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "filters/topic.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    fmt::print(stderr, "usage: make_idf CORPUS.jsonl > idf.tsv\n");
    return 2;
  }
  simdjson::dom::parser parser;
  simdjson::dom::document_stream docs;
  if (auto err = parser.load_many(argv[1]).get(docs)) {
    fmt::print(stderr, "make_idf: {}: {}\n", argv[1], simdjson::error_message(err));
    return 1;
  }
  std::unordered_map<std::string, std::uint32_t> df;
  std::uint32_t n = 0;
  for (auto doc : docs) {
    std::string_view title, content;
    if (doc["content"].get(content) || doc["title"].get(title)) {
      continue;
    }
    ++n;
    std::unordered_set<std::string> seen;
    for (auto& t : decruft::filters::content_terms(std::string(title) + "\n" + std::string(content))) {
      seen.insert(std::move(t));
    }
    for (const auto& t : seen) {
      ++df[t];
    }
  }
  std::map<std::string, std::uint32_t> kept;
  for (const auto& [t, c] : df) {
    if (c * 500 >= n) {
      kept.emplace(t, c);
    }
  }
  fmt::print("# documents\t{}\n", n);
  for (const auto& [t, c] : kept) {
    fmt::print("{}\t{}\n", t, c);
  }
  return 0;
}
