// The one table of reason ids. Ids are stable snake_case: scripts and reports depend on them.
// filters/README.md documents each; a unit test checks the two agree.
#pragma once

#include <span>
#include <string_view>

namespace decruft {

struct ReasonInfo {
  std::string_view id;
  std::string_view what;  // one line for --help, README and the report
};

std::span<const ReasonInfo> all_reasons();
bool is_known_reason(std::string_view id);

namespace reason {
// Block-level.
inline constexpr std::string_view k_nav = "nav";
inline constexpr std::string_view k_share = "share";
inline constexpr std::string_view k_read_also = "read_also";
inline constexpr std::string_view k_app_prompt = "app_prompt";
inline constexpr std::string_view k_furniture = "furniture";
inline constexpr std::string_view k_dateline = "dateline";
inline constexpr std::string_view k_copyright = "copyright";
inline constexpr std::string_view k_caption = "caption";
inline constexpr std::string_view k_duplicate_caption = "duplicate_caption";
inline constexpr std::string_view k_repeated_title = "repeated_title";
inline constexpr std::string_view k_duplicate_block = "duplicate_block";
inline constexpr std::string_view k_related_header = "related_header";
inline constexpr std::string_view k_related_teaser = "related_teaser";
inline constexpr std::string_view k_appended_story = "appended_story";
inline constexpr std::string_view k_credit = "credit";
inline constexpr std::string_view k_corpus_boilerplate = "corpus_boilerplate";
inline constexpr std::string_view k_html_boilerplate = "html_boilerplate";
inline constexpr std::string_view k_empty_block = "empty_block";
inline constexpr std::string_view k_duplicate_paragraph = "duplicate_paragraph";
// Document-level.
inline constexpr std::string_view k_empty_doc = "empty_doc";
inline constexpr std::string_view k_duplicate_doc = "duplicate_doc";
inline constexpr std::string_view k_near_duplicate_doc = "near_duplicate_doc";
}  // namespace reason

}  // namespace decruft
