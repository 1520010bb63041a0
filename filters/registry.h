// The filters, by name, in pipeline order.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/step.h"

namespace decruft::filters {

//   option              default  effect
//   rule_files          {}       extra rule files (TOML) on top of the built-in ones
//   split_stories       false    appended stories become documents of their own (<id>#2 ...)
//   corpus_min_docs     5        a line must recur in at least this many documents ...
//   corpus_min_share    0.01     ... and in this share of the corpus to count as boilerplate
//   story_similarity    0.5      a section whose content overlap with the article is below this
//                                share of the article's own paragraph-to-paragraph overlap (its
//                                coherence) is another story (appended_stories)
struct FilterOptions {
  std::vector<std::string> rule_files;
  bool split_stories = false;
  std::size_t corpus_min_docs = 5;
  double corpus_min_share = 0.01;
  double story_similarity = 0.5;
};

// Builds every filter step, in order. Fails when a rule file is missing or malformed.
Result<std::vector<std::unique_ptr<Step>>> make_filters(const FilterOptions& options = {});

}  // namespace decruft::filters
