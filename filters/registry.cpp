#include "filters/registry.h"

#include "filters/captions.h"
#include "filters/corpus_lines.h"
#include "filters/credits.h"
#include "filters/nav.h"
#include "filters/repeated.h"
#include "filters/rules.h"
#include "filters/stories.h"

namespace decruft::filters {

Result<std::vector<std::unique_ptr<Step>>> make_filters(const FilterOptions& options) {
  auto rules = RuleSet::builtin();
  if (!rules) {
    return rules.status();
  }
  for (const auto& f : options.rule_files) {
    if (Status s = rules->add_file(f); !s) {
      return s;
    }
  }
  auto shared = std::make_shared<const RuleSet>(std::move(*rules));
  // Order matters: corpus_lines first (its prepass then only needs decode/blocks/normalize);
  // nav and credits before the title is chosen; captions before repeated (a caption's copy is a
  // duplicate_caption, not a duplicate_block); related and appended_stories last, as they read
  // the other filters' verdicts as evidence of structure.
  std::vector<std::unique_ptr<Step>> steps;
  steps.push_back(make_corpus_lines_filter(options.corpus_min_docs, options.corpus_min_share));
  steps.push_back(make_nav_filter(shared));
  steps.push_back(make_credits_filter(shared));
  steps.push_back(make_title_step());
  steps.push_back(make_captions_filter());
  steps.push_back(make_repeated_filter());
  steps.push_back(make_related_filter(shared));
  steps.push_back(make_stories_filter(options.story_similarity, options.split_stories));
  return steps;
}

}  // namespace decruft::filters
