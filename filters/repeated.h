// title: picks the document title; repeated: the title again, and blocks repeated inside a document.
#pragma once

#include <memory>
#include <string_view>

#include "core/step.h"

namespace decruft::filters {

// The `title` step: when the document has no title block yet (text scrapes), the first kept
// block becomes it if it reads as a headline (at most 30 words, no sentence end); Document::title
// is set from the title block.
std::unique_ptr<Step> make_title_step();

// The `repeated` filter: later copies of the title (`repeated_title`, also "Title | Site" forms)
// and of any other block (`duplicate_block`); the first real occurrence is kept.
std::unique_ptr<Step> make_repeated_filter();

// count(text, ' ') > n, stopping once it is (AVX2 where the CPU has it). Exposed for the tests.
bool more_spaces_than(std::string_view text, long n);
// The same without AVX2 (the reference the tests compare with).
bool more_spaces_than_plain(std::string_view text, long n);

}  // namespace decruft::filters
