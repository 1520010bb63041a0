// corpus_lines: lines that recur across many documents of the corpus are a site's furniture.
#pragma once

#include <memory>

#include "core/step.h"

namespace decruft::filters {

// A first pass counts, for every short block (at most 15 words; title excluded), the number of
// documents whose normalised text (match key) contains it. A block whose line recurs in at least
// `min_docs` documents and at least `min_share` of the corpus is dropped as `corpus_boilerplate`.
// Memory: one 64-bit hash and a count per distinct short line.
std::unique_ptr<Step> make_corpus_lines_filter(std::size_t min_docs, double min_share);

}  // namespace decruft::filters
