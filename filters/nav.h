// nav: navigation and page furniture, by phrase rules and by shape.
#pragma once

#include <memory>

#include "core/step.h"
#include "filters/rules.h"

namespace decruft::filters {

// Phrases (rule files) catch the known furniture: menus, 'latest news', share/print buttons,
// 'read also', app and newsletter prompts, copyright. Shape catches the unseen:
// - markers without words: "TT", "A A", "|", "•••", icon names (reason furniture);
// - a date, a time or a "name – place" byline standing alone (dateline);
// - runs of short lines with no sentence end at the head of the document (before the title) or
//   at its tail (after the last paragraph): menus and button rows (nav).
std::unique_ptr<Step> make_nav_filter(std::shared_ptr<const RuleSet> rules);

}  // namespace decruft::filters
