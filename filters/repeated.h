// title: picks the document title; repeated: the title again, and blocks repeated inside a document.
#pragma once

#include <memory>

#include "core/step.h"

namespace decruft::filters {

// The `title` step: when the document has no title block yet (text scrapes), the first kept
// block becomes it if it reads as a headline (at most 30 words, no sentence end); Document::title
// is set from the title block.
std::unique_ptr<Step> make_title_step();

// The `repeated` filter: later copies of the title (`repeated_title`, also "Title | Site" forms)
// and of any other block (`duplicate_block`); the first real occurrence is kept.
std::unique_ptr<Step> make_repeated_filter();

}  // namespace decruft::filters
