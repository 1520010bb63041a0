// related: "related articles" headers and their teasers.
// appended_stories: unrelated stories appended after the article (infinite-scroll scrapes).
#pragma once

#include <memory>
#include <string>

#include "core/step.h"
#include "filters/rules.h"

namespace decruft::filters {

// What starts a new story at block i: a headline-like block followed, before any prose, by the
// furniture a story page carries (captions, a marker, the headline again). Empty when nothing.
// Scores: each caption, marker or repeat counts one; 2 or more is a strong start.
struct StoryStart {
  int score = 0;
  std::string evidence;
  bool markers_only = false;  // the score is page markers alone: no caption, not the headline again
};
StoryStart story_start_at(const Document& doc, std::size_t i);

// Related-article blocks: a header phrase, then teaser units (section/caption line, title, lead
// sentence, outlet/city line) until prose or the next story.
std::unique_ptr<Step> make_related_filter(std::shared_ptr<const RuleSet> rules);

//   similarity  below this weighted content-term containment in the main story so far, a
//               section introduced by a headline is another story
//   split       appended stories go to Document::split_stories instead of being only dropped
std::unique_ptr<Step> make_stories_filter(double similarity, bool split);

}  // namespace decruft::filters
