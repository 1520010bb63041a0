// captions: photo captions, wherever they stand, and their duplicates.
#pragma once

#include <memory>

#include "core/step.h"

namespace decruft::filters {

// A caption is a short descriptive line that ends in a photo credit in parentheses — a known
// agency or source ("(رويترز)", "(أ.ف.ب)", "(Reuters)", "(الشركة)") or, generically, one to
// three words of letters after a line with no sentence end — or a line introduced as a photo
// ("صورة:", "Photo:"), or one ending in "Photo: …"/"Getty Images". The first occurrence gets
// `caption`, later copies `duplicate_caption`.
std::unique_ptr<Step> make_captions_filter();

// Exposed for the other filters (story boundaries) and tests.
bool looks_like_caption(const Block& block);
bool looks_like_caption(std::string_view text);
// A credit tail ("Getty Images", "Photo:", "/ AFP", "(Reuters)" ...) within the last 40 bytes
// after it: looks_like_caption's test for a short line without a sentence end.
bool has_credit_tail(std::string_view text);

}  // namespace decruft::filters
